//! `buildout schema` and `schema/scenario.schema.json`: the scenario format as a JSON
//! Schema (draft-07, which Taplo and most editors read), for editors (Taplo, Even Better TOML) and other tools.
//!
//! Types, bounds, choices, dates, distribution forms and unknown keys are checked
//! everywhere. Required keys are checked only in a file without `extends` (an `if` on
//! `extends`): a child file gives only what changes, and the merged scenario is
//! validated by buildout itself. Rules across keys and items (names that refer to other
//! items, horizon after start, unique names) are left to `buildout validate`.

use crate::core::spec::{Key, KeyKind, Section, SectionKind, DIST_FORMS, INHERIT_KEYS, SECTIONS, SHAPE};
use crate::core::validate::{MAX_HORIZON_MONTHS, MAX_MONTHS_PARAM};
use serde_json::{json, Map, Value};

/// A "YYYY-MM" month with a year from 1900 to 2999.
const DATE_PATTERN: &str = "^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])$";

/// The schema as pretty JSON text, ending with a newline.
pub fn render_schema() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema of a whole scenario file.
pub fn schema() -> Value {
    let mut properties: Map<String, Value> = INHERIT_KEYS.iter().map(|k| (k.name.to_string(), key_schema(k))).collect();
    let dependencies: Map<String, Value> =
        INHERIT_KEYS.iter().filter(|k| k.name != "extends").map(|k| (k.name.to_string(), json!(["extends"]))).collect();
    let mut strict = Map::new();
    for section in SHAPE {
        properties.insert(section.name.into(), section_schema(section));
        strict.insert(section.name.into(), section_schema_required(section));
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "buildout scenario",
        "description": format!(
            "A buildout scenario file (docs/scenario-format.md). Required keys are enforced only without `extends`; \
             cross-item rules and the horizon limit ({MAX_HORIZON_MONTHS} months) are checked by `buildout validate`."
        ),
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "dependencies": dependencies,
        "if": { "required": ["extends"] },
        "else": { "required": ["scenario"], "properties": strict },
        "definitions": { "distribution": distribution() }
    })
}

/// A section's schema: its tables' keys and types, no key required.
fn section_schema(section: &Section) -> Value {
    let table = table_schema(section);
    match section.kind {
        SectionKind::Keys => table,
        SectionKind::ById => json!({
            "type": "object",
            "description": section.doc.trim(),
            "additionalProperties": table
        }),
        SectionKind::ByName => json!({ "type": "array", "description": section.doc.trim(), "items": table }),
    }
}

/// The same section's required keys only, applied on top of `section_schema` in files
/// without `extends`.
fn section_schema_required(section: &Section) -> Value {
    let required: Vec<&str> = section.keys.iter().filter(|k| k.required).map(|k| k.name).collect();
    let table = json!({ "required": required });
    match section.kind {
        SectionKind::Keys => table,
        SectionKind::ById => json!({ "additionalProperties": table }),
        SectionKind::ByName => json!({ "items": table }),
    }
}

/// One table: every declared key, nothing else.
fn table_schema(section: &Section) -> Value {
    let properties: Map<String, Value> = section.keys.iter().map(|k| (k.name.to_string(), key_schema(k))).collect();
    json!({
        "type": "object",
        "description": section.doc.trim(),
        "properties": properties,
        "additionalProperties": false
    })
}

/// One key: its type and bounds, its description, default and example.
fn key_schema(key: &Key) -> Value {
    let mut s = match key.kind {
        KeyKind::Text => json!({ "type": "string" }),
        KeyKind::Date => json!({ "type": "string", "pattern": DATE_PATTERN }),
        KeyKind::Choice => json!({ "type": "string", "enum": key.choices }),
        KeyKind::Integer => json!({ "type": "integer" }),
        KeyKind::Number => json!({ "type": "number" }),
        // A distribution with bounds (a site's pue): a plain number must lie within them
        // (the bounds added below apply to numbers only).
        KeyKind::Distribution if key.min.is_some() || key.max.is_some() => json!({ "anyOf": [
            { "type": "number" },
            { "allOf": [{ "$ref": "#/definitions/distribution" }, { "type": "object" }] }
        ] }),
        KeyKind::Distribution => json!({ "$ref": "#/definitions/distribution" }),
        KeyKind::Flag => json!({ "type": "boolean" }),
        KeyKind::Map => json!({ "type": "object", "additionalProperties": { "type": "number" } }),
        KeyKind::Items => {
            let words = key.choices.iter().map(|c| format!("{c}|")).collect::<String>();
            json!({ "type": "array", "items": { "type": "string", "pattern": format!("^({words}({}): .+)$", SECTIONS.join("|")) } })
        }
    };
    let Value::Object(map) = &mut s else { return s };
    match (key.min, key.min_exclusive) {
        (Some(m), true) => {
            map.insert("exclusiveMinimum".into(), number(m));
        }
        (Some(m), false) => {
            map.insert("minimum".into(), number(m));
        }
        (None, _) => {}
    }
    if let Some(m) = key.max {
        map.insert("maximum".into(), number(m));
    }
    let mut description = key.doc.to_string();
    if !key.unit.is_empty() {
        description.push_str(&format!(" ({})", key.unit));
    }
    description.push_str(&format!(". Allowed: {}.", key.range));
    map.insert("description".into(), Value::String(description));
    if let Some(d) = toml_value(key.default) {
        map.insert("default".into(), d);
    }
    if let Some(e) = toml_value(key.example) {
        map.insert("examples".into(), Value::Array(vec![e]));
    }
    s
}

/// A bound as a JSON number: whole when it is whole, so `minimum: 1` reads as written.
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// A TOML value written as text (a default or an example), as JSON; `None` when empty.
fn toml_value(text: &str) -> Option<Value> {
    if text.is_empty() {
        return None;
    }
    let table: toml::Table = toml::from_str(&format!("v = {text}")).ok()?;
    serde_json::to_value(table.get("v")?).ok()
}

/// A number of months, or a table of one distribution form with exactly its parameters.
fn distribution() -> Value {
    let months = json!({ "type": "number", "minimum": -MAX_MONTHS_PARAM, "maximum": MAX_MONTHS_PARAM });
    let mut forms = vec![json!({ "type": "number", "minimum": -MAX_MONTHS_PARAM, "maximum": MAX_MONTHS_PARAM })];
    for (name, sets) in DIST_FORMS {
        for set in sets.iter() {
            let mut properties = Map::new();
            properties.insert("dist".into(), json!({ "const": name }));
            for p in set.iter() {
                properties.insert(p.to_string(), months.clone());
            }
            let mut required = vec!["dist"];
            required.extend(set.iter());
            forms.push(json!({
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": false
            }));
        }
    }
    json!({
        "description": "Months: a number (fixed), or a table { dist = \"NAME\", ... } with exactly the parameters of one form (docs/scenario-format.md#distributions).",
        "anyOf": forms
    })
}
