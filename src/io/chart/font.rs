//! The embedded DejaVu Sans fonts (regular and bold), parsed once for glyph outlines (SVG
//! text is drawn as those outlines), and a minimal TrueType metrics reader (cmap format 4,
//! hhea, hmtx) for the left side bearing of each glyph.

use ab_glyph::FontRef;
use std::sync::OnceLock;

/// DejaVu Sans, regular, embedded so that PNG output does not depend on system fonts.
pub(super) static FONT_REGULAR: &[u8] = include_bytes!("../../../assets/DejaVuSans.ttf");
/// DejaVu Sans, bold.
pub(super) static FONT_BOLD: &[u8] = include_bytes!("../../../assets/DejaVuSans-Bold.ttf");
/// The family name the fonts are registered under in plotters (SVG output names no font:
/// its text is drawn as glyph outlines).
pub(super) const FAMILY: &str = "sans-serif";

/// Minimal TrueType metrics reader (cmap format 4 + hhea + hmtx), used to place
/// glyphs one by one in PNG output: plotters' ab_glyph text path ignores each
/// glyph's left side bearing, which makes letter spacing visibly uneven.
pub(super) struct FontMetrics {
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
    pub(super) fn lsb_px(&self, c: char, size: f64) -> f64 {
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

/// Metrics of the regular or bold font; `None` if the embedded font cannot be read.
pub(super) fn metrics(bold: bool) -> Option<&'static FontMetrics> {
    let m = METRICS.get_or_init(|| [FontMetrics::parse(FONT_REGULAR), FontMetrics::parse(FONT_BOLD)]);
    m[usize::from(bold)].as_ref()
}

static FACES: OnceLock<[Option<FontRef<'static>>; 2]> = OnceLock::new();

/// The regular or bold font for glyph outlines; `None` if the embedded font cannot be read.
pub(super) fn face(bold: bool) -> Option<&'static FontRef<'static>> {
    let f = FACES.get_or_init(|| [FontRef::try_from_slice(FONT_REGULAR).ok(), FontRef::try_from_slice(FONT_BOLD).ok()]);
    f[usize::from(bold)].as_ref()
}
