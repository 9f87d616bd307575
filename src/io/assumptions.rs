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

/// The names in first-seen order, each once.
fn distinct<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for name in names {
        if !seen.contains(&name) {
            seen.push(name);
        }
    }
    seen
}

fn table(title: &str, caption: &str, header: &[&str], rows: Vec<Vec<String>>) -> AssumptionTable {
    AssumptionTable {
        title: title.to_string(),
        caption: caption.to_string(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

/// The tables of `scenario`'s main assumptions, leaving out grid additions, shocks and
/// budget lines when the scenario has none.
pub fn assumption_tables(s: &Scenario) -> Vec<AssumptionTable> {
    let mut tables = vec![regions_table(s)];
    if !s.power().is_empty() {
        tables.push(power_table(s));
    }
    tables.push(sites_table(s));
    tables.push(owners_table(s));
    if !s.shocks().is_empty() {
        tables.push(shocks_table(s));
    }
    if !s.budgets().is_empty() {
        tables.push(budgets_table(s));
    }
    tables
}

/// Regions: grid at the start, additions to the pool and as dedicated connections, the sites' IT MW, price.
fn regions_table(s: &Scenario) -> AssumptionTable {
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
    table(
        "Regions",
        "Facility MW for data centres: the pool at the start and the additions planned (to the pool, and as \
         dedicated connections of single sites); the IT MW of the region's sites; electricity price where set.",
        &["Region", "Grid at start, MW", "Pool additions, MW", "Dedicated, MW", "Sites' IT, MW", "USD/MWh"],
        regions,
    )
}

/// Every grid addition with its planned date, delay and chance.
fn power_table(s: &Scenario) -> AssumptionTable {
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
    table(
        "Grid additions",
        "Planned date, then the delay in months (median / P90 across runs) and the chance that it comes at all.",
        &["Addition", "To", "MW", "Planned", "Delay, months", "Chance"],
        power,
    )
}

/// Every site with its IT MW, PUE, ready date, delay and chance.
fn sites_table(s: &Scenario) -> AssumptionTable {
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
    table(
        "Sites",
        "IT capacity and PUE (mean where it is drawn); ready date, its delay in months (median / P90) and the \
         chance that the site is built.",
        &["Site", "Owner", "Region", "IT MW", "PUE", "Ready", "Delay, months", "Chance"],
        sites,
    )
}

/// Deliveries summed by owner.
fn owners_table(s: &Scenario) -> AssumptionTable {
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
            let types = distinct(lots.iter().map(|d| s.chips()[d.chip].id.as_str()));
            let lines = distinct(lots.iter().filter_map(|d| d.budget).map(|b| s.budgets()[b].name.as_str()));
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
    table(
        "Deliveries by owner",
        "Chips ordered, in how many lots (and how many already installed at the start), the planned arrival of \
         the first and last lot, chip types and the budget lines that pay for them.",
        &["Owner", "Chips", "Lots", "Installed", "Planned", "Chip types", "Paid from"],
        owners,
    )
}

/// Every shock with its chance, window, length, origin and effect.
fn shocks_table(s: &Scenario) -> AssumptionTable {
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
    table(
        "Shocks",
        "Chance that the shock happens, the window its start is drawn from, its median length, the chip \
         origin it hits and what it does to their deliveries.",
        &["Shock", "Chance", "Starts", "Months (median)", "Origin", "Effect"],
        shocks,
    )
}

/// Every budget line with its total and when its money arrives.
fn budgets_table(s: &Scenario) -> AssumptionTable {
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
    table(
        "Budget lines",
        "Everything each line will get (years after the horizon included) and when its money arrives.",
        &["Line", "Total", "Appropriated"],
        budgets,
    )
}
