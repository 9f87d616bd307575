//! `compare.html`: the headline figures of several scenarios side by side, a sentence per
//! scenario on what binds, and the overlay charts inlined as SVG.

use super::{escape_html, inline_svg, Skeleton};
use crate::io::figures::{human, percent, triple, Context, FigureDef, FigureKind, FigureValue, FIGURES};
use crate::io::format::format_thousands as grouped;
use crate::io::studies::compare::{binding_sentence, Compared};
use std::fmt::Write as _;

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1200px;margin:2em auto;color:#222}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:6px 8px;text-align:right;vertical-align:top}\
th:first-child,td:first-child{text-align:left}thead th{background:#f2f2f2}small{color:#666}\
figure{margin:1.5em 0}svg{max-width:100%;height:auto}";

/// One scenario's cell for a figure in `compare.html` (markup; text already escaped).
fn figure_cell(c: &Compared<'_>, def: &FigureDef) -> String {
    let h = &c.summary.headline;
    let cx = Context::new(c.scenario, h);
    let body = match def.figure.value(h) {
        Some(FigureValue::Distribution(s)) => triple(s.p10_p50_p90().map(|v| human(def.unit, v))),
        Some(FigureValue::MonthReached(r)) => format!(
            "{}<br><small>reached in {} of runs</small>",
            triple(r.p10_p50_p90().map(|m| cx.month(m))),
            percent(r.reached_share)
        ),
        Some(FigureValue::Probability(t)) => format!(
            "{} ({} by {})",
            percent(t.probability),
            grouped(t.operational as f64),
            c.scenario.date_of(t.by_month)
        ),
        None if def.kind == FigureKind::Probability => "no target".into(),
        None => "-".into(),
    };
    body + &cx.fill(def.compare_note)
}

/// The side-by-side headline rows: (figure, one cell per scenario).
pub fn headline_rows(items: &[Compared<'_>]) -> Vec<(String, Vec<String>)> {
    let mut rows: Vec<(String, Vec<String>)> = vec![
        ("scenario name".into(), items.iter().map(|c| escape_html(c.scenario.name())).collect()),
        ("ordered chips".into(), items.iter().map(|c| grouped(c.summary.headline.ordered_chips as f64)).collect()),
    ];
    rows.extend(
        FIGURES.iter().map(|def| (def.compare.to_string(), items.iter().map(|c| figure_cell(c, def)).collect())),
    );
    rows
}

/// `compare.html`: a self-contained page (no script, no network) with the headline table,
/// a sentence per scenario on what binds, and the charts inlined as SVG.
pub fn render_compare_html(items: &[Compared<'_>], seed: u64, charts_svg: &[(String, String)]) -> String {
    let mut h = String::new();
    let title = items.iter().map(|c| escape_html(&c.label)).collect::<Vec<_>>().join(" vs ");
    let runs = items.first().map_or(0, |c| c.summary.runs);
    let _ = writeln!(h, "<h1>Compare: {title}</h1>");
    let _ = writeln!(
        h,
        "<p>{} runs each with seed {seed}: every scenario draws the same random numbers for the items it shares \
with the others (common random numbers), so differences come from the scenarios, not from sampling noise.</p>",
        grouped(runs as f64)
    );
    h.push_str("<h2>Headline figures</h2>\n<table>\n<thead><tr><th>figure</th>");
    for c in items {
        let _ = write!(h, "<th>{}<br><small>{}</small></th>", escape_html(&c.label), escape_html(&c.file));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (name, cells) in headline_rows(items) {
        let _ = write!(h, "<tr><td>{}</td>", escape_html(&name));
        for cell in cells {
            let _ = write!(h, "<td>{cell}</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n<h2>What binds</h2>\n<ul>\n");
    for c in items {
        let _ = writeln!(h, "<li>{}</li>", escape_html(&binding_sentence(c)));
    }
    h.push_str("</ul>\n");
    for (caption, svg) in charts_svg {
        let svg = inline_svg(svg, caption);
        let _ = writeln!(h, "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>", escape_html(caption));
    }
    let page_title = format!("buildout compare: {title}");
    Skeleton { title: &page_title, style: STYLE, viewport: false, main: false }.wrap(&h)
}
