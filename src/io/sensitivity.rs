//! The inputs that matter most, in words (D40): how a reader names each uncertain input
//! (chart bars, sentences), the `tornado` chart's bars and the report's "What matters
//! most" sentences, all from `core::sensitivity`.

use super::chart::SensitivityBars;
use super::chart::TORNADO_BARS;
use super::format::format_thousands;
use crate::core::run::DrawnInput;
use crate::core::run_row::RunsLayout;
use crate::core::scenario::Scenario;
use crate::core::sensitivity::Correlation;
use crate::core::stats::Summary;

/// What a section's item is, as a reader says it.
fn section_noun(section: &str) -> &'static str {
    match section {
        "power" => "grid addition",
        "sites" => "site",
        "deliveries" => "delivery",
        "shocks" => "shock",
        _ => "factor",
    }
}

/// The section in a chart label's brackets, short.
fn section_tag(section: &str) -> &'static str {
    match section {
        "power" => "grid",
        "sites" => "site",
        "deliveries" => "delivery",
        "shocks" => "shock",
        _ => "factor",
    }
}

/// What a quantity is, as a reader says it.
fn quantity_noun(quantity: &str) -> &'static str {
    match quantity {
        "happened" => "happens",
        "delay_months" => "delay",
        "install_months" => "install time",
        "pue" => "PUE",
        "start" => "start",
        "duration_months" => "duration",
        _ => "value",
    }
}

/// A short name for chart bars: "Capital substation 2: delay (grid)",
/// "transformer supply (shared factor)".
pub fn input_label(input: &DrawnInput) -> String {
    if input.section == "factors" {
        return format!("{} (shared factor)", input.item);
    }
    format!("{}: {} ({})", input.item, quantity_noun(input.quantity), section_tag(input.section))
}

/// The input in a sentence: "the delay of the grid addition “Capital substation 2”",
/// "whether the shock “Export pause” happens", "the shared factor “transformer supply”".
pub fn input_phrase(input: &DrawnInput) -> String {
    let (noun, item) = (section_noun(input.section), &input.item);
    match input.quantity {
        "z" => format!("the shared factor \u{201c}{item}\u{201d}"),
        "happened" => format!("whether the {noun} \u{201c}{item}\u{201d} happens"),
        quantity => format!("the {} of the {noun} \u{201c}{item}\u{201d}", quantity_noun(quantity)),
    }
}

/// The `tornado` chart's bars: the inputs most correlated with chips operational at the
/// horizon (defined correlations only), largest first.
pub fn sensitivity_bars(scenario: &Scenario, summary: &Summary) -> SensitivityBars {
    let layout = RunsLayout::of(scenario);
    let s = &summary.sensitivity;
    let bars = s
        .for_output("operational")
        .unwrap_or(&[])
        .iter()
        .filter_map(|c| Some((input_label(layout.inputs.get(c.input)?), c.rho?)))
        .take(TORNADO_BARS)
        .collect();
    SensitivityBars { at: scenario.date_of(scenario.horizon_month()).to_string(), runs: s.runs, bars }
}

/// Whether a correlation is distinguishable from zero: its 95% interval excludes 0.
fn clear(c: &Correlation) -> bool {
    c.ci95.is_some_and(|[lo, hi]| lo > 0.0 || hi < 0.0)
}

/// rho as the sentences write it: "+0.45", "\u{2212}0.30".
pub fn signed_rho(rho: f64) -> String {
    format!("{}{:.2}", if rho < 0.0 { "\u{2212}" } else { "+" }, rho.abs())
}

/// The sentence on what matters most for one output: the top input with its
/// correlation and the next two that are also clear of zero.
fn matters_for(layout: &RunsLayout, ranked: &[Correlation], outcome: &str, lead: &str) -> String {
    let clear_ones: Vec<&Correlation> = ranked.iter().filter(|c| c.rho.is_some() && clear(c)).take(3).collect();
    let phrase = |c: &Correlation| layout.inputs.get(c.input).map(input_phrase).unwrap_or_default();
    let rho = |c: &Correlation| signed_rho(c.rho.unwrap_or(0.0));
    let Some((top, rest)) = clear_ones.split_first() else {
        return format!("{lead}no input's rank correlation with {outcome} is clear of zero at this number of runs.");
    };
    let mut sentence = format!(
        "{lead}{} explains more of {outcome} than any other input (rank correlation {})",
        capitalize_if(lead.is_empty(), &phrase(top)),
        rho(top)
    );
    match rest {
        [] => sentence.push('.'),
        [next] => sentence.push_str(&format!("; next comes {} ({}).", phrase(next), rho(next))),
        [a, b, ..] => {
            sentence.push_str(&format!("; next come {} ({}) and {} ({}).", phrase(a), rho(a), phrase(b), rho(b)))
        }
    }
    sentence
}

fn capitalize_if(yes: bool, s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) if yes => first.to_uppercase().chain(chars).collect(),
        _ => s.to_string(),
    }
}

/// The report's "What matters most" sentences: for chips operational at the horizon,
/// then for the target where one is set.
pub fn what_matters(scenario: &Scenario, summary: &Summary) -> Vec<String> {
    let layout = RunsLayout::of(scenario);
    let s = &summary.sensitivity;
    if layout.inputs.is_empty() || s.runs == 0 {
        return vec!["Nothing in this scenario is uncertain, so no input can matter more than another.".into()];
    }
    let horizon = scenario.date_of(scenario.horizon_month());
    let mut out = Vec::new();
    if let Some(ranked) = s.for_output("operational") {
        out.push(matters_for(&layout, ranked, &format!("the {horizon} outcome (chips operational)"), ""));
    }
    if let (Some(t), Some(ranked)) = (scenario.target(), s.for_output("target_met")) {
        let lead = format!(
            "For the target ({} chips by {}), ",
            format_thousands(t.operational as f64),
            scenario.date_of(t.by_month)
        );
        out.push(matters_for(&layout, ranked, "whether it is met", &lead));
    }
    out.push(format!(
        "Rank correlations (Spearman) over {} runs; \u{00b1}{:.2} is about their 95% sampling error. \
         They measure association across the runs as drawn, not what changing one input alone would do; \
         the sensitivity command (buildout sensitivity) pins each input in turn and reports the swing.",
        format_thousands(s.runs as f64),
        1.96 * (1.06 / (s.runs.max(4) as f64 - 3.0)).sqrt()
    ));
    out
}
