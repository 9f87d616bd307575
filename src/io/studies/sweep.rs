//! `sweep`: the `--set 'PATH=V1,V2,...'` syntax, applying one value to a resolved scenario
//! document, and `sweep.csv` (one row per value, headline figures P10/P50/P90).
//!
//! PATH is `section.key` for `scenario`, `allocation` and `target`, `chips.ID.key`, or
//! `SECTION."item name".key` for `regions`, `power`, `sites`, `deliveries` and `shocks`.
//! Segments with spaces or dots are written in double quotes. Values are TOML values
//! (numbers, `"strings"`, inline tables); an unquoted value that is not valid TOML, such
//! as `2028-06`, is read as a string.

use crate::core::metrics::Unit;
use crate::core::scenario::Scenario;
use crate::core::spec::SECTIONS;
use crate::core::stats::Summary;
use crate::core::validate::closest;
use crate::io::chart::spec::Unit as ChartUnit;
use crate::io::chart::{SweepChartData, SweepPoint, SweepScale};
use crate::io::figures::{Context, Figure, FigureDef, FigureKind, FigureValue, FIGURES};
use crate::io::format::number;
use std::fmt::Write as _;

/// A parsed `--set`: the key path and the values to try, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSet {
    /// The key path, one segment per item (quotes removed).
    pub path: Vec<String>,
    /// Each value as written, and as a TOML value.
    pub values: Vec<(String, toml::Value)>,
}

