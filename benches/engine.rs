//! Engine benchmarks: one run and 10,000 runs of korea-260k (criterion), preceded by a
//! report that prints the floor (a bare heap and the run's random draws), the real run,
//! runs/s and events/s on 1 and 2 threads, and the per-run cost of a scenario with 10x
//! the items. `cargo bench --bench engine -- --quick` prints it all (see README,
//! "Performance").

use buildout::core::dist::{Dist, FailureLaw};
use buildout::core::ensemble::{simulate, Silent};
use buildout::core::rng::{item_stream, StreamKind};
use buildout::core::run::{run_into, NoTrace, RunRecord, Workspace};
use buildout::core::scenario::Scenario;
use buildout::io::scenario::load_str;
use criterion::{black_box, Criterion};
use rand::Rng;
use rand_distr::StandardNormal;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;
use std::time::{Duration, Instant};

#[path = "../tests/common/ten_times.rs"]
mod ten_times;
use ten_times::ten_times;

const KOREA: &str = include_str!("../scenarios/korea-260k.toml");

fn load(text: &str) -> Scenario {
    match load_str(Path::new("bench.toml"), text) {
        Ok(l) => l.scenario,
        Err(e) => panic!("bench scenario does not validate:\n{e}"),
    }
}

/// Best per-iteration time over a few batches of `f` (the least disturbed by other load).
fn per_iter(iters: u32, mut f: impl FnMut(u32)) -> Duration {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            for i in 0..iters {
                f(i);
            }
            t.elapsed() / iters
        })
        .min()
        .unwrap_or_default()
}

/// (a) A bare BinaryHeap: push then pop `events` entries shaped like the engine's.
fn heap_floor(events: usize) -> Duration {
    let mut heap: BinaryHeap<Reverse<(u64, u8, u32, u64)>> = BinaryHeap::with_capacity(events);
    per_iter(2000, |i| {
        for e in 0..events as u64 {
            let time = ((e.wrapping_mul(2_654_435_761) ^ u64::from(i)) % 7200) as f64 / 100.0;
            heap.push(Reverse((time.to_bits(), (e % 8) as u8, (e % 57) as u32, e)));
        }
        while let Some(x) = heap.pop() {
            black_box(x);
        }
    })
}

/// (b) The random draws of one run and nothing else: each factor's normal, every item's
/// stream, its uniform and delay draws (by inversion where it loads on factors), each
/// site's install time, drawn PUE and operations stream, and the recorded attrition
/// binomials.
fn draws_floor(s: &Scenario, draws: &[(u64, f64)]) -> Duration {
    let mut factor_z = vec![0.0; s.factors().len()];
    per_iter(2000, |run| {
        let run = u64::from(run);
        let mut acc = 0.0;
        for (z, factor) in factor_z.iter_mut().zip(s.factors()) {
            *z = item_stream(42, run, StreamKind::Factor, &factor.name).sample(StandardNormal);
        }
        for p in s.power() {
            let mut rng = item_stream(42, run, StreamKind::Power, &p.timing.stream_key);
            acc += rng.gen::<f64>() + p.timing.draw_delay(&mut rng, &factor_z);
        }
        let mut site_streams = Vec::with_capacity(s.sites().len());
        for site in s.sites() {
            let mut rng = item_stream(42, run, StreamKind::Site, &site.timing.stream_key);
            acc +=
                rng.gen::<f64>() + site.timing.draw_delay(&mut rng, &factor_z) + site.install_months.sample(&mut rng);
            if !matches!(site.pue, Dist::Fixed(_)) {
                acc += site.pue.sample(&mut rng);
            }
            site_streams.push(item_stream(42, run, StreamKind::SiteOperations, &site.name));
        }
        for d in s.deliveries().iter().filter(|d| !d.is_installed()) {
            let mut rng = item_stream(42, run, StreamKind::Delivery, &d.timing.stream_key);
            acc += rng.gen::<f64>() + d.timing.draw_delay(&mut rng, &factor_z);
        }
        let mut failed = 0;
        let streams = site_streams.len().max(1);
        for (i, &(n, p)) in draws.iter().enumerate() {
            let law = FailureLaw::new(p);
            let rng = &mut site_streams[i % streams];
            failed += law.sample(rng, n, law.p_zero(n));
        }
        black_box((acc, failed));
    })
}

/// (c) One real run, workspace and record reused as the Monte Carlo does.
fn run_time(s: &Scenario, iters: u32) -> Duration {
    let mut ws = Workspace::default();
    let mut record = RunRecord::empty();
    per_iter(iters, |run| run_into(s, 42, u64::from(run), &mut ws, &mut NoTrace, &mut record))
}

