//! The one renderer: draws any chart description ([`Figure`]) into PNG or SVG bytes. The
//! only code in buildout that uses `plotters`.
//!
//! Text is rasterised with the embedded DejaVu Sans, registered as plotters' `sans-serif`,
//! so PNG output does not depend on the fonts installed on the machine; in PNG output each
//! glyph is placed with its side bearing. SVG output keeps text as `<text>` elements in
//! the viewer's `sans-serif` font.

use super::font::{metrics, FAMILY, FONT_BOLD, FONT_REGULAR};
use super::palette::{Paint, Rgb, GRID, MUTED, TEXT};
use super::png::encode_png;
use super::spec::{
    band_polygon, Annotation, Area, Figure, HAnchor, Layer, Layout, LegendItem, Line, Mark, Panel, Points, Swatch,
    Unit, VAnchor, XAxis, YAt, YScale, AXIS_TITLE_SIZE, LABEL_SIZE, LINE_WIDTH, TITLE_SIZE,
};
use super::{ChartError, ChartFormat, HEIGHT, WIDTH};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle};
use std::sync::OnceLock;

const SUBTITLE_SIZE: f64 = 29.0;
const LEGEND_SIZE: f64 = 26.0;
const SOURCE_SIZE: f64 = 25.0;
const MARGIN_X: i32 = 40;
const HEADER_H: i32 = 122;
const PANEL_TOP: u32 = 62;
/// plotters' ab_glyph path draws text about this many pixels high of its box.
const TEXT_NUDGE: i32 = 2;
const SOURCE_H: i32 = 46;
const LEGEND_ROW_H: i32 = 40;
const Y_LABEL_AREA: u32 = 150;
const X_LABEL_AREA: u32 = 76;
const SWATCH_W: i32 = 46;
const SWATCH_GAP: i32 = 12;
const ITEM_GAP: i32 = 40;
/// Plot left and right ends assumed when leaving out crowded x tick labels (the panel
/// margins of a full-width panel).
const PLOT_X0: f64 = 170.0;
const PLOT_X1: f64 = WIDTH as f64 - 56.0;

static FONT_INIT: OnceLock<Result<(), String>> = OnceLock::new();

/// Register the embedded DejaVu Sans (regular and bold) as plotters' `sans-serif`.
/// Called by every render; idempotent.
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

/// Draw `fig` as PNG bytes (WIDTH x HEIGHT RGB, fixed encoder settings) or SVG text bytes.
pub fn render(fig: &Figure, format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    ensure_fonts()?;
    match format {
        ChartFormat::Png => {
            let mut buf = vec![255u8; (WIDTH as usize) * (HEIGHT as usize) * 3];
            {
                let root = BitMapBackend::with_buffer(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
                draw_figure(&root, fig, true)?;
                root.present().map_err(draw_err)?;
            }
            encode_png(&buf, WIDTH, HEIGHT)
        }
        ChartFormat::Svg => {
            let mut s = String::new();
            {
                let root = SVGBackend::with_string(&mut s, (WIDTH, HEIGHT)).into_drawing_area();
                draw_figure(&root, fig, false)?;
                root.present().map_err(draw_err)?;
            }
            Ok(s.into_bytes())
        }
    }
}

fn draw_err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Draw(format!("{e:?}"))
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

fn rgba(p: Paint) -> RGBAColor {
    rgb(p.rgb).mix(p.alpha)
}

fn pos(h: HAnchor, v: VAnchor) -> (HPos, VPos) {
    let h = match h {
        HAnchor::Left => HPos::Left,
        HAnchor::Center => HPos::Center,
        HAnchor::Right => HPos::Right,
    };
    let v = match v {
        VAnchor::Top => VPos::Top,
        VAnchor::Center => VPos::Center,
        VAnchor::Bottom => VPos::Bottom,
    };
    (h, v)
}

fn text_style(size: f64, color: RGBColor) -> TextStyle<'static> {
    let mut s = TextStyle::from((FAMILY, size).into_font());
    s.color = color.to_backend_color();
    s
}

fn bold_style(size: f64, color: RGBColor) -> TextStyle<'static> {
    let mut s = TextStyle::from((FAMILY, size, FontStyle::Bold).into_font());
    s.color = color.to_backend_color();
    s
}

/// Width in pixels of `s` in the chart font at `size`.
fn text_width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str, size: f64) -> Result<i32, ChartError> {
    Ok(root.estimate_text_size(s, &text_style(size, rgb(TEXT))).map_err(draw_err)?.0 as i32)
}

