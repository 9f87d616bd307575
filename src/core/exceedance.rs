//! Exceedance (MODEL.md D36): the chance of at least X operational chips (and X PFLOP/s)
//! at chosen months, for X across the range, and the chance that `[target]` is met at
//! each month. Read from the per-(month, series) sketches the Monte Carlo keeps anyway,
//! and from the per-month target counts, so it costs no simulation.

use super::scenario::Scenario;
use super::sketch::Sketch;

/// Levels per curve, about: the step is the "nice" number (1, 2, 2.5 or 5 x 10^k) at
/// or above the range / `LEVELS`.
pub const LEVELS: f64 = 200.0;

/// Exceedance curves of one quantity: for each chosen month, the runs with at least
/// each level.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceedanceTable {
    /// X values, ascending from 0, evenly spaced by a nice step, the last at or above
    /// the largest value at any chosen month.
    pub levels: Vec<f64>,
    /// `runs_at_least[i][j]`: runs with at least `levels[j]` at the `i`-th chosen month.
    pub runs_at_least: Vec<Vec<u64>>,
    /// Whether every sketch read was exact (else each count is that of a level within
    /// 0.05% of X, see `Sketch::count_at_least`).
    pub exact: bool,
}

/// The chance that `[target]` is met at each month: runs with at least the target's
/// chips operational at month m, for every m from 0 to the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetByMonth {
    /// The target's operational chips.
    pub operational: u64,
    /// Runs with at least that many operational, per month (exact counts).
    pub runs_met: Vec<u64>,
}

/// One point the report quotes: the chance of at least `at_least` operational chips at
/// `month` (the horizon), with `at_least` the 1-in-3 level rounded down to three
/// significant figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Odds {
    /// Month index.
    pub month: u32,
    /// Operational chips.
    pub at_least: f64,
    /// Runs with at least that many.
    pub runs: u64,
}

/// Everything exceedance.csv, the exceedance chart and the report's sentence show.
#[derive(Debug, Clone, PartialEq)]
pub struct Exceedance {
    /// Runs the counts are of.
    pub runs: u64,
    /// The chosen months: every December from month 0 to the horizon, then the horizon
    /// when it is not a December.
    pub months: Vec<u32>,
    /// Operational chips.
    pub operational: ExceedanceTable,
    /// Operational compute, PFLOP/s.
    pub compute_pflops: ExceedanceTable,
    /// The target met by month, when the scenario sets one.
    pub target: Option<TargetByMonth>,
    /// The point quoted in the report (`None` when no run has a chip operational at the
    /// horizon).
    pub odds: Option<Odds>,
}

/// Every December from month 0 to the horizon, then the horizon if it is not one.
pub fn chosen_months(scenario: &Scenario) -> Vec<u32> {
    let horizon = scenario.horizon_month();
    let mut months: Vec<u32> = (0..=horizon).filter(|&m| scenario.date_of(m).month() == 12).collect();
    if months.last() != Some(&horizon) {
        months.push(horizon);
    }
    months
}

/// The smallest of 1, 2, 2.5, 5 x 10^k at or above `x` (`x` > 0).
pub fn nice_step(x: f64) -> f64 {
    let magnitude = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|f| f * magnitude).find(|&s| s >= x * (1.0 - 1e-12)).unwrap_or(x)
}

/// `x` rounded down to three significant figures (230,456 -> 230,000; 0 stays 0).
pub fn round_down_3sig(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 0.0;
    }
    let unit = 10f64.powf(x.log10().floor() - 2.0);
    (x / unit + 1e-9).floor() * unit
}

/// The curves of one quantity from its sketch at each chosen month.
pub fn table(sketches: &[&Sketch]) -> ExceedanceTable {
    let max = sketches
        .iter()
        .filter(|s| s.count() > s.infinite_count())
        .map(|s| s.value_at(s.count() - s.infinite_count() - 1))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let levels: Vec<f64> = if max > 0.0 {
        let step = nice_step(max / LEVELS);
        let n = (max / step).ceil() as usize;
        (0..=n).map(|i| i as f64 * step).collect()
    } else {
        vec![0.0]
    };
    let runs_at_least = sketches.iter().map(|s| levels.iter().map(|&x| s.count_at_least(x)).collect()).collect();
    ExceedanceTable { levels, runs_at_least, exact: sketches.iter().all(|s| s.is_exact()) }
}

/// The report's point from the horizon's sketch of operational chips: the level a third
/// of the runs reach (the 66.7th percentile) rounded down to three significant figures,
/// and the runs that reach it.
pub fn odds_at(sketch: &Sketch, month: u32) -> Option<Odds> {
    let level = round_down_3sig(sketch.percentile(200.0 / 3.0)?);
    (level > 0.0).then(|| Odds { month, at_least: level, runs: sketch.count_at_least(level) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_and_rounding() {
        assert_eq!(nice_step(2_600.0), 5_000.0);
        assert_eq!(nice_step(2_000.0), 2_000.0);
        assert_eq!(nice_step(0.3), 0.5);
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(2.2), 2.5);
        assert_eq!(round_down_3sig(230_456.0), 230_000.0);
        assert_eq!(round_down_3sig(259_870.0), 259_000.0);
        assert_eq!(round_down_3sig(1_234.5), 1_230.0);
        assert_eq!(round_down_3sig(0.0), 0.0);
    }

    #[test]
    fn a_table_counts_the_runs_at_or_above_each_level() {
        let mut s = Sketch::default();
        for v in [0.0, 10.0, 20.0, 30.0, 100.0] {
            s.add(v);
        }
        let t = table(&[&s]);
        // Step 0.5 (100 / 200 levels): level 20 is X = 10, level 21 is X = 10.5.
        assert_eq!(t.levels.len(), 201);
        assert_eq!(t.levels[1], 0.5);
        assert_eq!(t.runs_at_least[0][0], 5);
        assert_eq!(t.runs_at_least[0][20], 4);
        assert_eq!(t.runs_at_least[0][21], 3);
        assert_eq!(t.runs_at_least[0][200], 1);
        assert!(t.exact);
    }
}
