//! Drawing the layers of a panel: bands, lines, stacks, marks, annotations and the labels
//! placed by measuring the rendered text.

use super::text::bold_style;
use super::*;

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
pub(super) struct PanelState<'f> {
    last_stack: Option<&'f [Area]>,
    off_scale: Vec<String>,
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    pub(super) fn draw_layer<'f>(
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
                    let w = text_width(self.root, label, LABEL_SIZE, true)?;
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
            let tc = if lum < 140.0 { crate::io::chart::palette::WHITE } else { TEXT };
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
