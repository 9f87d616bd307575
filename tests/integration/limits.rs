//! Sizes that would hang or exhaust memory are refused with a clear message, exit 2
//! (docs/errors.md, "Size limits").

use super::support::{run, write, BASE};
use std::fmt::Write as _;

/// Validates BASE edited by `edit`; asserts exit 2 and that stderr contains `message`.
fn refused(text: &str, message: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "big.toml", text);
    let o = run(&["validate", path.to_str().expect("utf-8")]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(message), "want {message:?} in\n{stderr}");
}

#[test]
fn huge_counts() {
    let c = |v: &str| BASE.replace("count = 10000", &format!("count = {v}"));
    refused(&c("18446744073709551615"), ":29:9: error: `count` is too large a number");
    refused(&c("1000000000000000"), "`count` = 1000000000000000 must be a whole number between 0 and 1000000000");
    refused(&c("1e15"), "`count` has the wrong type: found number `1000000000000000.0`, expected a whole number");
    let mut many = BASE.to_string();
    for i in 0..11 {
        let _ = write!(many, "\n[[deliveries]]\nname = \"x{i}\"\nchip = \"us1\"\ncount = 1000000000\nowner = \"gov\"\narrive = \"2026-03\"\n");
    }
    refused(&many, "chips in all; at most 10000000000 are accepted");
}

#[test]
fn a_horizon_of_a_century() {
    refused(
        &BASE.replace("horizon = \"2026-12\"", "horizon = \"2126-01\""),
        ":4:11: error: horizon 2126-01 is 1200 months after start; at most 600 (50 years) are simulated",
    );
}

#[test]
fn a_billion_runs() {
    refused(
        &BASE.replace("runs = 4", "runs = 1000000000"),
        ":5:8: error: `runs` = 1000000000 must be between 1 and 100000000",
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "s.toml", BASE);
    let o = run(&["run", path.to_str().expect("utf-8"), "--runs", "1000000000", "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--runs 1000000000 is out of range: give 1 to 100000000"));
    let o = run(&["run", path.to_str().expect("utf-8"), "--threads", "100000", "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn power_near_zero_and_a_huge_pue() {
    refused(
        &BASE.replace("power_kw = 1.0", "power_kw = 1e-9"),
        "`power_kw` = 0.000000001 is out of range: it must be between 0.001 and 1000 kW",
    );
    refused(
        &BASE.replace("pue = 1.2", "pue = 1e9"),
        "`pue` = 1000000000 is out of range: it must be >= 1 and at most 10",
    );
    refused(&BASE.replace("it_mw = 500.0", "it_mw = 1e300"), "is out of range: it must be >= 0 and at most 1000000");
}

fn sites_and_deliveries(n: usize, national: bool) -> String {
    let mut t = BASE.split("[[sites]]").next().unwrap_or_default().to_string();
    if national {
        t.push_str("[allocation]\nmode = \"national\"\n");
    }
    for i in 0..n {
        let _ = write!(t, "\n[[sites]]\nname = \"S{i}\"\nowner = \"o{i}\"\nregion = \"r1\"\nit_mw = 1\npue = 1.2\nready = \"2026-01\"\n");
        let _ = write!(
            t,
            "\n[[deliveries]]\nname = \"d{i}\"\nchip = \"us1\"\ncount = 10\nowner = \"o{i}\"\narrive = \"2026-03\"\n"
        );
    }
    t
}

#[test]
fn too_many_items() {
    refused(&sites_and_deliveries(5_001, false), "items; at most 10000 are accepted");
    refused(&sites_and_deliveries(600, true), "(delivery, site) pairs to allocate over; at most 200000 are simulated");
    let mut chips = BASE.to_string();
    for i in 0..300 {
        let _ = write!(chips, "\n[chips.c{i}]\nvendor = \"v\"\norigin = \"O{}\"\npower_kw = 1\npflops = 1\n", i % 10);
    }
    refused(&chips, "the scenario has 301 chip types; at most 256 are accepted");
    let mut origins = BASE.to_string();
    for i in 0..100 {
        let _ = write!(origins, "\n[chips.c{i}]\nvendor = \"v\"\norigin = \"O{i}\"\npower_kw = 1\npflops = 1\n");
    }
    refused(&origins, "distinct origins; at most 64 are accepted");
}

#[test]
fn a_huge_file_is_refused_before_parsing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("huge.toml");
    let f = std::fs::File::create(&path).expect("create");
    f.set_len(17 * 1024 * 1024).expect("grow");
    let o = run(&["validate", path.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("scenario files are limited to 16777216 bytes"));
}
