//! What matters most (issue 13 part 2, D40, D41): the rank correlations of sensitivity.csv
//! against an independent computation from runs.csv, an input that cannot matter and
//! one that drives the outcome, the swing of a hand-built two-input scenario derived by
//! hand, and the `sensitivity` command's files.

use super::support::{buildout, summarize, write};
use buildout::core::ensemble::Silent;
use buildout::core::run::drawn_inputs;
use buildout::core::swing::swing;
use buildout::io::scenario::load_str;
use buildout::io::studies::swing::figure_point;
use std::path::Path;

/// Two chip deliveries into one roomy site, and a grid addition in a region without
/// sites (its delay cannot change anything). Ordered: 2,000 chips, so 50% = 1,000.
/// A (1,000 chips) is due 2026-03 with a delay uniform on 0-9 months; B (1,000 chips)
/// arrives 2026-01 with probability `p_b`.
fn two_inputs(p_b: f64) -> String {
    format!(
        r#"
[scenario]
name = "Two inputs"
start = "2026-01"
horizon = "2026-12"

[chips.g]
origin = "US"
power_kw = 1.0
pflops = 1.0

[[regions]]
name = "r"
grid_mw = 100.0

[[regions]]
name = "empty"
grid_mw = 0.0

[[power]]
name = "far away"
region = "empty"
mw = 5.0
online = "2026-05"
delay_months = {{ dist = "uniform", min = 0, max = 10 }}

[[sites]]
name = "S"
owner = "gov"
region = "r"
it_mw = 50.0
pue = 1.2
ready = "2026-01"
install_months = 0

[[deliveries]]
name = "A"
chip = "g"
count = 1000
owner = "gov"
arrive = "2026-03"
delay_months = {{ dist = "uniform", min = 0, max = 9 }}

[[deliveries]]
name = "B"
chip = "g"
count = 1000
owner = "gov"
arrive = "2026-01"
probability = {p_b}
"#
    )
}

fn scenario(text: &str) -> buildout::core::scenario::Scenario {
    match load_str(Path::new("two.toml"), text) {
        Ok(l) => l.scenario,
        Err(e) => panic!("the test scenario does not load:\n{e}"),
    }
}

fn rho(summary: &buildout::core::stats::Summary, output: &str, column: &str, inputs: &[String]) -> f64 {
    let ranked = summary.sensitivity.for_output(output).unwrap_or_else(|| panic!("no output {output}"));
    let c = ranked.iter().find(|c| inputs[c.input] == column).unwrap_or_else(|| panic!("no input {column}"));
    c.rho.unwrap_or(f64::NAN)
}

#[test]
fn an_input_that_cannot_matter_is_near_zero_and_the_driver_is_above_0_9() {
    // B certain: only A's delay moves the month 50% run (ceil(2 + delay)).
    let s = scenario(&two_inputs(1.0).replace(
        "count = 1000\nowner = \"gov\"\narrive = \"2026-01\"",
        "count = 0\nowner = \"gov\"\narrive = \"2026-01\"",
    ));
    let names: Vec<String> = drawn_inputs(&s).iter().map(|i| i.column_name()).collect();
    let runs = 3000;
    let summary = summarize(&s, runs, 11);
    let driver = rho(&summary, "month_50pct", "deliveries:A:delay_months", &names);
    assert!(driver > 0.9, "the one input that drives the month has rho {driver}");
    // Sampling error of a zero rank correlation: sd about 1 / sqrt(n - 1).
    let bound = 4.0 / ((runs - 1) as f64).sqrt();
    for output in ["month_50pct", "energy_twh_last_12_months"] {
        let idle = rho(&summary, output, "power:far away:delay_months", &names);
        assert!(idle.abs() < bound, "{output}: an input that cannot matter has rho {idle} (bound {bound})");
    }
    let ranked = summary.sensitivity.for_output("month_50pct").unwrap_or(&[]);
    assert_eq!(names[ranked[0].input], "deliveries:A:delay_months", "the driver ranks first");
}

/// Midranks of `v` (ties share their mean rank), written independently of the crate.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].partial_cmp(&v[b]).unwrap_or(std::cmp::Ordering::Equal));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        for &k in &idx[i..=j] {
            r[k] = (i + j) as f64 / 2.0 + 1.0;
        }
        i = j + 1;
    }
    r
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn sensitivity_csv_is_spearman_of_the_runs_csv_columns() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = write(tmp.path(), "two.toml", &two_inputs(0.3));
    let out = tmp.path().join("out");
    let status = buildout()
        .args(["run", &file.to_string_lossy(), "--runs", "1500", "--per-run", "--quiet", "--charts", "none"])
        .args(["--out", &out.to_string_lossy()])
        .status()
        .expect("runs");
    assert!(status.success());
    let runs = std::fs::read_to_string(out.join("runs.csv")).expect("runs.csv");
    let mut lines = runs.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // A month never reached ranks after every month, as in the sensitivity (D40).
    let column = |name: &str| -> Vec<f64> {
        let c = header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}"));
        rows.iter().map(|r| r[c].parse::<f64>().unwrap_or(f64::INFINITY)).collect()
    };
    let sensitivity = std::fs::read_to_string(out.join("sensitivity.csv")).expect("sensitivity.csv");
    let mut checked = 0;
    for line in sensitivity.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (output, input, rho) = (cells[0], cells[2], cells[4]);
        if output == "usd_per_pflops_year" || rho.is_empty() {
            continue;
        }
        let expected = pearson(&ranks(&column(input)), &ranks(&column(output)));
        let got: f64 = rho.parse().expect("a number");
        assert!((got - expected).abs() < 1e-9, "{output} vs {input}: {got} against {expected} from runs.csv");
        let (lo, hi): (f64, f64) = (cells[5].parse().expect("low"), cells[6].parse().expect("high"));
        assert!(lo <= got && got <= hi, "{line}: the interval holds rho");
        assert_eq!(cells[7], "1500");
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} correlations checked");
}

