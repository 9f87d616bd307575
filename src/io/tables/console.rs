//! The console summary printed after a run: one line per headline figure the scenario
//! has, from the table in `io::figures`.

use crate::core::scenario::Scenario;
use crate::core::stats::{Headline, Summary};
use crate::io::brief::{limited_by_clause, power_half_window, switch_clause};
use crate::io::figures::{
    human, month_interval, percent_interval, triple, Context, Figure, FigureCi, FigureValue, FIGURES,
};

/// The short table printed after a run: one line per headline figure the scenario has.
pub fn human_summary(scenario: &Scenario, summary: &Summary, seed: u64, out: &std::path::Path) -> String {
    let h = &summary.headline;
    let cx = Context::new(scenario, h);
    let mut lines = vec![
        format!(
            "{}: {} runs, seed {seed}, horizon {}",
            scenario.name(),
            summary.runs,
            scenario.date_of(scenario.horizon_month())
        ),
        format!("{:<34} {}", "", "P10 / P50 / P90"),
    ];
    lines.push(format!("{:<34} {}", "limited by (share of runs)", limited_by_clause(scenario, h)));
    lines.push(format!(
        "{:<34} {}",
        "power binds in half of the runs",
        power_half_window(scenario, h).unwrap_or_else(|| "in no month".to_string())
    ));
    lines.push(format!("{:<34} {}", "binding switches from chips", switch_clause(scenario, h)));
    for def in FIGURES.iter().filter(|d| d.own_console_row && d.in_brief) {
        let Some(value) = def.figure.value(h) else { continue };
        let label = cx.fill(def.console);
        let ci = def.figure.ci95(h);
        let cells = match (value, ci) {
            (FigureValue::Distribution(s), _) => triple(s.p10_p50_p90().map(|v| human(def.unit, v))),
            (FigureValue::MonthReached(r), ci) => format!(
                "{}   (reached in {:.0}% of runs{})",
                triple(r.p10_p50_p90().map(|m| cx.month(m))),
                r.reached_share * 100.0,
                match ci {
                    Some(FigureCi::MonthReached(c)) => format!("; P50 95% CI {}", month_interval(&cx, c.p50())),
                    _ => String::new(),
                }
            ),
            (FigureValue::Probability(t), ci) => format!(
                "met in {:.1}% of runs{}",
                t.probability * 100.0,
                match ci {
                    Some(FigureCi::Probability(c)) => format!(", 95% CI {}", percent_interval(c)),
                    _ => String::new(),
                }
            ),
        };
        lines.push(format!("{label:<34} {cells}{}", cx.fill(def.console_note)));
    }
    lines.push(energy_and_cost_line(h));
    lines.push(format!("written to {}", out.display()));
    lines.join("\n") + "\n"
}

/// The energy and cost figures on one line, medians: "energy and cost (P50)   2.37 TWh in
/// the last 12 months, electricity $237M, capex $9.9B, $1.2M per PFLOP/s-year".
fn energy_and_cost_line(h: &Headline) -> String {
    let parts: Vec<String> = FIGURES
        .iter()
        .filter(|d| !d.own_console_row)
        .filter_map(|def| match def.figure.value(h) {
            Some(FigureValue::Distribution(s)) => Some(match def.figure {
                Figure::EnergyLast12Months => format!("{} TWh in the last 12 months", human(def.unit, s.p50())),
                Figure::UsdPerPflopsYear => format!("{} {}", human(def.unit, s.p50()), def.console),
                _ => format!("{} {}", def.console, human(def.unit, s.p50())),
            }),
            _ => None,
        })
        .collect();
    format!("{:<34} {}", "energy and cost (P50)", parts.join(", "))
}
