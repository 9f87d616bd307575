//! Monte Carlo statistics (MODEL.md section 6): per month and series, mean and
//! percentiles across runs; binding shares; the headline figures. `Aggregate` is the
//! mergeable running state, `Summary` the finished numbers every writer reads.

use super::exceedance::{chosen_months, odds_at, table, Exceedance, TargetByMonth};
pub use super::headline::{
    percentile_interval, Headline, HeadlineCi, Reached, ReachedCi, Stats, StatsCi, Switch, TargetResult,
};
use super::metrics::{series_count, Binding, Series};
use super::run::RunRecord;
use super::run_row::{RunOutputs, RunsLayout};
use super::scenario::Scenario;
use super::scope::{ScopeAggregate, ScopeParts, ScopeSummary};
use super::sensitivity::{RankSample, Sensitivity};
use super::sketch::{add_columns_where, PartsError, Sketch, SketchParts};
use super::uncertainty::wilson;

/// The percentiles reported everywhere, in column order.
pub const PERCENTILES: [f64; 7] = [5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0];

/// Names of [`PERCENTILES`] as column and JSON keys, in the same order.
pub const PERCENTILE_NAMES: [&str; 7] = ["p5", "p10", "p25", "p50", "p75", "p90", "p95"];

/// Positions of the percentiles read by name.
pub(super) const P10: usize = 1;
pub(super) const P25: usize = 2;
pub(super) const P50: usize = 3;
pub(super) const P75: usize = 4;
pub(super) const P90: usize = 5;

/// The running state of a Monte Carlo: merge two to combine their runs. Merging is
/// order-independent, so threads, chunks and shards all give the same bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// Runs added so far.
    pub runs: u64,
    months: usize,
    series: usize,
    /// `cells[m * series + s]`
    cells: Vec<Sketch>,
    /// Runs per month in each binding state (`Binding::ALL` order).
    binding: Vec<[u64; Binding::COUNT]>,
    /// One sketch per [`PerRun`] quantity, in `PerRun::ALL` order.
    per_run: [Sketch; PerRun::COUNT],
    target_met: u64,
    /// Per month, runs with at least the target's chips operational (D37); empty when
    /// the scenario sets no target.
    target_met_by_month: Vec<u64>,
    /// Runs limited by each constraint (`limiting_constraint`, `Binding::ALL` order).
    limited_by: [u64; Binding::COUNT],
    /// The inputs and outputs of the first runs, for the sensitivity (D40).
    ranks: RankSample,
    /// Per region and owner (D50-D53).
    scope: ScopeAggregate,
}

/// Runs in each binding state (`Binding::ALL` order), one row per month (nationally)
/// or per (month, region) (`scope::ScopeAggregate`).
pub(crate) type BindingCounts = [u64; Binding::COUNT];

/// Counts one run's states, `states[i]` in `rows[i]`.
pub(crate) fn count_bindings(rows: &mut [BindingCounts], states: &[Binding]) {
    for (counts, b) in rows.iter_mut().zip(states) {
        counts[b.index()] += 1;
    }
}

/// Adds `theirs` to `mine`, row by row.
pub(crate) fn add_binding_counts(mine: &mut [BindingCounts], theirs: &[BindingCounts]) {
    for (a, b) in mine.iter_mut().zip(theirs) {
        for (x, y) in a.iter_mut().zip(b) {
            *x += y;
        }
    }
}

/// Each row's counts as shares of `runs` runs (of one run when there are none).
pub(crate) fn binding_shares(rows: &[BindingCounts], runs: u64) -> Vec<[f64; Binding::COUNT]> {
    let runs = runs.max(1) as f64;
    rows.iter().map(|c| c.map(|n| n as f64 / runs)).collect()
}

/// Rows read back from plain parts, each of which must have one count per binding
/// state; `what` names the rows in the error ("binding", "region binding").
pub(crate) fn binding_counts_from_parts(rows: &[Vec<u64>], what: &str) -> Result<Vec<BindingCounts>, PartsError> {
    rows.iter()
        .map(|row| {
            row.as_slice().try_into().map_err(|_| {
                PartsError::Shape(format!("a {what} row has {} counts, not {}", row.len(), Binding::COUNT))
            })
        })
        .collect()
}

