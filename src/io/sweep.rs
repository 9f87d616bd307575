//! `sweep`: the `--set 'PATH=V1,V2,...'` syntax, applying one value to a resolved scenario
//! document, and `sweep.csv` (one row per value, headline figures P10/P50/P90).
//!
//! PATH is `section.key` for `scenario`, `allocation` and `target`, `chips.ID.key`, or
//! `SECTION."item name".key` for `regions`, `power`, `sites`, `deliveries` and `shocks`.
//! Segments with spaces or dots are written in double quotes. Values are TOML values
//! (numbers, `"strings"`, inline tables); an unquoted value that is not valid TOML, such
//! as `2028-06`, is read as a string.

use super::format::number;
use crate::core::scenario::Scenario;
use crate::core::spec::SECTIONS;
use crate::core::stats::{Reached, Stats, Summary};
use crate::core::validate::closest;
use std::fmt::Write as _;

/// A parsed `--set`: the key path and the values to try, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSet {
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

/// Sets `set.path` to `value` in a resolved scenario document.
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
            want(3, &format!("{s}.\"NAME\".KEY"))?;
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
    item.insert(p[p.len() - 1].clone(), value.clone());
    Ok(())
}

fn unknown(what: &str, name: &str, names: &[String]) -> String {
    let hint =
        closest(name, names.iter().map(String::as_str)).map_or(String::new(), |c| format!(" (did you mean \"{c}\"?)"));
    format!("--set: no {what} named \"{name}\"{hint}")
}

/// The headline columns of `sweep.csv`, in order.
pub const SWEEP_FIGURES: [&str; 6] = [
    "operational_at_horizon",
    "compute_pflops_at_horizon",
    "month_50pct_operational",
    "month_90pct_operational",
    "power_first_binds",
    "stranded_chip_months",
];

fn stats_cells(s: &Stats) -> String {
    format!("{},{},{}", number(s.p10()), number(s.p50()), number(s.p90()))
}

fn reached_cells(r: &Reached) -> String {
    let f = |m: Option<f64>| m.map_or(String::new(), number);
    format!("{},{},{}", f(r.percentiles[1]), f(r.percentiles[3]), f(r.percentiles[5]))
}

/// `sweep.csv`: `value` then P10/P50/P90 of each headline figure (months as month
/// indices, empty where a percentile touches runs that never get there), then the chance
/// that the target is met (empty without a target).
pub fn render_sweep_csv(rows: &[(String, &Scenario, &Summary)]) -> String {
    let mut out = String::from("value");
    for f in SWEEP_FIGURES {
        let _ = write!(out, ",{f}_p10,{f}_p50,{f}_p90");
    }
    out.push_str(",target_probability\n");
    for (value, _, summary) in rows {
        let h = &summary.headline;
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            super::csv::csv_field(value),
            stats_cells(&h.operational_at_horizon),
            stats_cells(&h.compute_pflops_at_horizon),
            reached_cells(&h.month_50pct_operational),
            reached_cells(&h.month_90pct_operational),
            reached_cells(&h.power_first_binds),
            stats_cells(&h.stranded_chip_months),
            h.target.map_or(String::new(), |t| number(t.probability))
        );
    }
    out
}
