//! `run --until-stable` (issue 13, D45, D46): it stops at the same run count on 1 and 2
//! threads; at the stop every checked interval is within the tolerance (read back from
//! headline.json, independently of the core's rule) and at the batch before it was
//! not; the result of N runs by batches is the same bytes as `run --runs N`; bad
//! options are usage errors (exit 2).

use crate::support::{run, write};
use buildout::core::ensemble::{simulate, Silent};
use buildout::core::stable::{unstable, BatchPlan, Tolerance};
use serde_json::Value;
use std::path::Path;

/// Uncertain enough that a loose tolerance takes a few batches of 200 runs.
const SCENARIO: &str = r#"
[scenario]
name = "Until stable"
start = "2026-01"
horizon = "2027-12"

[target]
operational = 5000
by = "2027-03"

[chips.g]
origin = "US"
power_kw = 1.5
pflops = 2.0

[[regions]]
name = "r"
grid_mw = 4.0

[[power]]
name = "sub"
region = "r"
mw = 8.0
online = "2026-04"
delay_months = { dist = "lognormal", median = 4, p90 = 10 }
probability = 0.8

[[sites]]
name = "A"
owner = "gov"
region = "r"
it_mw = 12.0
pue = { dist = "uniform", min = 1.1, max = 1.4 }
ready = "2026-03"
delay_months = { dist = "pert", min = 0, mode = 2, max = 8 }

[[deliveries]]
name = "d1"
chip = "g"
count = 4000
owner = "gov"
arrive = "2026-02"
delay_months = { dist = "triangular", min = 0, mode = 1, max = 5 }

[[deliveries]]
name = "d2"
chip = "g"
count = 2000
owner = "gov"
arrive = "2026-09"
delay_months = { dist = "uniform", min = 0, max = 6 }
"#;

const TOLERANCE: &str = "months=1,probability=0.04,chips=0.01";
const FIRST: u64 = 200;
const SEED: &str = "5";

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `run` of the test scenario into `out` with `extra` flags; returns stdout.
fn buildout_run(scenario: &Path, out: &Path, extra: &[&str]) -> String {
    let (s, o) = (scenario.display().to_string(), out.display().to_string());
    let mut args = vec!["run", &s, "--seed", SEED, "--out", &o, "--charts", "none", "--no-report"];
    args.extend(extra);
    let output = run(&args);
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The half-width of a `[lo, hi]` array; infinite when a side is null.
fn half(v: &Value) -> f64 {
    match (v[0].as_f64(), v[1].as_f64()) {
        (Some(lo), Some(hi)) => (hi - lo) / 2.0,
        _ => f64::INFINITY,
    }
}

#[test]
fn it_stops_where_the_tolerance_first_holds_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let scenario = write(dir.path(), "s.toml", SCENARIO);
    let first = FIRST.to_string();
    let stable = ["--until-stable", "--tolerance", TOLERANCE, "--runs", &first, "--per-run"];
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("t{threads}"));
        let mut extra = stable.to_vec();
        extra.extend(["--threads", threads]);
        let stdout = buildout_run(&scenario, &out, &extra);
        outputs.push((out, stdout));
    }
    let runs = json(&outputs[0].0.join("headline.json"))["runs"].as_u64().unwrap_or(0);
    for (out, stdout) in &outputs {
        assert_eq!(json(&out.join("headline.json"))["runs"].as_u64(), Some(runs), "{}", out.display());
        assert!(stdout.contains(&format!("stable after {runs} runs")), "{stdout}");
    }
    // The run count is one of the plan's totals, past the first batch (the test means
    // something only when the rule had to wait).
    let plan = BatchPlan { first: FIRST, max_runs: 1_000_000 };
    let totals: Vec<u64> = std::iter::successors(plan.next_total(0), |&n| plan.next_total(n)).take(40).collect();
    let at = totals.iter().position(|&n| n == runs).unwrap_or_else(|| panic!("{runs} is not a batch total"));
    assert!(at > 0, "stable after the first batch: loosen nothing, tighten the test's tolerance");

    // The tolerance holds at the stop, read from headline.json by hand.
    let h = json(&outputs[0].0.join("headline.json"));
    for key in ["operational_at_horizon", "compute_pflops_at_horizon"] {
        let p50 = h[key]["p50"].as_f64().unwrap_or(f64::NAN);
        assert!(half(&h[key]["ci95"]["p50"]) <= 0.01 * p50, "{key}: {}", h[key]);
    }
    for key in ["month_50pct_operational", "month_90pct_operational", "power_first_binds", "chips_to_power"] {
        let ci = &h[key]["ci95"];
        assert!(half(&ci["reached_share"]) <= 0.04, "{key}: {ci}");
        // A finite P50 interval must be within a month (null = not reached: the share decides).
        if ci["p50"][0].is_number() && ci["p50"][1].is_number() {
            assert!(half(&ci["p50"]) <= 1.0, "{key}: {ci}");
        }
    }
    assert!(half(&h["target"]["ci95"]) <= 0.04, "{}", h["target"]);
    for b in ["chips", "power", "space", "money"] {
        assert!(half(&h["limited_by_ci95"][b]) <= 0.04, "{b}: {}", h["limited_by_ci95"]);
    }

    // ... and the core's rule agrees there, and did not hold at the batch before.
    let loaded = buildout::io::scenario::load_file(&scenario).unwrap_or_else(|e| panic!("{e}"));
    let s = &loaded.scenario;
    let tolerance = buildout::cli::parse_tolerance(TOLERANCE).unwrap_or_else(|e| panic!("{e}"));
    let seed = 5;
    let headline = |n: u64| simulate(s, seed, 0..n, Some(2), &Silent).map(|a| a.summarize(s).headline);
    let at_stop = headline(runs).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unstable(&at_stop, &tolerance), Vec::new());
    let before = headline(totals[at - 1]).unwrap_or_else(|e| panic!("{e}"));
    assert!(!unstable(&before, &tolerance).is_empty(), "stable already at {} runs", totals[at - 1]);

    // N runs by batches are `run --runs N`, byte for byte (runs.csv streamed across batches too).
    let plain = dir.path().join("plain");
    buildout_run(&scenario, &plain, &["--runs", &runs.to_string(), "--per-run", "--quiet"]);
    for file in ["headline.json", "summary.csv", "exceedance.csv", "sensitivity.csv", "runs.csv"] {
        let read = |d: &Path| std::fs::read(d.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(read(&plain) == read(&outputs[0].0), "{file} differs from a plain run of {runs}");
        assert!(read(&plain) == read(&outputs[1].0), "{file} differs on 2 threads");
    }
}

