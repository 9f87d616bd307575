//! What the one declaration of the scenario's shape (`core::spec::SHAPE`) generates for
//! people and tools: the format reference `docs/scenario-format.md` (`markdown`), the
//! JSON Schema `schema/scenario.schema.json` (`schema`) and the starter scenario of
//! `buildout new` (`starter`). Each is a pure function of the declaration, so none can
//! drift from what the file reader accepts.

mod markdown;
mod schema;
mod starter;

pub use markdown::render_markdown;
pub use schema::{render_schema, schema};
pub use starter::render_starter;

use crate::core::spec::{Key, KeyKind, Section, SectionKind};

/// The id the examples give their one `[chips.ID]` table: the example of a delivery's
/// `chip`, so the examples refer to each other.
pub const EXAMPLE_CHIP_ID: &str = "gpu";

/// The header of one item of a section, as written in a file.
fn header(section: &Section) -> String {
    match section.kind {
        SectionKind::Keys => format!("[{}]", section.name),
        SectionKind::ById => format!("[{}.{EXAMPLE_CHIP_ID}]", section.name),
        SectionKind::ByName => format!("[[{}]]", section.name),
    }
}

/// A kind of value in words.
fn kind_words(kind: KeyKind) -> &'static str {
    match kind {
        KeyKind::Text => "text",
        KeyKind::Date => "date",
        KeyKind::Choice => "choice",
        KeyKind::Integer => "whole number",
        KeyKind::Number => "number",
        KeyKind::Distribution => "distribution",
        KeyKind::Items => "list of items",
        KeyKind::Flag => "true or false",
        KeyKind::Map => "table of numbers",
    }
}

/// A section's one-line description without Markdown backticks, for TOML comments.
fn plain(text: &str) -> String {
    text.replace('`', "")
}

/// A key's example line, `key = value`.
fn example_line(key: &Key) -> String {
    format!("{} = {}", key.name, key.example)
}
