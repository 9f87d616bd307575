//! The one place where core and edges meet: load a scenario, run the Monte Carlo, render
//! and write the outputs, print the human summary.

use crate::cli::{ChartFormats, Cli, Command, MergeArgs, RunConfig};
use crate::core::ensemble::{simulate, Shard};
use crate::core::run::{run_with, Workspace};
use crate::core::scenario::Scenario;
use crate::core::stats::Aggregate;
use crate::core::stats::Summary;
use crate::error::AppError;
use crate::io::brief::{chart_data, report_data};
use crate::io::charts::{render_chart, ChartFormat, ChartKind};
use crate::io::csv::{render_summary, TraceWriter};
use crate::io::format::{format_compact, format_thousands};
use crate::io::json::render_headline;
use crate::io::output::StagedDir;
use crate::io::progress::RunProgress;
use crate::io::report::render_report;
use crate::io::scenario_file::{load_file, load_str};
use crate::io::tables::partial::{read_partial, render_partial, scenario_hash, Partial, PartialHeader, PARTIAL_FILE};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Raised by a signal handler to stop a run early.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// Runs one parsed command line.
pub fn run_cli(cli: Cli) -> Result<(), AppError> {
    match cli.command {
        Command::Run(args) => run(&args.into_config()?).map(|_| ()),
        Command::Validate(args) if args.print => print_resolved(&args.scenario),
        Command::Validate(args) => validate(&args.scenario),
        Command::Compare(args) => compare(&args).map(|_| ()),
        Command::Sweep(args) => sweep(&args).map(|_| ()),
        Command::Merge(args) => merge(&args).map(|_| ()),
    }
}

/// `buildout validate`: prints warnings and a one-line description, or the errors.
pub fn validate(path: &std::path::Path) -> Result<(), AppError> {
    let loaded = load_file(path)?;
    eprint!("{}", loaded.warnings);
    let s = &loaded.scenario;
    println!(
        "{}: ok: \"{}\", {} chip types, {} deliveries ({} chips), {} sites, {} regions, {} grid additions, {} shocks, {} to {}",
        path.display(),
        s.name(),
        s.chips().len(),
        s.deliveries().len(),
        format_thousands(s.ordered_chips() as f64),
        s.sites().len(),
        s.regions().len(),
        s.power().len(),
        s.shocks().len(),
        s.start(),
        s.date_of(s.horizon_month())
    );
    Ok(())
}

/// `buildout validate --print`: validates, then prints the resolved scenario as TOML.
pub fn print_resolved(path: &std::path::Path) -> Result<(), AppError> {
    let loaded = load_file(path)?;
    eprint!("{}", loaded.warnings);
    let resolved = crate::io::inherit::resolve_file(path)?;
    print!(
        "# {} resolved by buildout validate --print\n{}",
        path.display(),
        crate::io::inherit::render_toml(&resolved.table)
    );
    Ok(())
}

/// The finished result of `run`, for callers that want the numbers.
pub struct RunOutcome {
    pub out: PathBuf,
    pub summary: Summary,
}

/// Wall time per phase, printed to stderr by `--timings`.
struct Timings {
    enabled: bool,
    lap: Instant,
    phases: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn new(enabled: bool) -> Timings {
        Timings { enabled, lap: Instant::now(), phases: Vec::new() }
    }

    /// Ends the phase called `name` (time since the previous lap).
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.lap));
        self.lap = now;
    }

    fn print(&self) {
        if self.enabled {
            let total: Duration = self.phases.iter().map(|p| p.1).sum();
            let parts: Vec<String> =
                self.phases.iter().map(|(name, d)| format!("{name} {:.3} s", d.as_secs_f64())).collect();
            eprintln!("timings: {}; total {:.3} s", parts.join(", "), total.as_secs_f64());
        }
    }
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
    let aggregate = simulate(scenario, seed, range.clone(), config.threads, &progress);
    progress.finish();
    let aggregate = aggregate?;
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
            scenario_text: crate::io::inherit::render_toml(&crate::io::inherit::resolve_file(&config.scenario)?.table),
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
pub struct OutputFiles {
    /// The scenario file's name, for the charts' source line.
    pub scenario_file: String,
    pub charts: ChartFormats,
    pub report: bool,
}

