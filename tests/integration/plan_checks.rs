//! Plan checks: a valid scenario that probably does not say what was meant gets a
//! warning at the item concerned (never an error: validate and run still succeed).

use crate::support::{run, write, BASE};

/// `validate` on `text`: it succeeds, and its stderr is returned.
fn warnings_of(text: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "plan.toml", text);
    let o = run(&["validate", file.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_consistent_plan_gets_no_warning() {
    assert_eq!(warnings_of(BASE), "");
}

#[test]
fn a_home_origin_no_chip_has_is_named_with_a_suggestion() {
    let stderr = warnings_of(&BASE.replace("seed = 1\n", "seed = 1\nhome_origin = \"UK\"\n"));
    assert!(
        stderr.contains(
            ":7:15: warning: no chip has origin \"UK\", so the domestic share is 0 in every month (did you mean `US`?)"
        ),
        "{stderr}"
    );
    let stderr = warnings_of(&BASE.replace("seed = 1\n", "seed = 1\nhome_origin = \"US\"\n"));
    assert_eq!(stderr, "");
}

#[test]
fn a_site_too_small_for_the_lots_named_for_it_is_flagged() {
    // 10,000 chips of 1 kW need 10 MW; the site has 4.
    let text = BASE
        .replace("it_mw = 500.0", "it_mw = 4.0")
        .replace("owner = \"gov\"\narrive", "owner = \"gov\"\nsite = \"S1\"\narrive");
    let stderr = warnings_of(&text);
    assert!(
        stderr.contains(":18:1: warning: the lots named for site \"S1\" need 10 MW of IT power but it has 4 MW"),
        "{stderr}"
    );
    // Exactly enough room is no warning.
    let text = BASE
        .replace("it_mw = 500.0", "it_mw = 10.0")
        .replace("owner = \"gov\"\narrive", "owner = \"gov\"\nsite = \"S1\"\narrive");
    assert_eq!(warnings_of(&text), "");
}

#[test]
fn a_region_that_can_never_power_its_sites_is_flagged() {
    // 500 MW of IT at PUE 1.2 draws 600 MW; the region has 100 MW now and 450 MW more to come.
    let with_addition = |mw: &str| {
        BASE.replace("grid_mw = 1000.0", "grid_mw = 100.0")
            + &format!("\n[[power]]\nname = \"line\"\nregion = \"r1\"\nmw = {mw}\nonline = \"2026-06\"\n")
    };
    let stderr = warnings_of(&with_addition("450.0"));
    assert!(
        stderr.contains(":14:1: warning: the sites of region \"r1\" draw up to 600 MW at full load (IT x PUE) but the region will have at most 550 MW of grid"),
        "{stderr}"
    );
    assert_eq!(warnings_of(&with_addition("500.0")), "");
    // A warning is not fatal: the scenario runs.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "plan.toml", &with_addition("450.0"));
    let out = dir.path().join("out");
    let o =
        run(&["run", file.to_str().expect("utf-8"), "--runs", "4", "--quiet", "--out", out.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
