//! `headline.json`: the headline figures of MODEL.md section 6, keys as in 8.19.

use crate::core::metrics::Binding;
use crate::core::scenario::Scenario;
use crate::core::stats::{Reached, Stats, Summary, TargetResult, PERCENTILE_NAMES};
use crate::io::figures::{FigureValue, FIGURES};
use crate::io::format::json_number;
use serde_json::{Map, Value};

fn stats(s: &Stats) -> Value {
    let mut m = Map::new();
    m.insert("mean".into(), json_number(s.mean));
    for (name, p) in PERCENTILE_NAMES.iter().zip(s.percentiles) {
        m.insert((*name).into(), json_number(p));
    }
    Value::Object(m)
}

/// A month figure: the share of runs that got there, each percentile as a month index
/// (`null` where the runs at it never got there), and the same percentiles as dates
/// under `dates`.
fn reached(scenario: &Scenario, r: &Reached) -> Value {
    let mut m = Map::new();
    m.insert("reached_share".into(), json_number(r.reached_share));
    let mut dates = Map::new();
    for (name, p) in PERCENTILE_NAMES.iter().zip(r.percentiles) {
        m.insert((*name).into(), p.map_or(Value::Null, json_number));
        dates.insert(
            (*name).into(),
            p.map_or(Value::Null, |month| Value::from(scenario.date_of(month as u32).to_string())),
        );
    }
    m.insert("dates".into(), Value::Object(dates));
    Value::Object(m)
}

fn target(scenario: &Scenario, t: &TargetResult) -> Value {
    let mut o = Map::new();
    o.insert("operational".into(), Value::from(t.operational));
    o.insert("by".into(), Value::from(t.by_month));
    o.insert("by_date".into(), Value::from(scenario.date_of(t.by_month).to_string()));
    o.insert("probability".into(), json_number(t.probability));
    Value::Object(o)
}

/// The headline JSON value: the run's identity, then every figure of
/// [`FIGURES`](super::figures::FIGURES) under its key (`null` where the scenario has none).
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
    for def in &FIGURES {
        let value = match def.figure.value(h) {
            Some(FigureValue::Distribution(s)) => stats(s),
            Some(FigureValue::MonthReached(r)) => reached(scenario, r),
            Some(FigureValue::Probability(t)) => target(scenario, t),
            None => Value::Null,
        };
        m.insert(def.key.into(), value);
    }
    m.insert("electricity_priced_share".into(), h.electricity_priced_share.map_or(Value::Null, json_number));
    let mut limited = Map::new();
    for b in Binding::ALL {
        limited.insert(b.label().into(), json_number(h.limited_by[b.index()]));
    }
    m.insert("limited_by".into(), Value::Object(limited));
    let half = h.power_binds_in_half_of_runs.map_or(Value::Null, |(first, last)| {
        let mut o = Map::new();
        o.insert("from".into(), Value::from(first));
        o.insert("from_date".into(), Value::from(scenario.date_of(first).to_string()));
        o.insert("to".into(), Value::from(last));
        o.insert("to_date".into(), Value::from(scenario.date_of(last).to_string()));
        o.insert("months".into(), Value::from(last - first + 1));
        Value::Object(o)
    });
    m.insert("power_binds_in_half_of_runs".into(), half);
    Value::Object(m)
}

/// `headline.json` text, pretty-printed with a final newline.
pub fn render_headline(scenario: &Scenario, summary: &Summary, seed: u64) -> String {
    let mut text = serde_json::to_string_pretty(&headline_value(scenario, summary, seed)).unwrap_or_default();
    text.push('\n');
    text
}
