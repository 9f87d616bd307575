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

// Model v2 keys (docs/model.md section 9; docs/errors.md "Model v2 keys"). Line numbers
// are those of BASE after each edit: a key added after `pflops` is line 13, one added
// after `grid_mw` line 17, keys replacing the delivery's `arrive` start at line 31, and
// an item added at the end starts at line 33.

/// A factor items may load on, to add at the end of BASE.
const FACTOR: &str = "\n[[factors]]\nname = \"transformers\"\n";
/// A second factor.
const STEEL: &str = "\n[[factors]]\nname = \"steel\"\n";
/// The delivery's `arrive`, then a delay a factor can correlate.
const PERT: &str = "arrive = \"2026-03\"\ndelay_months = { dist = \"pert\", min = 0, mode = 2, max = 6 }";
/// A budget line of 1e9 USD, to add at the end of BASE.
const LINE: &str = "\n[[budgets]]\nname = \"line\"\namounts_usd = { 2026 = 1e9 }\n";

/// `t` with the delivery's `arrive = "2026-03"` replaced by `keys`, and `tail` at the end.
fn delivery_with(t: &str, keys: &str, tail: &str) -> String {
    format!("{}{tail}", t.replace("arrive = \"2026-03\"", keys))
}

/// `t` whose delivery has a PERT delay and `factors = LOADINGS`, with `tail` at the end.
fn loadings(t: &str, loadings: &str, tail: &str) -> String {
    delivery_with(t, &format!("{PERT}\nfactors = {loadings}"), tail)
}

/// `t` with `key` added to the chip (line 13).
fn chip_with(t: &str, key: &str) -> String {
    t.replace("pflops = 2.0", &format!("pflops = 2.0\n{key}"))
}

/// `t` with a price on the chip (line 13), a budget line `amounts` at the end, and the
/// delivery paid from it (line 32).
fn budgeted(t: &str, amounts: &str) -> String {
    let priced = chip_with(t, "price_usd = 30000.0");
    let tail = format!("\n[[budgets]]\nname = \"line\"\namounts_usd = {amounts}\n");
    delivery_with(&priced, "arrive = \"2026-03\"\nbudget = \"line\"", &tail)
}

/// `t` whose delivery is installed in site S1 (lines 31-32) with `more` keys after it.
fn installed(t: &str, date: &str, more: &str) -> String {
    delivery_with(t, &format!("site = \"S1\"\ninstalled = \"{date}\"{more}"), "")
}

/// Runs `buildout validate` on BASE edited by `edit`: exit 2, and the head lines of the
/// diagnostics (`FILE:LINE:COL: error: MESSAGE`) are exactly `want`, in order.
fn check_all(edit: impl Fn(&str) -> String, want: &[((usize, usize), &str)]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = write(dir.path(), "bad.toml", &edit(BASE));
    let bad_s = bad.to_str().expect("utf-8");
    let o = run(&["validate", bad_s]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    let heads: Vec<&str> = stderr.lines().filter(|l| l.starts_with(bad_s)).collect();
    let want: Vec<String> = want.iter().map(|((l, c), m)| format!("{bad_s}:{l}:{c}: error: {m}")).collect();
    assert_eq!(heads, want, "\n{stderr}");
}

/// Runs `buildout validate` on BASE edited by `edit`: it succeeds, and stderr holds
/// exactly one diagnostic, `FILE:LINE:COL: warning: MESSAGE`, quoted with its caret.
fn check_warning(edit: impl Fn(&str) -> String, (line, col): (usize, usize), message: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "w.toml", &edit(BASE));
    let file_s = file.to_str().expect("utf-8");
    let o = run(&["validate", file_s]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "one warning, its line and its caret:\n{stderr}");
    assert_eq!(lines[0], format!("{file_s}:{line}:{col}: warning: {message}"), "\n{stderr}");
    assert!(lines[2].trim_end().ends_with('^'), "{stderr}");
}

