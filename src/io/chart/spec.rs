//! A chart as plain data: the figure (title, subtitle, source line, reading note, legend),
//! its panels with their axes and layers. Chart builders make these; `render` draws them.
//!
//! Whatever needs the rendered size of text or of a panel (the legend rows, "nice" y
//! ticks, labels left out where they would touch, text cut to fit) is stated here as an
//! intent and resolved by the renderer.

use super::palette::{Paint, Rgb};
use crate::io::format::{format_compact, format_thousands, trim_decimals};

/// Font size of chart titles (plotters units: ab_glyph pixel height of ascent+descent;
/// SVG font-size is this / 1.24).
pub const TITLE_SIZE: f64 = 46.0;
/// Font size of tick labels and annotations; 26 gives >= 21 px in both outputs.
pub const LABEL_SIZE: f64 = 26.0;
/// Font size of axis titles and panel headings.
pub const AXIS_TITLE_SIZE: f64 = 27.0;
/// Stroke width of data lines.
pub const LINE_WIDTH: u32 = 4;

/// A whole chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Title at the top left.
    pub title: Title,
    /// Subtitle under the title.
    pub subtitle: String,
    /// Source line at the bottom left.
    pub source: Source,
    /// How to read the chart, at the bottom right.
    pub note: String,
    /// Legend entries, laid out in rows above the source line.
    pub legend: Vec<LegendItem>,
    /// The x axis shared by every panel.
    pub x: XAxis,
    /// How the plot area is divided among the panels.
    pub layout: Layout,
    /// The panels, top to bottom (or row by row in a grid).
    pub panels: Vec<Panel>,
}

/// The chart title; with a fallback, the title is replaced by the fallback (cut with an
/// ellipsis to fit) when it is wider than the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Title {
    /// The title as written.
    pub text: String,
    /// The shorter title used when `text` does not fit.
    pub fallback: Option<String>,
}

/// The source line; with a short form, the short form is used when the full line would
/// run into the reading note.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The full source line.
    pub text: String,
    /// The shorter line used when `text` does not fit beside the note.
    pub short: Option<String>,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    /// How the entry's sample is drawn.
    pub swatch: Swatch,
    /// The entry's text.
    pub label: String,
}

/// A legend entry with its swatch and label.
pub fn item(swatch: Swatch, label: impl Into<String>) -> LegendItem {
    LegendItem { swatch, label: label.into() }
}

/// How a legend entry's sample is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Swatch {
    /// Solid line.
    Line(Rgb),
    /// Dashed line.
    Dashed(Rgb),
    /// Filled box at the given opacity.
    Fill(Rgb, f64),
    /// The P10-P90 and P25-P75 fills layered, as drawn in the chart.
    Band2(Rgb),
    /// Line over a band box.
    LineBand(Rgb),
    /// Ring marker.
    Marker(Rgb),
}

/// How the plot area is divided among the panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One panel.
    Single,
    /// Two panels stacked; the top one takes this percentage of the height.
    Split {
        /// Share of the height given to the top panel, in percent.
        top_percent: u32,
    },
    /// Small multiples, filled row by row.
    Grid {
        /// Number of rows.
        rows: usize,
        /// Number of columns.
        cols: usize,
    },
}

/// One plot panel: a y axis, whether the x axis is labelled, and what is drawn in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// The value axis.
    pub y: YAxis,
    /// Whether this panel shows the x tick labels and axis title.
    pub show_x: bool,
    /// A bold heading above the plot (cut to fit), drawn after the layers.
    pub heading: Option<String>,
    /// What is drawn, in order (later layers on top).
    pub layers: Vec<Layer>,
}

/// The x axis: a range with labelled ticks (grid lines sit at the ticks).
#[derive(Debug, Clone, PartialEq)]
pub struct XAxis {
    /// Number of months drawn (0 for a value axis); month `i` sits at x = i.
    pub months: usize,
    /// Lower end of the range.
    pub min: f64,
    /// Upper end of the range.
    pub max: f64,
    /// Ticks: position and label.
    pub ticks: Vec<(f64, String)>,
    /// Axis title under the tick labels.
    pub title: String,
    /// When set, tick labels closer than this many pixels to the previous one are left
    /// out (positions estimated over the standard plot width).
    pub min_label_gap: Option<f64>,
}

fn parse_month(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.split_once('-')?;
    let y: i32 = y.trim().parse().ok()?;
    let m: u32 = m.trim().get(..2).unwrap_or(m.trim()).parse().ok()?;
    if (1..=12).contains(&m) {
        Some((y, m))
    } else {
        None
    }
}

