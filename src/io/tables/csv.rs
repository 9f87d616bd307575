//! `summary.csv` and `trace-I.csv`: pure render functions returning the file text.

use crate::core::metrics::{Binding, Series};
use crate::core::run::TraceRow;
use crate::core::scenario::Scenario;
use crate::core::stats::{Stats, Summary, PERCENTILES};
use crate::io::format::number;
use std::fmt::Write as _;

/// The summary table of MODEL.md section 7: one row per month and metric.
pub fn render_summary(scenario: &Scenario, summary: &Summary) -> String {
    let mut out = String::from(SUMMARY_COLUMNS);
    for month in 0..summary.months {
        let date = scenario.date_of(month as u32).to_string();
        for s in Series::summary_rows() {
            stats_row(&mut out, "", month, &date, s.name(), summary.stats(month, s));
        }
        for b in Binding::ALL {
            share_row(&mut out, "", month, &date, b.row_name(), summary.binding_share[month][b.index()]);
        }
    }
    out
}

/// summary.csv's header; by_region.csv and by_owner.csv put their scope column first.
pub(super) const SUMMARY_COLUMNS: &str = "month,date,metric,mean,p5,p10,p25,p50,p75,p90,p95\n";

/// One statistics row of the summary's long format, after `lead` (empty, or a scope
/// column with its comma): the mean, then every percentile.
pub(super) fn stats_row(out: &mut String, lead: &str, month: usize, date: &str, metric: &str, st: &Stats) {
    let _ = write!(out, "{lead}{month},{date},{metric},{}", number(st.mean));
    for p in st.percentiles {
        let _ = write!(out, ",{}", number(p));
    }
    out.push('\n');
}

/// A binding-share row: the share in every statistic column.
pub(super) fn share_row(out: &mut String, lead: &str, month: usize, date: &str, name: &str, share: f64) {
    let share = number(share);
    let _ = write!(out, "{lead}{month},{date},{name},{share}");
    for _ in PERCENTILES {
        let _ = write!(out, ",{share}");
    }
    out.push('\n');
}

/// Collects a run's events as `trace-I.csv` rows.
pub struct TraceWriter<'a> {
    scenario: &'a Scenario,
    text: String,
}

impl<'a> TraceWriter<'a> {
    /// Starts a trace with its header (one headroom column per region, then the v2
    /// columns: chips repairing, chips awaiting funds, and the energy draw in MW whose
    /// integral over time is `energy_mwh`).
    pub fn new(scenario: &'a Scenario) -> TraceWriter<'a> {
        let mut text = String::from("time,date,kind,item,outcome,chips,placed,waiting,installing,operational,lost");
        for r in scenario.regions() {
            let _ = write!(text, ",headroom_mw:{}", csv_field(&r.name));
        }
        // Model v2 columns, appended so v1 columns keep their places (MODEL.md 9).
        text.push_str(",repairing,awaiting_funds,energy_draw_mw\n");
        TraceWriter { scenario, text }
    }

    /// The finished CSV text.
    pub fn finish(self) -> String {
        self.text
    }
}

impl crate::core::run::RunObserver for TraceWriter<'_> {
    const ENABLED: bool = true;
    fn on_event(&mut self, row: &TraceRow<'_>) {
        let date = self.scenario.date_of(row.time.floor().max(0.0) as u32);
        let _ = write!(
            self.text,
            "{},{date},{},{},{},{},{},{},{},{},{}",
            number(row.time),
            row.kind.name(),
            csv_field(row.item),
            row.outcome,
            row.chips,
            row.placed,
            row.waiting,
            row.installing,
            row.operational,
            row.lost
        );
        for h in row.region_headroom_mw {
            let _ = write!(self.text, ",{}", number(*h));
        }
        let _ = writeln!(self.text, ",{},{},{}", row.repairing, row.awaiting_funds, number(row.energy_draw_mw));
    }
}

/// Quotes a field when it holds a comma, quote or line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
