//! `compare` outputs: `compare.csv` (tidy long format), `compare.json` (headline figures
//! side by side) and `compare.html` (a self-contained report), each a pure render
//! function over the scenarios' summaries.

use super::brief::binding_clauses;
use super::figures::{percent, triple, Context, FigureValue, FIGURES};
use super::format::format_thousands as grouped;
use super::format::number;
use super::json::headline_value;
use super::report::escape_html;
use crate::core::date::YearMonth;
use crate::core::metrics::{Binding, Series};
use crate::core::scenario::Scenario;
use crate::core::stats::Summary;
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// One compared scenario: a short unique label (the file stem), its scenario and results.
pub struct Compared<'a> {
    pub label: String,
    pub file: String,
    pub scenario: &'a Scenario,
    pub summary: &'a Summary,
}

/// Unique labels from file stems: a repeated stem gets `-2`, `-3`, ...
pub fn unique_labels(stems: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for stem in stems {
        let mut label = stem.clone();
        let mut k = 2;
        while out.contains(&label) {
            label = format!("{stem}-{k}");
            k += 1;
        }
        out.push(label);
    }
    out
}

/// The earliest start among the scenarios: month 0 of the comparison.
pub fn earliest_start(items: &[Compared<'_>]) -> Option<YearMonth> {
    items.iter().map(|c| c.scenario.start()).min()
}

/// Month offset of a scenario's month 0 from the comparison's month 0.
pub(crate) fn offset(item: &Compared<'_>, origin: YearMonth) -> usize {
    item.scenario.start().months_since(origin).max(0) as usize
}

/// `compare.csv`: `month,date,metric,scenario,mean,p10,p50,p90`, one row per calendar
/// month, metric and scenario (months counted from the earliest start; a scenario has rows
/// only inside its own start..horizon). Binding rows give the share of runs in each state.
pub fn render_compare_csv(items: &[Compared<'_>]) -> String {
    let mut out = String::from("month,date,metric,scenario,mean,p10,p50,p90\n");
    let Some(origin) = earliest_start(items) else { return out };
    let end = items.iter().map(|c| offset(c, origin) + c.summary.months).max().unwrap_or(0);
    for g in 0..end {
        let date = origin.plus_months(g as i64);
        let live: Vec<(&Compared<'_>, usize)> = items
            .iter()
            .filter_map(|c| {
                let o = offset(c, origin);
                (g >= o && g - o < c.summary.months).then_some((c, g - o))
            })
            .collect();
        for s in Series::summary_rows() {
            let name = s.name();
            for (c, m) in &live {
                let st = c.summary.stats(*m, s);
                let _ = writeln!(
                    out,
                    "{g},{date},{name},{},{},{},{},{}",
                    super::csv::csv_field(&c.label),
                    number(st.mean),
                    number(st.p10()),
                    number(st.p50()),
                    number(st.p90())
                );
            }
        }
        for b in Binding::ALL {
            for (c, m) in &live {
                let share = number(c.summary.binding_share[*m][b.index()]);
                let label = super::csv::csv_field(&c.label);
                let _ = writeln!(out, "{g},{date},{},{label},{share},{share},{share},{share}", b.row_name());
            }
        }
    }
    out
}

/// `compare.json`: runs, seed, and each scenario's headline figures (the `headline.json`
/// object) under its label, plus the binding sentence.
pub fn render_compare_json(items: &[Compared<'_>], seed: u64) -> String {
    let mut root = Map::new();
    root.insert("runs".into(), Value::from(items.first().map_or(0, |c| c.summary.runs)));
    root.insert("seed".into(), Value::from(seed));
    root.insert("version".into(), Value::from(env!("CARGO_PKG_VERSION")));
    let mut list = Vec::new();
    for c in items {
        let mut m = Map::new();
        m.insert("label".into(), Value::from(c.label.clone()));
        m.insert("file".into(), Value::from(c.file.clone()));
        m.insert("what_binds".into(), Value::from(binding_sentence(c)));
        m.insert("headline".into(), headline_value(c.scenario, c.summary, seed));
        list.push(Value::Object(m));
    }
    root.insert("scenarios".into(), Value::Array(list));
    let mut text = serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default();
    text.push('\n');
    text
}

/// One sentence on what binds in one scenario (the clauses of `brief::binding_clauses`).
pub fn binding_sentence(c: &Compared<'_>) -> String {
    format!("{}: {}.", c.label, binding_clauses(c.scenario, c.summary).join("; "))
}

/// One scenario's cell for a figure in `compare.html` (markup; text already escaped).
fn figure_cell(c: &Compared<'_>, def: &super::figures::FigureDef) -> String {
    let h = &c.summary.headline;
    let cx = Context::new(c.scenario, h);
    let body = match def.figure.value(h) {
        Some(FigureValue::Distribution(s)) => triple(s.p10_p50_p90().map(grouped)),
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
        None if def.kind == super::figures::FigureKind::Probability => "no target".into(),
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
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>buildout compare: {title}</title>\n\
<style>body{{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1200px;margin:2em auto;color:#222}}\
table{{border-collapse:collapse;width:100%}}th,td{{border:1px solid #ccc;padding:6px 8px;text-align:right;vertical-align:top}}\
th:first-child,td:first-child{{text-align:left}}thead th{{background:#f2f2f2}}small{{color:#666}}\
figure{{margin:1.5em 0}}svg{{max-width:100%;height:auto}}</style>\n</head>\n<body>\n"
    );
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
        let svg = super::report::inline_svg(svg.find("<svg").map_or(svg.as_str(), |i| &svg[i..]), caption);
        let _ = writeln!(h, "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>", escape_html(caption));
    }
    h.push_str("</body>\n</html>\n");
    h
}
