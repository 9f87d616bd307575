//! The one table of headline figures (MODEL.md section 6): for each figure its key, kind,
//! unit and labels, read by every writer that shows headline figures (the console summary,
//! `headline.json`, `report.html`, `compare.*`, `sweep.*`). A new figure is one entry in
//! [`FIGURES`] plus its computation in `core::stats` and a line in [`Figure::value`].
//!
//! Per-month series are declared once in `core::metrics::Series` (name, unit); this
//! module formats values of either by their [`Unit`].

use super::format::{format_compact, format_thousands, trim_decimals};
use crate::core::metrics::Unit;
use crate::core::scenario::Scenario;
use crate::core::stats::{Headline, Reached, ReachedCi, Stats, StatsCi, TargetResult};
use crate::core::uncertainty::Interval;

/// How a figure is distributed across runs, which decides how it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureKind {
    /// A quantity every run has: mean and percentiles.
    Distribution,
    /// The month something first happens, which some runs never reach.
    MonthReached,
    /// The share of runs in which something holds.
    Probability,
}

/// One headline figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// Chips operational at the horizon.
    OperationalAtHorizon,
    /// Compute operational at the horizon, PFLOP/s.
    ComputeAtHorizon,
    /// The month when half the ordered chips run.
    Month50pctOperational,
    /// The month when 90% of the ordered chips run.
    Month90pctOperational,
    /// The first month in which power binds.
    PowerFirstBinds,
    /// The month the binding constraint first switches from chips to power (D47).
    ChipsToPower,
    /// The same, to space.
    ChipsToSpace,
    /// The same, to money.
    ChipsToMoney,
    /// Chips waiting, summed over months.
    StrandedChipMonths,
    /// Price of waiting chips, summed over months (when prices are set).
    StrandedCapitalUsdMonths,
    /// Facility energy in the last 12 months to the horizon, TWh.
    EnergyLast12Months,
    /// Its cost, USD (when a region prices electricity).
    ElectricityLast12Months,
    /// Price of the chips delivered by the horizon, USD (when prices are set).
    CapexAtHorizon,
    /// Capex plus electricity per PFLOP/s-year of compute to the horizon, USD.
    UsdPerPflopsYear,
    /// The chance that `[target]` is met (when a target is set).
    Target,
}

/// How one figure is named and shown. Labels may hold the placeholders `{horizon}`,
/// `{ordered}`, `{target}` and `{target_date}` (see [`Context`]).
#[derive(Debug, Clone, Copy)]
pub struct FigureDef {
    /// Which figure.
    pub figure: Figure,
    /// Key in `headline.json` and `compare.json`; column stem in `sweep.csv`.
    pub key: &'static str,
    /// Distribution, month reached or probability.
    pub kind: FigureKind,
    /// What the values count (distributions only).
    pub unit: Unit,
    /// Row label in `report.html`.
    pub label: &'static str,
    /// Row label in the console summary.
    pub console: &'static str,
    /// Text after the console row's values.
    pub console_note: &'static str,
    /// Row label in `compare.html`.
    pub compare: &'static str,
    /// Markup after the compare cell's values.
    pub compare_note: &'static str,
    /// Whether `sweep.csv` has columns for it.
    pub in_sweep: bool,
    /// Whether the console summary gives it a row of its own (the energy and cost
    /// figures share one line instead, see `io::tables::console`).
    pub own_console_row: bool,
    /// Whether the console summary and report.html's table show it; `power_first_binds`
    /// is kept in the files only, since a single stranded chip sets it: the month from
    /// which power binds in half of the runs leads instead (`io::brief::verdict`).
    pub in_brief: bool,
}

