//! The Monte Carlo: the one place with parallelism. Fixed chunks of run indices are
//! folded by rayon workers into running `Aggregate`s that merge exactly, so results do
//! not depend on thread count, scheduling or how runs are split into shards.

use super::run::{run_into, NoTrace, RunRecord, Workspace};
use super::run_row::RunsLayout;
use super::scenario::Scenario;
use super::stats::{Aggregate, FinishedRun};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

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
    /// The per-run table could not be written.
    #[error("cannot write the per-run table: {0}")]
    Sink(String),
}

/// Receives every run of a Monte Carlo, in run order, for a per-run table (`runs.csv`,
/// D39). Implemented at the edge. Workers fill one `Chunk` per chunk of runs in
/// parallel (`add_run`, in run order within the chunk); `write_chunk` then gets the
/// chunks one at a time in run order, whatever the thread count.
pub trait RunSink: Sync {
    /// Whether the sink wants the runs at all (false: no row buffers, no reordering).
    const ENABLED: bool = true;
    /// One chunk's rows, built by a worker.
    type Chunk: Send;
    /// An empty chunk.
    fn new_chunk(&self) -> Self::Chunk;
    /// Adds run `run`: the uncertain inputs it drew (in `run::drawn_inputs` order) and
    /// its record.
    fn add_run(&self, chunk: &mut Self::Chunk, run: u64, inputs: &[f64], record: &RunRecord);
    /// Takes the next chunk in run order; an error stops the Monte Carlo.
    fn write_chunk(&self, chunk: Self::Chunk) -> Result<(), String>;
}

/// Wants no runs: `simulate`.
pub struct NoSink;

impl RunSink for NoSink {
    const ENABLED: bool = false;
    type Chunk = ();
    fn new_chunk(&self) {}
    fn add_run(&self, _: &mut (), _: u64, _: &[f64], _: &RunRecord) {}
    fn write_chunk(&self, _: ()) -> Result<(), String> {
        Ok(())
    }
}

/// Finished chunks waiting for the ones before them (the reorder buffer of a sink).
struct Reorder<C> {
    /// The next chunk to hand to the sink.
    next: u64,
    ready: BTreeMap<u64, C>,
    /// Why the sink failed, if it did.
    failed: Option<String>,
}

/// Marks the Monte Carlo stopped when a worker panics, so no other worker waits for a
/// chunk that will never come.
struct StopOnPanic<'a>(&'a AtomicBool);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Relaxed);
        }
    }
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
    simulate_into(scenario, seed, runs, threads, progress, &NoSink)
}

/// `simulate`, also handing every run to `sink` in run order. Memory stays bounded: a
/// worker does not start a chunk more than `4 x threads` chunks past the next one the
/// sink is owed, so at most that many finished chunks wait in the reorder buffer.
pub fn simulate_into<S: RunSink>(
    scenario: &Scenario,
    seed: u64,
    runs: Range<u64>,
    threads: Option<usize>,
    progress: &dyn Progress,
    sink: &S,
) -> Result<Aggregate, EnsembleError> {
    simulate_with(scenario, seed, runs, threads, progress, sink, None)
}

/// `simulate` with uncertain input `pin.0` (in `run::drawn_inputs` order) taken at the
/// value `pin.1` in every run, every other input drawn as usual: common random numbers
/// for the swing of `buildout sensitivity` (D41).
pub fn simulate_pinned(
    scenario: &Scenario,
    seed: u64,
    runs: Range<u64>,
    threads: Option<usize>,
    progress: &dyn Progress,
    pin: (usize, f64),
) -> Result<Aggregate, EnsembleError> {
    simulate_with(scenario, seed, runs, threads, progress, &NoSink, Some(pin))
}

