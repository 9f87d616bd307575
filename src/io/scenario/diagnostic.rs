//! Diagnostics rendered for people: `file:line:col: error: ...` with the offending line
//! and a caret, for one file or for a chain of files sharing one span space (`Sources`).

use crate::core::validate::{Diagnostic, Severity};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A scenario file that could not be used: every problem, already rendered for a person.
#[derive(Debug, thiserror::Error)]
#[error("{rendered}")]
pub struct ScenarioFileError {
    /// Every diagnostic, rendered with file, line and column.
    pub rendered: String,
    /// Number of errors.
    pub errors: usize,
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

/// The error for a list of diagnostics about one file's text.
pub(super) fn text_error(path: &Path, text: &str, diagnostics: &[Diagnostic]) -> ScenarioFileError {
    ScenarioFileError { rendered: render_diagnostics(path, text, diagnostics), errors: error_count(diagnostics) }
}

fn error_count(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
}

/// One file of an inheritance chain, placed at `base` in the virtual text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The file as named (relative to the child's folder for parents).
    pub path: PathBuf,
    /// Its whole text.
    pub text: String,
    /// Where its first byte sits in the chain's shared span space.
    pub base: usize,
}

/// The files of a chain (the child first), for rendering diagnostics with global spans.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The files, the child first, then each parent.
    pub files: Vec<SourceFile>,
}

impl Sources {
    /// Renders diagnostics whose spans are global, each in the file it points into.
    pub fn render(&self, diagnostics: &[Diagnostic]) -> String {
        let mut out = String::new();
        for d in diagnostics {
            let located = d.span.as_ref().and_then(|span| self.file_at(span.start).map(|f| (f, span)));
            match located {
                Some((f, span)) => {
                    let local = Diagnostic {
                        severity: d.severity,
                        span: Some(span.start - f.base..span.end.saturating_sub(f.base)),
                        message: d.message.clone(),
                    };
                    out.push_str(&render_diagnostics(&f.path, &f.text, &[local]));
                }
                None => {
                    let (path, text) = self.files.first().map_or((Path::new("scenario"), ""), |f| (&f.path, &f.text));
                    let unplaced = Diagnostic { span: None, ..d.clone() };
                    out.push_str(&render_diagnostics(path, text, &[unplaced]));
                }
            }
        }
        out
    }

    /// The error for a list of diagnostics with global spans.
    pub fn error(&self, diagnostics: &[Diagnostic]) -> ScenarioFileError {
        ScenarioFileError { rendered: self.render(diagnostics), errors: error_count(diagnostics) }
    }

    /// Line and column of a global offset, with the file it falls in.
    pub fn locate(&self, offset: usize) -> Option<(PathBuf, usize, usize)> {
        let f = self.file_at(offset)?;
        let (line, col) = line_col(&f.text, offset - f.base);
        Some((f.path.clone(), line, col))
    }

    fn file_at(&self, offset: usize) -> Option<&SourceFile> {
        self.files.iter().find(|f| offset >= f.base && offset <= f.base + f.text.len())
    }
}
