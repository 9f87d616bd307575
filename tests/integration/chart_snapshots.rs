//! Chart descriptions as text snapshots: the six run charts on the example fixture, a
//! compare overlay, the sweep chart and the swing chart. A changed chart is a readable diff against the
//! files in `tests/snapshots/charts/`; rerun with `BUILDOUT_UPDATE_SNAPSHOTS=1` to accept
//! it (and say why in the commit).

use crate::support::repo;
use buildout::io::chart::spec::Unit;
use buildout::io::chart::{
    compare_chart, dump, run_chart, sample_data, sweep_chart, ChartKind, CompareData, CompareKind, CompareScenario,
    SweepChartData, SweepPoint, SweepScale, SwingChartData, Tornado, TornadoBar,
};

/// Compares `text` with the committed snapshot `name`, or writes it when updating.
fn check(name: &str, text: &str) {
    // The tool version is in every source line; a release should not touch snapshots.
    let text = &text.replace(&format!("v{}", env!("CARGO_PKG_VERSION")), "vVERSION");
    let path = repo().join("tests/snapshots/charts").join(format!("{name}.txt"));
    if std::env::var_os("BUILDOUT_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("snapshot folder");
        std::fs::write(&path, text).expect("snapshot written");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with BUILDOUT_UPDATE_SNAPSHOTS=1 to create it)", path.display()));
    if expected == *text {
        return;
    }
    let (old, new): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), text.lines().collect());
    let at = old.iter().zip(&new).position(|(a, b)| a != b).unwrap_or(old.len().min(new.len()));
    let show = |v: &[&str]| v.iter().skip(at.saturating_sub(2)).take(6).copied().collect::<Vec<_>>().join("\n");
    panic!(
        "chart {name} changed at line {} (BUILDOUT_UPDATE_SNAPSHOTS=1 accepts it)\n--- committed\n{}\n+++ now\n{}",
        at + 1,
        show(&old),
        show(&new)
    );
}

#[test]
fn run_charts_of_the_fixture() {
    let d = sample_data();
    for kind in ChartKind::ALL {
        check(kind.file_stem(), &dump(&run_chart(kind, &d)));
    }
}

/// Two scenarios on one calendar: the fixture, and a copy that starts a year later.
fn two_scenarios() -> CompareData {
    let d = sample_data();
    let dates: Vec<String> = (0..85).map(|i| format!("{}-{:02}", 2026 + i / 12, i % 12 + 1)).collect();
    let mut later = d.shifted(12, &dates);
    later.home_origin = None;
    let scenario = |name: &str, data| CompareScenario { name: name.into(), file: "korea-260k.toml".into(), data };
    CompareData {
        scenarios: vec![scenario("Korea 260k", d.shifted(0, &dates)), scenario("Korea 260k, a year later", later)],
        dates,
        runs: 1000,
        seed: 42,
        version: env!("CARGO_PKG_VERSION").into(),
    }
}

#[test]
fn compare_overlays_of_two_scenarios() {
    let d = two_scenarios();
    for kind in [CompareKind::Capacity, CompareKind::Constraints] {
        let fig = compare_chart(kind, &d).expect("a chart");
        check(kind.file_stem(), &dump(&fig));
    }
}

#[test]
fn sweep_chart_of_three_values() {
    let point = |v: f64, p50: f64| SweepPoint {
        label: format!("{v}"),
        number: Some(v),
        values: [Some(p50 * 0.8), Some(p50), Some(p50 * 1.1)],
        reference: Some(260_000.0),
        median_text: None,
    };
    let d = SweepChartData {
        path: "sites.hall.power_mw".into(),
        metric: "Chips operational at 2031-12".into(),
        y_title: "Chips".into(),
        scale: SweepScale::Amount(Unit::Count),
        median_label: "Chips operational (median)".into(),
        reference_label: "Chips ordered".into(),
        scenario_name: "Korea 260k sovereign compute".into(),
        scenario_file: "korea-260k.toml".into(),
        runs: 1000,
        seed: 42,
        points: vec![point(200.0, 150_000.0), point(400.0, 230_000.0), point(600.0, 255_000.0)],
    };
    check("sweep", &dump(&sweep_chart(&d)));
}

#[test]
fn only_the_renderer_uses_plotters() {
    fn visit(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source file");
                let in_renderer = path.components().any(|c| c.as_os_str() == "render");
                if text.contains("plotters::") && !in_renderer {
                    out.push(path.display().to_string());
                }
            }
        }
    }
    let mut offenders = Vec::new();
    visit(&repo().join("src"), &mut offenders);
    assert!(offenders.is_empty(), "plotters used outside src/io/chart/render/: {offenders:?}");
}

/// A domestic share that never reaches a quarter gets a zoomed panel of its own (a thin
/// sliver at the bottom of a 0-100% stack reads as nothing); a larger one does not.
#[test]
fn a_small_domestic_share_gets_a_zoomed_panel() {
    let with_share = |level: f64| {
        let mut d = sample_data();
        let n = d.domestic_share.p50.len();
        let b = &mut d.domestic_share;
        (b.p10, b.p25, b.p50, b.p75, b.p90) =
            (vec![level * 0.5; n], vec![level * 0.8; n], vec![level; n], vec![level * 1.1; n], vec![level * 1.2; n]);
        dump(&run_chart(ChartKind::Dependency, &d))
    };
    assert!(with_share(0.004).contains("Domestic share, zoomed (%)"));
    assert!(!with_share(0.4).contains("Domestic share, zoomed (%)"));
}

#[test]
fn swing_chart_of_three_inputs() {
    use buildout::io::chart::palette::{CHIPS, FACILITY};
    let bar = |label: &str, lo: f64, hi: f64| TornadoBar {
        label: label.into(),
        segments: vec![(lo, FACILITY), (hi, CHIPS)],
        value_text: format!("{lo} / {hi}"),
    };
    let d = SwingChartData {
        scenario_name: "Korea 260k sovereign compute".into(),
        scenario_file: "korea-260k.toml".into(),
        runs: 1000,
        seed: 42,
        figure: "chips operational at 2031-12".into(),
        tornado: Tornado {
            x_title: "Change in the median, from 221,410".into(),
            unit: Unit::Count,
            bars: vec![
                bar("NACC: happens (site)", -26_000.0, 1_100.0),
                bar("Capital substation 2: delay (grid)", 9_000.0, -12_000.0),
                bar("transformer supply (shared factor)", 4_000.0, -3_500.0),
            ],
            legend: vec![(FACILITY, "Input at its P10".into()), (CHIPS, "Input at its P90".into())],
        },
    };
    check("swing", &dump(&buildout::io::chart::swing_chart(&d)));
}