/// A finished run on its way into an `Aggregate` (`Aggregate::add_runs`).
#[derive(Debug, Clone)]
pub struct FinishedRun {
    /// Its run index.
    pub run: u64,
    /// The uncertain inputs it drew, in `drawn_inputs` order.
    pub inputs: Vec<f64>,
    /// What it recorded.
    pub record: RunRecord,
}

impl FinishedRun {
    /// A slot for a run, to be filled by `run_into`.
    pub fn empty() -> FinishedRun {
        FinishedRun { run: 0, inputs: Vec::new(), record: RunRecord::empty() }
    }
}

/// The constraint that limits a run (D35): the binding state it is in for the most
/// months from the first month a chip is due (delivered or awaiting funds) to the
/// horizon; ties go to power, then space, then money, before chips (a planner is
/// better warned of an infrastructure limit). A run in which no chip is ever due is
/// chip-limited.
pub fn limiting_constraint(record: &RunRecord) -> Binding {
    let Some(first) = first_due_month(record) else {
        return Binding::Chips;
    };
    let mut months = [0u32; Binding::COUNT];
    for b in &record.binding[first..] {
        months[b.index()] += 1;
    }
    let most = months.iter().copied().max().unwrap_or(0);
    [Binding::Power, Binding::Space, Binding::Money, Binding::Chips]
        .into_iter()
        .find(|b| months[b.index()] == most)
        .unwrap_or(Binding::Chips)
}

/// The first month a chip is due (delivered or awaiting funds), if any.
fn first_due_month(record: &RunRecord) -> Option<usize> {
    (0..record.months()).find(|&m| record.get(m, Series::Delivered) + record.get(m, Series::AwaitingFunds) > 0.0)
}

/// The month the binding constraint first switches from chips to `to` (D47): the first
/// month in state `to` after the run's first chips-binding month counted from its first
/// due month (before any chip is due nothing waits, so "chips" there is no phase).
/// `None` when the run never has a chips phase or `to` never binds after it.
pub fn switch_from_chips(record: &RunRecord, to: Binding) -> Option<usize> {
    let first = first_due_month(record)?;
    let chips = first + record.binding[first..].iter().position(|&b| b == Binding::Chips)?;
    record.binding[chips..].iter().position(|&b| b == to).map(|k| chips + k)
}

/// The quantities each run contributes once (not per month), behind headline figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PerRun {
    /// Month 50% of ordered chips are operational (+infinity when never).
    Month50pct,
    /// Month 90% of ordered chips are operational (+infinity when never).
    Month90pct,
    /// First month power binds (+infinity when never).
    PowerFirstBinds,
    /// Chips waiting, summed over months (chip-months).
    StrandedChipMonths,
    /// Price of waiting chips, summed over months (USD-months).
    StrandedCapitalUsdMonths,
    /// Facility energy in the last 12 months to the horizon, TWh (MODEL.md 9.5).
    EnergyTwhLast12Months,
    /// Cost of that energy, USD.
    ElectricityUsdLast12Months,
    /// Capex plus electricity to the horizon per PFLOP/s-year of compute delivered
    /// (+infinity when the run had no compute).
    UsdPerPflopsYear,
    /// First month the binding constraint switches from chips to power (D47; +infinity
    /// when never).
    ChipsToPower,
    /// The same, to space.
    ChipsToSpace,
    /// The same, to money.
    ChipsToMoney,
}

impl PerRun {
    /// Every per-run quantity, in storage order.
    pub const ALL: [PerRun; 11] = [
        PerRun::Month50pct,
        PerRun::Month90pct,
        PerRun::PowerFirstBinds,
        PerRun::StrandedChipMonths,
        PerRun::StrandedCapitalUsdMonths,
        PerRun::EnergyTwhLast12Months,
        PerRun::ElectricityUsdLast12Months,
        PerRun::UsdPerPflopsYear,
        PerRun::ChipsToPower,
        PerRun::ChipsToSpace,
        PerRun::ChipsToMoney,
    ];

    /// Number of per-run quantities.
    pub const COUNT: usize = PerRun::ALL.len();

