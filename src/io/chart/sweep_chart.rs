//! The `sweep` chart: one headline figure (chips operational at the horizon unless
//! `sweep --metric` names another) against the swept value, median with markers over
//! the P10-P90 band, as a pure function from [`SweepChartData`] to a chart description.

use super::palette::{CHIPS, MUTED, WHITE};
use super::run_charts::{nice, panel, share};
use super::spec::{
    band_polygon, item, Figure, Layer, Layout, Line, Mark, Points, Source, Swatch, Title, Unit, XAxis, LINE_WIDTH,
};
use crate::io::format::group_thousands;

/// One swept value's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPoint {
    /// The value as written after `=`.
    pub label: String,
    /// The value as a number, when it is one.
    pub number: Option<f64>,
    /// The figure's P10, P50 and P90 across runs (a probability has its value in all
    /// three); `None` where a month is not reached.
    pub values: [Option<f64>; 3],
    /// A reference drawn as a dashed line (chips ordered, for chip counts).
    pub reference: Option<f64>,
    /// The median as its label should read, when not the value in the axis unit (a
    /// month as its date, "2027-03").
    pub median_text: Option<String>,
}

/// What the y axis shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepScale {
    /// A quantity from 0 up, in this unit.
    Amount(Unit),
    /// A share of runs, 0-100 %.
    Share,
}

/// Everything the sweep chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepChartData {
    /// The swept key path as the user writes it.
    pub path: String,
    /// The figure drawn, as a title says it: "Chips operational at 2031-12".
    pub metric: String,
    /// The y axis title: "Chips", "Months from 2026-01".
    pub y_title: String,
    /// How the values are scaled and written.
    pub scale: SweepScale,
    /// Legend text of the median line: "Chips operational (median)".
    pub median_label: String,
    /// Legend text of the reference line, when points have one: "Chips ordered".
    pub reference_label: String,
    /// Name of the swept scenario.
    pub scenario_name: String,
    /// File name of the swept scenario, for the source line.
    pub scenario_file: String,
    /// Monte Carlo runs per value.
    pub runs: u64,
    /// The shared random seed.
    pub seed: u64,
    /// One point per swept value, in command-line order.
    pub points: Vec<SweepPoint>,
}

impl SweepChartData {
    /// x positions: the numbers when every value is one, else 0, 1, 2, ... in order.
    fn xs(&self) -> (Vec<f64>, bool) {
        let nums: Option<Vec<f64>> =
            self.points.iter().map(|p| p.number.filter(|v| v.is_finite())).collect::<Option<Vec<f64>>>();
        match nums {
            Some(v) => (v, true),
            None => ((0..self.points.len()).map(|i| i as f64).collect(), false),
        }
    }
}

/// A swept value as a tick label: whole numbers of 1,000 and more with thousands
/// separators, everything else as written.
fn tick_label(p: &SweepPoint) -> String {
    match p.number {
        Some(v) if v.fract() == 0.0 && v.abs() >= 1000.0 && v.abs() < 1e15 => group_thousands(&format!("{v:.0}")),
        _ => p.label.clone(),
    }
}

/// A known, finite value.
fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// The x range: the values padded by 6% (a single value by half itself), or one slot
/// per category.
fn x_range(xs: &[f64], numeric: bool) -> (f64, f64) {
    let (lo, hi) = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    if !numeric {
        (-0.5, xs.len() as f64 - 0.5)
    } else if hi > lo {
        let pad = (hi - lo) * 0.06;
        (lo - pad, hi + pad)
    } else {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.5 };
        (lo - pad, hi + pad)
    }
}

/// The P10-P90 spread, for the values whose P10 and P90 are both known (`order` is
/// the points by x): a band through them, or a bar when only one value has it.
fn spread_layers(d: &SweepChartData, xs: &[f64], order: &[usize]) -> Vec<Layer> {
    let banded: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| finite(d.points[i].values[0]).and(finite(d.points[i].values[2])).is_some())
        .collect();
    let p10: Vec<f64> = banded.iter().map(|&i| d.points[i].values[0].unwrap_or(0.0)).collect();
    let p90: Vec<f64> = banded.iter().map(|&i| d.points[i].values[2].unwrap_or(0.0)).collect();
    let poly: Vec<(f64, f64)> = band_polygon(&p10, &p90, banded.len())
        .into_iter()
        .filter_map(|(k, v)| banded.get(k as usize).map(|&i| (xs[i], v)))
        .collect();
    if poly.len() >= 4 {
        return vec![Layer::Polygon { points: poly, paint: CHIPS.alpha(0.16) }];
    }
    banded
        .iter()
        .map(|&i| {
            let [a, _, b] = d.points[i].values;
            let (a, b) = (a.unwrap_or(0.0), b.unwrap_or(0.0));
            Layer::Path { points: vec![(xs[i], a), (xs[i], b)], paint: CHIPS.alpha(0.35), width: 24 }
        })
        .collect()
}

