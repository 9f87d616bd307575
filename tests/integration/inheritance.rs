//! Scenario inheritance (`extends`, `remove`, `replace`): override, merge items key by
//! key, replace, remove, add, nested chains, cycles and missing parents, the change list
//! of `validate`, and diagnostics that name the file a key is written in.

use crate::support::buildout;
use buildout::io::scenario::{load_file, load_str};
use buildout::io::scenario::{render_toml, resolve_file};
use std::path::{Path, PathBuf};

const BASE: &str = r#"[scenario]
name = "base"
start = "2026-01"
horizon = "2026-12"
runs = 3
seed = 7

[target]
operational = 100
by = "2026-06"

[chips.a]
origin = "US"
power_kw = 1.0
pflops = 1.0

[chips.b]
origin = "KR"
power_kw = 0.5
pflops = 0.5

[[regions]]
name = "r1"
grid_mw = 100.0

[[sites]]
name = "S1"
owner = "gov"
region = "r1"
it_mw = 50.0
pue = 1.2
ready = "2026-01"

[[sites]]
name = "S2"
owner = "gov"
region = "r1"
it_mw = 10.0
pue = 1.2
ready = "2026-03"

[[power]]
name = "P1"
region = "r1"
mw = 20.0
online = "2026-05"
delay_months = { dist = "pert", min = 0, mode = 2, max = 9 }
probability = 0.7

[[deliveries]]
name = "D1"
chip = "a"
count = 1000
owner = "gov"
arrive = "2026-02"

[[deliveries]]
name = "D2"
chip = "b"
count = 500
owner = "gov"
arrive = "2026-04"
"#;

/// Writes `files` (name, text) into a fresh folder and returns it.
fn folder(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let path = dir.path().to_path_buf();
    (dir, path)
}

fn error_of(path: &Path) -> String {
    match load_file(path) {
        Ok(_) => panic!("{} should not load", path.display()),
        Err(e) => e.rendered,
    }
}

#[test]
fn child_overrides_keys_and_merges_items_in_place() {
    let child = r#"extends = "base.toml"
[scenario]
name = "child"
horizon = "2027-06"

[[sites]]
name = "S1"
owner = "gov"
region = "r1"
it_mw = 5.0
pue = 1.5
ready = "2026-02"
"#;
    let (_d, dir) = folder(&[("base.toml", BASE), ("child.toml", child)]);
    let s = load_file(&dir.join("child.toml")).expect("loads").scenario;
    assert_eq!(s.name(), "child");
    assert_eq!(s.start().to_string(), "2026-01", "start is inherited");
    assert_eq!(s.date_of(s.horizon_month()).to_string(), "2027-06");
    assert_eq!(s.default_runs(), 3);
    assert_eq!(s.sites().len(), 2);
    assert_eq!(s.sites()[0].name, "S1", "a merged item keeps its place");
    assert_eq!(s.sites()[0].it_mw, 5.0);
    assert_eq!(s.sites()[0].pue, buildout::core::dist::Dist::Fixed(1.5));
    assert_eq!(s.sites()[1].name, "S2");
}

#[test]
fn remove_and_add_items() {
    let child = r#"extends = "base.toml"
remove = ["deliveries: D2", "chips: b", "sites: S2", "target"]

[[deliveries]]
name = "D3"
chip = "a"
count = 250
owner = "gov"
arrive = "2026-05"
"#;
    let (_d, dir) = folder(&[("base.toml", BASE), ("child.toml", child)]);
    let s = load_file(&dir.join("child.toml")).expect("loads").scenario;
    let names: Vec<&str> = s.deliveries().iter().map(|d| d.name.as_deref().unwrap_or("")).collect();
    assert_eq!(names, ["D1", "D3"]);
    assert_eq!(s.ordered_chips(), 1250);
    assert_eq!(s.chips().len(), 1);
    assert_eq!(s.sites().len(), 1);
    assert!(s.target().is_none());
}