/// Runs `buildout validate` on BASE edited by `edit`: it succeeds with no diagnostic.
fn check_accepted(edit: impl Fn(&str) -> String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "ok.toml", &edit(BASE));
    let o = run(&["validate", file.to_str().expect("utf-8")]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn v2_unknown_factor_names_the_factors() {
    check(
        |t| loadings(t, "{ \"transformer\" = 0.5 }", FACTOR),
        Some((33, 13)),
        "unknown factor \"transformer\": did you mean `transformers`?",
    );
    check(
        |t| loadings(t, "{ \"labour\" = 0.5 }", &format!("{FACTOR}{STEEL}")),
        Some((33, 13)),
        "unknown factor \"labour\": valid names: `transformers`, `steel`",
    );
    check(|t| loadings(t, "{ \"steel\" = 0.5 }", ""), Some((33, 13)), "unknown factor \"steel\": none is defined");
    let power = "\n[[power]]\nregion = \"r1\"\nmw = 10\nonline = \"2026-06\"\n\
                 delay_months = { dist = \"uniform\", min = 0, max = 6 }\nfactors = { \"transformerz\" = 0.5 }\n";
    check(
        |t| format!("{t}{FACTOR}{power}"),
        Some((41, 13)),
        "unknown factor \"transformerz\": did you mean `transformers`?",
    );
}

#[test]
fn v2_loadings_out_of_range_or_not_numbers() {
    check(
        |t| loadings(t, "{ \"transformers\" = 1.5 }", FACTOR),
        Some((33, 13)),
        "the loading on \"transformers\" = 1.5 is out of range: it must be from -1 to 1",
    );
    check(
        |t| loadings(t, "{ \"transformers\" = -1.01 }", FACTOR),
        Some((33, 13)),
        "the loading on \"transformers\" = -1.01 is out of range: it must be from -1 to 1",
    );
    check(
        |t| loadings(t, "{ \"transformers\" = nan }", FACTOR),
        Some((33, 13)),
        "the loading on \"transformers\" must be a finite number from -1 to 1, not NaN",
    );
    check(
        |t| loadings(t, "{ \"transformers\" = \"high\" }", FACTOR),
        Some((33, 13)),
        "the loading on \"transformers\" is not a number: write a loading from -1 to 1, e.g. `\"transformers\" = 0.8`",
    );
    check(
        |t| loadings(t, "0.8", FACTOR),
        Some((33, 11)),
        "`factors` has the wrong type: found number `0.8`, expected a table of loadings by factor name, like { \"transformer lead times\" = 0.8 }",
    );
}

#[test]
fn v2_squared_loadings_above_one() {
    let both = format!("{FACTOR}{STEEL}");
    check(
        |t| loadings(t, "{ \"transformers\" = 0.8, \"steel\" = 0.7 }", &both),
        Some((33, 11)),
        "the squared loadings sum to 1.1300, more than 1: a delay can share at most all of its variation; lower the loadings",
    );
    // Just over: shown with every digit rather than as "1.0000".
    check(
        |t| loadings(t, "{ \"transformers\" = 0.6, \"steel\" = 0.80001 }", &both),
        Some((33, 11)),
        "the squared loadings sum to 1.0000160001, more than 1: a delay can share at most all of its variation; lower the loadings",
    );
    // 0.36 + 0.64 is 1.0000000000000002 in binary: inside the 1e-12 allowance.
    check_accepted(|t| loadings(t, "{ \"transformers\" = 0.6, \"steel\" = 0.8 }", &both));
}

#[test]
fn v2_factors_need_a_delay_distribution() {
    let fixed_or_absent = "`factors` needs a `delay_months` distribution to correlate, but this item's delay is fixed \
                           or absent: give `delay_months` a distribution or remove `factors`";
    let on_delivery = |keys: &'static str| move |t: &str| delivery_with(t, keys, FACTOR);
    check(
        on_delivery("arrive = \"2026-03\"\ndelay_months = 3\nfactors = { \"transformers\" = 0.5 }"),
        Some((33, 11)),
        fixed_or_absent,
    );
    check(
        on_delivery(
            "arrive = \"2026-03\"\ndelay_months = { dist = \"fixed\", value = 3 }\nfactors = { \"transformers\" = 0.5 }",
        ),
        Some((33, 11)),
        fixed_or_absent,
    );
    check(on_delivery("arrive = \"2026-03\"\nfactors = { \"transformers\" = 0.5 }"), Some((32, 11)), fixed_or_absent);
    check(
        |t| {
            format!(
                "{}{FACTOR}",
                t.replace("ready = \"2026-01\"", "ready = \"2026-01\"\nfactors = { \"transformers\" = 0.5 }")
            )
        },
        Some((25, 11)),
        fixed_or_absent,
    );
    check(
        |t| {
            format!("{t}{FACTOR}\n[[power]]\nregion = \"r1\"\nmw = 10\nonline = \"2026-06\"\nfactors = {{ \"transformers\" = 0.5 }}\n")
        },
        Some((40, 11)),
        fixed_or_absent,
    );
}

#[test]
fn v2_every_loading_problem_is_reported_with_the_delay_problem() {
    check_all(
        |t| delivery_with(t, "arrive = \"2026-03\"\ndelay_months = 2\nfactors = { \"steel\" = 0.5 }", FACTOR),
        &[
            (
                (33, 11),
                "`factors` needs a `delay_months` distribution to correlate, but this item's delay is fixed or \
                 absent: give `delay_months` a distribution or remove `factors`",
            ),
            ((33, 13), "unknown factor \"steel\": valid names: `transformers`"),
        ],
    );
    check_all(
        |t| {
            delivery_with(
                t,
                "arrive = \"2026-03\"\ndelay_months = { dist = \"pert\", min = 5, mode = 2, max = 6 }\n\
                 factors = { \"transformer\" = 0.5 }",
                FACTOR,
            )
        },
        &[
            ((32, 16), "`delay_months`: needs min <= mode <= max, got min 5, mode 2, max 6"),
            ((33, 13), "unknown factor \"transformer\": did you mean `transformers`?"),
        ],
    );
}

#[test]
fn v2_factor_table_errors() {
    check(
        |t| format!("{t}\n[[factors]]\ndescription = \"x\"\n"),
        Some((33, 1)),
        "[[factors]] is missing the required key `name`: add `name = ...`",
    );
    check(
        |t| format!("{t}\n[[factors]]\nname = 5\n"),
        Some((34, 8)),
        "`name` has the wrong type: found integer `5`, expected a string in quotes",
    );
    check(
        |t| loadings(t, "{ \"transformers\" = 0.5 }", &format!("{FACTOR}{FACTOR}")),
        Some((39, 8)),
        "factor \"transformers\" is defined twice: factor names must be unique",
    );
}

#[test]
fn v2_a_factor_nobody_loads_on_is_a_warning() {
    check_warning(
        |t| format!("{t}{FACTOR}"),
        (33, 1),
        "no item loads on factor \"transformers\": it changes nothing; add it to a `factors` table or remove it",
    );
}

#[test]
fn v2_warranty_and_repair_out_of_range() {
    check(
        |t| chip_with(t, "warranty_years = -1"),
        Some((13, 18)),
        "`warranty_years` = -1 is out of range: it must be between 0 and 100",
    );
    check(
        |t| chip_with(t, "warranty_years = \"3\""),
        Some((13, 18)),
        "`warranty_years` has the wrong type: found string \"3\", expected a number",
    );
    check(
        |t| chip_with(t, "warranty_years = nan"),
        Some((13, 18)),
        "`warranty_years` must be a finite number, not NaN",
    );
    check(
        |t| chip_with(t, "repair_months = -0.5"),
        Some((13, 17)),
        "`repair_months` = -0.5 is out of range: it must be between 0 and 120",
    );
    check(
        |t| chip_with(t, "repair_months = { dist = \"uniform\", min = 1, max = 2 }"),
        Some((13, 17)),
        "`repair_months` has the wrong type: found table, expected a number",
    );
}

#[test]
fn v2_block_must_be_a_whole_number_from_one() {
    check(
        |t| chip_with(t, "block = 0"),
        Some((13, 9)),
        "`block` = 0 must be a whole number of chips from 1 to 1000000",
    );
    check(
        |t| chip_with(t, "block = -72"),
        Some((13, 9)),
        "`block` = -72 must be a whole number of chips from 1 to 1000000",
    );
    check(
        |t| chip_with(t, "block = 2.5"),
        Some((13, 9)),
        "`block` has the wrong type: found number `2.5`, expected a whole number",
    );
    check(
        |t| chip_with(t, "block = \"72\""),
        Some((13, 9)),
        "`block` has the wrong type: found string \"72\", expected a whole number",
    );
}

#[test]
fn v2_whole_must_be_true_or_false() {
    check(
        |t| delivery_with(t, "arrive = \"2026-03\"\nwhole = \"yes\"", ""),
        Some((32, 9)),
        "`whole` has the wrong type: found string \"yes\", expected a boolean",
    );
}

#[test]
fn v2_average_load_and_electricity_price_out_of_range() {
    check(
        |t| chip_with(t, "average_load = 1.2"),
        Some((13, 16)),
        "`average_load` = 1.2 is out of range: it must be between 0 and 1",
    );
    check(
        |t| chip_with(t, "average_load = -0.1"),
        Some((13, 16)),
        "`average_load` = -0.1 is out of range: it must be between 0 and 1",
    );
    check(|t| chip_with(t, "average_load = nan"), Some((13, 16)), "`average_load` must be a finite number, not NaN");
    let priced = |price: &'static str| {
        move |t: &str| t.replace("grid_mw = 1000.0", &format!("grid_mw = 1000.0\nelectricity_usd_per_mwh = {price}"))
    };
    check(
        priced("-5"),
        Some((17, 27)),
        "`electricity_usd_per_mwh` = -5 is out of range: it must be >= 0 and at most 1e6",
    );
    check(priced("nan"), Some((17, 27)), "`electricity_usd_per_mwh` must be a finite number, not NaN");
    check(
        priced("\"95\""),
        Some((17, 27)),
        "`electricity_usd_per_mwh` has the wrong type: found string \"95\", expected a number",
    );
}

