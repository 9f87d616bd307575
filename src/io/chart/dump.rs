//! A chart description as readable text, for snapshot tests: a change to a chart shows up
//! as a diff of its texts, axes, layers and (rounded) values.

use super::palette::{Paint, Rgb};
use super::spec::{Annotation, Figure, Layer, Layout, Line, Mark, Panel, Points, Swatch, YAt, YScale};
use std::fmt::Write;

/// `fig` as text: one line per text, legend item, axis and layer, series values rounded
/// to six significant digits, ten to a line, repeats run-length encoded.
pub fn dump(fig: &Figure) -> String {
    let mut o = String::new();
    let title = match &fig.title.fallback {
        Some(f) => format!("{:?} (if too wide: {f:?})", fig.title.text),
        None => format!("{:?}", fig.title.text),
    };
    line(&mut o, 0, &format!("title {title}"));
    line(&mut o, 0, &format!("subtitle {:?}", fig.subtitle));
    line(&mut o, 0, &format!("source {:?}", fig.source.text));
    if let Some(short) = &fig.source.short {
        line(&mut o, 1, &format!("if beside the note it does not fit: {short:?}"));
    }
    line(&mut o, 0, &format!("note {:?}", fig.note));
    line(&mut o, 0, "legend");
    for it in &fig.legend {
        line(&mut o, 1, &format!("{} {:?}", swatch(it.swatch), it.label));
    }
    let x = &fig.x;
    let gap = x.min_label_gap.map_or(String::new(), |g| format!(", labels at least {} px apart", num(g)));
    line(&mut o, 0, &format!("x {:?}: months {}, {} to {}{gap}", x.title, x.months, num(x.min), num(x.max)));
    let ticks: Vec<String> = x.ticks.iter().map(|(at, l)| format!("{}={l:?}", num(*at))).collect();
    wrap(&mut o, 1, "ticks", &ticks);
    let layout = match fig.layout {
        Layout::Single => "single".to_string(),
        Layout::Split { top_percent } => format!("split, top {top_percent}%"),
        Layout::Grid { rows, cols } => format!("grid {rows} x {cols}"),
    };
    line(&mut o, 0, &format!("layout {layout}"));
    for (i, p) in fig.panels.iter().enumerate() {
        panel(&mut o, i + 1, p);
    }
    o
}

fn panel(o: &mut String, i: usize, p: &Panel) {
    let scale = match p.y.scale {
        YScale::Nice(m) => format!("nice up to {}", num(m)),
        YScale::Share => "0-100%".to_string(),
        YScale::Rows(n) => format!("{} rows", num(n)),
    };
    let x = if p.show_x { "" } else { ", x labels hidden" };
    line(o, 0, &format!("panel {i}: y {:?} {:?}, {scale}{x}", p.y.title, p.y.unit));
    if let Some(h) = &p.heading {
        line(o, 1, &format!("heading {h:?}"));
    }
    for l in &p.layers {
        layer(o, l);
    }
}

fn layer(o: &mut String, l: &Layer) {
    match l {
        Layer::Shade { x0, x1, paint: p } => line(o, 1, &format!("shade {} {} to {}", paint(*p), num(*x0), num(*x1))),
        Layer::Band { lo, hi, paint: p } => {
            line(o, 1, &format!("band {}", paint(*p)));
            series(o, 2, "lo", lo);
            series(o, 2, "hi", hi);
        }
        Layer::Polygon { points, paint: p } => {
            line(o, 1, &format!("polygon {}", paint(*p)));
            wrap(o, 2, "points", &xy(points));
        }
        Layer::Line(l) => line_layer(o, l),
        Layer::Path { points, paint: p, width } => {
            line(o, 1, &format!("path {} width {width}", paint(*p)));
            wrap(o, 2, "points", &xy(points));
        }
        Layer::Stack(areas) => {
            line(o, 1, "stack");
            for a in areas {
                line(o, 2, &format!("area {:?} {}", a.label, hex(a.color)));
                series(o, 3, "lo", &a.lo);
                series(o, 3, "hi", &a.hi);
            }
        }
        Layer::AreaLabels => line(o, 1, "labels inside the stacked areas"),
        Layer::Marks { at, marks } => {
            let m: Vec<String> = marks.iter().map(mark).collect();
            line(o, 1, &format!("marks {}", m.join(" + ")));
            wrap(o, 2, "at", &xy(at));
        }
        Layer::Text(a) => line(o, 1, &annotation(a)),
        Layer::PointLabels { at, lift, min_gap } => {
            line(o, 1, &format!("point labels {lift} px above, at least {min_gap} px apart"));
            let items: Vec<String> = at.iter().map(|((x, y), l)| format!("({}, {})={l:?}", num(*x), num(*y))).collect();
            wrap(o, 2, "at", &items);
        }
        Layer::OffScaleNote(prefix) => line(o, 1, &format!("off-scale note {prefix:?}")),
    }
}

