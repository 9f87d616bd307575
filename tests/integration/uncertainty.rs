//! Issue 13, parts 3 and 4 (MODEL.md D36-D38): exceedance is the share of runs with at
//! least X, counted run by run; the 95% Monte Carlo intervals cover the true value at
//! the stated rate over many seeds; the two charts of chances match their snapshots.

use crate::support::{load, repo, summarize, write, BASE};
use buildout::core::metrics::Series;
use buildout::core::run::run_one;
use buildout::core::sketch::Sketch;
use buildout::core::stats::percentile_interval;
use buildout::io::chart::{dump, run_chart, sample_data, ChartKind};

/// BASE's one delivery of 10,000 chips replaced by three uncertain ones (1,000, 2,000
/// and 4,000 chips, each happening with probability 0.5 and slipping 0-10 months), so
/// the runs' operational chips take many values over time, and a target.
fn three_deliveries() -> String {
    let base = BASE.split("[[deliveries]]").next().expect("BASE has deliveries").replace("runs = 4", "runs = 300");
    let mut text = base;
    for (i, count) in [1000, 2000, 4000].into_iter().enumerate() {
        text.push_str(&format!(
            "\n[[deliveries]]\nname = \"lot {i}\"\nchip = \"us1\"\ncount = {count}\nowner = \"gov\"\n\
             arrive = \"2026-02\"\nprobability = 0.5\ndelay_months = {{ dist = \"uniform\", min = 0, max = 10 }}\n"
        ));
    }
    text.push_str("\n[target]\noperational = 3000\nby = \"2026-09\"\n");
    text
}

#[test]
fn exceedance_at_x_is_the_share_of_runs_with_at_least_x() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let scenario = load(&write(tmp.path(), "three.toml", &three_deliveries()));
    let (runs, seed) = (300, 11);
    let summary = summarize(&scenario, runs, seed);
    let records: Vec<_> = (0..runs).map(|i| run_one(&scenario, seed, i)).collect();
    let e = &summary.exceedance;
    assert_eq!(e.runs, runs);
    // The scenario runs 2026-01 to 2026-12: one December, the horizon.
    assert_eq!(e.months, vec![11]);
    assert!(e.operational.exact);
    for (i, &m) in e.months.iter().enumerate() {
        for (j, &x) in e.operational.levels.iter().enumerate() {
            let counted = records.iter().filter(|r| r.get(m as usize, Series::Operational) >= x).count() as u64;
            assert_eq!(e.operational.runs_at_least[i][j], counted, "month {m}, at least {x}");
        }
        for (j, &x) in e.compute_pflops.levels.iter().enumerate() {
            let counted = records.iter().filter(|r| r.get(m as usize, Series::ComputePflops) >= x).count() as u64;
            assert_eq!(e.compute_pflops.runs_at_least[i][j], counted, "compute, month {m}, at least {x}");
        }
    }
    // The levels span the range: the last is at or above every run's value.
    let most = records.iter().map(|r| r.get(11, Series::Operational)).fold(0.0, f64::max);
    assert!(*e.operational.levels.last().unwrap() >= most && most > 0.0);
    // The target met by month, month by month, and at its month it is the headline figure.
    let target = e.target.as_ref().expect("a target");
    for (m, &met) in target.runs_met.iter().enumerate() {
        let counted = records.iter().filter(|r| r.get(m, Series::Operational) >= 3000.0).count() as u64;
        assert_eq!(met, counted, "target at month {m}");
    }
    let t = summary.headline.target.expect("a target");
    assert_eq!(target.runs_met[t.by_month as usize] as f64 / runs as f64, t.probability);

    // exceedance.csv writes the same counts, as shares of the runs.
    let csv = buildout::io::tables::exceedance::render_exceedance(&scenario, &summary);
    let mut rows = csv.lines();
    assert_eq!(rows.next(), Some(buildout::io::tables::exceedance::HEADER));
    let mut seen = 0;
    for row in rows {
        let f: Vec<&str> = row.split(',').collect();
        let (month, x, k, p): (usize, f64, u64, f64) =
            (f[1].parse().unwrap(), f[3].parse().unwrap(), f[4].parse().unwrap(), f[5].parse().unwrap());
        let series = match f[0] {
            "operational" | "target_met" => Series::Operational,
            "compute_pflops" => Series::ComputePflops,
            other => panic!("unknown metric {other}"),
        };
        let counted = records.iter().filter(|r| r.get(month, series) >= x).count() as u64;
        assert_eq!(k, counted, "{row}");
        assert_eq!(p, counted as f64 / runs as f64, "{row}");
        let (lo, hi): (f64, f64) = (f[6].parse().unwrap(), f[7].parse().unwrap());
        assert!(lo <= p && p <= hi, "{row}");
        seen += 1;
    }
    assert_eq!(seen, e.operational.levels.len() + e.compute_pflops.levels.len() + target.runs_met.len());
}

