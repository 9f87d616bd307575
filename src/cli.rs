//! The command line: clap types, and raw flags turned into a checked `RunConfig`.

use crate::core::ensemble::Shard;
use crate::core::stable::Tolerance;
use crate::core::validate::MAX_RUNS;
use crate::error::AppError;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// buildout: when will the AI chips we bought actually run, what holds them back, and how
/// dependent on foreign suppliers will we be?
#[derive(Debug, Parser)]
#[command(name = "buildout", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Monte Carlo; write summary.csv, headline.json, charts and report.html.
    Run(RunArgs),
    /// Check a scenario file and print its problems and warnings.
    Validate(ValidateArgs),
    /// Run several scenarios with the same seed and runs; write compare.csv/json/html and charts.
    Compare(CompareArgs),
    /// Run one scenario for each value of one key; write sweep.csv and a chart.
    Sweep(SweepArgs),
    /// Pin each uncertain input at its P10, then its P90 (every other input as drawn);
    /// write swing.csv and a swing chart of the change in each headline figure.
    Sensitivity(SensitivityArgs),
    /// Combine the partial.json files of `run --shard` into the files one run writes.
    Merge(MergeArgs),
    /// Print the JSON Schema of the scenario format (as in schema/scenario.schema.json).
    Schema,
    /// Write a commented starter scenario with every section and key.
    New(NewArgs),
}

/// Options of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The file to write: NAME writes NAME.toml; a path ending in .toml is used as is.
    /// An existing file is never overwritten.
    pub name: PathBuf,
}

/// Options of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// The Monte Carlo options shared by `run`, `compare` and `sweep`.
    #[command(flatten)]
    pub options: SimOptions,
    /// Also write trace-I.csv: every event of run I with the state after it.
    #[arg(long, value_name = "I")]
    pub trace: Option<u64>,
    /// Do not write report.html.
    #[arg(long)]
    pub no_report: bool,
    /// Run only shard K of M (1 <= K <= M) of the run indices and write partial.json,
    /// for `buildout merge` (default --out: output/<stem>.shard-K-of-M/).
    #[arg(long, value_name = "K/M", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Print where the time went (load, simulate, aggregate, render, write) to stderr.
    #[arg(long)]
    pub timings: bool,
    /// Also write runs.csv: one row per run, its drawn inputs and headline outputs
    /// (with --shard, the shard's runs; `merge` joins them).
    #[arg(long)]
    pub per_run: bool,
    /// Add runs in batches (the first of --runs or 1,000, then half the runs so far
    /// each) until every headline figure's 95% interval is within --tolerance.
    #[arg(long)]
    pub until_stable: bool,
    /// Half-widths the 95% intervals must reach with --until-stable, any of
    /// months=M,probability=P,chips=C (P and C as fractions or with %; default
    /// months=1,probability=0.01,chips=0.005).
    #[arg(long, value_name = "LIST", value_parser = parse_tolerance, requires = "until_stable")]
    pub tolerance: Option<Tolerance>,
    /// Most runs --until-stable does before it stops anyway (default 1,000,000).
    #[arg(long, value_name = "N", requires = "until_stable")]
    pub max_runs: Option<u64>,
}

/// Reads `--tolerance`: comma-separated `key=value` with keys months, probability and
/// chips; a value is a positive number, probability and chips also as a percentage
/// (`1%`). Keys left out keep their defaults.
pub fn parse_tolerance(text: &str) -> Result<Tolerance, String> {
    let mut tol = Tolerance::default();
    let keys = "months, probability or chips";
    for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (key, value) = item
            .split_once('=')
            .ok_or_else(|| format!("`{item}` is not key=value: give e.g. months=1,probability=0.01,chips=0.005"))?;
        let (key, value) = (key.trim(), value.trim());
        let (number, percent) = match value.strip_suffix('%') {
            Some(n) if key != "months" => (n.trim(), true),
            Some(_) => return Err(format!("months={value}: give a number of months, without %")),
            None => (value, false),
        };
        let v = number
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v > 0.0)
            .ok_or_else(|| format!("{key}={value} is not a tolerance: give a positive number"))?;
        let v = if percent { v / 100.0 } else { v };
        match key {
            "months" => tol.months = v,
            "probability" if v < 1.0 => tol.probability = v,
            "probability" => {
                return Err(format!("probability={value} is 100% or more: give a share below 1, e.g. 0.01 or 1%"))
            }
            "chips" => tol.chips = v,
            _ => return Err(format!("`{key}` is not a tolerance: give {keys}")),
        }
    }
    Ok(tol)
}

