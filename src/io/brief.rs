//! From finished statistics to what the charts and the report show: chart series, the
//! headline table rows, and the sentence on what binds when.

use super::chart::{Band, ChartData, RegionSeries};
use super::figures::{
    human, month_interval, percent, percent_interval, value_interval, Context, FigureCi, FigureValue, FIGURES,
};
use super::format::format_thousands;
use super::page::report::{HeadlineRow, ReportData};
use crate::core::metrics::{origin_share_index, Binding, Series};
use crate::core::scenario::Scenario;
use crate::core::scope::RegionMetric;
use crate::core::stats::{Headline, Stats, Summary};
use crate::core::uncertainty::wilson;

/// The P10-P90 band of the statistics `over_time()` gives, month by month.
fn band_of<'s, I: Iterator<Item = &'s Stats>>(over_time: impl Fn() -> I) -> Band {
    Band {
        p10: over_time().map(Stats::p10).collect(),
        p25: over_time().map(Stats::p25).collect(),
        p50: over_time().map(Stats::p50).collect(),
        p75: over_time().map(Stats::p75).collect(),
        p90: over_time().map(Stats::p90).collect(),
    }
}

fn band_at(summary: &Summary, index: usize) -> Band {
    band_of(|| summary.index_over_time(index))
}

fn band(summary: &Summary, s: Series) -> Band {
    band_at(summary, s.index())
}

/// The series every chart draws, from a summary.
pub fn chart_data(scenario: &Scenario, summary: &Summary, seed: u64, scenario_file: &str) -> ChartData {
    let p50 = |index: usize| summary.index_over_time(index).map(Stats::p50).collect::<Vec<f64>>();
    let mean = |s: Series| summary.series_over_time(s).map(|st| st.mean).collect::<Vec<f64>>();
    let binding = |b: Binding| summary.binding_over_time(b).collect::<Vec<f64>>();
    let share = |k: u64| share_of(summary, k);
    ChartData {
        scenario_name: scenario.name().to_string(),
        scenario_file: scenario_file.to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        runs: summary.runs,
        seed,
        dates: (0..summary.months).map(|m| scenario.date_of(m as u32).to_string()).collect(),
        operational: band(summary, Series::Operational),
        compute_pflops: band(summary, Series::ComputePflops),
        delivered_p50: p50(Series::Delivered.index()),
        target: scenario.target().map(|t| (t.operational, t.by_month as usize)),
        grid_mw: band(summary, Series::GridMw),
        facility_mw: band(summary, Series::FacilityMw),
        built_facility_mw: band(summary, Series::BuiltFacilityMw),
        binding_chips: binding(Binding::Chips),
        binding_power: binding(Binding::Power),
        binding_space: binding(Binding::Space),
        origins: scenario.origins().iter().enumerate().map(|(i, o)| (o.clone(), p50(origin_share_index(i)))).collect(),
        home_origin: scenario.home_origin().map(str::to_string),
        domestic_share: band(summary, Series::DomesticShare),
        waiting: band(summary, Series::Waiting),
        // Means, not medians: the cause split of the median run is often all zero.
        stranded_by_power_mean: mean(Series::StrandedByPower),
        stranded_by_space_mean: mean(Series::StrandedBySpace),
        stranded_capital_usd: scenario.has_prices().then(|| band(summary, Series::StrandedCapitalUsd)),
        binding_money: (!scenario.budgets().is_empty()).then(|| binding(Binding::Money)),
        energy_twh_per_year: band(summary, Series::EnergyTwhPerYear),
        capex_usd: scenario.has_prices().then(|| band(summary, Series::CapexUsd)),
        electricity_usd: scenario.has_electricity_prices().then(|| band(summary, Series::ElectricityUsd)),
        exceedance_levels: summary.exceedance.operational.levels.clone(),
        exceedance: exceedance_curves(scenario, summary),
        target_met_share: summary.exceedance.target.as_ref().map(|t| t.runs_met.iter().map(|&k| share(k)).collect()),
        sensitivity: super::sensitivity::sensitivity_bars(scenario, summary),
        regions: region_series(scenario, summary),
    }
}

