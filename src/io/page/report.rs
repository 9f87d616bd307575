//! Self-contained HTML report: scenario summary, headline table, the six charts
//! inline as SVG, and the caller's paragraph on what binds. No JavaScript, no
//! network references, with a print stylesheet for A4 and Letter.

use super::{escape_html, inline_svg, Skeleton};
use crate::io::assumptions::AssumptionTable;
use crate::io::chart::{ChartData, ChartKind};
use crate::io::format::format_thousands;

/// One headline row: label, then P10, P50, P90 already formatted (a number, or a date
/// for month figures; `None` is shown as "not reached"), then the 95% Monte Carlo
/// interval of the P50 (of the chance, for a probability).
pub type HeadlineRow = (String, Option<String>, Option<String>, Option<String>, String);

/// Report content that is not part of [`ChartData`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportData {
    /// Scenario description, shown under the title (blank lines separate paragraphs).
    pub description: Option<String>,
    /// The first answer (what limits the runs, when power binds in half of them),
    /// shown above the headline table (plain text).
    pub verdict: String,
    /// Headline rows: label, P10, P50, P90 (None shown as "not reached").
    pub headline_rows: Vec<HeadlineRow>,
    /// Paragraph on the binding constraints, written by the caller (plain text).
    pub binding_text: String,
    /// Paragraph on chances (exceedance, the target by month) and Monte Carlo error
    /// (plain text; empty for none).
    pub odds_text: String,
    /// The "What matters most" sentences (D40), one paragraph each (plain text).
    pub what_matters: Vec<String>,
    /// The scenario's main assumptions, as tables after the charts.
    pub assumptions: Vec<AssumptionTable>,
}

/// How a headline value is shown in the report table: thousands separators,
/// no decimals from 100 up; `None` is "not reached".
pub fn format_headline_value(v: Option<f64>) -> String {
    match v {
        Some(v) => format_thousands(v),
        None => "not reached".to_string(),
    }
}

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #ffffff; color: #222222;
  font-family: "DejaVu Sans", "Helvetica Neue", Helvetica, Arial, sans-serif;
  font-size: 16px; line-height: 1.5; }
