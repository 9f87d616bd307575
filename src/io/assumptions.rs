//! The report's "Main assumptions": what the scenario assumed, as tables a reader of a
//! brief can check at a glance (grid additions, sites, deliveries by owner, shocks,
//! budget lines). Plain text cells from the validated scenario; `page::report` lays
//! them out.

use super::format::{format_compact, format_thousands, trim_decimals};
use crate::core::dist::Dist;
use crate::core::scenario::{Scenario, ShockEffect, Timing};

/// One table: a title, a caption saying how to read it, a header and rows of cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssumptionTable {
    /// Heading above the table.
    pub title: String,
    /// How to read it (under the table).
    pub caption: String,
    /// Column names.
    pub header: Vec<String>,
    /// One row per item, cells as shown.
    pub rows: Vec<Vec<String>>,
}

/// A month index (possibly before the start) as its date.
fn date(s: &Scenario, month: f64) -> String {
    s.start().plus_months(month.floor() as i64).to_string()
}

/// A delay distribution as "median 4, P90 15" (months), "none" when fixed at 0.
fn delay(d: &Dist) -> String {
    let (median, p90) = (d.quantile(0.5), d.quantile(0.9));
    if median == 0.0 && p90 == 0.0 {
        "none".to_string()
    } else if (p90 - median).abs() < 1e-9 {
        format!("{} fixed", trim_decimals(median, 1))
    } else {
        format!("{} / {}", trim_decimals(median, 1), trim_decimals(p90, 1))
    }
}

fn chance(t: &Timing) -> String {
    format!("{:.0}%", t.probability * 100.0)
}