    /// Position in `ALL`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// This quantity in one run's record (+infinity for a month never reached).
    pub fn of(self, scenario: &Scenario, record: &RunRecord) -> f64 {
        let never = |m: Option<usize>| m.map_or(f64::INFINITY, |m| m as f64);
        let ordered = scenario.ordered_chips() as f64;
        let first_month =
            |share: f64| never((0..record.months()).find(|&m| record.get(m, Series::Operational) >= share * ordered));
        let total = |s: Series| (0..record.months()).map(|m| record.get(m, s)).sum::<f64>();
        let horizon = record.months() - 1;
        // "Last 12 months": the cumulative figure at H less its value at max(0, H - 12).
        let last_12 = |s: Series| record.get(horizon, s) - record.get(horizon.saturating_sub(12), s);
        match self {
            PerRun::Month50pct => first_month(0.5),
            PerRun::Month90pct => first_month(0.9),
            PerRun::PowerFirstBinds => never(record.binding.iter().position(|&b| b == Binding::Power)),
            PerRun::StrandedChipMonths => total(Series::Waiting),
            PerRun::StrandedCapitalUsdMonths => total(Series::StrandedCapitalUsd),
            PerRun::EnergyTwhLast12Months => last_12(Series::EnergyMwh) / 1e6,
            PerRun::ElectricityUsdLast12Months => last_12(Series::ElectricityUsd),
            PerRun::UsdPerPflopsYear => {
                let compute = record.get(horizon, Series::ComputePflopsYears);
                let usd = record.get(horizon, Series::CapexUsd) + record.get(horizon, Series::ElectricityUsd);
                if compute > 0.0 {
                    usd / compute
                } else {
                    f64::INFINITY
                }
            }
            PerRun::ChipsToPower => never(switch_from_chips(record, Binding::Power)),
            PerRun::ChipsToSpace => never(switch_from_chips(record, Binding::Space)),
            PerRun::ChipsToMoney => never(switch_from_chips(record, Binding::Money)),
        }
    }
}

/// The plain contents of an `Aggregate`, for formats outside the core to write and read
/// (`Aggregate::parts`, `Aggregate::from_parts`).
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateParts {
    /// Runs added.
    pub runs: u64,
    /// Months per run (horizon month + 1).
    pub months: usize,
    /// Series per month (see `metrics::series_count`).
    pub series: usize,
    /// One sketch per (month, series): `cells[m * series + s]`.
    pub cells: Vec<SketchParts>,
    /// Per month, runs in each binding state (`Binding::ALL` order).
    pub binding: Vec<Vec<u64>>,
    /// One sketch per [`PerRun`] quantity, in `PerRun::ALL` order.
    pub per_run: [SketchParts; PerRun::COUNT],
    /// Runs that met the target.
    pub target_met: u64,
    /// Per month, runs with at least the target's chips operational (empty without a
    /// target).
    pub target_met_by_month: Vec<u64>,
    /// Runs limited by each constraint (`Binding::ALL` order).
    pub limited_by: [u64; Binding::COUNT],
    /// The inputs and outputs of the first runs, in run order (D40).
    pub ranks: RankSample,
    /// The per-region and per-owner statistics.
    pub scope: ScopeParts,
}

impl Aggregate {
    /// The aggregate's contents as plain parts (sums in canonical form, so equal
    /// aggregates give equal parts however their runs were merged).
    pub fn parts(&self) -> AggregateParts {
        AggregateParts {
            runs: self.runs,
            months: self.months,
            series: self.series,
            cells: self.cells.iter().map(Sketch::parts).collect(),
            binding: self.binding.iter().map(|b| b.to_vec()).collect(),
            per_run: self.per_run.each_ref().map(Sketch::parts),
            target_met: self.target_met,
            target_met_by_month: self.target_met_by_month.clone(),
            limited_by: self.limited_by,
            ranks: self.ranks.clone(),
            scope: self.scope.parts(),
        }
    }

    /// The aggregate `parts` describe, when every sketch is consistent and every binding
    /// row has one count per binding state. Whether it fits a scenario is `fits`.
    pub fn from_parts(parts: AggregateParts) -> Result<Aggregate, PartsError> {
        let binding = binding_counts_from_parts(&parts.binding, "binding")?;
        if !parts.ranks.is_consistent() {
            return Err(PartsError::Shape(
                "the sensitivity sample's rows are out of run order or of unequal width".into(),
            ));
        }
        Ok(Aggregate {
            runs: parts.runs,
            months: parts.months,
            series: parts.series,
            cells: parts.cells.into_iter().map(Sketch::from_parts).collect::<Result<_, _>>()?,
            binding,
            per_run: per_run_sketches(parts.per_run)?,
            target_met: parts.target_met,
            target_met_by_month: parts.target_met_by_month,
            limited_by: parts.limited_by,
            ranks: parts.ranks,
            scope: ScopeAggregate::from_parts(parts.scope)?,
        })
    }

