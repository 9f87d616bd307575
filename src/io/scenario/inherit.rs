//! Scenario inheritance: `extends = "parent.toml"`, `remove = ["sites: X", ...]` and
//! `replace = ["sites: Y", ...]`,
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
//!   `[[shocks]]` by `name`: a child item with the name of an inherited item merges over
//!   it key by key in its place (file order is kept); any other child item is appended.
//! - `remove = ["sites: Name", "chips: id", "target"]` drops inherited items (before the
//!   child's own items are added); an unknown section or name is an error.
//! - `replace = ["sites: Name"]` makes the child's same-named item replace the inherited
//!   one whole (keys it does not write take their defaults).
//!
//! For the file itself (the last child), `Resolved::changes` lists what it changes,
//! replaces, removes and adds, for `buildout validate`.

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
    /// What the file changes in what it inherits, one line each (`changes power "X":
    /// mw, online`); empty for a file without `extends`.
    pub changes: Vec<String>,
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
            let lists = [("remove", "remove items from", &spec.remove), ("replace", "replace items of", &spec.replace)];
            let orphans: Vec<Diagnostic> = lists
                .iter()
                .filter_map(|(key, what, list)| {
                    let first = list.as_ref().and_then(|r| r.first())?;
                    Some(error_at(first.span(), format!("`{key}` needs `extends`: there is no parent to {what}")))
                })
                .collect();
            if !orphans.is_empty() {
                return Err(file_error(&sources, orphans));
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
    let mut changes = Vec::new();
    for (child, child_table) in spec_iter.zip(table_iter) {
        let (merged, edits) = merge_spec(spec, child).map_err(|d| file_error(&sources, d))?;
        spec = merged;
        (table, changes) = merge_table(table, child_table, &edits);
    }
    spec.extends = None;
    spec.remove = None;
    spec.replace = None;
    for key in ["extends", "remove", "replace"] {
        table.remove(key);
    }
    Ok(Resolved { spec, table, sources, changes })
}