/// Every headline figure, in the order every writer shows them.
pub const FIGURES: [FigureDef; 15] = [
    FigureDef {
        figure: Figure::OperationalAtHorizon,
        key: "operational_at_horizon",
        kind: FigureKind::Distribution,
        unit: Unit::Chips,
        label: "Chips operational at {horizon} (of {ordered} ordered)",
        console: "operational chips at horizon",
        console_note: "   of {ordered} ordered",
        compare: "operational chips at horizon (P10 / P50 / P90)",
        compare_note: "<br><small>horizon {horizon}</small>",
        in_sweep: true,
        own_console_row: true,
        in_brief: true,
    },
    FigureDef {
        figure: Figure::ComputeAtHorizon,
        key: "compute_pflops_at_horizon",
        kind: FigureKind::Distribution,
        unit: Unit::Pflops,
        label: "Compute at {horizon}, PFLOP/s (dense BF16)",
        console: "compute at horizon (PFLOP/s)",
        console_note: "",
        compare: "compute at horizon, PFLOP/s",
        compare_note: "",
        in_sweep: true,
        own_console_row: true,
        in_brief: true,
    },
    FigureDef {
        figure: Figure::Month50pctOperational,
        key: "month_50pct_operational",
        kind: FigureKind::MonthReached,
        unit: Unit::Chips,
        label: "50% of ordered chips operational",
        console: "50% of ordered chips operational",
        console_note: "",
        compare: "50% of ordered chips operational",
        compare_note: "",
        in_sweep: true,
        own_console_row: true,
        in_brief: true,
    },
    FigureDef {
        figure: Figure::Month90pctOperational,
        key: "month_90pct_operational",
        kind: FigureKind::MonthReached,
        unit: Unit::Chips,
        label: "90% of ordered chips operational",
        console: "90% of ordered chips operational",
        console_note: "",
        compare: "90% of ordered chips operational",
        compare_note: "",
        in_sweep: true,
        own_console_row: true,
        in_brief: true,
    },
    FigureDef {
        figure: Figure::PowerFirstBinds,
        key: "power_first_binds",
        kind: FigureKind::MonthReached,
        unit: Unit::Chips,
        label: "Power first binds",
        console: "power first binds",
        console_note: "",
        compare: "power first binds",
        compare_note: "",
        in_sweep: true,
        own_console_row: true,
        in_brief: false,
    },
    FigureDef {
        figure: Figure::ChipsToPower,
        key: "chips_to_power",
        kind: FigureKind::MonthReached,
        unit: Unit::Chips,
        label: "Binding constraint switches from chips to power",
        console: "chips to power switch",
        console_note: "",
        compare: "switch from chips to power",
        compare_note: "",
        in_sweep: true,
        own_console_row: true,
        // One sentence on the switches instead (`io::brief::switch_clauses`).
        in_brief: false,
    },
    FigureDef {
        figure: Figure::ChipsToSpace,
        key: "chips_to_space",
        kind: FigureKind::MonthReached,
        unit: Unit::Chips,
        label: "Binding constraint switches from chips to space",
        console: "chips to space switch",
        console_note: "",
        compare: "switch from chips to space",
        compare_note: "",
        in_sweep: false,
        own_console_row: true,
        // One sentence on the switches instead (`io::brief::switch_clauses`).
        in_brief: false,
    },
    FigureDef {
        figure: Figure::ChipsToMoney,
        key: "chips_to_money",
        kind: FigureKind::MonthReached,
        unit: Unit::Chips,
        label: "Binding constraint switches from chips to money",
        console: "chips to money switch",
        console_note: "",
        compare: "switch from chips to money",
        compare_note: "",
        in_sweep: false,
        own_console_row: true,
        // One sentence on the switches instead (`io::brief::switch_clauses`).
        in_brief: false,
    },
    FigureDef {
        figure: Figure::StrandedChipMonths,
        key: "stranded_chip_months",
        kind: FigureKind::Distribution,
        unit: Unit::Chips,
        label: "Stranded chip-months",
        console: "stranded chip-months",
        console_note: "",
        compare: "stranded chip-months",
        compare_note: "",
        in_sweep: true,
        own_console_row: true,
        in_brief: true,
    },
    FigureDef {
        figure: Figure::StrandedCapitalUsdMonths,
        key: "stranded_capital_usd_months",
        kind: FigureKind::Distribution,
        unit: Unit::Usd,
        label: "Stranded capital, USD-months",
        console: "stranded capital (USD-months)",
        console_note: "",
        compare: "stranded capital, USD-months",
        compare_note: "",
        in_sweep: false,
        own_console_row: true,
        in_brief: true,
    },
    FigureDef {
        figure: Figure::EnergyLast12Months,
        key: "energy_twh_last_12_months",
        kind: FigureKind::Distribution,
        unit: Unit::Twh,
        label: "Facility energy in the 12 months to {horizon}, TWh",
        console: "energy, last 12 months (TWh)",
        console_note: "",
        compare: "energy in the last 12 months, TWh",
        compare_note: "",
        in_sweep: true,
        own_console_row: false,
        in_brief: true,
    },
    FigureDef {
        figure: Figure::ElectricityLast12Months,
        key: "electricity_usd_last_12_months",
        kind: FigureKind::Distribution,
        unit: Unit::Usd,
        label: "Electricity cost in the 12 months to {horizon}, USD",
        console: "electricity",
        console_note: "",
        compare: "electricity cost in the last 12 months, USD",
        compare_note: "",
        in_sweep: true,
        own_console_row: false,
        in_brief: true,
    },
    FigureDef {
        figure: Figure::CapexAtHorizon,
        key: "capex_usd_at_horizon",
        kind: FigureKind::Distribution,
        unit: Unit::Usd,
        label: "Chips bought by {horizon} (capex), USD",
        console: "capex",
        console_note: "",
        compare: "capex at horizon, USD",
        compare_note: "",
        in_sweep: true,
        own_console_row: false,
        in_brief: true,
    },
    FigureDef {
        figure: Figure::UsdPerPflopsYear,
        key: "usd_per_pflops_year",
        kind: FigureKind::Distribution,
        unit: Unit::Usd,
        label: "Capex and electricity per PFLOP/s-year delivered to {horizon}, USD",
        console: "per PFLOP/s-year",
        console_note: "",
        compare: "USD per PFLOP/s-year delivered",
        compare_note: "",
        in_sweep: true,
        own_console_row: false,
        in_brief: true,
    },
    FigureDef {
        figure: Figure::Target,
        key: "target",
        kind: FigureKind::Probability,
        unit: Unit::Share,
        label: "Chance of {target} chips operational by {target_date}",
        console: "target {target} by {target_date}",
        console_note: "",
        compare: "target met",
        compare_note: "",
        in_sweep: true,
        own_console_row: true,
        in_brief: true,
    },
];

