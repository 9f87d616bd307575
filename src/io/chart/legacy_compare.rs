//! Overlay charts for `compare` (capacity, power, constraints as small multiples,
//! dependency) and the `sweep` chart, drawn with the single-run chart pieces of
//! [`super::legacy_run`]: same fonts, palette, layout, legend and deterministic PNG.
//!
//! Scenarios are aligned by calendar month: month 0 of every chart is the earliest start
//! among the scenarios, and each scenario's series is drawn only inside its own months.

use crate::io::brief::chart_data;
use super::legacy_run::palette::{CHIPS, GRID, MUTED, POWER, SPACE, TEXT};
use super::legacy_run::{
    band_max, band_polygon, bold_style, draw_band, draw_dashed, draw_err, draw_line, draw_pct_guides, draw_stack,
    frame_with, item, label_areas, max_finite, render_figure, stack, text_style, Band, Canvas, ChartData, ChartError,
    ChartFormat, Figure, Heading, LegendItem, Swatch, Unit, Writer, XAxis, YAxis, AXIS_TITLE_SIZE, LABEL_SIZE,
    LINE_WIDTH, MARGIN_X, TITLE_SIZE, WIDTH,
};
use crate::io::compare::{earliest_start, offset, Compared};
use crate::io::format::{format_compact, format_thousands, group_thousands};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One colour per compared scenario, in this order (Okabe-Ito: blue, vermillion, bluish
/// green, reddish purple, orange, sky blue, yellow, black); more scenarios reuse them.
pub const SCENARIO_COLORS: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x00, 0x00),
];

/// The colour of the `i`-th compared scenario.
pub fn scenario_color(i: usize) -> RGBColor {
    SCENARIO_COLORS[i % SCENARIO_COLORS.len()]
}

/// Which overlay chart to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareKind {
    /// Chips operational: median line and P10-P90 band per scenario.
    Capacity,
    /// Facility power drawn (solid) and grid power online (dashed), medians.
    Power,
    /// One panel per scenario: share of runs in which chips, power or space binds.
    Constraints,
    /// Domestic share of compute: median and P10-P90 band per scenario with a home origin.
    Dependency,
}

impl CompareKind {
    /// All four, in report order.
    pub const ALL: [CompareKind; 4] =
        [CompareKind::Capacity, CompareKind::Power, CompareKind::Constraints, CompareKind::Dependency];

    /// File stem: `compare-capacity`, `compare-power`, `compare-constraints`, `compare-dependency`.
    pub fn file_stem(self) -> &'static str {
        match self {
            CompareKind::Capacity => "compare-capacity",
            CompareKind::Power => "compare-power",
            CompareKind::Constraints => "compare-constraints",
            CompareKind::Dependency => "compare-dependency",
        }
    }

    /// Chart title.
    pub fn title(self) -> &'static str {
        match self {
            CompareKind::Capacity => "Chips operational, scenario by scenario",
            CompareKind::Power => "Power drawn by the data centres and grid power online",
            CompareKind::Constraints => "What limits the buildout each month, scenario by scenario",
            CompareKind::Dependency => "Domestic share of compute, scenario by scenario",
        }
    }

    fn note(self) -> &'static str {
        match self {
            CompareKind::Capacity | CompareKind::Dependency => {
                "Lines: median of runs; shading: P10\u{2013}P90 across runs"
            }
            CompareKind::Power => "Lines: median of runs",
            CompareKind::Constraints => "Areas: share of runs in which each constraint binds",
        }
    }
}

/// One compared scenario's chart series, aligned to the comparison's months.
#[derive(Debug, Clone)]
pub struct CompareScenario {
    /// Name shown in legends and panel titles (unique within the comparison).
    pub name: String,
    /// Scenario file name, for the source line.
    pub file: String,
    /// The series; each vector has one value per comparison month (NaN outside the
    /// scenario's own months).
    pub data: ChartData,
}

/// Everything the overlay charts show.
#[derive(Debug, Clone)]
pub struct CompareData {
    /// "YYYY-MM" of each comparison month, from the earliest start to the latest horizon.
    pub dates: Vec<String>,
    pub scenarios: Vec<CompareScenario>,
    pub runs: u64,
    pub seed: u64,
    pub version: String,
}

/// `v` moved `off` months later and padded with NaN to `total` months.
fn shift(v: &[f64], off: usize, total: usize) -> Vec<f64> {
    (0..total).map(|g| g.checked_sub(off).and_then(|m| v.get(m)).copied().unwrap_or(f64::NAN)).collect()
}

