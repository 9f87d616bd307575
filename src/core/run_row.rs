//! One row of the per-run table (`run --per-run`, D39): the headline outputs of one run,
//! read from its record, and which output columns a scenario's table has. The drawn
//! inputs come from the engine (`run::drawn_inputs`, `Workspace::inputs`).

use super::metrics::{Binding, Series};
use super::run::{drawn_inputs, DrawnInput, RunRecord};
use super::scenario::Scenario;
use super::stats::limiting_constraint;

/// The columns of a scenario's per-run table, built once.
#[derive(Debug, Clone, PartialEq)]
pub struct RunsLayout {
    /// The uncertain inputs, in the engine's draw order.
    pub inputs: Vec<DrawnInput>,
    /// Whether the table has `target_met` (the scenario sets a `[target]`).
    pub target: bool,
    /// Whether it has `capex_usd_at_horizon` (some chip has a price), as headline.json.
    pub capex: bool,
    /// Whether it has `usd_per_pflops_year` (prices or electricity prices), as headline.json.
    pub usd_per_pflops: bool,
}

impl RunsLayout {
    /// The layout for `scenario`.
    pub fn of(scenario: &Scenario) -> RunsLayout {
        RunsLayout {
            inputs: drawn_inputs(scenario),
            target: scenario.target().is_some(),
            capex: scenario.has_prices(),
            usd_per_pflops: scenario.has_prices() || scenario.has_electricity_prices(),
        }
    }

    /// Every column name, from `run` to `limited_by`.
    pub fn column_names(&self) -> Vec<String> {
        let mut names = vec!["run".to_string()];
        names.extend(self.inputs.iter().map(DrawnInput::column_name));
        names.extend(["operational", "compute_pflops", "month_50pct", "month_90pct"].map(String::from));
        if self.target {
            names.push("target_met".into());
        }
        names.extend(["stranded_chip_months", "energy_twh_last_12_months"].map(String::from));
        if self.capex {
            names.push("capex_usd_at_horizon".into());
        }
        if self.usd_per_pflops {
            names.push("usd_per_pflops_year".into());
        }
        names.push("limited_by".into());
        names
    }
}

/// The headline outputs of one run, as `core::stats` counts them for the headline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOutputs {
    /// Operational chips at the horizon.
    pub operational: f64,
    /// Operational compute at the horizon, PFLOP/s.
    pub compute_pflops: f64,
    /// First month with 50% of ordered chips operational.
    pub month_50pct: Option<usize>,
    /// First month with 90% of ordered chips operational.
    pub month_90pct: Option<usize>,
    /// Whether the target was met at its month (`None` without a target).
    pub target_met: Option<bool>,
    /// Chips waiting, summed over months.
    pub stranded_chip_months: f64,
    /// Facility energy in the 12 months to the horizon, TWh.
    pub energy_twh_last_12_months: f64,
    /// Capital spent on chips by the horizon, USD.
    pub capex_usd_at_horizon: f64,
    /// Capex plus electricity per PFLOP/s-year delivered (infinite without compute).
    pub usd_per_pflops_year: f64,
    /// The constraint that limited the run (D35).
    pub limited_by: Binding,
}

impl RunOutputs {
    /// The outputs of the run `record` holds.
    pub fn of(scenario: &Scenario, record: &RunRecord) -> RunOutputs {
        let horizon = record.months() - 1;
        let ordered = scenario.ordered_chips() as f64;
        let first = |share: f64| (0..record.months()).find(|&m| record.get(m, Series::Operational) >= share * ordered);
        let last_12 = |s: Series| record.get(horizon, s) - record.get(horizon.saturating_sub(12), s);
        let compute_years = record.get(horizon, Series::ComputePflopsYears);
        let usd = record.get(horizon, Series::CapexUsd) + record.get(horizon, Series::ElectricityUsd);
        RunOutputs {
            operational: record.get(horizon, Series::Operational),
            compute_pflops: record.get(horizon, Series::ComputePflops),
            month_50pct: first(0.5),
            month_90pct: first(0.9),
            target_met: scenario
                .target()
                .map(|t| record.get(t.by_month as usize, Series::Operational) >= t.operational as f64),
            stranded_chip_months: (0..record.months()).map(|m| record.get(m, Series::Waiting)).sum(),
            energy_twh_last_12_months: last_12(Series::EnergyMwh) / 1e6,
            capex_usd_at_horizon: record.get(horizon, Series::CapexUsd),
            usd_per_pflops_year: if compute_years > 0.0 { usd / compute_years } else { f64::INFINITY },
            limited_by: limiting_constraint(record),
        }
    }
}
