//! The Korea regime variants are what their names say (issue 12): run each through the
//! library and check its regime on the summary.csv rows `binding_*` (column `mean`, the
//! share of runs in that state at each month).
//!
//! - `korea-power-limited`: power binds in at least half the runs for at least 24 months;
//! - `korea-chip-limited`: chips bind in at least 70% of run-months after the first
//!   delivery (the mean of `binding_chips` over the months from the first month with
//!   chips delivered to the horizon);
//! - `korea-budget-limited`: money binds in at least half the runs for at least 12 months.

use crate::support::{load, parse_summary, repo, summarize};
use buildout::io::tables::csv::render_summary;
use std::collections::HashMap;

/// Runs per variant: enough that a month's share is within ~0.01 (binomial standard
/// error at 4,000 runs), few enough for the whole module to stay well under 20 s in release.
const RUNS: u64 = 4000;
/// Not the scenarios' own seed (42), so the test does not only confirm the runs the
/// variants were tuned on.
const SEED: u64 = 7;

type Rows = HashMap<(u32, String), [f64; 8]>;

/// The summary rows of a bundled Korea variant and its horizon month.
fn rows_of(file: &str) -> (Rows, u32) {
    let scenario = load(&repo().join("scenarios").join(file));
    let summary = summarize(&scenario, RUNS, SEED);
    (parse_summary(&render_summary(&scenario, &summary)), scenario.horizon_month())
}

/// The mean column of `metric` at each month 0..=horizon.
fn series(rows: &Rows, metric: &str, horizon: u32) -> Vec<f64> {
    (0..=horizon)
        .map(|m| rows.get(&(m, metric.to_string())).unwrap_or_else(|| panic!("no {metric} at {m}"))[0])
        .collect()
}

/// Months in which at least half the runs are in the state.
fn months_in_half_the_runs(shares: &[f64]) -> usize {
    shares.iter().filter(|&&s| s >= 0.5).count()
}

#[test]
fn korea_power_limited_is_power_limited() {
    let (rows, h) = rows_of("korea-power-limited.toml");
    let months = months_in_half_the_runs(&series(&rows, "binding_power", h));
    assert!(months >= 24, "power binds in at least half the runs in only {months} months (want >= 24)");
}

#[test]
fn korea_chip_limited_is_chip_limited() {
    let (rows, h) = rows_of("korea-chip-limited.toml");
    let delivered = series(&rows, "delivered", h);
    let first = delivered.iter().position(|&d| d > 0.0).expect("some chips are delivered");
    let chips = series(&rows, "binding_chips", h);
    let share = chips[first..].iter().sum::<f64>() / chips[first..].len() as f64;
    assert!(share >= 0.7, "chips bind in {share:.3} of run-months from month {first} (want >= 0.7)");
}

#[test]
fn korea_budget_limited_is_budget_limited() {
    let (rows, h) = rows_of("korea-budget-limited.toml");
    let months = months_in_half_the_runs(&series(&rows, "binding_money", h));
    assert!(months >= 12, "money binds in at least half the runs in only {months} months (want >= 12)");
}
