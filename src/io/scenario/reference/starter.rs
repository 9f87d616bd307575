//! The starter scenario of `buildout new`: every section with one item, required keys
//! with example values, optional keys commented out with their default (or an example),
//! each with a comment from the declaration.

use super::{example_line, header, plain};
use crate::core::spec::{Key, INHERIT_KEYS, SHAPE};
use std::fmt::Write as _;

/// Column where a key line's comment starts.
const COMMENT_COLUMN: usize = 40;

/// A starter scenario called `name`, as TOML text that validates and runs.
pub fn render_starter(name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: a starter scenario written by `buildout new`.", plain(name));
    out.push_str(
        "# Required keys hold example values; optional keys are commented out with their default\n\
         # (or an example when absent means something else). Every key: docs/scenario-format.md.\n\
         # Check the file with `buildout validate FILE`, run it with `buildout run FILE`.\n",
    );
    out.push_str("\n# To refine another scenario instead, give only what changes (docs/inheritance.md):\n");
    for key in INHERIT_KEYS {
        let _ = writeln!(out, "# {:<width$} # {}", example_line(key), plain(key.doc), width = COMMENT_COLUMN - 4);
    }
    for section in SHAPE {
        let _ = write!(out, "\n# {}\n{}\n", plain(section.doc.trim()), header(section));
        for key in section.keys {
            out.push_str(&key_line(key, section.name == "scenario", name));
        }
    }
    out
}

/// One key: its description on a comment line, then the key, set when required and
/// commented out otherwise, with what is allowed.
fn key_line(key: &Key, is_header: bool, name: &str) -> String {
    let (line, note) = match (key.required, key.default) {
        (true, _) if is_header && key.name == "name" => {
            (format!("name = {}", toml::Value::String(name.to_string())), "required")
        }
        (true, _) => (example_line(key), "required"),
        (false, _) if !key.one_of.is_empty() => (example_line(key), "required unless the other is given"),
        (false, "") => (format!("# {}", example_line(key)), "optional"),
        (false, d) => (format!("# {} = {d}", key.name), "default"),
    };
    let unit = if key.unit.is_empty() { String::new() } else { format!("{}; ", key.unit) };
    let comment = format!("{note}; {unit}{}", plain(key.range));
    format!("# {}.\n{line:<width$} # {comment}\n", plain(key.doc), width = COMMENT_COLUMN - 2)
}