#[test]
fn a_bucketed_sketch_counts_within_its_resolution() {
    // 20,000 distinct values: past the exact limit, so counts are read inside buckets.
    let values: Vec<f64> = (0..20_000).map(|i| 1000.0 + f64::from(i) * 0.37).collect();
    let mut s = Sketch::default();
    values.iter().for_each(|&v| s.add(v));
    s.flush();
    assert!(!s.is_exact());
    let a = buildout::core::sketch::RELATIVE_ACCURACY;
    for x in [999.0, 1000.0, 2500.5, 4000.0, 8399.0, 9000.0] {
        let got = s.count_at_least(x);
        let at_least = |y: f64| values.iter().filter(|&&v| v >= y).count() as u64;
        // Between the counts at x (1 + a) and x / (1 + a): the bucket's width.
        assert!(at_least(x * (1.0 + a)) <= got && got <= at_least(x / (1.0 + a)), "x = {x}: {got}");
    }
}

/// A delivery that happens with probability 0.3 and a target it alone meets: the
/// target's probability is exactly 0.3, and operational chips at the horizon are 10,000
/// with probability 0.3 and 0 otherwise (mean exactly 3,000).
fn coin() -> String {
    BASE.replace("arrive = \"2026-03\"", "arrive = \"2026-03\"\nprobability = 0.3")
        + "\n[target]\noperational = 10000\nby = \"2026-12\"\n"
}

#[test]
fn wilson_and_mean_intervals_cover_the_truth_at_the_stated_rate() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let scenario = load(&write(tmp.path(), "coin.toml", &coin()));
    let (seeds, runs) = (200u64, 400u64);
    let (mut target_covers, mut mean_covers) = (0, 0);
    for seed in 0..seeds {
        let summary = summarize(&scenario, runs, 1000 + seed);
        let [lo, hi] = summary.headline.ci95.target.expect("a target");
        assert!(lo <= summary.headline.target.unwrap().probability);
        if lo <= 0.3 && 0.3 <= hi {
            target_covers += 1;
        }
        let [lo, hi] = summary.headline.ci95.operational_at_horizon.mean;
        if lo.unwrap() <= 3000.0 && 3000.0 <= hi.unwrap() {
            mean_covers += 1;
        }
    }
    // 95% intervals: over 200 seeds, 90-99% of them cover (about 95% expected).
    eprintln!("coverage over 200 seeds: Wilson {target_covers}, mean {mean_covers}");
    assert!((180..=198).contains(&target_covers), "the Wilson interval covers 0.3 in {target_covers} of 200 seeds");
    assert!((180..=198).contains(&mean_covers), "the mean's interval covers 3,000 in {mean_covers} of 200 seeds");
}

/// splitmix64: a small, fixed generator for the test's uniform draws.
fn splitmix(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

#[test]
fn order_statistic_intervals_cover_known_percentiles_at_the_stated_rate() {
    // Uniform(0, 100): the q-th percentile is exactly q.
    for q in [10.0, 50.0, 90.0] {
        let mut covers = 0;
        for seed in 0..200u64 {
            let mut state = seed * 7919 + 1;
            let mut s = Sketch::default();
            (0..400).for_each(|_| s.add(splitmix(&mut state) * 100.0));
            let [lo, hi] = percentile_interval(&s, q);
            let (lo, hi) = (lo.expect("400 runs bound it"), hi.expect("400 runs bound it"));
            assert!(lo <= s.percentile(q).unwrap() && s.percentile(q).unwrap() <= hi);
            if lo <= q && q <= hi {
                covers += 1;
            }
        }
        eprintln!("coverage over 200 seeds: P{q} {covers}");
        assert!((180..=198).contains(&covers), "P{q}: the interval covers it in {covers} of 200 seeds");
    }
}

#[test]
fn the_korea_headline_has_an_interval_for_every_figure() {
    let scenario = load(&repo().join("scenarios/korea-260k.toml"));
    let summary = summarize(&scenario, 400, 5);
    let json = buildout::io::tables::headline::headline_value(&scenario, &summary, 5);
    for def in &buildout::io::figures::FIGURES {
        let value = &json[def.key];
        if value.is_null() {
            continue;
        }
        let ci = &value["ci95"];
        assert!(!ci.is_null(), "{} has no ci95", def.key);
        if def.key == "target" {
            let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
            assert!(lo <= value["probability"].as_f64().unwrap() && value["probability"].as_f64().unwrap() <= hi);
        } else {
            for p in ["p10", "p50", "p90"] {
                let (lo, hi, v) = (&ci[p][0], &ci[p][1], &value[p]);
                if let (Some(lo), Some(hi), Some(v)) = (lo.as_f64(), hi.as_f64(), v.as_f64()) {
                    assert!(lo <= v && v <= hi, "{} {p}: {v} outside [{lo}, {hi}]", def.key);
                }
            }
        }
    }
    assert_eq!(json["limited_by_ci95"].as_object().map(|o| o.len()), Some(4));
}

/// Compares a chart's dump with its committed snapshot (the convention of
/// `chart_snapshots`: `BUILDOUT_UPDATE_SNAPSHOTS=1` writes it).
fn check_snapshot(kind: ChartKind) {
    let text = dump(&run_chart(kind, &sample_data())).replace(&format!("v{}", env!("CARGO_PKG_VERSION")), "vVERSION");
    let path = repo().join("tests/snapshots/charts").join(format!("{}.txt", kind.file_stem()));
    if std::env::var_os("BUILDOUT_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &text).expect("snapshot written");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(expected == text, "chart {} changed (BUILDOUT_UPDATE_SNAPSHOTS=1 accepts it)", kind.file_stem());
}

#[test]
fn the_charts_of_chances_match_their_snapshots() {
    check_snapshot(ChartKind::Exceedance);
    check_snapshot(ChartKind::Target);
}
