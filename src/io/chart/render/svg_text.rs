//! SVG text as glyph outlines of the embedded font, so an SVG looks the same in every
//! viewer and editor and matches the PNG glyph for glyph (D55).
//!
//! While plotters draws the SVG, every text becomes a numbered placeholder `<text>` (so it
//! keeps its place in the drawing order) and [`SvgText`] records where each glyph goes:
//! the very pixel offsets plotters' ab_glyph path uses for the PNG (the glyph's pixel box
//! at the pen position, the anchor's shift by the layout box, ab_glyph's own rounding).
//! [`SvgText::finish`] then swaps each placeholder for
//! - a `<g>` of `<use>`s of the glyph outlines, kept once per SVG in `<defs>` in font
//!   units, scaled and placed per glyph, and
//! - an unpainted `<text>` copy (`fill="none"`, stretched to the drawn width) so the words
//!   stay searchable, selectable and readable by assistive technology; it names no font,
//!   as it is never seen.
//!
//! Glyph ids carry a prefix hashed from the chart's text, so SVGs inlined side by side in
//! one page do not share ids (two prefixes could only collide on charts with the same text;
//! the ids would then name the same outlines).

use super::super::font::face;
use super::ChartError;
use ab_glyph::{Font, OutlineCurve, Point, ScaleFont};
use plotters::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Marks a placeholder text: a private-use character no chart text starts with.
const MARK: char = '\u{E000}';

/// One glyph drawn: its outline (font, glyph id) and where the outline's origin lands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct GlyphUse {
    pub(super) bold: bool,
    pub(super) id: u16,
    /// Canvas position of the glyph origin (on the baseline), in pixels.
    pub(super) x_px: f32,
    pub(super) y_px: f32,
}

/// One text as drawn: its glyphs, their scale and what the copy for searching needs.
#[derive(Clone, Debug)]
pub(super) struct Run {
    pub(super) text: String,
    pub(super) color: RGBColor,
    /// Pixels per font unit.
    pub(super) scale: f32,
    pub(super) glyphs: Vec<GlyphUse>,
    pub(super) left_px: i32,
    pub(super) width_px: i32,
}

/// The texts of one SVG being drawn, in drawing order.
#[derive(Default)]
pub(super) struct SvgText {
    pub(super) runs: Vec<Run>,
}

/// The outline of glyph `id` in the regular or bold font as SVG path data, in font units
/// with y pointing down; empty for a glyph without an outline (a space).
pub(super) fn outline_path(bold: bool, id: u16) -> Result<String, ChartError> {
    let f = face(bold).ok_or_else(|| ChartError::Font("the embedded font cannot be read".into()))?;
    let Some(outline) = f.outline(ab_glyph::GlyphId(id)) else {
        return Ok(String::new());
    };
    let mut d = String::new();
    let mut at: Option<Point> = None;
    let pt = |d: &mut String, cmd: char, p: Point| {
        let _ = write!(d, "{cmd}{} {}", num(p.x), num(-p.y));
    };
    let mut contour_start: Option<Point> = None;
    for (k, c) in outline.curves.iter().enumerate() {
        let (start, end) = match *c {
            OutlineCurve::Line(a, b) | OutlineCurve::Quad(a, _, b) | OutlineCurve::Cubic(a, _, _, b) => (a, b),
        };
        if at != Some(start) {
            if at.is_some() {
                d.push('Z');
            }
            pt(&mut d, 'M', start);
            contour_start = Some(start);
        }
        // A line back to the contour's start is what `Z` draws anyway.
        let next_starts_anew = outline.curves.get(k + 1).is_none_or(|n| curve_start(n) != end);
        match *c {
            OutlineCurve::Line(_, b) if next_starts_anew && contour_start == Some(b) => {}
            OutlineCurve::Line(_, b) => pt(&mut d, 'L', b),
            OutlineCurve::Quad(_, c1, b) => {
                pt(&mut d, 'Q', c1);
                pt(&mut d, ' ', b);
            }
            OutlineCurve::Cubic(_, c1, c2, b) => {
                pt(&mut d, 'C', c1);
                pt(&mut d, ' ', c2);
                pt(&mut d, ' ', b);
            }
        }
        at = Some(end);
    }
    if at.is_some() {
        d.push('Z');
    }
    Ok(d.replace(" -", "-"))
}

fn curve_start(c: &OutlineCurve) -> Point {
    match *c {
        OutlineCurve::Line(a, _) | OutlineCurve::Quad(a, _, _) | OutlineCurve::Cubic(a, _, _, _) => a,
    }
}