#[test]
fn at_the_cap_it_stops_says_so_and_writes_the_results() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let scenario = write(dir.path(), "s.toml", SCENARIO);
    let out = dir.path().join("cap");
    let (s, o) = (scenario.display().to_string(), out.display().to_string());
    // A tolerance 700 runs cannot meet: 0.1 percentage point on the target.
    let args = ["run", &s, "--until-stable", "--tolerance", "probability=0.1%", "--runs", "300", "--max-runs", "700"];
    let output = run(&[&args[..], &["--out", &o, "--charts", "none", "--no-report", "--quiet"]].concat());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not stable after 700 runs, the --max-runs cap"), "{stderr}");
    assert!(stderr.contains("still wider than the tolerance: "), "{stderr}");
    // 300, then +300, then cut at 700.
    assert_eq!(json(&out.join("headline.json"))["runs"].as_u64(), Some(700));
}

#[test]
fn bad_options_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let scenario = write(dir.path(), "s.toml", SCENARIO);
    let s = scenario.display().to_string();
    let o = dir.path().join("never").display().to_string();
    let cases: [(&[&str], &str); 9] = [
        (&["--until-stable", "--tolerance", "month=1"], "`month` is not a tolerance"),
        (&["--until-stable", "--tolerance", "months=-1"], "months=-1 is not a tolerance"),
        (&["--until-stable", "--tolerance", "chips=abc"], "chips=abc is not a tolerance"),
        (&["--until-stable", "--tolerance", "probability=1.5"], "probability=1.5 is 100% or more"),
        (&["--until-stable", "--tolerance", "months=1%"], "without %"),
        (&["--until-stable", "--tolerance", "months"], "is not key=value"),
        (&["--tolerance", "months=1"], "--until-stable"),
        (&["--until-stable", "--shard", "1/2"], "--until-stable and --shard do not mix"),
        (&["--until-stable", "--runs", "500", "--max-runs", "100"], "is above --max-runs 100"),
    ];
    for (extra, message) in cases {
        let output = run(&[&["run", s.as_str(), "--out", o.as_str(), "--quiet"][..], extra].concat());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{extra:?}: {stderr}");
        assert!(stderr.contains(message), "{extra:?}: {stderr}");
    }
    assert!(!Path::new(&o).exists());
    // Percentages and partial lists are read as documented.
    let t = buildout::cli::parse_tolerance("probability=0.5%, chips=1%").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t, Tolerance { months: 1.0, probability: 0.005, chips: 0.01 });
}
