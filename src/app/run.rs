//! `buildout run`: one scenario's Monte Carlo (or one shard of it), then every output
//! file written at once; `write_outputs` also serves `merge`.

use super::{write_charts, Timings, STOP};
use crate::cli::{ChartFormats, RunConfig};
use crate::core::ensemble::{simulate_into, EnsembleError, NoSink, RunSink};
use crate::core::run::{run_with, Workspace};
use crate::core::scenario::Scenario;
use crate::core::stable::{unstable, BatchPlan, Tolerance, Unstable};
use crate::core::stats::Aggregate;
use crate::core::stats::Summary;
use crate::error::AppError;
use crate::io::brief::{chart_data, report_data};
use crate::io::chart::{render_chart, ChartKind};
use crate::io::format::trim_decimals;
use crate::io::output::StagedDir;
use crate::io::page::report::render_report;
use crate::io::progress::RunProgress;
use crate::io::scenario::load_file;
use crate::io::tables::by_scope::{render_by_owner, render_by_region};
use crate::io::tables::console::human_summary;
use crate::io::tables::csv::{render_summary, TraceWriter};
use crate::io::tables::exceedance::render_exceedance;
use crate::io::tables::headline::render_headline;
use crate::io::tables::partial::{render_partial, scenario_hash, Partial, PartialHeader, PARTIAL_FILE};
use crate::io::tables::runs::{RunsWriter, RUNS_FILE};
use crate::io::tables::sensitivity::render_sensitivity;
use std::path::{Path, PathBuf};

/// The finished result of `run`, for callers that want the numbers.
pub struct RunOutcome {
    /// The output folder written.
    pub out: PathBuf,
    /// The finished statistics.
    pub summary: Summary,
}

/// `buildout run`: simulate, then write every output file at once.
pub fn run(config: &RunConfig) -> Result<RunOutcome, AppError> {
    let mut timings = Timings::new(config.timings);
    let loaded = load_file(&config.scenario)?;
    if !config.quiet {
        eprint!("{}", loaded.warnings);
    }
    let scenario = &loaded.scenario;
    let runs = config.runs.unwrap_or(scenario.default_runs());
    let seed = config.seed.unwrap_or(scenario.default_seed());
    if let (Some(i), None) = (config.trace, config.until_stable) {
        if i >= runs {
            return Err(AppError::Usage(format!("--trace {i} names no run: runs are numbered 0 to {}", runs - 1)));
        }
    }
    let range = config.shard.map_or(0..runs, |sh| sh.runs(runs));
    // --until-stable starts from --runs, else 1,000 runs (D45).
    let plan =
        config.until_stable.map(|u| BatchPlan { first: config.runs.unwrap_or(FIRST_BATCH_RUNS), max_runs: u.max_runs });
    let first_batch = plan.and_then(|p| p.next_total(0));
    if let (Some(first), Some(i)) = (first_batch, config.trace) {
        if i >= first {
            return Err(AppError::Usage(format!(
                "--trace {i} is past the first batch of --until-stable (runs 0 to {}): trace an earlier run or raise --runs",
                first - 1
            )));
        }
    }
    // Fail early, before hours of simulation, when the output folder cannot be made.
    if config.out == crate::cli::default_out(&config.scenario) {
        // Only the default output/ folder is made on demand; a given --out must have a parent.
        if let Some(parent) = config.out.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|source| crate::io::output::OutputError::Io { path: parent.to_path_buf(), source })?;
        }
    }
    let staged = StagedDir::new(&config.out)?;
    timings.lap("load");
    let total = first_batch.unwrap_or(range.end - range.start);
    let progress = RunProgress::new(total, config.quiet, &STOP);
    progress.set_message(scenario.name().to_string());
    let (aggregate, stop) = if config.per_run {
        // runs.csv streams into the staged folder while the runs go (D39), across batches too.
        let path = staged.path().join(RUNS_FILE);
        let io_error = |source| crate::io::output::OutputError::Io { path: path.clone(), source };
        let writer = RunsWriter::create(scenario, &path).map_err(io_error)?;
        let result = monte_carlo(config, scenario, seed, range.clone(), plan, &progress, &writer);
        progress.finish();
        let result = result?;
        writer.finish().map_err(io_error)?;
        result
    } else {
        let result = monte_carlo(config, scenario, seed, range.clone(), plan, &progress, &NoSink);
        progress.finish();
        result?
    };
    timings.lap("simulate");
    if let Some(shard) = config.shard {
        let header = PartialHeader {
            format: crate::io::tables::partial::FORMAT.into(),
            format_version: crate::io::tables::partial::FORMAT_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").into(),
            scenario: scenario.name().into(),
            scenario_hash: scenario_hash(scenario),
            scenario_file: config.scenario.display().to_string(),
            // The resolved text: a partial must stand alone, without the files it extends.
            scenario_text: crate::io::scenario::render_toml(
                &crate::io::scenario::resolve_file(&config.scenario)?.table,
            ),
            seed,
            runs,
            shard,
            run_range: [range.start, range.end],
        };
        let partial = Partial { header, aggregate };
        let rendered = render_partial(&partial);
        timings.lap("render");
        staged.write(PARTIAL_FILE, rendered.as_bytes())?;
        let out = staged.commit()?;
        timings.lap("write");
        timings.print();
        if !config.quiet {
            println!(
                "{}: shard {}/{}: runs {}..{} of {runs}, seed {seed}; partial result written to {}",
                scenario.name(),
                shard.index,
                shard.count,
                range.start,
                range.end,
                out.join(PARTIAL_FILE).display()
            );
        }
        let summary = partial.aggregate.summarize(scenario);
        return Ok(RunOutcome { out, summary });
    }
    let summary = aggregate.summarize(scenario);
    timings.lap("aggregate");
    let files = OutputFiles {
        scenario_file: file_name_of(&config.scenario),
        charts: config.charts,
        report: config.report,
        threads: config.threads,
    };
    write_outputs(&staged, scenario, &summary, seed, &files, &mut timings)?;
    if let Some(i) = config.trace {
        let mut trace = TraceWriter::new(scenario);
        run_with(scenario, seed, i, &mut Workspace::default(), &mut trace);
        staged.write(&format!("trace-{i}.csv"), trace.finish().as_bytes())?;
    }
    let out = staged.commit()?;
    timings.lap("write");
    timings.print();
    if !config.quiet {
        print!("{}", human_summary(scenario, &summary, seed, &out));
    }
    if let Some(stop) = &stop {
        report_stop(stop, config.quiet);
    }
    Ok(RunOutcome { out, summary })
}

