//! Every figure of a bundled scenario carries its source (docs/sources.md, "The rule, and
//! its test"): a cited id that docs/sources.md lists, or the word `assumption`, on the
//! figure's line or in the comment block right above it; no comment cites an unlisted id
//! and no scenario points at the fact sheet outside the repository.

use crate::support::repo;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Keys of `[scenario]` that set up the simulation and say nothing about the world.
const EXEMPT_SCENARIO_KEYS: [&str; 2] = ["runs", "seed"];

/// A line split into its code and its comment (after the first `#` outside a string).
fn split_comment(line: &str) -> (&str, &str) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => return (&line[..i], &line[i + 1..]),
            None => {}
        }
    }
    (line, "")
}

/// Whether a value starting at `rest` (after `=` and spaces) is a figure: a number or a
/// `"YYYY-MM"` date.
fn starts_a_figure(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    match bytes.first() {
        Some(b'0'..=b'9') => true,
        Some(b'+' | b'-') => bytes.get(1).is_some_and(u8::is_ascii_digit),
        Some(b'"') => {
            bytes.len() >= 9
                && bytes[1..5].iter().all(u8::is_ascii_digit)
                && bytes[5] == b'-'
                && bytes[6..8].iter().all(u8::is_ascii_digit)
                && bytes[8] == b'"'
        }
        _ => false,
    }
}

/// Whether the code part of a line assigns a figure, directly or inside an inline table.
fn assigns_a_figure(code: &str) -> bool {
    let mut quote: Option<char> = None;
    for (i, c) in code.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '=' && starts_a_figure(code[i + 1..].trim_start()) => return true,
            None => {}
        }
    }
    false
}

