//! What-if features: every bundled scenario validates and runs, `compare` (identical
//! columns for a scenario against itself, values on a hand-derivable pair) and `sweep`.

use crate::support::{repo, run};
use std::path::{Path, PathBuf};

fn bundled() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["scenarios", "scenarios/presets", "scenarios/examples"] {
        for e in std::fs::read_dir(repo().join(dir)).expect("scenarios folder").flatten() {
            if e.path().extension().is_some_and(|x| x == "toml") {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_bundled_scenario_validates_and_runs() {
    let files = bundled();
    assert!(files.len() >= 11, "the Korea family and the presets: {files:?}");
    let dir = tempfile::tempdir().expect("temp dir");
    for f in files {
        let out = dir.path().join(f.file_stem().expect("stem"));
        let o =
            run(&["run", f.to_str().expect("utf-8"), "--runs", "20", "--quiet", "--out", out.to_str().expect("utf-8")]);
        assert!(o.status.success(), "{}: {}", f.display(), String::from_utf8_lossy(&o.stderr));
        assert!(out.join("headline.json").exists());
    }
}

/// Every bundled scenario (the Korea family, the presets, the examples a new user copies)
/// validates with no warning: a warning in a file we ship would teach users to ignore them.
#[test]
fn every_bundled_scenario_validates_with_no_warning() {
    let mut seen = 0;
    for dir in ["scenarios", "scenarios/presets", "scenarios/examples"] {
        let dir = repo().join(dir);
        for e in std::fs::read_dir(&dir).expect("a scenario folder").flatten() {
            if e.path().extension().is_some_and(|x| x == "toml") {
                let o = run(&["validate", e.path().to_str().expect("utf-8")]);
                let stderr = String::from_utf8_lossy(&o.stderr);
                assert!(o.status.success() && !stderr.contains("warning"), "{}: {stderr}", e.path().display());
                seen += 1;
            }
        }
    }
    assert!(seen >= 13, "only {seen} bundled scenarios found");
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .expect("csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn compare_with_itself_gives_identical_columns() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("cmp");
    let korea = repo().join("scenarios/korea-260k.toml");
    let k = korea.to_str().expect("utf-8");
    let o = run(&["compare", k, k, "--runs", "30", "--quiet", "--out", out.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = csv_rows(&out.join("compare.csv"));
    assert!(!rows.is_empty());
    for pair in rows.chunks(2) {
        assert_eq!(pair[0][3], "korea-260k");
        assert_eq!(pair[1][3], "korea-260k-2");
        assert_eq!(pair[0][..3], pair[1][..3]);
        assert_eq!(pair[0][4..], pair[1][4..], "{pair:?}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("compare.json")).expect("json")).expect("valid json");
    let s = json["scenarios"].as_array().expect("list");
    assert_eq!(s[0]["headline"], s[1]["headline"]);
    let html = std::fs::read_to_string(out.join("compare.html")).expect("html");
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
}

const PAIR: &str = r#"[scenario]
name = "NAME"
start = "2026-01"
horizon = "2026-06"

[chips.c]
origin = "US"
power_kw = 1.0
pflops = 2.0

[[regions]]
name = "r"
grid_mw = GRID

[[sites]]
name = "S"
owner = "o"
region = "r"
it_mw = 100.0
pue = 1.0
ready = "2026-01"

[[deliveries]]
name = "D"
chip = "c"
count = 10000
owner = "o"
arrive = "2026-03"
"#;

#[test]
fn compare_values_on_a_hand_derived_pair() {
    // Ample grid: all 10,000 chips run from month 2. A 5 MW grid: 5 MW / 1 kW = 5,000
    // run and 5,000 wait for power from month 2 on.
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("ample.toml");
    let b = dir.path().join("tight.toml");
    std::fs::write(&a, PAIR.replace("NAME", "ample").replace("GRID", "100.0")).expect("write");
    std::fs::write(&b, PAIR.replace("NAME", "tight").replace("GRID", "5.0")).expect("write");
    let out = dir.path().join("cmp");
    let args = ["compare", a.to_str().expect("p"), b.to_str().expect("p"), "--runs", "3", "--quiet", "--out"];
    let o = run(&[&args[..], &[out.to_str().expect("p")]].concat());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = csv_rows(&out.join("compare.csv"));
    let get = |m: &str, metric: &str, s: &str| -> Vec<String> {
        rows.iter().find(|r| r[0] == m && r[2] == metric && r[3] == s).map(|r| r[4..].to_vec()).expect("row")
    };
    assert_eq!(get("1", "operational", "ample"), ["0", "0", "0", "0"]);
    assert_eq!(get("2", "operational", "ample"), ["10000", "10000", "10000", "10000"]);
    assert_eq!(get("2", "operational", "tight"), ["5000", "5000", "5000", "5000"]);
    assert_eq!(get("5", "stranded_by_power", "tight"), ["5000", "5000", "5000", "5000"]);
    assert_eq!(get("5", "binding_power", "tight"), ["1", "1", "1", "1"]);
    assert_eq!(get("5", "binding_chips", "ample"), ["1", "1", "1", "1"]);
    assert_eq!(get("5", "facility_mw", "tight"), ["5", "5", "5", "5"]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("compare.json")).expect("json")).expect("valid json");
    let s = &json["scenarios"];
    assert_eq!(s[0]["headline"]["operational_at_horizon"]["p50"], 10000);
    assert_eq!(s[1]["headline"]["operational_at_horizon"]["p50"], 5000);
    assert_eq!(s[1]["headline"]["power_first_binds"]["p50"], 2);
    assert_eq!(s[1]["headline"]["stranded_chip_months"]["p50"], 20000, "5,000 waiting in months 2..5");
    assert_eq!(
        s[1]["what_binds"],
        "tight: power binds in 100% of runs at its peak (2026-03), in most runs from 2026-03 to 2026-06; \
space binds in under 10% of runs in every month (at most 0%); nothing waits (chips bind) in 33% of run-months."
    );
}

#[test]
fn sweep_over_a_count_moves_operational_chips_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("ample.toml");
    std::fs::write(&a, PAIR.replace("NAME", "ample").replace("GRID", "100.0")).expect("write");
    let out = dir.path().join("sw");
    let o = run(&[
        "sweep",
        a.to_str().expect("p"),
        "--set",
        "deliveries.\"D\".count=1000,5000,20000",
        "--runs",
        "3",
        "--quiet",
        "--out",
        out.to_str().expect("p"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = csv_rows(&out.join("sweep.csv"));
    let op: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    // 20,000 chips of 1 kW need 20 MW: the 100 MW site holds them all.
    assert_eq!(op, ["1000", "5000", "20000"]);
    let bad =
        run(&["sweep", a.to_str().expect("p"), "--set", "deliveries.\"E\".count=1", "--out", out.to_str().expect("p")]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no deliveries item named \"E\""));
}

/// A scenario whose only uncertainty is one substation's log-normal delay: half the
/// chips run only once it is online, so the month 50% run moves with the delay's median.
const DELAYED: &str = r#"[scenario]
name = "delayed"
start = "2026-01"
horizon = "2027-12"
runs = 300
seed = 3

[target]
operational = 7000
by = "2026-12"

[chips.a]
origin = "US"
power_kw = 1.0
pflops = 1.0

[[regions]]
name = "r"
grid_mw = 1.0

[[power]]
name = "sub"
region = "r"
mw = 10.0
online = "2026-06"
delay_months = { dist = "lognormal", median = 3, p90 = 12 }

[[sites]]
name = "S"
owner = "g"
region = "r"
it_mw = 20.0
pue = 1.0
ready = "2026-01"

[[deliveries]]
chip = "a"
count = 8000
owner = "g"
arrive = "2026-01"
"#;

#[test]
fn sweep_reaches_into_a_distribution_and_charts_the_chosen_figure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("delayed.toml");
    std::fs::write(&file, DELAYED).expect("write");
    let out = dir.path().join("sw");
    let sweep = |set: &str, metric: &str| {
        run(&[
            "sweep",
            file.to_str().expect("p"),
            "--set",
            set,
            "--metric",
            metric,
            "--charts",
            "svg",
            "--out",
            out.to_str().expect("p"),
        ])
    };
    let o = sweep("power.sub.delay_months.median=1,3,6,9", "month_50pct");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("month_50pct_operational P10 / P50 / P90"), "{stdout}");
    let text = std::fs::read_to_string(out.join("sweep.csv")).expect("sweep.csv");
    let header: Vec<&str> = text.lines().next().expect("a header").split(',').collect();
    let col = header.iter().position(|h| *h == "month_50pct_operational_p50").expect("column");
    let rows = csv_rows(&out.join("sweep.csv"));
    let medians: Vec<f64> = rows.iter().map(|r| r[col].parse().expect("a month")).collect();
    assert!(medians.windows(2).all(|w| w[0] < w[1]), "a later median delay must move the 50% month: {medians:?}");
    let svg = std::fs::read_to_string(out.join("sweep.svg")).expect("chart written");
    assert!(svg.contains("50% of ordered chips operational, by delay_months.median"), "the chart draws the metric");
    // The target's chance, as a share of runs.
    let o = sweep("power.sub.mw=2,10", "target");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = std::fs::read_to_string(out.join("sweep.svg")).expect("chart written");
    assert!(svg.contains("Chance of 7,000 chips operational by 2026-12, by sub.mw"));
    // Bad metric names and paths are usage errors with a hint.
    let o = sweep("power.sub.mw=2,10", "targte");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean target?"));
    let o = sweep("power.sub.mw=2,10", "month");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("could mean month_50pct_operational or month_90pct_operational")
    );
    let o = sweep("power.sub.mw.median=2,10", "target");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is a plain value, not a distribution"));
}

#[test]
fn sweep_help_lists_every_figure_it_can_chart() {
    let help = String::from_utf8_lossy(&run(&["sweep", "--help"]).stdout).into_owned();
    for def in buildout::io::figures::FIGURES.iter().filter(|d| d.in_sweep) {
        assert!(help.contains(def.key), "`sweep --help` does not list {}", def.key);
    }
}
