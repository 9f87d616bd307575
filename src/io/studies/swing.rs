//! `buildout sensitivity` (D41): `swing.csv`, the swing chart's data and the console
//! table, from `core::swing`. Each headline figure is read as the sweep reads it: the
//! P50 of a distribution or a month, the chance of the target.

use crate::core::metrics::Unit;
use crate::core::scenario::Scenario;
use crate::core::stats::Headline;
use crate::core::swing::{InputSwing, Swing};
use crate::io::chart::palette::{CHIPS, FACILITY};
use crate::io::chart::spec::Unit as ChartUnit;
use crate::io::chart::{SwingChartData, Tornado, TornadoBar};
use crate::io::figures::{human, Context, FigureDef, FigureKind, FigureValue, FIGURES};
use crate::io::format::number;
use crate::io::sensitivity::input_label;
use crate::io::tables::csv::csv_field;
use std::fmt::Write as _;

/// The header of swing.csv.
pub const HEADER: &str =
    "figure,statistic,rank,input,label,pinned_low,pinned_high,base,at_low,at_high,change_low,change_high,swing";

/// The value of `def` a swing compares: the P50 (distributions, months; `None` for a
/// month the median run never reaches) or the chance (the target).
pub fn figure_point(def: &FigureDef, h: &Headline) -> Option<f64> {
    match def.figure.value(h)? {
        FigureValue::Distribution(st) => Some(st.p50()),
        FigureValue::MonthReached(r) => r.p50(),
        FigureValue::Probability(t) => Some(t.probability),
    }
}

/// What the value is: `p50` or `probability`.
fn statistic(def: &FigureDef) -> &'static str {
    if def.kind == FigureKind::Probability {
        "probability"
    } else {
        "p50"
    }
}

/// One input's values of `def` at its two pins and the unpinned value, from which the
/// changes and the swing follow (`None` where a month is not reached).
struct Change {
    at: [Option<f64>; 2],
    base: Option<f64>,
}

impl Change {
    fn of(def: &FigureDef, base: &Headline, s: &InputSwing) -> Change {
        Change {
            at: [figure_point(def, &s.headlines[0]), figure_point(def, &s.headlines[1])],
            base: figure_point(def, base),
        }
    }
    fn change(&self, i: usize) -> Option<f64> {
        Some(self.at[i]? - self.base?)
    }
    /// High minus low; `None` where either end is undefined.
    fn swing(&self) -> Option<f64> {
        Some(self.at[1]? - self.at[0]?)
    }
}

/// The figures a swing covers: those sweep.csv has, where the scenario has them.
fn figures<'a>(swing: &'a Swing) -> impl Iterator<Item = &'static FigureDef> + 'a {
    FIGURES.iter().filter(move |d| d.in_sweep && d.figure.value(&swing.base).is_some())
}

/// The inputs in order of |swing| of `def`, largest first; undefined swings last, ties
/// in input order.
fn ranked<'a>(def: &FigureDef, swing: &'a Swing) -> Vec<(&'a InputSwing, Change)> {
    let mut rows: Vec<(&InputSwing, Change)> =
        swing.inputs.iter().map(|s| (s, Change::of(def, &swing.base, s))).collect();
    // A stable sort keeps input order among ties.
    rows.sort_by(|a, b| {
        let key = |c: &Change| c.swing().map_or(-1.0, f64::abs);
        key(&b.1).total_cmp(&key(&a.1))
    });
    rows
}

/// swing.csv: one row per (figure, input), figures in FIGURES order, inputs by |swing|.
pub fn render_swing_csv(swing: &Swing) -> String {
    let mut out = format!("{HEADER}\n");
    let cell = |x: Option<f64>| x.map(number).unwrap_or_default();
    for def in figures(swing) {
        for (rank, (s, c)) in ranked(def, swing).into_iter().enumerate() {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{},{}",
                def.key,
                statistic(def),
                rank + 1,
                csv_field(&s.input.column_name()),
                csv_field(&input_label(&s.input)),
                number(s.pinned[0]),
                number(s.pinned[1]),
                cell(c.base),
                cell(c.at[0]),
                cell(c.at[1]),
                cell(c.change(0)),
                cell(c.change(1)),
                cell(c.swing()),
            );
        }
    }
    out
}