#[test]
fn nested_extends_applies_every_level() {
    let mid = "extends = \"base.toml\"\nremove = [\"deliveries: D2\"]\n[scenario]\nname = \"mid\"\nseed = 9\n";
    let leaf = "extends = \"../up/mid.toml\"\n[scenario]\nname = \"leaf\"\n[allocation]\nmode = \"national\"\n";
    let (_d, dir) = folder(&[]);
    std::fs::create_dir(dir.join("up")).expect("mkdir");
    std::fs::create_dir(dir.join("down")).expect("mkdir");
    std::fs::write(dir.join("up/base.toml"), BASE).expect("write");
    std::fs::write(dir.join("up/mid.toml"), mid).expect("write");
    std::fs::write(dir.join("down/leaf.toml"), leaf).expect("write");
    let s = load_file(&dir.join("down/leaf.toml")).expect("loads").scenario;
    assert_eq!(s.name(), "leaf");
    assert_eq!(s.default_seed(), 9, "from the middle file");
    assert_eq!(s.default_runs(), 3, "from the base file");
    assert_eq!(s.deliveries().len(), 1);
    assert_eq!(format!("{:?}", s.allocation()), "National");
}

#[test]
fn cycle_is_an_error_with_file_line_and_column() {
    let a = "# a\nextends = \"b.toml\"\n[scenario]\nname = \"a\"\n";
    let b = "extends = \"a.toml\"\n[scenario]\nname = \"b\"\n";
    let (_d, dir) = folder(&[("a.toml", a), ("b.toml", b)]);
    let e = error_of(&dir.join("a.toml"));
    assert!(e.contains("b.toml:1:11: error: `extends` makes a cycle: a.toml -> b.toml -> a.toml"), "{e}");
    let (_d2, dir2) = folder(&[("self.toml", "extends = \"self.toml\"\n")]);
    assert!(error_of(&dir2.join("self.toml")).contains("self.toml:1:11: error: `extends` makes a cycle"));
}

#[test]
fn missing_parent_points_at_extends() {
    let (_d, dir) = folder(&[("c.toml", "\nextends = \"nope.toml\"\n")]);
    let e = error_of(&dir.join("c.toml"));
    assert!(e.contains("c.toml:2:11: error: `extends`: cannot read the parent scenario"), "{e}");
}

#[test]
fn unknown_removal_suggests_a_name() {
    let child = "extends = \"base.toml\"\nremove = [\"sites: S3\", \"site: S1\", \"chips: a\"]\n";
    let (_d, dir) = folder(&[("base.toml", BASE), ("child.toml", child)]);
    let e = error_of(&dir.join("child.toml"));
    assert!(e.contains("child.toml:2:11: error: `remove`: the parent scenario has no sites item named \"S3\" (did you mean \"S1\"?)"), "{e}");
    assert!(e.contains("child.toml:2:24: error: `remove`: unknown section \"site\" (did you mean \"sites\"?)"), "{e}");
}

#[test]
fn errors_in_inherited_items_name_the_parent_file() {
    let bad_base = BASE.replace("pue = 1.2\nready = \"2026-03\"", "pue = 0.5\nready = \"2026-03\"");
    let child = "extends = \"base.toml\"\n[[deliveries]]\nname = \"D9\"\nchip = \"zz\"\ncount = 1\nowner = \"gov\"\narrive = \"2026-01\"\n";
    let (_d, dir) = folder(&[("base.toml", &bad_base), ("child.toml", child)]);
    let e = error_of(&dir.join("child.toml"));
    let pue_line = bad_base.lines().position(|l| l == "pue = 0.5").expect("line") + 1;
    assert!(e.contains(&format!("base.toml:{pue_line}:7: error: `pue`")), "{e}");
    assert!(e.contains("child.toml:4:8: error: unknown chip \"zz\""), "{e}");
    // A syntax error in the parent is reported in the parent.
    let (_d2, dir2) = folder(&[("base.toml", "[scenario\n"), ("child.toml", "extends = \"base.toml\"\n")]);
    assert!(error_of(&dir2.join("child.toml")).contains("base.toml:1:"));
}