/// The file name of a path, for source lines.
fn file_name_of(path: &Path) -> String {
    path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Renders and writes every file of a finished Monte Carlo: summary.csv, headline.json,
/// the charts in the chosen formats and report.html. `run` and `merge` both call it, so
/// a merged result is byte for byte what one machine writes.
fn write_outputs(
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
    if files.charts != ChartFormats::None || files.report {
        let data = chart_data(scenario, summary, seed, &files.scenario_file);
        for kind in ChartKind::ALL {
            for &(format, ext) in formats(files.charts) {
                let bytes = render_chart(kind, &data, format)
                    .map_err(|e| AppError::Engine(format!("chart {}: {e}", kind.file_stem())))?;
                staged.write(&format!("{}.{ext}", kind.file_stem()), &bytes)?;
            }
        }
        if files.report {
            let html = render_report(&data, &report_data(scenario, summary))
                .map_err(|e| AppError::Engine(format!("report: {e}")))?;
            staged.write("report.html", html.as_bytes())?;
        }
    }
    timings.lap("render");
    Ok(())
}

/// `buildout merge`: checks that the partials are the shards of one Monte Carlo, then
/// writes what the whole run would have written.
pub fn merge(args: &MergeArgs) -> Result<RunOutcome, AppError> {
    let mut timings = Timings::new(args.timings);
    let refuse = |msg: String| AppError::Usage(format!("cannot merge: {msg}"));
    let mut partials: Vec<(&Path, Partial)> = Vec::new();
    for dir in &args.dirs {
        let partial = read_partial(dir).map_err(|e| refuse(e.to_string()))?;
        partials.push((dir.as_ref(), partial));
    }
    let (first_dir, first) = (partials[0].0, partials[0].1.header.clone());
    for (dir, p) in &partials[1..] {
        let h = &p.header;
        let differs = |what: &str, a: String, b: String| {
            refuse(format!("{} has {what} {b} but {} has {what} {a}", dir.display(), first_dir.display()))
        };
        if h.tool_version != first.tool_version {
            return Err(differs("buildout version", first.tool_version.clone(), h.tool_version.clone()));
        }
        if h.scenario_hash != first.scenario_hash {
            return Err(differs(
                "scenario",
                format!("{:?} ({})", first.scenario, first.scenario_hash),
                format!("{:?} ({})", h.scenario, h.scenario_hash),
            ));
        }
        if h.seed != first.seed {
            return Err(differs("seed", first.seed.to_string(), h.seed.to_string()));
        }
        if h.runs != first.runs {
            return Err(differs("a run count of", first.runs.to_string(), h.runs.to_string()));
        }
        if h.shard.count != first.shard.count {
            return Err(differs("shards out of", first.shard.count.to_string(), h.shard.count.to_string()));
        }
    }
    if first.tool_version != env!("CARGO_PKG_VERSION") {
        return Err(refuse(format!(
            "{} was written by buildout {}; this is buildout {}: rerun the shards with one version",
            first_dir.display(),
            first.tool_version,
            env!("CARGO_PKG_VERSION")
        )));
    }
    let m = first.shard.count;
    for (dir, p) in &partials {
        let sh = p.header.shard;
        if Shard::new(sh.index, sh.count).is_none() {
            return Err(refuse(format!("{}: shard {}/{} is not a shard", dir.display(), sh.index, sh.count)));
        }
    }
    let mut seen: Vec<Option<&Path>> = vec![None; m.min(1 << 20) as usize];
    for (dir, p) in &partials {
        let k = p.header.shard.index;
        let slot =
            seen.get_mut((k - 1) as usize).ok_or_else(|| refuse(format!("{}: bad shard {k}/{m}", dir.display())))?;
        if let Some(other) = slot {
            return Err(refuse(format!("{} and {} are both shard {k}/{m}", other.display(), dir.display())));
        }
        *slot = Some(dir);
    }
    let missing: Vec<String> =
        seen.iter().enumerate().filter(|(_, d)| d.is_none()).map(|(k, _)| format!("{}/{m}", k + 1)).collect();
    if !missing.is_empty() || seen.len() as u64 != m {
        return Err(refuse(format!("shard {} missing: give the folders of all {m} shards", missing.join(", "))));
    }
    let loaded = load_str(Path::new(&first.scenario_file), &first.scenario_text)?;
    let scenario = &loaded.scenario;
    if scenario_hash(scenario) != first.scenario_hash {
        return Err(refuse(format!(
            "{}: the scenario text does not match its hash: the file was edited or written by another build",
            first_dir.display()
        )));
    }
    let mut aggregate = Aggregate::empty(scenario);
    for (dir, p) in &partials {
        let expected = p.header.shard.runs(first.runs);
        let range_ok = p.header.run_range == [expected.start, expected.end];
        if !range_ok || !p.aggregate.fits(scenario) || p.aggregate.runs != expected.end - expected.start {
            return Err(refuse(format!(
                "{}: the partial result does not hold the runs its header names",
                dir.display()
            )));
        }
        if !p.aggregate.is_well_formed() {
            return Err(refuse(format!(
                "{}: the partial result's statistics are out of order: the file was edited or written by \
                 another build; run the shard again",
                dir.display()
            )));
        }
        aggregate.merge(&p.aggregate);
    }
    aggregate.flush();
    timings.lap("load");
    let summary = aggregate.summarize(scenario);
    timings.lap("aggregate");
    let staged = StagedDir::new(&args.out)?;
    let files = OutputFiles {
        scenario_file: file_name_of(Path::new(&first.scenario_file)),
        charts: args.charts,
        report: !args.no_report,
    };
    write_outputs(&staged, scenario, &summary, first.seed, &files, &mut timings)?;
    let out = staged.commit()?;
    timings.lap("write");
    timings.print();
    if !args.quiet {
        print!("{}", human_summary(scenario, &summary, first.seed, &out));
    }
    Ok(RunOutcome { out, summary })
}

/// The chart formats to write for `--charts`, with their file extensions.
fn formats(charts: ChartFormats) -> &'static [(ChartFormat, &'static str)] {
    match charts {
        ChartFormats::None => &[],
        ChartFormats::Png => &[(ChartFormat::Png, "png")],
        ChartFormats::Svg => &[(ChartFormat::Svg, "svg")],
        ChartFormats::All => &[(ChartFormat::Png, "png"), (ChartFormat::Svg, "svg")],
    }
}