/// Per region, what the per-region charts draw (empty for one region).
fn region_series(scenario: &Scenario, summary: &Summary) -> Vec<RegionSeries> {
    let scope = &summary.scope;
    let months = scope.months();
    let band = |r: usize, k: RegionMetric| band_of(|| (0..months).map(move |m| scope.region(m, r, k)));
    let binding = |r: usize, b: Binding| (0..months).map(|m| scope.region_binding(m, r, b)).collect::<Vec<f64>>();
    (0..scope.shape.regions)
        .map(|r| RegionSeries {
            name: scenario.regions()[r].name.clone(),
            grid_mw: band(r, RegionMetric::GridMw),
            facility_mw: band(r, RegionMetric::FacilityMw),
            binding_power: binding(r, Binding::Power),
            binding_space: binding(r, Binding::Space),
            binding_chips: binding(r, Binding::Chips),
        })
        .collect()
}

/// The share of `summary`'s runs that `k` runs are.
fn share_of(summary: &Summary, k: u64) -> f64 {
    k as f64 / summary.runs.max(1) as f64
}

/// The operational-chips exceedance curves as (date, shares), one per chosen month.
fn exceedance_curves(scenario: &Scenario, summary: &Summary) -> Vec<(String, Vec<f64>)> {
    let e = &summary.exceedance;
    e.months
        .iter()
        .zip(&e.operational.runs_at_least)
        .map(|(&m, counts)| (scenario.date_of(m).to_string(), counts.iter().map(|&k| share_of(summary, k)).collect()))
        .collect()
}

/// A chance in words: "a 1-in-3 chance" below even odds, else "a 69% chance".
pub fn odds_words(p: f64) -> String {
    if p <= 0.0 {
        "no chance".to_string()
    } else if p < 0.5 {
        format!("a 1-in-{} chance", (1.0 / p).round())
    } else if p >= 1.0 {
        "a certain chance".to_string()
    } else {
        format!("a {} chance", percent(p))
    }
}

/// The report's sentences on chances and Monte Carlo error (D36-D38): the chance of the
/// 1-in-3 level of operational chips at the horizon, the target's chance and the
/// first month at least half of the runs are at the target, and what the intervals mean.
pub fn odds_text(scenario: &Scenario, summary: &Summary) -> String {
    let e = &summary.exceedance;
    let mut sentences = Vec::new();
    if let Some(o) = e.odds {
        let p = share_of(summary, o.runs);
        sentences.push(format!(
            "There is {} ({} of runs, 95% CI {}) of at least {} operational chips by {}.",
            odds_words(p),
            percent(p),
            percent_interval(wilson(o.runs as f64, summary.runs)),
            format_thousands(o.at_least),
            scenario.date_of(o.month),
        ));
    } else {
        sentences.push(format!("No run has a chip operational by {}.", scenario.date_of(scenario.horizon_month())));
    }
    if let (Some(t), Some(ci), Some(by)) = (&summary.headline.target, summary.headline.ci95.target, &e.target) {
        let half = by.runs_met.iter().position(|&k| share_of(summary, k) >= 0.5);
        let when = match half {
            Some(m) => format!("at least half of the runs have them from {}", scenario.date_of(m as u32)),
            None => "in no month do half of the runs have them".to_string(),
        };
        sentences.push(format!(
            "The target of {} chips operational by {} is met in {} of runs (95% CI {}); {when}.",
            format_thousands(t.operational as f64),
            scenario.date_of(t.by_month),
            percent(t.probability),
            percent_interval(ci),
        ));
    }
    sentences.push(format!(
        "The 95% confidence intervals (95% CI) are Monte Carlo error only: the error from running {} runs of \
         this scenario rather than infinitely many. They narrow as runs are added, and say nothing about whether \
         the scenario's inputs are right.",
        format_thousands(summary.runs as f64)
    ));
    sentences.join(" ")
}

