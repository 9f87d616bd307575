//! Scenario inheritance: `extends = "parent.toml"` and `remove = ["sites: X", ...]`,
//! resolved here at the edge into one merged spec (for validation) and one merged TOML
//! table (for `validate --print` and `sweep`). What merges how is derived from the
//! spec's one declaration of sections (`core::spec`); this module reads the chain and
//! checks `remove`.
//!
//! Every file of the chain is parsed on its own; its spans are then shifted into a shared
//! "virtual text" where file k occupies bytes `base_k..base_k + len_k`. The merged spec
//! keeps each item's shifted spans, so a validation error in an inherited item names the
//! file, line and column where that item is written.
//!
//! Semantics (documented in docs/inheritance.md):
//! - `[scenario]`, `[allocation]`, `[target]`: key by key, the child's value wins.
//! - `[chips.ID]` by id, `[[regions]]`, `[[power]]`, `[[sites]]`, `[[deliveries]]`,
//!   `[[shocks]]` by `name`: a child item with the name of an inherited item replaces the
//!   whole item in place (file order is kept); any other child item is appended.
//! - `remove = ["sites: Name", "chips: id", "target"]` drops inherited items (before the
//!   child's own items are added); an unknown section or name is an error.

use super::diagnostic::{render_diagnostics, ScenarioFileError, SourceFile, Sources};
use super::file::{parse_spec, read_text};
use crate::core::spec::{merge_items, ScenarioSpec, SectionKind, Span, Spanned, SECTIONS, SHAPE};
use crate::core::validate::{closest, Diagnostic, Severity};
use std::path::{Path, PathBuf};

/// Most files in one `extends` chain.
pub const MAX_CHAIN: usize = 32;

/// A scenario file with its ancestors merged in.
#[derive(Debug)]
pub struct Resolved {
    /// The merged spec, spans global (see `Sources`).
    pub spec: ScenarioSpec,
    /// The merged document, without `extends` and `remove`.
    pub table: toml::Table,
    /// The files of the chain, to render diagnostics about the merged spec.
    pub sources: Sources,
}

fn file_error(sources: &Sources, diags: Vec<Diagnostic>) -> ScenarioFileError {
    sources.error(&diags)
}

fn error_at(span: Span, message: String) -> Diagnostic {
    Diagnostic { severity: Severity::Error, span: Some(span), message }
}

/// Reads `path` and every file it extends, and merges them.
pub fn resolve_file(path: &Path) -> Result<Resolved, ScenarioFileError> {
    let mut sources = Sources::default();
    let mut specs: Vec<ScenarioSpec> = Vec::new();
    let mut tables: Vec<toml::Table> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut next = path.to_path_buf();
    let mut base = 0usize;
    loop {
        let text = read_text(&next)?;
        let mut spec = parse_spec(&text)
            .map_err(|d| ScenarioFileError { rendered: render_diagnostics(&next, &text, &[d]), errors: 1 })?;
        let table = toml::from_str::<toml::Table>(&text).map_err(|e| ScenarioFileError {
            rendered: format!("{}: error: {}\n", next.display(), e.message().trim()),
            errors: 1,
        })?;
        spec.shift_spans(base);
        seen.push(std::fs::canonicalize(&next).unwrap_or_else(|_| next.clone()));
        let len = text.len();
        sources.files.push(SourceFile { path: next.clone(), text, base });
        base += len + 1;
        let extends = spec.extends.as_ref().map(|e| (e.get_ref().clone(), e.span()));
        if extends.is_none() {
            if let Some(first) = spec.remove.as_ref().and_then(|r| r.first()) {
                let d =
                    error_at(first.span(), "`remove` needs `extends`: there is no parent to remove items from".into());
                return Err(file_error(&sources, vec![d]));
            }
        }
        specs.push(spec);
        tables.push(table);
        let Some((parent, span)) = extends else { break };
        let parent_path = match next.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(dir) => dir.join(&parent),
            None => PathBuf::from(&parent),
        };
        if parent.trim().is_empty() {
            return Err(file_error(
                &sources,
                vec![error_at(span, "`extends` is empty: name the parent scenario file".into())],
            ));
        }
        let canonical = match std::fs::canonicalize(&parent_path) {
            Ok(c) if c.is_file() => c,
            Ok(_) => {
                let msg = format!("`extends`: {} is not a scenario file", parent_path.display());
                return Err(file_error(&sources, vec![error_at(span, msg)]));
            }
            Err(e) => {
                let msg = format!(
                    "`extends`: cannot read the parent scenario {}: {e} (the path is relative to this file's folder)",
                    parent_path.display()
                );
                return Err(file_error(&sources, vec![error_at(span, msg)]));
            }
        };
        if let Some(i) = seen.iter().position(|s| *s == canonical) {
            let chain: Vec<String> = sources.files[i..]
                .iter()
                .map(|f| {
                    f.path.file_name().map_or_else(|| f.path.display().to_string(), |n| n.to_string_lossy().into())
                })
                .collect();
            let msg = format!("`extends` makes a cycle: {} -> {parent}", chain.join(" -> "));
            return Err(file_error(&sources, vec![error_at(span, msg)]));
        }
        if sources.files.len() >= MAX_CHAIN {
            let msg = format!("`extends` chain is longer than {MAX_CHAIN} files: flatten it");
            return Err(file_error(&sources, vec![error_at(span, msg)]));
        }
        next = parent_path;
    }
    // Merge from the farthest ancestor down to the file itself.
    let mut spec_iter = specs.into_iter().rev();
    let mut table_iter = tables.into_iter().rev();
    let (Some(mut spec), Some(mut table)) = (spec_iter.next(), table_iter.next()) else {
        return Err(file_error(&sources, vec![]));
    };
    for (child, child_table) in spec_iter.zip(table_iter) {
        let (merged, removals) = merge_spec(spec, child).map_err(|d| file_error(&sources, d))?;
        spec = merged;
        table = merge_table(table, child_table, &removals);
    }
    spec.extends = None;
    spec.remove = None;
    table.remove("extends");
    table.remove("remove");
    Ok(Resolved { spec, table, sources })
}

