//! The format reference, the JSON Schema and `buildout new`, all generated from the one
//! declaration of the scenario's shape: the committed copies are current, the declared
//! facts (required, defaults, bounds, choices, examples) agree with validation, the
//! schema accepts every bundled scenario and flags the bad inputs of the error
//! catalogue, and the starter file validates and runs.

use crate::support::{buildout, repo, BASE};
use buildout::core::spec::{Key, KeyKind, SectionKind, SHAPE};
use buildout::io::scenario::load_str;
use buildout::io::scenario::reference::{render_markdown, render_schema, render_starter, schema, EXAMPLE_CHIP_ID};
use std::path::Path;

/// Compares a generated file with its committed copy; `BUILDOUT_UPDATE_DOCS=1` rewrites it.
fn check_committed(relative: &str, generated: &str) {
    let path = repo().join(relative);
    if std::env::var_os("BUILDOUT_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("the folder");
        std::fs::write(&path, generated).expect("write the generated file");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{relative} is stale: regenerate it with BUILDOUT_UPDATE_DOCS=1 cargo test --release --test integration format_reference"
    );
}

#[test]
fn the_format_reference_is_current() {
    check_committed("docs/scenario-format.md", &render_markdown());
}

#[test]
fn the_committed_schema_is_current() {
    check_committed("schema/scenario.schema.json", &render_schema());
}

#[test]
fn the_reference_names_every_declared_key_with_its_facts() {
    let md = render_markdown();
    for section in SHAPE {
        let (single, array) = (format!("\n## `[{}", section.name), format!("\n## `[[{}", section.name));
        assert!(md.contains(&single) || md.contains(&array), "no heading for {}", section.name);
        for key in section.keys {
            assert!(
                !key.doc.is_empty() && !key.range.is_empty() && !key.example.is_empty(),
                "{}.{}",
                section.name,
                key.name
            );
            assert!(md.contains(&format!("| `{}` |", key.name)), "{} missing", key.name);
            if key.kind == KeyKind::Choice {
                assert!(!key.choices.is_empty(), "{} has no choices", key.name);
            }
        }
    }
}

/// The starter scenario as a TOML table.
fn starter() -> toml::Table {
    toml::from_str(&render_starter("starter")).expect("the starter is TOML")
}

/// The one item of `section` in a starter-shaped document.
fn item<'a>(doc: &'a mut toml::Table, section: &str) -> &'a mut toml::Table {
    let kind = SHAPE.iter().find(|s| s.name == section).expect("a declared section").kind;
    let value = doc.get_mut(section).expect("the section is in the starter");
    let table = match kind {
        SectionKind::Keys => value,
        SectionKind::ById => value.get_mut(EXAMPLE_CHIP_ID).expect("the example chip"),
        SectionKind::ByName => value.get_mut(0).expect("one item"),
    };
    table.as_table_mut().expect("a table")
}

/// A TOML value written as text.
fn value(text: &str) -> toml::Value {
    let t: toml::Table = toml::from_str(&format!("v = {text}")).expect("a TOML value");
    t["v"].clone()
}

/// A number for `key`: an integer for whole-number keys.
fn number(key: &Key, x: f64) -> toml::Value {
    match key.kind {
        KeyKind::Integer => toml::Value::Integer(x as i64),
        _ => toml::Value::Float(x),
    }
}

/// Loads a document: the scenario's Debug text, or every message.
fn load(doc: &toml::Table) -> Result<String, String> {
    let text = toml::to_string(doc).expect("TOML text");
    load_str(Path::new("t.toml"), &text).map(|l| format!("{:?}", l.scenario)).map_err(|e| e.to_string())
}

/// `doc` with `section`'s item edited by `edit`.
fn edited(section: &str, edit: impl FnOnce(&mut toml::Table)) -> toml::Table {
    let mut doc = starter();
    edit(item(&mut doc, section));
    doc
}

