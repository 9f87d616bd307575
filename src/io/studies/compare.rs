//! `compare`: several scenarios run with common random numbers and aligned by calendar
//! month; `compare.csv` (tidy long format) and `compare.json` (headline figures side by
//! side) as pure render functions (`compare.html` is in `io::page::compare`).

use crate::core::date::YearMonth;
use crate::core::metrics::{Binding, Series};
use crate::core::scenario::Scenario;
use crate::core::stats::Summary;
use crate::io::brief::binding_clauses;
use crate::io::format::number;
use crate::io::tables::csv::csv_field;
use crate::io::tables::headline::headline_value;
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// One compared scenario: a short unique label (the file stem), its scenario and results.
pub struct Compared<'a> {
    /// A short unique label (the file stem).
    pub label: String,
    /// The scenario file as given.
    pub file: String,
    /// The validated scenario.
    pub scenario: &'a Scenario,
    /// Its Monte Carlo results.
    pub summary: &'a Summary,
}

/// Unique labels from file stems: a repeated stem gets `-2`, `-3`, ...
pub fn unique_labels(stems: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for stem in stems {
        let mut label = stem.clone();
        let mut k = 2;
        while out.contains(&label) {
            label = format!("{stem}-{k}");
            k += 1;
        }
        out.push(label);
    }
    out
}

/// The earliest start among the scenarios: month 0 of the comparison.
pub fn earliest_start(items: &[Compared<'_>]) -> Option<YearMonth> {
    items.iter().map(|c| c.scenario.start()).min()
}

/// Month offset of a scenario's month 0 from the comparison's month 0.
pub(crate) fn offset(item: &Compared<'_>, origin: YearMonth) -> usize {
    item.scenario.start().months_since(origin).max(0) as usize
}

/// `compare.csv`: `month,date,metric,scenario,mean,p10,p50,p90`, one row per calendar
/// month, metric and scenario (months counted from the earliest start; a scenario has rows
/// only inside its own start..horizon). Binding rows give the share of runs in each state.
pub fn render_compare_csv(items: &[Compared<'_>]) -> String {
    let mut out = String::from("month,date,metric,scenario,mean,p10,p50,p90\n");
    let Some(origin) = earliest_start(items) else { return out };
    let end = items.iter().map(|c| offset(c, origin) + c.summary.months).max().unwrap_or(0);
    for g in 0..end {
        let date = origin.plus_months(g as i64);
        let live: Vec<(&Compared<'_>, usize)> = items
            .iter()
            .filter_map(|c| {
                let o = offset(c, origin);
                (g >= o && g - o < c.summary.months).then_some((c, g - o))
            })
            .collect();
        for s in Series::summary_rows() {
            let name = s.name();
            for (c, m) in &live {
                let st = c.summary.stats(*m, s);
                let _ = writeln!(
                    out,
                    "{g},{date},{name},{},{},{},{},{}",
                    csv_field(&c.label),
                    number(st.mean),
                    number(st.p10()),
                    number(st.p50()),
                    number(st.p90())
                );
            }
        }
        for b in Binding::ALL {
            for (c, m) in &live {
                let share = number(c.summary.binding_share[*m][b.index()]);
                let label = csv_field(&c.label);
                let _ = writeln!(out, "{g},{date},{},{label},{share},{share},{share},{share}", b.row_name());
            }
        }
    }
    out
}

/// `compare.json`: runs, seed, and each scenario's headline figures (the `headline.json`
/// object) under its label, plus the binding sentence.
pub fn render_compare_json(items: &[Compared<'_>], seed: u64) -> String {
    let mut root = Map::new();
    root.insert("runs".into(), Value::from(items.first().map_or(0, |c| c.summary.runs)));
    root.insert("seed".into(), Value::from(seed));
    root.insert("version".into(), Value::from(env!("CARGO_PKG_VERSION")));
    let mut list = Vec::new();
    for c in items {
        let mut m = Map::new();
        m.insert("label".into(), Value::from(c.label.clone()));
        m.insert("file".into(), Value::from(c.file.clone()));
        m.insert("what_binds".into(), Value::from(binding_sentence(c)));
        m.insert("headline".into(), headline_value(c.scenario, c.summary, seed));
        list.push(Value::Object(m));
    }
    root.insert("scenarios".into(), Value::Array(list));
    let mut text = serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default();
    text.push('\n');
    text
}

/// One sentence on what binds in one scenario (the clauses of `brief::binding_clauses`).
pub fn binding_sentence(c: &Compared<'_>) -> String {
    format!("{}: {}.", c.label, binding_clauses(c.scenario, c.summary).join("; "))
}