#[test]
fn v2_budget_amounts_by_year() {
    let line =
        |amounts: &'static str| move |t: &str| format!("{t}\n[[budgets]]\nname = \"line\"\namounts_usd = {amounts}\n");
    check(
        line("{ twenty = 1e9 }"),
        Some((35, 17)),
        "`amounts_usd` key \"twenty\" is not a year: write years from 1900 to 2999, e.g. `2026 = 1.5e9`",
    );
    check(
        line("{ 1800 = 1e9 }"),
        Some((35, 17)),
        "`amounts_usd` key \"1800\" is not a year: write years from 1900 to 2999, e.g. `2026 = 1.5e9`",
    );
    check(
        line("{ 2026 = -1e9 }"),
        Some((35, 17)),
        "`amounts_usd` for 2026 = -1000000000 is out of range: it must be from 0 to 1e15 USD",
    );
    check(line("{ 2026 = nan }"), Some((35, 17)), "`amounts_usd` for 2026 must be a finite number of USD, not NaN");
    check(
        line("{ 2026 = \"1e9\" }"),
        Some((35, 17)),
        "`amounts_usd` for 2026 is not a number: write the year's amount in USD, e.g. `2026 = 1.5e9`",
    );
    check(
        line("{ 2026 = 1e9, 02026 = 2e9 }"),
        Some((35, 29)),
        "`amounts_usd` gives year 2026 twice: write each year once, with the year's whole amount",
    );
    check(
        line("1e9"),
        Some((35, 15)),
        "`amounts_usd` has the wrong type: found number `1000000000.0`, expected a table of amounts by year, like { 2026 = 1.5e9, 2027 = 2.0e9 }",
    );
    check(
        |t| format!("{t}\n[[budgets]]\nname = \"line\"\n"),
        Some((33, 1)),
        "[[budgets]] is missing the required key `amounts_usd`: add `amounts_usd = ...`",
    );
    check(
        |t| format!("{t}{LINE}{LINE}"),
        Some((38, 8)),
        "budget \"line\" is defined twice: budget names must be unique",
    );
}

