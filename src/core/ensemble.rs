//! The Monte Carlo: the one place with parallelism. A rayon map over fixed chunks of run
//! indices, each folded into an `Aggregate`; chunks merge exactly, so results do not
//! depend on thread count or scheduling.

use super::run::{run_with, NoTrace, Workspace};
use super::scenario::Scenario;
use super::stats::Aggregate;
use rayon::prelude::*;
use std::ops::Range;

/// Runs per chunk: the unit of parallel work and of interruption checks.
pub const CHUNK_RUNS: u64 = 64;

/// How a Monte Carlo reports progress and learns it should stop. Implemented at the edge
/// (a progress bar, a signal flag); the core never prints.
pub trait Progress: Sync {
    /// `n` more runs are done.
    fn runs_done(&self, n: u64);
    /// Whether the user asked to stop.
    fn should_stop(&self) -> bool {
        false
    }
}

/// Reports nothing and never stops.
pub struct Silent;
impl Progress for Silent {
    fn runs_done(&self, _: u64) {}
}

/// Why a Monte Carlo did not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnsembleError {
    #[error("interrupted before all runs finished")]
    Interrupted,
    #[error("could not start {threads} worker threads: {reason}")]
    ThreadPool { threads: usize, reason: String },
}

/// Runs `runs` (a range of run indices) of `scenario` with master seed `seed` on
/// `threads` threads (`None`: one per core).
pub fn simulate(
    scenario: &Scenario,
    seed: u64,
    runs: Range<u64>,
    threads: Option<usize>,
    progress: &dyn Progress,
) -> Result<Aggregate, EnsembleError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        builder = builder.num_threads(t);
    }
    let pool = builder
        .build()
        .map_err(|e| EnsembleError::ThreadPool { threads: threads.unwrap_or(0), reason: e.to_string() })?;
    let first_chunk = runs.start / CHUNK_RUNS;
    let last_chunk = runs.end.div_ceil(CHUNK_RUNS);
    let result = pool.install(|| {
        (first_chunk..last_chunk)
            .into_par_iter()
            .map_init(Workspace::default, |ws, chunk| {
                let lo = (chunk * CHUNK_RUNS).max(runs.start);
                let hi = ((chunk + 1) * CHUNK_RUNS).min(runs.end);
                let mut agg = Aggregate::empty(scenario);
                for run in lo..hi {
                    if progress.should_stop() {
                        return None;
                    }
                    let record = run_with(scenario, seed, run, ws, &mut NoTrace);
                    agg.add_run(scenario, &record);
                    progress.runs_done(1);
                }
                Some(agg)
            })
            .try_reduce(
                || Aggregate::empty(scenario),
                |mut a, b| {
                    a.merge(&b);
                    Some(a)
                },
            )
    });
    result.ok_or(EnsembleError::Interrupted)
}