/// The short table printed after a run.
pub fn human_summary(scenario: &Scenario, summary: &Summary, seed: u64, out: &std::path::Path) -> String {
    let h = &summary.headline;
    let month = |m: Option<f64>| m.map_or("not reached".to_string(), |m| scenario.date_of(m as u32).to_string());
    let reached = |r: &crate::core::stats::Reached| {
        format!(
            "{} / {} / {}   (reached in {:.0}% of runs)",
            month(r.percentiles[1]),
            month(r.percentiles[3]),
            month(r.percentiles[5]),
            r.reached_share * 100.0
        )
    };
    let mut lines = vec![
        format!(
            "{}: {} runs, seed {seed}, horizon {}",
            scenario.name(),
            summary.runs,
            scenario.date_of(scenario.horizon_month())
        ),
        format!("{:<34} {}", "", "P10 / P50 / P90"),
        format!(
            "{:<34} {} / {} / {}   of {} ordered",
            "operational chips at horizon",
            format_thousands(h.operational_at_horizon.p10()),
            format_thousands(h.operational_at_horizon.p50()),
            format_thousands(h.operational_at_horizon.p90()),
            format_thousands(h.ordered_chips as f64)
        ),
        format!(
            "{:<34} {} / {} / {}",
            "compute at horizon (PFLOP/s)",
            format_thousands(h.compute_pflops_at_horizon.p10()),
            format_thousands(h.compute_pflops_at_horizon.p50()),
            format_thousands(h.compute_pflops_at_horizon.p90())
        ),
        format!("{:<34} {}", "50% of ordered chips operational", reached(&h.month_50pct_operational)),
        format!("{:<34} {}", "90% of ordered chips operational", reached(&h.month_90pct_operational)),
        format!("{:<34} {}", "power first binds", reached(&h.power_first_binds)),
        format!(
            "{:<34} {} / {} / {}",
            "stranded chip-months",
            format_thousands(h.stranded_chip_months.p10()),
            format_thousands(h.stranded_chip_months.p50()),
            format_thousands(h.stranded_chip_months.p90())
        ),
    ];
    if let Some(c) = &h.stranded_capital_usd_months {
        lines.push(format!(
            "{:<34} ${} / ${} / ${}",
            "stranded capital (USD-months)",
            format_compact(c.p10()),
            format_compact(c.p50()),
            format_compact(c.p90())
        ));
    }
    if let Some(t) = &h.target {
        lines.push(format!(
            "{:<34} {:.1}%",
            format!("target {} by {}", format_thousands(t.operational as f64), scenario.date_of(t.by_month)),
            t.probability * 100.0
        ));
    }
    lines.push(format!("written to {}", out.display()));
    lines.join("\n") + "\n"
}