/// The report's headline table: label, P10, P50, P90 as shown and the 95% Monte Carlo
/// interval of the P50 (of the chance, for the target), one row per figure of
/// [`FIGURES`] the scenario has.
pub fn headline_rows(scenario: &Scenario, summary: &Summary) -> Vec<HeadlineRow> {
    let h = &summary.headline;
    let cx = Context::new(scenario, h);
    let dash = || Some("\u{2014}".to_string());
    FIGURES
        .iter()
        .filter(|def| def.in_brief)
        .filter_map(|def| {
            let label = cx.fill(def.label);
            let ci = match def.figure.ci95(h)? {
                FigureCi::Distribution(c) => value_interval(def.unit, c.p50()),
                FigureCi::MonthReached(c) => month_interval(&cx, c.p50()),
                FigureCi::Probability(c) => percent_interval(c),
            };
            Some(match def.figure.value(h)? {
                FigureValue::Distribution(s) => {
                    let [a, b, c] = s.p10_p50_p90().map(|v| Some(human(def.unit, v)));
                    (label, a, b, c, ci)
                }
                FigureValue::MonthReached(r) => {
                    let [a, b, c] = r.p10_p50_p90().map(|m| m.map(|m| scenario.date_of(m as u32).to_string()));
                    (format!("{label} (reached in {} of runs)", percent(r.reached_share)), a, b, c, ci)
                }
                FigureValue::Probability(t) => (label, dash(), Some(percent(t.probability)), dash(), ci),
            })
        })
        .collect()
}

/// The months around `peak` in which `share` stays at least `level`: (first, last), the
/// stretch a sentence naming the peak can quote (it always contains the peak).
fn stretch_around(share: &[f64], peak: usize, level: f64) -> (usize, usize) {
    let first = share[..peak].iter().rposition(|&s| s < level).map_or(0, |m| m + 1);
    let last = share[peak..].iter().position(|&s| s < level).map_or(share.len() - 1, |m| peak + m - 1);
    (first, last)
}

/// Share of runs from which a constraint counts as binding "in a sizeable share of runs".
pub const BINDS_THRESHOLD: f64 = 0.10;

/// The constraints a scenario's "what binds" text speaks of, in `Binding::ALL` order:
/// power and space always, money only where deliveries wait for a budget line.
pub fn limits_of(scenario: &Scenario) -> impl Iterator<Item = Binding> + '_ {
    Binding::limits().filter(|&b| b != Binding::Money || !scenario.budgets().is_empty())
}

/// One clause per constraint (power, space, then money where the scenario has budget
/// lines) on when it binds, and one on how often
/// nothing waits, e.g. "power binds in 62% of runs at its peak (2028-11), in most runs
/// from 2028-03 to 2029-11": the window is the unbroken stretch of months around the
/// peak in which the constraint binds in at least half the runs (at least 10% when the
/// peak is below half). Shared by report.html and compare.
pub fn binding_clauses(scenario: &Scenario, summary: &Summary) -> Vec<String> {
    let mut clauses = Vec::new();
    for b in limits_of(scenario) {
        let share: Vec<f64> = summary.binding_over_time(b).collect();
        let (_, peak) = peak_of(&share);
        clauses.push(if peak < BINDS_THRESHOLD {
            format!("{} binds in under 10% of runs in every month (at most {})", b.label(), percent(peak))
        } else {
            binds_at_peak(scenario, b.label(), &share)
        });
    }
    let months = summary.binding_share.len().max(1) as f64;
    let chips = summary.binding_over_time(Binding::Chips).sum::<f64>() / months;
    clauses.push(format!("nothing waits (chips bind) in {} of run-months", percent(chips)));
    clauses
}

/// The month with the largest share (the first of equals) and that share.
fn peak_of(share: &[f64]) -> (usize, f64) {
    share.iter().copied().enumerate().fold((0, 0.0), |acc, (m, s)| if s > acc.1 { (m, s) } else { acc })
}

/// "NAME binds in 62% of runs at its peak (2028-11), in most runs from 2028-03 to
/// 2029-11": the window is the stretch around the peak at half the runs (10% when the
/// peak is below half), so the sentence never names a peak outside the months it gives.
fn binds_at_peak(scenario: &Scenario, name: &str, share: &[f64]) -> String {
    let date = |m: usize| scenario.date_of(m as u32);
    let (peak_month, peak) = peak_of(share);
    let (level, words) = if peak >= 0.5 { (0.5, "in most runs") } else { (BINDS_THRESHOLD, "in at least 10% of runs") };
    let (a, z) = stretch_around(share, peak_month, level);
    let window = format!("{words} from {} to {}", date(a), date(z));
    format!("{name} binds in {} of runs at its peak ({}), {window}", percent(peak), date(peak_month))
}