/// One checked `remove` or `replace` entry.
#[derive(Debug, Clone, PartialEq)]
enum Removal {
    Target,
    Item { section: &'static str, name: String },
}

/// A child's checked `remove` and `replace` entries.
#[derive(Debug, Default)]
struct Edits {
    removals: Vec<Removal>,
    replaced: Vec<Removal>,
}

/// Checks one `remove` or `replace` list (`key` says which) against the parent's items;
/// `target` is allowed only in `remove`. Each good entry comes with its span.
fn check_entries(
    key: &str,
    parent: &ScenarioSpec,
    entries: &[Spanned<String>],
    errors: &mut Vec<Diagnostic>,
) -> Vec<(Span, Removal)> {
    let mut out = Vec::new();
    for entry in entries {
        let text = entry.get_ref().trim();
        if text == "target" && key == "remove" {
            if parent.target.is_none() {
                errors.push(error_at(entry.span(), "`remove`: the parent has no [target] to remove".into()));
            }
            out.push((entry.span(), Removal::Target));
            continue;
        }
        let Some((section, name)) = text.split_once(':') else {
            let or_target = if key == "remove" { ", or \"target\"" } else { "" };
            errors.push(error_at(
                entry.span(),
                format!("`{key}` entry \"{text}\" must read \"<section>: <name>\", e.g. \"sites: Naver GAK Sejong phase 3\"{or_target}"),
            ));
            continue;
        };
        let (section, name) = (section.trim(), name.trim());
        let Some(section) = SECTIONS.iter().find(|s| **s == section) else {
            let hint = closest(section, SECTIONS.iter().copied())
                .map_or(String::new(), |c| format!(" (did you mean \"{c}\"?)"));
            errors.push(error_at(
                entry.span(),
                format!("`{key}`: unknown section \"{section}\"{hint}: use one of {}", SECTIONS.join(", ")),
            ));
            continue;
        };
        let names = parent.item_names(section);
        if !names.iter().any(|n| n == name) {
            let hint = closest(name, names.iter().map(String::as_str))
                .map_or(String::new(), |c| format!(" (did you mean \"{c}\"?)"));
            errors.push(error_at(
                entry.span(),
                format!("`{key}`: the parent scenario has no {section} item named \"{name}\"{hint}"),
            ));
            continue;
        }
        out.push((entry.span(), Removal::Item { section, name: name.to_string() }));
    }
    out
}

/// Checks the child's `remove` and `replace` against its parent: every `replace` entry
/// must name an item the child redefines and does not also remove.
fn check_edits(parent: &ScenarioSpec, child: &ScenarioSpec) -> Result<Edits, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let removals: Vec<Removal> = check_entries("remove", parent, child.remove.as_deref().unwrap_or(&[]), &mut errors)
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let replace = check_entries("replace", parent, child.replace.as_deref().unwrap_or(&[]), &mut errors);
    for (span, entry) in &replace {
        let Removal::Item { section, name } = entry else { continue };
        if removed(&removals, section, name) {
            errors.push(error_at(
                span.clone(),
                format!("`replace`: {section} \"{name}\" is also in `remove`: a removed item is not inherited, so there is nothing to replace"),
            ));
        } else if !child.item_names(section).contains(name) {
            errors.push(error_at(
                span.clone(),
                format!("`replace`: this file does not redefine {section} \"{name}\": write the whole item here to replace it (or use `remove` to drop it)"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Edits { removals, replaced: replace.into_iter().map(|(_, r)| r).collect() })
    } else {
        Err(errors)
    }
}

fn merge_spec(mut parent: ScenarioSpec, child: ScenarioSpec) -> Result<(ScenarioSpec, Edits), Vec<Diagnostic>> {
    let edits = check_edits(&parent, &child)?;
    if edits.removals.contains(&Removal::Target) {
        parent.target = None;
    }
    let merged = ScenarioSpec::inherit(
        parent,
        child,
        |section, name| removed(&edits.removals, section, name),
        |section, name| removed(&edits.replaced, section, name),
    );
    Ok((merged, edits))
}

/// Whether the entries name the item `name` of `section`.
fn removed(entries: &[Removal], section: &str, name: &str) -> bool {
    entries.iter().any(|r| matches!(r, Removal::Item { section: s, name: n } if *s == section && n == name))
}

fn table_name(v: &toml::Value) -> Option<String> {
    v.get("name").and_then(|n| n.as_str()).map(str::to_string)
}

/// A child item merged over its parent's on plain TOML: the child's keys in its order,
/// then the parent's keys it does not write.
fn merge_toml_item(parent: toml::Value, child: toml::Value) -> toml::Value {
    match (parent, child) {
        (toml::Value::Table(p), toml::Value::Table(mut c)) => {
            for (k, v) in p {
                c.entry(k).or_insert(v);
            }
            toml::Value::Table(c)
        }
        (_, c) => c,
    }
}

/// The keys of `child` whose value differs from `parent`'s, joined (`skip` aside: an
/// item's `name`, which matched it to the parent's).
fn changed_keys(parent: Option<&toml::Value>, child: &toml::Value, skip: &str) -> String {
    let keys: Vec<&str> = child
        .as_table()
        .into_iter()
        .flatten()
        .filter(|(k, v)| *k != skip && parent.and_then(|p| p.get(k.as_str())) != Some(*v))
        .map(|(k, _)| k.as_str())
        .collect();
    if keys.is_empty() {
        "nothing (every key as inherited)".into()
    } else {
        keys.join(", ")
    }
}

/// What the child's items do to the inherited ones of `section`, one line each.
fn item_changes<T>(
    section: &str,
    parent: &[T],
    child: &[T],
    edits: &Edits,
    name: impl Fn(&T) -> Option<String>,
    value: impl Fn(&T) -> &toml::Value,
) -> Vec<String> {
    let mut out: Vec<String> = parent
        .iter()
        .filter_map(&name)
        .filter(|n| removed(&edits.removals, section, n))
        .map(|n| format!("removes {section} \"{n}\""))
        .collect();
    for item in child {
        let Some(n) = name(item) else {
            out.push(format!("adds an unnamed {section} item"));
            continue;
        };
        let inherited = (!removed(&edits.removals, section, &n))
            .then(|| parent.iter().find(|p| name(p).as_deref() == Some(n.as_str())))
            .flatten();
        out.push(match inherited {
            None => format!("adds {section} \"{n}\""),
            Some(_) if removed(&edits.replaced, section, &n) => format!("replaces {section} \"{n}\" whole"),
            Some(p) => format!("changes {section} \"{n}\": {}", changed_keys(Some(value(p)), value(item), "name")),
        });
    }
    out
}

/// The same merge as `merge_spec`, on plain TOML tables (already checked by
/// `merge_spec`), with what the child changes, one line each.
fn merge_table(mut parent: toml::Table, mut child: toml::Table, edits: &Edits) -> (toml::Table, Vec<String>) {
    let mut changes = Vec::new();
    if edits.removals.contains(&Removal::Target) {
        parent.remove("target");
        changes.push("removes target".to_string());
    }
    for section in SHAPE {
        let name = section.name;
        let gone = |n: &str| removed(&edits.removals, name, n);
        let whole = |n: &str| removed(&edits.replaced, name, n);
        match section.kind {
            SectionKind::Keys => {
                if let Some(toml::Value::Table(c)) = child.remove(name) {
                    let entry = parent.entry(name).or_insert_with(|| toml::Value::Table(toml::Table::new()));
                    let keys = changed_keys(Some(entry), &toml::Value::Table(c.clone()), "");
                    changes.push(format!("changes {name}: {keys}"));
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
                let id = |(id, _): &(String, toml::Value)| Some(id.clone());
                changes.extend(item_changes(name, &p, &c, edits, id, |(_, v)| v));
                let merged = merge_items(p, c, gone, id, |(_, p), (id, c)| {
                    let item = if whole(&id) { c } else { merge_toml_item(p, c) };
                    (id, item)
                });
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
                changes.extend(item_changes(name, &p, &c, edits, table_name, |v| v));
                let merged = merge_items(p, c, gone, table_name, |p, c| {
                    let item_name = table_name(&c).unwrap_or_default();
                    if whole(&item_name) {
                        c
                    } else {
                        merge_toml_item(p, c)
                    }
                });
                if !merged.is_empty() {
                    parent.insert(name.into(), toml::Value::Array(merged));
                }
            }
        }
    }
    (parent, changes)
}
