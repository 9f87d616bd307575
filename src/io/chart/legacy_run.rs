//! Chart rendering for buildout: five fixed charts (capacity, power, constraints,
//! dependency, stranded) drawn from plain data into PNG (1600x900) or SVG bytes.
//!
//! Rendering is pure and deterministic: the same [`ChartData`] always gives the
//! same bytes. Text is rasterised with the DejaVu Sans font embedded in the
//! binary (registered with plotters' `ab_glyph` support), so PNG output does not
//! depend on the fonts installed on the machine. SVG output keeps text as
//! `<text>` elements in the viewer's `sans-serif` font.

use crate::io::format::{format_compact, format_thousands, group_thousands, trim_decimals};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle, RGBAColor};
use std::sync::OnceLock;

/// Width of every chart in pixels (PNG) or user units (SVG).
pub const WIDTH: u32 = 1600;
/// Height of every chart in pixels (PNG) or user units (SVG).
pub const HEIGHT: u32 = 900;

static FONT_REGULAR: &[u8] = include_bytes!("../../../assets/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../../assets/DejaVuSans-Bold.ttf");
const FAMILY: &str = "sans-serif";

/// Minimal TrueType metrics reader (cmap format 4 + hhea + hmtx), used to place
/// glyphs one by one in PNG output: plotters' ab_glyph text path ignores each
/// glyph's left side bearing, which makes letter spacing visibly uneven.
struct FontMetrics {
    data: &'static [u8],
    units_height: f64,
    num_hmetrics: usize,
    hmtx: usize,
    cmap4: Option<usize>,
}

fn rd_u16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]))
}

fn rd_u32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([*d.get(at)?, *d.get(at + 1)?, *d.get(at + 2)?, *d.get(at + 3)?]))
}

impl FontMetrics {
    fn parse(data: &'static [u8]) -> Option<Self> {
        let n = rd_u16(data, 4)? as usize;
        let table = |tag: &[u8; 4]| -> Option<usize> {
            (0..n).find_map(|i| {
                let r = 12 + 16 * i;
                (data.get(r..r + 4)? == tag).then_some(())?;
                Some(rd_u32(data, r + 8)? as usize)
            })
        };
        let hhea = table(b"hhea")?;
        let asc = rd_u16(data, hhea + 4)? as i16 as f64;
        let desc = rd_u16(data, hhea + 6)? as i16 as f64;
        let num_hmetrics = rd_u16(data, hhea + 34)? as usize;
        let hmtx = table(b"hmtx")?;
        let cmap = table(b"cmap")?;
        let nsub = rd_u16(data, cmap + 2)? as usize;
        let cmap4 = (0..nsub).find_map(|i| {
            let r = cmap + 4 + 8 * i;
            let (pid, eid) = (rd_u16(data, r)?, rd_u16(data, r + 2)?);
            let off = cmap + rd_u32(data, r + 4)? as usize;
            ((pid == 3 && eid == 1) || pid == 0).then_some(())?;
            (rd_u16(data, off)? == 4).then_some(off)
        });
        let units_height = asc - desc;
        (units_height > 0.0).then_some(FontMetrics { data, units_height, num_hmetrics, hmtx, cmap4 })
    }

    fn glyph_id(&self, c: char) -> Option<u16> {
        let c = u16::try_from(c as u32).ok()?;
        let t = self.cmap4?;
        let d = self.data;
        let seg2 = rd_u16(d, t + 6)? as usize;
        let ends = t + 14;
        let starts = ends + seg2 + 2;
        let deltas = starts + seg2;
        let offsets = deltas + seg2;
        let mut i = 0;
        while i < seg2 {
            if rd_u16(d, ends + i)? >= c {
                break;
            }
            i += 2;
        }
        let start = rd_u16(d, starts + i)?;
        if start > c {
            return None;
        }
        let delta = rd_u16(d, deltas + i)?;
        let ro = rd_u16(d, offsets + i)? as usize;
        if ro == 0 {
            return Some(c.wrapping_add(delta));
        }
        let g = rd_u16(d, offsets + i + ro + 2 * (c - start) as usize)?;
        (g != 0).then(|| g.wrapping_add(delta))
    }

    /// Left side bearing of `c` in pixels at plotters font size `size`.
    fn lsb_px(&self, c: char, size: f64) -> f64 {
        let Some(g) = self.glyph_id(c) else {
            return 0.0;
        };
        let g = g as usize;
        let at = if g < self.num_hmetrics {
            self.hmtx + 4 * g + 2
        } else {
            self.hmtx + 4 * self.num_hmetrics + 2 * (g - self.num_hmetrics)
        };
        rd_u16(self.data, at).map_or(0.0, |v| v as i16 as f64) * size / self.units_height
    }
}

static METRICS: OnceLock<[Option<FontMetrics>; 2]> = OnceLock::new();

fn metrics(bold: bool) -> Option<&'static FontMetrics> {
    let m = METRICS.get_or_init(|| [FontMetrics::parse(FONT_REGULAR), FontMetrics::parse(FONT_BOLD)]);
    m[usize::from(bold)].as_ref()
}

/// Text drawing that is exact in both outputs: whole strings in SVG, glyph by
/// glyph (with side bearings) in PNG.
#[derive(Clone, Copy)]
pub(crate) struct Writer {
    pub(crate) per_glyph: bool,
}

impl Writer {
    #[allow(clippy::too_many_arguments)]
    fn text<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        s: &str,
        (x, y): (i32, i32),
        size: f64,
        bold: bool,
        color: RGBColor,
        (h, v): (HPos, VPos),
    ) -> Result<(), ChartError> {
        let style = if bold { bold_style(size, color) } else { text_style(size, color) };
        let m = metrics(bold);
        let Some(m) = m.filter(|_| self.per_glyph) else {
            return area.draw(&Text::new(s.to_string(), (x, y), style.pos(Pos::new(h, v)))).map_err(draw_err);
        };
        let width =
            |t: &str| -> Result<i32, ChartError> { Ok(area.estimate_text_size(t, &style).map_err(draw_err)?.0 as i32) };
        let w = width(s)?;
        let left = match h {
            HPos::Left => x,
            HPos::Center => x - w / 2,
            HPos::Right => x - w,
        };
        let gstyle = style.pos(Pos::new(HPos::Left, v));
        for (i, c) in s.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            let pen = if i == 0 { 0 } else { width(&s[..i])? };
            let gx = left + pen + m.lsb_px(c, size).floor() as i32;
            area.draw(&Text::new(c.to_string(), (gx, y), gstyle.clone())).map_err(draw_err)?;
        }
        Ok(())
    }
}

/// Output format of [`render_chart`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    /// 1600x900 RGB PNG, for slides.
    Png,
    /// SVG text of the same logical size, for print and the HTML report.
    Svg,
}

/// Which of the five charts to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChartKind {
    /// Chips operational (bands), chips delivered, compute and the target.
    Capacity,
    /// Grid power online against facility power drawn and built capacity.
    Power,
    /// Share of runs in which chips, power or space is the binding constraint.
    Constraints,
    /// Share of compute by chip origin, with the domestic share.
    Dependency,
    /// Chips delivered but waiting for power or space, and their value.
    Stranded,
}

