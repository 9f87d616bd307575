//! `run --per-run` writes runs.csv: one row per run in run order, its drawn inputs as
//! the engine drew them and its headline outputs; the same bytes on any thread count
//! and, merged, from shards; nothing without the flag.

use buildout::core::ensemble::{simulate, simulate_into, EnsembleError, RunSink, Silent};
use buildout::core::run::{drawn_inputs, run_into, NoTrace, RunRecord, Workspace};
use buildout::core::stats::Aggregate;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SCENARIO: &str = r#"
[scenario]
name = "Per-run test"
start = "2026-01"
horizon = "2027-12"
home_origin = "KR"

[target]
operational = 5000
by = "2027-06"

[[factors]]
name = "lead times"

[chips.g]
origin = "US"
power_kw = 1.5
pflops = 2.0
failure_rate = 0.05
price_usd = 30000.0

[[regions]]
name = "r"
grid_mw = 4.0

[[power]]
name = "sub"
region = "r"
mw = 8.0
online = "2026-04"
delay_months = { dist = "lognormal", median = 3, p90 = 9 }
factors = { "lead times" = 0.7 }
probability = 0.8

[[power]]
name = "fixed sub"
region = "r"
mw = 2.0
online = "2026-06"

[[sites]]
name = "A"
owner = "gov"
region = "r"
it_mw = 9.0
pue = { dist = "uniform", min = 1.1, max = 1.4 }
ready = "2026-03"
delay_months = { dist = "pert", min = 0, mode = 2, max = 8 }
install_months = { dist = "uniform", min = 0, max = 2 }

[[deliveries]]
name = "d1"
chip = "g"
count = 4000
owner = "gov"
arrive = "2026-02"
delay_months = { dist = "triangular", min = 0, mode = 1, max = 5 }
probability = 0.9

[[deliveries]]
name = "d2"
chip = "g"
count = 2000
owner = "gov"
arrive = "2026-09"

[[shocks]]
name = "pause"
probability = 0.3
earliest = "2026-03"
latest = "2027-03"
duration_months = { dist = "uniform", min = 1, max = 6 }
origin = "US"
effect = "postpone"
"#;

fn buildout(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_buildout")).args(args).output() {
        Ok(o) => o,
        Err(e) => panic!("cannot start buildout: {e}"),
    }
}

