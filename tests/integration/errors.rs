//! The error catalogue of docs/errors.md: each class with its message, its line and
//! column, exit status 2, and the previous output folder left untouched.

use super::support::{run, snapshot, write, BASE};

/// Runs `buildout run` on BASE edited by `edit` into a folder holding earlier results;
/// asserts exit 2, that the first line is `FILE:LINE:COL: error: MESSAGE` (or
/// `FILE: error: MESSAGE` when `at` is None), and that the earlier results are intact.
fn check(edit: impl Fn(&str) -> String, at: Option<(usize, usize)>, message: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = write(dir.path(), "good.toml", BASE);
    let out = dir.path().join("out");
    let out_s = out.to_str().expect("utf-8");
    let first = run(&["run", good.to_str().expect("utf-8"), "--out", out_s, "--quiet"]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let before = snapshot(&out);

    let text = edit(BASE);
    assert_ne!(text, BASE, "the edit changed nothing");
    let bad = write(dir.path(), "bad.toml", &text);
    let bad_s = bad.to_str().expect("utf-8");
    for args in [vec!["run", bad_s, "--out", out_s, "--quiet"], vec!["validate", bad_s]] {
        let o = run(&args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        let head = stderr.lines().next().unwrap_or("");
        let want = match at {
            Some((l, c)) => format!("{bad_s}:{l}:{c}: error: {message}"),
            None => format!("{bad_s}: error: {message}"),
        };
        assert_eq!(head, want, "\n{stderr}");
        if at.is_some() {
            // The offending line is quoted with a caret under the column.
            assert!(stderr.lines().nth(2).is_some_and(|l| l.trim_end().ends_with('^')), "{stderr}");
        }
    }
    assert_eq!(snapshot(&out), before, "a rejected scenario touched the output folder");
}

#[test]
fn toml_syntax() {
    check(|t| t.replace("pue = 1.2", "pue = 1.2.3"), Some((23, 10)), "expected newline, `#`");
}

#[test]
fn unknown_key_with_suggestion() {
    check(|t| t.replace("pue = 1.2", "pue = 1.2\npeu = 1.3"), Some((24, 1)), "unknown key `peu`: did you mean `pue`?");
}

#[test]
fn unknown_key_lists_the_allowed_keys() {
    check(
        |t| t.replace("grid_mw = 1000.0", "grid_mw = 1000.0\ncolour = \"red\""),
        Some((17, 1)),
        "unknown key `colour`: the keys allowed here are `name`, `grid_mw`, `electricity_usd_per_mwh`",
    );
}

#[test]
fn unknown_table() {
    check(
        |t| t.replace("[scenario]", "[scenarios]"),
        Some((1, 2)),
        "unknown key `scenarios`: did you mean `scenario`?",
    );
}

#[test]
fn wrong_type() {
    check(
        |t| t.replace("it_mw = 500.0", "it_mw = \"lots\""),
        Some((22, 9)),
        "`it_mw` has the wrong type: found string \"lots\", expected a number",
    );
    check(
        |t| t.replace("count = 10000", "count = 100.5"),
        Some((29, 9)),
        "`count` has the wrong type: found number `100.5`, expected a whole number",
    );
    check(
        |t| t.replace("[[sites]]", "[sites]"),
        Some((18, 1)),
        "`sites` has the wrong type: found table, expected an array of tables, written [[...]]",
    );
}

#[test]
fn missing_key() {
    check(
        |t| t.replace("it_mw = 500.0\n", ""),
        Some((18, 1)),
        "[[sites]] is missing the required key `it_mw`: add `it_mw = ...`",
    );
    check(
        |t| t.split("[chips.us1]").nth(1).map(|rest| format!("[chips.us1]{rest}")).unwrap_or_default(),
        None,
        "the file has no [scenario] table: add one with name, start and horizon",
    );
}

#[test]
fn unknown_reference_with_suggestion() {
    check(
        |t| t.replace("chip = \"us1\"", "chip = \"us2\""),
        Some((28, 8)),
        "unknown chip \"us2\": did you mean `us1`?",
    );
    check(
        |t| t.replace("region = \"r1\"", "region = \"r2\""),
        Some((21, 10)),
        "unknown region \"r2\": did you mean `r1`?",
    );
}

#[test]
fn value_out_of_range() {
    check(
        |t| t.replace("pue = 1.2", "pue = 0.8"),
        Some((23, 7)),
        "`pue` = 0.8 is out of range: it must be >= 1 and at most 10",
    );
    check(|t| t.replace("pflops = 2.0", "pflops = nan"), Some((12, 10)), "`pflops` must be a finite number, not NaN");
}

#[test]
fn inconsistent_distribution() {
    check(
        |t| {
            t.replace(
                "arrive = \"2026-03\"",
                "arrive = \"2026-03\"\ndelay_months = { dist = \"pert\", min = 5, mode = 2, max = 6 }",
            )
        },
        Some((32, 16)),
        "`delay_months`: needs min <= mode <= max, got min 5, mode 2, max 6",
    );
    check(
        |t| {
            t.replace(
                "arrive = \"2026-03\"",
                "arrive = \"2026-03\"\ndelay_months = { dist = \"lognormal\", median = 5, p90 = 2 }",
            )
        },
        Some((32, 16)),
        "`delay_months`: lognormal needs 0 < median < p90, got median 5, p90 2",
    );
}

#[test]
fn date_format_and_order() {
    check(
        |t| t.replace("arrive = \"2026-03\"", "arrive = \"March 2026\""),
        Some((31, 10)),
        "`arrive` = \"March 2026\" is not a date: write \"YYYY-MM\", e.g. \"2027-03\"",
    );
    check(
        |t| t.replace("horizon = \"2026-12\"", "horizon = \"2025-12\""),
        Some((4, 11)),
        "horizon 2025-12 must be after start 2026-01",
    );
}

#[test]
fn negative_count_and_out_of_window_target() {
    check(
        |t| t.replace("count = 10000", "count = -5"),
        Some((29, 9)),
        "`count` = -5 must be a whole number between 0 and 1000000000",
    );
    check(
        |t| format!("{t}\n[target]\noperational = 10\nby = \"2035-01\"\n"),
        Some((35, 6)),
        "`by` = 2035-01 must lie between start 2026-01 and horizon 2026-12",
    );
}

#[test]
fn distribution_with_the_wrong_parameters() {
    check(
        |t| {
            t.replace(
                "arrive = \"2026-03\"",
                "arrive = \"2026-03\"\ndelay_months = { dist = \"lognormal\", median = 3, p95 = 12 }",
            )
        },
        Some((32, 16)),
        "`delay_months`: \"lognormal\" takes exactly {median, p90} or {p5, p95}",
    );
}

#[test]
fn named_site_of_another_owner_and_duplicate_names() {
    check(
        |t| t.replace("owner = \"gov\"\narrive", "owner = \"corp\"\nsite = \"S1\"\narrive"),
        Some((31, 8)),
        "site \"S1\" belongs to \"gov\", not to this delivery's owner \"corp\": name one of \"corp\"'s sites or change the owner",
    );
    check(
        |t| {
            format!("{t}\n[[sites]]\nname = \"S1\"\nowner = \"gov\"\nregion = \"r1\"\nit_mw = 1\npue = 1\nready = \"2026-01\"\n")
        },
        Some((34, 8)),
        "site \"S1\" is defined twice: site names must be unique",
    );
}

#[test]
fn every_error_in_the_file_is_reported_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = BASE.replace("chip = \"us1\"", "chip = \"us2\"").replace("pue = 1.2", "pue = 0.5");
    let bad = write(dir.path(), "bad.toml", &text);
    let o = run(&["validate", bad.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains(":23:7: error: `pue`") && stderr.contains(":28:8: error: unknown chip"), "{stderr}");
}

#[test]
fn validate_warns_about_an_owner_without_sites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = BASE.replace("owner = \"gov\"\narrive", "owner = \"nobody\"\narrive");
    let file = write(dir.path(), "w.toml", &text);
    let o = run(&["validate", file.to_str().expect("utf-8")]);
    assert!(o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains(":30:9: warning: owner \"nobody\" has no site"), "{stderr}");
}

#[test]
fn missing_file_and_bad_flags_are_bad_input() {
    assert_eq!(run(&["run", "/nonexistent/x.toml", "--quiet"]).status.code(), Some(2));
    assert_eq!(run(&["run", "x.toml", "--runs", "0"]).status.code(), Some(2));
    assert_eq!(run(&["run", "x.toml", "--bogus"]).status.code(), Some(2));
}