fn line_layer(o: &mut String, l: &Line) {
    let kind = if l.dashed { "dashed line" } else { "line" };
    let off = l.off_scale.as_ref().map_or(String::new(), |n| format!(", off the scale: {n:?}"));
    line(o, 1, &format!("{kind} {} width {}{off}", hex(l.color), l.width));
    match &l.points {
        Points::Monthly(v) => series(o, 2, "values", v),
        Points::Xy(p) => wrap(o, 2, "points", &xy(p)),
    }
}

fn annotation(a: &Annotation) -> String {
    let y = match a.y {
        YAt::Value(v) => num(v),
        YAt::Top => "top".to_string(),
    };
    let weight = if a.bold { "bold" } else { "regular" };
    format!(
        "text {:?} at ({}, {y}) {:+} {:+} px, {} {weight} {}, anchor {:?}/{:?}",
        a.text,
        num(a.x),
        a.offset.0,
        a.offset.1,
        num(a.size),
        hex(a.color),
        a.anchor.0,
        a.anchor.1
    )
}

fn mark(m: &Mark) -> String {
    match m.ring {
        Some(w) => format!("ring r{} width {w} {}", m.radius, paint(m.paint)),
        None => format!("disc r{} {}", m.radius, paint(m.paint)),
    }
}

fn swatch(s: Swatch) -> String {
    match s {
        Swatch::Line(c) => format!("line {}", hex(c)),
        Swatch::Dashed(c) => format!("dashed {}", hex(c)),
        Swatch::Fill(c, a) => format!("fill {}", paint(c.alpha(a))),
        Swatch::Band2(c) => format!("two bands {}", hex(c)),
        Swatch::LineBand(c) => format!("line over band {}", hex(c)),
        Swatch::Marker(c) => format!("marker {}", hex(c)),
    }
}

fn hex(c: Rgb) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

fn paint(p: Paint) -> String {
    if p.alpha == 1.0 {
        hex(p.rgb)
    } else {
        format!("{} at {}", hex(p.rgb), num(p.alpha))
    }
}

/// `v` to six significant digits, in Rust's shortest form.
fn num(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    format!("{:.5e}", v).parse::<f64>().map_or_else(|_| format!("{v}"), |r| format!("{r}"))
}

fn xy(points: &[(f64, f64)]) -> Vec<String> {
    points.iter().map(|(x, y)| format!("({}, {})", num(*x), num(*y))).collect()
}

/// A monthly series, equal neighbours written once as `value xN`.
fn series(o: &mut String, indent: usize, name: &str, v: &[f64]) {
    let mut items: Vec<String> = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let s = num(v[i]);
        let mut j = i + 1;
        while j < v.len() && num(v[j]) == s {
            j += 1;
        }
        items.push(if j - i > 1 { format!("{s} x{}", j - i) } else { s });
        i = j;
    }
    wrap(o, indent, name, &items);
}

fn wrap(o: &mut String, indent: usize, name: &str, items: &[String]) {
    if items.is_empty() {
        line(o, indent, &format!("{name}: none"));
        return;
    }
    for (k, chunk) in items.chunks(10).enumerate() {
        let head = if k == 0 { format!("{name}:") } else { " ".repeat(name.len() + 1) };
        line(o, indent, &format!("{head} {}", chunk.join(", ")));
    }
}

fn line(o: &mut String, indent: usize, s: &str) {
    let _ = writeln!(o, "{}{s}", "  ".repeat(indent));
}
