//! Scenario files: text -> spec -> validated scenario, and every problem rendered as
//! `file:line:col: error: ...` with the offending line and a caret.

use crate::core::scenario::Scenario;
use crate::core::spec::ScenarioSpec;
use crate::core::validate::{closest, validate, Diagnostic, Severity};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Largest scenario file accepted (bytes).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A scenario file that could not be used: every problem, already rendered for a person.
#[derive(Debug, thiserror::Error)]
#[error("{rendered}")]
pub struct ScenarioFileError {
    /// Every diagnostic, rendered with file, line and column.
    pub rendered: String,
    /// Number of errors.
    pub errors: usize,
}

/// A loaded scenario with its source and warnings.
#[derive(Debug)]
pub struct LoadedScenario {
    pub path: PathBuf,
    pub scenario: Scenario,
    /// Rendered warnings (may be empty).
    pub warnings: String,
}

/// Line and column (1-based, columns in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Renders diagnostics against the source text, one block each.
pub fn render_diagnostics(path: &Path, text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &d.span {
            Some(span) => {
                let (line, col) = line_col(text, span.start);
                let _ = writeln!(out, "{}:{line}:{col}: {level}: {}", path.display(), d.message);
                if let Some(src) = text.lines().nth(line - 1) {
                    let shown: String = src.chars().take(160).collect();
                    let _ = writeln!(out, "  {line:>4} | {shown}");
                    let caret_col = (col - 1).min(shown.chars().count());
                    let _ = writeln!(out, "       | {}^", " ".repeat(caret_col));
                }
            }
            None => {
                let _ = writeln!(out, "{}: {level}: {}", path.display(), d.message);
            }
        }
    }
    out
}

/// Parses scenario text into a raw spec, or a diagnostic for the first syntax or type error.
pub fn parse_spec(text: &str) -> Result<ScenarioSpec, Diagnostic> {
    toml::from_str::<ScenarioSpec>(text).map_err(|e| {
        let raw = e.message().trim().replace('\n', " ");
        let message = friendly(&raw, e.span().map(|s| key_at(text, s.start)).unwrap_or_default());
        Diagnostic { severity: Severity::Error, span: e.span(), message }
    })
}

/// The key a span points into: the text before `=` on its line, or a `[header]` name.
fn key_at(text: &str, offset: usize) -> String {
    let (line, _) = line_col(text, offset);
    let src = text.lines().nth(line - 1).unwrap_or("").trim();
    let key = match src.split_once('=') {
        Some((k, _)) if !src.starts_with('[') => k,
        _ => src.trim_matches(|c| c == '[' || c == ']'),
    };
    key.trim().chars().take(60).collect()
}

/// Rewrites the toml crate's serde wording ("unknown field", "invalid type") in the
/// words of the scenario file: keys, numbers, tables, with a suggestion where one helps.
fn friendly(raw: &str, key: String) -> String {
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let valid: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return match closest(name, valid.iter().copied()) {
            Some(c) => format!("unknown key `{name}`: did you mean `{c}`?"),
            None => format!(
                "unknown key `{name}`: the keys allowed here are {}",
                valid.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
            ),
        };
    }
    if let Some(rest) = raw.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "another type"));
        let expected = match expected {
            "f64" => "a number",
            "i64" | "u64" => "a whole number",
            "a string" | "string" => "a string in quotes",
            "a sequence" => "an array of tables, written [[...]]",
            e if e.starts_with("struct ") => "a table",
            e => e,
        };
        let found = found.replace("floating point", "number").replace("map", "table").replace("sequence", "array");
        let what = if key.is_empty() { "a value".to_string() } else { format!("`{key}`") };
        return format!("{what} has the wrong type: found {found}, expected {expected}");
    }
    if raw.starts_with("number too large") || raw.starts_with("number too small") {
        let what = if key.is_empty() { "a number".to_string() } else { format!("`{key}`") };
        return format!("{what} is too large a number: whole numbers must lie within ±9223372036854775807");
    }
    raw.to_string()
}

/// Validates scenario text; `path` is only used in messages.
pub fn load_str(path: &Path, text: &str) -> Result<LoadedScenario, ScenarioFileError> {
    let fail = |diags: Vec<Diagnostic>| {
        let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
        ScenarioFileError { rendered: render_diagnostics(path, text, &diags), errors }
    };
    let spec = parse_spec(text).map_err(|d| fail(vec![d]))?;
    if let Some(ext) = &spec.extends {
        return Err(fail(vec![Diagnostic {
            severity: Severity::Error,
            span: Some(ext.span()),
            message: "`extends` needs the file loader: load this scenario from a file".into(),
        }]));
    }
    let (scenario, warnings) = validate(&spec).map_err(fail)?;
    Ok(LoadedScenario { path: path.to_path_buf(), scenario, warnings: render_diagnostics(path, text, &warnings) })
}

/// Reads and validates a scenario file, with every file it `extends` merged in
/// (see `io::inherit`); each diagnostic names the file where its item is written.
pub fn load_file(path: &Path) -> Result<LoadedScenario, ScenarioFileError> {
    let resolved = super::inherit::resolve_file(path)?;
    let sources = &resolved.sources;
    let (scenario, warnings) = validate(&resolved.spec).map_err(|diags| {
        let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
        ScenarioFileError { rendered: sources.render(&diags), errors }
    })?;
    Ok(LoadedScenario { path: path.to_path_buf(), scenario, warnings: sources.render(&warnings) })
}

/// Reads a scenario file's text, refusing directories, huge files and non-UTF-8.
pub fn read_text(path: &Path) -> Result<String, ScenarioFileError> {
    let simple = |msg: String| ScenarioFileError { rendered: format!("{}: error: {msg}\n", path.display()), errors: 1 };
    let meta = std::fs::metadata(path).map_err(|e| simple(format!("cannot read the scenario file: {e}")))?;
    if meta.is_dir() {
        return Err(simple("is a folder, not a scenario file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(simple(format!("is {} bytes; scenario files are limited to {MAX_FILE_BYTES} bytes", meta.len())));
    }
    let bytes = std::fs::read(path).map_err(|e| simple(format!("cannot read the scenario file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let (line, col) = line_col(&text, e.utf8_error().valid_up_to());
        ScenarioFileError {
            rendered: format!(
                "{}:{line}:{col}: error: the file is not valid UTF-8 text: save it as UTF-8\n",
                path.display()
            ),
            errors: 1,
        }
    })
}
