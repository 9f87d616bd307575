//! `sensitivity.csv` (D40): for each numeric headline output, every uncertain input
//! ranked by the absolute value of its Spearman rank correlation with it, with the 95%
//! interval; inputs whose correlation is undefined (nothing varied) come last with
//! empty cells.

use crate::core::run_row::RunsLayout;
use crate::core::scenario::Scenario;
use crate::core::stats::Summary;
use crate::io::format::number;
use crate::io::sensitivity::input_label;
use crate::io::tables::csv::csv_field;
use std::fmt::Write as _;

/// The header of sensitivity.csv.
pub const HEADER: &str = "output,rank,input,label,spearman,ci95_low,ci95_high,runs";

/// One row per (output, input), outputs in runs.csv order, inputs by rank.
pub fn render_sensitivity(scenario: &Scenario, summary: &Summary) -> String {
    let layout = RunsLayout::of(scenario);
    let s = &summary.sensitivity;
    let mut out = format!("{HEADER}\n");
    let cell = |x: Option<f64>| x.map(number).unwrap_or_default();
    for (output, ranked) in s.outputs.iter().zip(&s.ranked) {
        for (rank, c) in ranked.iter().enumerate() {
            let Some(input) = layout.inputs.get(c.input) else { continue };
            let _ = writeln!(
                out,
                "{output},{},{},{},{},{},{},{}",
                rank + 1,
                csv_field(&input.column_name()),
                csv_field(&input_label(input)),
                cell(c.rho),
                cell(c.ci95.map(|i| i[0])),
                cell(c.ci95.map(|i| i[1])),
                s.runs
            );
        }
    }
    out
}