/// Width in pixels of `s` in the bold chart font at `size`.
fn bold_width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str, size: f64) -> Result<i32, ChartError> {
    Ok(root.estimate_text_size(s, &bold_style(size, rgb(TEXT))).map_err(draw_err)?.0 as i32)
}

/// `s`, cut with an ellipsis so that it is at most `max_w` pixels wide (in bold).
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

/// Text drawing that is exact in both outputs: whole strings in SVG, glyph by glyph
/// (with side bearings) in PNG, because plotters' ab_glyph text path ignores each
/// glyph's left side bearing, which makes letter spacing visibly uneven.
#[derive(Clone, Copy)]
struct Writer {
    per_glyph: bool,
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

/// Linear coordinate whose grid lines sit exactly at the given ticks.
struct TickCoord {
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

type Ctx<'a, DB> = ChartContext<'a, DB, Cartesian2d<TickCoord, TickCoord>>;

/// A y axis resolved for a panel: upper end and tick positions.
struct YTicks {
    max: f64,
    ticks: Vec<f64>,
}

impl YTicks {
    /// "Nice" ticks (1, 2, 2.5, 5 x 10^k) from 0 to just above `data_max`: the smallest
    /// step that keeps intervals at least 45 px apart in a panel `px_height` tall (2 to 8
    /// intervals).
    fn nice(data_max: f64, px_height: u32, show_x: bool) -> Self {
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
        YTicks { max: step * k as f64, ticks: (0..=k).map(|i| step * i as f64).collect() }
    }

    fn share() -> Self {
        YTicks { max: 1.0, ticks: vec![0.0, 0.25, 0.5, 0.75, 1.0] }
    }
}

/// Everything a chart draws onto: the whole canvas, the text writer and the x axis.
struct Canvas<'r, DB: DrawingBackend> {
    root: &'r DrawingArea<DB, Shift>,
    w: Writer,
    x: XAxis,
}

fn draw_figure<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fig: &Figure,
    per_glyph: bool,
) -> Result<(), ChartError> {
    let cv = Canvas { root, w: Writer { per_glyph }, x: uncrowded(root, &fig.x)? };
    let plot = cv.frame(fig)?;
    let areas = match fig.layout {
        Layout::Single => vec![plot],
        Layout::Split { top_percent } => {
            let (a, b) = plot.split_vertically(plot.dim_in_pixel().1 * top_percent / 100);
            vec![a, b]
        }
        Layout::Grid { rows, cols } => plot.split_evenly((rows, cols)),
    };
    for (panel, area) in fig.panels.iter().zip(areas.iter()) {
        cv.draw_panel(area, panel)?;
    }
    Ok(())
}

/// The x axis with tick labels that would touch the previous one left out (when asked).
fn uncrowded<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, x: &XAxis) -> Result<XAxis, ChartError> {
    let Some(gap) = x.min_label_gap else {
        return Ok(x.clone());
    };
    let px = |v: f64| PLOT_X0 + (v - x.min) / (x.max - x.min) * (PLOT_X1 - PLOT_X0);
    let mut ticks = Vec::new();
    let mut right = f64::NEG_INFINITY;
    for (at, label) in &x.ticks {
        let w = text_width(root, label, LABEL_SIZE)? as f64;
        let p = px(*at);
        if p - w / 2.0 >= right + gap {
            ticks.push((*at, label.clone()));
            right = p + w / 2.0;
        }
    }
    Ok(XAxis { ticks, ..x.clone() })
}

/// Points (month, value) of a series, finite values only, at most `n` months.
/// A single month is drawn as a flat segment across the x range.
fn points(v: &[f64], n: usize) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> =
        v.iter().take(n).enumerate().filter(|(_, y)| y.is_finite()).map(|(i, y)| (i as f64, *y)).collect();
    if n == 1 {
        if let Some(&(_, y)) = pts.first() {
            pts.push((1.0, y));
        }
    }
    pts
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

