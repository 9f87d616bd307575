//! One row of the per-run table (`run --per-run`, D39): the headline outputs of one run,
//! read from its record, and which output columns a scenario's table has. The drawn
//! inputs come from the engine (`run::drawn_inputs`, `Workspace::inputs`).

use super::metrics::{Binding, Series};
use super::run::{drawn_inputs, DrawnInput, RunRecord};
use super::scenario::Scenario;
use super::stats::{limiting_constraint, PerRun};

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
    /// Whether it has `month_chips_to_money` (the scenario has budget lines), as headline.json.
    pub money: bool,
}

impl RunsLayout {
    /// The layout for `scenario`.
    pub fn of(scenario: &Scenario) -> RunsLayout {
        RunsLayout {
            inputs: drawn_inputs(scenario),
            target: scenario.target().is_some(),
            capex: scenario.has_prices(),
            usd_per_pflops: scenario.has_prices() || scenario.has_electricity_prices(),
            money: !scenario.budgets().is_empty(),
        }
    }

    /// Every column name, from `run` to `limited_by`.
    pub fn column_names(&self) -> Vec<String> {
        let mut names = vec!["run".to_string()];
        names.extend(self.inputs.iter().map(DrawnInput::column_name));
        names.extend(self.numeric_outputs().into_iter().map(String::from));
        names.push("limited_by".into());
        names
    }

    /// The numeric output columns (every output but `limited_by`), in table order: the
    /// outputs the sensitivity ranks inputs against (D40).
    pub fn numeric_outputs(&self) -> Vec<&'static str> {
        let mut names = vec!["operational", "compute_pflops", "month_50pct", "month_90pct"];
        names.extend(["month_chips_to_power", "month_chips_to_space"]);
        if self.money {
            names.push("month_chips_to_money");
        }
        if self.target {
            names.push("target_met");
        }
        names.extend(["stranded_chip_months", "energy_twh_last_12_months"]);
        if self.capex {
            names.push("capex_usd_at_horizon");
        }
        if self.usd_per_pflops {
            names.push("usd_per_pflops_year");
        }
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
    /// First month the binding constraint switches from chips to power, space and money
    /// (D47; `None` when it never does).
    pub chips_to: [Option<usize>; 3],
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
    /// The numeric outputs in `layout.numeric_outputs()` order, as numbers that rank
    /// as the outputs do: a month never reached is +infinity (later than any month),
    /// the target met 1 and missed 0.
    pub fn numeric(&self, layout: &RunsLayout) -> impl Iterator<Item = f64> {
        let month = |m: Option<usize>| m.map_or(f64::INFINITY, |m| m as f64);
        let met = self.target_met.map(|met| f64::from(u8::from(met)));
        // One entry per possible column, in `numeric_outputs` order.
        [
            Some(self.operational),
            Some(self.compute_pflops),
            Some(month(self.month_50pct)),
            Some(month(self.month_90pct)),
            Some(month(self.chips_to[0])),
            Some(month(self.chips_to[1])),
            Some(month(self.chips_to[2])).filter(|_| layout.money),
            met.filter(|_| layout.target),
            Some(self.stranded_chip_months),
            Some(self.energy_twh_last_12_months),
            Some(self.capex_usd_at_horizon).filter(|_| layout.capex),
            Some(self.usd_per_pflops_year).filter(|_| layout.usd_per_pflops),
        ]
        .into_iter()
        .flatten()
    }

    /// The outputs of the run `record` holds.
    pub fn of(scenario: &Scenario, record: &RunRecord) -> RunOutputs {
        RunOutputs::from_per_run(
            scenario,
            record,
            &PerRun::ALL.map(|q| q.of(scenario, record)),
            limiting_constraint(record),
        )
    }

    /// The outputs of the run `record` holds, given its per-run quantities (`PerRun::ALL`
    /// order) and limiting constraint as the aggregate has already computed them.
    pub fn from_per_run(
        scenario: &Scenario,
        record: &RunRecord,
        per_run: &[f64; PerRun::COUNT],
        limited_by: Binding,
    ) -> RunOutputs {
        let horizon = record.months() - 1;
        let per_run = |q: PerRun| per_run[q.index()];
        let month = |q: PerRun| Some(per_run(q)).filter(|m| m.is_finite()).map(|m| m as usize);
        RunOutputs {
            operational: record.get(horizon, Series::Operational),
            compute_pflops: record.get(horizon, Series::ComputePflops),
            month_50pct: month(PerRun::Month50pct),
            month_90pct: month(PerRun::Month90pct),
            chips_to: [PerRun::ChipsToPower, PerRun::ChipsToSpace, PerRun::ChipsToMoney].map(month),
            target_met: scenario
                .target()
                .map(|t| record.get(t.by_month as usize, Series::Operational) >= t.operational as f64),
            stranded_chip_months: per_run(PerRun::StrandedChipMonths),
            energy_twh_last_12_months: per_run(PerRun::EnergyTwhLast12Months),
            capex_usd_at_horizon: record.get(horizon, Series::CapexUsd),
            usd_per_pflops_year: per_run(PerRun::UsdPerPflopsYear),
            limited_by,
        }
    }
}