/// `--charts`: which chart formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartFormats {
    /// No chart files.
    None,
    /// PNG only (1600x900, for slides).
    Png,
    /// SVG only (for print).
    Svg,
    /// PNG and SVG.
    All,
}

/// Options of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Output folders of `run --shard K/M`, one per shard, in any order.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Where to write summary.csv and headline.json.
    #[arg(long)]
    pub out: PathBuf,
    /// No summary table.
    #[arg(long)]
    pub quiet: bool,
    /// Print where the time went to stderr.
    #[arg(long)]
    pub timings: bool,
    /// Which chart files to write (as for `run`).
    #[arg(long, value_enum, default_value_t = ChartFormats::All)]
    pub charts: ChartFormats,
    /// Do not write report.html.
    #[arg(long)]
    pub no_report: bool,
}

/// Reads `K/M` with 1 <= K <= M.
fn parse_shard(text: &str) -> Result<Shard, String> {
    let usage = || format!("`{text}` is not a shard: give K/M with 1 <= K <= M, e.g. 2/4");
    let (k, m) = text.split_once('/').ok_or_else(usage)?;
    let (k, m) = (k.trim().parse::<u64>().map_err(|_| usage())?, m.trim().parse::<u64>().map_err(|_| usage())?);
    Shard::new(k, m).ok_or_else(usage)
}

/// Options of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Print the fully resolved scenario (every `extends` merged in) as TOML.
    #[arg(long)]
    pub print: bool,
}

/// A checked run request.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The scenario file.
    pub scenario: PathBuf,
    /// `--runs`, else the scenario's `runs`.
    pub runs: Option<u64>,
    /// `--seed`, else the scenario's `seed`.
    pub seed: Option<u64>,
    /// `--threads`, else every core.
    pub threads: Option<usize>,
    /// The output folder.
    pub out: PathBuf,
    /// No progress bar and no summary.
    pub quiet: bool,
    /// The run whose events to write as `trace-I.csv`.
    pub trace: Option<u64>,
    /// Which chart formats to write.
    pub charts: ChartFormats,
    /// Whether to write `report.html`.
    pub report: bool,
    /// Run only this shard and write `partial.json`.
    pub shard: Option<Shard>,
    /// Print the time of each phase.
    pub timings: bool,
    /// Whether to write `runs.csv`.
    pub per_run: bool,
    /// `--until-stable`: the tolerances and the cap on runs.
    pub until_stable: Option<UntilStable>,
}

/// What `--until-stable` asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UntilStable {
    /// The half-widths to reach.
    pub tolerance: Tolerance,
    /// The cap on runs.
    pub max_runs: u64,
}

/// The default cap of `--until-stable`.
pub const DEFAULT_MAX_STABLE_RUNS: u64 = 1_000_000;

/// Most worker threads accepted.
pub const MAX_THREADS: usize = 1024;

/// The output folder when `--out` is not given: output/<scenario file stem>/.
pub fn default_out(scenario: &std::path::Path) -> PathBuf {
    PathBuf::from("output").join(stem_of(scenario))
}

impl RunArgs {
    /// Checks ranges and fills the default output folder.
    pub fn into_config(self) -> Result<RunConfig, AppError> {
        self.options.check()?;
        let out = self.options.out.clone().unwrap_or_else(|| match self.shard {
            // A partial must not replace the folder a whole run writes.
            Some(sh) => {
                PathBuf::from("output").join(format!("{}.shard-{}-of-{}", stem_of(&self.scenario), sh.index, sh.count))
            }
            None => default_out(&self.scenario),
        });
        if self.shard.is_some() && self.trace.is_some() {
            return Err(AppError::Usage("--trace and --shard do not mix: trace a run without --shard".into()));
        }
        if self.until_stable && self.shard.is_some() {
            return Err(AppError::Usage(
                "--until-stable and --shard do not mix: a shard cannot see the other shards' runs; \
                 run --until-stable on one machine, or give --runs to every shard"
                    .into(),
            ));
        }
        let max_runs = self.max_runs.unwrap_or(DEFAULT_MAX_STABLE_RUNS);
        if max_runs == 0 || max_runs > MAX_RUNS {
            return Err(AppError::Usage(format!("--max-runs {max_runs} is out of range: give 1 to {MAX_RUNS}")));
        }
        if let (Some(r), true) = (self.options.runs, self.until_stable) {
            if r > max_runs {
                return Err(AppError::Usage(format!(
                    "--runs {r} (the first batch of --until-stable) is above --max-runs {max_runs}"
                )));
            }
        }
        let until_stable =
            self.until_stable.then(|| UntilStable { tolerance: self.tolerance.unwrap_or_default(), max_runs });
        Ok(RunConfig {
            scenario: self.scenario,
            runs: self.options.runs,
            seed: self.options.seed,
            threads: self.options.threads,
            out,
            quiet: self.options.quiet,
            trace: self.trace,
            charts: self.options.charts,
            report: !self.no_report,
            shard: self.shard,
            timings: self.timings,
            per_run: self.per_run,
            until_stable,
        })
    }
}

