//! The command line: clap types, and raw flags turned into a checked `RunConfig`.

use crate::core::ensemble::Shard;
use crate::core::validate::MAX_RUNS;
use crate::error::AppError;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// buildout: when will the AI chips we bought actually run, what holds them back, and how
/// dependent on foreign suppliers will we be?
#[derive(Debug, Parser)]
#[command(name = "buildout", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Monte Carlo and write summary.csv and headline.json.
    Run(RunArgs),
    /// Check a scenario file and print its problems and warnings.
    Validate(ValidateArgs),
    /// Combine the partial.json files of `run --shard` into the files one run writes.
    Merge(MergeArgs),
}

/// Options of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Number of runs (default: the scenario's `runs`, else 10,000).
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed (default: the scenario's `seed`, else 42).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output folder (default: output/<scenario file stem>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// No progress bar and no summary table.
    #[arg(long)]
    pub quiet: bool,
    /// Also write trace-I.csv: every event of run I with the state after it.
    #[arg(long, value_name = "I")]
    pub trace: Option<u64>,
    /// Run only shard K of M (1 <= K <= M) of the run indices and write partial.json,
    /// for `buildout merge` (default --out: output/<stem>.shard-K-of-M/).
    #[arg(long, value_name = "K/M", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Print where the time went (load, simulate, aggregate, render, write) to stderr.
    #[arg(long)]
    pub timings: bool,
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
}

/// A checked run request.
#[derive(Debug, Clone)]
pub struct RunConfig {
    pub scenario: PathBuf,
    pub runs: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub out: PathBuf,
    pub quiet: bool,
    pub trace: Option<u64>,
    pub shard: Option<Shard>,
    pub timings: bool,
}

/// Most worker threads accepted.
pub const MAX_THREADS: usize = 1024;

impl RunArgs {
    /// Checks ranges and fills the default output folder.
    pub fn into_config(self) -> Result<RunConfig, AppError> {
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
        let out = self.out.unwrap_or_else(|| {
            let stem =
                self.scenario.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
            match self.shard {
                // A partial must not replace the folder a whole run writes.
                Some(sh) => PathBuf::from("output").join(format!("{stem}.shard-{}-of-{}", sh.index, sh.count)),
                None => PathBuf::from("output").join(stem),
            }
        });
        if self.shard.is_some() && self.trace.is_some() {
            return Err(AppError::Usage("--trace and --shard do not mix: trace a run without --shard".into()));
        }
        Ok(RunConfig {
            scenario: self.scenario,
            runs: self.runs,
            seed: self.seed,
            threads: self.threads,
            out,
            quiet: self.quiet,
            trace: self.trace,
            shard: self.shard,
            timings: self.timings,
        })
    }
}
