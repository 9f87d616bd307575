//! Scenario inheritance (`extends`, `remove`): override, remove, add, nested chains,
//! cycles and missing parents, and diagnostics that name the file an item is written in.

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
fn child_overrides_keys_and_replaces_items_in_place() {
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
    assert_eq!(s.sites()[0].name, "S1", "a replaced item keeps its place");
    assert_eq!(s.sites()[0].it_mw, 5.0);
    assert_eq!(s.sites()[0].pue, 1.5);
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
