//! The one place where core and edges meet: each command is wired here from the core
//! (simulation, statistics) and the edges (scenario files, tables, charts, pages, output
//! folders). `run.rs` runs one scenario and writes its files, `merge.rs` combines shards,
//! `studies.rs` runs `compare`, `sweep` and `sensitivity`.

mod merge;
mod run;
mod studies;

pub use merge::merge;
pub use run::{run, RunOutcome};
pub use studies::{compare, sensitivity, sweep};

use crate::cli::{ChartFormats, Cli, Command};
use crate::error::AppError;
use crate::io::chart::ChartFormat;
use crate::io::format::format_thousands;
use crate::io::scenario::load_file;
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
        Command::Sensitivity(args) => sensitivity(&args).map(|_| ()),
        Command::Merge(args) => merge(&args).map(|_| ()),
        Command::Schema => {
            print!("{}", crate::io::scenario::reference::render_schema());
            Ok(())
        }
        Command::New(args) => new_scenario(&args.name),
    }
}

/// `buildout new NAME`: writes the starter scenario to NAME.toml (or NAME, when it ends
/// in `.toml`), never over an existing file.
pub fn new_scenario(name: &std::path::Path) -> Result<(), AppError> {
    let path = if name.extension().is_some_and(|e| e == "toml") {
        name.to_path_buf()
    } else {
        let mut p = name.as_os_str().to_os_string();
        p.push(".toml");
        std::path::PathBuf::from(p)
    };
    let title = path.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
    let text = crate::io::scenario::reference::render_starter(&title);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    match written {
        Ok(()) => {
            println!(
                "wrote {0}: check it with `buildout validate {0}`, run it with `buildout run {0}`",
                path.display()
            );
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(AppError::Usage(format!(
            "{} already exists: `buildout new` never overwrites a file; choose another name or move the file away",
            path.display()
        ))),
        Err(source) => Err(AppError::Output(crate::io::output::OutputError::Io { path, source })),
    }
}

/// `buildout validate`: prints warnings and a one-line description, or the errors; for a
/// file with `extends`, then one line per inherited item it changes, replaces, removes or
/// adds.
pub fn validate(path: &std::path::Path) -> Result<(), AppError> {
    let loaded = load_file(path)?;
    eprint!("{}", loaded.warnings);
    let s = &loaded.scenario;
    // "1 chip type", "2 chip types": counts as a reader says them.
    let n = |count: usize, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
    println!(
        "{}: ok: \"{}\", {}, {} ({} chips), {}, {}, {}, {}, {} to {}",
        path.display(),
        s.name(),
        n(s.chips().len(), "chip type", "chip types"),
        n(s.deliveries().len(), "delivery", "deliveries"),
        format_thousands(s.ordered_chips() as f64),
        n(s.sites().len(), "site", "sites"),
        n(s.regions().len(), "region", "regions"),
        n(s.power().len(), "grid addition", "grid additions"),
        n(s.shocks().len(), "shock", "shocks"),
        s.start(),
        s.date_of(s.horizon_month())
    );
    for change in &loaded.changes {
        println!("  {change}");
    }
    Ok(())
}

/// `buildout validate --print`: validates, then prints the resolved scenario as TOML.
pub fn print_resolved(path: &std::path::Path) -> Result<(), AppError> {
    let loaded = load_file(path)?;
    eprint!("{}", loaded.warnings);
    let resolved = crate::io::scenario::resolve_file(path)?;
    print!(
        "# {} resolved by buildout validate --print\n{}",
        path.display(),
        crate::io::scenario::render_toml(&resolved.table)
    );
    Ok(())
}

/// Wall time per phase, printed to stderr by `--timings`.
pub(crate) struct Timings {
    enabled: bool,
    lap: Instant,
    phases: Vec<(&'static str, Duration)>,
}

impl Timings {
    pub(crate) fn new(enabled: bool) -> Timings {
        Timings { enabled, lap: Instant::now(), phases: Vec::new() }
    }

    /// Ends the phase called `name` (time since the previous lap).
    pub(crate) fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.lap));
        self.lap = now;
    }

    pub(crate) fn print(&self) {
        if self.enabled {
            let total: Duration = self.phases.iter().map(|p| p.1).sum();
            let parts: Vec<String> =
                self.phases.iter().map(|(name, d)| format!("{name} {:.3} s", d.as_secs_f64())).collect();
            eprintln!("timings: {}; total {:.3} s", parts.join(", "), total.as_secs_f64());
        }
    }
}