#[test]
fn the_swing_of_a_two_input_scenario_is_as_derived_by_hand() {
    // Derivation (month 50% = first whole month with >= 1,000 of the 2,000 ordered chips
    // operational; install takes no time):
    // - B happens (p = 0.3): its 1,000 chips run from month 0, so month 50% = 0.
    // - B does not: A's chips run from 2 + delay, delay ~ U(0, 9), so month 50% =
    //   ceil(2 + delay), with P(<= m) = (m - 2) / 9 for m = 2..11.
    // - Unpinned: P(<= m) = 0.3 + 0.7 (m - 2) / 9: 0.456 at m = 4, 0.533 at m = 5, so P50 = 5.
    // - B pinned "does not happen": P(<= 6) = 4/9, P(<= 7) = 5/9, so P50 = 7 (+2);
    //   pinned "happens": 0 in every run (-5). Swing -7.
    // - A's delay pinned at its P10 0.9: month ceil(2.9) = 3 without B, 0 with B (30%),
    //   so P50 = 3 (-2); at its P90 8.1: ceil(10.1) = 11 without B, so P50 = 11 (+6).
    // - The far-away grid delay changes nothing: 0 and 0.
    // - Chips operational at the horizon: 1,000 + 1,000 if B (A is in by 2 + 9 = 11):
    //   P50 1,000; B pinned: 1,000 / 2,000 (+1,000); A's delay: no change.
    let s = scenario(&two_inputs(0.3));
    let result = swing(&s, 42, 4000, Some(2), &Silent).expect("not interrupted");
    let month = buildout::io::figures::FIGURES.iter().find(|d| d.key == "month_50pct_operational").expect("figure");
    let chips = buildout::io::figures::FIGURES.iter().find(|d| d.key == "operational_at_horizon").expect("figure");
    assert_eq!(figure_point(month, &result.base), Some(5.0));
    assert_eq!(figure_point(chips, &result.base), Some(1000.0));
    let by_name = |name: &str| {
        result.inputs.iter().find(|i| i.input.column_name() == name).unwrap_or_else(|| panic!("no input {name}"))
    };
    let at = |name: &str, def| by_name(name).headlines.each_ref().map(|h| figure_point(def, h));
    assert_eq!(by_name("deliveries:B:happened").pinned, [0.0, 1.0]);
    assert_eq!(at("deliveries:B:happened", month), [Some(7.0), Some(0.0)]);
    assert_eq!(at("deliveries:B:happened", chips), [Some(1000.0), Some(2000.0)]);
    let a = by_name("deliveries:A:delay_months");
    assert!((a.pinned[0] - 0.9).abs() < 1e-12 && (a.pinned[1] - 8.1).abs() < 1e-12, "{:?}", a.pinned);
    assert_eq!(at("deliveries:A:delay_months", month), [Some(3.0), Some(11.0)]);
    assert_eq!(at("deliveries:A:delay_months", chips), [Some(1000.0), Some(1000.0)]);
    assert_eq!(at("power:far away:delay_months", month), [Some(5.0), Some(5.0)]);
}

#[test]
fn the_sensitivity_command_writes_the_same_swing_on_any_thread_count() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = write(tmp.path(), "two.toml", &two_inputs(0.3));
    let run = |threads: &str, out: &str| {
        let dir = tmp.path().join(out);
        let o = buildout()
            .args(["sensitivity", &file.to_string_lossy(), "--runs", "500", "--quiet", "--threads", threads])
            .args(["--metric", "month_50pct", "--out", &dir.to_string_lossy()])
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        dir
    };
    let (one, two) = (run("1", "t1"), run("2", "t2"));
    for f in ["swing.csv", "swing.png", "swing.svg"] {
        let a = std::fs::read(one.join(f)).unwrap_or_else(|_| panic!("{f} written"));
        assert_eq!(a, std::fs::read(two.join(f)).unwrap_or_default(), "{f} differs between 1 and 2 threads");
    }
    let csv = std::fs::read_to_string(one.join("swing.csv")).unwrap_or_default();
    assert!(csv.starts_with(buildout::io::studies::swing::HEADER));
    // Month 50%: A's delay swings most (3 to 11 = +8), then B (7 to 0 = -7), then nothing.
    let month: Vec<&str> = csv.lines().filter(|l| l.starts_with("month_50pct_operational,")).collect();
    assert!(month[0].contains(",deliveries:A:delay_months,") && month[0].ends_with(",8"), "{}", month[0]);
    assert!(month[1].contains(",deliveries:B:happened,") && month[1].ends_with(",-7"), "{}", month[1]);
    assert!(month[2].ends_with(",0"), "{}", month[2]);
    let bad = buildout()
        .args(["sensitivity", &file.to_string_lossy(), "--metric", "chipz", "--quiet"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a headline figure"));
}