impl ChartKind {
    /// All five charts, in report order.
    pub const ALL: [ChartKind; 5] =
        [ChartKind::Capacity, ChartKind::Power, ChartKind::Constraints, ChartKind::Dependency, ChartKind::Stranded];

    /// File stem of the chart: `capacity`, `power`, `constraints`, `dependency`, `stranded`.
    pub fn file_stem(self) -> &'static str {
        match self {
            ChartKind::Capacity => "capacity",
            ChartKind::Power => "power",
            ChartKind::Constraints => "constraints",
            ChartKind::Dependency => "dependency",
            ChartKind::Stranded => "stranded",
        }
    }

    /// How to read the chart, drawn at the bottom right.
    pub fn reading_note(self) -> &'static str {
        match self {
            ChartKind::Constraints => "Areas: share of runs in which each constraint binds",
            ChartKind::Dependency => "Areas: median share; line: median, shading P10\u{2013}P90",
            _ => "Lines: median of runs; shading: P10\u{2013}P90 across runs",
        }
    }

    /// Chart title, as drawn at the top of the chart.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Capacity => "Chips operational and compute capacity",
            ChartKind::Power => "Grid power against data-centre demand",
            ChartKind::Constraints => "What limits the buildout each month",
            ChartKind::Dependency => "Where the compute comes from",
            ChartKind::Stranded => "Chips delivered but waiting for power or space",
        }
    }
}

/// Errors from chart and report rendering.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The embedded font could not be registered with plotters.
    #[error("font registration failed: {0}")]
    Font(String),
    /// The input cannot be drawn (for example, no months at all).
    #[error("invalid chart data: {0}")]
    Data(String),
    /// plotters reported a drawing error.
    #[error("drawing failed: {0}")]
    Draw(String),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

/// Percentile bands of one series over months 0..=H (all vectors the same length as ChartData::dates).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Band {
    /// 10th percentile across runs.
    pub p10: Vec<f64>,
    /// 25th percentile across runs.
    pub p25: Vec<f64>,
    /// Median across runs.
    pub p50: Vec<f64>,
    /// 75th percentile across runs.
    pub p75: Vec<f64>,
    /// 90th percentile across runs.
    pub p90: Vec<f64>,
}

/// Everything the five charts show, as plain per-month vectors (month 0..=H).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartData {
    /// Scenario name, shown in every subtitle.
    pub scenario_name: String,
    /// Scenario file name, e.g. "korea-260k.toml", for the source line.
    pub scenario_file: String,
    /// Tool version, e.g. "0.2.0", for the source line.
    pub version: String,
    /// Number of Monte Carlo runs.
    pub runs: u64,
    /// Random seed.
    pub seed: u64,
    /// "YYYY-MM" for month 0..=H.
    pub dates: Vec<String>,
    /// Chips operational.
    pub operational: Band,
    /// Compute operational, PFLOP/s.
    pub compute_pflops: Band,
    /// Chips delivered, median (drawn dashed).
    pub delivered_p50: Vec<f64>,
    /// Target marker: (operational chips, month index).
    pub target: Option<(u64, usize)>,
    /// Grid power online, MW.
    pub grid_mw: Band,
    /// Facility power drawn, MW.
    pub facility_mw: Band,
    /// Built IT MW x PUE, MW.
    pub built_facility_mw: Band,
    /// Share of runs (0..1) in which chips bind, per month.
    pub binding_chips: Vec<f64>,
    /// Share of runs (0..1) in which power binds, per month.
    pub binding_power: Vec<f64>,
    /// Share of runs (0..1) in which space binds, per month.
    pub binding_space: Vec<f64>,
    /// (origin label, median share of compute 0..1 per month), stacked in this order.
    pub origins: Vec<(String, Vec<f64>)>,
    /// Label of the home (domestic) origin, if any; it must match an `origins` label.
    pub home_origin: Option<String>,
    /// Domestic share of compute, 0..1.
    pub domestic_share: Band,
    /// Chips delivered but waiting (stranded).
    pub waiting: Band,
    /// Mean chips waiting for power.
    pub stranded_by_power_mean: Vec<f64>,
    /// Mean chips waiting for space.
    pub stranded_by_space_mean: Vec<f64>,
    /// USD value of waiting chips per month, when prices are set.
    pub stranded_capital_usd: Option<Band>,
}

/// The colour-blind-safe (Okabe-Ito) palette. Each colour means the same thing
/// in every chart.
pub mod palette {
    use plotters::style::RGBColor;

    /// Chips, operational chips, chips as the binding constraint: blue.
    pub const CHIPS: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    /// Grid power, power as the binding constraint: vermillion.
    pub const POWER: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    /// Space: built data-centre capacity, space as the binding constraint: orange.
    pub const SPACE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    /// Chips delivered: grey (dashed).
    pub const DELIVERED: RGBColor = RGBColor(0x6E, 0x6E, 0x6E);
    /// Compute (PFLOP/s): bluish green.
    pub const COMPUTE: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    /// Facility power drawn: sky blue.
    pub const FACILITY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    /// Domestic share / home origin: reddish purple.
    pub const DOMESTIC: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    /// Chips waiting (stranded): black.
    pub const WAITING: RGBColor = RGBColor(0x00, 0x00, 0x00);
    /// USD value of chips waiting: dark grey.
    pub const CAPITAL: RGBColor = RGBColor(0x55, 0x55, 0x55);
    /// Fill of the home origin's area in the dependency stack (light reddish purple).
    pub const HOME_FILL: RGBColor = RGBColor(0xEB, 0xC9, 0xDC);
    /// Background of months in which the grid is the ceiling.
    pub const CEILING: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);
    /// Foreign chip origins, in stack order (yellow, then neutral greys).
    pub const FOREIGN: [RGBColor; 6] = [
        RGBColor(0xF0, 0xE4, 0x42),
        RGBColor(0xB4, 0xB4, 0xB4),
        RGBColor(0x84, 0x84, 0x84),
        RGBColor(0xD8, 0xD8, 0xD8),
        RGBColor(0x9C, 0x9C, 0x9C),
        RGBColor(0x6A, 0x6A, 0x6A),
    ];
    /// Text and axes.
    pub const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
    /// Secondary text (subtitle, source line).
    pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
    /// Grid lines.
    pub const GRID: RGBColor = RGBColor(0xE2, 0xE2, 0xE2);
    /// Opacity of the P10-P90 band fill.
    pub const BAND_OUTER_ALPHA: f64 = 0.16;
    /// Opacity of the P25-P75 band fill (drawn over the outer band).
    pub const BAND_INNER_ALPHA: f64 = 0.24;
}

use palette::*;

// Font sizes in plotters units (ab_glyph pixel height of ascent+descent; SVG
// font-size is this / 1.24). 26 gives >= 21 px in both outputs.
pub(crate) const TITLE_SIZE: f64 = 46.0;
pub(crate) const SUBTITLE_SIZE: f64 = 29.0;
pub(crate) const LABEL_SIZE: f64 = 26.0;
pub(crate) const AXIS_TITLE_SIZE: f64 = 27.0;
pub(crate) const LEGEND_SIZE: f64 = 26.0;
const SOURCE_SIZE: f64 = 25.0;
pub(crate) const LINE_WIDTH: u32 = 4;
pub(crate) const MARGIN_X: i32 = 40;
pub(crate) const HEADER_H: i32 = 122;
const PANEL_TOP: u32 = 62;
/// plotters' ab_glyph path draws text about this many pixels high of its box.
pub(crate) const TEXT_NUDGE: i32 = 2;
const SOURCE_H: i32 = 46;
const LEGEND_ROW_H: i32 = 40;
const Y_LABEL_AREA: u32 = 150;
const X_LABEL_AREA: u32 = 76;