fn runs_per_second(s: &Scenario, runs: u64, threads: usize) -> f64 {
    let t = Instant::now();
    let agg = simulate(s, 42, 0..runs, Some(threads), &Silent);
    black_box(agg.is_ok());
    runs as f64 / t.elapsed().as_secs_f64()
}

fn report() {
    let korea = load(KOREA);
    let mut ws = Workspace::default();
    ws.record_attrition_draws(true);
    let mut record = RunRecord::empty();
    run_into(&korea, 42, 0, &mut ws, &mut NoTrace, &mut record);
    let events = ws.events_handled() as usize;
    let draws = ws.attrition_draws().to_vec();
    let inversion = draws.iter().filter(|&&(n, p)| (n as f64) * p < 10.0).count();
    let a = heap_floor(events);
    let b = draws_floor(&korea, &draws);
    let c = run_time(&korea, 2000);
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!("floor, korea-260k run 0: {events} events, {} binomial draws ({inversion} with mean < 10)", draws.len());
    println!("  (a) BinaryHeap push/pop of {events} events: {:8.1} us/run", us(a));
    println!("  (b) the run's random draws only:           {:8.1} us/run", us(b));
    println!("  (c) buildout's real run:                    {:8.1} us/run", us(c));
    println!("  c / (a + b) = {:.2}   (target <= 2)", c.as_secs_f64() / (a + b).as_secs_f64());

    let runs = 10_000;
    // Five back-to-back pairs of a 1-thread and a 2-thread Monte Carlo. The build machine
    // is shared and its speed drifts by 10-20% from minute to minute, so the speed-up is
    // the median of each pair's ratio (the two halves of a pair see the same drift), and
    // the runs/s are each the best of five.
    let pairs: Vec<(f64, f64)> =
        (0..5).map(|_| (runs_per_second(&korea, runs, 1), runs_per_second(&korea, runs, 2))).collect();
    let best = |f: fn(&(f64, f64)) -> f64| pairs.iter().map(f).fold(0.0, f64::max);
    let (one, two) = (best(|p| p.0), best(|p| p.1));
    let mut ratios: Vec<f64> = pairs.iter().map(|&(a, b)| b / a).collect();
    ratios.sort_by(f64::total_cmp);
    let per_run_events = events as f64;
    println!("throughput, korea-260k, {runs} runs, best of 5 (events/s from run 0's {events} events per run):");
    println!("  1 thread:  {one:9.0} runs/s  {:12.0} events/s", one * per_run_events);
    println!("  2 threads: {two:9.0} runs/s  {:12.0} events/s", two * per_run_events);
    println!(
        "  2 vs 1 thread: {:.2}x median of 5 back-to-back pairs (range {:.2}x to {:.2}x)   (target >= 1.85x on 2 cores)",
        ratios[2], ratios[0], ratios[4]
    );
    println!(
        "  per run on 1 thread: {:.1} us, of which the run (c) {:.1} us and the statistics {:.1} us",
        1e6 / one,
        us(c),
        1e6 / one - us(c)
    );

    let big = load(&ten_times(KOREA));
    // Back-to-back pairs again, so drift between the two measurements does not pass
    // for a cost of size.
    let mut scaling: Vec<(Duration, Duration)> = (0..5).map(|_| (run_time(&korea, 400), run_time(&big, 40))).collect();
    scaling.sort_by(|x, y| (x.1.as_secs_f64() / x.0.as_secs_f64()).total_cmp(&(y.1.as_secs_f64() / y.0.as_secs_f64())));
    let ratio = |p: &(Duration, Duration)| p.1.as_secs_f64() / p.0.as_secs_f64();
    let (c1, c10) = scaling[2];
    println!(
        "scaling: 10x the items ({} deliveries, {} sites): {:.1} us/run = {:.2}x korea-260k's {:.1} us/run, median of 5 \
         back-to-back pairs (range {:.2}x to {:.2}x)   (target about 10x)",
        big.deliveries().len(),
        big.sites().len(),
        us(c10),
        ratio(&scaling[2]),
        us(c1),
        ratio(&scaling[0]),
        ratio(&scaling[4])
    );
}

fn benches(c: &mut Criterion) {
    let korea = load(KOREA);
    let mut ws = Workspace::default();
    let mut record = RunRecord::empty();
    let mut run = 0u64;
    c.bench_function("korea-260k one run", |b| {
        b.iter(|| {
            run += 1;
            run_into(&korea, 42, run, &mut ws, &mut NoTrace, &mut record);
        })
    });
    let mut group = c.benchmark_group("korea-260k");
    group.sample_size(10);
    group.bench_function("10000 runs", |b| b.iter(|| simulate(&korea, 42, 0..10_000, None, &Silent).is_ok()));
    group.finish();
}

fn main() {
    // `cargo test --benches` runs bench binaries in test mode: keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    report();
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
}