fn shift_band(b: &Band, off: usize, total: usize) -> Band {
    Band {
        p10: shift(&b.p10, off, total),
        p25: shift(&b.p25, off, total),
        p50: shift(&b.p50, off, total),
        p75: shift(&b.p75, off, total),
        p90: shift(&b.p90, off, total),
    }
}

/// The overlay charts' data from the compared scenarios, aligned by calendar month.
pub fn compare_data(items: &[Compared<'_>], seed: u64) -> CompareData {
    let origin = earliest_start(items);
    let offsets: Vec<usize> = items.iter().map(|c| origin.map_or(0, |o| offset(c, o))).collect();
    let total = items.iter().zip(&offsets).map(|(c, o)| o + c.summary.months).max().unwrap_or(0);
    let dates = origin.map_or_else(Vec::new, |o| (0..total).map(|g| o.plus_months(g as i64).to_string()).collect());
    let names: Vec<&str> = items.iter().map(|c| c.scenario.name()).collect();
    let scenarios = items
        .iter()
        .zip(&offsets)
        .map(|(c, &off)| {
            let file = std::path::Path::new(&c.file)
                .file_name()
                .map_or_else(|| c.file.clone(), |n| n.to_string_lossy().into_owned());
            let d = chart_data(c.scenario, c.summary, seed, &file);
            let name = c.scenario.name();
            let name = if names.iter().filter(|n| **n == name).count() > 1 {
                format!("{name} ({})", c.label)
            } else {
                name.to_string()
            };
            let data = ChartData {
                dates: dates.clone(),
                operational: shift_band(&d.operational, off, total),
                compute_pflops: shift_band(&d.compute_pflops, off, total),
                delivered_p50: shift(&d.delivered_p50, off, total),
                target: d.target.map(|(chips, m)| (chips, m + off)),
                grid_mw: shift_band(&d.grid_mw, off, total),
                facility_mw: shift_band(&d.facility_mw, off, total),
                built_facility_mw: shift_band(&d.built_facility_mw, off, total),
                binding_chips: shift(&d.binding_chips, off, total),
                binding_power: shift(&d.binding_power, off, total),
                binding_space: shift(&d.binding_space, off, total),
                origins: d.origins.iter().map(|(l, v)| (l.clone(), shift(v, off, total))).collect(),
                domestic_share: shift_band(&d.domestic_share, off, total),
                waiting: shift_band(&d.waiting, off, total),
                stranded_by_power_mean: shift(&d.stranded_by_power_mean, off, total),
                stranded_by_space_mean: shift(&d.stranded_by_space_mean, off, total),
                stranded_capital_usd: d.stranded_capital_usd.as_ref().map(|b| shift_band(b, off, total)),
                ..d
            };
            CompareScenario { name, file, data }
        })
        .collect();
    CompareData { dates, scenarios, runs: items.first().map_or(0, |c| c.summary.runs), seed, version: version() }
}

fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Render one overlay chart as PNG or SVG bytes; `None` when the chart has nothing to
/// show (the dependency chart when no scenario has a home origin).
pub fn render_compare_chart(
    kind: CompareKind,
    data: &CompareData,
    format: ChartFormat,
) -> Result<Option<Vec<u8>>, ChartError> {
    if data.dates.is_empty() || data.scenarios.is_empty() {
        return Err(ChartError::Data("no scenarios or months to chart".into()));
    }
    if kind == CompareKind::Dependency && data.scenarios.iter().all(|s| s.data.home_origin.is_none()) {
        return Ok(None);
    }
    render_figure(&CompareFigure { kind, data }, format).map(Some)
}

struct CompareFigure<'a> {
    kind: CompareKind,
    data: &'a CompareData,
}

impl Figure for CompareFigure<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, per_glyph: bool) -> Result<(), ChartError> {
        let d = self.data;
        let cv = Canvas { root, w: Writer { per_glyph }, x: XAxis::new(&d.dates) };
        match self.kind {
            CompareKind::Capacity => capacity(&cv, d),
            CompareKind::Power => power(&cv, d),
            CompareKind::Constraints => constraints(root, per_glyph, d),
            CompareKind::Dependency => dependency(&cv, d),
        }
    }
}

/// Width in pixels of `s` in the chart font at `size`.
fn text_width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str, size: f64) -> Result<i32, ChartError> {
    Ok(root.estimate_text_size(s, &text_style(size, TEXT)).map_err(draw_err)?.0 as i32)
}

