//! The chart files and report.html of `run`: which files `--charts` and `--no-report`
//! write, and that the report's headline table shows the numbers of headline.json.

use crate::support::{run, validation_dir};
use serde_json::Value;

fn run_case(case: &str, extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("o");
    let file = validation_dir().join(case);
    let mut args = vec!["run", file.to_str().unwrap(), "--runs", "4", "--out", out.to_str().unwrap(), "--quiet"];
    args.extend(extra);
    let res = run(&args);
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
    (tmp, out)
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn chart_flags_choose_the_files() {
    let (_t, out) = run_case("01_chip_limited.toml", &["--charts", "none", "--no-report"]);
    assert_eq!(names(&out), ["exceedance.csv", "headline.json", "sensitivity.csv", "summary.csv"]);
    // Case 01 sets no target, draws nothing uncertain and has one region, so it has
    // every chart but the target chart, the tornado and the two per-region charts.
    let charts = buildout::io::chart::ChartKind::ALL.len() - 4;
    let (_t, out) = run_case("01_chip_limited.toml", &["--charts", "svg", "--no-report"]);
    assert_eq!(names(&out).iter().filter(|n| n.ends_with(".svg")).count(), charts);
    for n in names(&out).iter().filter(|n| n.ends_with(".svg")) {
        let svg = std::fs::read_to_string(out.join(n)).expect("svg");
        crate::support::assert_svg_text_outlined(&svg, n);
    }
    assert!(!names(&out).iter().any(|n| n.ends_with(".png") || n.ends_with(".html")));
    let (_t, out) = run_case("01_chip_limited.toml", &["--charts", "png"]);
    assert_eq!(names(&out).iter().filter(|n| n.ends_with(".png")).count(), charts);
    assert!(names(&out).contains(&"report.html".to_string()));
}

#[test]
fn report_headline_table_matches_headline_json() {
    let (_t, out) = run_case("02_power_limited.toml", &["--charts", "none"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let headline: Value = serde_json::from_str(&std::fs::read_to_string(out.join("headline.json")).unwrap()).unwrap();
    // Case 02 is deterministic: 46,000 operational at the horizon; 50% reached at month 0
    // (2026-01); 90% never; power binds from month 0; 104,000 stranded chip-months.
    assert_eq!(headline["operational_at_horizon"]["p50"], 46000);
    assert!(html.contains("<td class=\"p50\">46,000</td>"), "operational p50 in the table");
    assert_eq!(headline["month_50pct_operational"]["p50"], 0);
    assert!(
        html.contains("50% of ordered chips operational (reached in 100% of runs)</th><td class=\"p10\">2026-01</td>")
    );
    assert!(headline["month_90pct_operational"]["p50"].is_null());
    assert!(html.contains(
        "90% of ordered chips operational (reached in 0% of runs)</th><td class=\"p10 none\">not reached</td>"
    ));
    assert_eq!(headline["stranded_chip_months"]["p50"], 104000);
    assert!(html.contains("<td class=\"p50\">104,000</td>"));
    assert!(
        html.contains("Power binds in 100% of runs at its peak (2026-01), in most runs from 2026-01 to 2026-12."),
        "binding sentence"
    );
    // Case 02 sets no target, is deterministic and has one region: no target chart, no
    // tornado (the report says nothing can matter more than anything else), no
    // per-region charts.
    assert_eq!(html.matches("<svg").count(), buildout::io::chart::ChartKind::ALL.len() - 4);
    assert!(html.contains("Nothing in this scenario is uncertain"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
}

#[test]
fn charts_carry_titles_axes_dates_and_the_source_line() {
    let (_t, out) = run_case("07_shock_postpone.toml", &["--charts", "svg", "--no-report"]);
    let svg = std::fs::read_to_string(out.join("capacity.svg")).unwrap();
    for text in [
        "Chips operational and compute capacity",
        "case 07 shock postpone",
        "4 runs",
        "seed 7",
        "Compute (PFLOP/s)",
        "Chips delivered",
        "buildout v",
        "07_shock_postpone.toml",
    ] {
        assert!(svg.contains(text), "capacity.svg lacks {text:?}");
    }
    let svg = std::fs::read_to_string(out.join("dependency.svg")).unwrap();
    assert!(svg.contains("KR (home)") && svg.contains("Domestic share"), "dependency legend");
    let svg = std::fs::read_to_string(out.join("constraints.svg")).unwrap();
    assert!(
        svg.contains("Power binds") && svg.contains("Space binds") && svg.contains("2026"),
        "constraints legend and dates"
    );
}

/// The report's "Main assumptions" restate the file: every site with its IT MW and ready
/// date, every grid addition, region totals that add up, and owners' chips that sum to
/// the chips ordered.
#[test]
fn report_states_the_scenarios_main_assumptions() {
    use buildout::io::assumptions::assumption_tables;
    let scenario = crate::support::load(std::path::Path::new(crate::support::KOREA));
    let tables = assumption_tables(&scenario);
    let find = |title: &str| tables.iter().find(|t| t.title == title).unwrap_or_else(|| panic!("no {title} table"));
    let sites = find("Sites");
    assert_eq!(sites.rows.len(), scenario.sites().len());
    for (row, site) in sites.rows.iter().zip(scenario.sites()) {
        assert_eq!(row[0], site.name);
        assert_eq!(row[3].replace(',', "").parse::<f64>().expect("IT MW"), site.it_mw);
        assert_eq!(row[5], scenario.start().plus_months(site.timing.planned_month.floor() as i64).to_string());
    }
    assert_eq!(find("Grid additions").rows.len(), scenario.power().len());
    let regions = find("Regions");
    let number = |cell: &str| cell.replace(',', "").parse::<f64>().expect("a number");
    let pooled: f64 = regions.rows.iter().map(|r| number(&r[2])).sum();
    let dedicated: f64 = regions.rows.iter().map(|r| number(&r[3])).sum();
    let all: f64 = scenario.power().iter().map(|p| p.mw).sum();
    assert!((pooled + dedicated - all).abs() < 1e-6, "region additions {pooled} + {dedicated} != {all}");
    let chips: f64 = find("Deliveries by owner").rows.iter().map(|r| number(&r[1])).sum();
    assert_eq!(chips, scenario.ordered_chips() as f64);
    assert_eq!(find("Budget lines").rows.len(), scenario.budgets().len());
    // And the page shows them.
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("o");
    let res = run(&[
        "run",
        crate::support::KOREA,
        "--runs",
        "20",
        "--charts",
        "svg",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
    let html = std::fs::read_to_string(out.join("report.html")).expect("report written");
    assert!(html.contains("<h2>Main assumptions</h2>"));
    for site in scenario.sites() {
        let escaped = site.name.replace('&', "&amp;");
        assert!(html.contains(&format!("<th scope=\"row\">{escaped}</th>")), "{} missing", site.name);
    }
}
