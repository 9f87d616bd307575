//! The headline figures as finished numbers (MODEL.md section 6, D38): `Stats` (mean
//! and percentiles of one quantity), `Reached` (a month some runs never reach),
//! `Switch` (D47), `TargetResult`, `Headline`, and their 95% Monte Carlo intervals
//! (`StatsCi`, `ReachedCi`, `HeadlineCi`). `core::stats::Aggregate::headline` builds
//! them from its sketches and counts.

use super::metrics::Binding;
use super::sketch::Sketch;
use super::stats::{P10, P25, P50, P75, P90, PERCENTILES};
use super::uncertainty::{mean_interval, order_statistic_ranks, wilson, Interval};

/// Mean and the seven percentiles of one quantity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    /// The mean over runs.
    pub mean: f64,
    /// p5, p10, p25, p50, p75, p90, p95 (`PERCENTILES` order).
    pub percentiles: [f64; 7],
}

impl Stats {
    pub(crate) fn of(sketch: &Sketch) -> Stats {
        let mut percentiles = [0.0; 7];
        for (p, q) in percentiles.iter_mut().zip(PERCENTILES) {
            *p = sketch.percentile(q).unwrap_or(0.0);
        }
        Stats { mean: sketch.mean(), percentiles }
    }
    /// Like `of`, for a quantity that may be +infinity: percentiles that touch an
    /// infinite run, and the mean when any run is infinite, are +infinity (written
    /// `null`).
    pub(super) fn of_unbounded(sketch: &Sketch) -> Stats {
        let mut percentiles = [f64::INFINITY; 7];
        for (p, q) in percentiles.iter_mut().zip(PERCENTILES) {
            *p = sketch.percentile(q).unwrap_or(f64::INFINITY);
        }
        let mean = if sketch.infinite_count() > 0 { f64::INFINITY } else { sketch.mean() };
        Stats { mean, percentiles }
    }
    /// The 10th percentile.
    pub fn p10(&self) -> f64 {
        self.percentiles[P10]
    }
    /// The 25th percentile.
    pub fn p25(&self) -> f64 {
        self.percentiles[P25]
    }
    /// The median.
    pub fn p50(&self) -> f64 {
        self.percentiles[P50]
    }
    /// The 75th percentile.
    pub fn p75(&self) -> f64 {
        self.percentiles[P75]
    }
    /// The 90th percentile.
    pub fn p90(&self) -> f64 {
        self.percentiles[P90]
    }
    /// P10, P50 and P90, the triple every table shows.
    pub fn p10_p50_p90(&self) -> [f64; 3] {
        [self.p10(), self.p50(), self.p90()]
    }
}

/// The 95% intervals of a [`Stats`] (D38): the mean's from its standard error, each
/// percentile's from the order statistics at binomial ranks. A side is `None` where
/// too few runs bound it, and +infinity where its order statistic is (a run with no
/// compute in `usd_per_pflops_year`, a month never reached).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatsCi {
    /// The mean's interval (`None` sides when any run is infinite).
    pub mean: Interval,
    /// Each percentile's interval, in `PERCENTILES` order.
    pub percentiles: [Interval; 7],
}

/// The 95% interval of the q-th percentile (q in 0..100) of the values in `sketch`:
/// [X_(l), X_(u)] at the ranks of `order_statistic_ranks`, exact while the sketch is
/// exact and within 0.05% of them otherwise; a side is `None` where no rank bounds it
/// (too few runs) and +infinity where its order statistic is ("not reached").
pub fn percentile_interval(sketch: &Sketch, q: f64) -> Interval {
    let (l, u) = order_statistic_ranks(sketch.count(), q / 100.0);
    let value = |rank: Option<u64>| rank.map(|r| sketch.value_at(r - 1)).filter(|v| !v.is_nan());
    [value(l), value(u)]
}

impl StatsCi {
    pub(super) fn of(sketch: &Sketch) -> StatsCi {
        let mean = if sketch.infinite_count() > 0 {
            [None, None]
        } else {
            mean_interval(sketch.mean(), sketch.variance(), sketch.finite_count())
        };
        StatsCi { mean, percentiles: PERCENTILES.map(|q| percentile_interval(sketch, q)) }
    }
    /// The median's interval.
    pub fn p50(&self) -> Interval {
        self.percentiles[P50]
    }
}

