//! The legend: items laid out in rows, each with its swatch.

use super::*;

/// Lay out legend items in rows; returns (row, x offset) per item and the row count.
pub(super) fn legend_layout<DB: DrawingBackend>(
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

pub(super) fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    x: i32,
    cy: i32,
) -> Result<(), ChartError> {
    use crate::io::chart::palette::{BAND_INNER_ALPHA, BAND_OUTER_ALPHA};
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