/// For a scenario with 2+ regions, one clause per region on what binds there (D53):
/// power and space where they bind in at least 10% of runs in some month, e.g. "in
/// north, power binds in 80% of runs at its peak (2027-05), in most runs from 2026-09 to
/// 2027-11", or "in south, nothing waits in any month in 90% of runs or more" where
/// neither does. Empty for one region, so single-region reports keep their text.
pub fn region_clauses(scenario: &Scenario, summary: &Summary) -> Vec<String> {
    let scope = &summary.scope;
    let mut clauses = Vec::new();
    for (r, region) in scenario.regions().iter().enumerate().take(scope.shape.regions) {
        let mut parts = Vec::new();
        for b in [Binding::Power, Binding::Space] {
            let share: Vec<f64> = (0..scope.months()).map(|m| scope.region_binding(m, r, b)).collect();
            if peak_of(&share).1 >= BINDS_THRESHOLD {
                parts.push(binds_at_peak(scenario, b.label(), &share));
            }
        }
        clauses.push(if parts.is_empty() {
            format!("in {}, power and space bind in under 10% of runs in every month", region.name)
        } else {
            format!("in {}, {}", region.name, parts.join("; "))
        });
    }
    clauses
}

/// The constraints that limit runs (D35), largest share first (ties in `Binding::ALL`
/// order), e.g. "power in 62% of runs, chips in 30%, space in 8%". Money is named only
/// where the scenario has budget lines (D30); shares of 0 are left out, except the
/// largest.
pub fn limited_by_clause(scenario: &Scenario, h: &Headline) -> String {
    let mut parts: Vec<(Binding, f64)> = Binding::ALL
        .into_iter()
        .filter(|&b| b != Binding::Money || !scenario.budgets().is_empty())
        .map(|b| (b, h.limited_by[b.index()]))
        .collect();
    parts.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut words = Vec::new();
    for (i, (b, share)) in parts.into_iter().enumerate() {
        if i > 0 && share == 0.0 {
            continue;
        }
        words.push(if i == 0 {
            format!("{} in {} of runs", b.label(), percent(share))
        } else {
            format!("{} in {}", b.label(), percent(share))
        });
    }
    words.join(", ")
}

/// The switches from chips some run makes (D47), in `Binding::ALL` order: the
/// constraint, the share of runs ("62%", "under 1%", "over 99%") and when among those runs ("at
/// median 2028-03 (P10 2027-06, P90 2029-01)").
fn switches(scenario: &Scenario, h: &Headline) -> Vec<(Binding, String, String)> {
    let all = [(Binding::Power, &h.chips_to_power), (Binding::Space, &h.chips_to_space)]
        .into_iter()
        .chain((!scenario.budgets().is_empty()).then_some((Binding::Money, &h.chips_to_money)));
    let date = |m: Option<f64>| m.map_or_else(|| "n/a".to_string(), |m| scenario.date_of(m as u32).to_string());
    all.filter_map(|(b, switch)| {
        let s = Some(switch).filter(|s| s.all.reached_share > 0.0)?;
        let share = match s.all.reached_share {
            x if x < 0.005 => "under 1%".to_string(),
            x if (0.995..1.0).contains(&x) => "over 99%".to_string(),
            x => percent(x),
        };
        let [p10, p50, p90] = s.among_switched.map(date);
        Some((b, share, format!("at median {p50} (P10 {p10}, P90 {p90})")))
    })
    .collect()
}

/// The console's clause on the switches from chips (D47), e.g. "to power in 62% of
/// runs, at median 2028-03 (P10 2027-06, P90 2029-01); to space in 4%, ...", the months
/// among the runs that switch; "none" when no run switches.
pub fn switch_clause(scenario: &Scenario, h: &Headline) -> String {
    let parts: Vec<String> = switches(scenario, h)
        .into_iter()
        .enumerate()
        .map(|(i, (b, share, when))| {
            let runs = if i == 0 { " of runs" } else { "" };
            format!("to {} in {share}{runs}, {when}", b.label())
        })
        .collect();
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join("; ")
    }
}