/// The 95% intervals of a [`Reached`] (D38): the reached share's (Wilson) and each
/// percentile month's (order statistics; `None` where that side was not reached).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReachedCi {
    /// The Wilson interval of the share of runs that got there.
    pub reached_share: [f64; 2],
    /// Each percentile month's interval, in `PERCENTILES` order.
    pub percentiles: [Interval; 7],
}

impl ReachedCi {
    pub(super) fn of(sketch: &Sketch) -> ReachedCi {
        ReachedCi {
            reached_share: wilson(sketch.finite_count() as f64, sketch.count()),
            percentiles: PERCENTILES.map(|q| percentile_interval(sketch, q)),
        }
    }
    /// The median month's interval.
    pub fn p50(&self) -> Interval {
        self.percentiles[P50]
    }
}

/// The 95% Monte Carlo intervals of the headline figures, field by field as in
/// [`Headline`] (D38).
#[derive(Debug, Clone, PartialEq)]
pub struct HeadlineCi {
    /// Of `operational_at_horizon`.
    pub operational_at_horizon: StatsCi,
    /// Of `compute_pflops_at_horizon`.
    pub compute_pflops_at_horizon: StatsCi,
    /// Of `month_50pct_operational`.
    pub month_50pct_operational: ReachedCi,
    /// Of `month_90pct_operational`.
    pub month_90pct_operational: ReachedCi,
    /// Of `power_first_binds`.
    pub power_first_binds: ReachedCi,
    /// Of `chips_to_power`.
    pub chips_to_power: ReachedCi,
    /// Of `chips_to_space`.
    pub chips_to_space: ReachedCi,
    /// Of `chips_to_money`.
    pub chips_to_money: ReachedCi,
    /// Of `stranded_chip_months`.
    pub stranded_chip_months: StatsCi,
    /// Of `stranded_capital_usd_months`.
    pub stranded_capital_usd_months: Option<StatsCi>,
    /// Of `energy_twh_last_12_months`.
    pub energy_twh_last_12_months: StatsCi,
    /// Of `electricity_usd_last_12_months`.
    pub electricity_usd_last_12_months: Option<StatsCi>,
    /// Of `capex_usd_at_horizon`.
    pub capex_usd_at_horizon: Option<StatsCi>,
    /// Of `usd_per_pflops_year`.
    pub usd_per_pflops_year: Option<StatsCi>,
    /// The Wilson interval of the target's probability.
    pub target: Option<[f64; 2]>,
    /// The Wilson interval of each `limited_by` share (`Binding::ALL` order).
    pub limited_by: [[f64; 2]; Binding::COUNT],
}

/// Percentiles of a month that some runs never reach (+infinity).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reached {
    /// Share of runs that reached it.
    pub reached_share: f64,
    /// p5..p95; `None` where the percentile touches a run that never got there.
    pub percentiles: [Option<f64>; 7],
}

impl Reached {
    pub(super) fn of(sketch: &Sketch) -> Reached {
        let n = sketch.count().max(1) as f64;
        let mut percentiles = [None; 7];
        for (p, q) in percentiles.iter_mut().zip(PERCENTILES) {
            *p = sketch.percentile(q);
        }
        Reached { reached_share: (sketch.count() - sketch.infinite_count()) as f64 / n, percentiles }
    }
    /// The 10th percentile month, if the runs at it got there.
    pub fn p10(&self) -> Option<f64> {
        self.percentiles[P10]
    }
    /// The median month, if the runs at it got there.
    pub fn p50(&self) -> Option<f64> {
        self.percentiles[P50]
    }
    /// The 90th percentile month, if the runs at it got there.
    pub fn p90(&self) -> Option<f64> {
        self.percentiles[P90]
    }
    /// P10, P50 and P90 months, `None` where not reached.
    pub fn p10_p50_p90(&self) -> [Option<f64>; 3] {
        [self.p10(), self.p50(), self.p90()]
    }
}