#[test]
fn v2_unknown_budget_line_names_the_lines() {
    let paid_from = |name: &'static str, tail: &'static str| {
        move |t: &str| {
            delivery_with(
                &chip_with(t, "price_usd = 30000.0"),
                &format!("arrive = \"2026-03\"\nbudget = \"{name}\""),
                tail,
            )
        }
    };
    check(paid_from("lines", LINE), Some((33, 10)), "unknown budget line \"lines\": did you mean `line`?");
    check(paid_from("MSIT GPU", LINE), Some((33, 10)), "unknown budget line \"MSIT GPU\": valid names: `line`");
    check(paid_from("line", ""), Some((33, 10)), "unknown budget line \"line\": none is defined");
}

#[test]
fn v2_budgeted_delivery_needs_a_price_and_enough_money() {
    check(
        |t| delivery_with(t, "arrive = \"2026-03\"\nbudget = \"line\"", LINE),
        Some((32, 10)),
        "a delivery paid from budget \"line\" needs a `price_usd` on its chip \"us1\": add one",
    );
    // 10,000 chips at 30,000 USD cost 3e8; the line gets 2.5e8 in all.
    check(
        |t| budgeted(t, "{ 2026 = 1e8, 2027 = 1.5e8 }"),
        Some((33, 10)),
        "this delivery costs 300000000 USD but budget \"line\" will only ever get 250000000 USD: it could never be \
         paid; raise the line's amounts or split the delivery",
    );
    check(
        |t| budgeted(t, "{}"),
        Some((33, 10)),
        "this delivery costs 300000000 USD but budget \"line\" will only ever get 0 USD: it could never be paid; \
         raise the line's amounts or split the delivery",
    );
    // Exactly enough, in two years (one after the horizon still counts).
    check_accepted(|t| budgeted(t, "{ 2026 = 1e8, 2027 = 2e8 }"));
}

