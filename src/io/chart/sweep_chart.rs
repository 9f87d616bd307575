//! The `sweep` chart: chips operational at the horizon against the swept value, median
//! with markers over the P10-P90 band, as a pure function from [`SweepChartData`] to a
//! chart description.

use super::palette::{CHIPS, MUTED, WHITE};
use super::run_charts::{nice, panel};
use super::spec::{
    band_polygon, item, Figure, Layer, Layout, Line, Mark, Points, Source, Swatch, Title, Unit, XAxis, LINE_WIDTH,
};
use crate::io::format::{format_compact, group_thousands};

/// One swept value's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPoint {
    /// The value as written after `=`.
    pub label: String,
    /// The value as a number, when it is one.
    pub number: Option<f64>,
    /// Chips operational at the horizon: P10, P50, P90 across runs.
    pub operational: (f64, f64, f64),
    /// Chips ordered in this variant.
    pub ordered: f64,
    /// The variant's horizon, "YYYY-MM".
    pub horizon: String,
}

/// Everything the sweep chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepChartData {
    /// The swept key path as the user writes it.
    pub path: String,
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

/// The description of the sweep chart.
pub fn sweep_chart(d: &SweepChartData) -> Figure {
    let (xs, numeric) = d.xs();
    let (lo, hi) = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let (min, max) = if !numeric {
        (-0.5, xs.len() as f64 - 0.5)
    } else if hi > lo {
        let pad = (hi - lo) * 0.06;
        (lo - pad, hi + pad)
    } else {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.5 };
        (lo - pad, hi + pad)
    };
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    // A tick at every value; the renderer leaves out labels that would touch.
    let ticks = order.iter().map(|&i| (xs[i], tick_label(&d.points[i]))).collect();
    let x = XAxis { min_label_gap: Some(16.0), ..XAxis::values(min, max, ticks, d.path.clone()) };
    let horizons: Vec<&str> = d.points.iter().map(|p| p.horizon.as_str()).collect();
    let at = match horizons.first() {
        Some(h) if horizons.iter().all(|x| x == h) => h.to_string(),
        _ => "horizon".to_string(),
    };
    let title = Title {
        text: format!("Chips operational at {at}, by {}", d.path),
        fallback: Some(format!("Sweep of {}", d.path)),
    };
    let subtitle = format!(
        "{} \u{00b7} {} runs per value \u{00b7} seed {} \u{00b7} chips operational at {at}",
        d.scenario_name,
        group_thousands(&d.runs.to_string()),
        d.seed
    );
    let version = env!("CARGO_PKG_VERSION");
    let source = format!("Source: buildout v{version}, scenario file {} with --set", d.scenario_file);
    let legend = vec![
        item(Swatch::Line(CHIPS), "Chips operational (median)"),
        item(Swatch::Fill(CHIPS, 0.16), "P10\u{2013}P90"),
        item(Swatch::Dashed(MUTED), "Chips ordered"),
    ];
    let y = d.points.iter().map(|p| p.operational.2.max(p.operational.1).max(p.ordered)).fold(0.0, f64::max);
    let sorted = |f: &dyn Fn(&SweepPoint) -> f64| -> Vec<(f64, f64)> {
        order.iter().map(|&i| (xs[i], f(&d.points[i]))).filter(|(_, v)| v.is_finite()).collect()
    };
    let p10: Vec<f64> = order.iter().map(|&i| d.points[i].operational.0).collect();
    let p90: Vec<f64> = order.iter().map(|&i| d.points[i].operational.2).collect();
    let poly: Vec<(f64, f64)> = band_polygon(&p10, &p90, order.len())
        .into_iter()
        .filter_map(|(k, v)| order.get(k as usize).map(|&i| (xs[i], v)))
        .collect();
    let mut layers = if poly.len() >= 4 {
        vec![Layer::Polygon { points: poly, paint: CHIPS.alpha(0.16) }]
    } else {
        // One value: a P10-P90 bar instead of a band.
        let bar = |i: usize| {
            let (a, _, b) = d.points[i].operational;
            Layer::Path { points: vec![(xs[i], a), (xs[i], b)], paint: CHIPS.alpha(0.35), width: 24 }
        };
        order.iter().map(|&i| bar(i)).collect()
    };
    let line = |pts: Vec<(f64, f64)>, color, width, dashed| Line {
        points: Points::Xy(pts),
        color,
        width,
        dashed,
        off_scale: None,
    };
    layers.push(Layer::Line(line(sorted(&|p| p.ordered), MUTED, 3, true)));
    let med = sorted(&|p| p.operational.1);
    layers.push(Layer::Line(line(med.clone(), CHIPS, LINE_WIDTH, false)));
    let marks = vec![
        Mark { radius: 10, paint: CHIPS.solid(), ring: None },
        Mark { radius: 5, paint: WHITE.solid(), ring: None },
    ];
    layers.push(Layer::Marks { at: med.clone(), marks });
    // The median above each marker, left out where it would touch the previous one.
    let at = med.into_iter().map(|(xv, yv)| ((xv, yv), format_compact(yv))).collect();
    layers.push(Layer::PointLabels { at, lift: 18, min_gap: 12 });
    Figure {
        title,
        subtitle,
        source: Source { text: source, short: None },
        note: "Line: median of runs; shading: P10\u{2013}P90 across runs".to_string(),
        legend,
        x,
        layout: Layout::Single,
        panels: vec![panel(nice(y * 1.08, "Chips", Unit::Count), true, layers)],
    }
}
