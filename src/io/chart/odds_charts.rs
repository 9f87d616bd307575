//! The two charts of chances (MODEL.md D36, D37): exceedance curves (the chance of at
//! least X operational chips by each year-end and the horizon) and the chance that the
//! target is met, month by month.

use super::data::ChartData;
use super::palette::*;
use super::run_charts::{panel, share, Parts};
use super::spec::{
    item, Annotation, HAnchor, Layer, Layout, Line, Mark, Points, Swatch, VAnchor, XAxis, YAt, LABEL_SIZE, LINE_WIDTH,
};
use crate::core::exceedance::nice_step;
use crate::io::format::format_compact;

/// Viridis from green to dark purple (its light yellow end left out, too faint on white).
const SEQUENCE: [(u8, u8, u8); 5] =
    [(0x7A, 0xD1, 0x51), (0x22, 0xA8, 0x84), (0x2A, 0x78, 0x8E), (0x41, 0x44, 0x87), (0x44, 0x01, 0x54)];

/// The colour of curve `i` of `n` along [`SEQUENCE`]: later dates darker, the last (the
/// horizon) the darkest, and neighbours apart in hue as well as lightness.
fn curve_color(i: usize, n: usize) -> Rgb {
    let t = if n <= 1 { 1.0 } else { i as f64 / (n - 1) as f64 } * (SEQUENCE.len() - 1) as f64;
    let k = (t.floor() as usize).min(SEQUENCE.len() - 2);
    let f = t - k as f64;
    let (a, b) = (SEQUENCE[k], SEQUENCE[k + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn text(s: String, x: f64, y: YAt, offset: (i32, i32), bold: bool, anchor: (HAnchor, VAnchor)) -> Layer {
    Layer::Text(Annotation { text: s, x, y, offset, size: LABEL_SIZE, bold, color: TEXT, anchor })
}

/// A dashed vertical guide at `x` over the 0-100% axis.
fn vertical(x: f64, color: Rgb) -> Layer {
    Layer::Line(Line { points: Points::Xy(vec![(x, 0.0), (x, 1.0)]), color, width: 2, dashed: true, off_scale: None })
}

/// The exceedance chart's x axis (operational chips, nice ticks from 0) and parts.
pub(super) fn exceedance(d: &ChartData) -> (XAxis, Parts) {
    let max = d.exceedance_levels.last().copied().filter(|&m| m > 0.0).unwrap_or(1.0);
    let step = nice_step(max / 6.0);
    let ticks =
        (0..).map(|i| f64::from(i) * step).take_while(|&v| v <= max * (1.0 + 1e-9)).map(|v| (v, format_compact(v)));
    let x = XAxis::values(0.0, max, ticks.collect(), "Operational chips (at least X)");
    let n = d.exceedance.len();
    let horizon = d.dates.last().cloned().unwrap_or_default();
    let mut legend = Vec::new();
    let mut layers = Vec::new();
    if let Some((chips, m)) = d.target {
        let when = d.dates.get(m).cloned().unwrap_or_default();
        layers.push(vertical(chips as f64, POWER));
        legend.push(item(Swatch::Dashed(POWER), format!("Target: {} chips by {when}", format_compact(chips as f64))));
    }
    for (i, (date, curve)) in d.exceedance.iter().enumerate() {
        let color = curve_color(i, n);
        let points = d.exceedance_levels.iter().zip(curve).map(|(&x, &p)| (x, p)).collect();
        let width = if i + 1 == n { LINE_WIDTH + 1 } else { LINE_WIDTH };
        layers.push(Layer::Line(Line { points: Points::Xy(points), color, width, dashed: false, off_scale: None }));
        let label = if *date == horizon { format!("by {date} (horizon)") } else { format!("by {date}") };
        legend.push(item(Swatch::Line(color), label));
    }
    // Legend in date order, the target last.
    legend.rotate_left(usize::from(d.target.is_some()));
    (x, (legend, Layout::Single, vec![panel(share("Chance of at least X chips (%)"), true, layers)]))
}

/// The chance that the target is met each month (operational at least the target).
pub(super) fn target(d: &ChartData, x: &XAxis) -> Parts {
    let Some(((chips, by), shares)) = d.target.zip(d.target_met_share.as_ref()) else {
        return (Vec::new(), Layout::Single, vec![panel(share("Share of runs (%)"), true, Vec::new())]);
    };
    let chips_text = format_compact(chips as f64);
    let mut legend = vec![item(Swatch::Line(CHIPS), format!("Runs with at least {chips_text} chips operational"))];
    let mut layers = vec![Layer::Path { points: vec![(0.0, 0.5), (x.max, 0.5)], paint: MUTED.alpha(0.6), width: 2 }];
    layers.push(Layer::Line(Line::monthly(shares, CHIPS)));
    if let Some(&p) = shares.get(by) {
        legend.push(item(Swatch::Marker(CHIPS), "The target's date"));
        let marks = vec![
            Mark { radius: 11, paint: WHITE.solid(), ring: None },
            Mark { radius: 11, paint: CHIPS.solid(), ring: Some(4) },
        ];
        layers.push(Layer::Marks { at: vec![(by as f64, p)], marks });
        let date = d.dates.get(by).cloned().unwrap_or_default();
        let (h, dx) = if (by as f64) < x.max * 0.7 { (HAnchor::Left, 20) } else { (HAnchor::Right, -20) };
        let (v, dy) = if p > 0.8 { (VAnchor::Top, 18) } else { (VAnchor::Bottom, -16) };
        let label = format!("{:.0}% of runs by {date}", p * 100.0);
        layers.push(text(label, by as f64, YAt::Value(p), (dx, dy), true, (h, v)));
    }
    (legend, Layout::Single, vec![panel(share("Share of runs (%)"), true, layers)])
}
