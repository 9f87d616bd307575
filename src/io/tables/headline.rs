//! `headline.json`: the headline figures of MODEL.md section 6, keys as in 8.19.

use crate::core::metrics::Binding;
use crate::core::scenario::Scenario;
use crate::core::stats::{Reached, ReachedCi, Stats, StatsCi, Summary, TargetResult, PERCENTILE_NAMES};
use crate::core::uncertainty::Interval;
use crate::io::figures::{FigureCi, FigureValue, FIGURES};
use crate::io::format::json_number;
use serde_json::{Map, Value};

fn stats(s: &Stats, ci: Option<&StatsCi>) -> Value {
    let mut m = Map::new();
    m.insert("mean".into(), json_number(s.mean));
    for (name, p) in PERCENTILE_NAMES.iter().zip(s.percentiles) {
        m.insert((*name).into(), json_number(p));
    }
    if let Some(ci) = ci {
        let mut c = Map::new();
        c.insert("mean".into(), interval(ci.mean));
        for (name, p) in PERCENTILE_NAMES.iter().zip(ci.percentiles) {
            c.insert((*name).into(), interval(p));
        }
        m.insert("ci95".into(), Value::Object(c));
    }
    Value::Object(m)
}

/// An interval as `[lo, hi]`, `null` on a side the runs cannot bound (D38).
fn interval([lo, hi]: Interval) -> Value {
    Value::Array(vec![lo.map_or(Value::Null, json_number), hi.map_or(Value::Null, json_number)])
}

/// A share's Wilson interval as `[lo, hi]`.
fn share_interval([lo, hi]: [f64; 2]) -> Value {
    Value::Array(vec![json_number(lo), json_number(hi)])
}

/// A month figure: the share of runs that got there, each percentile as a month index
/// (`null` where the runs at it never got there), and the same percentiles as dates
/// under `dates`.
fn reached(scenario: &Scenario, r: &Reached, ci: Option<&ReachedCi>) -> Value {
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
    if let Some(ci) = ci {
        let mut c = Map::new();
        c.insert("reached_share".into(), share_interval(ci.reached_share));
        let mut dates = Map::new();
        let date = |m: Option<f64>| m.map_or(Value::Null, |m| Value::from(scenario.date_of(m as u32).to_string()));
        for (name, p) in PERCENTILE_NAMES.iter().zip(ci.percentiles) {
            c.insert((*name).into(), interval(p));
            dates.insert((*name).into(), Value::Array(vec![date(p[0]), date(p[1])]));
        }
        c.insert("dates".into(), Value::Object(dates));
        m.insert("ci95".into(), Value::Object(c));
    }
    Value::Object(m)
}

fn target(scenario: &Scenario, t: &TargetResult, ci: Option<[f64; 2]>) -> Value {
    let mut o = Map::new();
    o.insert("operational".into(), Value::from(t.operational));
    o.insert("by".into(), Value::from(t.by_month));
    o.insert("by_date".into(), Value::from(scenario.date_of(t.by_month).to_string()));
    o.insert("probability".into(), json_number(t.probability));
    if let Some(ci) = ci {
        o.insert("ci95".into(), share_interval(ci));
    }
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
        let ci = def.figure.ci95(h);
        let value = match def.figure.value(h) {
            Some(FigureValue::Distribution(s)) => {
                stats(s, ci.and_then(|c| if let FigureCi::Distribution(c) = c { Some(c) } else { None }))
            }
            Some(FigureValue::MonthReached(r)) => {
                reached(scenario, r, ci.and_then(|c| if let FigureCi::MonthReached(c) = c { Some(c) } else { None }))
            }
            Some(FigureValue::Probability(t)) => {
                target(scenario, t, ci.and_then(|c| if let FigureCi::Probability(c) = c { Some(c) } else { None }))
            }
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
    // Beside `limited_by`, not inside it, so its keys stay the constraints.
    let mut limited_ci = Map::new();
    for b in Binding::ALL {
        limited_ci.insert(b.label().into(), share_interval(h.ci95.limited_by[b.index()]));
    }
    m.insert("limited_by_ci95".into(), Value::Object(limited_ci));
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
