//! The preset scenarios (`scenarios/presets/*.toml`, issue 12): each validates with no
//! warning; the India preset matches the reported installed base at its anchor month;
//! the Saudi preset counts the US approval of Nov 2025 once.

use crate::support::{load, repo, run, summarize};
use buildout::io::tables::csv::render_summary;
use std::path::PathBuf;

/// The India preset's anchor: the month of the reported installed base.
const INDIA_ANCHOR: &str = "2025-06";
/// IndiaAI Mission GPUs installed by June 2025 (docs/sources.md, S-india-installed).
const INDIA_INSTALLED: f64 = 17_300.0;

fn preset(name: &str) -> PathBuf {
    repo().join("scenarios/presets").join(format!("{name}.toml"))
}

/// summary.csv's p50 of `metric` at the row dated `date`.
fn median_at(summary_csv: &str, date: &str, metric: &str) -> Option<f64> {
    let header: Vec<&str> = summary_csv.lines().next()?.split(',').collect();
    let p50 = header.iter().position(|c| *c == "p50")?;
    summary_csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find_map(|f| (f.get(1) == Some(&date) && f.get(2) == Some(&metric)).then(|| f[p50].parse().expect("a number")))
}

/// Every preset in the folder (a new one is checked too) validates with no warning.
#[test]
fn every_preset_validates_with_no_warning() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(repo().join("scenarios/presets"))
        .expect("scenarios/presets")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 4, "the four presets are missing: {paths:?}");
    for path in paths {
        let o = run(&["validate", path.to_str().expect("utf-8")]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success() && !stderr.contains("warning"), "{}: {stderr}", path.display());
    }
}

/// The India preset's median run has the reported ~17,300 GPUs operational at its anchor
/// month, within 20% (the v1 file had 0 there).
#[test]
fn india_median_operational_at_the_anchor_is_the_reported_installed_base() {
    let scenario = load(&preset("india-ai-mission"));
    let summary = summarize(&scenario, 3000, 42);
    let csv = render_summary(&scenario, &summary);
    let median = median_at(&csv, INDIA_ANCHOR, "operational")
        .unwrap_or_else(|| panic!("no operational row dated {INDIA_ANCHOR}: the preset no longer spans its anchor"));
    let off = (median - INDIA_INSTALLED).abs() / INDIA_INSTALLED;
    assert!(off <= 0.2, "median operational at {INDIA_ANCHOR} is {median}, {:.0}% off {INDIA_INSTALLED}", off * 100.0);
}

/// The first 18,000 GB300 are inside the US approval of up to 35,000 (S-us-approval-2025-11),
/// so the lots before the next tranche add up to the approval, not to 18,000 + 35,000.
#[test]
fn saudi_counts_the_approval_once() {
    let scenario = load(&preset("saudi-humain"));
    let within_approval: u64 = scenario
        .deliveries()
        .iter()
        .filter(|d| d.name.as_deref() != Some("Next tranche toward 600k"))
        .map(|d| d.count)
        .sum();
    assert_eq!(within_approval, 35_000, "the approval's lots (the first 18,000 among them) must sum to 35,000");
}
