//! Monte Carlo error (MODEL.md D36-D38): 95% confidence intervals of headline figures
//! from the sampling alone. Percentiles get the distribution-free order-statistic
//! interval (binomial ranks), shares of runs the Wilson score interval, means the
//! normal interval of the standard error. Pure functions of counts and ranks, so an
//! interval is as mergeable and as thread-independent as the sketch it reads.

/// The two-sided 95% standard normal quantile, Phi^-1(0.975) ("1.96").
pub const Z95: f64 = 1.959_963_984_540_054;

/// Two-sided error level of every interval here (95% coverage).
const ALPHA: f64 = 0.05;

/// An interval's two ends; `None` where the sample cannot bound that side (too few runs
/// for a distribution-free bound). An end may be +infinity (an order statistic of runs
/// that never reached a month); files write it `null` like the percentile it bounds.
pub type Interval = [Option<f64>; 2];

/// The Wilson score interval of a share: `k` runs of `n` (k may be fractional, as an
/// exceedance count read inside a bucket is not), at 95%.
/// centre = (p + z^2/2n) / (1 + z^2/n), half-width = z / (1 + z^2/n) x
/// sqrt(p(1-p)/n + z^2/4n^2), with p = k/n. [0, 1] when there are no runs.
pub fn wilson(k: f64, n: u64) -> [f64; 2] {
    if n == 0 {
        return [0.0, 1.0];
    }
    let n = n as f64;
    let p = (k / n).clamp(0.0, 1.0);
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At p = 0 (or 1) the interval's end is exactly 0 (or 1); keep rounding from moving it.
    let lo = if p == 0.0 { 0.0 } else { (centre - half).max(0.0) };
    let hi = if p == 1.0 { 1.0 } else { (centre + half).min(1.0) };
    [lo, hi]
}

/// The normal 95% interval of a mean from the sample standard deviation:
/// mean -/+ z s / sqrt(n).
pub fn mean_interval(mean: f64, variance: Option<f64>, n: u64) -> Interval {
    match variance {
        Some(v) if mean.is_finite() && v.is_finite() && n > 1 => {
            let half = Z95 * (v / n as f64).sqrt();
            [Some(mean - half), Some(mean + half)]
        }
        _ => [None, None],
    }
}

/// The 1-based ranks (l, u) of the distribution-free 95% interval [X_(l), X_(u)] of the
/// q-quantile (q in 0..1) of n runs. With B ~ Binomial(n, q) the number of runs at or
/// below the true quantile, P(X_(l) <= x_q <= X_(u)) >= P(l <= B <= u - 1) =
/// F(u - 1) - F(l - 1); l - 1 is the largest k with F(k) <= 2.5% and u - 1 the smallest
/// k with F(k) >= 97.5%, so the coverage is at least 95% (at least, not exactly: ranks
/// are whole). `None` on a side where no rank in 1..=n is far enough out (few runs).
pub fn order_statistic_ranks(n: u64, q: f64) -> (Option<u64>, Option<u64>) {
    if n == 0 || q.is_nan() || q <= 0.0 || q >= 1.0 {
        return (None, None);
    }
    let (first, cdf) = binomial_cdf(n, q);
    // F(k) for any k: 0 below the table, 1 above it.
    let at = |k: u64| -> f64 {
        if k < first {
            0.0
        } else {
            cdf.get((k - first) as usize).copied().unwrap_or(1.0)
        }
    };
    // Largest k with F(k) <= alpha/2 (F rises with k, so search the table).
    let low = (0..first + cdf.len() as u64).rev().find(|&k| at(k) <= ALPHA / 2.0).or_else(|| {
        // F(k) is 0 (to double precision) for every k below the table.
        first.checked_sub(1)
    });
    let high = (first..first + cdf.len() as u64).find(|&k| at(k) >= 1.0 - ALPHA / 2.0).unwrap_or(n);
    let l = low.map(|k| k + 1).filter(|&l| l >= 1 && l <= n);
    let u = Some(high + 1).filter(|&u| u <= n);
    (l, u)
}

