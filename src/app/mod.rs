//! The one place where core and edges meet: each command is wired here from the core
//! (simulation, statistics) and the edges (scenario files, tables, charts, pages, output
//! folders). `run.rs` runs one scenario and writes its files, `merge.rs` combines shards,
//! `studies.rs` runs `compare` and `sweep`.

mod merge;
mod run;
mod studies;

pub use merge::merge;
pub use run::{run, RunOutcome};
pub use studies::{compare, sweep};

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

/// The chart formats to write for `--charts`, with their file extensions.
pub(crate) fn formats(charts: ChartFormats) -> &'static [(ChartFormat, &'static str)] {
    match charts {
        ChartFormats::None => &[],
        ChartFormats::Png => &[(ChartFormat::Png, "png")],
        ChartFormats::Svg => &[(ChartFormat::Svg, "svg")],
        ChartFormats::All => &[(ChartFormat::Png, "png"), (ChartFormat::Svg, "svg")],
    }
}
