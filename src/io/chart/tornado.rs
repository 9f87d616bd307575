//! Tornado charts (D40, D41): one horizontal bar per uncertain input, the largest on
//! top, each named above its bar. The run's `tornado` chart draws each input's rank
//! correlation with chips operational at the horizon (from [`ChartData`]); the
//! `sensitivity` command's `swing` chart draws the change in a headline figure with the
//! input pinned at its P10 and at its P90 (from [`SwingChartData`]).

use super::data::ChartData;
use super::palette::{Rgb, CHIPS, GRID, MUTED, POWER, TEXT};
use super::run_charts::Parts;
use super::spec::{
    item, Annotation, Figure, HAnchor, Layer, Layout, Panel, Source, Swatch, Title, Unit, VAnchor, XAxis, YAt, YAxis,
    YScale, LABEL_SIZE,
};
use crate::core::exceedance::nice_step;
use crate::io::format::group_thousands;
use crate::io::sensitivity::signed_rho;

/// Bars drawn at most (the "top 12 inputs").
pub const TORNADO_BARS: usize = 12;

/// One bar: the input's name and its coloured segments from zero, each `(end, colour)`.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    /// The input, as a reader names it ("Capital substation 2: delay (grid)").
    pub label: String,
    /// Each segment runs from 0 to its end (a signed value on the x axis).
    pub segments: Vec<(f64, Rgb)>,
    /// The value written at the bar's outer end ("-0.42").
    pub value_text: String,
}

/// The axis and bars of a tornado, largest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Tornado {
    /// The x axis title.
    pub x_title: String,
    /// How tick values are written.
    pub unit: Unit,
    /// The bars, top first (at most [`TORNADO_BARS`] are drawn).
    pub bars: Vec<TornadoBar>,
    /// Legend entries: a colour and what it means.
    pub legend: Vec<(Rgb, String)>,
}

/// What the swing chart of `buildout sensitivity` shows.
#[derive(Debug, Clone, PartialEq)]
pub struct SwingChartData {
    /// Name of the scenario.
    pub scenario_name: String,
    /// File name of the scenario, for the source line.
    pub scenario_file: String,
    /// Runs per pinned input.
    pub runs: u64,
    /// The shared random seed.
    pub seed: u64,
    /// The figure the bars change, as a title says it.
    pub figure: String,
    /// The bars and axis.
    pub tornado: Tornado,
}

/// Share of the axis span, beyond its left end, given to the bars' names.
const LABEL_SPAN: f64 = 1.1;

/// Characters of a name drawn at most (longer ones end in an ellipsis; sensitivity.csv
/// has them whole).
const LABEL_CHARS: usize = 58;

/// A value axis symmetric around 0 holding every segment end, with nice ticks, and
/// room on its left for the names (no ticks there).
fn symmetric_axis(t: &Tornado, floor: f64) -> XAxis {
    let reach = t
        .bars
        .iter()
        .take(TORNADO_BARS)
        .flat_map(|b| b.segments.iter().map(|s| s.0.abs()))
        .filter(|v| v.is_finite())
        .fold(floor, f64::max);
    let step = nice_step(reach / 3.0);
    let max = (reach / step).ceil().max(1.0) * step;
    let ticks = (-3..=3)
        .map(|i| f64::from(i) * step)
        .filter(|v| v.abs() <= max * (1.0 + 1e-9))
        .map(|v| (v, if v == 0.0 { "0".to_string() } else { signed(t.unit, v) }))
        .collect();
    XAxis::values(-max - 2.0 * max * LABEL_SPAN, max, ticks, t.x_title.clone())
}

/// The left end of the bars' axis (where the names end).
fn bars_left(x: &XAxis) -> f64 {
    -x.max
}

/// `v` in `unit` with its sign: "+0.2", "-50k".
fn signed(unit: Unit, v: f64) -> String {
    let text = unit.fmt(v.abs());
    if v > 0.0 {
        format!("+{text}")
    } else {
        format!("\u{2212}{text}")
    }
}

fn text(s: &str, x: f64, y: f64, offset: (i32, i32), bold: bool, color: Rgb, anchor: (HAnchor, VAnchor)) -> Layer {
    Layer::Text(Annotation { text: s.to_string(), x, y: YAt::Value(y), offset, size: LABEL_SIZE, bold, color, anchor })
}