    /// An aggregate of no runs, shaped for `scenario`.
    pub fn empty(scenario: &Scenario) -> Aggregate {
        let months = scenario.horizon_month() as usize + 1;
        let series = series_count(scenario.origins().len());
        Aggregate {
            runs: 0,
            months,
            series,
            cells: vec![Sketch::default(); months * series],
            binding: vec![[0; Binding::COUNT]; months],
            per_run: Default::default(),
            target_met: 0,
            target_met_by_month: if scenario.target().is_some() { vec![0; months] } else { Vec::new() },
            limited_by: [0; Binding::COUNT],
            ranks: RankSample::for_layout(&RunsLayout::of(scenario)),
            scope: ScopeAggregate::empty(scenario, months),
        }
    }

    /// Adds finished runs: each one's record and the uncertain inputs it drew
    /// (`drawn_inputs` order; `layout` is `RunsLayout::of(scenario)`, built once by the
    /// caller). The (month, series) cells take the runs' values cell by cell
    /// (`sketch::add_columns`), the rest run by run.
    pub fn add_runs(&mut self, scenario: &Scenario, layout: &RunsLayout, runs: &[FinishedRun]) {
        for finished in runs {
            self.add_run_totals(scenario, layout, finished.run, &finished.inputs, &finished.record);
        }
        // Series read at the horizon only take no values in earlier months.
        let (series, horizon) = (self.series, self.months.saturating_sub(1));
        let keep = |c: usize| c / series == horizon || !Series::HORIZON_ONLY.iter().any(|s| s.index() == c % series);
        add_columns_where(&mut self.cells, runs.len(), |r| &runs[r].record.values, keep);
        self.scope.add_runs(runs.len(), |r| &runs[r].record.scoped);
    }

    /// What one run adds besides its (month, series) cells and scoped values.
    fn add_run_totals(
        &mut self,
        scenario: &Scenario,
        layout: &RunsLayout,
        run: u64,
        inputs: &[f64],
        record: &RunRecord,
    ) {
        self.runs += 1;
        // Each per-run quantity and the limiting constraint once: the sketches, the
        // counts and the sensitivity's outputs all read them.
        let per_run = PerRun::ALL.map(|q| q.of(scenario, record));
        let limited_by = limiting_constraint(record);
        self.ranks.add(layout, run, inputs, || RunOutputs::from_per_run(scenario, record, &per_run, limited_by));
        count_bindings(&mut self.binding, &record.binding);
        for (sketch, &value) in self.per_run.iter_mut().zip(&per_run) {
            sketch.add(value);
        }
        if let Some(t) = scenario.target() {
            if record.get(t.by_month as usize, Series::Operational) >= t.operational as f64 {
                self.target_met += 1;
            }
            for (m, met) in self.target_met_by_month.iter_mut().enumerate() {
                if record.get(m, Series::Operational) >= t.operational as f64 {
                    *met += 1;
                }
            }
        }
        self.limited_by[limited_by.index()] += 1;
    }

