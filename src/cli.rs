//! The command line: clap types, and raw flags turned into a checked `RunConfig`.

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
    pub scenario: PathBuf,
    pub runs: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub out: PathBuf,
    pub quiet: bool,
    pub trace: Option<u64>,
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
            PathBuf::from("output").join(stem)
        });
        Ok(RunConfig {
            scenario: self.scenario,
            runs: self.runs,
            seed: self.seed,
            threads: self.threads,
            out,
            quiet: self.quiet,
            trace: self.trace,
        })
    }
}
