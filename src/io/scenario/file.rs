//! One scenario file's text: read from disk (size and UTF-8 checked) and parsed into a
//! raw spec, the toml crate's serde wording rewritten in the words of the file.

use super::diagnostic::{line_col, ScenarioFileError};
use crate::core::spec::ScenarioSpec;
use crate::core::validate::{closest, Diagnostic, Severity};
use std::path::Path;

/// Largest scenario file accepted (bytes).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

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
            // A `NumberMap`: the example in the words of the key that takes it.
            e if e.starts_with("a table of numbers") => match key.as_str() {
                "amounts_usd" => "a table of amounts by year, like { 2026 = 1.5e9, 2027 = 2.0e9 }",
                "factors" => "a table of loadings by factor name, like { \"transformer lead times\" = 0.8 }",
                _ => e,
            },
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
