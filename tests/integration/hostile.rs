//! Hostile input: a structured generator mutates the bundled scenarios (drop, duplicate
//! or retype keys, extreme numbers, NaN and infinities, empty strings, unicode, long
//! names, deep nesting). Loading and validating never panics; every rejection is a
//! clean error that names file:line:col unless it concerns the whole file; a mutant
//! that still validates runs two short runs without panicking.

use super::load_property::check_load;
use super::support::bundled;
use proptest::prelude::*;

/// Values a key may be given instead of its own.
fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"\"".to_string()),
        Just("\"   \"".to_string()),
        Just("\"名前 🚀 \u{202e}ltr\"".to_string()),
        Just("\"e\u{301}\u{0}\"".to_string()),
        (1usize..20_000).prop_map(|n| format!("\"{}\"", "x".repeat(n))),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("-nan".to_string()),
        Just("0".to_string()),
        Just("-0.0".to_string()),
        Just("1e-300".to_string()),
        Just("5e-324".to_string()),
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("1e15".to_string()),
        Just("9223372036854775807".to_string()),
        Just("-9223372036854775808".to_string()),
        Just("18446744073709551615".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("true".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        Just("[]".to_string()),
        Just("[1, \"a\"]".to_string()),
        Just("{}".to_string()),
        Just("{ dist = \"pert\", min = nan, mode = 0, max = inf }".to_string()),
        Just("{ dist = \"lognormal\", p5 = 0, p95 = 0 }".to_string()),
        Just("{ dist = \"normal\", mean = 0, sd = 1e308 }".to_string()),
        Just("{ dist = \"uniform\", min = -1200, max = 1200 }".to_string()),
        Just("{ dist = [], min = 1 }".to_string()),
        (1usize..3000).prop_map(|n| format!("{}1{}", "[".repeat(n), "]".repeat(n))),
        (1usize..3000).prop_map(|n| format!("{}{}", "{ a = ".repeat(n), "1 }".repeat(n))),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|x| format!("{x:e}")),
        "[a-z0-9 \\-]{0,12}".prop_map(|s| format!("\"{s}\"")),
        "\\PC{0,12}".prop_map(|s| format!("{s:?}")),
    ]
}

/// One edit of a scenario's lines.
#[derive(Debug, Clone)]
enum Edit {
    Drop(usize),
    Duplicate(usize),
    Retype(usize, String),
    RenameKey(usize, String),
    InsertLine(usize, String),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Drop),
        any::<usize>().prop_map(Edit::Duplicate),
        (any::<usize>(), hostile_value()).prop_map(|(i, v)| Edit::Retype(i, v)),
        (any::<usize>(), "[a-z_]{1,10}|\\PC{1,6}").prop_map(|(i, k)| Edit::RenameKey(i, k)),
        (
            any::<usize>(),
            prop_oneof![
                Just("[[sites]]".to_string()),
                Just("[[deliveries]]".to_string()),
                Just("[chips.x]".to_string()),
                Just("[scenario]".to_string()),
                Just("[[regions]]\nname = \"r1\"\ngrid_mw = 1".to_string()),
                Just("[target]\noperational = 1\nby = \"2026-06\"".to_string()),
                Just("extends = \"other.toml\"".to_string()),
                Just("a.b.c.d.e.f = 1".to_string()),
                Just("\u{feff}".to_string()),
                Just("key = \"unterminated".to_string()),
                Just("'''".to_string()),
            ]
        )
            .prop_map(|(i, l)| Edit::InsertLine(i, l)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

/// Applies edits to the text's lines (indices wrap around the current line count).
fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for e in edits {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match e {
            Edit::Drop(i) => {
                lines.remove(i % n);
            }
            Edit::Duplicate(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Edit::Retype(i, v) => {
                // Retype the i-th `key = value` line, if any.
                let keyed: Vec<usize> = (0..n).filter(|&j| lines[j].contains(" = ")).collect();
                if let Some(&j) = keyed.get(i % keyed.len().max(1)) {
                    if let Some((k, _)) = lines[j].split_once(" = ") {
                        lines[j] = format!("{k} = {v}");
                    }
                }
            }
            Edit::RenameKey(i, k) => {
                let keyed: Vec<usize> = (0..n).filter(|&j| lines[j].contains(" = ")).collect();
                if let Some(&j) = keyed.get(i % keyed.len().max(1)) {
                    if let Some((_, v)) = lines[j].split_once(" = ") {
                        lines[j] = format!("{k:?} = {v}");
                    }
                }
            }
            Edit::InsertLine(i, l) => lines.insert(i % (n + 1), l.clone()),
            Edit::Truncate(i) => {
                let mut s = lines.join("\n");
                let mut at = i % (s.len() + 1);
                while !s.is_char_boundary(at) {
                    at -= 1;
                }
                s.truncate(at);
                lines = s.lines().map(str::to_string).collect();
            }
        }
    }
    lines.join("\n")
}

/// The property: no panic, and a rejection is a clean, placed error.
fn check(text: &str) {
    check_load("m.toml", text, 3, 10_000_000);
}

fn cases() -> u32 {
    std::env::var("BUILDOUT_HOSTILE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1500)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_scenarios_never_panic(which in any::<usize>(), edits in proptest::collection::vec(edit(), 1..6)) {
        let all = bundled();
        let (_, text) = &all[which % all.len()];
        check(&apply(text, &edits));
    }
}

/// The committed fuzz corpus (the interesting inputs the fuzzer found) stays clean.
#[test]
fn fuzz_corpus_never_panics() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/load");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if let Ok(bytes) = std::fs::read(entry.path()) {
            if let Ok(text) = std::str::from_utf8(&bytes) {
                check(text);
                n += 1;
            }
        }
    }
    assert!(n > 0, "the corpus in {dir} is empty");
}

#[test]
fn deep_nesting_is_a_clean_error() {
    for depth in [10, 200, 5000, 100_000] {
        check(&format!("x = {}1{}", "[".repeat(depth), "]".repeat(depth)));
        check(&format!("x = {}1{}", "{ a = ".repeat(depth), " }".repeat(depth)));
        check(&format!("{}\n", "[a]\n".repeat(depth.min(5000))));
    }
}