/// Runs one loaded scenario for `compare` or `sweep`.
fn simulate_one(scenario: &Scenario, runs: u64, seed: u64, o: &crate::cli::SimOptions) -> Result<Summary, AppError> {
    let progress = RunProgress::new(runs, o.quiet, &STOP);
    progress.set_message(scenario.name().to_string());
    let aggregate = simulate(scenario, seed, 0..runs, o.threads, &progress);
    progress.finish();
    Ok(aggregate?.summarize(scenario))
}

/// `buildout compare`: every scenario with the same seed and run count (common random
/// numbers), then compare.csv, compare.json, compare.html and overlay charts.
pub fn compare(args: &crate::cli::CompareArgs) -> Result<PathBuf, AppError> {
    use crate::io::compare::*;
    let o = &args.options;
    o.check()?;
    let loaded = args.scenarios.iter().map(|p| load_file(p)).collect::<Result<Vec<_>, _>>()?;
    let Some(first) = loaded.first() else {
        return Err(AppError::Usage("compare needs at least two scenario files".into()));
    };
    let runs = o.runs.unwrap_or(first.scenario.default_runs());
    let seed = o.seed.unwrap_or(first.scenario.default_seed());
    let staged = StagedDir::new(&args.out())?;
    let mut summaries = Vec::new();
    for l in &loaded {
        if !o.quiet {
            eprint!("{}", l.warnings);
        }
        summaries.push(simulate_one(&l.scenario, runs, seed, o)?);
    }
    let stems: Vec<String> = args
        .scenarios
        .iter()
        .map(|p| p.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned()))
        .collect();
    let items: Vec<Compared<'_>> = unique_labels(&stems)
        .into_iter()
        .zip(&loaded)
        .zip(&summaries)
        .map(|((label, l), summary)| Compared {
            label,
            file: l.path.display().to_string(),
            scenario: &l.scenario,
            summary,
        })
        .collect();
    staged.write("compare.csv", render_compare_csv(&items).as_bytes())?;
    staged.write("compare.json", render_compare_json(&items, seed).as_bytes())?;
    let charts_svg = write_compare_charts(&staged, &items, seed, o.charts)?;
    staged.write("compare.html", render_compare_html(&items, seed, &charts_svg).as_bytes())?;
    let out = staged.commit()?;
    if !o.quiet {
        let mut text = format!("compare: {} runs each, seed {seed}\n", format_thousands(runs as f64));
        for c in &items {
            let h = &c.summary.headline;
            text.push_str(&format!(
                "{:<24} operational at horizon P10/P50/P90 {} / {} / {}\n  {}\n",
                c.label,
                format_thousands(h.operational_at_horizon.p10()),
                format_thousands(h.operational_at_horizon.p50()),
                format_thousands(h.operational_at_horizon.p90()),
                binding_sentence(c)
            ));
        }
        text.push_str(&format!("written to {}\n", out.display()));
        print!("{text}");
    }
    Ok(out)
}