/// What a panel remembers while its layers are drawn.
#[derive(Default)]
struct PanelState<'f> {
    last_stack: Option<&'f [Area]>,
    off_scale: Vec<String>,
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    /// Text at absolute canvas coordinates.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &self,
        s: &str,
        pos: (i32, i32),
        size: f64,
        bold: bool,
        color: Rgb,
        anchor: (HPos, VPos),
    ) -> Result<(), ChartError> {
        self.w.text(self.root, s, pos, size, bold, rgb(color), anchor)
    }

    /// Draw the title, subtitle, legend (rows below the plot) and the source line with
    /// the reading note; return the plot area.
    fn frame(&self, fig: &Figure) -> Result<DrawingArea<DB, Shift>, ChartError> {
        let root = self.root;
        let full_w = WIDTH as i32 - 2 * MARGIN_X;
        let title = match &fig.title.fallback {
            Some(short) if bold_width(root, &fig.title.text, TITLE_SIZE)? > full_w => {
                fit(root, short, TITLE_SIZE, full_w)?
            }
            _ => fig.title.text.clone(),
        };
        let source = match &fig.source.short {
            Some(short) => {
                let room = full_w - text_width(root, &fig.note, LABEL_SIZE)? - 40;
                if text_width(root, &fig.source.text, LABEL_SIZE)? > room {
                    short
                } else {
                    &fig.source.text
                }
            }
            None => &fig.source.text,
        };
        root.fill(&WHITE).map_err(draw_err)?;
        let top_left = (HPos::Left, VPos::Top);
        self.text(&title, (MARGIN_X, 24), TITLE_SIZE, true, TEXT, top_left)?;
        self.text(&fig.subtitle, (MARGIN_X, 82), SUBTITLE_SIZE, false, MUTED, top_left)?;

        let (pos, rows) = legend_layout(root, &fig.legend)?;
        let h = HEIGHT as i32;
        let legend_top = h - SOURCE_H - rows * LEGEND_ROW_H - 8;
        for (it, &(row, x)) in fig.legend.iter().zip(pos.iter()) {
            let cy = legend_top + row * LEGEND_ROW_H + LEGEND_ROW_H / 2;
            let x = MARGIN_X + x;
            draw_swatch(root, it.swatch, x, cy)?;
            let at = (x + SWATCH_W + SWATCH_GAP, cy + TEXT_NUDGE);
            self.text(&it.label, at, LEGEND_SIZE, false, TEXT, (HPos::Left, VPos::Center))?;
        }

        let bottom_left = (HPos::Left, VPos::Bottom);
        self.text(source, (MARGIN_X, h - 12), SOURCE_SIZE, false, MUTED, bottom_left)?;
        let note_at = (WIDTH as i32 - MARGIN_X, h - 12);
        self.text(&fig.note, note_at, SOURCE_SIZE, false, MUTED, (HPos::Right, VPos::Bottom))?;

        let bottom = legend_top - 4;
        Ok(root.margin(HEADER_H as u32, (h - bottom).max(0) as u32, 0, 0))
    }

    /// One plot panel on `area` with the shared x axis; tick labels and the y-axis title
    /// (above the axis, horizontal) are drawn by [`Writer`].
    fn axes<'a>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        y: &YTicks,
        y_title: &str,
        unit: Unit,
        show_x: bool,
    ) -> Result<Ctx<'a, DB>, ChartError> {
        let x_range =
            TickCoord { inner: (self.x.min..self.x.max).into(), ticks: self.x.ticks.iter().map(|t| t.0).collect() };
        let y_range = TickCoord { inner: (0f64..y.max).into(), ticks: y.ticks.clone() };
        let mut chart = ChartBuilder::on(area)
            .margin_top(PANEL_TOP)
            .margin_right(56)
            .margin_left(MARGIN_X as u32 - 20)
            .x_label_area_size(if show_x { X_LABEL_AREA } else { 0 })
            .y_label_area_size(Y_LABEL_AREA)
            .build_cartesian_2d(x_range, y_range)
            .map_err(draw_err)?;
        let mut hidden = text_style(LABEL_SIZE, rgb(TEXT));
        hidden.color = TRANSPARENT.to_backend_color();
        chart
            .configure_mesh()
            .label_style(hidden)
            .max_light_lines(0)
            .bold_line_style(rgb(GRID).stroke_width(1))
            .axis_style(rgb(MUTED).stroke_width(2))
            .set_all_tick_mark_size(8)
            .draw()
            .map_err(draw_err)?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        for &t in &y.ticks {
            let (_, py) = chart.backend_coord(&(self.x.min, t));
            let at = (xr.start - 16, py + TEXT_NUDGE);
            self.text(&unit.fmt(t), at, LABEL_SIZE, false, TEXT, (HPos::Right, VPos::Center))?;
        }
        if show_x {
            for (t, label) in &self.x.ticks {
                let (px, _) = chart.backend_coord(&(*t, 0.0));
                self.text(label, (px, yr.end + 14), LABEL_SIZE, false, TEXT, (HPos::Center, VPos::Top))?;
            }
            let at = ((xr.start + xr.end) / 2, yr.end + 50);
            self.text(&self.x.title, at, LABEL_SIZE, false, MUTED, (HPos::Center, VPos::Top))?;
        }
        if !y_title.is_empty() {
            let x0 = area.get_base_pixel().0 + MARGIN_X;
            self.text(y_title, (x0, yr.start - 24), AXIS_TITLE_SIZE, false, TEXT, (HPos::Left, VPos::Bottom))?;
        }
        Ok(chart)
    }

    fn draw_panel(&self, area: &DrawingArea<DB, Shift>, panel: &Panel) -> Result<(), ChartError> {
        let ya = match panel.y.scale {
            YScale::Nice(max) => YTicks::nice(max, area.dim_in_pixel().1, panel.show_x),
            YScale::Share => YTicks::share(),
        };
        let mut c = self.axes(area, &ya, &panel.y.title, panel.y.unit, panel.show_x)?;
        let mut state = PanelState::default();
        for layer in &panel.layers {
            self.draw_layer(&mut c, &ya, layer, &mut state)?;
        }
        if let Some(heading) = &panel.heading {
            let (xr, yr) = c.plotting_area().get_pixel_range();
            let left = area.get_base_pixel().0 + MARGIN_X;
            let title = fit(self.root, heading, AXIS_TITLE_SIZE, xr.end - left)?;
            self.text(&title, (left, yr.start - 24), AXIS_TITLE_SIZE, true, TEXT, (HPos::Left, VPos::Bottom))?;
        }
        Ok(())
    }

    fn draw_layer<'f>(
        &self,
        c: &mut Ctx<'_, DB>,
        ya: &YTicks,
        layer: &'f Layer,
        state: &mut PanelState<'f>,
    ) -> Result<(), ChartError> {
        let n = self.x.months;
        match layer {
            Layer::Shade { x0, x1, paint } => {
                let rect = Rectangle::new([(*x0, 0.0), (*x1, ya.max)], rgba(*paint).filled());
                c.draw_series(std::iter::once(rect)).map_err(draw_err)?;
            }
            Layer::Band { lo, hi, paint } => fill_polygon(c, band_polygon(lo, hi, n), *paint)?,
            Layer::Polygon { points, paint } => {
                c.draw_series(std::iter::once(Polygon::new(points.clone(), rgba(*paint).filled())))
                    .map_err(draw_err)?;
            }
            Layer::Line(line) => self.draw_line(c, ya, line, state)?,
            Layer::Path { points, paint, width } => {
                let path = PathElement::new(points.clone(), rgba(*paint).stroke_width(*width));
                c.draw_series(std::iter::once(path)).map_err(draw_err)?;
            }
            Layer::Stack(areas) => {
                for a in areas {
                    fill_polygon(c, band_polygon(&a.lo, &a.hi, n), a.color.solid())?;
                }
                state.last_stack = Some(areas);
            }
            Layer::AreaLabels => {
                if let Some(areas) = state.last_stack {
                    self.label_areas(c, areas)?;
                }
            }
            Layer::Marks { at, marks } => draw_marks(c, at, marks)?,
            Layer::Text(a) => self.annotate(c, ya, a)?,
            Layer::PointLabels { at, lift, min_gap } => {
                let mut right = i32::MIN;
                for ((xv, yv), label) in at {
                    let w = bold_width(self.root, label, LABEL_SIZE)?;
                    let (bx, by) = c.backend_coord(&(*xv, *yv));
                    if bx - w / 2 >= right + min_gap {
                        let anchor = (HPos::Center, VPos::Bottom);
                        self.text(label, (bx, by - lift), LABEL_SIZE, true, TEXT, anchor)?;
                        right = bx + w / 2;
                    }
                }
            }
            Layer::OffScaleNote(prefix) => {
                if !state.off_scale.is_empty() {
                    let (xr, yr) = c.plotting_area().get_pixel_range();
                    let room = xr.end - xr.start - 160;
                    let note =
                        fit(self.root, &format!("{prefix}{}", state.off_scale.join("; ")), AXIS_TITLE_SIZE, room)?;
                    let anchor = (HPos::Right, VPos::Bottom);
                    self.text(&note, (xr.end, yr.start - 24), AXIS_TITLE_SIZE, false, MUTED, anchor)?;
                }
            }
        }
        Ok(())
    }

    fn draw_line(
        &self,
        c: &mut Ctx<'_, DB>,
        ya: &YTicks,
        line: &Line,
        state: &mut PanelState<'_>,
    ) -> Result<(), ChartError> {
        let style = rgb(line.color).stroke_width(line.width);
        let pts = match &line.points {
            Points::Xy(pts) => pts.clone(),
            Points::Monthly(v) => {
                if let Some(name) = line.off_scale.as_ref().filter(|_| max_finite(v) > ya.max) {
                    state.off_scale.push(name.clone());
                    for seg in segments(v, ya.max) {
                        draw_path(c, seg, line.dashed, style)?;
                    }
                    return Ok(());
                }
                let pts = points(v, self.x.months);
                if pts.is_empty() {
                    return Ok(());
                }
                pts
            }
        };
        draw_path(c, pts, line.dashed, style)
    }

    fn annotate(&self, c: &Ctx<'_, DB>, ya: &YTicks, a: &Annotation) -> Result<(), ChartError> {
        let y = match a.y {
            YAt::Value(y) => y,
            YAt::Top => ya.max,
        };
        let (px, py) = c.backend_coord(&(a.x, y));
        let at = (px + a.offset.0, py + a.offset.1);
        self.text(&a.text, at, a.size, a.bold, a.color, pos(a.anchor.0, a.anchor.1))
    }

    /// Label each stacked area inside itself where it is thick enough.
    fn label_areas(&self, c: &Ctx<'_, DB>, areas: &[Area]) -> Result<(), ChartError> {
        let (n, xmax) = (self.x.months, self.x.max);
        for a in areas {
            let (lo, hi) = (&a.lo, &a.hi);
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
            let style = bold_style(LABEL_SIZE, rgb(TEXT));
            let half = c.plotting_area().estimate_text_size(&a.label, &style).map_err(draw_err)?.0 as f64 / 2.0 + 10.0;
            let margin = (half / (xr.end - xr.start).max(1) as f64 * xmax).min(xmax / 2.0);
            let xi = (i as f64).clamp(xmax * 0.12, xmax * 0.88).clamp(margin, xmax - margin);
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
            let col = a.color;
            let lum = 0.299 * col.0 as f64 + 0.587 * col.1 as f64 + 0.114 * col.2 as f64;
            let tc = if lum < 140.0 { super::palette::WHITE } else { TEXT };
            self.text(&a.label, (px, py + TEXT_NUDGE), LABEL_SIZE, true, tc, (HPos::Center, VPos::Center))?;
        }
        Ok(())
    }
}

