//! `by_region.csv` and `by_owner.csv` (D50-D53): the summary.csv long format with a
//! leading `region` or `owner` column, one row per (scope, month, metric), percentiles
//! from the per-scope sketches. Written only for a scenario with 2+ regions (2+ owners).

use super::csv::csv_field;
use crate::core::metrics::Binding;
use crate::core::scenario::Scenario;
use crate::core::scope::{OwnerMetric, RegionMetric};
use crate::core::stats::{Stats, Summary, PERCENTILES};
use crate::io::format::number;
use std::fmt::Write as _;

/// The header both files share after their first column.
const COLUMNS: &str = "month,date,metric,mean,p5,p10,p25,p50,p75,p90,p95\n";

fn stats_row(out: &mut String, scope: &str, month: usize, date: &str, metric: &str, st: &Stats) {
    let _ = write!(out, "{scope},{month},{date},{metric},{}", number(st.mean));
    for p in st.percentiles {
        let _ = write!(out, ",{}", number(p));
    }
    out.push('\n');
}

/// `by_region.csv`, or `None` when the scenario has one region: per region and month,
/// the region metrics, then the share of runs in each binding state (as summary.csv's
/// binding rows: the share in every statistic column).
pub fn render_by_region(scenario: &Scenario, summary: &Summary) -> Option<String> {
    let scope = &summary.scope;
    if scope.shape.regions == 0 {
        return None;
    }
    let mut out = format!("region,{COLUMNS}");
    for (r, region) in scenario.regions().iter().enumerate() {
        let name = csv_field(&region.name);
        for month in 0..scope.months() {
            let date = scenario.date_of(month as u32).to_string();
            for m in RegionMetric::ALL {
                stats_row(&mut out, &name, month, &date, m.name(), scope.region(month, r, m));
            }
            for b in Binding::ALL {
                let share = number(scope.region_binding(month, r, b));
                let _ = write!(out, "{name},{month},{date},{},{share}", b.row_name());
                for _ in PERCENTILES {
                    let _ = write!(out, ",{share}");
                }
                out.push('\n');
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
    let mut out = format!("owner,{COLUMNS}");
    for (o, owner) in scenario.owners().iter().enumerate() {
        let name = csv_field(owner);
        for month in 0..scope.months() {
            let date = scenario.date_of(month as u32).to_string();
            for m in OwnerMetric::ALL {
                stats_row(&mut out, &name, month, &date, m.name(), scope.owner(month, o, m));
            }
        }
    }
    Some(out)
}