/// Runs of the first batch of `--until-stable` when `--runs` is not given (D45).
pub const FIRST_BATCH_RUNS: u64 = 1_000;

/// How `--until-stable` ended.
struct Stop {
    /// Runs done.
    runs: u64,
    /// Batches run.
    batches: u64,
    /// The figures still wider than the tolerance (empty: stable).
    unstable: Vec<Unstable>,
}

/// The runs of `range`, or with `--until-stable` the batches of `plan` (with how they
/// ended), every run handed to `sink`.
fn monte_carlo<S: RunSink>(
    config: &RunConfig,
    scenario: &Scenario,
    seed: u64,
    range: std::ops::Range<u64>,
    plan: Option<BatchPlan>,
    progress: &RunProgress,
    sink: &S,
) -> Result<(Aggregate, Option<Stop>), EnsembleError> {
    match (plan, config.until_stable) {
        (Some(plan), Some(u)) => until_stable(scenario, seed, config.threads, plan, &u.tolerance, progress, sink)
            .map(|(aggregate, stop)| (aggregate, Some(stop))),
        _ => simulate_into(scenario, seed, range, config.threads, progress, sink).map(|a| (a, None)),
    }
}

/// `--until-stable` (D45, D46): batches of runs by `plan`, each simulated by the
/// ensemble over the next run indices and merged into the running aggregate (exactly,
/// so N runs by batches are N runs at once), until the stopping rule holds or the cap
/// is reached. The batch sizes depend only on the plan, so the stop does not depend on
/// the thread count.
fn until_stable<S: RunSink>(
    scenario: &Scenario,
    seed: u64,
    threads: Option<usize>,
    plan: BatchPlan,
    tolerance: &Tolerance,
    progress: &RunProgress,
    sink: &S,
) -> Result<(Aggregate, Stop), EnsembleError> {
    let mut aggregate = Aggregate::empty(scenario);
    let mut stop = Stop { runs: 0, batches: 0, unstable: Vec::new() };
    while let Some(next) = plan.next_total(stop.runs) {
        progress.set_total(next);
        let batch = simulate_into(scenario, seed, stop.runs..next, threads, progress, sink)?;
        aggregate.merge(&batch);
        aggregate.flush();
        stop.runs = next;
        stop.batches += 1;
        stop.unstable = unstable(&aggregate.headline(scenario), tolerance);
        if stop.unstable.is_empty() {
            break;
        }
    }
    Ok((aggregate, stop))
}