#[test]
fn v2_power_feeds_a_region_or_a_site() {
    check(
        |t| format!("{t}\n[[power]]\nregion = \"r1\"\nsite = \"S1\"\nmw = 10\nonline = \"2026-06\"\n"),
        Some((35, 8)),
        "a [[power]] item feeds either a region's pool (`region`) or one site (`site`), not both: remove one",
    );
    check(
        |t| format!("{t}\n[[power]]\nname = \"sub\"\nmw = 10\nonline = \"2026-06\"\n"),
        Some((33, 1)),
        "[[power]] is missing `region` (a region's shared pool) or `site` (a dedicated connection): add one",
    );
    check(
        |t| format!("{t}\n[[power]]\nsite = \"S2\"\nmw = 10\nonline = \"2026-06\"\n"),
        Some((34, 8)),
        "unknown site \"S2\": did you mean `S1`?",
    );
    check(
        |t| format!("{t}\n[[power]]\nsite = \"Ulsan\"\nmw = 10\nonline = \"2026-06\"\n"),
        Some((34, 8)),
        "unknown site \"Ulsan\": valid names: `S1`",
    );
}

#[test]
fn v2_a_dedicated_connection_too_small_for_its_site_is_a_warning() {
    check_warning(
        |t| format!("{t}\n[[power]]\nname = \"link\"\nsite = \"S1\"\nmw = 100\nonline = \"2026-01\"\n"),
        (18, 1),
        "site \"S1\" draws up to 600 MW at full load (IT x PUE) but its dedicated connections bring at most 100 MW, \
         and it never draws from its region's pool: once full it will wait for power",
    );
}