/// The reference line (where points have one), then the median: line, markers and a
/// label above each marker, left out where it would touch the previous one.
fn median_layers(d: &SweepChartData, xs: &[f64], order: &[usize], has_reference: bool) -> Vec<Layer> {
    let sorted = |f: &dyn Fn(&SweepPoint) -> Option<f64>| -> Vec<(f64, f64)> {
        order.iter().filter_map(|&i| finite(f(&d.points[i])).map(|v| (xs[i], v))).collect()
    };
    let line = |pts: Vec<(f64, f64)>, color, width, dashed| Line {
        points: Points::Xy(pts),
        color,
        width,
        dashed,
        off_scale: None,
    };
    let mut layers = Vec::new();
    if has_reference {
        layers.push(Layer::Line(line(sorted(&|p| p.reference), MUTED, 3, true)));
    }
    let med = sorted(&|p| p.values[1]);
    layers.push(Layer::Line(line(med.clone(), CHIPS, LINE_WIDTH, false)));
    let marks = vec![
        Mark { radius: 10, paint: CHIPS.solid(), ring: None },
        Mark { radius: 5, paint: WHITE.solid(), ring: None },
    ];
    layers.push(Layer::Marks { at: med.clone(), marks });
    let unit = match d.scale {
        SweepScale::Amount(unit) => unit,
        SweepScale::Share => Unit::Pct,
    };
    let texts: Vec<Option<&String>> = order
        .iter()
        .filter(|&&i| finite(d.points[i].values[1]).is_some())
        .map(|&i| d.points[i].median_text.as_ref())
        .collect();
    let at = med
        .into_iter()
        .zip(texts)
        .map(|((xv, yv), text)| ((xv, yv), text.cloned().unwrap_or_else(|| unit.fmt(yv))))
        .collect();
    layers.push(Layer::PointLabels { at, lift: 18, min_gap: 12 });
    layers
}

/// The description of the sweep chart.
pub fn sweep_chart(d: &SweepChartData) -> Figure {
    let (xs, numeric) = d.xs();
    let (min, max) = x_range(&xs, numeric);
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    // A tick at every value; the renderer leaves out labels that would touch.
    let ticks = order.iter().map(|&i| (xs[i], tick_label(&d.points[i]))).collect();
    let x = XAxis { min_label_gap: Some(16.0), ..XAxis::values(min, max, ticks, d.path.clone()) };
    // The path's last two parts name the swept key well enough for a title; the x axis
    // gives it whole.
    let parts: Vec<&str> = d.path.split('.').collect();
    let short = parts[parts.len().saturating_sub(2)..].join(".");
    let title = Title { text: format!("{}, by {short}", d.metric), fallback: Some(d.metric.clone()) };
    let subtitle = format!(
        "{} \u{00b7} {} runs per value \u{00b7} seed {}",
        d.scenario_name,
        group_thousands(&d.runs.to_string()),
        d.seed
    );
    let version = env!("CARGO_PKG_VERSION");
    let source = format!("Source: buildout v{version}, scenario file {} with --set", d.scenario_file);
    let spread = d.points.iter().any(|p| p.values[0] != p.values[2]);
    let has_reference = d.points.iter().any(|p| p.reference.is_some());
    let mut legend = vec![item(Swatch::Line(CHIPS), &d.median_label)];
    if spread {
        legend.push(item(Swatch::Fill(CHIPS, 0.16), "P10\u{2013}P90"));
    }
    if has_reference {
        legend.push(item(Swatch::Dashed(MUTED), &d.reference_label));
    }
    let top = d
        .points
        .iter()
        .flat_map(|p| p.values.iter().copied().chain([p.reference]))
        .filter_map(finite)
        .fold(0.0, f64::max);
    let mut layers = if spread { spread_layers(d, &xs, &order) } else { Vec::new() };
    layers.extend(median_layers(d, &xs, &order, has_reference));
    let y = match d.scale {
        SweepScale::Amount(unit) => nice(if top > 0.0 { top * 1.08 } else { 1.0 }, &d.y_title, unit),
        SweepScale::Share => share(&d.y_title),
    };
    let note = match (spread, d.scale) {
        (true, _) => "Line: median of runs; shading: P10\u{2013}P90 across runs",
        (false, SweepScale::Share) => "Each point: the share of runs",
        (false, SweepScale::Amount(_)) => "Each point: the same in every run",
    };
    Figure {
        title,
        subtitle,
        source: Source { text: source, short: None },
        note: note.to_string(),
        legend,
        x,
        layout: Layout::Single,
        panels: vec![panel(y, true, layers)],
    }
}