/// The Binomial(n, p) CDF over the window of k where the probabilities are not
/// negligible: (first k, F(first), F(first + 1), ...). The pmf is built outward from
/// the mode by its ratio recurrence and normalised, so no factorial or gamma function
/// is needed and the cost is O(sqrt(n p (1-p))); the mass left outside is below 1e-25
/// relative to the mode's.
fn binomial_cdf(n: u64, p: f64) -> (u64, Vec<f64>) {
    const NEGLIGIBLE: f64 = 1e-25;
    let mode = (((n + 1) as f64) * p).floor().min(n as f64) as u64;
    let odds = p / (1.0 - p);
    // Weights below the mode, nearest first.
    let mut below = Vec::new();
    let (mut k, mut w) = (mode, 1.0f64);
    while k > 0 {
        // w(k - 1) = w(k) x k / (n - k + 1) / odds
        w *= k as f64 / (n - k + 1) as f64 / odds;
        k -= 1;
        if w < NEGLIGIBLE {
            break;
        }
        below.push(w);
    }
    let first = mode - below.len() as u64;
    let mut weights: Vec<f64> = below.into_iter().rev().collect();
    weights.push(1.0);
    let (mut k, mut w) = (mode, 1.0f64);
    while k < n {
        // w(k + 1) = w(k) x (n - k) / (k + 1) x odds
        w *= (n - k) as f64 / (k + 1) as f64 * odds;
        k += 1;
        if w < NEGLIGIBLE {
            break;
        }
        weights.push(w);
    }
    let total: f64 = weights.iter().sum();
    let mut running = 0.0;
    let cdf = weights
        .iter()
        .map(|w| {
            running += w;
            (running / total).min(1.0)
        })
        .collect();
    (first, cdf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_cdf_matches_hand_sums() {
        // Binomial(4, 0.5): 1/16, 5/16, 11/16, 15/16, 1.
        let (first, cdf) = binomial_cdf(4, 0.5);
        assert_eq!(first, 0);
        for (c, want) in cdf.iter().zip([1.0, 5.0, 11.0, 15.0, 16.0]) {
            assert!((c - want / 16.0).abs() < 1e-15, "{cdf:?}");
        }
    }

    #[test]
    fn the_order_statistic_interval_of_a_median_of_100_is_ranks_40_and_61() {
        // Binomial(100, 0.5): F(39) = 0.0176 <= 0.025 < F(40) = 0.0284, and
        // F(59) = 0.9716 < 0.975 <= F(60) = 0.9824: the textbook (40, 61), coverage 95.4%.
        assert_eq!(order_statistic_ranks(100, 0.5), (Some(40), Some(61)));
        // The 90th percentile of 100: F(83) = 0.0206 <= 0.025 < F(84) = 0.0399 and
        // F(94) = 0.9424 < 0.975 <= F(95) = 0.9763 (Binomial(100, 0.9) by hand).
        assert_eq!(order_statistic_ranks(100, 0.9), (Some(84), Some(96)));
        // Four runs cannot bound a median at 95% on either side (F(0) = 1/16 > 2.5%).
        assert_eq!(order_statistic_ranks(4, 0.5), (None, None));
        // Large n: the ranks approach n q -/+ 1.96 sqrt(n q (1 - q)).
        let (l, u) = order_statistic_ranks(1_000_000, 0.5);
        let (l, u) = (l.unwrap() as f64, u.unwrap() as f64);
        assert!((l - (500_000.0 - 980.0)).abs() <= 3.0 && (u - (500_000.0 + 981.0)).abs() <= 3.0, "{l} {u}");
    }

    #[test]
    fn wilson_matches_hand_computed_values() {
        // 69 of 100: centre (0.69 + 3.8415/200) / 1.038415 = 0.68297, half-width
        // 1.96 / 1.038415 x sqrt(0.69 x 0.31 / 100 + 3.8415 / 40000) = 0.08923.
        let [lo, hi] = wilson(69.0, 100);
        assert!((lo - 0.593_74).abs() < 5e-5 && (hi - 0.772_20).abs() < 5e-5, "{lo} {hi}");
        // 0 of 10: [0, z^2 / (n + z^2)] = [0, 0.27753].
        let [lo, hi] = wilson(0.0, 10);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.277_53).abs() < 5e-5, "{hi}");
        // 10 of 10 mirrors it.
        let [lo, hi] = wilson(10.0, 10);
        assert!((lo - 0.722_47).abs() < 5e-5 && hi == 1.0, "{lo}");
        assert_eq!(wilson(0.0, 0), [0.0, 1.0]);
    }

    #[test]
    fn the_mean_interval_is_the_standard_error_times_1_96() {
        let [lo, hi] = mean_interval(10.0, Some(4.0), 100);
        assert!((lo.unwrap() - (10.0 - 0.392)).abs() < 1e-4 && (hi.unwrap() - 10.392).abs() < 1e-4);
        assert_eq!(mean_interval(10.0, None, 100), [None, None]);
        assert_eq!(mean_interval(f64::INFINITY, Some(1.0), 100), [None, None]);
    }
}
