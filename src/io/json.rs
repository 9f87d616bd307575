//! `headline.json`: the headline figures of MODEL.md section 6, keys as in 8.19.

use super::format::json_number;
use crate::core::scenario::Scenario;
use crate::core::stats::{Reached, Stats, Summary};
use serde_json::{Map, Value};

const NAMES: [&str; 7] = ["p5", "p10", "p25", "p50", "p75", "p90", "p95"];

fn stats(s: &Stats) -> Value {
    let mut m = Map::new();
    m.insert("mean".into(), json_number(s.mean));
    for (name, p) in NAMES.iter().zip(s.percentiles) {
        m.insert((*name).into(), json_number(p));
    }
    Value::Object(m)
}

fn reached(r: &Reached) -> Value {
    let mut m = Map::new();
    m.insert("reached_share".into(), json_number(r.reached_share));
    for (name, p) in NAMES.iter().zip(r.percentiles) {
        m.insert((*name).into(), p.map_or(Value::Null, json_number));
    }
    Value::Object(m)
}

/// The headline JSON value.
pub fn headline_value(scenario: &Scenario, summary: &Summary, seed: u64) -> Value {
    let h = &summary.headline;
    let horizon = scenario.horizon_month();
    let mut m = Map::new();
    m.insert("scenario".into(), Value::from(scenario.name()));
    m.insert("runs".into(), Value::from(summary.runs));
    m.insert("seed".into(), Value::from(seed));
    m.insert("version".into(), Value::from(env!("CARGO_PKG_VERSION")));
    let mut hz = Map::new();
    hz.insert("month".into(), Value::from(horizon));
    hz.insert("date".into(), Value::from(scenario.date_of(horizon).to_string()));
    m.insert("horizon".into(), Value::Object(hz));
    m.insert("ordered_chips".into(), Value::from(h.ordered_chips));
    m.insert("operational_at_horizon".into(), stats(&h.operational_at_horizon));
    m.insert("compute_pflops_at_horizon".into(), stats(&h.compute_pflops_at_horizon));
    m.insert("month_50pct_operational".into(), reached(&h.month_50pct_operational));
    m.insert("month_90pct_operational".into(), reached(&h.month_90pct_operational));
    m.insert("power_first_binds".into(), reached(&h.power_first_binds));
    m.insert("stranded_chip_months".into(), stats(&h.stranded_chip_months));
    m.insert("stranded_capital_usd_months".into(), h.stranded_capital_usd_months.as_ref().map_or(Value::Null, stats));
    m.insert(
        "target".into(),
        h.target.map_or(Value::Null, |t| {
            let mut o = Map::new();
            o.insert("operational".into(), Value::from(t.operational));
            o.insert("by".into(), Value::from(t.by_month));
            o.insert("by_date".into(), Value::from(scenario.date_of(t.by_month).to_string()));
            o.insert("probability".into(), json_number(t.probability));
            Value::Object(o)
        }),
    );
    Value::Object(m)
}

/// `headline.json` text, pretty-printed with a final newline.
pub fn render_headline(scenario: &Scenario, summary: &Summary, seed: u64) -> String {
    let mut text = serde_json::to_string_pretty(&headline_value(scenario, summary, seed)).unwrap_or_default();
    text.push('\n');
    text
}