#[test]
fn declared_facts_agree_with_validation() {
    let baseline = load(&starter()).expect("the starter validates");
    for section in SHAPE {
        for key in section.keys {
            let at = format!("{}.{}", section.name, key.name);
            let removed = load(&edited(section.name, |t| {
                t.remove(key.name);
            }));
            let missing = format!("is missing the required key `{}`", key.name);
            if !key.one_of.is_empty() {
                let both = |e: &String| e.contains(&format!("`{}`", key.name));
                assert!(removed.as_ref().is_err_and(both), "{at} is needed unless `{}`: {removed:?}", key.one_of);
            } else if key.required {
                assert!(
                    removed.as_ref().is_err_and(|e| e.contains(&missing)),
                    "{at} is declared required: {removed:?}"
                );
            } else {
                assert!(removed.is_ok(), "{at} is declared optional: {removed:?}");
            }
            let mut with_context = starter();
            example_context(&mut with_context, section.name, key.name);
            item(&mut with_context, section.name).insert(key.name.into(), value(key.example));
            let example = load(&with_context);
            assert!(example.is_ok(), "{at}: the example {} is refused: {example:?}", key.example);
            if !key.default.is_empty() {
                let with_default = load(&edited(section.name, |t| {
                    t.insert(key.name.into(), value(key.default));
                }));
                let without = load(&edited(section.name, |t| {
                    t.remove(key.name);
                }));
                assert_eq!(
                    with_default, without,
                    "{at}: the declared default {} is not what absence means",
                    key.default
                );
            }
            check_bounds(section.name, key, &at);
            for choice in key.choices {
                let chosen = load(&edited(section.name, |t| {
                    t.insert(key.name.into(), toml::Value::String(choice.to_string()));
                }));
                assert!(chosen.is_ok(), "{at} = {choice} is refused: {chosen:?}");
            }
            if key.kind == KeyKind::Choice {
                let bogus = load(&edited(section.name, |t| {
                    t.insert(key.name.into(), toml::Value::String("bogus".into()));
                }));
                assert!(bogus.is_err(), "{at} accepts any word");
            }
        }
    }
    assert!(!baseline.is_empty());
}

/// What the starter must say before the example of `section.key` can stand: the other
/// key of a pair removed, a delay to correlate, a price to pay with, a site ready at the
/// start for installed chips.
fn example_context(doc: &mut toml::Table, section: &str, key: &str) {
    let start = doc["scenario"]["start"].clone();
    let site = doc["sites"][0]["name"].clone();
    match (section, key) {
        ("power", "site") => {
            item(doc, section).remove("region");
        }
        ("deliveries", "installed") => {
            let d = item(doc, section);
            d.remove("arrive");
            d.insert("site".into(), site);
            item(doc, "sites").insert("ready".into(), start);
        }
        ("deliveries", "budget") => {
            item(doc, "chips").insert("price_usd".into(), toml::Value::Float(30000.0));
        }
        (_, "factors") => {
            item(doc, section)
                .insert("delay_months".into(), value(r#"{ dist = "pert", min = 0, mode = 3, max = 12 }"#));
        }
        _ => {}
    }
}

/// The declared bounds are accepted and the values just past them refused, naming the key.
fn check_bounds(section: &str, key: &Key, at: &str) {
    let step = if key.kind == KeyKind::Integer { 1.0 } else { 1e-6 };
    let set = |x: f64| {
        load(&edited(section, |t| {
            t.insert(key.name.into(), number(key, x));
        }))
    };
    let named = |r: &Result<String, String>| r.as_ref().is_err_and(|e| e.contains(&format!("`{}`", key.name)));
    if let Some(min) = key.min {
        let inside = if key.min_exclusive { min + step } else { min };
        let outside = if key.min_exclusive { min } else { min - step.max(min.abs() * 1e-6) };
        assert!(set(inside).is_ok(), "{at} = {inside} is inside the declared range: {:?}", set(inside));
        assert!(named(&set(outside)), "{at} = {outside} is outside the declared range: {:?}", set(outside));
    }
    if let Some(max) = key.max {
        let outside = max + step.max(max.abs() * 1e-6);
        assert!(set(max).is_ok(), "{at} = {max} is inside the declared range: {:?}", set(max));
        assert!(named(&set(outside)), "{at} = {outside} is outside the declared range: {:?}", set(outside));
    }
}

#[test]
fn new_writes_a_starter_that_validates_and_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let new = |name: &str| buildout().current_dir(dir.path()).args(["new", name]).output().expect("buildout runs");
    let o = new("japan");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = dir.path().join("japan.toml");
    let text = std::fs::read_to_string(&file).expect("japan.toml written");
    assert!(text.contains("name = \"japan\""), "{text}");
    let out = dir.path().join("out");
    let run = buildout()
        .current_dir(dir.path())
        .args(["run", "japan.toml", "--runs", "20", "--quiet", "--charts", "none", "--out"])
        .arg(&out)
        .output()
        .expect("buildout runs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(out.join("summary.csv").is_file());

    std::fs::write(&file, "# mine\n").expect("overwrite by hand");
    let again = new("japan");
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("japan.toml already exists"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).expect("still there"), "# mine\n", "new overwrote a file");

    let o = new("other.toml");
    assert!(o.status.success() && dir.path().join("other.toml").is_file(), "a .toml path is used as is");
}

#[test]
fn schema_prints_the_committed_schema() {
    let o = buildout().arg("schema").output().expect("buildout runs");
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout), render_schema());
}