static FONT_INIT: OnceLock<Result<(), String>> = OnceLock::new();

/// Register the embedded DejaVu Sans (regular and bold) as plotters' `sans-serif`.
/// Called by [`render_chart`]; idempotent.
pub fn ensure_fonts() -> Result<(), ChartError> {
    FONT_INIT
        .get_or_init(|| {
            register_font(FAMILY, FontStyle::Normal, FONT_REGULAR)
                .map_err(|_| "DejaVuSans.ttf is not a valid font".to_string())?;
            register_font(FAMILY, FontStyle::Bold, FONT_BOLD)
                .map_err(|_| "DejaVuSans-Bold.ttf is not a valid font".to_string())?;
            Ok(())
        })
        .clone()
        .map_err(ChartError::Font)
}

/// Render one chart as PNG bytes (1600x900 RGB) or SVG text bytes.
///
/// The output is a pure function of the inputs. Returns [`ChartError::Data`]
/// when `data.dates` is empty; otherwise short or missing series are drawn as
/// far as they go.
pub fn render_chart(kind: ChartKind, data: &ChartData, format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    if data.dates.is_empty() {
        return Err(ChartError::Data("no months to chart (dates is empty)".into()));
    }
    render_figure(&SingleRun { kind, data }, format)
}

/// A whole figure that can be drawn onto any plotters backend.
pub(crate) trait Figure {
    /// Draw onto `root` (WIDTH x HEIGHT); `per_glyph` is set for PNG output.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, per_glyph: bool) -> Result<(), ChartError>;
}

struct SingleRun<'a> {
    kind: ChartKind,
    data: &'a ChartData,
}

impl Figure for SingleRun<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, per_glyph: bool) -> Result<(), ChartError> {
        draw_chart(root, self.kind, self.data, per_glyph)
    }
}

/// Render a figure as PNG bytes (WIDTH x HEIGHT RGB, fixed encoder settings) or SVG text bytes.
pub(crate) fn render_figure(fig: &impl Figure, format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    ensure_fonts()?;
    match format {
        ChartFormat::Png => {
            let mut buf = vec![255u8; (WIDTH as usize) * (HEIGHT as usize) * 3];
            {
                let root = BitMapBackend::with_buffer(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
                fig.draw(&root, true)?;
                root.present().map_err(draw_err)?;
            }
            encode_png(&buf, WIDTH, HEIGHT)
        }
        ChartFormat::Svg => {
            let mut s = String::new();
            {
                let root = SVGBackend::with_string(&mut s, (WIDTH, HEIGHT)).into_drawing_area();
                fig.draw(&root, false)?;
                root.present().map_err(draw_err)?;
            }
            Ok(s.into_bytes())
        }
    }
}

/// Encode an RGB8 buffer as PNG with fixed settings (deterministic).
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Default);
        enc.set_filter(png::FilterType::Paeth);
        enc.set_adaptive_filter(png::AdaptiveFilterType::NonAdaptive);
        let mut writer = enc.write_header().map_err(|e| ChartError::Png(e.to_string()))?;
        writer.write_image_data(rgb).map_err(|e| ChartError::Png(e.to_string()))?;
        writer.finish().map_err(|e| ChartError::Png(e.to_string()))?;
    }
    Ok(out)
}

pub(crate) fn draw_err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Draw(format!("{e:?}"))
}

#[derive(Clone, Copy)]
pub(crate) enum Unit {
    Count,
    Mw,
    Pct,
    Usd,
}

