//! Every hand-derived case of ../shared/validation (vendored in tests/validation): load it,
//! run it, and assert the values of its expected.json (exact where deterministic, within
//! tolerance where a mean). The model v2 cases (11-15) are this repository's own, derived
//! in tests/validation/EXPECTED.md with their numbers in expected_v2.json.

use crate::support::{load, parse_summary, summarize, validation_dir, SHARED_VALIDATION_DIR};
use buildout::io::tables::csv::render_summary;
use buildout::io::tables::headline::render_headline;
use serde_json::Value;

fn expected_in(file: &str) -> Value {
    let text = std::fs::read_to_string(validation_dir().join(file)).expect("the expected values are readable");
    serde_json::from_str(&text).expect("the expected values parse")
}

fn expected() -> Value {
    expected_in("expected.json")
}

/// The model v2 cases, kept apart from the vendored expected.json.
fn expected_v2() -> Value {
    expected_in("expected_v2.json")
}

fn check_case(case: &Value) -> Vec<String> {
    let file = validation_dir().join(case["file"].as_str().expect("file"));
    let runs = case["runs"].as_u64().expect("runs");
    let seed = case["seed"].as_u64().expect("seed");
    let scenario = load(&file);
    let summary = summarize(&scenario, runs, seed);
    let rows = parse_summary(&render_summary(&scenario, &summary));
    let headline: Value =
        serde_json::from_str(&render_headline(&scenario, &summary, seed)).expect("headline.json parses");
    let all_columns = case["stat"] == "all";
    let mut bad = Vec::new();
    for check in case["checks"].as_array().expect("checks") {
        let month = check[0].as_u64().expect("month") as u32;
        let metric = check[1].as_str().expect("metric");
        let want = check[2].as_f64().expect("value");
        let tol = check.get(3).and_then(Value::as_f64).unwrap_or(1e-9 * want.abs().max(1.0));
        let Some(got) = rows.get(&(month, metric.to_string())) else {
            bad.push(format!("m={month} {metric}: missing row"));
            continue;
        };
        let columns = if all_columns { &got[..] } else { &got[..1] };
        for (i, g) in columns.iter().enumerate() {
            if (g - want).abs() > tol {
                bad.push(format!("m={month} {metric} column {i}: got {g}, want {want} (tol {tol})"));
            }
        }
    }
    for identity in case["identities"].as_array().expect("identities") {
        let lhs = identity[0].as_str().expect("lhs");
        let rhs: Vec<&str> = identity[1].as_array().expect("rhs").iter().map(|v| v.as_str().expect("name")).collect();
        for month in 0..=scenario.horizon_month() {
            let l = rows[&(month, lhs.to_string())][0];
            let r: f64 = rhs.iter().map(|m| rows[&(month, m.to_string())][0]).sum();
            if (l - r).abs() > 1e-6 * l.abs().max(1.0) {
                bad.push(format!("m={month}: {lhs} {l} != {} {r}", rhs.join("+")));
            }
        }
    }
    for entry in case.get("headline").and_then(Value::as_array).into_iter().flatten() {
        let path = entry[0].as_str().expect("path");
        let node = path.split('.').fold(&headline, |node, part| &node[part]);
        let ok = match (&entry[1], node.as_f64()) {
            (Value::Null, None) => node.is_null(),
            (want, Some(got)) => want.as_f64().is_some_and(|w| (got - w).abs() <= 1e-9 * w.abs().max(1.0)),
            _ => false,
        };
        if !ok {
            bad.push(format!("headline {path}: got {node}, want {}", entry[1]));
        }
    }
    bad
}

fn run_case(id: &str) {
    run_case_in(&expected(), id);
}

fn run_case_in(all: &Value, id: &str) {
    let case = all["cases"].as_array().expect("cases").iter().find(|c| c["id"] == id).expect("case exists");
    let bad = check_case(case);
    assert!(bad.is_empty(), "{id}:\n{}", bad.join("\n"));
}

#[test]
fn case_01_chip_limited() {
    run_case("01_chip_limited");
}

#[test]
fn case_02_power_limited() {
    run_case("02_power_limited");
}

#[test]
fn case_03_space_limited() {
    run_case("03_space_limited");
}

#[test]
fn case_04_owner_mode() {
    run_case("04_owner_mode");
}

#[test]
fn case_05_national_mode() {
    run_case("05_national_mode");
}

#[test]
fn case_07_shock_postpone() {
    run_case("07_shock_postpone");
}

#[test]
fn case_10_attrition_expectation() {
    run_case("10_attrition_expectation");
}

#[test]
fn case_11_site_connection() {
    run_case_in(&expected_v2(), "11_site_connection");
}

#[test]
fn case_12_block_remainder() {
    run_case_in(&expected_v2(), "12_block_remainder");
}

#[test]
fn case_13_whole_lot() {
    run_case_in(&expected_v2(), "13_whole_lot");
}

#[test]
fn case_14_repair_cycle() {
    run_case_in(&expected_v2(), "14_repair_cycle");
}

#[test]
fn case_15_budget_queue() {
    run_case_in(&expected_v2(), "15_budget_queue");
}

#[test]
fn every_v2_case_has_a_test_and_a_derivation() {
    let known = ["11_site_connection", "12_block_remainder", "13_whole_lot", "14_repair_cycle", "15_budget_queue"];
    let derivations = std::fs::read_to_string(validation_dir().join("EXPECTED.md")).expect("EXPECTED.md is readable");
    for case in expected_v2()["cases"].as_array().expect("cases") {
        let id = case["id"].as_str().expect("id");
        assert!(known.contains(&id), "case {id} in expected_v2.json has no test here: add one");
        assert!(derivations.contains(&format!("## {id}")), "case {id} has no derivation in EXPECTED.md");
    }
}

#[test]
fn every_case_in_expected_json_has_a_test() {
    let all = expected();
    let ids: Vec<&str> =
        all["cases"].as_array().expect("cases").iter().map(|c| c["id"].as_str().expect("id")).collect();
    let known = [
        "01_chip_limited",
        "02_power_limited",
        "03_space_limited",
        "04_owner_mode",
        "05_national_mode",
        "07_shock_postpone",
        "10_attrition_expectation",
    ];
    for id in ids {
        assert!(known.contains(&id), "case {id} in expected.json has no test here: add one");
    }
}

#[test]
fn the_vendored_cases_match_shared() {
    let shared = std::path::Path::new(SHARED_VALIDATION_DIR);
    let Ok(entries) = std::fs::read_dir(shared) else {
        eprintln!("../shared/validation is not beside the repository: checked the vendored copy only");
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.ends_with(".toml") || name == "expected.json") {
            continue;
        }
        let vendored = std::fs::read(validation_dir().join(&name)).unwrap_or_default();
        let source = std::fs::read(entry.path()).expect("readable");
        assert!(vendored == source, "tests/validation/{name} differs from ../shared/validation/{name}: copy it again");
    }
}
