//! `run --until-stable` (issue 13, D45, D46): the batch plan (how many runs after each
//! batch, fixed by the first batch and the cap alone, so the stop is the same on any
//! thread count) and the stopping rule, a pure function of a `Headline` and the
//! tolerances: every checked figure's 95% interval (D38) has a half-width within its
//! tolerance.

use super::metrics::Binding;
use super::stats::{Headline, ReachedCi};
use super::uncertainty::Interval;

/// How narrow the 95% intervals must be (half-widths).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Months, for the P50 of a month figure.
    pub months: f64,
    /// A share of runs (0.01 = 1 percentage point), for probabilities.
    pub probability: f64,
    /// Relative to the P50 (0.005 = 0.5%), for the chip and compute counts.
    pub chips: f64,
}

impl Default for Tolerance {
    /// The defaults: 1 month, 1 percentage point, 0.5%.
    fn default() -> Tolerance {
        Tolerance { months: 1.0, probability: 0.01, chips: 0.005 }
    }
}

/// The total runs after each batch (D45): the first batch, then each batch adds half the
/// runs done so far (at least the first batch's size), the last one cut at `max_runs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchPlan {
    /// Runs of the first batch (at least 1).
    pub first: u64,
    /// The cap: no batch goes past it.
    pub max_runs: u64,
}

impl BatchPlan {
    /// The total after the batch that follows `done` runs; `None` at the cap.
    pub fn next_total(self, done: u64) -> Option<u64> {
        if done >= self.max_runs {
            return None;
        }
        if done == 0 {
            return Some(self.first.clamp(1, self.max_runs));
        }
        Some(done.saturating_add((done / 2).max(self.first)).min(self.max_runs))
    }
}

/// A checked figure whose interval is still wider than its tolerance.
#[derive(Debug, Clone, PartialEq)]
pub struct Unstable {
    /// The figure and part, as headline.json names it ("month_50pct_operational.p50").
    pub what: String,
    /// Its interval's half-width (+infinity when a side is unbounded).
    pub half_width: f64,
    /// The half-width allowed.
    pub allowed: f64,
}

/// The checked figures whose 95% intervals are wider than `tol` (D46); empty when the
/// Monte Carlo is stable. Checked: the P50 of the chips and compute at the horizon
/// (relative, `chips`); every month figure's reached share (`probability`) and, while
/// its P50 interval is finite, that interval (`months`; when an end is "not reached"
/// the reached share alone decides); the target's probability and every
/// `limited_by` share (`probability`). Energy, money and stranded figures are not
/// checked.
pub fn unstable(h: &Headline, tol: &Tolerance) -> Vec<Unstable> {
    let c = &h.ci95;
    let mut out = Vec::new();
    let mut check = |what: String, half_width: f64, allowed: f64| {
        // NaN counts as too wide.
        if half_width.is_nan() || half_width > allowed {
            out.push(Unstable { what, half_width, allowed });
        }
    };
    let counts = [
        ("operational_at_horizon", &h.operational_at_horizon, &c.operational_at_horizon),
        ("compute_pflops_at_horizon", &h.compute_pflops_at_horizon, &c.compute_pflops_at_horizon),
    ];
    for (key, stats, ci) in counts {
        check(format!("{key}.p50"), half(ci.p50()), tol.chips * stats.p50().abs());
    }
    let months = [
        ("month_50pct_operational", &c.month_50pct_operational),
        ("month_90pct_operational", &c.month_90pct_operational),
        ("power_first_binds", &c.power_first_binds),
        ("chips_to_power", &c.chips_to_power),
        ("chips_to_space", &c.chips_to_space),
        ("chips_to_money", &c.chips_to_money),
    ];
    for (key, ci) in months {
        check(format!("{key}.reached_share"), share_half(ci.reached_share), tol.probability);
        if let Some(width) = month_half(ci) {
            check(format!("{key}.p50"), width, tol.months);
        }
    }
    if let Some(t) = c.target {
        check("target.probability".into(), share_half(t), tol.probability);
    }
    for b in Binding::ALL {
        check(format!("limited_by.{}", b.label()), share_half(c.limited_by[b.index()]), tol.probability);
    }
    out
}

/// Half the width of an interval; +infinity when a side is unbounded or infinite.
fn half([lo, hi]: Interval) -> f64 {
    match (lo, hi) {
        (Some(lo), Some(hi)) if lo.is_finite() && hi.is_finite() => (hi - lo) / 2.0,
        _ => f64::INFINITY,
    }
}

/// Half the width of a share's interval.
fn share_half([lo, hi]: [f64; 2]) -> f64 {
    (hi - lo) / 2.0
}

/// The half-width the P50 month must meet: its interval's, `None` when an end is "not
/// reached" (the reached share decides then), +infinity when too few runs bound a side.
fn month_half(ci: &ReachedCi) -> Option<f64> {
    match ci.p50() {
        [Some(lo), Some(hi)] if lo.is_infinite() || hi.is_infinite() => None,
        interval => Some(half(interval)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_grow_by_half_and_stop_at_the_cap() {
        let plan = BatchPlan { first: 1000, max_runs: 10_000 };
        let mut totals = Vec::new();
        let mut done = 0;
        while let Some(next) = plan.next_total(done) {
            totals.push(next);
            done = next;
        }
        // 1000, +1000 (half of 1000 is below the first batch), +1000, +1500, +2250, +3375.
        assert_eq!(totals, [1000, 2000, 3000, 4500, 6750, 10_000]);
        assert_eq!(BatchPlan { first: 5000, max_runs: 3000 }.next_total(0), Some(3000));
        assert_eq!(BatchPlan { first: 0, max_runs: 3 }.next_total(0), Some(1));
    }

    #[test]
    fn half_widths_read_unbounded_sides_as_infinite() {
        assert_eq!(half([Some(2.0), Some(5.0)]), 1.5);
        assert_eq!(half([None, Some(5.0)]), f64::INFINITY);
        assert_eq!(half([Some(2.0), Some(f64::INFINITY)]), f64::INFINITY);
        assert!((share_half([0.4, 0.45]) - 0.025).abs() < 1e-15);
    }
}
