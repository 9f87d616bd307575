//! Bad input: one test per error class. Each asserts exit status 2, the file, line and
//! column in the message, the message itself, and that a prior output folder is untouched.

use crate::support::run;

/// A small valid scenario; line numbers below refer to it.
const BASE: &str = r#"[scenario]
name = "t"
start = "2026-01"
horizon = "2026-12"

[chips.b200]
origin = "US"
power_kw = 1.8
pflops = 2.25

[[regions]]
name = "capital"
grid_mw = 100.0

[[sites]]
name = "S1"
owner = "gov"
region = "capital"
it_mw = 50.0
pue = 1.2
ready = "2026-03"
delay_months = { dist = "pert", min = 0, mode = 2, max = 6 }

[[deliveries]]
name = "t1"
chip = "b200"
count = 1000
owner = "gov"
arrive = "2026-02"
"#;

/// Replaces line `line` (1-based) of BASE with `with` (which may hold several lines).
fn edit(line: usize, with: &str) -> String {
    let mut lines: Vec<&str> = BASE.lines().collect();
    lines[line - 1] = with;
    lines.join("\n") + "\n"
}

/// Runs `run` on `text` over a prior output folder; asserts exit 2, that stderr holds
/// every `expected` fragment, and that the prior folder is exactly as it was.
fn rejects(text: &str, expected: &[&str]) -> String {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("test.toml");
    std::fs::write(&file, text).expect("write scenario");
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).expect("prior output");
    std::fs::write(out.join("summary.csv"), "previous results\n").expect("prior file");
    let res = run(&["run", file.to_str().unwrap(), "--runs", "3", "--out", out.to_str().unwrap(), "--quiet"]);
    let stderr = String::from_utf8_lossy(&res.stderr).into_owned();
    assert_eq!(res.status.code(), Some(2), "stderr: {stderr}");
    for fragment in expected {
        let fragment = fragment.replace("FILE", file.to_str().unwrap());
        assert!(stderr.contains(&fragment), "expected {fragment:?} in:\n{stderr}");
    }
    let entries: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(entries, vec![std::ffi::OsString::from("summary.csv")], "prior folder changed");
    assert_eq!(std::fs::read_to_string(out.join("summary.csv")).unwrap(), "previous results\n");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(leftovers.iter().all(|n| !n.to_string_lossy().contains(".tmp-")), "temporary folder left: {leftovers:?}");
    stderr
}

#[test]
fn the_base_scenario_is_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("test.toml");
    std::fs::write(&file, BASE).unwrap();
    let res = run(&["validate", file.to_str().unwrap()]);
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
}

#[test]
fn toml_syntax_error() {
    rejects(&edit(13, "grid_mw = = 100"), &["FILE:13:", "error:", "  13 | grid_mw = = 100"]);
}

#[test]
fn unknown_key_points_at_the_key() {
    rejects(&edit(19, "it_mww = 50.0"), &["FILE:19:1: error: unknown key `it_mww`: did you mean `it_mw`?"]);
}

#[test]
fn wrong_type() {
    rejects(
        &edit(27, "count = \"many\""),
        &["FILE:27:9: error: `count` has the wrong type: found string \"many\", expected a whole number"],
    );
}

#[test]
fn missing_required_key() {
    let stderr = rejects(&edit(20, ""), &["error: [[sites]] is missing the required key `pue`"]);
    let line: usize = stderr.split(':').nth(1).and_then(|l| l.parse().ok()).expect("a line number");
    assert!((15..=22).contains(&line), "points into the [[sites]] table: {stderr}");
}

#[test]
fn unknown_reference_suggests_the_closest_name() {
    rejects(&edit(26, "chip = \"b20\""), &["FILE:26:8: error: unknown chip \"b20\": did you mean `b200`?"]);
    rejects(
        &edit(18, "region = \"capitol\""),
        &["FILE:18:10: error: unknown region \"capitol\": did you mean `capital`?"],
    );
}

#[test]
fn negative_count() {
    rejects(&edit(27, "count = -5"), &["FILE:27:9: error: `count` = -5 must be a whole number between 0 and"]);
}

#[test]
fn value_out_of_range() {
    rejects(&edit(20, "pue = 0.9"), &["FILE:20:7: error: `pue` = 0.9 is out of range: it must be >= 1"]);
}

#[test]
fn distribution_with_min_above_mode() {
    rejects(
        &edit(22, "delay_months = { dist = \"pert\", min = 5, mode = 2, max = 6 }"),
        &["FILE:22:16: error: `delay_months`: needs min <= mode <= max, got min 5, mode 2, max 6"],
    );
}

#[test]
fn distribution_with_wrong_parameters() {
    rejects(
        &edit(22, "delay_months = { dist = \"lognormal\", median = 3, p95 = 12 }"),
        &["FILE:22:16: error: `delay_months`: \"lognormal\" takes exactly {median, p90} or {p5, p95}"],
    );
}

#[test]
fn date_in_the_wrong_format() {
    rejects(
        &edit(21, "ready = \"2026-3\""),
        &["FILE:21:9: error: `ready` = \"2026-3\" is not a date: write \"YYYY-MM\""],
    );
}

#[test]
fn horizon_before_start() {
    rejects(&edit(4, "horizon = \"2025-12\""), &["FILE:4:11: error: horizon 2025-12 must be after start 2026-01"]);
}

#[test]
fn target_date_outside_the_horizon() {
    let text = format!("{BASE}\n[target]\noperational = 10\nby = \"2035-01\"\n");
    rejects(&text, &["FILE:33:6: error: `by` = 2035-01 must lie between start 2026-01 and horizon 2026-12"]);
}

#[test]
fn named_site_of_another_owner() {
    rejects(
        &edit(28, "owner = \"corp\"\nsite = \"S1\""),
        &["FILE:29:8: error: site \"S1\" belongs to \"gov\", not to this delivery's owner \"corp\""],
    );
}

#[test]
fn duplicate_site_names() {
    let text = format!("{BASE}\n[[sites]]\nname = \"S1\"\nowner = \"gov\"\nregion = \"capital\"\nit_mw = 1\npue = 1\nready = \"2026-01\"\n");
    rejects(&text, &["FILE:32:8: error: site \"S1\" is defined twice"]);
}

#[test]
fn every_error_in_the_file_is_reported_at_once() {
    let text = edit(26, "chip = \"b20\"").replace("pue = 1.2", "pue = 0.5");
    rejects(&text, &["FILE:20:7: error: `pue`", "FILE:26:8: error: unknown chip"]);
}

#[test]
fn validate_reports_errors_with_status_2_and_warns_about_homeless_owners() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("test.toml");
    std::fs::write(&file, edit(28, "owner = \"nobody\"")).unwrap();
    let res = run(&["validate", file.to_str().unwrap()]);
    assert!(res.status.success());
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(stderr.contains(":28:9: warning: owner \"nobody\" has no site"), "{stderr}");
    std::fs::write(&file, edit(27, "count = -1")).unwrap();
    assert_eq!(run(&["validate", file.to_str().unwrap()]).status.code(), Some(2));
}

#[test]
fn missing_file_and_bad_flags_are_bad_input() {
    assert_eq!(run(&["run", "/nonexistent/x.toml", "--quiet"]).status.code(), Some(2));
    assert_eq!(run(&["run", "x.toml", "--runs", "0"]).status.code(), Some(2));
    assert_eq!(run(&["run", "x.toml", "--bogus"]).status.code(), Some(2));
}