main { max-width: 1100px; margin: 0 auto; padding: 32px 24px 48px; }
h1 { font-size: 30px; line-height: 1.2; margin: 0 0 6px; }
h2 { font-size: 21px; margin: 36px 0 10px; border-bottom: 1px solid #dddddd; padding-bottom: 4px; }
.meta { color: #555555; margin: 0 0 16px; }
.description p { margin: 0 0 10px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: #555555; font-size: 14px; caption-side: bottom; padding-top: 6px; }
th, td { padding: 7px 10px; border-bottom: 1px solid #e2e2e2; }
thead th { border-bottom: 2px solid #222222; text-align: right; }
thead th:first-child, tbody th { text-align: left; font-weight: normal; }
td { text-align: right; white-space: nowrap; }
td.p50 { font-weight: bold; }
td.ci { color: #555555; font-size: 14px; }
td.none { color: #777777; font-style: italic; }
figure.chart { margin: 24px 0; }
figure.chart svg { display: block; width: 100%; max-width: 100%; height: auto; }
figcaption { color: #555555; font-size: 14px; margin-top: 4px; }
.binding { background: #f5f5f5; border-left: 4px solid #D55E00; padding: 12px 16px; }
.verdict { font-size: 18px; font-weight: bold; margin: 4px 0 12px; }
h3 { font-size: 16px; margin: 18px 0 4px; }
table.assumptions { font-size: 13px; }
table.assumptions th, table.assumptions td { padding: 4px 6px; white-space: normal; }
table.assumptions thead th { text-align: left; }
table.assumptions td { text-align: left; }
footer { color: #555555; font-size: 14px; margin-top: 32px; border-top: 1px solid #dddddd; padding-top: 8px; }
@media print {
  @page { margin: 14mm 12mm; }
  html, body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10.5pt; }
  .verdict { font-size: 12pt; }
  table.assumptions { font-size: 7.5pt; break-inside: auto; page-break-inside: auto; }
  table.assumptions tr { break-inside: avoid; page-break-inside: avoid; }
  table.assumptions th, table.assumptions td { padding: 1.5pt 4pt; }
  h3 { font-size: 10.5pt; margin-top: 8pt; break-after: avoid; page-break-after: avoid; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 18pt; }
  h2 { font-size: 13pt; margin-top: 14pt; break-after: avoid; page-break-after: avoid; }
  table, .binding, .verdict { break-inside: avoid; page-break-inside: avoid; }
  figure.chart { margin: 8pt 0; break-inside: avoid; page-break-inside: avoid; }
  figure.chart svg { max-width: 100%; max-height: 120mm; width: 100%; height: auto; }
}
"#;

/// Render the complete, self-contained HTML report, with `charts` (each chart's SVG, as
/// rendered for the chart files) inline in the order given.
pub fn render_report(data: &ChartData, report: &ReportData, charts: &[(ChartKind, String)]) -> String {
    let mut h = String::with_capacity(512 * 1024);
    let name = escape_html(&data.scenario_name);

    h.push_str(&format!("<h1>{name}</h1>\n"));
    h.push_str(&format!(
        "<p class=\"meta\">{} Monte Carlo runs \u{00b7} seed {} \u{00b7} scenario file {} \u{00b7} {} to {}</p>\n",
        format_thousands(data.runs as f64),
        data.seed,
        escape_html(&data.scenario_file),
        escape_html(data.dates.first().map(String::as_str).unwrap_or("")),
        escape_html(data.dates.last().map(String::as_str).unwrap_or("")),
    ));
    if let Some(desc) = report.description.as_deref().filter(|d| !d.trim().is_empty()) {
        h.push_str("<div class=\"description\">\n");
        for para in desc.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            h.push_str(&format!("<p>{}</p>\n", escape_html(para)));
        }
        h.push_str("</div>\n");
    }

    h.push_str("<h2>Headline results</h2>\n");
    if !report.verdict.trim().is_empty() {
        h.push_str(&format!("<p class=\"verdict\">{}</p>\n", escape_html(report.verdict.trim())));
    }
    h.push_str("<table>\n");
    h.push_str(
        "<caption>P10, P50 and P90 across runs: 10 % of runs are at or below P10, half at or below P50. \
         95% CI: the Monte Carlo interval of the P50 (of the chance, for the target).</caption>\n",
    );
    h.push_str("<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">P10</th><th scope=\"col\">P50</th><th scope=\"col\">P90</th><th scope=\"col\">P50 95% CI</th></tr></thead>\n<tbody>\n");
    for (label, p10, p50, p90, ci) in &report.headline_rows {
        h.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape_html(label)));
        for (v, cls) in [(p10, "p10"), (p50, "p50"), (p90, "p90")] {
            let class = if v.is_some() { cls.to_string() } else { format!("{cls} none") };
            h.push_str(&format!("<td class=\"{class}\">{}</td>", escape_html(v.as_deref().unwrap_or("not reached"))));
        }
        h.push_str(&format!("<td class=\"ci\">{}</td>", escape_html(ci)));
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");

    h.push_str("<h2>What binds</h2>\n");
    h.push_str(&format!("<p class=\"binding\">{}</p>\n", escape_html(report.binding_text.trim())));

    if !report.odds_text.trim().is_empty() {
        h.push_str("<h2>Chances, and how sure they are</h2>\n");
        h.push_str(&format!("<p class=\"odds\">{}</p>\n", escape_html(report.odds_text.trim())));
    }

    let figure = |h: &mut String, kind: ChartKind, svg: &str| {
        h.push_str(&format!("<figure class=\"chart\" id=\"chart-{}\">\n", kind.file_stem()));
        h.push_str(&inline_svg(svg, kind.title()));
        h.push_str(&format!("<figcaption>Figure: {}.</figcaption>\n</figure>\n", escape_html(kind.title())));
    };
    if !report.what_matters.is_empty() {
        h.push_str("<h2>What matters most</h2>\n");
        for para in &report.what_matters {
            h.push_str(&format!("<p class=\"matters\">{}</p>\n", escape_html(para.trim())));
        }
        for (kind, svg) in charts.iter().filter(|(k, _)| *k == ChartKind::Tornado) {
            figure(&mut h, *kind, svg);
        }
    }

    h.push_str("<h2>Charts</h2>\n");
    for (kind, svg) in charts {
        if *kind != ChartKind::Tornado || report.what_matters.is_empty() {
            figure(&mut h, *kind, svg);
        }
    }

    if !report.assumptions.is_empty() {
        h.push_str("<h2>Main assumptions</h2>\n");
        for t in &report.assumptions {
            h.push_str(&format!("<h3>{}</h3>\n<table class=\"assumptions\">\n", escape_html(&t.title)));
            h.push_str(&format!("<caption>{}</caption>\n<thead><tr>", escape_html(&t.caption)));
            for col in &t.header {
                h.push_str(&format!("<th scope=\"col\">{}</th>", escape_html(col)));
            }
            h.push_str("</tr></thead>\n<tbody>\n");
            for row in &t.rows {
                h.push_str("<tr>");
                for (i, cell) in row.iter().enumerate() {
                    if i == 0 {
                        h.push_str(&format!("<th scope=\"row\">{}</th>", escape_html(cell)));
                    } else {
                        h.push_str(&format!("<td>{}</td>", escape_html(cell)));
                    }
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</tbody>\n</table>\n");
        }
    }

    h.push_str(&format!(
        "<footer>Generated by buildout v{} from scenario file {}. Lines are medians across runs; shaded bands show the spread across runs.</footer>\n",
        escape_html(&data.version),
        escape_html(&data.scenario_file)
    ));
    let title = format!("{name} \u{2014} buildout report");
    Skeleton { title: &title, style: STYLE, viewport: true, main: true }.wrap(&h)
}

/// Example fixture matching [`super::chart::sample_data`], for inspecting the report.
pub fn sample_report() -> ReportData {
    ReportData {
        description: Some(
            "Korea procures 260,000 accelerators by 2030, mostly imported, with domestic \
             chips ramping from 2028. New grid connections arrive from mid-2028."
                .to_string(),
        ),
        verdict: "Limited by (the constraint that binds in most months from the first delivery to 2031-12): \
                  power in 62% of runs, chips in 30%, space in 8%. Power binds in at least half of the runs \
                  from 2027-04 to 2029-02."
            .to_string(),
        headline_rows: vec![
            (
                "Chips operational, 2031-12".to_string(),
                Some(format_thousands(208_400.0)),
                Some(format_thousands(259_870.0)),
                Some(format_thousands(262_000.0)),
                "257,300 to 261,100".to_string(),
            ),
            (
                "Months to reach 260k chips operational".to_string(),
                Some(format_thousands(48.0)),
                Some(format_thousands(57.0)),
                None,
                "56 to 58".to_string(),
            ),
            (
                "Peak grid power drawn (MW)".to_string(),
                Some(format_thousands(588.5)),
                Some(format_thousands(650.0)),
                Some(format_thousands(700.0)),
                "645 to 655".to_string(),
            ),
            (
                "Peak chips waiting".to_string(),
                Some(format_thousands(21_300.0)),
                Some(format_thousands(38_750.0)),
                Some(format_thousands(56_200.0)),
                "38,100 to 39,400".to_string(),
            ),
        ],
        binding_text: "Power is the binding constraint in most runs from mid-2028 to late 2029: \
                       data-centre halls are built before the grid connections that feed them, \
                       so delivered chips wait for power. Before 2028 deliveries bind; after 2030 \
                       the buildout is limited by chip supply again."
            .to_string(),
        odds_text: "There is a 1-in-3 chance (34% of runs, 95% CI 33-35%) of at least 259,000 operational \
                    chips by 2031-12. The target of 260,000 chips operational by 2030-12 is met in 69% of runs \
                    (95% CI 68-70%); at least half of the runs have them from 2030-08."
            .to_string(),
        what_matters: vec![
            "The delay of the grid addition \u{201c}Capital substation 2\u{201d} explains more of the 2031-12 \
             outcome (chips operational) than any other input (rank correlation \u{2212}0.46); next come the \
             shared factor \u{201c}transformer supply\u{201d} (\u{2212}0.38) and whether the delivery \
             \u{201c}Naver lot 1\u{201d} happens (+0.31)."
                .to_string(),
        ],
        assumptions: vec![AssumptionTable {
            title: "Sites".to_string(),
            caption: "IT capacity and ready date of each site.".to_string(),
            header: ["Site", "Owner", "IT MW", "Ready"].map(String::from).to_vec(),
            rows: vec![["National AI Computing Center", "government", "40", "2028-09"].map(String::from).to_vec()],
        }],
    }
}