impl Unit {
    pub(crate) fn fmt(self, v: f64) -> String {
        match self {
            Unit::Count => format_compact(v),
            Unit::Mw => format_thousands(v),
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

/// The x axis: month indices with calendar tick labels.
pub(crate) struct XAxis<'a> {
    dates: &'a [String],
    /// Number of months drawn (dates.len()).
    pub(crate) n: usize,
    /// Lower end of the x range (0 for months).
    pub(crate) min: f64,
    /// Upper end of the x range (at least 1).
    pub(crate) max: f64,
    pub(crate) ticks: Vec<f64>,
    /// One label per tick.
    labels: Vec<String>,
    /// Axis title drawn under the tick labels.
    title: String,
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

impl<'a> XAxis<'a> {
    pub(crate) fn new(dates: &'a [String]) -> Self {
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
            // Thin out to at most 10 labels.
            let stride = ticks.len().div_ceil(10).max(1);
            ticks = ticks.into_iter().step_by(stride).collect();
            if ticks.is_empty() {
                years_only = false;
            }
        }
        if ticks.is_empty() {
            let step = if all_parsed && n > 8 {
                // Quarters, thinned to at most 9 labels.
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
                let step = step.max(1);
                ticks = (0..n).step_by(step).map(|i| i as f64).collect();
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
        let labels = ticks.iter().map(|&t| label(t)).collect();
        XAxis { dates, n, min: 0.0, max, ticks, labels, title: "Month".into() }
    }

    /// A value axis from `min` to `max` with the given (position, label) ticks and title;
    /// it has no months (`n` is 0).
    pub(crate) fn custom(min: f64, max: f64, ticks: Vec<(f64, String)>, title: impl Into<String>) -> XAxis<'static> {
        let (ticks, labels) = ticks.into_iter().unzip();
        XAxis { dates: &[], n: 0, min, max, ticks, labels, title: title.into() }
    }

    /// Characters in the longest tick label.
    pub(crate) fn widest_label(&self) -> usize {
        self.labels.iter().map(|l| l.chars().count()).max().unwrap_or(0)
    }

    /// Keep every k-th tick so that at most `max_labels` remain.
    pub(crate) fn thin(&mut self, max_labels: usize) {
        let stride = self.ticks.len().div_ceil(max_labels.max(1)).max(1);
        if stride > 1 {
            self.ticks = self.ticks.iter().copied().step_by(stride).collect();
            self.labels = self.labels.iter().step_by(stride).cloned().collect();
        }
    }

    fn range(&self) -> TickCoord {
        TickCoord { inner: (self.min..self.max).into(), ticks: self.ticks.clone() }
    }

    pub(crate) fn date(&self, i: usize) -> &str {
        self.dates.get(i).map(|s| s.as_str()).unwrap_or("")
    }
}

// ---------------------------------------------------------------------------
// Series helpers
// ---------------------------------------------------------------------------

/// Points (month, value) of a series, finite values only, at most `n` months.
/// A single month is drawn as a flat segment across the x range.
pub(crate) fn points(v: &[f64], n: usize) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> =
        v.iter().take(n).enumerate().filter(|(_, y)| y.is_finite()).map(|(i, y)| (i as f64, *y)).collect();
    if n == 1 {
        if let Some(&(_, y)) = pts.first() {
            pts.push((1.0, y));
        }
    }
    pts
}

/// Polygon between `lo` and `hi` (both finite at the same month).
pub(crate) fn band_polygon(lo: &[f64], hi: &[f64], n: usize) -> Vec<(f64, f64)> {
    let pairs: Vec<(f64, f64, f64)> = lo
        .iter()
        .zip(hi.iter())
        .take(n)
        .enumerate()
        .filter(|(_, (a, b))| a.is_finite() && b.is_finite())
        .map(|(i, (a, b))| (i as f64, *a, *b))
        .collect();
    let mut pairs = pairs;
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

pub(crate) fn max_finite<'a>(series: impl IntoIterator<Item = &'a [f64]>) -> f64 {
    let mut m = 0.0f64;
    for s in series {
        for &v in s {
            if v.is_finite() && v > m {
                m = v;
            }
        }
    }
    m
}

/// A value axis: upper end and tick positions.
pub(crate) struct YAxis {
    pub(crate) max: f64,
    pub(crate) ticks: Vec<f64>,
}

impl YAxis {
    /// "Nice" ticks (1, 2, 2.5, 5 x 10^k) from 0 to just above `data_max`: the
    /// smallest step that keeps intervals at least 45 px apart in a panel
    /// `px_height` tall (2 to 8 intervals).
    pub(crate) fn nice(data_max: f64, px_height: u32, show_x: bool) -> Self {
        let m = if data_max.is_finite() && data_max > 0.0 { data_max * 1.03 } else { 1.0 };
        let plot_h = px_height as f64 - PANEL_TOP as f64 - if show_x { X_LABEL_AREA as f64 } else { 0.0 };
        let max_k = (plot_h / 45.0).floor().clamp(2.0, 8.0);
        let mag = 10f64.powf((m / max_k).log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0, 20.0]
            .iter()
            .map(|k| k * mag)
            .find(|s| (m / s).ceil() <= max_k)
            .unwrap_or(20.0 * mag);
        let k = (m / step).ceil().clamp(1.0, 20.0) as usize;
        YAxis { max: step * k as f64, ticks: (0..=k).map(|i| step * i as f64).collect() }
    }

    /// 0-100 % in steps of 25 %.
    pub(crate) fn share() -> Self {
        YAxis { max: 1.0, ticks: vec![0.0, 0.25, 0.5, 0.75, 1.0] }
    }

    fn range(&self) -> TickCoord {
        TickCoord { inner: (0f64..self.max).into(), ticks: self.ticks.clone() }
    }
}

/// Linear coordinate whose grid lines sit exactly at the given ticks.
pub(crate) struct TickCoord {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for TickCoord {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

pub(crate) type Ctx<'a, DB> = ChartContext<'a, DB, Cartesian2d<TickCoord, TickCoord>>;

pub(crate) fn text_style(size: f64, color: RGBColor) -> TextStyle<'static> {
    let mut s = TextStyle::from((FAMILY, size).into_font());
    s.color = color.to_backend_color();
    s
}

pub(crate) fn bold_style(size: f64, color: RGBColor) -> TextStyle<'static> {
    let mut s = TextStyle::from((FAMILY, size, FontStyle::Bold).into_font());
    s.color = color.to_backend_color();
    s
}

/// Everything a chart draws onto: the whole canvas, the text writer and the x axis.
pub(crate) struct Canvas<'r, 'x, DB: DrawingBackend> {
    pub(crate) root: &'r DrawingArea<DB, Shift>,
    pub(crate) w: Writer,
    pub(crate) x: XAxis<'x>,
}

impl<DB: DrawingBackend> Canvas<'_, '_, DB> {
    /// Text at absolute canvas coordinates.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &self,
        s: &str,
        pos: (i32, i32),
        size: f64,
        bold: bool,
        color: RGBColor,
        anchor: (HPos, VPos),
    ) -> Result<(), ChartError> {
        self.w.text(self.root, s, pos, size, bold, color, anchor)
    }

    /// One plot panel on `area` with the shared x axis; tick labels and the
    /// y-axis title (above the axis, horizontal) are drawn by [`Writer`].
    pub(crate) fn panel<'a>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        y: &YAxis,
        y_title: &str,
        unit: Unit,
        show_x: bool,
    ) -> Result<Ctx<'a, DB>, ChartError> {
        let mut chart = ChartBuilder::on(area)
            .margin_top(PANEL_TOP)
            .margin_right(56)
            .margin_left(MARGIN_X as u32 - 20)
            .x_label_area_size(if show_x { X_LABEL_AREA } else { 0 })
            .y_label_area_size(Y_LABEL_AREA)
            .build_cartesian_2d(self.x.range(), y.range())
            .map_err(draw_err)?;
        let mut hidden = text_style(LABEL_SIZE, TEXT);
        hidden.color = TRANSPARENT.to_backend_color();
        chart
            .configure_mesh()
            .label_style(hidden)
            .max_light_lines(0)
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(MUTED.stroke_width(2))
            .set_all_tick_mark_size(8)
            .draw()
            .map_err(draw_err)?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        for &t in &y.ticks {
            let (_, py) = chart.backend_coord(&(self.x.min, t));
            self.text(
                &unit.fmt(t),
                (xr.start - 16, py + TEXT_NUDGE),
                LABEL_SIZE,
                false,
                TEXT,
                (HPos::Right, VPos::Center),
            )?;
        }
        if show_x {
            for (&t, label) in self.x.ticks.iter().zip(&self.x.labels) {
                let (px, _) = chart.backend_coord(&(t, 0.0));
                self.text(label, (px, yr.end + 14), LABEL_SIZE, false, TEXT, (HPos::Center, VPos::Top))?;
            }
            self.text(
                &self.x.title,
                ((xr.start + xr.end) / 2, yr.end + 50),
                LABEL_SIZE,
                false,
                MUTED,
                (HPos::Center, VPos::Top),
            )?;
        }
        if !y_title.is_empty() {
            let x0 = area.get_base_pixel().0 + MARGIN_X;
            self.text(y_title, (x0, yr.start - 24), AXIS_TITLE_SIZE, false, TEXT, (HPos::Left, VPos::Bottom))?;
        }
        Ok(chart)
    }
}

pub(crate) fn draw_band<DB: DrawingBackend>(
    chart: &mut Ctx<'_, DB>,
    lo: &[f64],
    hi: &[f64],
    n: usize,
    color: RGBColor,
    alpha: f64,
) -> Result<(), ChartError> {
    let poly = band_polygon(lo, hi, n);
    if poly.is_empty() {
        return Ok(());
    }
    chart.draw_series(std::iter::once(Polygon::new(poly, color.mix(alpha).filled()))).map_err(draw_err)?;
    Ok(())
}

pub(crate) fn draw_line<DB: DrawingBackend>(
    chart: &mut Ctx<'_, DB>,
    v: &[f64],
    n: usize,
    color: RGBColor,
    width: u32,
) -> Result<(), ChartError> {
    let pts = points(v, n);
    if pts.is_empty() {
        return Ok(());
    }
    chart.draw_series(LineSeries::new(pts, color.stroke_width(width))).map_err(draw_err)?;
    Ok(())
}