/// Width in pixels of `s` in the bold chart font at `size`.
fn bold_width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str, size: f64) -> Result<i32, ChartError> {
    Ok(root.estimate_text_size(s, &bold_style(size, TEXT)).map_err(draw_err)?.0 as i32)
}

/// `s`, cut with an ellipsis so that it is at most `max_w` pixels wide.
fn fit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    max_w: i32,
) -> Result<String, ChartError> {
    if bold_width(root, s, size)? <= max_w {
        return Ok(s.to_string());
    }
    let chars: Vec<char> = s.chars().collect();
    for keep in (1..chars.len()).rev() {
        let cut: String = chars[..keep].iter().collect::<String>().trim_end().to_string() + "\u{2026}";
        if bold_width(root, &cut, size)? <= max_w {
            return Ok(cut);
        }
    }
    Ok("\u{2026}".into())
}

/// Title, subtitle and source line shared by the overlay charts; returns the plot area.
fn compare_frame<DB: DrawingBackend>(
    cv: &Canvas<'_, '_, DB>,
    kind: CompareKind,
    d: &CompareData,
    legend: &[LegendItem],
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    let subtitle = format!(
        "{} scenarios \u{00b7} {} runs each \u{00b7} seed {} \u{00b7} the same random draws for shared items",
        d.scenarios.len(),
        group_thousands(&d.runs.to_string()),
        d.seed
    );
    let files: Vec<&str> = d.scenarios.iter().map(|s| s.file.as_str()).collect();
    let mut source = format!("Source: buildout v{}, scenario files {}", d.version, files.join(", "));
    let room = WIDTH as i32 - 2 * MARGIN_X - text_width(cv.root, kind.note(), LABEL_SIZE)? - 40;
    if text_width(cv.root, &source, LABEL_SIZE)? > room {
        source = format!("Source: buildout v{}, {} scenario files (listed in compare.json)", d.version, files.len());
    }
    frame_with(cv, &Heading { title: kind.title(), subtitle: &subtitle, source: &source, note: kind.note() }, legend)
}

fn scenario_legend(d: &CompareData, swatch: fn(RGBColor) -> Swatch, only_home: bool) -> Vec<LegendItem> {
    d.scenarios
        .iter()
        .enumerate()
        .filter(|(_, s)| !only_home || s.data.home_origin.is_some())
        .map(|(i, s)| item(swatch(scenario_color(i)), s.name.clone()))
        .collect()
}

/// Medians over P10-P90 bands, one colour per scenario: every band first, then every line.
fn overlay<DB: DrawingBackend>(
    cv: &Canvas<'_, '_, DB>,
    plot: &DrawingArea<DB, Shift>,
    d: &CompareData,
    pick: fn(&ChartData) -> Option<&Band>,
    y_title: &str,
    unit: Unit,
    share: bool,
) -> Result<(), ChartError> {
    let n = cv.x.n;
    let bands: Vec<(usize, &Band)> =
        d.scenarios.iter().enumerate().filter_map(|(i, s)| pick(&s.data).map(|b| (i, b))).collect();
    let y = bands.iter().map(|(_, b)| band_max(b)).fold(0.0, f64::max);
    let ya = if share && y > 0.5 { YAxis::share() } else { YAxis::nice(y, plot.dim_in_pixel().1, true) };
    let mut c = cv.panel(plot, &ya, y_title, unit, true)?;
    for &(i, b) in &bands {
        draw_band(&mut c, &b.p10, &b.p90, n, scenario_color(i), 0.14)?;
    }
    for &(i, b) in &bands {
        draw_line(&mut c, &b.p50, n, scenario_color(i), LINE_WIDTH)?;
    }
    Ok(())
}

fn capacity<DB: DrawingBackend>(cv: &Canvas<'_, '_, DB>, d: &CompareData) -> Result<(), ChartError> {
    let legend = scenario_legend(d, Swatch::LineBand, false);
    let plot = compare_frame(cv, CompareKind::Capacity, d, &legend)?;
    overlay(cv, &plot, d, |c| Some(&c.operational), "Chips operational", Unit::Count, false)
}

fn dependency<DB: DrawingBackend>(cv: &Canvas<'_, '_, DB>, d: &CompareData) -> Result<(), ChartError> {
    let legend = scenario_legend(d, Swatch::LineBand, true);
    let plot = compare_frame(cv, CompareKind::Dependency, d, &legend)?;
    fn pick(c: &ChartData) -> Option<&Band> {
        c.home_origin.is_some().then_some(&c.domestic_share)
    }
    overlay(cv, &plot, d, pick, "Domestic share of compute (%)", Unit::Pct, true)
}