#[test]
fn remove_without_extends_is_an_error() {
    let text = BASE.replace("[scenario]", "remove = [\"sites: S1\"]\n[scenario]");
    let (_d, dir) = folder(&[("x.toml", &text)]);
    assert!(error_of(&dir.join("x.toml")).contains("x.toml:1:11: error: `remove` needs `extends`"));
}

#[test]
fn printed_resolution_loads_to_the_same_scenario() {
    let child = "extends = \"base.toml\"\nremove = [\"sites: S2\"]\n[scenario]\nname = \"p\"\n[chips.\"odd id\"]\norigin = \"FR\"\npower_kw = 2\npflops = 1\n";
    let (_d, dir) = folder(&[("base.toml", BASE), ("child.toml", child)]);
    let resolved = resolve_file(&dir.join("child.toml")).expect("resolves");
    let text = render_toml(&resolved.table);
    assert!(!text.contains("extends") && !text.contains("remove"));
    let printed = load_str(Path::new("printed.toml"), &text).expect("printed text loads").scenario;
    let direct = load_file(&dir.join("child.toml")).expect("loads").scenario;
    assert_eq!(format!("{printed:?}"), format!("{direct:?}"));
}

/// The child of the power tests: it writes only `mw` and `online` of `P1`.
const POWER_CHILD: &str = "extends = \"base.toml\"\n[[power]]\nname = \"P1\"\nmw = 35.0\nonline = \"2026-08\"\n";

#[test]
fn overriding_two_keys_of_a_power_addition_keeps_its_delay_and_probability() {
    let (_d, dir) = folder(&[("base.toml", BASE), ("child.toml", POWER_CHILD)]);
    let s = load_file(&dir.join("child.toml")).expect("loads").scenario;
    let parent = load_file(&dir.join("base.toml")).expect("loads").scenario;
    assert_eq!(s.power().len(), 1);
    let (p, base) = (&s.power()[0], &parent.power()[0]);
    assert_eq!(p.mw, 35.0);
    assert_eq!(p.timing.planned_month, 7.0, "online 2026-08 is month 7");
    assert_eq!(p.timing.probability, 0.7, "probability is inherited");
    assert_eq!(p.timing.delay_months, base.timing.delay_months, "delay is inherited");
    assert_eq!(s.regions()[p.region].name, "r1", "region is inherited");
    // The printed resolution merges the same way.
    let text = render_toml(&resolve_file(&dir.join("child.toml")).expect("resolves").table);
    let printed = load_str(Path::new("printed.toml"), &text).expect("printed text loads").scenario;
    assert_eq!(format!("{printed:?}"), format!("{s:?}"));
}

#[test]
fn replace_drops_the_keys_the_child_does_not_write() {
    let child = POWER_CHILD
        .replace("\n[[power]]", "\nreplace = [\"power: P1\"]\n[[power]]")
        .replace("mw = 35.0", "region = \"r1\"\nmw = 35.0");
    let (_d, dir) = folder(&[("base.toml", BASE), ("child.toml", &child)]);
    let s = load_file(&dir.join("child.toml")).expect("loads").scenario;
    let p = &s.power()[0];
    assert_eq!(p.mw, 35.0);
    assert_eq!(p.timing.probability, 1.0, "probability takes its default");
    assert_eq!(p.timing.delay_months, buildout::core::dist::Dist::Fixed(0.0), "delay takes its default");
    let text = render_toml(&resolve_file(&dir.join("child.toml")).expect("resolves").table);
    assert!(!text.contains("probability = 0.7") && !text.contains("pert"), "{text}");
    assert!(!text.contains("replace"), "{text}");
    let printed = load_str(Path::new("printed.toml"), &text).expect("printed text loads").scenario;
    assert_eq!(format!("{printed:?}"), format!("{s:?}"));
    // Without `region`, the replaced item lacks a required key.
    let bare = POWER_CHILD.replace("\n[[power]]", "\nreplace = [\"power: P1\"]\n[[power]]");
    let (_d2, dir2) = folder(&[("base.toml", BASE), ("child.toml", &bare)]);
    assert!(error_of(&dir2.join("child.toml")).contains("region"));
}

