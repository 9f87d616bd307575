//! `buildout run`: one scenario's Monte Carlo (or one shard of it), then every output
//! file written at once; `write_outputs` also serves `merge`.

use super::{write_chart, Timings, STOP};
use crate::cli::{ChartFormats, RunConfig};
use crate::core::ensemble::{simulate, simulate_into};
use crate::core::run::{run_with, Workspace};
use crate::core::scenario::Scenario;
use crate::core::stats::Summary;
use crate::error::AppError;
use crate::io::brief::{chart_data, report_data};
use crate::io::chart::{render_chart, ChartKind};
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
    if let Some(i) = config.trace {
        if i >= runs {
            return Err(AppError::Usage(format!("--trace {i} names no run: runs are numbered 0 to {}", runs - 1)));
        }
    }
    let range = config.shard.map_or(0..runs, |sh| sh.runs(runs));
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
    let progress = RunProgress::new(range.end - range.start, config.quiet, &STOP);
    progress.set_message(scenario.name().to_string());
    let aggregate = if config.per_run {
        // runs.csv streams into the staged folder while the runs go (D39).
        let path = staged.path().join(RUNS_FILE);
        let io_error = |source| crate::io::output::OutputError::Io { path: path.clone(), source };
        let writer = RunsWriter::create(scenario, &path).map_err(io_error)?;
        let aggregate = simulate_into(scenario, seed, range.clone(), config.threads, &progress, &writer);
        progress.finish();
        let aggregate = aggregate?;
        writer.finish().map_err(io_error)?;
        aggregate
    } else {
        let aggregate = simulate(scenario, seed, range.clone(), config.threads, &progress);
        progress.finish();
        aggregate?
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
    let files =
        OutputFiles { scenario_file: file_name_of(&config.scenario), charts: config.charts, report: config.report };
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
    Ok(RunOutcome { out, summary })
}

/// Which files besides summary.csv and headline.json a finished Monte Carlo writes.
pub(crate) struct OutputFiles {
    /// The scenario file's name, for the charts' source line.
    pub scenario_file: String,
    pub charts: ChartFormats,
    pub report: bool,
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
        let mut svgs = Vec::new();
        for kind in ChartKind::ALL.into_iter().filter(|k| k.applies(&data)) {
            // The report inlines the SVG written to the chart file (rendered once).
            let render = |format| render_chart(kind, &data, format).map(Some);
            if let Some(svg) = write_chart(staged, kind.file_stem(), files.charts, files.report, render)? {
                svgs.push((kind, svg));
            }
        }
        if files.report {
            let html = render_report(&data, &report_data(scenario, summary), &svgs);
            staged.write("report.html", html.as_bytes())?;
        }
    }
    timings.lap("render");
    Ok(())
}