/// How a change in `def` is written: chips and money compact, months as months, a
/// chance in percentage points.
fn change_text(def: &FigureDef, v: f64) -> String {
    let sign = if v < 0.0 { "\u{2212}" } else { "+" };
    match def.kind {
        FigureKind::Probability => format!("{sign}{:.1} pts", (v * 100.0).abs()),
        FigureKind::MonthReached => format!("{sign}{} mo", crate::io::format::trim_decimals(v.abs(), 1)),
        FigureKind::Distribution => format!("{sign}{}", human(def.unit, v.abs())),
    }
}

/// The chart unit of `def`'s changes.
fn chart_unit(def: &FigureDef) -> ChartUnit {
    match (def.kind, def.unit) {
        (FigureKind::Probability, _) => ChartUnit::Pct,
        (FigureKind::Distribution, Unit::Usd) => ChartUnit::Usd,
        (FigureKind::Distribution, Unit::Twh) => ChartUnit::Twh,
        _ => ChartUnit::Count,
    }
}

/// The swing chart of figure `def`.
pub fn swing_chart_data(scenario: &Scenario, swing: &Swing, def: &FigureDef, seed: u64, file: &str) -> SwingChartData {
    let label = Context::new(scenario, &swing.base).fill(def.label);
    let figure = label.split(" (").next().unwrap_or(&label).to_string();
    let what = match def.kind {
        FigureKind::Probability => "Change in the chance (percentage points)".to_string(),
        FigureKind::MonthReached => "Change in the median month (months)".to_string(),
        FigureKind::Distribution => "Change in the median".to_string(),
    };
    let bars = ranked(def, swing)
        .into_iter()
        .filter(|(_, c)| c.swing().is_some_and(|s| s != 0.0))
        .map(|(s, c)| {
            let (lo, hi) = (c.change(0).unwrap_or(0.0), c.change(1).unwrap_or(0.0));
            TornadoBar {
                label: input_label(&s.input),
                segments: vec![(lo, FACILITY), (hi, CHIPS)],
                value_text: format!("{} / {}", change_text(def, lo), change_text(def, hi)),
            }
        })
        .collect();
    let lowercase = |s: &str| {
        let mut c = s.chars();
        c.next().map(|f| f.to_lowercase().chain(c).collect::<String>()).unwrap_or_default()
    };
    SwingChartData {
        scenario_name: scenario.name().to_string(),
        scenario_file: file.to_string(),
        runs: swing.runs,
        seed,
        figure: lowercase(&figure),
        tornado: Tornado {
            x_title: format!("{what}, from {}", base_text(scenario, swing, def)),
            unit: chart_unit(def),
            bars,
            legend: vec![
                (FACILITY, "Input at its P10 (a happening: it does not happen)".to_string()),
                (CHIPS, "Input at its P90 (a happening: it happens)".to_string()),
            ],
        },
    }
}

/// The unpinned value of `def` as a reader reads it.
fn base_text(scenario: &Scenario, swing: &Swing, def: &FigureDef) -> String {
    match (def.kind, figure_point(def, &swing.base)) {
        (_, None) => "not reached".to_string(),
        (FigureKind::Probability, Some(p)) => format!("{:.0}%", p * 100.0),
        (FigureKind::MonthReached, Some(m)) => scenario.date_of(m.round() as u32).to_string(),
        (FigureKind::Distribution, Some(v)) => human(def.unit, v),
    }
}

/// The console table: the inputs that move `def` most, with both changes.
pub fn console_swing(scenario: &Scenario, swing: &Swing, def: &FigureDef, top: usize) -> String {
    let mut out = format!(
        "{}: {} runs per pinned input, unpinned {} = {}\n",
        scenario.name(),
        crate::io::format::format_thousands(swing.runs as f64),
        def.key,
        base_text(scenario, swing, def)
    );
    for (s, c) in ranked(def, swing).into_iter().take(top) {
        let text = |i: usize| c.change(i).map_or_else(|| "n/a".to_string(), |v| change_text(def, v));
        let _ = writeln!(out, "  {:<60} P10 {:>12}   P90 {:>12}", input_label(&s.input), text(0), text(1));
    }
    out
}