#[test]
fn v2_pue_distribution() {
    let pue = |table: &'static str| move |t: &str| t.replace("pue = 1.2", &format!("pue = {table}"));
    check(
        pue("{ dist = \"uniform\", min = 0.5, max = 1.0 }"),
        Some((23, 7)),
        "`pue` has mean 0.750; it must be from 1 to 10 (draws below 1 count as 1)",
    );
    check(
        pue("{ dist = \"pert\", min = 1.3, mode = 1.2, max = 1.5 }"),
        Some((23, 7)),
        "`pue`: needs min <= mode <= max, got min 1.3, mode 1.2, max 1.5",
    );
    check(
        pue("{ dist = \"normal\", mean = nan, sd = 0.1 }"),
        Some((23, 7)),
        "`pue`: `mean` = NaN must be a finite number within ±1200",
    );
    check_accepted(pue("{ dist = \"triangular\", min = 1.1, mode = 1.2, max = 1.5 }"));
}

#[test]
fn v2_installed_date_and_site() {
    check(
        |t| installed(t, "Jan 2025", ""),
        Some((32, 13)),
        "`installed` = \"Jan 2025\" is not a date: write \"YYYY-MM\", e.g. \"2027-03\"",
    );
    check(
        |t| delivery_with(t, "site = \"S1\"\ninstalled = 2025", ""),
        Some((32, 13)),
        "`installed` has the wrong type: found integer `2025`, expected a string in quotes",
    );
    check(
        |t| installed(t, "2026-02", ""),
        Some((32, 13)),
        "`installed` = 2026-02 is after the start 2026-01: chips installed later are a delivery (use `arrive`)",
    );
    check(
        |t| delivery_with(t, "installed = \"2025-01\"", ""),
        Some((31, 13)),
        "an `installed` delivery needs the `site` its chips run in: add `site = ...`",
    );
    check(
        |t| t.replace("arrive = \"2026-03\"\n", ""),
        Some((26, 1)),
        "[[deliveries]] is missing the required key `arrive`: add `arrive = ...` (or, for chips already running at \
         the start, `installed = ...` with their `site`)",
    );
    // On the start itself is allowed.
    check_accepted(|t| installed(t, "2026-01", ""));
}

#[test]
fn v2_installed_takes_no_arrival_keys() {
    for (more, col, key) in [
        ("\narrive = \"2026-03\"", 10, "arrive"),
        ("\ndelay_months = 2", 16, "delay_months"),
        ("\nprobability = 0.5", 15, "probability"),
    ] {
        check(
            |t| installed(t, "2025-01", more),
            Some((33, col)),
            &format!("an `installed` delivery takes no `{key}`: its chips already run at the start; remove it"),
        );
    }
    check(
        |t| format!("{}{LINE}", installed(&chip_with(t, "price_usd = 30000.0"), "2025-01", "\nbudget = \"line\"")),
        Some((34, 10)),
        "an `installed` delivery takes no `budget`: its chips already run at the start; remove it",
    );
}

#[test]
fn v2_installed_needs_a_site_certainly_ready_and_large_enough() {
    let rule = ": set its `ready` on or before `start`, with no delay or probability";
    check(
        |t| installed(&t.replace("ready = \"2026-01\"", "ready = \"2026-06\""), "2025-01", ""),
        Some((31, 8)),
        &format!("installed chips need a site that is certainly ready at the start, but \"S1\" is ready after the start{rule}"),
    );
    check(
        |t| {
            let delayed = "ready = \"2026-01\"\ndelay_months = { dist = \"uniform\", min = 0, max = 3 }";
            installed(&t.replace("ready = \"2026-01\"", delayed), "2025-01", "")
        },
        Some((32, 8)),
        &format!(
            "installed chips need a site that is certainly ready at the start, but \"S1\" has an uncertain \
             `delay_months`{rule}"
        ),
    );
    check(
        |t| installed(&t.replace("ready = \"2026-01\"", "ready = \"2026-01\"\nprobability = 0.9"), "2025-01", ""),
        Some((32, 8)),
        &format!(
            "installed chips need a site that is certainly ready at the start, but \"S1\" may not be built \
             (`probability` = 0.9){rule}"
        ),
    );
    check(
        |t| installed(&t.replace("count = 10000", "count = 600000"), "2025-01", ""),
        Some((18, 1)),
        "the chips installed in site \"S1\" need 600 MW of IT power but it has 500 MW: raise `it_mw` or lower their count",
    );
}
