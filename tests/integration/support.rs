//! Helpers shared by the integration tests: running the binary, loading scenarios,
//! reading summary.csv, generating random valid scenarios.

use buildout::core::ensemble::{simulate, Silent};
use buildout::core::scenario::Scenario;
use buildout::core::stats::Summary;
use buildout::io::scenario_file::{load_file, load_str};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/validation` beside the repository.
pub fn validation_dir() -> PathBuf {
    repo().join("../shared/validation")
}

/// Runs the built binary with `args`.
pub fn buildout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_buildout")).args(args).output().expect("the binary runs")
}

/// Loads a scenario file, panicking with the rendered errors if it is invalid.
pub fn load(path: &Path) -> Scenario {
    match load_file(path) {
        Ok(l) => l.scenario,
        Err(e) => panic!("{} does not load:\n{e}", path.display()),
    }
}

/// Loads scenario text, panicking with the rendered errors if it is invalid.
pub fn load_text(text: &str) -> Scenario {
    match load_str(Path::new("test.toml"), text) {
        Ok(l) => l.scenario,
        Err(e) => panic!("scenario does not load:\n{e}\n{text}"),
    }
}

/// Runs the Monte Carlo in-process.
pub fn summarize(scenario: &Scenario, runs: u64, seed: u64) -> Summary {
    simulate(scenario, seed, 0..runs, Some(2), &Silent).expect("not interrupted").summarize(scenario)
}

/// summary.csv text as (month, metric) -> [mean, p5, ..., p95].
pub fn parse_summary(text: &str) -> HashMap<(u32, String), [f64; 8]> {
    let mut rows = HashMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 11, "row {line}");
        let mut vals = [0.0; 8];
        for (v, s) in vals.iter_mut().zip(&f[3..]) {
            *v = s.parse().expect("a number");
        }
        rows.insert((f[0].parse().expect("a month"), f[2].to_string()), vals);
    }
    rows
}