fn ok(args: &[&str]) {
    let o = buildout(args);
    assert!(o.status.success(), "buildout {args:?} failed: {}", String::from_utf8_lossy(&o.stderr));
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

struct Setup {
    dir: tempfile::TempDir,
    scenario: String,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let scenario = dir.path().join("per-run.toml");
    std::fs::write(&scenario, SCENARIO).unwrap_or_else(|e| panic!("write: {e}"));
    Setup { scenario: scenario.display().to_string(), dir }
}

impl Setup {
    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs with `extra` flags into `name`; returns the folder.
    fn run(&self, name: &str, runs: u64, extra: &[&str]) -> PathBuf {
        let out = self.out(name);
        let (r, o) = (runs.to_string(), out.display().to_string());
        let mut args = vec!["run", &self.scenario, "--runs", &r, "--seed", "11", "--out", &o, "--quiet"];
        args.extend(["--charts", "none", "--no-report"]);
        args.extend(extra);
        ok(&args);
        out
    }
}

/// The header and the rows of a runs.csv, split into cells.
fn table(dir: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = read(&dir.join("runs.csv"));
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default().split(',').map(String::from).collect();
    (header, lines.map(|l| l.split(',').map(String::from).collect()).collect())
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[test]
fn columns_are_the_uncertain_inputs_then_the_outputs() {
    let t = setup();
    let dir = t.run("cols", 10, &["--per-run"]);
    let (header, rows) = table(&dir);
    let expected = [
        "run",
        "factors:lead times:z",
        "power:sub:happened",
        "power:sub:delay_months",
        "sites:A:delay_months",
        "sites:A:install_months",
        "sites:A:pue",
        "deliveries:d1:happened",
        "deliveries:d1:delay_months",
        "shocks:pause:happened",
        "shocks:pause:start",
        "shocks:pause:duration_months",
        "operational",
        "compute_pflops",
        "month_50pct",
        "month_90pct",
        "month_chips_to_power",
        "month_chips_to_space",
        "target_met",
        "stranded_chip_months",
        "energy_twh_last_12_months",
        "capex_usd_at_horizon",
        "usd_per_pflops_year",
        "limited_by",
    ];
    assert_eq!(header, expected);
    assert_eq!(rows.len(), 10);
    for row in &rows {
        assert_eq!(row.len(), header.len(), "{row:?}");
        for c in ["power:sub:happened", "deliveries:d1:happened", "shocks:pause:happened", "target_met"] {
            assert!(row[column(&header, c)] == "0" || row[column(&header, c)] == "1", "{c}: {row:?}");
        }
        let pue: f64 = row[column(&header, "sites:A:pue")].parse().unwrap_or(0.0);
        assert!((1.1..=1.4).contains(&pue), "{pue}");
        assert!(["chips", "power", "space", "money"].contains(&row[column(&header, "limited_by")].as_str()));
    }
}

#[test]
fn averaged_it_reproduces_the_summary_mean_and_rows_are_in_run_order() {
    let t = setup();
    let runs = 300;
    let dir = t.run("mean", runs, &["--per-run"]);
    let (header, rows) = table(&dir);
    assert_eq!(rows.len(), runs as usize);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0], i.to_string(), "rows out of run order");
    }
    let op = column(&header, "operational");
    let mean = rows.iter().map(|r| r[op].parse::<f64>().unwrap_or(f64::NAN)).sum::<f64>() / runs as f64;
    let summary = read(&dir.join("summary.csv"));
    let horizon: f64 = summary
        .lines()
        .rev()
        .find(|l| l.split(',').nth(2) == Some("operational"))
        .and_then(|l| l.split(',').nth(3))
        .and_then(|m| m.parse().ok())
        .unwrap_or(f64::NAN);
    assert!((mean - horizon).abs() <= 1e-12 * horizon.abs(), "runs.csv mean {mean}, summary.csv {horizon}");
    // The headline's stranded chip-months mean, too.
    let headline: serde_json::Value = serde_json::from_str(&read(&dir.join("headline.json"))).unwrap_or_default();
    let stranded = column(&header, "stranded_chip_months");
    let mean_stranded = rows.iter().map(|r| r[stranded].parse::<f64>().unwrap_or(f64::NAN)).sum::<f64>() / runs as f64;
    let reported = headline["stranded_chip_months"]["mean"].as_f64().unwrap_or(f64::NAN);
    assert!((mean_stranded - reported).abs() <= 1e-9 * reported.abs().max(1.0), "{mean_stranded} vs {reported}");
}

#[test]
fn the_file_is_the_same_on_one_and_two_threads() {
    let t = setup();
    let one = t.run("t1", 1000, &["--per-run", "--threads", "1"]);
    let two = t.run("t2", 1000, &["--per-run", "--threads", "2"]);
    assert_eq!(read(&one.join("runs.csv")), read(&two.join("runs.csv")));
    assert_eq!(read(&one.join("summary.csv")), read(&two.join("summary.csv")));
}

#[test]
fn merged_shards_equal_one_machine() {
    let t = setup();
    for (runs, m) in [(300u64, 3u64), (65, 4), (3, 5)] {
        let whole = t.run(&format!("whole-{runs}"), runs, &["--per-run"]);
        let mut dirs: Vec<String> = (1..=m)
            .map(|k| {
                let shard = format!("{k}/{m}");
                t.run(&format!("shard-{runs}-{k}-of-{m}"), runs, &["--per-run", "--shard", &shard])
                    .display()
                    .to_string()
            })
            .collect();
        dirs.reverse(); // order must not matter
        let merged = t.out(&format!("merged-{runs}-{m}"));
        let mut args = vec!["merge".to_string()];
        args.extend(dirs);
        args.extend(["--out".into(), merged.display().to_string(), "--quiet".into(), "--charts".into(), "none".into()]);
        ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(read(&whole.join("runs.csv")), read(&merged.join("runs.csv")), "{runs} runs, {m} shards");
    }
}