/// The report's sentence on the switches from chips (D47): "In 62% of runs the binding
/// constraint switches from chips to power, at median 2028-03 (P10 2027-06, P90
/// 2029-01); to space in 4%, at median .... The months are among the runs that switch."
pub fn switch_sentence(scenario: &Scenario, h: &Headline) -> String {
    let all = switches(scenario, h);
    let Some(((b, share, when), rest)) = all.split_first() else {
        return "In no run does the binding constraint switch from chips to another constraint.".to_string();
    };
    let mut text = format!("In {share} of runs the binding constraint switches from chips to {}, {when}", b.label());
    for (b, share, when) in rest {
        text.push_str(&format!("; to {} in {share}, {when}", b.label()));
    }
    text.push_str(". The months are among the runs that switch.");
    text
}

/// When power binds in at least half of the runs: "from 2027-04 to 2029-02" (the first
/// unbroken stretch), or `None` when it never does.
pub fn power_half_window(scenario: &Scenario, h: &Headline) -> Option<String> {
    h.power_binds_in_half_of_runs.map(|(a, z)| {
        if a == z {
            format!("in {}", scenario.date_of(a))
        } else {
            format!("from {} to {}", scenario.date_of(a), scenario.date_of(z))
        }
    })
}

/// The brief's first answer, in two sentences: which constraint limits the runs (the
/// one that binds in most months from the first delivery to the horizon, D35) and from
/// when power binds in at least half of them.
pub fn verdict(scenario: &Scenario, summary: &Summary) -> String {
    let h = &summary.headline;
    let power = match power_half_window(scenario, h) {
        Some(window) => format!("Power binds in at least half of the runs {window}."),
        None => "Power binds in under half of the runs in every month.".to_string(),
    };
    format!(
        "Limited by (the constraint that binds in most months from the first delivery to {}): {}. {power}",
        scenario.date_of(scenario.horizon_month()),
        limited_by_clause(scenario, h),
    )
}

/// The report's paragraph on what binds: the horizon figure, then one sentence per clause.
pub fn binding_text(scenario: &Scenario, summary: &Summary) -> String {
    let h = &summary.headline;
    let mut sentences = vec![format!(
        "By {}, the median run has {} of {} ordered chips operational (P10 {}, P90 {}).",
        scenario.date_of(scenario.horizon_month()),
        format_thousands(h.operational_at_horizon.p50()),
        format_thousands(h.ordered_chips as f64),
        format_thousands(h.operational_at_horizon.p10()),
        format_thousands(h.operational_at_horizon.p90()),
    )];
    for clause in binding_clauses(scenario, summary).into_iter().chain(region_clauses(scenario, summary)) {
        let mut chars = clause.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
        sentences.push(format!("{first}{}.", chars.as_str()));
    }
    sentences.push(switch_sentence(scenario, h));
    sentences.join(" ")
}

/// Everything the report needs besides the charts.
pub fn report_data(scenario: &Scenario, summary: &Summary) -> ReportData {
    ReportData {
        description: scenario.description().map(str::to_string),
        verdict: verdict(scenario, summary),
        headline_rows: headline_rows(scenario, summary),
        binding_text: binding_text(scenario, summary),
        odds_text: odds_text(scenario, summary),
        what_matters: super::sensitivity::what_matters(scenario, summary),
        assumptions: super::assumptions::assumption_tables(scenario),
    }
}

#[cfg(test)]
mod tests {
    use super::stretch_around;

    #[test]
    fn the_stretch_around_the_peak_contains_it() {
        let share = [0.1, 0.6, 0.7, 0.2, 0.5, 0.9, 0.5, 0.0];
        assert_eq!(stretch_around(&share, 5, 0.5), (4, 6));
        assert_eq!(stretch_around(&share, 2, 0.5), (1, 2));
        assert_eq!(stretch_around(&[0.6, 0.6], 1, 0.5), (0, 1));
        assert_eq!(stretch_around(&[0.6], 0, 0.5), (0, 0));
    }
}