pub(crate) fn draw_dashed<DB: DrawingBackend>(
    chart: &mut Ctx<'_, DB>,
    v: &[f64],
    n: usize,
    color: RGBColor,
) -> Result<(), ChartError> {
    let pts = points(v, n);
    if pts.is_empty() {
        return Ok(());
    }
    chart.draw_series(DashedLineSeries::new(pts, 16, 10, color.stroke_width(LINE_WIDTH))).map_err(draw_err)?;
    Ok(())
}

/// P50 line over a P10-P90 band (and optionally a P25-P75 band).
pub(crate) fn draw_banded<DB: DrawingBackend>(
    chart: &mut Ctx<'_, DB>,
    b: &Band,
    n: usize,
    color: RGBColor,
    inner: bool,
) -> Result<(), ChartError> {
    draw_band(chart, &b.p10, &b.p90, n, color, BAND_OUTER_ALPHA)?;
    if inner {
        draw_band(chart, &b.p25, &b.p75, n, color, BAND_INNER_ALPHA)?;
    }
    draw_line(chart, &b.p50, n, color, LINE_WIDTH)
}

pub(crate) fn band_max(b: &Band) -> f64 {
    max_finite([b.p10.as_slice(), b.p25.as_slice(), b.p50.as_slice(), b.p75.as_slice(), b.p90.as_slice()])
}

// ---------------------------------------------------------------------------
// Frame: title, subtitle, legend, source line
// ---------------------------------------------------------------------------

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    /// Solid line.
    Line(RGBColor),
    /// Dashed line.
    Dashed(RGBColor),
    /// Filled box at the given opacity.
    Fill(RGBColor, f64),
    /// The P10-P90 and P25-P75 fills layered, as drawn in the chart.
    Band2(RGBColor),
    /// Line over a band box.
    LineBand(RGBColor),
    /// Ring marker.
    Marker(RGBColor),
}

pub(crate) struct LegendItem {
    pub(crate) swatch: Swatch,
    pub(crate) label: String,
}

pub(crate) fn item(swatch: Swatch, label: impl Into<String>) -> LegendItem {
    LegendItem { swatch, label: label.into() }
}

const SWATCH_W: i32 = 46;
const SWATCH_GAP: i32 = 12;
const ITEM_GAP: i32 = 40;

/// Lay out legend items in rows; returns (row, x offset) per item and the row count.
fn legend_layout<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
) -> Result<(Vec<(i32, i32)>, i32), ChartError> {
    let style = text_style(LEGEND_SIZE, TEXT);
    let max_w = WIDTH as i32 - 2 * MARGIN_X;
    let mut pos = Vec::with_capacity(items.len());
    let (mut row, mut x) = (0i32, 0i32);
    for it in items {
        let (tw, _) = root.estimate_text_size(&it.label, &style).map_err(draw_err)?;
        let w = SWATCH_W + SWATCH_GAP + tw as i32;
        if x > 0 && x + w > max_w {
            row += 1;
            x = 0;
        }
        pos.push((row, x));
        x += w + ITEM_GAP;
    }
    let rows = if items.is_empty() { 0 } else { row + 1 };
    Ok((pos, rows))
}

fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    x: i32,
    cy: i32,
) -> Result<(), ChartError> {
    let (x0, x1) = (x, x + SWATCH_W);
    let line = |c: RGBColor, a: i32, b: i32| {
        root.draw(&PathElement::new(vec![(a, cy), (b, cy)], c.stroke_width(LINE_WIDTH))).map_err(draw_err)
    };
    let fill = |c: RGBColor, a: f64| {
        root.draw(&Rectangle::new([(x0, cy - 12), (x1, cy + 12)], c.mix(a).filled())).map_err(draw_err)
    };
    match swatch {
        Swatch::Line(c) => line(c, x0, x1)?,
        Swatch::Dashed(c) => {
            line(c, x0, x0 + 13)?;
            line(c, x0 + 20, x0 + 33)?;
            line(c, x0 + 40, x1)?;
        }
        Swatch::Fill(c, a) => fill(c, a)?,
        Swatch::Band2(c) => {
            fill(c, BAND_OUTER_ALPHA)?;
            fill(c, BAND_INNER_ALPHA)?;
        }
        Swatch::LineBand(c) => {
            fill(c, BAND_OUTER_ALPHA)?;
            line(c, x0, x1)?;
        }
        Swatch::Marker(c) => {
            let cx = x0 + SWATCH_W / 2;
            root.draw(&Circle::new((cx, cy), 10, WHITE.filled())).map_err(draw_err)?;
            root.draw(&Circle::new((cx, cy), 10, c.stroke_width(4))).map_err(draw_err)?;
        }
    }
    Ok(())
}

/// Draw the title, subtitle, legend and source line; return the plot area.
fn frame<DB: DrawingBackend>(
    cv: &Canvas<'_, '_, DB>,
    kind: ChartKind,
    data: &ChartData,
    legend: &[LegendItem],
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    let subtitle = format!(
        "{} \u{00b7} {} runs \u{00b7} seed {}",
        data.scenario_name,
        group_thousands(&data.runs.to_string()),
        data.seed
    );
    let source = format!("Source: buildout v{}, scenario file {}", data.version, data.scenario_file);
    frame_with(
        cv,
        &Heading { title: kind.title(), subtitle: &subtitle, source: &source, note: kind.reading_note() },
        legend,
    )
}

/// The texts around a chart: title and subtitle at the top, source line and reading
/// note at the bottom.
pub(crate) struct Heading<'a> {
    pub(crate) title: &'a str,
    pub(crate) subtitle: &'a str,
    pub(crate) source: &'a str,
    pub(crate) note: &'a str,
}

/// Draw the title, subtitle, legend (rows below the plot) and the source line with the
/// reading note; return the plot area.
pub(crate) fn frame_with<DB: DrawingBackend>(
    cv: &Canvas<'_, '_, DB>,
    heading: &Heading<'_>,
    legend: &[LegendItem],
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    let root = cv.root;
    root.fill(&WHITE).map_err(draw_err)?;
    let top_left = (HPos::Left, VPos::Top);
    cv.text(heading.title, (MARGIN_X, 24), TITLE_SIZE, true, TEXT, top_left)?;
    cv.text(heading.subtitle, (MARGIN_X, 82), SUBTITLE_SIZE, false, MUTED, top_left)?;

    let (pos, rows) = legend_layout(root, legend)?;
    let h = HEIGHT as i32;
    let legend_top = h - SOURCE_H - rows * LEGEND_ROW_H - 8;
    for (it, &(row, x)) in legend.iter().zip(pos.iter()) {
        let cy = legend_top + row * LEGEND_ROW_H + LEGEND_ROW_H / 2;
        let x = MARGIN_X + x;
        draw_swatch(root, it.swatch, x, cy)?;
        cv.text(
            &it.label,
            (x + SWATCH_W + SWATCH_GAP, cy + TEXT_NUDGE),
            LEGEND_SIZE,
            false,
            TEXT,
            (HPos::Left, VPos::Center),
        )?;
    }

    let bottom_left = (HPos::Left, VPos::Bottom);
    cv.text(heading.source, (MARGIN_X, h - 12), SOURCE_SIZE, false, MUTED, bottom_left)?;
    cv.text(heading.note, (WIDTH as i32 - MARGIN_X, h - 12), SOURCE_SIZE, false, MUTED, (HPos::Right, VPos::Bottom))?;

    let bottom = legend_top - 4;
    Ok(root.margin(HEADER_H as u32, (h - bottom).max(0) as u32, 0, 0))
}

