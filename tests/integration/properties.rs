//! The laws of the model, checked over random valid scenarios (few items, short
//! horizons, few runs, so thousands fit in seconds): conservation, site and grid caps,
//! monotonic cumulative counts, ordered percentiles, zero variance giving one answer for
//! every seed, and an allocation pass that skips only what cannot change.

use buildout::core::ensemble::{simulate, Silent};
use buildout::core::metrics::Series;
use buildout::core::run::{run_one, run_with, NoTrace, RunObserver, RunRecord, TraceRow, Workspace};
use buildout::core::scenario::Scenario;
use buildout::io::scenario::load_str;
use proptest::prelude::*;
use std::fmt::Write as _;
use std::path::Path;

/// Slack for sums of floats (MW): far below one chip's draw.
const EPS_MW: f64 = 1e-6;

/// A random small scenario as TOML text. `noisy` = false gives one with no randomness
/// at all (fixed delays, probability 1, no failures, no shocks).
fn scenario_text(noisy: bool) -> impl Strategy<Value = String> {
    let horizon = 1u32..36;
    let chips =
        proptest::collection::vec((0.3f64..3.0, 0.1f64..5.0, 0u8..2, 0.0f64..0.5, prop::option::of(0.3f64..4.0)), 1..3);
    let regions = proptest::collection::vec(0.0f64..40.0, 1..3);
    let power = proptest::collection::vec((0usize..3, 0.0f64..30.0, 0u32..40, 0.0f64..1.0), 0..3);
    let sites = proptest::collection::vec(
        (0usize..2, 0usize..3, 0.0f64..25.0, 1.0f64..2.0, 0u32..40, 0.0f64..4.0, 0.0f64..6.0),
        1..4,
    );
    let deliveries = proptest::collection::vec(
        (0usize..3, 0u64..30_000, 0usize..2, prop::option::of(0usize..3), 0u32..40, 0.0f64..6.0, 0.0f64..1.0),
        1..5,
    );
    let shocks =
        proptest::collection::vec((0.0f64..1.0, 0u32..40, 0u32..10, 0.0f64..12.0, 0u8..2, any::<bool>()), 0..3);
    let national = any::<bool>();
    (horizon, chips, regions, power, sites, deliveries, shocks, national).prop_map(
        move |(h, chips, regions, power, sites, deliveries, shocks, national)| {
            let mut t = String::new();
            let date = |m: u32| {
                let m = m.min(h);
                format!("\"{}-{:02}\"", 2026 + m / 12, m % 12 + 1)
            };
            let _ = writeln!(t, "[scenario]\nname = \"p\"\nstart = \"2026-01\"\nhorizon = {}\nhome_origin = \"KR\"\n", date(h));
            let _ = writeln!(t, "[allocation]\nmode = \"{}\"\n", if national { "national" } else { "owner" });
            for (i, (kw, pf, origin, fail, life)) in chips.iter().enumerate() {
                let _ = writeln!(
                    t,
                    "[chips.c{i}]\nvendor = \"v\"\norigin = \"{}\"\npower_kw = {kw}\npflops = {pf}",
                    ["US", "KR"][*origin as usize]
                );
                if noisy {
                    let _ = writeln!(t, "failure_rate = {fail}");
                }
                if let Some(l) = life {
                    let _ = writeln!(t, "life_years = {l}");
                }
                t.push('\n');
            }
            for (i, mw) in regions.iter().enumerate() {
                let _ = writeln!(t, "[[regions]]\nname = \"r{i}\"\ngrid_mw = {mw}\n");
            }
            for (i, (r, mw, on, p)) in power.iter().enumerate() {
                let _ = writeln!(t, "[[power]]\nname = \"p{i}\"\nregion = \"r{}\"\nmw = {mw}\nonline = {}", r % regions.len(), date(*on));
                if noisy {
                    let _ = writeln!(t, "delay_months = {{ dist = \"triangular\", min = -2, mode = 1, max = 8 }}\nprobability = {p}");
                }
                t.push('\n');
            }
            let owners = ["a", "b"];
            for (i, (o, r, it, pue, ready, delay, install)) in sites.iter().enumerate() {
                let _ = writeln!(
                    t,
                    "[[sites]]\nname = \"s{i}\"\nowner = \"{}\"\nregion = \"r{}\"\nit_mw = {it}\npue = {pue}\nready = {}",
                    owners[*o],
                    r % regions.len(),
                    date(*ready)
                );
                if noisy {
                    let _ = writeln!(t, "delay_months = {{ dist = \"uniform\", min = 0, max = {delay} }}\ninstall_months = {{ dist = \"pert\", min = 0, mode = {}, max = {install} }}\nprobability = 0.9", install / 2.0);
                } else {
                    let _ = writeln!(t, "delay_months = {delay}\ninstall_months = {install}");
                }
                t.push('\n');
            }
            for (i, (c, n, o, site, arrive, delay, p)) in deliveries.iter().enumerate() {
                let _ = writeln!(
                    t,
                    "[[deliveries]]\nname = \"d{i}\"\nchip = \"c{}\"\ncount = {n}\nowner = \"{}\"\narrive = {}",
                    c % chips.len(),
                    owners[*o],
                    date(*arrive)
                );
                // A named site must be one of the owner's.
                if let Some(s) = site.map(|s| s % sites.len()).filter(|&s| sites[s].0 == *o) {
                    let _ = writeln!(t, "site = \"s{s}\"");
                }
                if noisy {
                    let _ = writeln!(t, "delay_months = {{ dist = \"lognormal\", median = {}, p90 = {} }}\nprobability = {p}", delay + 0.1, delay * 2.0 + 0.5);
                } else {
                    let _ = writeln!(t, "delay_months = {delay}");
                }
                t.push('\n');
            }
            if noisy {
                for (i, (p, earliest, span, dur, origin, cancel)) in shocks.iter().enumerate() {
                    let _ = writeln!(
                        t,
                        "[[shocks]]\nname = \"k{i}\"\nprobability = {p}\nearliest = {}\nlatest = {}\nduration_months = {{ dist = \"uniform\", min = 0, max = {dur} }}\norigin = \"{}\"\neffect = \"{}\"\n",
                        date(*earliest),
                        date(earliest + span),
                        ["US", "KR"][*origin as usize],
                        if *cancel { "cancel" } else { "postpone" }
                    );
                }
            }
            t
        },
    )
}

