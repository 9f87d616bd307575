//! Reading scenarios: file text -> raw spec (with every file it `extends` merged in) ->
//! validated `Scenario`, and every problem rendered as `file:line:col: error: ...` with
//! the offending line and a caret.
//!
//! The modules form a chain without cycles: `diagnostic` (rendering, shared) <- `file`
//! (one file's text -> spec) <- `inherit` (a chain of files -> one spec) <- this module
//! (spec -> scenario); `print` renders a resolved document as TOML; `reference` generates
//! the format reference, the JSON Schema and the starter file from the declaration.

pub mod diagnostic;
pub mod file;
pub mod inherit;
pub mod print;
pub mod reference;

pub use diagnostic::{line_col, render_diagnostics, ScenarioFileError, SourceFile, Sources};
pub use file::{parse_spec, read_text, MAX_FILE_BYTES};
pub use inherit::{resolve_file, Resolved, MAX_CHAIN};
pub use print::render_toml;

use crate::core::scenario::Scenario;
use crate::core::validate::{validate, Diagnostic, Severity};
use diagnostic::text_error;
use std::path::{Path, PathBuf};

/// A loaded scenario with its source and warnings.
#[derive(Debug)]
pub struct LoadedScenario {
    /// The file it was loaded from (or the label of loaded text).
    pub path: PathBuf,
    /// The validated scenario.
    pub scenario: Scenario,
    /// Rendered warnings (may be empty).
    pub warnings: String,
    /// What the file changes in what it inherits, one line each (empty without
    /// `extends`; see `Resolved::changes`).
    pub changes: Vec<String>,
}

/// Validates scenario text; `path` is only used in messages.
pub fn load_str(path: &Path, text: &str) -> Result<LoadedScenario, ScenarioFileError> {
    let spec = parse_spec(text).map_err(|d| text_error(path, text, &[d]))?;
    if let Some(ext) = &spec.extends {
        let d = Diagnostic {
            severity: Severity::Error,
            span: Some(ext.span()),
            message: "`extends` needs the file loader: load this scenario from a file".into(),
        };
        return Err(text_error(path, text, &[d]));
    }
    let (scenario, warnings) = validate(&spec).map_err(|diags| text_error(path, text, &diags))?;
    Ok(LoadedScenario {
        path: path.to_path_buf(),
        scenario,
        warnings: render_diagnostics(path, text, &warnings),
        changes: Vec::new(),
    })
}

/// Reads and validates a scenario file, with every file it `extends` merged in
/// (see `inherit`); each diagnostic names the file where its item is written.
pub fn load_file(path: &Path) -> Result<LoadedScenario, ScenarioFileError> {
    let resolved = resolve_file(path)?;
    let sources = &resolved.sources;
    let (scenario, warnings) = validate(&resolved.spec).map_err(|diags| sources.error(&diags))?;
    Ok(LoadedScenario {
        path: path.to_path_buf(),
        scenario,
        warnings: sources.render(&warnings),
        changes: resolved.changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::{SectionKind, SHAPE};

    /// The declared top-level keys of a child file, then the sections, are the top-level
    /// keys serde accepts, in the same order.
    #[test]
    fn declared_top_level_keys_are_the_keys_the_file_accepts() {
        let message = parse_spec("qqqqqqqqqqqqqqqq = 1\n").err().map(|d| d.message).unwrap_or_default();
        let keys: Vec<String> = crate::core::spec::INHERIT_KEYS
            .iter()
            .map(|k| k.name)
            .chain(SHAPE.iter().map(|s| s.name))
            .map(|k| format!("`{k}`"))
            .collect();
        assert_eq!(message, format!("unknown key `qqqqqqqqqqqqqqqq`: the keys allowed here are {}", keys.join(", ")));
    }

    /// The declared key tables are the keys serde accepts, in the same order.
    #[test]
    fn declared_keys_are_the_keys_the_file_accepts() {
        for section in SHAPE {
            let header = match section.kind {
                SectionKind::Keys => format!("[{}]", section.name),
                SectionKind::ById => format!("[{}.x]", section.name),
                SectionKind::ByName => format!("[[{}]]", section.name),
            };
            let text = format!("{header}\nqqqqqqqqqqqqqqqq = 1\n");
            let message = parse_spec(&text).err().map(|d| d.message).unwrap_or_default();
            let keys: Vec<String> = section.keys.iter().map(|k| format!("`{}`", k.name)).collect();
            let want = format!("unknown key `qqqqqqqqqqqqqqqq`: the keys allowed here are {}", keys.join(", "));
            assert_eq!(message, want, "section {}", section.name);
        }
    }
}