/// A TOML text as JSON.
fn json_of(text: &str) -> serde_json::Value {
    let table: toml::Table = toml::from_str(text).expect("TOML");
    serde_json::to_value(table).expect("JSON")
}

fn schema_validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the schema compiles")
}

#[test]
fn every_bundled_scenario_and_the_starter_satisfy_the_schema() {
    let validator = schema_validator();
    let mut checked = 0;
    for folder in ["scenarios", "scenarios/presets", "scenarios/examples", "tests/validation"] {
        for entry in std::fs::read_dir(repo().join(folder)).expect("a scenario folder").flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml") {
                let json = json_of(&std::fs::read_to_string(&path).expect("readable"));
                let errors: Vec<String> =
                    validator.iter_errors(&json).map(|e| format!("{e} at {}", e.instance_path())).collect();
                assert!(errors.is_empty(), "{}: {errors:?}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 15, "only {checked} scenarios found");
    assert!(validator.is_valid(&json_of(&render_starter("s"))));
    assert!(validator.is_valid(&json_of(BASE)));
}

#[test]
fn the_schema_flags_the_bad_inputs_of_the_error_catalogue() {
    let validator = schema_validator();
    // (edit of BASE, as in tests/integration/errors.rs)
    let cases: [(&str, &str); 12] = [
        ("pue = 1.2", "pue = 1.2\npeu = 1.3"),
        ("grid_mw = 1000.0", "grid_mw = 1000.0\ncolour = \"red\""),
        ("[scenario]", "[scenarios]"),
        ("it_mw = 500.0", "it_mw = \"lots\""),
        ("count = 10000", "count = 100.5"),
        ("[[sites]]", "[sites]"),
        ("arrive = \"2026-03\"", "arrive = \"2026-03\"\ndelay_months = \"soon\""),
        ("it_mw = 500.0\n", ""),
        ("pue = 1.2", "pue = 0.8"),
        ("arrive = \"2026-03\"", "arrive = \"March 2026\""),
        ("count = 10000", "count = -5"),
        ("arrive = \"2026-03\"", "arrive = \"2026-03\"\ndelay_months = { dist = \"pert\", min = 0, max = 6 }"),
    ];
    assert!(validator.is_valid(&json_of(BASE)));
    for (from, to) in cases {
        let text = BASE.replacen(from, to, 1);
        assert_ne!(text, BASE);
        assert!(load_str(Path::new("t.toml"), &text).is_err(), "buildout accepts {to:?}");
        assert!(!validator.is_valid(&json_of(&text)), "the schema accepts {to:?}");
    }
}

#[test]
fn a_child_file_may_leave_out_required_keys() {
    let validator = schema_validator();
    let child = json_of("extends = \"base.toml\"\n[scenario]\nruns = 5\n[[sites]]\nname = \"S1\"\npue = 1.4\n");
    assert!(validator.is_valid(&child));
    let orphan = json_of("[scenario]\nruns = 5\n");
    assert!(!validator.is_valid(&orphan), "a file without extends must give the required keys");
    let remove_alone =
        json_of("remove = [\"target\"]\n[scenario]\nname = \"x\"\nstart = \"2026-01\"\nhorizon = \"2027-01\"\n");
    assert!(!validator.is_valid(&remove_alone), "remove needs extends");
    let replace_alone =
        json_of("replace = [\"sites: S1\"]\n[scenario]\nname = \"x\"\nstart = \"2026-01\"\nhorizon = \"2027-01\"\n");
    assert!(!validator.is_valid(&replace_alone), "replace needs extends");
    assert!(validator.is_valid(&json_of("extends = \"b.toml\"\nreplace = [\"sites: S1\"]\n")));
    assert!(!validator.is_valid(&json_of("extends = \"b.toml\"\nreplace = [\"target\"]\n")), "target is whole already");
    let bad_child = json_of("extends = \"base.toml\"\n[[sites]]\nname = \"S1\"\npue = \"high\"\n");
    assert!(!validator.is_valid(&bad_child), "types are checked in child files too");
}