// ---------------------------------------------------------------------------
// The five charts
// ---------------------------------------------------------------------------

fn draw_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    kind: ChartKind,
    data: &ChartData,
    per_glyph: bool,
) -> Result<(), ChartError> {
    let cv = Canvas { root, w: Writer { per_glyph }, x: XAxis::new(&data.dates) };
    match kind {
        ChartKind::Capacity => capacity(&cv, data),
        ChartKind::Power => power(&cv, data),
        ChartKind::Constraints => constraints(&cv, data),
        ChartKind::Dependency => dependency(&cv, data),
        ChartKind::Stranded => stranded(&cv, data),
    }
}

fn capacity<DB: DrawingBackend>(cv: &Canvas<'_, '_, DB>, d: &ChartData) -> Result<(), ChartError> {
    let n = cv.x.n;
    let mut legend = vec![
        item(Swatch::Line(CHIPS), "Chips operational"),
        item(Swatch::Band2(CHIPS), "P25\u{2013}P75"),
        item(Swatch::Fill(CHIPS, BAND_OUTER_ALPHA), "P10\u{2013}P90"),
        item(Swatch::Dashed(DELIVERED), "Chips delivered"),
        item(Swatch::LineBand(COMPUTE), "Compute (PFLOP/s)"),
    ];
    let target = d.target.filter(|&(_, m)| m < n);
    if let Some((chips, m)) = target {
        legend.push(item(
            Swatch::Marker(CHIPS),
            format!("Target: {} chips by {}", format_compact(chips as f64), cv.x.date(m)),
        ));
    }
    let plot = frame(cv, ChartKind::Capacity, d, &legend)?;
    let (top, bottom) = plot.split_vertically(plot.dim_in_pixel().1 * 57 / 100);

    let mut y1 = band_max(&d.operational).max(max_finite([d.delivered_p50.as_slice()]));
    if let Some((chips, _)) = target {
        y1 = y1.max(chips as f64);
    }
    let ya = YAxis::nice(y1, top.dim_in_pixel().1, false);
    let mut c = cv.panel(&top, &ya, "Chips", Unit::Count, false)?;
    let op = &d.operational;
    draw_band(&mut c, &op.p10, &op.p90, n, CHIPS, BAND_OUTER_ALPHA)?;
    draw_band(&mut c, &op.p25, &op.p75, n, CHIPS, BAND_INNER_ALPHA)?;
    draw_dashed(&mut c, &d.delivered_p50, n, DELIVERED)?;
    draw_line(&mut c, &op.p50, n, CHIPS, LINE_WIDTH)?;
    if let Some((chips, m)) = target {
        let p = (m as f64, chips as f64);
        c.draw_series(std::iter::once(Circle::new(p, 11, WHITE.filled()))).map_err(draw_err)?;
        c.draw_series(std::iter::once(Circle::new(p, 11, CHIPS.stroke_width(4)))).map_err(draw_err)?;
        let label = format!("Target {}", format_compact(chips as f64));
        let (px, py) = c.backend_coord(&p);
        let (hp, dx) = if (m as f64) < cv.x.max * 0.75 { (HPos::Left, 20) } else { (HPos::Right, -20) };
        cv.text(&label, (px + dx, py - 16), LABEL_SIZE, true, TEXT, (hp, VPos::Bottom))?;
    }

    let yb = YAxis::nice(band_max(&d.compute_pflops), bottom.dim_in_pixel().1, true);
    let mut c2 = cv.panel(&bottom, &yb, "Compute (PFLOP/s)", Unit::Count, true)?;
    draw_banded(&mut c2, &d.compute_pflops, n, COMPUTE, false)?;
    Ok(())
}

/// Contiguous month runs where `pred(i)` holds.
fn month_runs(n: usize, pred: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    for i in 0..n {
        match (pred(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i - 1));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, n.saturating_sub(1)));
    }
    runs
}

fn power<DB: DrawingBackend>(cv: &Canvas<'_, '_, DB>, d: &ChartData) -> Result<(), ChartError> {
    let n = cv.x.n;
    // The grid is the ceiling where built demand exceeds the grid and the
    // facilities draw (almost) all the grid there is (medians).
    let at = |v: &[f64], i: usize| v.get(i).copied().filter(|x| x.is_finite());
    let runs =
        month_runs(n, |i| match (at(&d.built_facility_mw.p50, i), at(&d.grid_mw.p50, i), at(&d.facility_mw.p50, i)) {
            (Some(b), Some(g), Some(f)) => g > 0.0 && b > g * 1.005 && f >= g * 0.97,
            _ => false,
        });
    let mut legend = vec![
        item(Swatch::LineBand(POWER), "Grid power online"),
        item(Swatch::LineBand(SPACE), "Built IT capacity \u{00d7} PUE"),
        item(Swatch::LineBand(FACILITY), "Facility power drawn"),
    ];
    if !runs.is_empty() {
        legend.push(item(Swatch::Fill(CEILING, 1.0), "Grid is the ceiling"));
    }
    let plot = frame(cv, ChartKind::Power, d, &legend)?;
    let y = band_max(&d.grid_mw).max(band_max(&d.facility_mw)).max(band_max(&d.built_facility_mw));
    let ya = YAxis::nice(y * 1.06, plot.dim_in_pixel().1, true);
    let mut c = cv.panel(&plot, &ya, "Power (MW)", Unit::Mw, true)?;
    for &(s, e) in &runs {
        let x0 = (s as f64 - 0.5).max(0.0);
        let x1 = (e as f64 + 0.5).min(cv.x.max);
        c.draw_series(std::iter::once(Rectangle::new([(x0, 0.0), (x1, ya.max)], CEILING.filled())))
            .map_err(draw_err)?;
    }
    draw_banded(&mut c, &d.built_facility_mw, n, SPACE, false)?;
    draw_banded(&mut c, &d.facility_mw, n, FACILITY, false)?;
    draw_banded(&mut c, &d.grid_mw, n, POWER, false)?;
    // Label the widest ceiling period at the top of the plot.
    if let Some(&(s, e)) = runs.iter().max_by_key(|(s, e)| (e - s, usize::MAX - s)) {
        let mid = ((s as f64 + e as f64) / 2.0).clamp(cv.x.max * 0.2, cv.x.max * 0.8);
        let (px, py) = c.backend_coord(&(mid, ya.max));
        cv.text("Grid is the ceiling", (px, py + 10), LABEL_SIZE, true, POWER, (HPos::Center, VPos::Top))?;
        cv.text(
            &format!("{} to {}", cv.x.date(s), cv.x.date(e)),
            (px, py + 42),
            LABEL_SIZE,
            false,
            POWER,
            (HPos::Center, VPos::Top),
        )?;
    }
    Ok(())
}

