//! Sharded runs merged with `buildout merge` write the same bytes as one machine, and
//! merges of partials that do not belong together are refused with exit status 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SCENARIO: &str = r#"
[scenario]
name = "Shard test"
start = "2026-01"
horizon = "2027-12"
home_origin = "KR"

[target]
operational = 5000
by = "2027-06"

[chips.g]
origin = "US"
power_kw = 1.5
pflops = 2.0
failure_rate = 0.05
life_years = 1.5
price_usd = 30000.0

[chips.n]
origin = "KR"
power_kw = 0.5
pflops = 0.3
failure_rate = 0.04

[[regions]]
name = "r"
grid_mw = 6.0

[[power]]
name = "sub"
region = "r"
mw = 8.0
online = "2026-08"
delay_months = { dist = "lognormal", median = 3, p90 = 9 }
probability = 0.8

[[sites]]
name = "A"
owner = "gov"
region = "r"
it_mw = 9.0
pue = 1.2
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
chip = "n"
count = 3000
owner = "gov"
arrive = "2026-09"
delay_months = { dist = "normal", mean = 2, sd = 2 }

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
    let out = Command::new(env!("CARGO_BIN_EXE_buildout")).args(args).output();
    match out {
        Ok(o) => o,
        Err(e) => panic!("cannot start buildout: {e}"),
    }
}