impl XAxis {
    /// A month axis over `dates` ("YYYY-MM"): years on long spans (at most 10 labels),
    /// quarters on medium ones (at most 9), else every k-th month (at most 8).
    pub fn months(dates: &[String]) -> Self {
        let n = dates.len();
        let max = (n.saturating_sub(1)).max(1) as f64;
        let months: Vec<Option<(i32, u32)>> = dates.iter().map(|d| parse_month(d)).collect();
        let all_parsed = months.iter().all(|m| m.is_some());
        let mut ticks: Vec<f64> = Vec::new();
        let mut years_only = false;
        if all_parsed && n > 36 {
            years_only = true;
            for (i, m) in months.iter().enumerate() {
                if let Some((_, 1)) = m {
                    ticks.push(i as f64);
                }
            }
            let stride = ticks.len().div_ceil(10).max(1);
            ticks = ticks.into_iter().step_by(stride).collect();
            if ticks.is_empty() {
                years_only = false;
            }
        }
        if ticks.is_empty() {
            let step = if all_parsed && n > 8 {
                let q: Vec<usize> = months
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| matches!(m, Some((_, 1 | 4 | 7 | 10))))
                    .map(|(i, _)| i)
                    .collect();
                let stride = q.len().div_ceil(9).max(1);
                ticks = q.into_iter().step_by(stride).map(|i| i as f64).collect();
                0
            } else {
                n.div_ceil(8).max(1)
            };
            if ticks.is_empty() {
                ticks = (0..n).step_by(step.max(1)).map(|i| i as f64).collect();
            }
        }
        let label = |v: f64| -> String {
            let i = v.round();
            if i < 0.0 {
                return String::new();
            }
            match dates.get(i as usize) {
                Some(d) if years_only => d.split('-').next().unwrap_or(d).to_string(),
                Some(d) => d.clone(),
                None => String::new(),
            }
        };
        let ticks = ticks.into_iter().map(|t| (t, label(t))).collect();
        XAxis { months: n, min: 0.0, max, ticks, title: "Month".into(), min_label_gap: None }
    }

    /// A value axis from `min` to `max` with the given ticks and title (no months).
    pub fn values(min: f64, max: f64, ticks: Vec<(f64, String)>, title: impl Into<String>) -> Self {
        XAxis { months: 0, min, max, ticks, title: title.into(), min_label_gap: None }
    }

    /// Characters in the longest tick label.
    pub fn widest_label(&self) -> usize {
        self.ticks.iter().map(|(_, l)| l.chars().count()).max().unwrap_or(0)
    }

    /// Keep every k-th tick so that at most `max_labels` remain.
    pub fn thin(&mut self, max_labels: usize) {
        let stride = self.ticks.len().div_ceil(max_labels.max(1)).max(1);
        if stride > 1 {
            self.ticks = self.ticks.iter().step_by(stride).cloned().collect();
        }
    }
}

/// A value axis: its scale, title and how tick values are written.
#[derive(Debug, Clone, PartialEq)]
pub struct YAxis {
    /// Where the ticks go.
    pub scale: YScale,
    /// Title above the axis (empty for none).
    pub title: String,
    /// How tick values are written.
    pub unit: Unit,
}

/// Where a y axis puts its ticks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum YScale {
    /// "Nice" ticks from 0 to just above this value, as many as the panel height allows.
    Nice(f64),
    /// 0-100 % in steps of 25 %.
    Share,
    /// Rows of a bar chart, 0 to this many, with no ticks or grid lines (the bars are
    /// named in the panel).
    Rows(f64),
}

/// How axis values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Compact counts: 260k, 1.2M.
    Count,
    /// Megawatts with thousands separators.
    Mw,
    /// A share 0..1 as a percentage.
    Pct,
    /// US dollars, compact.
    Usd,
    /// Terawatt-hours, at most two decimals.
    Twh,
    /// A plain ratio such as a correlation, at most two decimals.
    Ratio,
}

impl Unit {
    /// `v` written in this unit.
    pub fn fmt(self, v: f64) -> String {
        match self {
            Unit::Count => format_compact(v),
            Unit::Mw => format_thousands(v),
            Unit::Twh | Unit::Ratio => trim_decimals(v, 2),
            Unit::Pct => {
                let p = v * 100.0;
                let decimals = if p == 0.0 || p.abs() >= 1.0 {
                    1
                } else if p.abs() >= 0.1 {
                    2
                } else {
                    3
                };
                format!("{}%", trim_decimals(p, decimals))
            }
            Unit::Usd => {
                if v < 0.0 {
                    format!("-${}", format_compact(-v))
                } else {
                    format!("${}", format_compact(v))
                }
            }
        }
    }
}

/// Points of a line: one value per month (month `i` at x = i; non-finite values are
/// skipped), or explicit (x, y) points.
#[derive(Debug, Clone, PartialEq)]
pub enum Points {
    /// One value per month.
    Monthly(Vec<f64>),
    /// Explicit points in data coordinates.
    Xy(Vec<(f64, f64)>),
}

/// A line: solid or dashed.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The points.
    pub points: Points,
    /// Colour.
    pub color: Rgb,
    /// Stroke width in pixels.
    pub width: u32,
    /// Dashed (16 px dashes, 10 px gaps) rather than solid.
    pub dashed: bool,
    /// For a monthly line that may run above the axis: its name in the panel's
    /// off-scale note; when it does run above, only its months at or below the top are
    /// drawn.
    pub off_scale: Option<String>,
}

