//! The resolved scenario as TOML text (`validate --print`, and the text `sweep` and
//! `merge` load again), its sections in the order the spec declares them.

use crate::core::spec::{SectionKind, SHAPE};
use std::fmt::Write as _;

/// A bare TOML key when possible, else a quoted one.
fn key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_string()
    } else {
        toml::Value::String(k.to_string()).to_string()
    }
}

/// A table header and its keys, then a blank line.
fn write_table(out: &mut String, header: &str, t: Option<&toml::Table>) {
    let _ = writeln!(out, "{header}");
    for (k, v) in t.into_iter().flatten() {
        let _ = writeln!(out, "{} = {v}", key(k));
    }
    out.push('\n');
}

/// The merged document as TOML text, sections in the order of MODEL.md section 3.
pub fn render_toml(table: &toml::Table) -> String {
    let mut out = String::new();
    for section in ["extends", "remove"] {
        if let Some(v) = table.get(section) {
            let _ = writeln!(out, "{section} = {v}");
        }
    }
    for section in SHAPE {
        let name = section.name;
        match (section.kind, table.get(name)) {
            (SectionKind::Keys, Some(toml::Value::Table(t))) => write_table(&mut out, &format!("[{name}]"), Some(t)),
            (SectionKind::ById, Some(toml::Value::Table(items))) => {
                for (id, v) in items {
                    write_table(&mut out, &format!("[{name}.{}]", key(id)), v.as_table());
                }
            }
            (SectionKind::ByName, Some(toml::Value::Array(items))) => {
                for item in items {
                    write_table(&mut out, &format!("[[{name}]]"), item.as_table());
                }
            }
            _ => {}
        }
    }
    out
}