/// Stack layers (each 0..1 per month) into (lower, upper) cumulative bounds.
pub(crate) fn stack(layers: &[&[f64]], n: usize, normalise: bool) -> Vec<(Vec<f64>, Vec<f64>)> {
    let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let get = |l: &[f64], i: usize| clean(l.get(i).copied().unwrap_or(0.0));
    let totals: Vec<f64> = (0..n).map(|i| layers.iter().map(|l| get(l, i)).sum()).collect();
    let mut cum = vec![0.0f64; n];
    let mut out = Vec::with_capacity(layers.len());
    for l in layers {
        let lo = cum.clone();
        for (i, c) in cum.iter_mut().enumerate() {
            let t = totals[i];
            let v = get(l, i);
            let scaled = if t <= 0.0 {
                0.0
            } else if normalise || t > 1.0 {
                v / t
            } else {
                v
            };
            *c = (*c + scaled).min(1.0);
        }
        out.push((lo, cum.clone()));
    }
    out
}

pub(crate) fn draw_stack<DB: DrawingBackend>(
    c: &mut Ctx<'_, DB>,
    bounds: &[(Vec<f64>, Vec<f64>)],
    colors: &[RGBColor],
    n: usize,
) -> Result<(), ChartError> {
    for ((lo, hi), col) in bounds.iter().zip(colors.iter()) {
        let poly = band_polygon(lo, hi, n);
        if poly.is_empty() {
            continue;
        }
        c.draw_series(std::iter::once(Polygon::new(poly, col.filled()))).map_err(draw_err)?;
    }
    Ok(())
}

/// Thin white lines at 25/50/75 % over filled areas, so values can be read.
pub(crate) fn draw_pct_guides<DB: DrawingBackend>(c: &mut Ctx<'_, DB>, xmax: f64) -> Result<(), ChartError> {
    for g in [0.25, 0.5, 0.75] {
        c.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, g), (xmax, g)],
            RGBAColor(255, 255, 255, 0.7).stroke_width(1),
        )))
        .map_err(draw_err)?;
    }
    Ok(())
}

/// Label each stacked area inside itself where it is thick enough.
pub(crate) fn label_areas<DB: DrawingBackend>(
    cv: &Canvas<'_, '_, DB>,
    c: &Ctx<'_, DB>,
    labels: &[&str],
    bounds: &[(Vec<f64>, Vec<f64>)],
    colors: &[RGBColor],
) -> Result<(), ChartError> {
    let n = cv.x.n;
    for ((label, (lo, hi)), col) in labels.iter().zip(bounds.iter()).zip(colors.iter()) {
        let thick = |i: usize| hi.get(i).copied().unwrap_or(0.0) - lo.get(i).copied().unwrap_or(0.0);
        let Some(best) = (0..n).map(thick).fold(None::<f64>, |a, t| Some(a.map_or(t, |a| a.max(t)))) else {
            continue;
        };
        // The latest month that is nearly as thick: labels near the end read well.
        let Some(i) = (0..n).rev().find(|&j| thick(j) >= best * 0.9) else {
            continue;
        };
        // Keep the whole label inside the plot, also in narrow panels.
        let (xr, _) = c.plotting_area().get_pixel_range();
        let half = c.plotting_area().estimate_text_size(label, &bold_style(LABEL_SIZE, TEXT)).map_err(draw_err)?.0
            as f64
            / 2.0
            + 10.0;
        let margin = (half / (xr.end - xr.start).max(1) as f64 * cv.x.max).min(cv.x.max / 2.0);
        let xi = (i as f64).clamp(cv.x.max * 0.12, cv.x.max * 0.88).clamp(margin, cv.x.max - margin);
        let j = (xi.round() as usize).min(n.saturating_sub(1));
        let (l, h) = (lo.get(j).copied().unwrap_or(0.0), hi.get(j).copied().unwrap_or(0.0));
        if !(l.is_finite() && h.is_finite()) {
            continue;
        }
        let (_, ya) = c.backend_coord(&(xi, l));
        let (_, yb) = c.backend_coord(&(xi, h));
        if (ya - yb).abs() < 40 {
            continue;
        }
        let (px, py) = c.backend_coord(&(xi, (l + h) / 2.0));
        let lum = 0.299 * col.0 as f64 + 0.587 * col.1 as f64 + 0.114 * col.2 as f64;
        let tc = if lum < 140.0 { WHITE } else { TEXT };
        cv.text(label, (px, py + TEXT_NUDGE), LABEL_SIZE, true, tc, (HPos::Center, VPos::Center))?;
    }
    Ok(())
}

fn constraints<DB: DrawingBackend>(cv: &Canvas<'_, '_, DB>, d: &ChartData) -> Result<(), ChartError> {
    let n = cv.x.n;
    let legend = vec![
        item(Swatch::Fill(CHIPS, 1.0), "Chips bind (waiting on deliveries)"),
        item(Swatch::Fill(POWER, 1.0), "Power binds"),
        item(Swatch::Fill(SPACE, 1.0), "Space binds"),
    ];
    let plot = frame(cv, ChartKind::Constraints, d, &legend)?;
    let mut c = cv.panel(&plot, &YAxis::share(), "Share of runs (%)", Unit::Pct, true)?;
    let layers: [&[f64]; 3] = [&d.binding_chips, &d.binding_power, &d.binding_space];
    let bounds = stack(&layers, n, true);
    let colors = [CHIPS, POWER, SPACE];
    draw_stack(&mut c, &bounds, &colors, n)?;
    draw_pct_guides(&mut c, cv.x.max)?;
    label_areas(cv, &c, &["Chips", "Power", "Space"], &bounds, &colors)?;
    Ok(())
}

fn dependency<DB: DrawingBackend>(cv: &Canvas<'_, '_, DB>, d: &ChartData) -> Result<(), ChartError> {
    let n = cv.x.n;
    // Home origin at the bottom of the stack, then the others in input order.
    let home = d.home_origin.as_deref();
    let is_home = |l: &str| Some(l) == home;
    let mut order: Vec<&(String, Vec<f64>)> = Vec::new();
    order.extend(d.origins.iter().filter(|(l, _)| is_home(l)));
    order.extend(d.origins.iter().filter(|(l, _)| !is_home(l)));
    let mut colors = Vec::with_capacity(order.len());
    let mut fi = 0usize;
    for (l, _) in &order {
        if is_home(l) {
            colors.push(HOME_FILL);
        } else {
            colors.push(FOREIGN[fi % FOREIGN.len()]);
            fi += 1;
        }
    }
    let mut legend: Vec<LegendItem> = order
        .iter()
        .zip(colors.iter())
        .map(|((l, _), c)| {
            let label = if is_home(l) { format!("{l} (home)") } else { l.clone() };
            item(Swatch::Fill(*c, 1.0), label)
        })
        .collect();
    if home.is_some() {
        legend.push(item(Swatch::LineBand(DOMESTIC), "Domestic share"));
    }
    let plot = frame(cv, ChartKind::Dependency, d, &legend)?;
    let mut c = cv.panel(&plot, &YAxis::share(), "Share of compute (%)", Unit::Pct, true)?;
    let layers: Vec<&[f64]> = order.iter().map(|(_, v)| v.as_slice()).collect();
    let bounds = stack(&layers, n, false);
    draw_stack(&mut c, &bounds, &colors, n)?;
    draw_pct_guides(&mut c, cv.x.max)?;
    if home.is_some() {
        let b = &d.domestic_share;
        draw_band(&mut c, &b.p10, &b.p90, n, DOMESTIC, 0.30)?;
        draw_line(&mut c, &b.p50, n, DOMESTIC, LINE_WIDTH)?;
    }
    let labels: Vec<&str> = order.iter().map(|(l, _)| l.as_str()).collect();
    label_areas(cv, &c, &labels, &bounds, &colors)?;
    Ok(())
}

