//! The one renderer: draws any chart description ([`Figure`]) into PNG or SVG bytes. The
//! only code in buildout that uses `plotters`.
//!
//! Text is drawn with the embedded DejaVu Sans, registered as plotters' `sans-serif`, so
//! no output depends on the fonts installed on the machine or the viewer's: each glyph is
//! placed with its side bearing; PNG output rasterises it, SVG output draws its outline
//! at the same place ([`svg_text`], D55).

use super::font::{FAMILY, FONT_BOLD, FONT_REGULAR};
use super::palette::{Paint, Rgb, GRID, MUTED, TEXT};
use super::png::encode_png;
use super::spec::{
    band_polygon, Annotation, Area, Figure, HAnchor, Layer, Layout, LegendItem, Line, Mark, Panel, Points, Swatch,
    Unit, VAnchor, XAxis, YAt, YScale, AXIS_TITLE_SIZE, LABEL_SIZE, LINE_WIDTH, TITLE_SIZE,
};
use super::{ChartError, ChartFormat, HEIGHT, WIDTH};
use layers::PanelState;
use legend::{draw_swatch, legend_layout};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{register_font, FontStyle};
use std::cell::RefCell;
use std::sync::OnceLock;
use text::{fit, text_style, text_width, Writer};

mod layers;
mod legend;
mod svg_text;
mod text;

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
                draw_figure(&root, fig, &Writer::Png)?;
                root.present().map_err(draw_err)?;
            }
            encode_png(&buf, WIDTH, HEIGHT)
        }
        ChartFormat::Svg => {
            let mut s = String::new();
            let w = Writer::Svg(RefCell::default());
            {
                let root = SVGBackend::with_string(&mut s, (WIDTH, HEIGHT)).into_drawing_area();
                draw_figure(&root, fig, &w)?;
                root.present().map_err(draw_err)?;
            }
            let Writer::Svg(t) = w else {
                return Err(ChartError::Draw("the SVG text writer went missing".into()));
            };
            Ok(t.into_inner().finish(&s)?.into_bytes())
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
    w: &'r Writer,
    x: XAxis,
}

fn draw_figure<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, fig: &Figure, w: &Writer) -> Result<(), ChartError> {
    let cv = Canvas { root, w, x: uncrowded(root, &fig.x)? };
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
        let w = text_width(root, label, LABEL_SIZE, false)? as f64;
        let p = px(*at);
        if p - w / 2.0 >= right + gap {
            ticks.push((*at, label.clone()));
            right = p + w / 2.0;
        }
    }
    Ok(XAxis { ticks, ..x.clone() })
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
            Some(short) if text_width(root, &fig.title.text, TITLE_SIZE, true)? > full_w => {
                fit(root, short, TITLE_SIZE, full_w)?
            }
            _ => fig.title.text.clone(),
        };
        let source = match &fig.source.short {
            Some(short) => {
                let room = full_w - text_width(root, &fig.note, LABEL_SIZE, false)? - 40;
                if text_width(root, &fig.source.text, LABEL_SIZE, false)? > room {
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
            YScale::Rows(rows) => YTicks { max: rows.max(1.0), ticks: Vec::new() },
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
}