/// When the binding constraint first switches from chips to another (D47): over all
/// runs as a month reached (runs without the switch never reach it), and among the
/// runs that switch, for the sentence that says when.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Switch {
    /// Over all runs; `reached_share` is the share of runs with the switch.
    pub all: Reached,
    /// P10, P50 and P90 month among the runs that switch (`None` when none does).
    pub among_switched: [Option<f64>; 3],
}

impl Switch {
    pub(super) fn of(sketch: &Sketch) -> Switch {
        // The finite values are the lowest ranks: numpy's percentile over them alone.
        let n = sketch.finite_count();
        let among = |q: f64| {
            (n > 0).then(|| {
                let h = q / 100.0 * (n - 1) as f64;
                let (lo, t) = (h.floor(), h - h.floor());
                let (a, b) = (sketch.value_at(lo as u64), sketch.value_at((lo as u64 + 1).min(n - 1)));
                // numpy's _lerp, as `Sketch::percentile`.
                if t >= 0.5 {
                    b - (b - a) * (1.0 - t)
                } else {
                    a + (b - a) * t
                }
            })
        };
        Switch { all: Reached::of(sketch), among_switched: [among(10.0), among(50.0), among(90.0)] }
    }
}

/// The chance that `[target]` is met.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetResult {
    /// Operational chips the target asks for.
    pub operational: u64,
    /// The month index by which they must be operational.
    pub by_month: u32,
    /// Share of runs that met the target (0 to 1).
    pub probability: f64,
}

/// The headline figures of MODEL.md section 6.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// Chips ordered over all deliveries, cancelled ones included.
    pub ordered_chips: u64,
    /// Operational chips at the last month.
    pub operational_at_horizon: Stats,
    /// Operational compute at the last month, in PFLOPS.
    pub compute_pflops_at_horizon: Stats,
    /// The first month with half of the ordered chips operational.
    pub month_50pct_operational: Reached,
    /// The first month with 90% of the ordered chips operational.
    pub month_90pct_operational: Reached,
    /// The first month in which power is the binding constraint.
    pub power_first_binds: Reached,
    /// The month the binding constraint first switches from chips to power (D47).
    pub chips_to_power: Switch,
    /// The same, to space.
    pub chips_to_space: Switch,
    /// The same, to money (never without budget lines: kept, like `limited_by`'s money
    /// share, so a file's statistics do not depend on whether it has budget lines).
    pub chips_to_money: Switch,
    /// Waiting chips summed over the sampled months, in chip-months.
    pub stranded_chip_months: Stats,
    /// Capital of waiting chips summed over the sampled months, in USD-months; `None` when no chip has a price.
    pub stranded_capital_usd_months: Option<Stats>,
    /// Facility energy in the last 12 months to the horizon, TWh.
    pub energy_twh_last_12_months: Stats,
    /// Its cost, USD; `None` when no region prices electricity.
    pub electricity_usd_last_12_months: Option<Stats>,
    /// Price of the chips delivered by the horizon, USD; `None` when no chip has a price.
    pub capex_usd_at_horizon: Option<Stats>,
    /// Capex plus electricity per PFLOP/s-year of compute to the horizon, USD (+infinity
    /// for a run with no compute); `None` when nothing has a price.
    pub usd_per_pflops_year: Option<Stats>,
    /// Share of all runs' energy to the horizon that had a price; `None` when no region
    /// prices electricity.
    pub electricity_priced_share: Option<f64>,
    /// The chance of meeting `[target]`, when the scenario sets one.
    pub target: Option<TargetResult>,
    /// Share of runs limited by each constraint (`limiting_constraint`, `Binding::ALL`
    /// order); the shares sum to 1.
    pub limited_by: [f64; Binding::COUNT],
    /// The first unbroken stretch of months in which power binds in at least half of
    /// the runs, as (first, last) month; `None` when no month gets there.
    pub power_binds_in_half_of_runs: Option<(u32, u32)>,
    /// The 95% Monte Carlo intervals of the figures above.
    pub ci95: HeadlineCi,
}