fn power<DB: DrawingBackend>(cv: &Canvas<'_, '_, DB>, d: &CompareData) -> Result<(), ChartError> {
    let n = cv.x.n;
    let mut legend = scenario_legend(d, Swatch::Line, false);
    legend.push(item(Swatch::Line(MUTED), "Solid: facility power drawn"));
    legend.push(item(Swatch::Dashed(MUTED), "Dashed: grid power online"));
    let plot = compare_frame(cv, CompareKind::Power, d, &legend)?;
    // A grid far above every scenario's demand would flatten the other lines: such a
    // grid line is left off the scale and named above the plot instead.
    let drawn = max_finite(d.scenarios.iter().map(|s| s.data.facility_mw.p50.as_slice()));
    let grid_max: Vec<f64> = d.scenarios.iter().map(|s| max_finite([s.data.grid_mw.p50.as_slice()])).collect();
    let limit = if drawn > 0.0 { drawn * 2.5 } else { f64::INFINITY };
    let y = grid_max.iter().copied().filter(|&g| g <= limit).fold(drawn, f64::max);
    let ya = YAxis::nice(y * 1.04, plot.dim_in_pixel().1, true);
    let mut c = cv.panel(&plot, &ya, "Power (MW)", Unit::Mw, true)?;
    let mut off_scale = Vec::new();
    for (i, s) in d.scenarios.iter().enumerate() {
        let g = &s.data.grid_mw.p50;
        if grid_max.get(i).is_some_and(|&m| m > ya.max) {
            let low = g.iter().copied().filter(|v| v.is_finite()).fold(f64::INFINITY, f64::min);
            off_scale.push(format!("{} {}\u{2013}{} MW", s.name, format_thousands(low), format_thousands(grid_max[i])));
            for seg in segments(g, ya.max) {
                c.draw_series(DashedLineSeries::new(seg, 16, 10, scenario_color(i).stroke_width(LINE_WIDTH)))
                    .map_err(draw_err)?;
            }
        } else {
            draw_dashed(&mut c, g, n, scenario_color(i))?;
        }
    }
    if !off_scale.is_empty() {
        let (xr, yr) = c.plotting_area().get_pixel_range();
        let room = xr.end - xr.start - 160;
        let note =
            fit(cv.root, &format!("Grid power online off the scale: {}", off_scale.join("; ")), AXIS_TITLE_SIZE, room)?;
        cv.text(&note, (xr.end, yr.start - 24), AXIS_TITLE_SIZE, false, MUTED, (HPos::Right, VPos::Bottom))?;
    }
    for (i, s) in d.scenarios.iter().enumerate() {
        draw_line(&mut c, &s.data.facility_mw.p50, n, scenario_color(i), LINE_WIDTH)?;
    }
    Ok(())
}

/// Runs of consecutive months whose value is finite and at most `top`, as points.
fn segments(v: &[f64], top: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = vec![Vec::new()];
    for (i, &y) in v.iter().enumerate() {
        if y.is_finite() && y <= top {
            if let Some(last) = out.last_mut() {
                last.push((i as f64, y));
            }
        } else if out.last().is_some_and(|s| !s.is_empty()) {
            out.push(Vec::new());
        }
    }
    out.retain(|s| s.len() >= 2);
    out
}

/// Columns of the small-multiple grid for `n` panels.
fn grid_columns(n: usize) -> usize {
    match n {
        0..=3 => n.max(1),
        4 => 2,
        5 | 6 => 3,
        _ => 4,
    }
}