/// A number in SVG: at most two decimals, no trailing zeros, no `-0`.
fn num(v: f32) -> String {
    let r = (v as f64 * 100.0).round() / 100.0;
    let s = format!("{r}");
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// An f32 scale in full (shortest round-trip form), without the leading zero.
fn scale_text(s: f32) -> String {
    let t = format!("{s}");
    t.strip_prefix("0.").map_or(t.clone(), |rest| format!(".{rest}"))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

impl SvgText {
    /// Place the glyph of `c` as plotters' ab_glyph path would draw the one-character text
    /// `c` at `(x, y)` (left-anchored, `dy` from the vertical anchor): its pixel box's
    /// top-left at `(x, y + dy + size/2 + box top)`, both truncated like plotters.
    pub(super) fn place(c: char, (x, y): (i32, i32), dy: i32, size: f64, bold: bool) -> Option<GlyphUse> {
        let f = face(bold)?.as_scaled(size as f32);
        let glyph = f.scaled_glyph(c);
        let id = glyph.id.0;
        let og = f.outline_glyph(glyph)?;
        let r = og.px_bounds();
        let y_shift = ((size as f32) / 2.0 + r.min.y) as i32;
        Some(GlyphUse { bold, id, x_px: x as f32 - r.min.x, y_px: (y + dy + y_shift) as f32 - r.min.y })
    }

    /// Pixels per font unit at plotters font size `size` (ab_glyph's scale: `size` pixels
    /// from descender to ascender).
    pub(super) fn scale(size: f64, bold: bool) -> Option<f32> {
        Some(face(bold)?.as_scaled(size as f32).scale_factor().horizontal)
    }

    /// Record a text; returns the placeholder to draw in its place.
    pub(super) fn push(&mut self, run: Run) -> String {
        self.runs.push(run);
        format!("{MARK}{}", self.runs.len() - 1)
    }

    /// A short prefix for this SVG's glyph ids, hashed (FNV-1a) from its texts and places.
    fn prefix(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for r in &self.runs {
            for b in r.text.bytes().chain(r.left_px.to_le_bytes()) {
                h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("g{:06x}", (h ^ (h >> 32)) as u32 & 0xff_ffff)
    }

    /// The SVG `svg` (as plotters wrote it, with placeholders) with its texts as outlines.
    pub(super) fn finish(&self, svg: &str) -> Result<String, ChartError> {
        let pre = self.prefix();
        let mut used: BTreeMap<(bool, u16), ()> = BTreeMap::new();
        let mut body = String::with_capacity(svg.len() * 3);
        let mut lines = svg.lines();
        let mut first = true;
        while let Some(line) = lines.next() {
            if first {
                first = false;
                let root = line.replacen(
                    " xmlns=\"http://www.w3.org/2000/svg\"",
                    " xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"",
                    1,
                );
                body.push_str(&root);
                body.push('\n');
                body.push_str("\u{1}DEFS\n");
                continue;
            }
            if !line.starts_with("<text ") {
                body.push_str(line);
                body.push('\n');
                continue;
            }
            let run = lines
                .next()
                .and_then(|m| m.strip_prefix(MARK))
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| self.runs.get(i))
                .ok_or_else(|| ChartError::Draw("a chart text was drawn outside the text writer".into()))?;
            if lines.next() != Some("</text>") {
                return Err(ChartError::Draw("unexpected SVG text element".into()));
            }
            self.write_run(&mut body, &pre, run, &mut used);
        }
        let mut defs = String::from("<defs>\n");
        for &(bold, id) in used.keys() {
            let d = outline_path(bold, id)?;
            let _ = writeln!(defs, "<path id=\"{pre}{}{id}\" d=\"{d}\"/>", if bold { 'b' } else { 'r' });
        }
        defs.push_str("</defs>");
        Ok(body.replacen("\u{1}DEFS", &defs, 1))
    }

    /// The glyphs of `run` (origin at its left end on the first glyph's baseline, in font
    /// units, `y` only where a glyph sits off that baseline) and its unpainted copy.
    fn write_run(&self, out: &mut String, pre: &str, run: &Run, used: &mut BTreeMap<(bool, u16), ()>) {
        let RGBColor(r, g, b) = run.color;
        let k = 1.0 / run.scale;
        let baseline = run.glyphs.first().map_or(0.0, |u| u.y_px);
        let s = scale_text(run.scale);
        let _ = write!(
            out,
            "<g fill=\"#{r:02X}{g:02X}{b:02X}\" transform=\"matrix({s} 0 0 {s} {} {})\" aria-hidden=\"true\">",
            run.left_px,
            num(baseline)
        );
        for u in &run.glyphs {
            used.insert((u.bold, u.id), ());
            let font = if u.bold { 'b' } else { 'r' };
            let _ = write!(
                out,
                "<use xlink:href=\"#{pre}{font}{}\" x=\"{}\"",
                u.id,
                num1((u.x_px - run.left_px as f32) * k)
            );
            if u.y_px != baseline {
                let _ = write!(out, " y=\"{}\"", num1((u.y_px - baseline) * k));
            }
            out.push_str("/>");
        }
        out.push_str("</g>\n");
        // font-size in CSS pixels: ab_glyph's scale counts descender to ascender, CSS the em.
        let em = face(false).and_then(|f| f.units_per_em()).unwrap_or(2048.0);
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\" fill=\"none\">\n{}\n</text>\n",
            run.left_px,
            num(baseline),
            num(run.scale * em),
            run.width_px.max(1),
            escape(&run.text)
        );
    }
}

/// A number in font units: one decimal (a hundredth of a pixel or less at chart sizes).
fn num1(v: f32) -> String {
    let r = (v as f64 * 10.0).round() / 10.0;
    let s = format!("{r}");
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::Writer;
    use super::super::{ensure_fonts, LABEL_SIZE, TITLE_SIZE};
    use super::*;
    use plotters::style::text_anchor::{HPos, VPos};
    use std::cell::RefCell;

    const W: u32 = 1600;
    const H: u32 = 120;

    /// Ink box (x0, y0, x1, y1; pixel edges) of `s` drawn into a PNG buffer, and the box of
    /// its SVG glyph outlines (outline bounds, scaled and placed as recorded).
    fn boxes(s: &str, size: f64, bold: bool, anchor: (HPos, VPos)) -> ([f64; 4], [f64; 4], Run) {
        ensure_fonts().expect("fonts");
        let at = (700, 60);
        let mut buf = vec![255u8; (W * H * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (W, H)).into_drawing_area();
            Writer::Png.text(&root, s, at, size, bold, RGBColor(0, 0, 0), anchor).expect("png text");
            root.present().expect("present");
        }
        let mut png = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for (i, px) in buf.chunks(3).enumerate() {
            if px.iter().any(|&c| c < 250) {
                let (x, y) = ((i as u32 % W) as f64, (i as u32 / W) as f64);
                png = [png[0].min(x), png[1].min(y), png[2].max(x + 1.0), png[3].max(y + 1.0)];
            }
        }
        let w = Writer::Svg(RefCell::default());
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
            w.text(&root, s, at, size, bold, RGBColor(0, 0, 0), anchor).expect("svg text");
            root.present().expect("present");
        }
        let Writer::Svg(t) = w else { unreachable!() };
        let run = t.into_inner().runs.remove(0);
        let mut out = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for u in &run.glyphs {
            let o = face(u.bold).and_then(|f| f.outline(ab_glyph::GlyphId(u.id))).expect("an outline");
            let k = run.scale as f64;
            let (x0, x1) = (u.x_px as f64 + o.bounds.min.x as f64 * k, u.x_px as f64 + o.bounds.max.x as f64 * k);
            // ab_glyph keeps the top of the box (highest y, y up) in `min.y`.
            let (top, bottom) = (o.bounds.min.y.max(o.bounds.max.y), o.bounds.min.y.min(o.bounds.max.y));
            let (y0, y1) = (u.y_px as f64 - top as f64 * k, u.y_px as f64 - bottom as f64 * k);
            out = [out[0].min(x0), out[1].min(y0), out[2].max(x1), out[3].max(y1)];
        }
        (png, out, run)
    }

    #[test]
    fn a_label_as_outlines_covers_the_png_ink_within_a_pixel() {
        let cases = [
            ("Chips operational", LABEL_SIZE, false, (HPos::Left, VPos::Center)),
            ("Target 260k", LABEL_SIZE, true, (HPos::Center, VPos::Top)),
            ("Chips operational and compute capacity", TITLE_SIZE, true, (HPos::Left, VPos::Top)),
            ("Lines: median of runs; shading: P10\u{2013}P90", 25.0, false, (HPos::Right, VPos::Bottom)),
        ];
        for (s, size, bold, anchor) in cases {
            let (png, svg, run) = boxes(s, size, bold, anchor);
            for k in 0..4 {
                assert!((png[k] - svg[k]).abs() <= 1.0, "{s:?} edge {k}: PNG ink {png:?}, SVG outlines {svg:?}");
            }
            assert_eq!(run.glyphs.len(), s.chars().filter(|c| !c.is_whitespace()).count(), "{s:?}");
            for u in &run.glyphs {
                let d = outline_path(u.bold, u.id).expect("font");
                assert!(d.starts_with('M') && d.ends_with('Z') && d.len() > 10, "{s:?}: glyph {} path {d:?}", u.id);
            }
        }
    }

    #[test]
    fn the_same_label_gives_the_same_svg_bytes_on_other_threads() {
        let one = || boxes("Month 2027", LABEL_SIZE, false, (HPos::Center, VPos::Top)).2;
        let here = format!("{:?}", one());
        let there = std::thread::spawn(move || format!("{:?}", one())).join().expect("thread");
        assert_eq!(here, there);
    }
}