/// The ids cited in a comment: `S-` at the start of a word, then lowercase words of
/// letters and digits joined by single `-`.
fn cited_ids(comment: &str) -> Vec<String> {
    let bytes = comment.as_bytes();
    let word = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 2 < bytes.len() {
        let starts_word = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'-');
        if starts_word && bytes[i] == b'S' && bytes[i + 1] == b'-' && word(bytes[i + 2]) {
            let mut end = i + 2;
            while end < bytes.len()
                && (word(bytes[end]) || (bytes[end] == b'-' && bytes.get(end + 1).is_some_and(|&b| word(b))))
            {
                end += 1;
            }
            out.push(comment[i..end].to_string());
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Whether a comment names a source: a listed id or the word `assumption`.
fn names_a_source(comment: &str, listed: &BTreeSet<String>) -> bool {
    comment.contains("assumption") || cited_ids(comment).iter().any(|id| listed.contains(id))
}

/// Every breach of the rule in one scenario text, as `LINE: what`.
fn breaches(text: &str, listed: &BTreeSet<String>) -> (Vec<String>, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut figures = 0;
    let mut table = String::new();
    if text.contains("facts.md") {
        out.push("0: mentions facts.md, which a clone of the repository does not have; cite docs/sources.md".into());
    }
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        let (code, comment) = split_comment(line);
        for id in cited_ids(comment) {
            if !listed.contains(&id) {
                out.push(format!("{number}: cites {id}, which docs/sources.md does not list"));
            }
        }
        let code = code.trim();
        if let Some(header) = code.strip_prefix('[') {
            table = header.trim_matches(|c| c == '[' || c == ']').trim().to_string();
            continue;
        }
        let key = code.split('=').next().unwrap_or_default().trim();
        if !assigns_a_figure(code) || (table == "scenario" && EXEMPT_SCENARIO_KEYS.contains(&key)) {
            continue;
        }
        figures += 1;
        let block_above = lines[..index]
            .iter()
            .rev()
            .take_while(|l| l.trim_start().starts_with('#'))
            .any(|l| names_a_source(split_comment(l).1, listed));
        if !names_a_source(comment, listed) && !block_above {
            out.push(format!("{number}: `{code}` has no source: cite a docs/sources.md id or mark it `assumption`"));
        }
    }
    (out, figures)
}

/// The ids docs/sources.md lists: the first cell of each table row that starts with `S-`.
fn listed_ids(markdown: &str) -> BTreeSet<String> {
    markdown
        .lines()
        .filter_map(|l| l.strip_prefix('|'))
        .filter_map(|l| l.split('|').next())
        .map(|cell| cell.trim().trim_matches('`').to_string())
        .filter(|cell| cell.starts_with("S-"))
        .collect()
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a scenario folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn listed() -> BTreeSet<String> {
    listed_ids(&std::fs::read_to_string(repo().join("docs/sources.md")).expect("docs/sources.md"))
}

#[test]
fn every_figure_of_a_bundled_scenario_cites_a_listed_source_or_is_an_assumption() {
    let listed = listed();
    assert!(listed.len() >= 40, "docs/sources.md lists only {} ids: {listed:?}", listed.len());
    let mut files = Vec::new();
    toml_files(&repo().join("scenarios"), &mut files);
    files.sort();
    assert!(files.len() >= 11, "the Korea family and the presets: {files:?}");
    let mut problems = Vec::new();
    let mut figures = 0;
    for file in &files {
        let (found, count) = breaches(&std::fs::read_to_string(file).expect("readable"), &listed);
        figures += count;
        let name = file.strip_prefix(repo()).unwrap_or(file).display().to_string();
        problems.extend(found.into_iter().map(|p| format!("{name}:{p}")));
    }
    assert!(figures >= 300, "only {figures} figures found: the figure rule reads too little");
    assert!(
        problems.is_empty(),
        "{} figures or citations break docs/sources.md's rule:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_listed_source_gives_a_value_a_date_a_source_and_a_status() {
    let text = std::fs::read_to_string(repo().join("docs/sources.md")).expect("docs/sources.md");
    for row in text.lines().filter(|l| l.starts_with("| S-")) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 7, "id | fact | value | unit | date | source | status: {row}");
        assert!(cells[1].len() > 10 && !cells[5].is_empty() && cells[5] != "-", "fact and source: {row}");
        assert!(!cells[4].is_empty() && cells[4] != "-", "a date: {row}");
        assert!(cells[6].starts_with("sourced") || cells[6].starts_with("estimate"), "status: {row}");
    }
}

#[test]
fn the_rule_flags_what_it_should_and_nothing_else() {
    let listed: BTreeSet<String> = ["S-known-fact".to_string()].into();
    let check = |text: &str| breaches(text, &listed).0;
    // Sourced on the line, by an id or an assumption; in the block right above; exempt keys.
    assert!(check("[scenario]\nruns = 10\nseed = 1\nstart = \"2026-01\" # assumption\n").is_empty());
    assert!(check("[[sites]]\nit_mw = 5.0 # S-known-fact: 5 MW\nname = \"Hall #2\"\n").is_empty());
    assert!(check("[[power]]\n# S-known-fact: the line's date\n# more words\nonline = \"2027-06\"\n").is_empty());
    assert!(check("[[power]]\ndelay_months = { dist = \"pert\", min = 0, mode = 2, max = 9 }   # assumption: slip\n")
        .is_empty());
    // No source, an id not listed, a blank line between block and figure, facts.md.
    assert_eq!(check("[[sites]]\nit_mw = 5.0\n").len(), 1);
    assert_eq!(check("[[sites]]\npue = 1.2 # S-unknown-fact\n").len(), 2);
    assert_eq!(check("[[power]]\n# S-known-fact\n\nmw = 3\n").len(), 1);
    assert_eq!(check("[[power]]\ndelay_months = { dist = \"uniform\", min = -1, max = 2 }\n").len(), 1);
    assert_eq!(check("[[sites]]\nready = \"2027-06\" # facts.md 1.4\n").len(), 2);
    // Strings that hold digits or `#` are neither figures nor comments; exempt keys only in [scenario].
    assert!(check("[[sites]]\nname = \"Gov tranche 1 #3\"\nregion = \"r 2027-06\"\n").is_empty());
    assert_eq!(check("[[sites]]\nseed = 4\n").len(), 1);
    assert_eq!(cited_ids("(S-a-b, S-c: x; US-origin, SK-AWS, xS-y, S-d-)"), ["S-a-b", "S-c", "S-d"]);
}