fn constraints<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    per_glyph: bool,
    d: &CompareData,
) -> Result<(), ChartError> {
    let k = d.scenarios.len();
    let cols = grid_columns(k);
    let rows = k.div_ceil(cols);
    // Fewer tick labels in narrow panels: each label about 15 px a character plus a gap.
    let mut x = XAxis::new(&d.dates);
    let plot_w = (WIDTH as usize / cols).saturating_sub(230);
    x.thin((plot_w / (x.widest_label() * 15 + 30)).max(2));
    let cv = Canvas { root, w: Writer { per_glyph }, x };
    let legend = vec![
        item(Swatch::Fill(CHIPS, 1.0), "Chips bind (waiting on deliveries)"),
        item(Swatch::Fill(POWER, 1.0), "Power binds"),
        item(Swatch::Fill(SPACE, 1.0), "Space binds"),
    ];
    let plot = compare_frame(&cv, CompareKind::Constraints, d, &legend)?;
    let panels = plot.split_evenly((rows, cols));
    let n = cv.x.n;
    let colors = [CHIPS, POWER, SPACE];
    for (s, area) in d.scenarios.iter().zip(panels.iter()) {
        let mut c = cv.panel(area, &YAxis::share(), "", Unit::Pct, true)?;
        let layers: [&[f64]; 3] = [&s.data.binding_chips, &s.data.binding_power, &s.data.binding_space];
        let outside = outside_runs(&s.data.binding_chips);
        let mut bounds = stack(&layers, n, true);
        for &(a, b) in &outside {
            for (lo, hi) in bounds.iter_mut() {
                for i in a..=b {
                    if let (Some(l), Some(h)) = (lo.get_mut(i), hi.get_mut(i)) {
                        (*l, *h) = (f64::NAN, f64::NAN);
                    }
                }
            }
        }
        // Months outside this scenario's own range: light grey, not "nothing binds".
        for &(a, b) in &outside {
            let (x0, x1) = ((a as f64 - 1.0).max(0.0), (b as f64 + 1.0).min(cv.x.max));
            c.draw_series(std::iter::once(Rectangle::new([(x0, 0.0), (x1, 1.0)], GRID.filled()))).map_err(draw_err)?;
        }
        draw_stack(&mut c, &bounds, &colors, n)?;
        draw_pct_guides(&mut c, cv.x.max)?;
        label_areas(&cv, &c, &["Chips", "Power", "Space"], &bounds, &colors)?;
        let (xr, yr) = c.plotting_area().get_pixel_range();
        let left = area.get_base_pixel().0 + MARGIN_X;
        let title = fit(root, &s.name, AXIS_TITLE_SIZE, xr.end - left)?;
        cv.text(&title, (left, yr.start - 24), AXIS_TITLE_SIZE, true, TEXT, (HPos::Left, VPos::Bottom))?;
    }
    Ok(())
}

/// Runs of months where the series has no value (before its start, after its horizon).
fn outside_runs(v: &[f64]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, x) in v.iter().chain(std::iter::once(&0.0)).enumerate() {
        match (x.is_nan(), start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                out.push((a, i - 1));
                start = None;
            }
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Sweep
// ---------------------------------------------------------------------------

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
    pub scenario_name: String,
    pub scenario_file: String,
    pub runs: u64,
    pub seed: u64,
    pub points: Vec<SweepPoint>,
}