fn ok(args: &[&str]) {
    let o = buildout(args);
    assert!(o.status.success(), "buildout {args:?} failed: {}", String::from_utf8_lossy(&o.stderr));
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

struct Setup {
    dir: tempfile::TempDir,
    scenario: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let scenario = dir.path().join("shard.toml");
    std::fs::write(&scenario, SCENARIO).unwrap_or_else(|e| panic!("write: {e}"));
    Setup { dir, scenario }
}

impl Setup {
    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn whole(&self, runs: u64, seed: u64) -> String {
        let out = self.path(&format!("whole-{runs}-{seed}"));
        let sc = self.scenario.display().to_string();
        ok(&["run", &sc, "--runs", &runs.to_string(), "--seed", &seed.to_string(), "--out", &out, "--quiet"]);
        out
    }

    fn shard(&self, runs: u64, seed: u64, k: u64, m: u64) -> String {
        let out = self.path(&format!("shard-{runs}-{seed}-{k}-of-{m}"));
        let sc = self.scenario.display().to_string();
        let shard = format!("{k}/{m}");
        let (r, s) = (runs.to_string(), seed.to_string());
        ok(&["run", &sc, "--runs", &r, "--seed", &s, "--shard", &shard, "--out", &out, "--quiet"]);
        out
    }
}

#[test]
fn merged_shards_equal_one_machine() {
    let t = setup();
    // Uneven splits, one shard, more shards than chunks (M > N too), runs not a
    // multiple of the chunk size.
    for (runs, m) in [(200u64, 3u64), (130, 1), (130, 2), (65, 4), (3, 5), (257, 7)] {
        let whole = t.whole(runs, 7);
        let mut dirs: Vec<String> = (1..=m).map(|k| t.shard(runs, 7, k, m)).collect();
        dirs.reverse(); // order must not matter
        let out = t.path(&format!("merged-{runs}-{m}"));
        let mut args = vec!["merge"];
        args.extend(dirs.iter().map(String::as_str));
        args.extend(["--out", &out, "--quiet"]);
        ok(&args);
        // sensitivity.csv: the shards' rank samples join in run order (format 7, D40).
        for file in ["summary.csv", "headline.json", "sensitivity.csv"] {
            let a = read(&Path::new(&whole).join(file));
            let b = read(&Path::new(&out).join(file));
            assert!(a == b, "{file} differs for {runs} runs in {m} shards");
        }
    }
}

/// A partial file depends only on the shard's runs: workers merge their chunks in
/// whatever order they finish, and the exact sums are written in a canonical form, so the
/// bytes are the same for any thread count.
#[test]
fn a_shard_writes_the_same_partial_for_any_thread_count() {
    let t = setup();
    let sc = t.scenario.display().to_string();
    let written: Vec<Vec<u8>> = ["1", "2", "2", "4"]
        .iter()
        .enumerate()
        .map(|(i, threads)| {
            let out = t.path(&format!("threads-{i}"));
            ok(&[
                "run",
                &sc,
                "--runs",
                "700",
                "--seed",
                "5",
                "--shard",
                "1/2",
                "--threads",
                threads,
                "--out",
                &out,
                "--quiet",
            ]);
            read(&Path::new(&out).join("partial.json"))
        })
        .collect();
    for (i, bytes) in written.iter().enumerate().skip(1) {
        assert!(bytes == &written[0], "partial.json of run {i} differs from the one written with 1 thread");
    }
}

fn refused(args: &[&str], needle: &str) {
    let o = buildout(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "buildout {args:?} should be refused; stderr: {err}");
    assert!(err.contains(needle), "buildout {args:?}: expected {needle:?} in: {err}");
}

#[test]
fn mismatched_partials_are_refused() {
    let t = setup();
    let a1 = t.shard(100, 1, 1, 2);
    let a2 = t.shard(100, 1, 2, 2);
    let other_seed = t.shard(100, 2, 2, 2);
    let other_runs = t.shard(90, 1, 2, 2);
    let three = t.shard(100, 1, 2, 3);
    let out = t.path("refused");
    refused(&["merge", &a1, &other_seed, "--out", &out], "seed");
    refused(&["merge", &a1, &other_runs, "--out", &out], "run count");
    refused(&["merge", &a1, &three, "--out", &out], "shards out of");
    refused(&["merge", &a1, &a1, "--out", &out], "both shard 1/2");
    refused(&["merge", &a1, "--out", &out], "missing");
    refused(&["merge", &a1, &t.path("nowhere"), "--out", &out], "partial.json");
    // Another scenario: same shape, one delivery changed.
    let other = t.dir.path().join("other.toml");
    std::fs::write(&other, SCENARIO.replace("count = 4000", "count = 4001")).unwrap_or_else(|e| panic!("{e}"));
    let b2 = t.path("other-2-of-2");
    ok(&[
        "run",
        &other.display().to_string(),
        "--runs",
        "100",
        "--seed",
        "1",
        "--shard",
        "2/2",
        "--out",
        &b2,
        "--quiet",
    ]);
    refused(&["merge", &a1, &b2, "--out", &out], "scenario");
    // Another version.
    let text = String::from_utf8(read(&Path::new(&a2).join("partial.json"))).unwrap_or_default();
    let version = format!("\"tool_version\":\"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version));
    let old = t.path("old-2-of-2");
    std::fs::create_dir_all(&old).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(Path::new(&old).join("partial.json"), text.replace(&version, "\"tool_version\":\"0.0.1\""))
        .unwrap_or_else(|e| panic!("{e}"));
    refused(&["merge", &a1, &old, "--out", &out], "version");
    assert!(!Path::new(&out).exists(), "a refused merge must write nothing");
    // And the right pair merges.
    ok(&["merge", &a2, &a1, "--out", &out, "--quiet"]);
}

#[test]
fn bad_shard_flags_are_usage_errors() {
    let t = setup();
    let sc = t.scenario.display().to_string();
    for bad in ["0/2", "3/2", "x", "1/0", "1-2"] {
        let o = buildout(&["run", &sc, "--runs", "10", "--shard", bad, "--out", &t.path("bad"), "--quiet"]);
        assert_eq!(o.status.code(), Some(2), "--shard {bad}");
    }
}

/// korea-260k with enough runs that many cells pass 2,048 distinct values and keep log
/// buckets: those must merge across shards byte for byte too, and a partial whose bucket
/// list was put out of order must be refused rather than give wrong percentiles.
#[test]
fn bucketed_sketches_merge_across_shards_and_must_be_in_order() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let korea = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/korea-260k.toml");
    let path = |name: &str| dir.path().join(name).display().to_string();
    let runs = "6400";
    let whole = path("whole");
    ok(&["run", korea, "--runs", runs, "--out", &whole, "--quiet", "--charts", "none", "--no-report"]);
    let shards: Vec<String> = (1..=3).map(|k| path(&format!("shard-{k}"))).collect();
    for (k, out) in shards.iter().enumerate() {
        let shard = format!("{}/3", k + 1);
        ok(&["run", korea, "--runs", runs, "--shard", &shard, "--out", out, "--quiet"]);
    }
    let merged = path("merged");
    ok(&["merge", &shards[2], &shards[0], &shards[1], "--out", &merged, "--quiet", "--charts", "none", "--no-report"]);
    for file in ["summary.csv", "headline.json"] {
        let (a, b) = (read(&Path::new(&whole).join(file)), read(&Path::new(&merged).join(file)));
        assert!(a == b, "{file} differs between one machine and three shards");
    }

    // The first shard's partial holds bucketed cells (2,112 runs of continuous values).
    let text = String::from_utf8(read(&Path::new(&shards[0]).join("partial.json"))).unwrap_or_default();
    let mut partial: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("partial.json: {e}"));
    let cells = partial["aggregate"]["cells"].as_array_mut().unwrap_or_else(|| panic!("no cells"));
    let bucketed = cells.iter().filter(|c| !c["buckets"].is_null()).count();
    assert!(bucketed > 0, "no cell of the shard reached bucket mode; the test would not test it");
    let cell = cells
        .iter_mut()
        .find(|c| c["buckets"]["positive"].as_array().is_some_and(|b| b.len() >= 2))
        .unwrap_or_else(|| panic!("no cell with two positive buckets"));
    let list = cell["buckets"]["positive"].as_array_mut().unwrap_or_else(|| panic!("positive buckets"));
    list.swap(0, 1);
    let edited = path("edited");
    std::fs::create_dir_all(&edited).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(Path::new(&edited).join("partial.json"), partial.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let out = path("refused");
    refused(&["merge", &edited, &shards[1], &shards[2], "--out", &out], "out of order");
    assert!(!Path::new(&out).exists(), "a refused merge must write nothing");
}

/// The series read at the horizon only take no values before it, every other cell
/// takes one per run, so a partial holds nothing no output reads.
#[test]
fn horizon_only_series_are_aggregated_at_the_horizon_only() {
    use buildout::core::ensemble::{simulate, Silent};
    use buildout::core::metrics::Series;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = crate::support::write(dir.path(), "shard.toml", SCENARIO);
    let scenario = crate::support::load(&path);
    let runs = 30;
    let parts = simulate(&scenario, 7, 0..runs, Some(2), &Silent).unwrap_or_else(|e| panic!("simulate: {e}")).parts();
    let horizon = parts.months - 1;
    for m in 0..parts.months {
        for s in 0..parts.series {
            let count = parts.cells[m * parts.series + s].count;
            let horizon_only = Series::HORIZON_ONLY.iter().any(|h| h.index() == s);
            let expected = if horizon_only && m < horizon { 0 } else { runs };
            assert_eq!(count, expected, "month {m}, series {s}");
        }
    }
}