impl Line {
    /// A solid monthly line of the standard width.
    pub fn monthly(values: &[f64], color: Rgb) -> Self {
        Line { points: Points::Monthly(values.to_vec()), color, width: LINE_WIDTH, dashed: false, off_scale: None }
    }

    /// A dashed monthly line of the standard width.
    pub fn dashed(values: &[f64], color: Rgb) -> Self {
        Line { dashed: true, ..Line::monthly(values, color) }
    }
}

/// One area of a stack: between two monthly series.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// Name written inside the area where it is thick enough (by [`Layer::AreaLabels`]).
    pub label: String,
    /// Lower bound per month.
    pub lo: Vec<f64>,
    /// Upper bound per month.
    pub hi: Vec<f64>,
    /// Fill colour (opaque).
    pub color: Rgb,
}

/// A circle drawn at each point of a [`Layer::Marks`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    /// Radius in pixels.
    pub radius: i32,
    /// Colour.
    pub paint: Paint,
    /// Ring of this stroke width; `None` for a filled disc.
    pub ring: Option<u32>,
}

/// Where a y position is: a value, or the top of the axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum YAt {
    /// A value on the y axis.
    Value(f64),
    /// The top of the y axis.
    Top,
}

/// Horizontal anchor of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HAnchor {
    /// The position is the text's left end.
    Left,
    /// The position is the text's middle.
    Center,
    /// The position is the text's right end.
    Right,
}

/// Vertical anchor of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAnchor {
    /// The position is the text's top.
    Top,
    /// The position is the text's middle.
    Center,
    /// The position is the text's bottom.
    Bottom,
}

/// A text placed at a data position plus a pixel offset.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// The text.
    pub text: String,
    /// x in data coordinates.
    pub x: f64,
    /// y in data coordinates (or the top of the axis).
    pub y: YAt,
    /// Pixel offset (right, down).
    pub offset: (i32, i32),
    /// Font size.
    pub size: f64,
    /// Bold or regular.
    pub bold: bool,
    /// Colour.
    pub color: Rgb,
    /// Which point of the text sits at the position.
    pub anchor: (HAnchor, VAnchor),
}

/// Something drawn in a panel.
#[derive(Debug, Clone, PartialEq)]
pub enum Layer {
    /// Full-height shading from `x0` to `x1`.
    Shade {
        /// Left end.
        x0: f64,
        /// Right end.
        x1: f64,
        /// Fill.
        paint: Paint,
    },
    /// The area between two monthly series (where both are finite).
    Band {
        /// Lower bound per month.
        lo: Vec<f64>,
        /// Upper bound per month.
        hi: Vec<f64>,
        /// Fill.
        paint: Paint,
    },
    /// A filled polygon in data coordinates.
    Polygon {
        /// Corners in order.
        points: Vec<(f64, f64)>,
        /// Fill.
        paint: Paint,
    },
    /// A line through the points.
    Line(Line),
    /// A straight stroke through the points (guides, bars).
    Path {
        /// The points.
        points: Vec<(f64, f64)>,
        /// Colour.
        paint: Paint,
        /// Stroke width in pixels.
        width: u32,
    },
    /// Stacked areas, bottom first.
    Stack(Vec<Area>),
    /// Each area of the panel's last stack named inside itself, where thick enough.
    AreaLabels,
    /// Circles at each point, in the order given (point by point).
    Marks {
        /// Centres in data coordinates.
        at: Vec<(f64, f64)>,
        /// The circles drawn at each point.
        marks: Vec<Mark>,
    },
    /// A text at a data position.
    Text(Annotation),
    /// Bold labels centred above points, each left out where it would touch the one
    /// before.
    PointLabels {
        /// Point and its label, left to right.
        at: Vec<((f64, f64), String)>,
        /// Pixels between the point and the label's bottom.
        lift: i32,
        /// Least gap in pixels between neighbouring labels.
        min_gap: i32,
    },
    /// When lines of this panel ran above the axis: this text followed by their names, at
    /// the top right of the plot (cut to fit).
    OffScaleNote(String),
}

/// Polygon between `lo` and `hi` (both finite at the same month).
pub fn band_polygon(lo: &[f64], hi: &[f64], n: usize) -> Vec<(f64, f64)> {
    let mut pairs: Vec<(f64, f64, f64)> = lo
        .iter()
        .zip(hi.iter())
        .take(n)
        .enumerate()
        .filter(|(_, (a, b))| a.is_finite() && b.is_finite())
        .map(|(i, (a, b))| (i as f64, *a, *b))
        .collect();
    if n == 1 {
        if let Some(&(_, a, b)) = pairs.first() {
            pairs.push((1.0, a, b));
        }
    }
    if pairs.len() < 2 {
        return Vec::new();
    }
    let mut pts: Vec<(f64, f64)> = pairs.iter().map(|&(x, _, b)| (x, b)).collect();
    pts.extend(pairs.iter().rev().map(|&(x, a, _)| (x, a)));
    pts
}