#[test]
fn replace_mistakes_are_errors_with_file_line_and_column() {
    let child = "extends = \"base.toml\"\nreplace = [\"power: P2\", \"powr: P1\", \"sites: S2\", \"target\", \"deliveries: D1\"]\nremove = [\"deliveries: D1\"]\n[[deliveries]]\nname = \"D1\"\nchip = \"a\"\ncount = 1\nowner = \"gov\"\narrive = \"2026-01\"\n";
    let (_d, dir) = folder(&[("base.toml", BASE), ("child.toml", child)]);
    let e = error_of(&dir.join("child.toml"));
    assert!(e.contains("child.toml:2:12: error: `replace`: the parent scenario has no power item named \"P2\" (did you mean \"P1\"?)"), "{e}");
    assert!(e.contains("child.toml:2:25: error: `replace`: unknown section \"powr\" (did you mean \"power\"?)"), "{e}");
    assert!(e.contains("child.toml:2:37: error: `replace`: this file does not redefine sites \"S2\""), "{e}");
    assert!(e.contains("child.toml:2:50: error: `replace` entry \"target\" must read \"<section>: <name>\""), "{e}");
    assert!(e.contains("child.toml:2:60: error: `replace`: deliveries \"D1\" is also in `remove`"), "{e}");
    let text = BASE.replace("[scenario]", "replace = [\"sites: S1\"]\n[scenario]");
    let (_d2, dir2) = folder(&[("x.toml", &text)]);
    let e = error_of(&dir2.join("x.toml"));
    assert!(e.contains("x.toml:1:12: error: `replace` needs `extends`"), "{e}");
}

#[test]
fn an_error_in_an_inherited_key_of_a_merged_item_points_into_the_parent() {
    let bad_base = BASE.replace("probability = 0.7", "probability = 1.7");
    let child = POWER_CHILD.replace("mw = 35.0", "mw = -1.0");
    let (_d, dir) = folder(&[("base.toml", &bad_base), ("child.toml", &child)]);
    let e = error_of(&dir.join("child.toml"));
    let line = bad_base.lines().position(|l| l == "probability = 1.7").expect("line") + 1;
    assert!(e.contains(&format!("base.toml:{line}:15: error: `probability`")), "{e}");
    assert!(e.contains("child.toml:4:6: error: `mw`"), "{e}");
}

#[test]
fn validate_lists_what_a_child_changes() {
    let child = "extends = \"base.toml\"\nremove = [\"deliveries: D2\"]\nreplace = [\"sites: S2\"]\n[scenario]\nname = \"child\"\n\
        [[power]]\nname = \"P1\"\nmw = 35.0\nonline = \"2026-08\"\nprobability = 0.7\n\
        [[sites]]\nname = \"S2\"\nowner = \"gov\"\nregion = \"r1\"\nit_mw = 5.0\npue = 1.1\nready = \"2026-02\"\n\
        [[deliveries]]\nname = \"Y\"\nchip = \"a\"\ncount = 1\nowner = \"gov\"\narrive = \"2026-01\"\n";
    let (_d, dir) = folder(&[("base.toml", BASE), ("child.toml", child)]);
    let out = buildout().arg("validate").arg(dir.join("child.toml")).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].contains(": ok: \"child\""), "{stdout}");
    assert_eq!(
        lines[1..],
        [
            "  changes scenario: name",
            "  changes power \"P1\": mw, online",
            "  replaces sites \"S2\" whole",
            "  removes deliveries \"D2\"",
            "  adds deliveries \"Y\"",
        ],
        "{stdout}"
    );
    // A file without `extends` prints the ok line only.
    let out = buildout().arg("validate").arg(dir.join("base.toml")).output().expect("runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}
