//! Same seed, same bytes: output files do not depend on the thread count, and a second
//! run gives identical files.

use crate::support::{repo, run};

fn run_to(dir: &std::path::Path, threads: &str, seed: &str) {
    let scenario = repo().join("scenarios/korea-260k.toml");
    let out = run(&[
        "run",
        scenario.to_str().expect("utf-8 path"),
        "--runs",
        "600",
        "--seed",
        seed,
        "--threads",
        threads,
        "--out",
        dir.to_str().expect("utf-8 path"),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn one_and_four_threads_write_identical_bytes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (a, b, c) = (tmp.path().join("t1"), tmp.path().join("t4"), tmp.path().join("other-seed"));
    run_to(&a, "1", "7");
    run_to(&b, "4", "7");
    run_to(&c, "2", "8");
    let mut files: Vec<String> = std::fs::read_dir(&a)
        .expect("listed")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let charts = buildout::io::chart::ChartKind::ALL.map(|k| k.file_stem());
    let mut expected: Vec<String> = charts.iter().flat_map(|c| [format!("{c}.png"), format!("{c}.svg")]).collect();
    // korea-260k has four regions and several owners: by_region.csv and by_owner.csv too.
    expected.extend(
        [
            "by_owner.csv",
            "by_region.csv",
            "exceedance.csv",
            "headline.json",
            "report.html",
            "sensitivity.csv",
            "summary.csv",
        ]
        .map(String::from),
    );
    expected.sort();
    assert_eq!(files, expected);
    for file in &files {
        let x = std::fs::read(a.join(file)).expect("written");
        let y = std::fs::read(b.join(file)).expect("written");
        assert!(x == y, "{file} differs between 1 and 4 threads");
        let z = std::fs::read(c.join(file)).expect("written");
        assert!(x != z, "{file} does not depend on the seed");
    }
    // A second run with the same seed and threads writes the same bytes again.
    let again = tmp.path().join("again");
    run_to(&again, "1", "7");
    for file in &files {
        assert!(
            std::fs::read(a.join(file)).unwrap() == std::fs::read(again.join(file)).unwrap(),
            "{file} changed on rerun"
        );
    }
}