/// A figure's value in one summary.
#[derive(Debug, Clone, Copy)]
pub enum FigureValue<'a> {
    /// Mean and percentiles.
    Distribution(&'a Stats),
    /// Percentile months and the share of runs that got there.
    MonthReached(&'a Reached),
    /// The target and the chance it is met.
    Probability(&'a TargetResult),
}

/// A figure's 95% Monte Carlo interval in one summary (MODEL.md D38).
#[derive(Debug, Clone, Copy)]
pub enum FigureCi<'a> {
    /// The mean's and each percentile's.
    Distribution(&'a StatsCi),
    /// The reached share's and each percentile month's.
    MonthReached(&'a ReachedCi),
    /// The probability's (Wilson).
    Probability([f64; 2]),
}

impl Figure {
    /// The figure's 95% interval, or `None` where the scenario does not have the figure.
    pub fn ci95(self, h: &Headline) -> Option<FigureCi<'_>> {
        use FigureCi::{Distribution, MonthReached, Probability};
        let c = &h.ci95;
        match self {
            Figure::OperationalAtHorizon => Some(Distribution(&c.operational_at_horizon)),
            Figure::ComputeAtHorizon => Some(Distribution(&c.compute_pflops_at_horizon)),
            Figure::Month50pctOperational => Some(MonthReached(&c.month_50pct_operational)),
            Figure::Month90pctOperational => Some(MonthReached(&c.month_90pct_operational)),
            Figure::PowerFirstBinds => Some(MonthReached(&c.power_first_binds)),
            Figure::ChipsToPower => Some(MonthReached(&c.chips_to_power)),
            Figure::ChipsToSpace => Some(MonthReached(&c.chips_to_space)),
            Figure::ChipsToMoney => Some(MonthReached(&c.chips_to_money)),
            Figure::StrandedChipMonths => Some(Distribution(&c.stranded_chip_months)),
            Figure::StrandedCapitalUsdMonths => c.stranded_capital_usd_months.as_ref().map(Distribution),
            Figure::EnergyLast12Months => Some(Distribution(&c.energy_twh_last_12_months)),
            Figure::ElectricityLast12Months => c.electricity_usd_last_12_months.as_ref().map(Distribution),
            Figure::CapexAtHorizon => c.capex_usd_at_horizon.as_ref().map(Distribution),
            Figure::UsdPerPflopsYear => c.usd_per_pflops_year.as_ref().map(Distribution),
            Figure::Target => c.target.map(Probability),
        }
    }

    /// The figure's value, or `None` where the scenario does not have it (no prices, no
    /// target).
    pub fn value(self, h: &Headline) -> Option<FigureValue<'_>> {
        use FigureValue::{Distribution, MonthReached, Probability};
        match self {
            Figure::OperationalAtHorizon => Some(Distribution(&h.operational_at_horizon)),
            Figure::ComputeAtHorizon => Some(Distribution(&h.compute_pflops_at_horizon)),
            Figure::Month50pctOperational => Some(MonthReached(&h.month_50pct_operational)),
            Figure::Month90pctOperational => Some(MonthReached(&h.month_90pct_operational)),
            Figure::PowerFirstBinds => Some(MonthReached(&h.power_first_binds)),
            Figure::ChipsToPower => Some(MonthReached(&h.chips_to_power.all)),
            Figure::ChipsToSpace => Some(MonthReached(&h.chips_to_space.all)),
            Figure::ChipsToMoney => Some(MonthReached(&h.chips_to_money.all)),
            Figure::StrandedChipMonths => Some(Distribution(&h.stranded_chip_months)),
            Figure::StrandedCapitalUsdMonths => h.stranded_capital_usd_months.as_ref().map(Distribution),
            Figure::EnergyLast12Months => Some(Distribution(&h.energy_twh_last_12_months)),
            Figure::ElectricityLast12Months => h.electricity_usd_last_12_months.as_ref().map(Distribution),
            Figure::CapexAtHorizon => h.capex_usd_at_horizon.as_ref().map(Distribution),
            Figure::UsdPerPflopsYear => h.usd_per_pflops_year.as_ref().map(Distribution),
            Figure::Target => h.target.as_ref().map(Probability),
        }
    }
}

/// What label placeholders stand for in one scenario's results.
pub struct Context<'a> {
    scenario: &'a Scenario,
    headline: &'a Headline,
}