fn table(title: &str, caption: &str, header: &[&str], rows: Vec<Vec<String>>) -> AssumptionTable {
    AssumptionTable {
        title: title.to_string(),
        caption: caption.to_string(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

/// The tables of `scenario`'s main assumptions, leaving out the empty ones.
pub fn assumption_tables(s: &Scenario) -> Vec<AssumptionTable> {
    let mut tables = Vec::new();
    let regions = s
        .regions()
        .iter()
        .enumerate()
        .map(|(r, region)| {
            let pooled: f64 = s.power().iter().filter(|p| p.site.is_none() && p.region == r).map(|p| p.mw).sum();
            let dedicated: f64 = s.power().iter().filter(|p| p.site.is_some() && p.region == r).map(|p| p.mw).sum();
            let it: f64 = s.sites().iter().filter(|site| site.region == r).map(|site| site.it_mw).sum();
            vec![
                region.name.clone(),
                format_thousands(region.grid_mw),
                format_thousands(pooled),
                format_thousands(dedicated),
                format_thousands(it),
                region.electricity_usd_per_mwh.map_or("\u{2014}".to_string(), |p| trim_decimals(p, 1)),
            ]
        })
        .collect();
    tables.push(table(
        "Regions",
        "Facility MW for data centres: the pool at the start and the additions planned (to the pool, and as \
         dedicated connections of single sites); the IT MW of the region's sites; electricity price where set.",
        &["Region", "Grid at start, MW", "Pool additions, MW", "Dedicated, MW", "Sites' IT, MW", "USD/MWh"],
        regions,
    ));
    let power = s
        .power()
        .iter()
        .map(|p| {
            let to = match p.site {
                Some(site) => format!("site {}", s.sites()[site].name),
                None => s.regions()[p.region].name.clone(),
            };
            vec![
                p.name.clone().unwrap_or_else(|| p.timing.stream_key.clone()),
                to,
                format_thousands(p.mw),
                date(s, p.timing.planned_month),
                delay(&p.timing.delay_months),
                chance(&p.timing),
            ]
        })
        .collect::<Vec<_>>();
    if !power.is_empty() {
        tables.push(table(
            "Grid additions",
            "Planned date, then the delay in months (median / P90 across runs) and the chance that it comes at all.",
            &["Addition", "To", "MW", "Planned", "Delay, months", "Chance"],
            power,
        ));
    }
    let sites = s
        .sites()
        .iter()
        .map(|site| {
            vec![
                site.name.clone(),
                s.owners()[site.owner].clone(),
                s.regions()[site.region].name.clone(),
                format_thousands(site.it_mw),
                trim_decimals(site.planned_pue(), 2),
                date(s, site.timing.planned_month),
                delay(&site.timing.delay_months),
                chance(&site.timing),
            ]
        })
        .collect::<Vec<_>>();
    tables.push(table(
        "Sites",
        "IT capacity and PUE (mean where it is drawn); ready date, its delay in months (median / P90) and the \
         chance that the site is built.",
        &["Site", "Owner", "Region", "IT MW", "PUE", "Ready", "Delay, months", "Chance"],
        sites,
    ));
    let owners = s
        .owners()
        .iter()
        .enumerate()
        .filter_map(|(o, owner)| {
            let lots: Vec<_> = s.deliveries().iter().filter(|d| d.owner == o).collect();
            if lots.is_empty() {
                return None;
            }
            let chips: u64 = lots.iter().map(|d| d.count).sum();
            let first = lots.iter().map(|d| d.timing.planned_month).fold(f64::INFINITY, f64::min);
            let last = lots.iter().map(|d| d.timing.planned_month).fold(f64::NEG_INFINITY, f64::max);
            let mut types: Vec<&str> = Vec::new();
            for d in &lots {
                let id = s.chips()[d.chip].id.as_str();
                if !types.contains(&id) {
                    types.push(id);
                }
            }
            let mut lines: Vec<&str> = Vec::new();
            for d in &lots {
                if let Some(b) = d.budget {
                    let name = s.budgets()[b].name.as_str();
                    if !lines.contains(&name) {
                        lines.push(name);
                    }
                }
            }
            let installed = lots.iter().filter(|d| d.is_installed()).map(|d| d.count).sum::<u64>();
            Some(vec![
                owner.clone(),
                format_thousands(chips as f64),
                lots.len().to_string(),
                format_thousands(installed as f64),
                format!("{} to {}", date(s, first), date(s, last)),
                types.join(", "),
                if lines.is_empty() { "\u{2014}".to_string() } else { lines.join(", ") },
            ])
        })
        .collect::<Vec<_>>();
    tables.push(table(
        "Deliveries by owner",
        "Chips ordered, in how many lots (and how many already installed at the start), the planned arrival of \
         the first and last lot, chip types and the budget lines that pay for them.",
        &["Owner", "Chips", "Lots", "Installed", "Planned", "Chip types", "Paid from"],
        owners,
    ));
    let shocks = s
        .shocks()
        .iter()
        .map(|k| {
            vec![
                k.name.clone().unwrap_or_else(|| k.stream_key.clone()),
                format!("{:.0}%", k.probability * 100.0),
                format!("{} to {}", date(s, k.earliest_month), date(s, k.latest_month)),
                trim_decimals(k.duration_months.quantile(0.5), 1),
                k.origin_label.clone(),
                match k.effect {
                    ShockEffect::Postpone => "postpone".to_string(),
                    ShockEffect::Cancel => "cancel".to_string(),
                },
            ]
        })
        .collect::<Vec<_>>();
    if !shocks.is_empty() {
        tables.push(table(
            "Shocks",
            "Chance that the shock happens, the window its start is drawn from, its median length, the chip \
             origin it hits and what it does to their deliveries.",
            &["Shock", "Chance", "Starts", "Months (median)", "Origin", "Effect"],
            shocks,
        ));
    }
    let budgets = s
        .budgets()
        .iter()
        .map(|b| {
            let first = b.appropriations.first().map_or(0.0, |a| a.0);
            let last = b.appropriations.last().map_or(0.0, |a| a.0);
            vec![
                b.name.clone(),
                format!("${}", format_compact(b.total_usd)),
                format!("{} to {}", date(s, first), date(s, last)),
            ]
        })
        .collect::<Vec<_>>();
    if !budgets.is_empty() {
        tables.push(table(
            "Budget lines",
            "Everything each line will get (years after the horizon included) and when its money arrives.",
            &["Line", "Total", "Appropriated"],
            budgets,
        ));
    }
    tables
}