/// The console line on how `--until-stable` ended: "stable after N runs", or, at the
/// cap, which figures are still too wide (on stderr, even with --quiet).
fn report_stop(stop: &Stop, quiet: bool) {
    if stop.unstable.is_empty() {
        if !quiet {
            println!(
                "stable after {} runs ({} batches): every checked 95% interval is within the tolerance",
                stop.runs, stop.batches
            );
        }
        return;
    }
    const SHOWN: usize = 5;
    let mut figures: Vec<String> = stop
        .unstable
        .iter()
        .take(SHOWN)
        .map(|u| {
            format!(
                "{} (half-width {}, allowed {})",
                u.what,
                trim_decimals(u.half_width, 4),
                trim_decimals(u.allowed, 4)
            )
        })
        .collect();
    if stop.unstable.len() > SHOWN {
        figures.push(format!("and {} more", stop.unstable.len() - SHOWN));
    }
    eprintln!(
        "warning: not stable after {} runs, the --max-runs cap: results written for those runs; still wider than the tolerance: {}",
        stop.runs,
        figures.join(", ")
    );
}

/// Which files besides summary.csv and headline.json a finished Monte Carlo writes.
pub(crate) struct OutputFiles {
    /// The scenario file's name, for the charts' source line.
    pub scenario_file: String,
    pub charts: ChartFormats,
    pub report: bool,
    /// Threads that render the charts: `--threads`, else every core.
    pub threads: Option<usize>,
}

/// The file name of a path, for source lines.
pub(crate) fn file_name_of(path: &Path) -> String {
    path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Renders and writes every file of a finished Monte Carlo: summary.csv, headline.json,
/// exceedance.csv, sensitivity.csv, by_region.csv and by_owner.csv (2+ regions, owners),
/// the charts in the chosen formats and report.html. `run` and `merge` both call it, so
/// a merged result is byte for byte what one machine writes.
pub(crate) fn write_outputs(
    staged: &StagedDir,
    scenario: &Scenario,
    summary: &Summary,
    seed: u64,
    files: &OutputFiles,
    timings: &mut Timings,
) -> Result<(), AppError> {
    let summary_csv = render_summary(scenario, summary);
    let headline = render_headline(scenario, summary, seed);
    staged.write("summary.csv", summary_csv.as_bytes())?;
    staged.write("headline.json", headline.as_bytes())?;
    staged.write("exceedance.csv", render_exceedance(scenario, summary).as_bytes())?;
    staged.write("sensitivity.csv", render_sensitivity(scenario, summary).as_bytes())?;
    if let Some(text) = render_by_region(scenario, summary) {
        staged.write("by_region.csv", text.as_bytes())?;
    }
    if let Some(text) = render_by_owner(scenario, summary) {
        staged.write("by_owner.csv", text.as_bytes())?;
    }
    if files.charts != ChartFormats::None || files.report {
        let data = chart_data(scenario, summary, seed, &files.scenario_file);
        let kinds: Vec<ChartKind> = ChartKind::ALL.into_iter().filter(|k| k.applies(&data)).collect();
        // The report inlines the SVG written to the chart file (rendered once).
        let render = |kind, format| render_chart(kind, &data, format).map(Some);
        let svgs =
            write_charts(staged, &kinds, ChartKind::file_stem, files.charts, files.report, files.threads, render)?;
        if files.report {
            let html = render_report(&data, &report_data(scenario, summary), &svgs);
            staged.write("report.html", html.as_bytes())?;
        }
    }
    timings.lap("render");
    Ok(())
}