fn simulate_with<S: RunSink>(
    scenario: &Scenario,
    seed: u64,
    runs: Range<u64>,
    threads: Option<usize>,
    progress: &dyn Progress,
    sink: &S,
    pin: Option<(usize, f64)>,
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
    let layout = RunsLayout::of(scenario);
    let first_chunk = runs.start / CHUNK_RUNS;
    let last_chunk = runs.end.div_ceil(CHUNK_RUNS);
    // One running aggregate per worker, chunks handed out from a shared counter: memory
    // stays at (threads x one aggregate) however many runs, and the final merges are few.
    let next_chunk = AtomicU64::new(first_chunk);
    let stopped = AtomicBool::new(false);
    let finished: Mutex<Vec<Aggregate>> = Mutex::new(Vec::new());
    let window = 4 * pool.current_num_threads() as u64;
    let reorder: Mutex<Reorder<S::Chunk>> =
        Mutex::new(Reorder { next: first_chunk, ready: BTreeMap::new(), failed: None });
    let written = Condvar::new();
    pool.scope(|scope| {
        for _ in 0..pool.current_num_threads() {
            scope.spawn(|_| {
                let _guard = StopOnPanic(&stopped);
                // Inputs are always recorded: the sensitivity ranks them (D40).
                let mut ws = match pin {
                    Some((index, value)) => Workspace::pinning(index, value),
                    None => Workspace::recording_inputs(),
                };
                // A chunk's runs join the aggregate together (`Aggregate::add_runs`).
                let mut batch: Vec<FinishedRun> = Vec::new();
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
                    if S::ENABLED && !wait_for_window(&reorder, &written, &stopped, chunk, window) {
                        break;
                    }
                    let lo = (chunk * CHUNK_RUNS).max(runs.start);
                    let hi = ((chunk + 1) * CHUNK_RUNS).min(runs.end);
                    let mut rows = S::ENABLED.then(|| sink.new_chunk());
                    for (slot, run) in (lo..hi).enumerate() {
                        if slot == batch.len() {
                            batch.push(FinishedRun::empty());
                        }
                        let finished = &mut batch[slot];
                        run_into(scenario, seed, run, &mut ws, &mut NoTrace, &mut finished.record);
                        finished.run = run;
                        finished.inputs.clear();
                        finished.inputs.extend_from_slice(ws.inputs());
                        if let Some(rows) = rows.as_mut() {
                            sink.add_run(rows, run, ws.inputs(), &finished.record);
                        }
                        // The bar ticks once per run (an atomic add), not per event.
                        progress.runs_done(1);
                    }
                    agg.add_runs(scenario, &layout, &batch[..hi.saturating_sub(lo) as usize]);
                    if let Some(rows) = rows {
                        hand_over(sink, &reorder, &written, &stopped, chunk, rows);
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
    let reorder = reorder.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(reason) = reorder.failed {
        return Err(EnsembleError::Sink(reason));
    }
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

/// Waits until `chunk` is within `window` chunks of the next one the sink is owed;
/// false when the Monte Carlo stopped meanwhile. The chunks before `chunk` are all
/// taken by workers that never wait (they are within the window), so this ends.
fn wait_for_window<C>(
    reorder: &Mutex<Reorder<C>>,
    written: &Condvar,
    stopped: &AtomicBool,
    chunk: u64,
    window: u64,
) -> bool {
    let mut state = reorder.lock().unwrap_or_else(|e| e.into_inner());
    while chunk >= state.next + window {
        if stopped.load(Ordering::Relaxed) {
            return false;
        }
        // The timeout only guards against a stop that nobody signals.
        state = written.wait_timeout(state, Duration::from_millis(50)).unwrap_or_else(|e| e.into_inner()).0;
    }
    true
}

/// Puts a finished chunk in the reorder buffer and hands the sink every chunk that is
/// now next in run order.
fn hand_over<S: RunSink>(
    sink: &S,
    reorder: &Mutex<Reorder<S::Chunk>>,
    written: &Condvar,
    stopped: &AtomicBool,
    chunk: u64,
    rows: S::Chunk,
) {
    let mut state = reorder.lock().unwrap_or_else(|e| e.into_inner());
    state.ready.insert(chunk, rows);
    while state.failed.is_none() {
        let next = state.next;
        let Some(rows) = state.ready.remove(&next) else { break };
        if let Err(reason) = sink.write_chunk(rows) {
            state.failed = Some(reason);
            stopped.store(true, Ordering::Relaxed);
        }
        state.next += 1;
    }
    drop(state);
    written.notify_all();
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
