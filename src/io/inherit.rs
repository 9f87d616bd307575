//! Scenario inheritance: `extends = "parent.toml"` and `remove = ["sites: X", ...]`,
//! resolved here at the edge into one merged spec (for validation) and one merged TOML
//! table (for `validate --print` and `sweep`).
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

use super::scenario_file::{line_col, parse_spec, read_text, render_diagnostics, ScenarioFileError};
use crate::core::spec::*;
use crate::core::validate::{closest, Diagnostic, Severity};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Most files in one `extends` chain.
pub const MAX_CHAIN: usize = 32;

/// The list sections items can be removed from, in file order.
pub const SECTIONS: [&str; 6] = ["chips", "regions", "power", "sites", "deliveries", "shocks"];

/// One file of an inheritance chain, placed at `base` in the virtual text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub base: usize,
}

/// The files of a chain (the child first), for rendering diagnostics with global spans.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
}

impl Sources {
    /// Renders diagnostics whose spans are global, each in the file it points into.
    pub fn render(&self, diagnostics: &[Diagnostic]) -> String {
        let mut out = String::new();
        for d in diagnostics {
            let located = d.span.as_ref().and_then(|span| {
                self.files
                    .iter()
                    .find(|f| span.start >= f.base && span.start <= f.base + f.text.len())
                    .map(|f| (f, span))
            });
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
}

/// A scenario file with its ancestors merged in.
#[derive(Debug)]
pub struct Resolved {
    /// The merged spec, spans global (see `Sources`).
    pub spec: ScenarioSpec,
    /// The merged document, without `extends` and `remove`.
    pub table: toml::Table,
    pub sources: Sources,
}

fn file_error(sources: &Sources, diags: Vec<Diagnostic>) -> ScenarioFileError {
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    ScenarioFileError { rendered: sources.render(&diags), errors }
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
        shift_spec(&mut spec, base);
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

fn spanned_name<T>(item: &Spanned<T>, name: impl Fn(&T) -> &Option<Spanned<String>>) -> Option<String> {
    name(item.get_ref()).as_ref().map(|n| n.get_ref().clone())
}

/// Names of the parent's items in one section.
fn names_in(spec: &ScenarioSpec, section: &str) -> Vec<String> {
    match section {
        "chips" => spec.chips.iter().map(|(id, _)| id.get_ref().clone()).collect(),
        "regions" => spec.regions.iter().filter_map(|i| spanned_name(i, |s| &s.name)).collect(),
        "power" => spec.power.iter().filter_map(|i| spanned_name(i, |s| &s.name)).collect(),
        "sites" => spec.sites.iter().filter_map(|i| spanned_name(i, |s| &s.name)).collect(),
        "deliveries" => spec.deliveries.iter().filter_map(|i| spanned_name(i, |s| &s.name)).collect(),
        "shocks" => spec.shocks.iter().filter_map(|i| spanned_name(i, |s| &s.name)).collect(),
        _ => Vec::new(),
    }
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
            let hint = closest(section, SECTIONS).map_or(String::new(), |c| format!(" (did you mean \"{c}\"?)"));
            errors.push(error_at(
                entry.span(),
                format!("`remove`: unknown section \"{section}\"{hint}: use one of {}", SECTIONS.join(", ")),
            ));
            continue;
        };
        let names = names_in(parent, section);
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

/// Parent items minus removals; then each child item replaces the first inherited item of
/// the same name in place, or is appended.
fn merge_items<T>(
    parent: Vec<T>,
    child: Vec<T>,
    section: &str,
    removals: &[Removal],
    name: impl Fn(&T) -> Option<String>,
) -> Vec<T> {
    let removed = |n: &Option<String>| {
        n.as_ref().is_some_and(|n| {
            removals.iter().any(|r| matches!(r, Removal::Item { section: s, name } if *s == section && name == n))
        })
    };
    let mut out: Vec<(Option<String>, bool, T)> = parent
        .into_iter()
        .filter_map(|item| {
            let n = name(&item);
            (!removed(&n)).then_some((n, true, item))
        })
        .collect();
    for item in child {
        let n = name(&item);
        let slot =
            n.as_ref().and_then(|n| out.iter().position(|(m, inherited, _)| *inherited && m.as_ref() == Some(n)));
        match slot {
            Some(i) => out[i] = (n, false, item),
            None => out.push((n, false, item)),
        }
    }
    out.into_iter().map(|(_, _, item)| item).collect()
}

fn or_field<T>(child: Option<T>, parent: Option<T>) -> Option<T> {
    child.or(parent)
}

fn merge_key_table<T>(
    parent: Option<Spanned<T>>,
    child: Option<Spanned<T>>,
    fields: impl FnOnce(T, T) -> T,
) -> Option<Spanned<T>> {
    match (parent, child) {
        (Some(p), Some(c)) => {
            let span = c.span();
            Some(Spanned::new(span, fields(p.into_inner(), c.into_inner())))
        }
        (p, c) => c.or(p),
    }
}

fn merge_spec(parent: ScenarioSpec, child: ScenarioSpec) -> Result<(ScenarioSpec, Vec<Removal>), Vec<Diagnostic>> {
    let removals = check_removals(&parent, child.remove.as_deref().unwrap_or(&[]))?;
    let ScenarioSpec {
        extends,
        remove,
        scenario,
        allocation,
        target,
        chips,
        regions,
        power,
        sites,
        deliveries,
        shocks,
    } = child;
    let scenario = merge_key_table(parent.scenario, scenario, |p, c| {
        let ScenarioTable { name, description, start, horizon, home_origin, runs, seed } = c;
        ScenarioTable {
            name: or_field(name, p.name),
            description: or_field(description, p.description),
            start: or_field(start, p.start),
            horizon: or_field(horizon, p.horizon),
            home_origin: or_field(home_origin, p.home_origin),
            runs: or_field(runs, p.runs),
            seed: or_field(seed, p.seed),
        }
    });
    let allocation = merge_key_table(parent.allocation, allocation, |p, c| {
        let AllocationTable { mode } = c;
        AllocationTable { mode: or_field(mode, p.mode) }
    });
    let parent_target = if removals.contains(&Removal::Target) { None } else { parent.target };
    let target = merge_key_table(parent_target, target, |p, c| {
        let TargetTable { operational, by } = c;
        TargetTable { operational: or_field(operational, p.operational), by: or_field(by, p.by) }
    });
    let r = &removals;
    let merged = ScenarioSpec {
        extends,
        remove,
        scenario,
        allocation,
        target,
        chips: merge_items(parent.chips, chips, "chips", r, |(id, _)| Some(id.get_ref().clone())),
        regions: merge_items(parent.regions, regions, "regions", r, |i| spanned_name(i, |s| &s.name)),
        power: merge_items(parent.power, power, "power", r, |i| spanned_name(i, |s| &s.name)),
        sites: merge_items(parent.sites, sites, "sites", r, |i| spanned_name(i, |s| &s.name)),
        deliveries: merge_items(parent.deliveries, deliveries, "deliveries", r, |i| spanned_name(i, |s| &s.name)),
        shocks: merge_items(parent.shocks, shocks, "shocks", r, |i| spanned_name(i, |s| &s.name)),
    };
    Ok((merged, removals))
}

fn table_name(v: &toml::Value) -> Option<String> {
    v.get("name").and_then(|n| n.as_str()).map(str::to_string)
}

/// The same merge as `merge_spec`, on plain TOML tables (already checked by `merge_spec`).
fn merge_table(mut parent: toml::Table, mut child: toml::Table, removals: &[Removal]) -> toml::Table {
    if removals.contains(&Removal::Target) {
        parent.remove("target");
    }
    for key in ["scenario", "allocation", "target"] {
        if let Some(toml::Value::Table(c)) = child.remove(key) {
            let entry = parent.entry(key).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(p) = entry {
                for (k, v) in c {
                    p.insert(k, v);
                }
            }
        }
    }
    let p_chips: Vec<(String, toml::Value)> = match parent.remove("chips") {
        Some(toml::Value::Table(t)) => t.into_iter().collect(),
        _ => Vec::new(),
    };
    let c_chips: Vec<(String, toml::Value)> = match child.remove("chips") {
        Some(toml::Value::Table(t)) => t.into_iter().collect(),
        _ => Vec::new(),
    };
    let chips = merge_items(p_chips, c_chips, "chips", removals, |(id, _)| Some(id.clone()));
    if !chips.is_empty() {
        parent.insert("chips".into(), toml::Value::Table(chips.into_iter().collect()));
    }
    for section in SECTIONS.iter().skip(1) {
        let take = |t: &mut toml::Table| match t.remove(*section) {
            Some(toml::Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let (p, c) = (take(&mut parent), take(&mut child));
        let merged = merge_items(p, c, section, removals, table_name);
        if !merged.is_empty() {
            parent.insert((*section).into(), toml::Value::Array(merged));
        }
    }
    parent
}

/// A bare TOML key when possible, else a quoted one.
fn key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_string()
    } else {
        toml::Value::String(k.to_string()).to_string()
    }
}

fn write_keys(out: &mut String, t: &toml::Table) {
    for (k, v) in t {
        let _ = writeln!(out, "{} = {v}", key(k));
    }
}

/// The merged document as TOML text, sections in the order of MODEL.md section 3.
pub fn render_toml(table: &toml::Table) -> String {
    let mut out = String::new();
    for section in ["extends", "remove"] {
        if let Some(v) = table.get(section) {
            let _ = writeln!(out, "{section} = {v}");
        }
    }
    for section in ["scenario", "allocation", "target"] {
        if let Some(toml::Value::Table(t)) = table.get(section) {
            let _ = writeln!(out, "[{section}]");
            write_keys(&mut out, t);
            out.push('\n');
        }
    }
    if let Some(toml::Value::Table(chips)) = table.get("chips") {
        for (id, v) in chips {
            let _ = writeln!(out, "[chips.{}]", key(id));
            if let toml::Value::Table(t) = v {
                write_keys(&mut out, t);
            }
            out.push('\n');
        }
    }
    for section in SECTIONS.iter().skip(1) {
        if let Some(toml::Value::Array(items)) = table.get(*section) {
            for item in items {
                let _ = writeln!(out, "[[{section}]]");
                if let toml::Value::Table(t) = item {
                    write_keys(&mut out, t);
                }
                out.push('\n');
            }
        }
    }
    out
}

/// Line and column of a global offset, with the file it falls in (for tests and messages).
pub fn locate(sources: &Sources, offset: usize) -> Option<(PathBuf, usize, usize)> {
    let f = sources.files.iter().find(|f| offset >= f.base && offset <= f.base + f.text.len())?;
    let (line, col) = line_col(&f.text, offset - f.base);
    Some((f.path.clone(), line, col))
}

// ---------------------------------------------------------------------------
// Span shifting. Exhaustive destructuring makes a new spec field a compile error here,
// so no field can keep a file-local span by accident.
// ---------------------------------------------------------------------------

fn sh<T>(v: &mut Spanned<T>, by: usize)
where
    T: Default,
{
    let span = v.span();
    let inner = std::mem::take(v.get_mut());
    *v = Spanned::new(span.start + by..span.end + by, inner);
}

fn sh_opt<T: Default>(v: &mut Option<Spanned<T>>, by: usize) {
    if let Some(v) = v {
        sh(v, by);
    }
}

fn sh_dist(v: &mut Option<Spanned<RawDist>>, by: usize) {
    if let Some(d) = v.take() {
        let span = d.span();
        *v = Some(Spanned::new(span.start + by..span.end + by, d.into_inner()));
    }
}

fn sh_item<T: Default>(v: &mut Spanned<T>, by: usize, inner: impl FnOnce(&mut T, usize)) {
    inner(v.get_mut(), by);
    sh(v, by);
}

fn shift_spec(spec: &mut ScenarioSpec, by: usize) {
    let ScenarioSpec {
        extends,
        remove,
        scenario,
        allocation,
        target,
        chips,
        regions,
        power,
        sites,
        deliveries,
        shocks,
    } = spec;
    sh_opt(extends, by);
    for r in remove.iter_mut().flatten() {
        sh(r, by);
    }
    if let Some(t) = scenario {
        sh_item(t, by, |t, by| {
            let ScenarioTable { name, description, start, horizon, home_origin, runs, seed } = t;
            sh_opt(name, by);
            sh_opt(description, by);
            sh_opt(start, by);
            sh_opt(horizon, by);
            sh_opt(home_origin, by);
            sh_opt(runs, by);
            sh_opt(seed, by);
        });
    }
    if let Some(t) = allocation {
        sh_item(t, by, |t, by| {
            let AllocationTable { mode } = t;
            sh_opt(mode, by);
        });
    }
    if let Some(t) = target {
        sh_item(t, by, |t, by| {
            let TargetTable { operational, by: date } = t;
            sh_opt(operational, by);
            sh_opt(date, by);
        });
    }
    for (id, chip) in chips.iter_mut() {
        sh(id, by);
        sh_item(chip, by, |c, by| {
            let ChipSpec { vendor, origin, power_kw, pflops, failure_rate, life_years, price_usd } = c;
            sh_opt(vendor, by);
            sh_opt(origin, by);
            sh_opt(power_kw, by);
            sh_opt(pflops, by);
            sh_opt(failure_rate, by);
            sh_opt(life_years, by);
            sh_opt(price_usd, by);
        });
    }
    for r in regions.iter_mut() {
        sh_item(r, by, |r, by| {
            let RegionSpec { name, grid_mw } = r;
            sh_opt(name, by);
            sh_opt(grid_mw, by);
        });
    }
    for p in power.iter_mut() {
        sh_item(p, by, |p, by| {
            let PowerSpec { name, region, mw, online, delay_months, probability } = p;
            sh_opt(name, by);
            sh_opt(region, by);
            sh_opt(mw, by);
            sh_opt(online, by);
            sh_dist(delay_months, by);
            sh_opt(probability, by);
        });
    }
    for s in sites.iter_mut() {
        sh_item(s, by, |s, by| {
            let SiteSpec { name, owner, region, it_mw, pue, ready, delay_months, install_months, probability } = s;
            sh_opt(name, by);
            sh_opt(owner, by);
            sh_opt(region, by);
            sh_opt(it_mw, by);
            sh_opt(pue, by);
            sh_opt(ready, by);
            sh_dist(delay_months, by);
            sh_dist(install_months, by);
            sh_opt(probability, by);
        });
    }
    for d in deliveries.iter_mut() {
        sh_item(d, by, |d, by| {
            let DeliverySpec { name, chip, count, owner, site, arrive, delay_months, probability } = d;
            sh_opt(name, by);
            sh_opt(chip, by);
            sh_opt(count, by);
            sh_opt(owner, by);
            sh_opt(site, by);
            sh_opt(arrive, by);
            sh_dist(delay_months, by);
            sh_opt(probability, by);
        });
    }
    for s in shocks.iter_mut() {
        sh_item(s, by, |s, by| {
            let ShockSpec { name, probability, earliest, latest, duration_months, origin, effect } = s;
            sh_opt(name, by);
            sh_opt(probability, by);
            sh_opt(earliest, by);
            sh_opt(latest, by);
            sh_dist(duration_months, by);
            sh_opt(origin, by);
            sh_opt(effect, by);
        });
    }
}