fn max_finite(v: &[f64]) -> f64 {
    v.iter().copied().filter(|x| x.is_finite()).fold(0.0, f64::max)
}

fn fill_polygon<DB: DrawingBackend>(
    c: &mut Ctx<'_, DB>,
    poly: Vec<(f64, f64)>,
    paint: Paint,
) -> Result<(), ChartError> {
    if poly.is_empty() {
        return Ok(());
    }
    c.draw_series(std::iter::once(Polygon::new(poly, rgba(paint).filled()))).map_err(draw_err)?;
    Ok(())
}

fn draw_path<DB: DrawingBackend>(
    c: &mut Ctx<'_, DB>,
    pts: Vec<(f64, f64)>,
    dashed: bool,
    style: ShapeStyle,
) -> Result<(), ChartError> {
    if dashed {
        c.draw_series(DashedLineSeries::new(pts, 16, 10, style)).map_err(draw_err)?;
    } else {
        c.draw_series(LineSeries::new(pts, style)).map_err(draw_err)?;
    }
    Ok(())
}

fn draw_marks<DB: DrawingBackend>(c: &mut Ctx<'_, DB>, at: &[(f64, f64)], marks: &[Mark]) -> Result<(), ChartError> {
    for &p in at {
        for m in marks {
            let style = match m.ring {
                Some(w) => rgba(m.paint).stroke_width(w),
                None => rgba(m.paint).filled(),
            };
            c.draw_series(std::iter::once(Circle::new(p, m.radius, style))).map_err(draw_err)?;
        }
    }
    Ok(())
}

/// Lay out legend items in rows; returns (row, x offset) per item and the row count.
fn legend_layout<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
) -> Result<(Vec<(i32, i32)>, i32), ChartError> {
    let style = text_style(LEGEND_SIZE, rgb(TEXT));
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
    use super::palette::{BAND_INNER_ALPHA, BAND_OUTER_ALPHA};
    let (x0, x1) = (x, x + SWATCH_W);
    let line = |c: Rgb, a: i32, b: i32| {
        root.draw(&PathElement::new(vec![(a, cy), (b, cy)], rgb(c).stroke_width(LINE_WIDTH))).map_err(draw_err)
    };
    let fill = |c: Rgb, a: f64| {
        root.draw(&Rectangle::new([(x0, cy - 12), (x1, cy + 12)], rgb(c).mix(a).filled())).map_err(draw_err)
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
            root.draw(&Circle::new((cx, cy), 10, rgb(c).stroke_width(4))).map_err(draw_err)?;
        }
    }
    Ok(())
}