/// One checked `remove` entry.
#[derive(Debug, Clone, PartialEq)]
enum Removal {
    Target,
    Item { section: &'static str, name: String },
}

fn check_removals(parent: &ScenarioSpec, remove: &[Spanned<String>]) -> Result<Vec<Removal>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for entry in remove {
        let text = entry.get_ref().trim();
        if text == "target" {
            if parent.target.is_none() {
                errors.push(error_at(entry.span(), "`remove`: the parent has no [target] to remove".into()));
            }
            out.push(Removal::Target);
            continue;
        }
        let Some((section, name)) = text.split_once(':') else {
            errors.push(error_at(
                entry.span(),
                format!("`remove` entry \"{text}\" must read \"<section>: <name>\", e.g. \"sites: Naver GAK Sejong phase 3\", or \"target\""),
            ));
            continue;
        };
        let (section, name) = (section.trim(), name.trim());
        let Some(section) = SECTIONS.iter().find(|s| **s == section) else {
            let hint = closest(section, SECTIONS.iter().copied())
                .map_or(String::new(), |c| format!(" (did you mean \"{c}\"?)"));
            errors.push(error_at(
                entry.span(),
                format!("`remove`: unknown section \"{section}\"{hint}: use one of {}", SECTIONS.join(", ")),
            ));
            continue;
        };
        let names = parent.item_names(section);
        if !names.iter().any(|n| n == name) {
            let hint = closest(name, names.iter().map(String::as_str))
                .map_or(String::new(), |c| format!(" (did you mean \"{c}\"?)"));
            errors.push(error_at(
                entry.span(),
                format!("`remove`: the parent scenario has no {section} item named \"{name}\"{hint}"),
            ));
            continue;
        }
        out.push(Removal::Item { section, name: name.to_string() });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn merge_spec(mut parent: ScenarioSpec, child: ScenarioSpec) -> Result<(ScenarioSpec, Vec<Removal>), Vec<Diagnostic>> {
    let removals = check_removals(&parent, child.remove.as_deref().unwrap_or(&[]))?;
    if removals.contains(&Removal::Target) {
        parent.target = None;
    }
    let merged = ScenarioSpec::inherit(parent, child, |section, name| removed(&removals, section, name));
    Ok((merged, removals))
}

/// Whether `remove` drops the item `name` of `section`.
fn removed(removals: &[Removal], section: &str, name: &str) -> bool {
    removals.iter().any(|r| matches!(r, Removal::Item { section: s, name: n } if *s == section && n == name))
}

fn table_name(v: &toml::Value) -> Option<String> {
    v.get("name").and_then(|n| n.as_str()).map(str::to_string)
}

/// The same merge as `merge_spec`, on plain TOML tables (already checked by `merge_spec`).
fn merge_table(mut parent: toml::Table, mut child: toml::Table, removals: &[Removal]) -> toml::Table {
    if removals.contains(&Removal::Target) {
        parent.remove("target");
    }
    for section in SHAPE {
        let name = section.name;
        let gone = |n: &str| removed(removals, name, n);
        match section.kind {
            SectionKind::Keys => {
                if let Some(toml::Value::Table(c)) = child.remove(name) {
                    let entry = parent.entry(name).or_insert_with(|| toml::Value::Table(toml::Table::new()));
                    if let toml::Value::Table(p) = entry {
                        for (k, v) in c {
                            p.insert(k, v);
                        }
                    }
                }
            }
            SectionKind::ById => {
                let take = |t: &mut toml::Table| -> Vec<(String, toml::Value)> {
                    match t.remove(name) {
                        Some(toml::Value::Table(t)) => t.into_iter().collect(),
                        _ => Vec::new(),
                    }
                };
                let (p, c) = (take(&mut parent), take(&mut child));
                let merged = merge_items(p, c, gone, |(id, _)| Some(id.clone()));
                if !merged.is_empty() {
                    parent.insert(name.into(), toml::Value::Table(merged.into_iter().collect()));
                }
            }
            SectionKind::ByName => {
                let take = |t: &mut toml::Table| match t.remove(name) {
                    Some(toml::Value::Array(a)) => a,
                    _ => Vec::new(),
                };
                let (p, c) = (take(&mut parent), take(&mut child));
                let merged = merge_items(p, c, gone, table_name);
                if !merged.is_empty() {
                    parent.insert(name.into(), toml::Value::Array(merged));
                }
            }
        }
    }
    parent
}