#[test]
fn shards_with_and_without_the_table_are_refused() {
    let t = setup();
    let a = t.run("mix-1", 200, &["--per-run", "--shard", "1/2"]);
    let b = t.run("mix-2", 200, &["--shard", "2/2"]);
    let merged = t.out("mix-merged");
    let o = buildout(&[
        "merge",
        &a.display().to_string(),
        &b.display().to_string(),
        "--out",
        &merged.display().to_string(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("runs.csv"));
}

#[test]
fn a_drawn_delay_is_the_one_the_trace_shows() {
    let t = setup();
    let dir = t.run("delays", 40, &["--per-run"]);
    let (header, rows) = table(&dir);
    let happened = column(&header, "power:sub:happened");
    let delay = column(&header, "power:sub:delay_months");
    let mut checked = 0;
    for row in rows.iter().filter(|r| r[happened] == "1").take(3) {
        let run = &row[0];
        let traced = t.run(&format!("trace-{run}"), 40, &["--trace", run]);
        let trace = read(&traced.join(format!("trace-{run}.csv")));
        let online: f64 = trace
            .lines()
            .find(|l| l.contains(",power_online,sub,"))
            .and_then(|l| l.split(',').next())
            .and_then(|x| x.parse().ok())
            .unwrap_or_else(|| panic!("run {run}: no power_online of sub in the trace"));
        let d: f64 = row[delay].parse().unwrap_or(f64::NAN);
        // Planned 2026-04 is month 3.
        assert!((online - (3.0 + d).max(0.0)).abs() < 1e-9, "run {run}: online {online}, delay {d}");
        checked += 1;
    }
    assert!(checked > 0);
    // And a run where it did not happen has no power_online event for it.
    if let Some(row) = rows.iter().find(|r| r[happened] == "0") {
        let run = &row[0];
        let traced = t.run(&format!("trace-{run}"), 40, &["--trace", run]);
        assert!(!read(&traced.join(format!("trace-{run}.csv"))).contains(",power_online,sub,"));
    }
}

#[test]
fn without_the_flag_no_table_is_written() {
    let t = setup();
    let dir = t.run("plain", 20, &[]);
    assert!(dir.join("summary.csv").is_file());
    assert!(!dir.join("runs.csv").exists());
    let shard = t.run("plain-shard", 20, &["--shard", "1/1"]);
    assert!(!shard.join("runs.csv").exists());
}

/// Collects the run indices and input counts it is handed.
struct Collect(std::sync::Mutex<Vec<(u64, usize)>>);

impl RunSink for Collect {
    type Chunk = Vec<(u64, usize)>;
    fn new_chunk(&self) -> Self::Chunk {
        Vec::new()
    }
    fn add_run(&self, chunk: &mut Self::Chunk, run: u64, inputs: &[f64], _: &RunRecord) {
        chunk.push((run, inputs.len()));
    }
    fn write_chunk(&self, chunk: Self::Chunk) -> Result<(), String> {
        self.0.lock().map_err(|e| e.to_string())?.extend(chunk);
        Ok(())
    }
}

fn load(path: &Path) -> buildout::core::scenario::Scenario {
    match buildout::io::scenario::load_file(path) {
        Ok(loaded) => loaded.scenario,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

#[test]
fn a_sink_gets_every_run_in_order_and_changes_no_statistic() {
    let scenario = load(Path::new(crate::support::KOREA));
    let columns = drawn_inputs(&scenario).len();
    for threads in [1, 2, 3] {
        let sink = Collect(std::sync::Mutex::new(Vec::new()));
        let with = simulate_into(&scenario, 5, 100..1000, Some(threads), &Silent, &sink);
        let without = simulate(&scenario, 5, 100..1000, Some(threads), &Silent);
        // Compared as text: equal parts, NaN cells included.
        let parts = |a: Result<Aggregate, EnsembleError>| a.map(|a| format!("{:?}", a.parts()));
        assert_eq!(parts(with), parts(without), "{threads} threads");
        let got = sink.0.into_inner().unwrap_or_default();
        assert_eq!(got, (100..1000).map(|r| (r, columns)).collect::<Vec<_>>(), "{threads} threads");
    }
}

#[test]
fn every_bundled_scenario_draws_one_value_per_listed_column() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [root.to_string(), format!("{root}/examples"), format!("{root}/presets")] {
        files.extend(
            std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{dir}: {e}"))
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml")),
        );
    }
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let scenario = load(&file);
        let mut ws = Workspace::recording_inputs();
        let mut record = RunRecord::empty();
        for run in 0..3 {
            run_into(&scenario, 1, run, &mut ws, &mut NoTrace, &mut record);
            assert_eq!(ws.inputs().len(), drawn_inputs(&scenario).len(), "{}", file.display());
        }
        // A workspace that does not record keeps nothing.
        let mut plain = Workspace::default();
        run_into(&scenario, 1, 0, &mut plain, &mut NoTrace, &mut record);
        assert!(plain.inputs().is_empty());
    }
}