    /// Adds every run of `other` (which must come from the same scenario).
    pub fn merge(&mut self, other: &Aggregate) {
        self.merge_with(other, |mine, theirs| {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.merge(b);
            }
        });
    }

    /// `merge`, with the (month, series) cells and the scoped cells merged by
    /// `merge_cells(mine, theirs)`, which must merge `theirs[i]` into `mine[i]` for every
    /// i: the Monte Carlo passes a parallel loop. Cells are independent, so any order
    /// gives the same result.
    pub fn merge_with(&mut self, other: &Aggregate, merge_cells: impl Fn(&mut [Sketch], &[Sketch])) {
        self.runs += other.runs;
        merge_cells(&mut self.cells, &other.cells);
        add_binding_counts(&mut self.binding, &other.binding);
        for (a, b) in self.per_run.iter_mut().zip(&other.per_run) {
            a.merge(b);
        }
        self.target_met += other.target_met;
        for (a, b) in self.target_met_by_month.iter_mut().zip(&other.target_met_by_month) {
            *a += b;
        }
        for (a, b) in self.limited_by.iter_mut().zip(other.limited_by) {
            *a += b;
        }
        self.ranks.merge(&other.ranks);
        self.scope.merge_with(&other.scope, merge_cells);
    }

    /// Sorts every buffered value in, so summaries and partial files read a settled state.
    pub fn flush(&mut self) {
        for sketch in self.cells.iter_mut().chain(&mut self.per_run) {
            sketch.flush();
        }
        self.ranks.flush();
        self.scope.flush();
    }

    /// Whether this aggregate has the shape of `scenario`'s results.
    pub fn fits(&self, scenario: &Scenario) -> bool {
        self.months == scenario.horizon_month() as usize + 1
            && self.series == series_count(scenario.origins().len())
            && self.cells.len() == self.months * self.series
            && self.binding.len() == self.months
            && self.target_met_by_month.len() == if scenario.target().is_some() { self.months } else { 0 }
            && self.ranks.width == RankSample::for_layout(&RunsLayout::of(scenario)).width
            && self.scope.fits(scenario, self.months)
    }

    /// The sketch of one per-run quantity.
    fn sketch(&self, quantity: PerRun) -> &Sketch {
        &self.per_run[quantity.index()]
    }

    /// Finished statistics.
    pub fn summarize(&self, scenario: &Scenario) -> Summary {
        Summary {
            runs: self.runs,
            months: self.months,
            series: self.series,
            cells: self.cells.iter().map(Stats::of).collect(),
            binding_share: binding_shares(&self.binding, self.runs),
            headline: self.headline(scenario),
            exceedance: self.exceedance(scenario),
            sensitivity: Sensitivity::of(&self.ranks, &RunsLayout::of(scenario)),
            scope: self.scope.summarize(self.runs),
        }
    }

    /// The headline figures alone (MODEL.md section 6), as `summarize` gives them: what
    /// `--until-stable` checks after each batch and the swing compares, without the
    /// per-month statistics, exceedance, sensitivity or scoped results.
    pub fn headline(&self, scenario: &Scenario) -> Headline {
        let runs = self.runs.max(1) as f64;
        let horizon = self.months - 1;
        let at_horizon = |s: Series| Stats::of(self.cell(horizon, s));
        let priced = scenario.has_electricity_prices();
        Headline {
            ordered_chips: scenario.ordered_chips(),
            operational_at_horizon: at_horizon(Series::Operational),
            compute_pflops_at_horizon: at_horizon(Series::ComputePflops),
            month_50pct_operational: Reached::of(self.sketch(PerRun::Month50pct)),
            month_90pct_operational: Reached::of(self.sketch(PerRun::Month90pct)),
            power_first_binds: Reached::of(self.sketch(PerRun::PowerFirstBinds)),
            chips_to_power: Switch::of(self.sketch(PerRun::ChipsToPower)),
            chips_to_space: Switch::of(self.sketch(PerRun::ChipsToSpace)),
            chips_to_money: Switch::of(self.sketch(PerRun::ChipsToMoney)),
            stranded_chip_months: Stats::of(self.sketch(PerRun::StrandedChipMonths)),
            stranded_capital_usd_months: scenario
                .has_prices()
                .then(|| Stats::of(self.sketch(PerRun::StrandedCapitalUsdMonths))),
            energy_twh_last_12_months: Stats::of(self.sketch(PerRun::EnergyTwhLast12Months)),
            electricity_usd_last_12_months: priced.then(|| Stats::of(self.sketch(PerRun::ElectricityUsdLast12Months))),
            capex_usd_at_horizon: scenario.has_prices().then(|| at_horizon(Series::CapexUsd)),
            usd_per_pflops_year: (priced || scenario.has_prices())
                .then(|| Stats::of_unbounded(self.sketch(PerRun::UsdPerPflopsYear))),
            electricity_priced_share: priced.then(|| {
                let all = at_horizon(Series::EnergyMwh).mean;
                if all > 0.0 {
                    at_horizon(Series::PricedEnergyMwh).mean / all
                } else {
                    0.0
                }
            }),
            limited_by: self.limited_by.map(|n| n as f64 / runs),
            power_binds_in_half_of_runs: first_stretch_at_least(
                self.binding.iter().map(|c| c[Binding::Power.index()] as f64 / runs),
                0.5,
            ),
            target: scenario.target().map(|t| TargetResult {
                operational: t.operational,
                by_month: t.by_month,
                probability: self.target_met as f64 / runs,
            }),
            ci95: self.headline_ci(scenario),
        }
    }

    /// The sketch of series `s` at month `m`.
    fn cell(&self, m: usize, s: Series) -> &Sketch {
        &self.cells[m * self.series + s.index()]
    }

    /// The 95% intervals of the headline figures (D38), from the same sketches and
    /// counts as the figures.
    fn headline_ci(&self, scenario: &Scenario) -> HeadlineCi {
        let horizon = self.months - 1;
        let priced = scenario.has_electricity_prices();
        let prices = scenario.has_prices();
        HeadlineCi {
            operational_at_horizon: StatsCi::of(self.cell(horizon, Series::Operational)),
            compute_pflops_at_horizon: StatsCi::of(self.cell(horizon, Series::ComputePflops)),
            month_50pct_operational: ReachedCi::of(self.sketch(PerRun::Month50pct)),
            month_90pct_operational: ReachedCi::of(self.sketch(PerRun::Month90pct)),
            power_first_binds: ReachedCi::of(self.sketch(PerRun::PowerFirstBinds)),
            chips_to_power: ReachedCi::of(self.sketch(PerRun::ChipsToPower)),
            chips_to_space: ReachedCi::of(self.sketch(PerRun::ChipsToSpace)),
            chips_to_money: ReachedCi::of(self.sketch(PerRun::ChipsToMoney)),
            stranded_chip_months: StatsCi::of(self.sketch(PerRun::StrandedChipMonths)),
            stranded_capital_usd_months: prices.then(|| StatsCi::of(self.sketch(PerRun::StrandedCapitalUsdMonths))),
            energy_twh_last_12_months: StatsCi::of(self.sketch(PerRun::EnergyTwhLast12Months)),
            electricity_usd_last_12_months: priced
                .then(|| StatsCi::of(self.sketch(PerRun::ElectricityUsdLast12Months))),
            capex_usd_at_horizon: prices.then(|| StatsCi::of(self.cell(horizon, Series::CapexUsd))),
            usd_per_pflops_year: (priced || prices).then(|| StatsCi::of(self.sketch(PerRun::UsdPerPflopsYear))),
            target: scenario.target().map(|_| wilson(self.target_met as f64, self.runs)),
            limited_by: self.limited_by.map(|n| wilson(n as f64, self.runs)),
        }
    }

    /// Exceedance curves at the chosen months and the target met by month (D36, D37).
    fn exceedance(&self, scenario: &Scenario) -> Exceedance {
        let months = chosen_months(scenario);
        let at = |s: Series| months.iter().map(|&m| self.cell(m as usize, s)).collect::<Vec<_>>();
        let horizon = self.months - 1;
        Exceedance {
            runs: self.runs,
            operational: table(&at(Series::Operational)),
            compute_pflops: table(&at(Series::ComputePflops)),
            target: scenario
                .target()
                .map(|t| TargetByMonth { operational: t.operational, runs_met: self.target_met_by_month.clone() }),
            odds: odds_at(self.cell(horizon, Series::Operational), horizon as u32),
            months,
        }
    }
}