fn stranded<DB: DrawingBackend>(cv: &Canvas<'_, '_, DB>, d: &ChartData) -> Result<(), ChartError> {
    let n = cv.x.n;
    let mut legend = vec![
        item(Swatch::LineBand(WAITING), "Chips waiting"),
        item(Swatch::Line(POWER), "Waiting for power (mean)"),
        item(Swatch::Line(SPACE), "Waiting for space (mean)"),
    ];
    let usd = d.stranded_capital_usd.as_ref();
    if usd.is_some() {
        legend.push(item(Swatch::LineBand(CAPITAL), "Value of chips waiting"));
    }
    let plot = frame(cv, ChartKind::Stranded, d, &legend)?;
    let (top, bottom) = match usd {
        Some(_) => {
            let (a, b) = plot.split_vertically(plot.dim_in_pixel().1 * 57 / 100);
            (a, Some(b))
        }
        None => (plot, None),
    };
    let y = band_max(&d.waiting)
        .max(max_finite([d.stranded_by_power_mean.as_slice(), d.stranded_by_space_mean.as_slice()]));
    let ya = YAxis::nice(y, top.dim_in_pixel().1, bottom.is_none());
    let mut c = cv.panel(&top, &ya, "Chips waiting", Unit::Count, bottom.is_none())?;
    draw_banded(&mut c, &d.waiting, n, WAITING, false)?;
    draw_line(&mut c, &d.stranded_by_space_mean, n, SPACE, LINE_WIDTH)?;
    draw_line(&mut c, &d.stranded_by_power_mean, n, POWER, LINE_WIDTH)?;
    if let (Some(b), Some(area)) = (usd, bottom.as_ref()) {
        let yb = YAxis::nice(band_max(b), area.dim_in_pixel().1, true);
        let mut c2 = cv.panel(area, &yb, "Value of chips waiting (USD)", Unit::Usd, true)?;
        draw_banded(&mut c2, b, n, CAPITAL, false)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Example fixture
// ---------------------------------------------------------------------------

fn logistic(t: f64, mid: f64, width: f64) -> f64 {
    1.0 / (1.0 + (-(t - mid) / width).exp())
}

fn smoothstep(t: f64, a: f64, b: f64) -> f64 {
    let u = ((t - a) / (b - a)).clamp(0.0, 1.0);
    u * u * (3.0 - 2.0 * u)
}

fn band_from(p50: &[f64], spread: impl Fn(usize) -> f64, cap: Option<f64>) -> Band {
    let f = |k: f64| -> Vec<f64> {
        p50.iter()
            .enumerate()
            .map(|(i, &v)| {
                let r = (v * (1.0 + k * spread(i))).max(0.0);
                match cap {
                    Some(c) => r.min(c),
                    None => r,
                }
            })
            .collect()
    };
    Band { p10: f(-1.0), p25: f(-0.5), p50: p50.to_vec(), p75: f(0.5), p90: f(1.0) }
}

/// Example fixture with realistic numbers, for inspecting the charts and for tests:
/// 73 months (2026-01..2031-12), a 260k-chip target, grid power growing from
/// 300 to 700 MW, and power as the binding constraint through 2028-2029.
pub fn sample_data() -> ChartData {
    let h = 72usize;
    let dates: Vec<String> = (0..=h).map(|i| format!("{}-{:02}", 2026 + i / 12, i % 12 + 1)).collect();
    let t: Vec<f64> = (0..=h).map(|i| i as f64).collect();
    let mw_per_chip = 0.0025; // 2.0 kW per chip all-in, x PUE 1.25
    let delivered: Vec<f64> = t.iter().map(|&m| 262_000.0 * logistic(m, 30.0, 7.0)).collect();
    let grid: Vec<f64> = t.iter().map(|&m| 300.0 + 400.0 * smoothstep(m, 30.0, 50.0)).collect();
    let built: Vec<f64> = t.iter().map(|&m| 120.0 + 560.0 * smoothstep(m, 6.0, 40.0)).collect();
    let operational: Vec<f64> = (0..=h).map(|i| delivered[i].min(grid[i].min(built[i]) / mw_per_chip)).collect();
    let facility: Vec<f64> = operational.iter().map(|c| c * mw_per_chip).collect();
    let waiting: Vec<f64> = (0..=h).map(|i| (delivered[i] - operational[i]).max(0.0)).collect();
    let by_power: Vec<f64> =
        (0..=h).map(|i| if grid[i] <= built[i] { waiting[i] * 0.92 } else { waiting[i] * 0.15 }).collect();
    let by_space: Vec<f64> = (0..=h).map(|i| (waiting[i] - by_power[i]).max(0.0)).collect();
    let spread = |i: usize| 0.06 + 0.16 * smoothstep(i as f64, 0.0, 40.0);
    let p_power: Vec<f64> =
        t.iter().map(|&m| 0.82 * smoothstep(m, 22.0, 30.0) * (1.0 - smoothstep(m, 44.0, 54.0))).collect();
    let p_space: Vec<f64> =
        t.iter().map(|&m| 0.30 * smoothstep(m, 10.0, 18.0) * (1.0 - smoothstep(m, 26.0, 34.0)) + 0.08).collect();
    let p_chips: Vec<f64> = (0..=h).map(|i| (1.0 - p_power[i] - p_space[i]).max(0.0)).collect();
    let home: Vec<f64> = t.iter().map(|&m| 0.32 * smoothstep(m, 20.0, 60.0)).collect();
    let taiwan: Vec<f64> = (0..=h).map(|i| 0.22 * (1.0 - home[i])).collect();
    let us: Vec<f64> = (0..=h).map(|i| 1.0 - home[i] - taiwan[i]).collect();
    let compute: Vec<f64> = (0..=h).map(|i| operational[i] * (1.0 + 0.8 * smoothstep(i as f64, 24.0, 60.0))).collect();
    ChartData {
        scenario_name: "Korea 260k sovereign compute".into(),
        scenario_file: "korea-260k.toml".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        runs: 10_000,
        seed: 42,
        dates,
        operational: band_from(&operational, spread, None),
        compute_pflops: band_from(&compute, spread, None),
        delivered_p50: delivered,
        target: Some((260_000, 59)),
        grid_mw: band_from(&grid, |i| 0.03 + 0.10 * smoothstep(i as f64, 20.0, 50.0), None),
        facility_mw: band_from(&facility, spread, None),
        built_facility_mw: band_from(&built, |_| 0.08, None),
        binding_chips: p_chips,
        binding_power: p_power,
        binding_space: p_space,
        origins: vec![("United States".into(), us), ("Taiwan".into(), taiwan), ("Korea".into(), home.clone())],
        home_origin: Some("Korea".into()),
        domestic_share: band_from(&home, |_| 0.3, Some(1.0)),
        waiting: band_from(&waiting, |_| 0.45, None),
        stranded_by_power_mean: by_power,
        stranded_by_space_mean: by_space,
        stranded_capital_usd: Some(band_from(&waiting.iter().map(|w| w * 32_000.0).collect::<Vec<_>>(), |_| 0.5, None)),
    }
}