/// The axis and parts of a tornado: row i (from the top) holds its label above a bar.
fn tornado_parts(t: &Tornado, floor: f64) -> (XAxis, Parts) {
    let x = symmetric_axis(t, floor);
    let bars: Vec<&TornadoBar> = t.bars.iter().take(TORNADO_BARS).collect();
    let rows = bars.len().max(1) as f64;
    let left_end = bars_left(&x);
    let mut layers = vec![
        Layer::Path { points: vec![(0.0, 0.0), (0.0, rows)], paint: MUTED.solid(), width: 2 },
        Layer::Path { points: vec![(left_end, 0.0), (left_end, rows)], paint: GRID.solid(), width: 1 },
    ];
    for (i, bar) in bars.iter().enumerate() {
        // Row i spans [rows - i - 1, rows - i], its name left of the bars' axis.
        let middle = rows - i as f64 - 0.5;
        let (lo, hi) = (middle - 0.3, middle + 0.3);
        let mut right = 0.0f64;
        // Longer segments first, so a shorter one on the same side stays visible on top.
        let mut segments: Vec<(f64, Rgb)> = bar.segments.iter().copied().filter(|s| s.0.is_finite()).collect();
        segments.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
        for (end, color) in segments {
            let points = vec![(0.0, lo), (end, lo), (end, hi), (0.0, hi)];
            layers.push(Layer::Polygon { points, paint: color.solid() });
            right = right.max(end);
        }
        let label: String = if bar.label.chars().count() > LABEL_CHARS {
            bar.label.chars().take(LABEL_CHARS - 1).chain(std::iter::once('\u{2026}')).collect()
        } else {
            bar.label.clone()
        };
        layers.push(text(&label, left_end, middle, (-14, 0), false, TEXT, (HAnchor::Right, VAnchor::Center)));
        // The value right of the bar (of the zero line for a bar wholly left of it).
        layers.push(text(&bar.value_text, right, middle, (8, 0), true, TEXT, (HAnchor::Left, VAnchor::Center)));
    }
    let legend = t.legend.iter().map(|(c, l)| item(Swatch::Fill(*c, 1.0), l.clone())).collect();
    let y = YAxis { scale: YScale::Rows(rows), title: String::new(), unit: Unit::Count };
    (x, (legend, Layout::Single, vec![Panel { y, show_x: true, heading: None, layers }]))
}

/// The run's `tornado` chart: rank correlation of each input with chips operational at
/// the horizon.
pub(super) fn sensitivity_tornado(d: &ChartData) -> (XAxis, Parts) {
    let s = &d.sensitivity;
    let bars = s
        .bars
        .iter()
        .map(|(label, rho)| TornadoBar {
            label: label.clone(),
            segments: vec![(*rho, if *rho < 0.0 { POWER } else { CHIPS })],
            value_text: signed_rho(*rho),
        })
        .collect();
    let t = Tornado {
        x_title: format!(
            "Rank correlation with chips operational at {} (Spearman, {} runs)",
            s.at,
            group_thousands(&s.runs.to_string())
        ),
        unit: Unit::Ratio,
        bars,
        legend: vec![
            (CHIPS, "Higher input, more chips operational".to_string()),
            (POWER, "Higher input, fewer chips operational".to_string()),
        ],
    };
    tornado_parts(&t, 0.2)
}

/// The swing chart of `buildout sensitivity`.
pub fn swing_chart(d: &SwingChartData) -> Figure {
    let (x, (legend, layout, panels)) = tornado_parts(&d.tornado, 0.0);
    Figure {
        title: Title { text: format!("What moves {}", d.figure), fallback: Some("What moves the outcome".into()) },
        subtitle: format!(
            "{} \u{00b7} each input pinned at its P10, then its P90, every other input as drawn \u{00b7} {} runs \u{00b7} seed {}",
            d.scenario_name,
            group_thousands(&d.runs.to_string()),
            d.seed
        ),
        source: Source { text: format!("Source: buildout sensitivity, scenario file {}", d.scenario_file), short: None },
        note: "Bars: change from the unpinned result, same random draws".to_string(),
        legend,
        x,
        layout,
        panels,
    }
}
