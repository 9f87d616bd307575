//! Helpers shared by the integration tests: running the binary, bundled scenarios.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The validation cases shipped beside the repository.
/// The hand-derived validation cases, vendored from `../shared/validation` so the tests run
/// from the repository alone; `validation_cases::the_vendored_cases_match_shared` checks
/// the copy against the shared folder whenever it is there.
pub const VALIDATION_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/validation");
/// The shared source of the validation cases, beside the repository (may be absent).
pub const SHARED_VALIDATION_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/validation");
/// The reference scenario.
pub const KOREA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/korea-260k.toml");
/// A small chip-limited case used as a base for error examples (kept inline so the
/// tests do not depend on a file outside the repository).
pub const BASE: &str = r#"[scenario]
name = "base"
start = "2026-01"
horizon = "2026-12"
runs = 4
seed = 1

[chips.us1]
vendor = "X"
origin = "US"
power_kw = 1.0
pflops = 2.0

[[regions]]
name = "r1"
grid_mw = 1000.0

[[sites]]
name = "S1"
owner = "gov"
region = "r1"
it_mw = 500.0
pue = 1.2
ready = "2026-01"

[[deliveries]]
name = "tranche"
chip = "us1"
count = 10000
owner = "gov"
arrive = "2026-03"
"#;

/// The buildout binary.
pub fn buildout() -> Command {
    Command::new(env!("CARGO_BIN_EXE_buildout"))
}

/// Runs the binary with `args` and returns its output.
pub fn run(args: &[&str]) -> Output {
    buildout().args(args).output().expect("the buildout binary runs")
}

/// Every bundled scenario text: the reference scenario and the validation cases.
pub fn bundled() -> Vec<(PathBuf, String)> {
    let mut out = vec![(PathBuf::from(KOREA), std::fs::read_to_string(KOREA).expect("korea scenario"))];
    if let Ok(dir) = std::fs::read_dir(VALIDATION_DIR) {
        let mut paths: Vec<PathBuf> =
            dir.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
        paths.sort();
        for p in paths {
            if let Ok(text) = std::fs::read_to_string(&p) {
                out.push((p, text));
            }
        }
    }
    out
}

/// Writes `text` to `name` in `dir` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a test file");
    path
}

/// Every file in a folder with its bytes, sorted, for before/after comparisons.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The vendored validation cases (`tests/validation`).
pub fn validation_dir() -> PathBuf {
    PathBuf::from(VALIDATION_DIR)
}

/// Loads a scenario file, panicking with the rendered errors if it is invalid.
pub fn load(path: &Path) -> buildout::core::scenario::Scenario {
    match buildout::io::scenario::load_file(path) {
        Ok(l) => l.scenario,
        Err(e) => panic!("{} does not load:\n{e}", path.display()),
    }
}

/// Runs the Monte Carlo in-process.
pub fn summarize(
    scenario: &buildout::core::scenario::Scenario,
    runs: u64,
    seed: u64,
) -> buildout::core::stats::Summary {
    buildout::core::ensemble::simulate(scenario, seed, 0..runs, Some(2), &buildout::core::ensemble::Silent)
        .expect("not interrupted")
        .summarize(scenario)
}

/// summary.csv text as (month, metric) -> [mean, p5, ..., p95].
pub fn parse_summary(text: &str) -> std::collections::HashMap<(u32, String), [f64; 8]> {
    let mut rows = std::collections::HashMap::new();
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

/// Checks that an SVG chart draws its text as glyph outlines of the embedded font (D55):
/// no element names a font for the viewer to supply; every `<text>` is the unpainted copy
/// (`fill="none"`) right after a glyph group with one `<use>` per non-space character;
/// every glyph used is defined once, with a non-empty outline. Returns the texts.
pub fn assert_svg_text_outlined(svg: &str, what: &str) -> Vec<String> {
    assert!(!svg.contains("font-family"), "{what}: names a font for the viewer");
    let lines: Vec<&str> = svg.lines().collect();
    let mut defined = std::collections::BTreeSet::new();
    for l in &lines {
        if let Some(rest) = l.strip_prefix("<path id=\"") {
            let (id, d) = rest.split_once("\" d=\"").unwrap_or_else(|| panic!("{what}: glyph def {l}"));
            assert!(d.starts_with('M') && d.len() > 12, "{what}: glyph {id} has no outline");
            assert!(defined.insert(id.to_string()), "{what}: glyph {id} defined twice");
        }
    }
    let mut texts = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if !l.starts_with("<text") {
            continue;
        }
        assert!(l.contains("fill=\"none\"") && !l.contains("stroke"), "{what}: painted text {l}");
        let text = lines.get(i + 1).copied().unwrap_or_default();
        let glyphs = lines[..i].last().copied().unwrap_or_default();
        assert!(glyphs.starts_with("<g fill=") && glyphs.contains("aria-hidden"), "{what}: {text:?} has no glyphs");
        let ids: Vec<&str> =
            glyphs.split("xlink:href=\"#").skip(1).map(|u| u.split('"').next().unwrap_or("")).collect();
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        let chars = chars
            - 4 * text.matches("&amp;").count()
            - 3 * (text.matches("&lt;").count() + text.matches("&gt;").count());
        assert_eq!(ids.len(), chars, "{what}: {text:?} drawn with {} glyphs", ids.len());
        for id in ids {
            assert!(defined.contains(id), "{what}: {text:?} uses undefined glyph {id}");
        }
        texts.push(text.to_string());
    }
    assert!(!texts.is_empty(), "{what}: no text at all");
    texts
}