/// Render the sweep chart (`sweep.png` / `sweep.svg`): chips operational at the horizon
/// against the swept value, median with markers over the P10-P90 band.
pub fn render_sweep_chart(data: &SweepChartData, format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    if data.points.is_empty() {
        return Err(ChartError::Data("no swept values to chart".into()));
    }
    render_figure(data, format)
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

/// Plot width in pixels left by the panel margins (matches `Canvas::panel`).
const SWEEP_PLOT_X0: f64 = 170.0;
const SWEEP_PLOT_X1: f64 = WIDTH as f64 - 56.0;

impl Figure for SweepChartData {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, per_glyph: bool) -> Result<(), ChartError> {
        let (xs, numeric) = self.xs();
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
        // Tick at every value, leaving out labels that would touch the previous one.
        let px = |v: f64| SWEEP_PLOT_X0 + (v - min) / (max - min) * (SWEEP_PLOT_X1 - SWEEP_PLOT_X0);
        let mut order: Vec<usize> = (0..xs.len()).collect();
        order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
        let mut ticks = Vec::new();
        let mut right = f64::NEG_INFINITY;
        for &i in &order {
            let label = tick_label(&self.points[i]);
            let w = text_width(root, &label, LABEL_SIZE)? as f64;
            let p = px(xs[i]);
            if p - w / 2.0 >= right + 16.0 {
                ticks.push((xs[i], label));
                right = p + w / 2.0;
            }
        }
        let x = XAxis::custom(min, max, ticks, self.path.clone());
        let cv = Canvas { root, w: Writer { per_glyph }, x };
        let horizons: Vec<&str> = self.points.iter().map(|p| p.horizon.as_str()).collect();
        let at = match horizons.first() {
            Some(h) if horizons.iter().all(|x| x == h) => h.to_string(),
            _ => "horizon".to_string(),
        };
        let full = format!("Chips operational at {at}, by {}", self.path);
        let title = if bold_width(root, &full, TITLE_SIZE)? <= WIDTH as i32 - 2 * MARGIN_X {
            full
        } else {
            fit(root, &format!("Sweep of {}", self.path), TITLE_SIZE, WIDTH as i32 - 2 * MARGIN_X)?
        };
        let subtitle = format!(
            "{} \u{00b7} {} runs per value \u{00b7} seed {} \u{00b7} chips operational at {at}",
            self.scenario_name,
            group_thousands(&self.runs.to_string()),
            self.seed
        );
        let source = format!("Source: buildout v{}, scenario file {} with --set", version(), self.scenario_file);
        let legend = vec![
            item(Swatch::Line(CHIPS), "Chips operational (median)"),
            item(Swatch::Fill(CHIPS, 0.16), "P10\u{2013}P90"),
            item(Swatch::Dashed(MUTED), "Chips ordered"),
        ];
        let heading = Heading {
            title: &title,
            subtitle: &subtitle,
            source: &source,
            note: "Line: median of runs; shading: P10\u{2013}P90 across runs",
        };
        let plot = frame_with(&cv, &heading, &legend)?;
        let y = self.points.iter().map(|p| p.operational.2.max(p.operational.1).max(p.ordered)).fold(0.0, f64::max);
        let ya = YAxis::nice(y * 1.08, plot.dim_in_pixel().1, true);
        let mut c = cv.panel(&plot, &ya, "Chips", Unit::Count, true)?;
        let sorted = |f: &dyn Fn(&SweepPoint) -> f64| -> Vec<(f64, f64)> {
            order.iter().map(|&i| (xs[i], f(&self.points[i]))).filter(|(_, v)| v.is_finite()).collect()
        };
        let p10: Vec<f64> = order.iter().map(|&i| self.points[i].operational.0).collect();
        let p90: Vec<f64> = order.iter().map(|&i| self.points[i].operational.2).collect();
        let poly: Vec<(f64, f64)> = band_polygon(&p10, &p90, order.len())
            .into_iter()
            .filter_map(|(k, v)| order.get(k as usize).map(|&i| (xs[i], v)))
            .collect();
        if poly.len() >= 4 {
            c.draw_series(std::iter::once(Polygon::new(poly, CHIPS.mix(0.16).filled()))).map_err(draw_err)?;
        } else {
            // One value: a P10-P90 bar instead of a band.
            for &i in &order {
                let (a, _, b) = self.points[i].operational;
                c.draw_series(std::iter::once(PathElement::new(
                    vec![(xs[i], a), (xs[i], b)],
                    CHIPS.mix(0.35).stroke_width(24),
                )))
                .map_err(draw_err)?;
            }
        }
        let ordered = sorted(&|p| p.ordered);
        c.draw_series(DashedLineSeries::new(ordered, 16, 10, MUTED.stroke_width(3))).map_err(draw_err)?;
        let med = sorted(&|p| p.operational.1);
        c.draw_series(LineSeries::new(med.clone(), CHIPS.stroke_width(LINE_WIDTH))).map_err(draw_err)?;
        for &p in &med {
            c.draw_series(std::iter::once(Circle::new(p, 10, CHIPS.filled()))).map_err(draw_err)?;
            c.draw_series(std::iter::once(Circle::new(p, 5, WHITE.filled()))).map_err(draw_err)?;
        }
        // The median above each marker, left out where it would touch the previous one.
        let mut right = i32::MIN;
        for &(xv, yv) in &med {
            let label = format_compact(yv);
            let w = bold_width(root, &label, LABEL_SIZE)?;
            let (bx, by) = c.backend_coord(&(xv, yv));
            if bx - w / 2 >= right + 12 {
                cv.text(&label, (bx, by - 18), LABEL_SIZE, true, TEXT, (HPos::Center, VPos::Bottom))?;
                right = bx + w / 2;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{grid_columns, outside_runs, shift};

    #[test]
    fn shift_pads_with_nan_on_both_sides() {
        let v = shift(&[1.0, 2.0], 1, 4);
        assert!(v[0].is_nan() && v[3].is_nan());
        assert_eq!(&v[1..3], &[1.0, 2.0]);
        assert_eq!(outside_runs(&v), vec![(0, 0), (3, 3)]);
    }

    #[test]
    fn grid_has_at_most_four_columns() {
        assert_eq!((1..=9).map(grid_columns).collect::<Vec<_>>(), vec![1, 2, 3, 2, 3, 3, 4, 4, 4]);
    }
}
