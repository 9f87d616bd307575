//! Results by region and owner (by_region.csv, by_owner.csv; D50-D53): the example's two
//! regions bind differently, shards merge to the same bytes, one-region scenarios write
//! neither file, and the report's region sentence agrees with by_region.csv.

use crate::support::{repo, run};
use std::collections::HashMap;
use std::path::Path;

fn run_ok(args: &[&str]) {
    let out = run(args);
    assert!(out.status.success(), "buildout {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn example() -> String {
    repo().join("scenarios/examples/two-regions.toml").display().to_string()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// by_region.csv as (region, month, metric) -> mean.
fn means(text: &str) -> HashMap<(String, u32, String), f64> {
    let mut rows = HashMap::new();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("region,month,date,metric,mean,p5,p10,p25,p50,p75,p90,p95"));
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 12, "row {line}");
        let mean = f[4].parse().expect("a number");
        rows.insert((f[0].to_string(), f[1].parse().expect("a month"), f[3].to_string()), mean);
    }
    rows
}

#[test]
fn the_example_regions_bind_differently() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("o");
    let o = out.display().to_string();
    run_ok(&["run", &example(), "--runs", "400", "--seed", "3", "--out", &o, "--quiet", "--charts", "none"]);
    let rows = means(&read(&out.join("by_region.csv")));
    let months = rows.keys().map(|k| k.1).max().expect("rows") + 1;
    // Over the run, months in which each constraint binds in most runs, per region.
    let most = |region: &str, row: &str| {
        (0..months).filter(|&m| rows[&(region.to_string(), m, row.to_string())] > 0.5).count()
    };
    assert!(most("north", "binding_power") > 0, "the north waits for its substation");
    assert_eq!(most("north", "binding_space"), 0, "the north campus has room for all its chips");
    assert!(most("south", "binding_space") > 0, "the south's halls are too small");
    assert_eq!(most("south", "binding_power"), 0, "the south has ample grid");
    // Grid and draw per region: the south never draws near its 80 MW.
    for m in 0..months {
        let draw = rows[&("south".to_string(), m, "facility_mw".to_string())];
        assert!(draw <= 26.0 + 1e-9, "month {m}: the south's two 10 MW halls at PUE 1.3 draw {draw} MW");
    }
    let owners = read(&out.join("by_owner.csv"));
    assert!(owners.starts_with("owner,month,date,metric,"));
    assert!(owners.lines().any(|l| l.starts_with("government,")) && owners.lines().any(|l| l.starts_with("industry,")));
}

#[test]
fn one_region_and_one_owner_write_no_scope_files() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("o");
    let o = out.display().to_string();
    let sc = crate::support::write(tmp.path(), "base.toml", crate::support::BASE);
    let s = crate::support::load(&sc);
    assert_eq!((s.regions().len(), s.owners().len()), (1, 1), "the base case has one region and one owner");
    run_ok(&["run", &sc.display().to_string(), "--runs", "50", "--out", &o, "--quiet", "--charts", "none"]);
    assert!(out.join("summary.csv").exists());
    assert!(!out.join("by_region.csv").exists() && !out.join("by_owner.csv").exists());
}

#[test]
fn merged_shards_write_the_same_scope_files() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = |name: &str| tmp.path().join(name).display().to_string();
    let sc = example();
    run_ok(&["run", &sc, "--runs", "130", "--seed", "9", "--out", &dir("whole"), "--quiet"]);
    let mut shards = Vec::new();
    for k in [3, 1, 2] {
        let d = dir(&format!("shard-{k}"));
        run_ok(&["run", &sc, "--runs", "130", "--seed", "9", "--shard", &format!("{k}/3"), "--out", &d, "--quiet"]);
        shards.push(d);
    }
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(String::as_str));
    let merged = dir("merged");
    args.extend(["--out", &merged, "--quiet"]);
    run_ok(&args);
    for file in ["by_region.csv", "by_owner.csv", "summary.csv", "report.html"] {
        let a = read(&tmp.path().join("whole").join(file));
        let b = read(&tmp.path().join("merged").join(file));
        assert!(a == b, "{file} differs after merging three shards");
    }
}

/// by_region.csv means as (region, metric) -> value per month.
type ByMetric = HashMap<(String, String), Vec<f64>>;

/// by_region.csv binding rows as (region, metric) -> share per month, with the dates.
fn shares(text: &str) -> (ByMetric, Vec<String>) {
    let mut rows: HashMap<(String, String), Vec<f64>> = HashMap::new();
    let mut dates = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[0] == "north" && f[3] == "grid_mw" {
            dates.push(f[2].to_string());
        }
        rows.entry((f[0].to_string(), f[3].to_string())).or_default().push(f[4].parse().expect("a number"));
    }
    (rows, dates)
}

#[test]
fn the_report_names_each_region_with_its_peak_from_by_region_csv() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("o");
    let o = out.display().to_string();
    run_ok(&["run", &example(), "--runs", "300", "--seed", "5", "--out", &o, "--quiet"]);
    let html = read(&out.join("report.html"));
    let (rows, dates) = shares(&read(&out.join("by_region.csv")));
    for (region, constraint) in [("north", "power"), ("south", "space")] {
        let share = &rows[&(region.to_string(), format!("binding_{constraint}"))];
        // The first month of the largest share, computed here from the file.
        let peak = share.iter().copied().fold(0.0, f64::max);
        let month = share.iter().position(|&s| s == peak).expect("a peak");
        let expected =
            format!("In {region}, {constraint} binds in {:.0}% of runs at its peak ({})", peak * 100.0, dates[month]);
        assert!(html.contains(&expected), "report.html lacks {expected:?}");
    }
    // The south never binds on power, so its sentence does not name power.
    let south = html.split("In south,").nth(1).expect("a south sentence");
    let south = south.split('.').next().unwrap_or("");
    assert!(!south.contains("power"), "south: {south}");
}