/// Renders the overlay charts, writes them in the `--charts` formats, and returns
/// (caption, SVG) of each for compare.html.
fn write_compare_charts(
    staged: &StagedDir,
    items: &[crate::io::compare::Compared<'_>],
    seed: u64,
    charts: ChartFormats,
) -> Result<Vec<(String, String)>, AppError> {
    use crate::io::compare_charts::{compare_data, render_compare_chart, CompareKind};
    let data = compare_data(items, seed);
    let mut svgs = Vec::new();
    for kind in CompareKind::ALL {
        let err = |e: crate::io::charts::ChartError| AppError::Engine(format!("chart {}: {e}", kind.file_stem()));
        let mut svg = None;
        for &(format, ext) in formats(charts) {
            if let Some(bytes) = render_compare_chart(kind, &data, format).map_err(err)? {
                staged.write(&format!("{}.{ext}", kind.file_stem()), &bytes)?;
                if format == ChartFormat::Svg {
                    svg = Some(bytes);
                }
            }
        }
        // compare.html inlines every chart, also when no SVG files are written.
        if svg.is_none() {
            svg = render_compare_chart(kind, &data, ChartFormat::Svg).map_err(err)?;
        }
        if let Some(svg) = svg {
            svgs.push((kind.title().to_string(), String::from_utf8_lossy(&svg).into_owned()));
        }
    }
    Ok(svgs)
}

/// `buildout sweep`: the scenario once per value of one key (same seed and runs), then
/// sweep.csv and a chart of a headline figure against the value.
pub fn sweep(args: &crate::cli::SweepArgs) -> Result<PathBuf, AppError> {
    use crate::io::sweep::*;
    let o = &args.options;
    o.check()?;
    let set = parse_set(&args.set).map_err(AppError::Usage)?;
    let base = load_file(&args.scenario)?;
    let resolved = crate::io::inherit::resolve_file(&args.scenario)?;
    let runs = o.runs.unwrap_or(base.scenario.default_runs());
    let seed = o.seed.unwrap_or(base.scenario.default_seed());
    let mut variants = Vec::new();
    for (text, value) in &set.values {
        let mut table = resolved.table.clone();
        apply(&mut table, &set, value).map_err(AppError::Usage)?;
        let label = PathBuf::from(format!("{} [--set {}={text}]", args.scenario.display(), set.path_text()));
        let loaded = crate::io::scenario_file::load_str(&label, &crate::io::inherit::render_toml(&table))?;
        variants.push((text.clone(), loaded));
    }
    let staged = StagedDir::new(&args.out())?;
    let mut summaries = Vec::new();
    for (_, l) in &variants {
        summaries.push(simulate_one(&l.scenario, runs, seed, o)?);
    }
    let rows: Vec<(String, &Scenario, &Summary)> =
        variants.iter().zip(&summaries).map(|((v, l), s)| (v.clone(), &l.scenario, s)).collect();
    staged.write("sweep.csv", render_sweep_csv(&rows).as_bytes())?;
    if o.charts != ChartFormats::None {
        use crate::io::compare_charts::{render_sweep_chart, SweepChartData, SweepPoint};
        let number = |v: &toml::Value| match v {
            toml::Value::Integer(i) => Some(*i as f64),
            toml::Value::Float(f) => Some(*f),
            _ => None,
        };
        let data = SweepChartData {
            path: set.path_text(),
            scenario_name: base.scenario.name().to_string(),
            scenario_file: args.scenario.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            runs,
            seed,
            points: set
                .values
                .iter()
                .zip(&rows)
                .map(|((text, value), (_, scenario, summary))| {
                    let h = &summary.headline;
                    SweepPoint {
                        label: text.clone(),
                        number: number(value),
                        operational: (
                            h.operational_at_horizon.p10(),
                            h.operational_at_horizon.p50(),
                            h.operational_at_horizon.p90(),
                        ),
                        ordered: h.ordered_chips as f64,
                        horizon: scenario.date_of(scenario.horizon_month()).to_string(),
                    }
                })
                .collect(),
        };
        for &(format, ext) in formats(o.charts) {
            let bytes = render_sweep_chart(&data, format).map_err(|e| AppError::Engine(format!("chart sweep: {e}")))?;
            staged.write(&format!("sweep.{ext}"), &bytes)?;
        }
    }
    let out = staged.commit()?;
    if !o.quiet {
        let mut text = format!("sweep {}: {} runs each, seed {seed}\n", set.path_text(), format_thousands(runs as f64));
        text.push_str(&format!("{:<16} operational at horizon P10 / P50 / P90\n", "value"));
        for (v, _, s) in &rows {
            let h = &s.headline.operational_at_horizon;
            text.push_str(&format!(
                "{v:<16} {} / {} / {}\n",
                format_thousands(h.p10()),
                format_thousands(h.p50()),
                format_thousands(h.p90())
            ));
        }
        text.push_str(&format!("written to {}\n", out.display()));
        print!("{text}");
    }
    Ok(out)
}