impl SweepSet {
    /// The path as the user would write it.
    pub fn path_text(&self) -> String {
        self.path
            .iter()
            .map(|s| {
                if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                    s.clone()
                } else {
                    format!("\"{s}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// Splits on `sep` outside double quotes and brackets.
fn split_top(text: &str, sep: char) -> Vec<String> {
    let (mut out, mut cur, mut depth, mut quoted) = (Vec::new(), String::new(), 0i32, false);
    for ch in text.chars() {
        match ch {
            '"' => quoted = !quoted,
            '{' | '[' if !quoted => depth += 1,
            '}' | ']' if !quoted => depth -= 1,
            c if c == sep && !quoted && depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    out.push(cur);
    out
}

/// Parses `PATH=V1,V2,...`.
pub fn parse_set(text: &str) -> Result<SweepSet, String> {
    let Some((path, values)) =
        text.split_once('=').filter(|(p, _)| !p.contains('"') || p.matches('"').count() % 2 == 0)
    else {
        return Err(format!(
            "--set '{text}' must read PATH=V1,V2,..., e.g. 'deliveries.\"Naver lot 1\".count=5000,10000'"
        ));
    };
    let path: Vec<String> =
        split_top(path.trim(), '.').into_iter().map(|s| s.trim().trim_matches('"').to_string()).collect();
    if path.iter().any(String::is_empty) {
        return Err(format!("--set: the key path '{}' has an empty part", path.join(".")));
    }
    let mut parsed = Vec::new();
    for v in split_top(values, ',') {
        let v = v.trim();
        if v.is_empty() {
            return Err("--set: a value is empty: give a comma-separated list such as 5000,10000".into());
        }
        let value = toml::from_str::<toml::Table>(&format!("v = {v}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(v.to_string()));
        parsed.push((v.to_string(), value));
    }
    Ok(SweepSet { path, values: parsed })
}

/// Sets `set.path` to `value` in a resolved scenario document. An item's key path may
/// go one level further, into a distribution: `power."X".delay_months.median`.
pub fn apply(table: &mut toml::Table, set: &SweepSet, value: &toml::Value) -> Result<(), String> {
    let p = &set.path;
    let section = p[0].as_str();
    let want = |n: usize, form: &str| {
        if p.len() == n {
            Ok(())
        } else {
            Err(format!("--set: '{}' should read {form}", set.path_text()))
        }
    };
    let want_item = |form: &str| {
        if p.len() == 3 || p.len() == 4 {
            Ok(())
        } else {
            Err(format!("--set: '{}' should read {form}, or {form}.PARAMETER for a distribution", set.path_text()))
        }
    };
    let item: &mut toml::Table = match section {
        "scenario" | "allocation" | "target" => {
            want(2, &format!("{section}.KEY"))?;
            match table.entry(section).or_insert_with(|| toml::Value::Table(toml::Table::new())) {
                toml::Value::Table(t) => t,
                _ => return Err(format!("--set: [{section}] is not a table")),
            }
        }
        "chips" => {
            want(3, "chips.ID.KEY")?;
            let chips =
                table.get_mut("chips").and_then(toml::Value::as_table_mut).ok_or("--set: the scenario has no chips")?;
            let ids: Vec<String> = chips.keys().cloned().collect();
            match chips.get_mut(&p[1]).and_then(toml::Value::as_table_mut) {
                Some(t) => t,
                None => return Err(unknown("chip", &p[1], &ids)),
            }
        }
        s if SECTIONS.contains(&s) => {
            want_item(&format!("{s}.\"NAME\".KEY"))?;
            let items = table
                .get_mut(s)
                .and_then(toml::Value::as_array_mut)
                .ok_or(format!("--set: the scenario has no {s}"))?;
            let names: Vec<String> =
                items.iter().filter_map(|i| i.get("name").and_then(|n| n.as_str()).map(str::to_string)).collect();
            match items.iter_mut().find(|i| i.get("name").and_then(|n| n.as_str()) == Some(p[1].as_str())) {
                Some(toml::Value::Table(t)) => t,
                _ => return Err(unknown(&format!("{s} item"), &p[1], &names)),
            }
        }
        other => {
            let all =
                ["scenario", "allocation", "target", "chips", "regions", "power", "sites", "deliveries", "shocks"];
            let hint = closest(other, all).map_or(String::new(), |c| format!(" (did you mean \"{c}\"?)"));
            return Err(format!("--set: unknown section \"{other}\"{hint}"));
        }
    };
    if p.len() == 4 {
        let (key, parameter) = (&p[2], &p[3]);
        return match item.get_mut(key.as_str()) {
            Some(toml::Value::Table(dist)) => {
                dist.insert(parameter.clone(), value.clone());
                Ok(())
            }
            Some(_) => Err(format!(
                "--set: `{key}` of {section} \"{}\" is a plain value, not a distribution: sweep it whole \
                 ('{section}.\"{}\".{key}=3,6') or write it as a table such as {{ dist = \"pert\", min = 0, mode = 3, max = 12 }}",
                p[1], p[1]
            )),
            None => Err(format!("--set: {section} \"{}\" has no `{key}` to reach into", p[1])),
        };
    }
    item.insert(p[p.len() - 1].clone(), value.clone());
    Ok(())
}

/// The headline figure `sweep --metric NAME` draws: a key of `sweep.csv`'s figures
/// (`operational_at_horizon`, `month_50pct_operational`, `target`, ...), or the start of
/// exactly one of them (`month_50pct`, `compute`, `energy`).
pub fn sweep_metric(name: &str) -> Result<&'static FigureDef, String> {
    let figures = || FIGURES.iter().filter(|d| d.in_sweep);
    if let Some(def) = figures().find(|d| d.key == name) {
        return Ok(def);
    }
    let starting: Vec<&FigureDef> = figures().filter(|d| d.key.starts_with(name)).collect();
    match starting.as_slice() {
        [def] => Ok(def),
        [] => {
            let hint =
                closest(name, figures().map(|d| d.key)).map_or(String::new(), |c| format!(" (did you mean {c}?)"));
            Err(format!(
                "--metric {name} is not a headline figure{hint}: give one of {}",
                figures().map(|d| d.key).collect::<Vec<_>>().join(", ")
            ))
        }
        many => Err(format!(
            "--metric {name} could mean {}: write more of the name",
            many.iter().map(|d| d.key).collect::<Vec<_>>().join(" or ")
        )),
    }
}

/// The sweep chart of figure `def`: one point per row (`rows` as for
/// [`render_sweep_csv`], `numbers` the swept values as numbers where they are), labels
/// from the first row's scenario.
pub fn sweep_chart_data(
    set: &SweepSet,
    def: &FigureDef,
    rows: &[(String, &Scenario, &Summary)],
    numbers: &[Option<f64>],
    runs: u64,
    seed: u64,
    scenario_file: &str,
) -> SweepChartData {
    let first = rows.first().map(|(_, sc, su)| (*sc, *su));
    let label = first.map_or_else(|| def.key.to_string(), |(sc, su)| Context::new(sc, &su.headline).fill(def.label));
    // "Chips operational at 2031-12 (of 260,000 ordered)": the title keeps the first part.
    let metric = label.split(" (").next().unwrap_or(&label).to_string();
    let start = first.map_or_else(String::new, |(sc, _)| sc.date_of(0).to_string());
    let (scale, y_title, median_label) = match def.kind {
        FigureKind::Probability => {
            (SweepScale::Share, "Share of runs".to_string(), "Chance (share of runs)".to_string())
        }
        FigureKind::MonthReached => {
            (SweepScale::Amount(ChartUnit::Count), format!("Months from {start}"), "Month (median run)".to_string())
        }
        FigureKind::Distribution => {
            let unit = match def.unit {
                Unit::Usd => ChartUnit::Usd,
                Unit::Twh => ChartUnit::Twh,
                Unit::Share => ChartUnit::Pct,
                _ => ChartUnit::Count,
            };
            let y_title = match def.unit {
                Unit::Chips => "Chips",
                Unit::Pflops => "PFLOP/s",
                Unit::Usd => "USD",
                Unit::Twh => "TWh",
                _ => "",
            };
            (SweepScale::Amount(unit), y_title.to_string(), "Median across runs".to_string())
        }
    };
    let median_label = if def.figure == Figure::OperationalAtHorizon {
        "Chips operational (median)".to_string()
    } else {
        median_label
    };
    let points = rows
        .iter()
        .zip(numbers)
        .map(|((label, scenario, summary), &number)| {
            let h = &summary.headline;
            let values = match def.figure.value(h) {
                Some(FigureValue::Distribution(st)) => st.p10_p50_p90().map(Some),
                Some(FigureValue::MonthReached(r)) => r.p10_p50_p90(),
                Some(FigureValue::Probability(t)) => [Some(t.probability); 3],
                None => [None; 3],
            };
            let reference = (def.figure == Figure::OperationalAtHorizon).then_some(h.ordered_chips as f64);
            let median_text = match def.kind {
                FigureKind::MonthReached => values[1].map(|m| scenario.date_of(m.round() as u32).to_string()),
                _ => None,
            };
            SweepPoint { label: label.clone(), number, values, reference, median_text }
        })
        .collect();
    SweepChartData {
        path: set.path_text(),
        metric,
        y_title,
        scale,
        median_label,
        reference_label: "Chips ordered".to_string(),
        scenario_name: first.map_or_else(String::new, |(sc, _)| sc.name().to_string()),
        scenario_file: scenario_file.to_string(),
        runs,
        seed,
        points,
    }
}

fn unknown(what: &str, name: &str, names: &[String]) -> String {
    let hint =
        closest(name, names.iter().map(String::as_str)).map_or(String::new(), |c| format!(" (did you mean \"{c}\"?)"));
    format!("--set: no {what} named \"{name}\"{hint}")
}

fn figure_cells(value: Option<FigureValue<'_>>, kind: FigureKind) -> String {
    let month = |m: Option<f64>| m.map_or(String::new(), number);
    match value {
        Some(FigureValue::Distribution(s)) => s.p10_p50_p90().map(number).join(","),
        Some(FigureValue::MonthReached(r)) => r.p10_p50_p90().map(month).join(","),
        Some(FigureValue::Probability(t)) => number(t.probability),
        None if kind == FigureKind::Probability => String::new(),
        None => ",,".into(),
    }
}

/// The P10/P50/P90 dates of a month figure, empty where not reached.
fn date_cells(value: Option<FigureValue<'_>>, scenario: &Scenario) -> String {
    match value {
        Some(FigureValue::MonthReached(r)) => {
            r.p10_p50_p90().map(|m| m.map_or(String::new(), |m| scenario.date_of(m as u32).to_string())).join(",")
        }
        _ => ",,".into(),
    }
}

/// `sweep.csv`: `value`, then for each figure of [`FIGURES`] in the sweep: P10/P50/P90
/// (months as month indices, empty where a percentile touches runs that never get
/// there), or for a probability its value (the chance that the target is met; empty
/// without a target); then, for each month figure, its P10/P50/P90 as dates
/// (`<key>_p10_date`, ...), after the older columns so their positions do not move.
pub fn render_sweep_csv(rows: &[(String, &Scenario, &Summary)]) -> String {
    let figures: Vec<&FigureDef> = FIGURES.iter().filter(|d| d.in_sweep).collect();
    let mut out = String::from("value");
    for f in &figures {
        if f.kind == FigureKind::Probability {
            let _ = write!(out, ",{}_probability", f.key);
        } else {
            let _ = write!(out, ",{0}_p10,{0}_p50,{0}_p90", f.key);
        }
    }
    let months: Vec<&FigureDef> = figures.iter().copied().filter(|f| f.kind == FigureKind::MonthReached).collect();
    for f in &months {
        let _ = write!(out, ",{0}_p10_date,{0}_p50_date,{0}_p90_date", f.key);
    }
    out.push('\n');
    for (value, scenario, summary) in rows {
        out.push_str(&crate::io::tables::csv::csv_field(value));
        for f in &figures {
            let _ = write!(out, ",{}", figure_cells(f.figure.value(&summary.headline), f.kind));
        }
        for f in &months {
            let _ = write!(out, ",{}", date_cells(f.figure.value(&summary.headline), scenario));
        }
        out.push('\n');
    }
    out
}
