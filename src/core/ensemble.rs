//! The Monte Carlo: the one place with parallelism. Fixed chunks of run indices are
//! folded by rayon workers into running `Aggregate`s that merge exactly, so results do
//! not depend on thread count, scheduling or how runs are split into shards.

use super::run::{run_into, NoTrace, RunRecord, Workspace};
use super::scenario::Scenario;
use super::stats::Aggregate;
use rayon::prelude::*;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

/// Runs per chunk: the unit of parallel work and of interruption checks.
pub const CHUNK_RUNS: u64 = 64;

/// Shard `index` of `count` (1-based): a fixed share of a Monte Carlo's chunks, so
/// machines of a cluster can each run one and `merge` their partial results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1.
    pub index: u64,
    /// How many shards the Monte Carlo is split into.
    pub count: u64,
}

impl Shard {
    /// Shard `index` of `count`, when 1 <= index <= count.
    pub fn new(index: u64, count: u64) -> Option<Shard> {
        (index >= 1 && index <= count).then_some(Shard { index, count })
    }

    /// The run indices of this shard among `runs` runs: chunks of `CHUNK_RUNS` runs are
    /// dealt out in contiguous blocks, chunk c going to shard floor(c x M / C) + 1 of M
    /// (C chunks in all). Shards past the number of chunks get no runs.
    pub fn runs(self, runs: u64) -> Range<u64> {
        let chunks = runs.div_ceil(CHUNK_RUNS);
        let first = |k: u64| ((u128::from(k) * u128::from(chunks)).div_ceil(u128::from(self.count))) as u64;
        let lo = (first(self.index - 1) * CHUNK_RUNS).min(runs);
        let hi = (first(self.index) * CHUNK_RUNS).min(runs);
        lo..hi
    }
}

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
    /// The caller asked to stop (Ctrl-C) before every run finished.
    #[error("interrupted before all runs finished")]
    Interrupted,
    #[error("could not start {threads} worker threads: {reason}")]
    /// The worker threads could not be started.
    ThreadPool {
        /// Threads asked for.
        threads: usize,
        /// What the thread pool said.
        reason: String,
    },
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
    if runs.is_empty() {
        return Ok(Aggregate::empty(scenario));
    }
    let first_chunk = runs.start / CHUNK_RUNS;
    let last_chunk = runs.end.div_ceil(CHUNK_RUNS);
    // One running aggregate per worker, chunks handed out from a shared counter: memory
    // stays at (threads x one aggregate) however many runs, and the final merges are few.
    let next_chunk = AtomicU64::new(first_chunk);
    let stopped = AtomicBool::new(false);
    let finished: Mutex<Vec<Aggregate>> = Mutex::new(Vec::new());
    pool.scope(|scope| {
        for _ in 0..pool.current_num_threads() {
            scope.spawn(|_| {
                let mut ws = Workspace::default();
                let mut record = RunRecord::empty();
                let mut agg = Aggregate::empty(scenario);
                loop {
                    let chunk = next_chunk.fetch_add(1, Ordering::Relaxed);
                    if chunk >= last_chunk || stopped.load(Ordering::Relaxed) {
                        break;
                    }
                    if progress.should_stop() {
                        stopped.store(true, Ordering::Relaxed);
                        break;
                    }
                    let lo = (chunk * CHUNK_RUNS).max(runs.start);
                    let hi = ((chunk + 1) * CHUNK_RUNS).min(runs.end);
                    for run in lo..hi {
                        run_into(scenario, seed, run, &mut ws, &mut NoTrace, &mut record);
                        agg.add_run(scenario, &record);
                        // The bar ticks once per run (an atomic add), not per event.
                        progress.runs_done(1);
                    }
                }
                // Sorting the buffered values in here keeps that work parallel: the
                // merges after the scope only combine settled summaries.
                agg.flush();
                // A poisoned lock means another worker panicked; the scope re-raises that.
                if let Ok(mut list) = finished.lock() {
                    list.push(agg);
                }
            });
        }
    });
    if stopped.load(Ordering::Relaxed) {
        return Err(EnsembleError::Interrupted);
    }
    let mut aggregates = finished.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter();
    let mut aggregate = aggregates.next().unwrap_or_else(|| Aggregate::empty(scenario));
    for other in aggregates {
        // Cells are independent, so even this last step runs on every thread.
        aggregate.merge_with(&other, |mine, theirs| {
            pool.install(|| mine.par_iter_mut().zip(theirs).for_each(|(a, b)| a.merge(b)))
        });
    }
    aggregate.flush();
    Ok(aggregate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_run_once_in_whole_chunks() {
        for runs in [1u64, 3, 63, 64, 65, 200, 1000, 10_000] {
            for count in [1u64, 2, 3, 4, 7, 16, 200] {
                let mut next = 0;
                for index in 1..=count {
                    let r = Shard { index, count }.runs(runs);
                    assert_eq!(r.start, next, "runs {runs}, shard {index}/{count}");
                    assert!(r.start.is_multiple_of(CHUNK_RUNS) || r.is_empty());
                    next = r.end;
                }
                assert_eq!(next, runs, "runs {runs}, {count} shards");
            }
        }
        assert!(Shard::new(0, 2).is_none() && Shard::new(3, 2).is_none() && Shard::new(1, 0).is_none());
    }
}
