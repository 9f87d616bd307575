//! Text in charts: the font styles, text widths, cutting text to fit, and the writer that
//! places PNG text glyph by glyph.

use super::super::font::metrics;
use super::super::palette::TEXT;
use super::svg_text::{Run, SvgText};
use super::{draw_err, rgb, ChartError, FAMILY};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;
use std::cell::RefCell;

pub(super) fn text_style(size: f64, color: RGBColor) -> TextStyle<'static> {
    let mut s = TextStyle::from((FAMILY, size).into_font());
    s.color = color.to_backend_color();
    s
}

pub(super) fn bold_style(size: f64, color: RGBColor) -> TextStyle<'static> {
    let mut s = TextStyle::from((FAMILY, size, FontStyle::Bold).into_font());
    s.color = color.to_backend_color();
    s
}

/// Width in pixels of `s` in the chart font (regular or bold) at `size`.
pub(super) fn text_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    bold: bool,
) -> Result<i32, ChartError> {
    let style = if bold { bold_style(size, rgb(TEXT)) } else { text_style(size, rgb(TEXT)) };
    Ok(root.estimate_text_size(s, &style).map_err(draw_err)?.0 as i32)
}

/// `s`, cut with an ellipsis so that it is at most `max_w` pixels wide (in bold).
pub(super) fn fit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    max_w: i32,
) -> Result<String, ChartError> {
    if text_width(root, s, size, true)? <= max_w {
        return Ok(s.to_string());
    }
    let chars: Vec<char> = s.chars().collect();
    for keep in (1..chars.len()).rev() {
        let cut: String = chars[..keep].iter().collect::<String>().trim_end().to_string() + "\u{2026}";
        if text_width(root, &cut, size, true)? <= max_w {
            return Ok(cut);
        }
    }
    Ok("\u{2026}".into())
}

/// Text drawing that is exact in both outputs. PNG: glyph by glyph (with side bearings),
/// because plotters' ab_glyph text path ignores each glyph's left side bearing, which
/// makes letter spacing visibly uneven. SVG: the same glyph places, recorded for
/// [`SvgText`] to draw as outlines of the embedded font.
pub(super) enum Writer {
    Png,
    Svg(RefCell<SvgText>),
}

impl Writer {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn text<DB: DrawingBackend>(
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
        let svg = match self {
            Writer::Png => None,
            Writer::Svg(t) => Some(t),
        };
        let Some(m) = metrics(bold) else {
            if svg.is_some() {
                return Err(unreadable());
            }
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
        // plotters shifts text up by the layout box height (size / 1.24, truncated) or half of it.
        let layout_h = (size / 1.24) as i32;
        let dy = match v {
            VPos::Top => 0,
            VPos::Center => -layout_h / 2,
            VPos::Bottom => -layout_h,
        };
        let (bx, by) = area.get_base_pixel();
        let mut glyphs = Vec::new();
        for (i, c) in s.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            let pen = if i == 0 { 0 } else { width(&s[..i])? };
            let gx = left + pen + m.lsb_px(c, size).floor() as i32;
            if svg.is_some() {
                glyphs.extend(SvgText::place(c, (bx + gx, by + y), dy, size, bold));
            } else {
                area.draw(&Text::new(c.to_string(), (gx, y), gstyle.clone())).map_err(draw_err)?;
            }
        }
        let Some(t) = svg else {
            return Ok(());
        };
        let scale = SvgText::scale(size, bold).ok_or_else(unreadable)?;
        let run = Run { text: s.to_string(), color, scale, glyphs, left_px: bx + left, width_px: w };
        let mark = t.borrow_mut().push(run);
        area.draw(&Text::new(mark, (x, y), style)).map_err(draw_err)
    }
}

fn unreadable() -> ChartError {
    ChartError::Font("the embedded font cannot be read".into())
}