/// The first unbroken stretch of months whose share is at least `level`, as (first,
/// last) month.
fn first_stretch_at_least(shares: impl Iterator<Item = f64>, level: f64) -> Option<(u32, u32)> {
    let mut stretch: Option<(u32, u32)> = None;
    for (m, share) in shares.enumerate() {
        let m = m as u32;
        match (stretch.as_mut(), share >= level) {
            (None, true) => stretch = Some((m, m)),
            (Some((_, last)), true) => *last = m,
            (Some(_), false) => break,
            (None, false) => {}
        }
    }
    stretch
}

/// Finished statistics of a Monte Carlo.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Runs the statistics are over.
    pub runs: u64,
    /// Sampled months (H + 1).
    pub months: usize,
    /// Series per month (`metrics::series_count`).
    pub series: usize,
    cells: Vec<Stats>,
    /// Share of runs in each binding state per month (`Binding::ALL` order).
    pub binding_share: Vec<[f64; Binding::COUNT]>,
    /// The headline figures.
    pub headline: Headline,
    /// Exceedance curves and the target met by month.
    pub exceedance: Exceedance,
    /// Every input's rank correlation with every numeric output (D40).
    pub sensitivity: Sensitivity,
    /// Per region and owner (by_region.csv, by_owner.csv).
    pub scope: ScopeSummary,
}