impl<'a> Context<'a> {
    /// The context of one scenario's headline figures.
    pub fn new(scenario: &'a Scenario, headline: &'a Headline) -> Context<'a> {
        Context { scenario, headline }
    }

    /// `template` with `{horizon}`, `{ordered}`, `{target}` and `{target_date}` filled in.
    pub fn fill(&self, template: &str) -> String {
        if !template.contains('{') {
            return template.to_string();
        }
        let mut text = template
            .replace("{horizon}", &self.scenario.date_of(self.scenario.horizon_month()).to_string())
            .replace("{ordered}", &format_thousands(self.headline.ordered_chips as f64));
        if let Some(t) = &self.headline.target {
            text = text
                .replace("{target}", &format_thousands(t.operational as f64))
                .replace("{target_date}", &self.scenario.date_of(t.by_month).to_string());
        }
        text
    }

    /// A month index as its date, or "not reached".
    pub fn month(&self, m: Option<f64>) -> String {
        m.map_or("not reached".to_string(), |m| self.scenario.date_of(m as u32).to_string())
    }
}

/// A value for people, the same in the console, report.html and compare.html: dollars
/// compact (`$1.25B`), everything else with thousands separators.
pub fn human(unit: Unit, v: f64) -> String {
    match unit {
        _ if !v.is_finite() => "n/a".to_string(),
        Unit::Usd => format!("${}", format_compact(v)),
        Unit::Twh => trim_decimals(v, 2),
        _ => format_thousands(v),
    }
}

/// A share as a whole percentage: 0.687 -> "69%".
pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// A share's interval as whole percentages: [0.684, 0.702] -> "68-70%"; one decimal
/// when the whole percentages would be equal ("68.4-68.9%").
pub fn percent_interval([lo, hi]: [f64; 2]) -> String {
    let whole = |x: f64| format!("{:.0}", x * 100.0);
    if whole(lo) == whole(hi) && hi > lo {
        format!("{:.1}-{:.1}%", lo * 100.0, hi * 100.0)
    } else {
        format!("{}-{}%", whole(lo), whole(hi))
    }
}

/// A month interval as dates: "2029-04 to 2029-06", one date when both ends fall in the
/// same month; an infinite end reads "not reached", an unbounded one "too few runs".
pub fn month_interval(cx: &Context, [lo, hi]: Interval) -> String {
    let side = |m: Option<f64>| m.map_or("too few runs".to_string(), |m| cx.month(m.is_finite().then_some(m)));
    let (lo_text, hi_text) = (side(lo), side(hi));
    if lo_text == hi_text {
        lo_text
    } else {
        format!("{lo_text} to {hi_text}")
    }
}

/// A value interval for people: "256,100-259,800" in the figure's unit; "n/a" on a
/// side the runs cannot bound.
pub fn value_interval(unit: Unit, [lo, hi]: Interval) -> String {
    let side = |v: Option<f64>| v.map_or("n/a".to_string(), |v| human(unit, v));
    let (a, b) = (side(lo), side(hi));
    if a == b {
        a
    } else {
        format!("{a} to {b}")
    }
}

/// `a / b / c`, the P10 / P50 / P90 triple of tables.
pub fn triple(cells: [String; 3]) -> String {
    cells.join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_is_listed_once_with_a_unique_key() {
        for (i, a) in FIGURES.iter().enumerate() {
            for b in &FIGURES[i + 1..] {
                assert_ne!(a.figure, b.figure);
                assert_ne!(a.key, b.key);
            }
        }
    }
}
