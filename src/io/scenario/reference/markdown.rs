//! `docs/scenario-format.md`: every section and key of the scenario file, with its type,
//! unit, default, whether it is required, the values allowed and an example per table.

use super::{example_line, header, kind_words};
use crate::core::spec::{Key, SectionKind, DIST_FORMS, INHERIT_KEYS, SHAPE};
use crate::core::validate::{MAX_ITEMS, MAX_MONTHS_PARAM};
use std::fmt::Write as _;

const INTRO: &str = "\
<!-- Generated from the declaration in src/core/spec/mod.rs; do not edit by hand.
`BUILDOUT_UPDATE_DOCS=1 cargo test --release --test integration format_reference` rewrites it. -->

# The scenario file format

A scenario is one TOML file (UTF-8, at most 16 MiB). It has the sections below, in any
order; only `[scenario]` is required. `[scenario]`, `[allocation]` and `[target]` are
single tables; `[chips.ID]` declares one chip type per ID (the ID is the table's name);
`[[regions]]`, `[[power]]`, `[[sites]]`, `[[deliveries]]` and `[[shocks]]` are arrays of
tables, one per item, in file order (which matters for allocation). Every table refuses
keys it does not know, with a suggestion, and every problem in a file is reported at
once ([errors.md](errors.md)).

A file may instead refine another one: `extends = \"parent.toml\"` (a path relative to the
file) inherits everything the parent declares, `remove = [\"sites: NAME\", \"target\"]`
drops inherited items, and the file gives only what changes
([inheritance.md](inheritance.md)). Such a file may leave out required keys its parents
give: the merged scenario is validated as a whole, and the JSON Schema enforces required
keys only in files without `extends`. A child item with an inherited name merges over the
inherited item key by key (write only the keys that change); `replace = [\"sites: NAME\"]`
makes it replace the inherited item whole instead.

Dates are `\"YYYY-MM\"` strings. \"Required\" keys must be given (in the file or, with
`extends`, its parents); absent optional keys take the default shown, or mean what the
description says. `buildout new NAME` writes a starter file with every key, and
`buildout schema` prints the same facts as a JSON Schema
([schema/scenario.schema.json](../schema/scenario.schema.json)) for editors.
";

/// The whole reference, from the declaration.
pub fn render_markdown() -> String {
    let mut out = String::from(INTRO);
    out.push_str(&inherit_keys());
    for section in SHAPE {
        let _ = writeln!(out, "\n## `{}`\n", header_pattern(section.kind, section.name));
        let _ = writeln!(out, "{}\n", sentence(section.doc));
        out.push_str(match section.kind {
            SectionKind::Keys => "One table.\n\n",
            SectionKind::ById => "One table per chip type; the ID names it (deliveries refer to it).\n\n",
            SectionKind::ByName => "One table per item; repeat the header for each.\n\n",
        });
        out.push_str("| key | type | unit | required / default | allowed | meaning |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- |\n");
        for key in section.keys {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} |",
                key.name,
                kind_words(key.kind),
                key.unit,
                presence(key),
                key.range,
                key.doc
            );
        }
        let _ = writeln!(out, "\nExample:\n\n```toml\n{}", header(section));
        for key in section.keys {
            let _ = writeln!(out, "{}", example_line(key));
        }
        out.push_str("```\n");
    }
    out.push_str(&distributions());
    out.push_str(&limits());
    out
}

/// The top-level keys of a child file, as one table.
fn inherit_keys() -> String {
    let mut out = String::from(
        "\n## Top-level keys of a child file\n\nBefore any section, only in a file that refines another.\n\n\
         | key | type | allowed | meaning |\n| --- | --- | --- | --- |\n",
    );
    for key in INHERIT_KEYS {
        let _ = writeln!(out, "| `{}` | {} | {} | {} |", key.name, kind_words(key.kind), key.range, key.doc);
    }
    out.push_str("\nExample:\n\n```toml\n");
    for key in INHERIT_KEYS {
        let _ = writeln!(out, "{}", example_line(key));
    }
    out.push_str("```\n");
    out
}

/// A section's description without its leading "`[name]`: ", as a sentence.
fn sentence(doc: &str) -> String {
    let text = doc.trim();
    let text = text.split_once(": ").map_or(text, |(_, rest)| rest);
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// `[name]`, `[name.ID]` or `[[name]]`.
fn header_pattern(kind: SectionKind, name: &str) -> String {
    match kind {
        SectionKind::Keys => format!("[{name}]"),
        SectionKind::ById => format!("[{name}.ID]"),
        SectionKind::ByName => format!("[[{name}]]"),
    }
}

/// "required", "default `X`" or "optional".
fn presence(key: &Key) -> String {
    match (key.required, key.default) {
        (true, _) => "required".into(),
        (false, _) if !key.one_of.is_empty() => format!("required unless `{}`", key.one_of),
        (false, "") => "optional".into(),
        (false, d) => format!("default `{d}`"),
    }
}

/// The section on distributions of months.
fn distributions() -> String {
    let mut out = String::from(
        "\n## Distributions\n\nKeys of type *distribution* take a number of months (a fixed value) or a table\n\
         `{ dist = \"NAME\", ... }` with exactly the parameters of one form:\n\n\
         | `dist` | parameters |\n| --- | --- |\n",
    );
    for (name, sets) in DIST_FORMS {
        let forms: Vec<String> = sets.iter().map(|set| format!("`{}`", set.join("`, `"))).collect();
        let _ = writeln!(out, "| `{name}` | {} |", forms.join(" or "));
    }
    let _ = write!(
        out,
        "\nEvery parameter is a finite number of months within ±{MAX_MONTHS_PARAM}; `uniform` needs\n\
         min <= max, `triangular` and `pert` min <= mode <= max (`pert` is beta-PERT, lambda 4),\n\
         `normal` sd >= 0, `lognormal` 0 < median < p90 or 0 < p5 < p95. A delay may be\n\
         negative where the distribution allows it (early); no event comes before month 0.\n"
    );
    out
}

/// The limits over the whole file.
fn limits() -> String {
    format!(
        "\n## Limits over the whole file\n\nAt most {MAX_ITEMS} items in all; the other size limits (chip types, origins,\n\
         chips ordered, allocation pairs) are in [errors.md](errors.md#size-limits-exit-2).\n"
    )
}
