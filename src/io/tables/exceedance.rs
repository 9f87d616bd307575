//! `exceedance.csv` (MODEL.md D36, D37): the chance of at least X operational chips and
//! X PFLOP/s at each chosen month, and the chance that `[target]` is met at each month,
//! each with its Wilson 95% interval.

use crate::core::exceedance::{Exceedance, ExceedanceTable};
use crate::core::scenario::Scenario;
use crate::core::stats::Summary;
use crate::core::uncertainty::wilson;
use crate::io::format::number;
use std::fmt::Write as _;

/// The header of exceedance.csv.
pub const HEADER: &str = "metric,month,date,at_least,runs_at_least,probability,ci95_low,ci95_high";

/// One row per (metric, chosen month, level): `operational` and `compute_pflops`; then,
/// where a target is set, one `target_met` row per month (at_least = the target).
pub fn render_exceedance(scenario: &Scenario, summary: &Summary) -> String {
    let e = &summary.exceedance;
    let mut out = String::from(HEADER);
    out.push('\n');
    for (metric, t) in [("operational", &e.operational), ("compute_pflops", &e.compute_pflops)] {
        write_table(&mut out, scenario, e, metric, t);
    }
    if let Some(t) = &e.target {
        for (m, &met) in t.runs_met.iter().enumerate() {
            row(&mut out, scenario, e.runs, "target_met", m as u32, t.operational as f64, met);
        }
    }
    out
}

fn write_table(out: &mut String, scenario: &Scenario, e: &Exceedance, metric: &str, t: &ExceedanceTable) {
    for (&month, counts) in e.months.iter().zip(&t.runs_at_least) {
        for (&level, &k) in t.levels.iter().zip(counts) {
            row(out, scenario, e.runs, metric, month, level, k);
        }
    }
}

fn row(out: &mut String, scenario: &Scenario, runs: u64, metric: &str, month: u32, level: f64, k: u64) {
    let share = if runs == 0 { 0.0 } else { k as f64 / runs as f64 };
    let [lo, hi] = wilson(k as f64, runs);
    let date = scenario.date_of(month);
    let _ =
        writeln!(out, "{metric},{month},{date},{},{k},{},{},{}", number(level), number(share), number(lo), number(hi));
}