/// Writes each chart of `kinds` as `STEM.png`/`STEM.svg` in the `--charts` formats and,
/// when `want_svg`, returns (chart, SVG text) for a page: the SVG written to the file, or
/// rendered once for the page alone when no SVG file is written. `render` gives `None`
/// for a chart that does not apply (nothing is written for it, and it is left out).
/// Every chart's formats are rendered in parallel on `threads` threads (`--threads`,
/// else every core; charts are independent, and rasterising and compressing PNGs is
/// most of a run's writing time), then written in the order given, so the files and
/// the result are the same on any number of threads.
pub(crate) fn write_charts<K: Copy + Send + Sync>(
    staged: &crate::io::output::StagedDir,
    kinds: &[K],
    stem: impl Fn(K) -> &'static str,
    charts: ChartFormats,
    want_svg: bool,
    threads: Option<usize>,
    render: impl Fn(K, ChartFormat) -> Result<Option<Vec<u8>>, crate::io::chart::ChartError> + Sync,
) -> Result<Vec<(K, String)>, AppError> {
    use rayon::prelude::*;
    let files = formats(charts);
    // Each chart renders its file formats, plus an SVG for the page when none is written.
    let mut per_chart: Vec<ChartFormat> = files.iter().map(|&(format, _)| format).collect();
    if want_svg && !per_chart.contains(&ChartFormat::Svg) {
        per_chart.push(ChartFormat::Svg);
    }
    let jobs: Vec<(K, ChartFormat)> =
        kinds.iter().flat_map(|&kind| per_chart.iter().map(move |&format| (kind, format))).collect();
    let render_all = || jobs.par_iter().map(|&(kind, format)| render(kind, format)).collect::<Vec<_>>();
    let rendered = match threads.map(|t| rayon::ThreadPoolBuilder::new().num_threads(t).build()) {
        Some(Ok(pool)) => pool.install(render_all),
        // The system would not give the threads: render one chart after another here.
        Some(Err(_)) => jobs.iter().map(|&(kind, format)| render(kind, format)).collect(),
        None => render_all(),
    };
    let mut svgs = Vec::new();
    for (&kind, chart) in kinds.iter().zip(rendered.chunks(per_chart.len().max(1))) {
        let stem = stem(kind);
        let mut svg = None;
        for (&format, bytes) in per_chart.iter().zip(chart) {
            let bytes = bytes.as_ref().map_err(|e| AppError::Engine(format!("chart {stem}: {e}")))?;
            let Some(bytes) = bytes else { continue };
            if let Some(&(_, ext)) = files.iter().find(|&&(f, _)| f == format) {
                staged.write(&format!("{stem}.{ext}"), bytes)?;
            }
            if format == ChartFormat::Svg && want_svg {
                svg = Some(String::from_utf8_lossy(bytes).into_owned());
            }
        }
        if let Some(svg) = svg {
            svgs.push((kind, svg));
        }
    }
    Ok(svgs)
}

/// The chart formats to write for `--charts`, with their file extensions.
pub(crate) fn formats(charts: ChartFormats) -> &'static [(ChartFormat, &'static str)] {
    match charts {
        ChartFormats::None => &[],
        ChartFormats::Png => &[(ChartFormat::Png, "png")],
        ChartFormats::Svg => &[(ChartFormat::Svg, "svg")],
        ChartFormats::All => &[(ChartFormat::Png, "png"), (ChartFormat::Svg, "svg")],
    }
}