impl Summary {
    /// Statistics of series `s` at month `m`.
    pub fn stats(&self, month: usize, s: Series) -> &Stats {
        self.stats_at(month, s.index())
    }

    /// Statistics of the series at position `index` (a [`Series::index`] or an
    /// [`origin_share_index`](super::metrics::origin_share_index)) at month `m`.
    pub fn stats_at(&self, month: usize, index: usize) -> &Stats {
        &self.cells[month * self.series + index]
    }

    /// One series over all months.
    pub fn series_over_time(&self, s: Series) -> impl Iterator<Item = &Stats> + '_ {
        self.index_over_time(s.index())
    }

    /// The series at position `index` over all months.
    pub fn index_over_time(&self, index: usize) -> impl Iterator<Item = &Stats> + '_ {
        (0..self.months).map(move |m| self.stats_at(m, index))
    }

    /// Share of runs in state `b`, month by month.
    pub fn binding_over_time(&self, b: Binding) -> impl Iterator<Item = f64> + '_ {
        self.binding_share.iter().map(move |row| row[b.index()])
    }
}

/// The per-run sketches `parts` describe, each checked.
fn per_run_sketches(parts: [SketchParts; PerRun::COUNT]) -> Result<[Sketch; PerRun::COUNT], PartsError> {
    let sketches = parts.into_iter().map(Sketch::from_parts).collect::<Result<Vec<_>, _>>()?;
    sketches.try_into().map_err(|_| PartsError::Shape("not one sketch per per-run quantity".into()))
}

#[cfg(test)]
mod tests {
    use super::{first_stretch_at_least, limiting_constraint};
    use crate::core::metrics::{series_count, Binding, Series};
    use crate::core::run::RunRecord;

    /// A record whose chips are first due at month `due` and whose binding states are
    /// `states`, one per month.
    fn record(due: usize, states: &[Binding]) -> RunRecord {
        let series = series_count(0);
        let mut values = vec![0.0; states.len() * series];
        for m in due..states.len() {
            values[m * series + Series::Delivered.index()] = 1.0;
        }
        RunRecord { series_per_month: series, values, binding: states.to_vec(), scoped: Default::default() }
    }

    #[test]
    fn a_run_is_limited_by_what_binds_most_from_its_first_delivery() {
        use Binding::{Chips, Money, Power, Space};
        // Before the first delivery nothing waits, so chips "bind": those months do not count.
        assert_eq!(limiting_constraint(&record(3, &[Chips, Chips, Chips, Power, Power, Chips])), Power);
        assert_eq!(limiting_constraint(&record(0, &[Chips, Chips, Chips, Power, Power, Chips])), Chips);
        // Ties go to power, then space, then money, before chips.
        assert_eq!(limiting_constraint(&record(0, &[Space, Power, Chips, Money])), Power);
        assert_eq!(limiting_constraint(&record(0, &[Money, Space, Chips, Chips, Space, Money])), Space);
        assert_eq!(limiting_constraint(&record(0, &[Chips, Money])), Money);
        // No chip ever due: chip-limited.
        assert_eq!(limiting_constraint(&record(9, &[Power, Power])), Chips);
        // Chips awaiting funds count as due.
        let mut r = record(9, &[Chips, Money, Money]);
        r.values[r.series_per_month + Series::AwaitingFunds.index()] = 5.0;
        assert_eq!(limiting_constraint(&r), Money);
    }

    #[test]
    fn the_first_stretch_at_a_level_is_unbroken() {
        let shares = [0.2, 0.5, 0.7, 0.49, 0.9, 0.9];
        assert_eq!(first_stretch_at_least(shares.into_iter(), 0.5), Some((1, 2)));
        assert_eq!(first_stretch_at_least([0.1, 0.6].into_iter(), 0.5), Some((1, 1)));
        assert_eq!(first_stretch_at_least([0.1, 0.4].into_iter(), 0.5), None);
    }
}
