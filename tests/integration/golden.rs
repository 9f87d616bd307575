//! Golden output hashes: every bundled scenario and validation case, run with a fixed seed
//! and run count, and the compare, sweep and shard-merge studies, must write exactly the
//! bytes recorded in `tests/golden/hashes.txt`. A refactor keeps every hash; a commit that
//! changes output on purpose reruns with `BUILDOUT_UPDATE_GOLDEN=1` and says why in its
//! message.

use crate::support::{buildout, repo};
use std::path::{Path, PathBuf};

const GOLDEN: &str = "tests/golden/hashes.txt";
const RUNS: &str = "300";
const SEED: &str = "11";

/// FNV-1a, 64 bits: enough to tell two files apart, and independent of the code under test.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Runs the binary from the repository root, so scenario paths (which `partial.json`
/// records) are the same relative paths on every machine.
fn run_ok(args: &[&str]) -> String {
    let out = buildout().current_dir(repo()).args(args).output().expect("the buildout binary runs");
    assert!(out.status.success(), "buildout {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `case/stdout hash` for what a command printed, less the line naming its temporary folder.
fn hash_stdout(case: &str, stdout: &str, lines: &mut Vec<String>) {
    let kept: String = stdout.lines().filter(|l| !l.starts_with("written to")).map(|l| format!("{l}\n")).collect();
    lines.push(format!("{case}/stdout {:016x}", fnv1a(kept.as_bytes())));
}

/// `case/file hash` for every file in `dir`, sorted.
fn hash_lines(case: &str, dir: &Path, lines: &mut Vec<String>) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).expect("output folder").flatten().map(|e| e.path()).collect();
    files.sort();
    for f in files {
        let bytes = std::fs::read(&f).expect("output file");
        let name = f.file_name().expect("a file name").to_string_lossy().into_owned();
        lines.push(format!("{case}/{name} {:016x}", fnv1a(&bytes)));
    }
}

/// Relative paths of every bundled scenario and validation case, sorted.
fn cases() -> Vec<String> {
    let mut out = Vec::new();
    for folder in ["scenarios", "scenarios/presets", "scenarios/examples", "tests/validation"] {
        let mut names: Vec<String> = std::fs::read_dir(repo().join(folder))
            .expect("a scenario folder")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|n| format!("{folder}/{n}")));
    }
    out
}

fn produce(tmp: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    let out_of = |name: &str| tmp.join(name.replace('/', "_"));
    let common = ["--runs", RUNS, "--seed", SEED, "--threads", "2", "--quiet", "--charts", "all"];
    for case in cases() {
        let out = out_of(&case);
        let out_s = out.to_str().expect("utf-8 path");
        let mut args = vec!["run", case.as_str(), "--out", out_s];
        args.extend(common);
        if case == "scenarios/korea-260k.toml" {
            args.extend(["--trace", "3"]);
        }
        run_ok(&args);
        hash_lines(&case, &out, &mut lines);
    }

    let console = tmp.join("console");
    let text = run_ok(&[
        "run",
        "scenarios/korea-260k.toml",
        "--runs",
        RUNS,
        "--seed",
        SEED,
        "--charts",
        "none",
        "--no-report",
        "--out",
        console.to_str().expect("utf-8 path"),
    ]);
    hash_stdout("console", &text, &mut lines);

    let loud = ["--runs", RUNS, "--seed", SEED, "--threads", "2", "--charts", "all"];
    let compare = tmp.join("compare");
    let mut args = vec![
        "compare",
        "scenarios/korea-260k.toml",
        "scenarios/korea-power-limited.toml",
        "scenarios/korea-chip-limited.toml",
        "--out",
        compare.to_str().expect("utf-8 path"),
    ];
    args.extend(loud);
    let text = run_ok(&args);
    hash_stdout("compare", &text, &mut lines);
    hash_lines("compare", &compare, &mut lines);

    let sweep = tmp.join("sweep");
    let mut args = vec![
        "sweep",
        "scenarios/korea-260k.toml",
        "--set",
        "deliveries.\"Naver lot 1\".count=5000,10000,20000",
        "--out",
        sweep.to_str().expect("utf-8 path"),
    ];
    args.extend(loud);
    let text = run_ok(&args);
    hash_stdout("sweep", &text, &mut lines);
    hash_lines("sweep", &sweep, &mut lines);

    let shards: Vec<PathBuf> = (1..=2).map(|k| tmp.join(format!("shard{k}"))).collect();
    for (k, dir) in shards.iter().enumerate() {
        let shard = format!("{}/2", k + 1);
        let mut args = vec![
            "run",
            "scenarios/korea-export-shock.toml",
            "--shard",
            shard.as_str(),
            "--out",
            dir.to_str().expect("utf-8 path"),
        ];
        args.extend(common);
        run_ok(&args);
        hash_lines(&format!("shard{}", k + 1), dir, &mut lines);
    }
    let merged = tmp.join("merged");
    run_ok(&[
        "merge",
        shards[0].to_str().expect("utf-8 path"),
        shards[1].to_str().expect("utf-8 path"),
        "--out",
        merged.to_str().expect("utf-8 path"),
        "--quiet",
    ]);
    hash_lines("merged", &merged, &mut lines);
    lines
}

#[test]
fn every_output_file_keeps_its_recorded_bytes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let lines = produce(tmp.path());
    let text = lines.join("\n") + "\n";
    let golden = repo().join(GOLDEN);
    if std::env::var_os("BUILDOUT_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().expect("a parent")).expect("golden folder");
        std::fs::write(&golden, &text).expect("write the golden hashes");
        return;
    }
    let recorded =
        std::fs::read_to_string(&golden).expect("tests/golden/hashes.txt (BUILDOUT_UPDATE_GOLDEN=1 writes it)");
    let recorded: Vec<&str> = recorded.lines().collect();
    let changed: Vec<String> = lines
        .iter()
        .filter(|l| !recorded.contains(&l.as_str()))
        .map(|l| format!("  now   {l}"))
        .chain(recorded.iter().filter(|l| !lines.iter().any(|x| x == *l)).map(|l| format!("  was   {l}")))
        .collect();
    assert!(
        changed.is_empty(),
        "{} output file(s) changed bytes (rerun with BUILDOUT_UPDATE_GOLDEN=1 only in a commit that says why):\n{}",
        changed.len() / 2,
        changed.join("\n")
    );
}
