//! `by_region.csv` and `by_owner.csv` (D50-D53): the summary.csv long format with a
//! leading `region` or `owner` column, one row per (scope, month, metric), percentiles
//! from the per-scope sketches. Written only for a scenario with 2+ regions (2+ owners).

use super::csv::{csv_field, share_row, stats_row, SUMMARY_COLUMNS};
use crate::core::metrics::Binding;
use crate::core::scenario::Scenario;
use crate::core::scope::{OwnerMetric, RegionMetric};
use crate::core::stats::Summary;

/// `by_region.csv`, or `None` when the scenario has one region: per region and month,
/// the region metrics, then the share of runs in each binding state (as summary.csv's
/// binding rows: the share in every statistic column).
pub fn render_by_region(scenario: &Scenario, summary: &Summary) -> Option<String> {
    let scope = &summary.scope;
    if scope.shape.regions == 0 {
        return None;
    }
    let mut out = format!("region,{SUMMARY_COLUMNS}");
    for (r, region) in scenario.regions().iter().enumerate() {
        let lead = format!("{},", csv_field(&region.name));
        for month in 0..scope.months() {
            let date = scenario.date_of(month as u32).to_string();
            for m in RegionMetric::ALL {
                stats_row(&mut out, &lead, month, &date, m.name(), scope.region(month, r, m));
            }
            for b in Binding::ALL {
                share_row(&mut out, &lead, month, &date, b.row_name(), scope.region_binding(month, r, b));
            }
        }
    }
    Some(out)
}

/// `by_owner.csv`, or `None` when the scenario has one owner: per owner and month, the
/// owner metrics.
pub fn render_by_owner(scenario: &Scenario, summary: &Summary) -> Option<String> {
    let scope = &summary.scope;
    if scope.shape.owners == 0 {
        return None;
    }
    let mut out = format!("owner,{SUMMARY_COLUMNS}");
    for (o, owner) in scenario.owners().iter().enumerate() {
        let lead = format!("{},", csv_field(owner));
        for month in 0..scope.months() {
            let date = scenario.date_of(month as u32).to_string();
            for m in OwnerMetric::ALL {
                stats_row(&mut out, &lead, month, &date, m.name(), scope.owner(month, o, m));
            }
        }
    }
    Some(out)
}