fn load(text: &str) -> Scenario {
    match load_str(Path::new("p.toml"), text) {
        Ok(l) => l.scenario,
        Err(e) => panic!("the generator made an invalid scenario:\n{}\n{text}", e.rendered),
    }
}

/// Checks every grid region's headroom after every event.
struct GridWatch {
    worst_mw: f64,
}

impl RunObserver for GridWatch {
    const ENABLED: bool = true;
    fn on_event(&mut self, row: &TraceRow<'_>) {
        for &h in row.region_headroom_mw {
            self.worst_mw = self.worst_mw.min(h);
        }
    }
}

/// Conservation, caps and monotonic cumulative counts of one run.
fn check_run(s: &Scenario, r: &RunRecord) {
    let ordered = s.ordered_chips() as f64;
    for m in 0..r.months() {
        let g = |k| r.get(m, k);
        assert_eq!(
            g(Series::Delivered),
            g(Series::Waiting) + g(Series::Installing) + g(Series::Operational) + g(Series::Lost),
            "conservation at month {m}"
        );
        assert!(g(Series::Delivered) + g(Series::Cancelled) <= ordered, "more chips than ordered at month {m}");
        // Chips sit only in ready sites, each within its IT capacity; with one site this
        // is that site's cap exactly.
        assert!(g(Series::ItMw) <= g(Series::BuiltItMw) + EPS_MW, "IT draw above built capacity at month {m}");
        assert!(g(Series::FacilityMw) <= g(Series::GridMw) + EPS_MW, "facility draw above the grid at month {m}");
        if m > 0 {
            for k in [Series::Delivered, Series::Lost, Series::Cancelled, Series::GridMw, Series::BuiltItMw] {
                assert!(r.get(m, k) >= r.get(m - 1, k), "series {k:?} fell at month {m}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn conservation_caps_and_monotonic_counts(text in scenario_text(true), seed in any::<u64>()) {
        let s = load(&text);
        let mut ws = Workspace::default();
        for run in 0..2 {
            let mut watch = GridWatch { worst_mw: f64::INFINITY };
            let r = run_with(&s, seed, run, &mut ws, &mut watch);
            check_run(&s, &r);
            prop_assert!(watch.worst_mw >= -EPS_MW, "a region drew {} MW over its grid", -watch.worst_mw);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// The allocation pass looks only at deliveries that arrived or whose candidate
    /// regions gained room; looking at every waiting delivery after every event (MODEL.md
    /// 4.6 to the letter) must give the same runs, value for value.
    #[test]
    fn allocation_skips_only_what_cannot_change(text in scenario_text(true), seed in any::<u64>()) {
        let s = load(&text);
        let (mut fast, mut literal) = (Workspace::default(), Workspace::default());
        literal.recheck_every_waiting_delivery(true);
        for run in 0..3 {
            let a = run_with(&s, seed, run, &mut fast, &mut NoTrace);
            let b = run_with(&s, seed, run, &mut literal, &mut NoTrace);
            prop_assert!(a == b, "run {run} differs when every waiting delivery is rechecked");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn percentiles_are_ordered(text in scenario_text(true), seed in any::<u64>()) {
        let s = load(&text);
        let summary = simulate(&s, seed, 0..40, Some(1), &Silent).map_err(|e| TestCaseError::fail(e.to_string()))?.summarize(&s);
        let ordered = |p: &[f64; 7]| p.windows(2).all(|w| w[0] <= w[1]);
        for m in 0..summary.months {
            for k in 0..summary.series {
                let st = summary.stats_at(m, k);
                prop_assert!(ordered(&st.percentiles), "month {m} series {k}: {:?}", st.percentiles);
            }
        }
        let h = &summary.headline;
        for st in [&h.operational_at_horizon, &h.compute_pflops_at_horizon, &h.stranded_chip_months] {
            prop_assert!(ordered(&st.percentiles), "{:?}", st.percentiles);
        }
        for reached in [&h.month_50pct_operational, &h.month_90pct_operational, &h.power_first_binds] {
            let p: Vec<f64> = reached.percentiles.iter().map(|x| x.unwrap_or(f64::INFINITY)).collect();
            prop_assert!(p.windows(2).all(|w| w[0] <= w[1]), "{:?}", reached.percentiles);
        }
    }

    #[test]
    fn zero_variance_gives_one_answer_for_every_seed(text in scenario_text(false), seeds in proptest::collection::vec(any::<u64>(), 3)) {
        let s = load(&text);
        let first = run_one(&s, seeds[0], 0);
        check_run(&s, &first);
        for (i, &seed) in seeds.iter().enumerate() {
            prop_assert_eq!(&run_one(&s, seed, i as u64 + 1), &first);
        }
        let summary = simulate(&s, seeds[1], 0..8, Some(1), &Silent).map_err(|e| TestCaseError::fail(e.to_string()))?.summarize(&s);
        let p = summary.headline.operational_at_horizon.percentiles;
        prop_assert!(p.iter().all(|&x| x == p[0]), "spread without randomness: {:?}", p);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// Statistics merge exactly, so one thread and two give the same statistics, bit for
    /// bit (the aggregates' internal partial sums may be held in a different order).
    #[test]
    fn thread_count_does_not_change_results(text in scenario_text(true), seed in any::<u64>()) {
        let s = load(&text);
        let one = simulate(&s, seed, 0..150, Some(1), &Silent).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let two = simulate(&s, seed, 0..150, Some(2), &Silent).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(one.summarize(&s) == two.summarize(&s), "statistics differ between 1 and 2 threads");
    }

    #[test]
    fn what_binds_names_a_window_that_contains_its_peak(text in scenario_text(true), seed in any::<u64>()) {
        let s = load(&text);
        let summary = simulate(&s, seed, 0..30, Some(1), &Silent).map_err(|e| TestCaseError::fail(e.to_string()))?.summarize(&s);
        let clauses = buildout::io::brief::binding_clauses(&s, &summary);
        let month_of = |d: &str| (0..summary.months).find(|&m| s.date_of(m as u32).to_string() == d);
        let after = |clause: &str, key: &str| clause.split(key).nth(1).map(|r| r[..7].to_string());
        for (b, clause) in buildout::io::brief::limits_of(&s).zip(&clauses) {
            let share: Vec<f64> = summary.binding_over_time(b).collect();
            let max = share.iter().copied().fold(0.0, f64::max);
            if clause.contains("under 10% of runs in every month") {
                prop_assert!(max < 0.1, "{clause}: {share:?}");
                continue;
            }
            let peak = after(clause, "at its peak (").and_then(|d| month_of(&d));
            let first = after(clause, " from ").and_then(|d| month_of(&d));
            let last = after(clause, " to ").and_then(|d| month_of(&d));
            let (Some(peak), Some(first), Some(last)) = (peak, first, last) else {
                return Err(TestCaseError::fail(format!("unreadable clause: {clause}")));
            };
            let level = if clause.contains("in most runs") { 0.5 } else { 0.1 };
            prop_assert_eq!(share[peak], max, "{} names a peak that is not the highest month", clause);
            prop_assert!(first <= peak && peak <= last, "{clause}: the peak lies outside the window");
            prop_assert!(share[first..=last].iter().all(|&v| v >= level), "{clause}: a month in the window is below {level}: {share:?}");
            prop_assert!(first == 0 || share[first - 1] < level, "{clause}: the window could start earlier: {share:?}");
            prop_assert!(last + 1 == share.len() || share[last + 1] < level, "{clause}: the window could end later: {share:?}");
        }
    }
}

/// The per-region and per-owner values of a run (by_region.csv, by_owner.csv) reconcile
/// with the national series month by month: counts exactly, MW within float slack; and
/// a nationally power-bound month has a region that power binds (D53).
fn check_scopes(s: &Scenario, r: &RunRecord) {
    use buildout::core::metrics::Binding;
    use buildout::core::scope::{OwnerMetric, RegionMetric};
    let shape = r.scoped.shape;
    assert_eq!(shape.regions, if s.regions().len() >= 2 { s.regions().len() } else { 0 });
    assert_eq!(shape.owners, if s.owners().len() >= 2 { s.owners().len() } else { 0 });
    for m in 0..r.months() {
        let regions = |k: RegionMetric| (0..shape.regions).map(|i| r.scoped.region(m, i, k)).sum::<f64>();
        let owners = |k: OwnerMetric| (0..shape.owners).map(|i| r.scoped.owner(m, i, k)).sum::<f64>();
        if shape.regions > 0 {
            for (k, national) in [
                (RegionMetric::Operational, Series::Operational),
                (RegionMetric::Waiting, Series::Waiting),
                (RegionMetric::StrandedByPower, Series::StrandedByPower),
                (RegionMetric::StrandedBySpace, Series::StrandedBySpace),
            ] {
                assert_eq!(regions(k), r.get(m, national), "month {m}: {k:?} over regions");
            }
            for (k, national) in
                [(RegionMetric::FacilityMw, Series::FacilityMw), (RegionMetric::GridMw, Series::GridMw)]
            {
                let (a, b) = (regions(k), r.get(m, national));
                assert!((a - b).abs() <= EPS_MW * (1.0 + b.abs()), "month {m}: {k:?} over regions {a} vs {b}");
            }
            let binds = |b: Binding| (0..shape.regions).any(|i| r.scoped.region_binding(m, i) == b);
            match r.binding[m] {
                Binding::Power => assert!(binds(Binding::Power), "month {m}: power binds but in no region"),
                Binding::Space => assert!(binds(Binding::Space), "month {m}: space binds but in no region"),
                _ => assert!(!binds(Binding::Power) && !binds(Binding::Space), "month {m}: nothing waits"),
            }
        }
        if shape.owners > 0 {
            for (k, national) in [
                (OwnerMetric::Delivered, Series::Delivered),
                (OwnerMetric::Waiting, Series::Waiting),
                (OwnerMetric::Operational, Series::Operational),
            ] {
                assert_eq!(owners(k), r.get(m, national), "month {m}: {k:?} over owners");
            }
            let (a, b) = (owners(OwnerMetric::ComputePflops), r.get(m, Series::ComputePflops));
            assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()), "month {m}: compute over owners {a} vs {b}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn regions_and_owners_reconcile_with_the_national_figures(text in scenario_text(true), seed in any::<u64>()) {
        let s = load(&text);
        let mut ws = Workspace::default();
        for run in 0..2 {
            check_scopes(&s, &run_with(&s, seed, run, &mut ws, &mut NoTrace));
        }
    }
}