/// The Monte Carlo options of `run`, `compare` and `sweep`.
#[derive(Debug, Clone, Args)]
pub struct SimOptions {
    /// Number of runs per scenario (default: the (first) scenario's `runs`, else 10,000).
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed, the same for every scenario (default: the (first) scenario's `seed`, else 42).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output folder (default: output/<scenario file stem>/, or a name built from the stems).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// No progress bar and no summary table.
    #[arg(long)]
    pub quiet: bool,
    /// Which chart files to write.
    #[arg(long, value_enum, default_value_t = ChartFormats::All)]
    pub charts: ChartFormats,
}

impl SimOptions {
    /// Checks the ranges of `--runs` and `--threads`.
    pub fn check(&self) -> Result<(), AppError> {
        if let Some(r) = self.runs {
            if r == 0 || r > MAX_RUNS {
                return Err(AppError::Usage(format!("--runs {r} is out of range: give 1 to {MAX_RUNS}")));
            }
        }
        if let Some(t) = self.threads {
            if t == 0 || t > MAX_THREADS {
                return Err(AppError::Usage(format!("--threads {t} is out of range: give 1 to {MAX_THREADS}")));
            }
        }
        Ok(())
    }
}

fn stem_of(path: &std::path::Path) -> String {
    path.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
}

/// Options of `compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Two or more scenario files (TOML).
    #[arg(num_args = 2.., required = true)]
    pub scenarios: Vec<PathBuf>,
    /// The Monte Carlo options shared by `run`, `compare` and `sweep`.
    #[command(flatten)]
    pub options: SimOptions,
}

impl CompareArgs {
    /// The output folder: `--out`, else `output/compare-<stemA>-vs-<stemB>...`.
    pub fn out(&self) -> PathBuf {
        self.options.out.clone().unwrap_or_else(|| {
            let stems: Vec<String> = self.scenarios.iter().map(|p| stem_of(p)).collect();
            PathBuf::from("output").join(format!("compare-{}", stems.join("-vs-")))
        })
    }
}

/// Options of `sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// One key path and the values to try: 'deliveries."Naver lot 1".count=5000,10000,20000'.
    /// PATH is scenario.KEY, allocation.KEY, target.KEY, chips.ID.KEY or
    /// SECTION."NAME".KEY for regions, power, sites, deliveries and shocks, and may go
    /// into a distribution: 'power."Capital substation 2".delay_months.median=3,6,12'.
    /// Every key of docs/scenario-format.md can be swept (numbers, dates, names, tables).
    #[arg(long, value_name = "PATH=V1,V2,...")]
    pub set: String,
    /// The headline figure the chart draws (sweep.csv has them all):
    /// operational_at_horizon (default), compute_pflops_at_horizon,
    /// month_50pct_operational, month_90pct_operational, power_first_binds,
    /// chips_to_power, stranded_chip_months, energy_twh_last_12_months, electricity_usd_last_12_months,
    /// capex_usd_at_horizon, usd_per_pflops_year, target; or the start of one
    /// (month_50pct, target).
    #[arg(long, value_name = "FIGURE", default_value = "operational_at_horizon")]
    pub metric: String,
    /// The Monte Carlo options shared by `run`, `compare` and `sweep`.
    #[command(flatten)]
    pub options: SimOptions,
}

/// Options of `sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// The headline figure the swing chart draws (swing.csv has them all); the same
    /// names as `sweep --metric`.
    #[arg(long, value_name = "FIGURE", default_value = "operational_at_horizon")]
    pub metric: String,
    /// The Monte Carlo options shared by `run`, `compare` and `sweep`; here `--runs` is
    /// per pinned input and defaults to 1,000 (2 x inputs + 1 Monte Carlos are run).
    #[command(flatten)]
    pub options: SimOptions,
}

impl SensitivityArgs {
    /// The output folder: `--out`, else `output/sensitivity-<stem>`.
    pub fn out(&self) -> PathBuf {
        self.options
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("output").join(format!("sensitivity-{}", stem_of(&self.scenario))))
    }
}

impl SweepArgs {
    /// The output folder: `--out`, else `output/sweep-<stem>`.
    pub fn out(&self) -> PathBuf {
        self.options
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("output").join(format!("sweep-{}", stem_of(&self.scenario))))
    }
}
