//! Errors the application reports, each mapped to an exit status: 2 for bad input, 1 for
//! failures while running or writing, 130 for an interrupted run.

use crate::core::ensemble::EnsembleError;
use crate::io::output::OutputError;
use crate::io::scenario::ScenarioFileError;

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The scenario file is unusable; the message names file, line and column.
    #[error("{0}")]
    Scenario(#[from] ScenarioFileError),
    /// A command-line value is out of range.
    #[error("error: {0}")]
    Usage(String),
    /// Output could not be written; the previous output folder is unchanged.
    #[error("error: {0}\nThe previous output folder, if any, is unchanged.")]
    Output(#[from] OutputError),
    /// The user interrupted the run.
    #[error("interrupted: no output was written; the previous output folder, if any, is unchanged")]
    Interrupted,
    /// The worker threads could not start.
    #[error("error: {0}")]
    Engine(String),
}

impl From<EnsembleError> for AppError {
    fn from(e: EnsembleError) -> Self {
        match e {
            EnsembleError::Interrupted => AppError::Interrupted,
            other => AppError::Engine(other.to_string()),
        }
    }
}

impl AppError {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Scenario(_) | AppError::Usage(_) => 2,
            AppError::Output(_) | AppError::Engine(_) => 1,
            AppError::Interrupted => 130,
        }
    }
}
