//! Probability distributions of delays and durations, and how they are sampled.
//!
//! Every distribution here is validated before it is built, so sampling never fails.

use rand::Rng;
use rand_distr::{Beta, Binomial, Distribution, LogNormal, Normal};

/// z such that P(Z <= z) = 0.90 for a standard normal Z.
const Z90: f64 = 1.281_551_565_544_600_5;
/// z such that P(Z <= z) = 0.95 for a standard normal Z.
const Z95: f64 = 1.644_853_626_951_472_2;

/// A validated distribution of a quantity in months.
#[derive(Debug, Clone, PartialEq)]
pub enum Dist {
    /// Always this value; draws nothing.
    Fixed(f64),
    /// Uniform on [min, max]: one uniform draw.
    Uniform {
        /// Lowest value.
        min: f64,
        /// Highest value.
        max: f64,
    },
    /// Triangular on [min, max] with its peak at mode: one uniform draw, inverse CDF.
    Triangular {
        /// Lowest value.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Highest value.
        max: f64,
    },
    /// Beta-PERT with lambda 4 on [min, max]: one beta draw.
    Pert {
        /// Lowest value.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Highest value.
        max: f64,
    },
    /// Normal with the given mean and standard deviation.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Log-normal: ln X ~ Normal(mu, sigma).
    LogNormal {
        /// Mean of ln X.
        mu: f64,
        /// Standard deviation of ln X.
        sigma: f64,
    },
}

impl Dist {
    /// A log-normal from its median and 90th percentile (0 < median < p90).
    pub fn lognormal_from_median_p90(median: f64, p90: f64) -> Dist {
        let mu = median.ln();
        Dist::LogNormal { mu, sigma: (p90.ln() - mu) / Z90 }
    }

    /// A log-normal from its 5th and 95th percentiles (0 < p5 < p95).
    pub fn lognormal_from_p5_p95(p5: f64, p95: f64) -> Dist {
        Dist::LogNormal { mu: (p5.ln() + p95.ln()) / 2.0, sigma: (p95.ln() - p5.ln()) / (2.0 * Z95) }
    }

    /// Draws one value. Zero-width distributions still consume their draw, so the
    /// stream position of later draws does not depend on the parameters.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Dist::Fixed(value) => value,
            Dist::Uniform { min, max } => min + rng.gen::<f64>() * (max - min),
            Dist::Triangular { min, mode, max } => {
                let u: f64 = rng.gen();
                let width = max - min;
                if width <= 0.0 {
                    return min;
                }
                let peak = (mode - min) / width;
                if u < peak {
                    min + (u * width * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * width * (max - mode)).sqrt()
                }
            }
            Dist::Pert { min, mode, max } => {
                let width = max - min;
                let (alpha, beta) = crate::core::quantile::pert_shape(min, mode, max);
                // alpha, beta >= 1 by validation, so Beta::new cannot fail; fall back to the mode.
                let fraction = Beta::new(alpha, beta).map_or(0.5, |b| b.sample(rng));
                min + fraction * width
            }
            Dist::Normal { mean, sd } => Normal::new(mean, sd).map_or(mean, |n| n.sample(rng)),
            Dist::LogNormal { mu, sigma } => LogNormal::new(mu, sigma).map_or(mu.exp(), |l| l.sample(rng)),
        }
    }

    /// The mean of the distribution, used in documentation and tests.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed(value) => value,
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Pert { min, mode, max } => (min + 4.0 * mode + max) / 6.0,
            Dist::Normal { mean, .. } => mean,
            Dist::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
        }
    }
}

/// Means below this are drawn by inversion; from it on by Hörmann's BTRS.
const INVERSION_MAX_MEAN: f64 = 10.0;
/// Inversion gives up on a uniform past this many steps and draws another: the tail
/// beyond it has probability below 1e-60 for any mean under `INVERSION_MAX_MEAN`.
const INVERSION_MAX_STEPS: u64 = 110;

/// Binomial(n, p): the number of chips, of `n`, that fail when each fails with chance `p`.
pub fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    let law = FailureLaw::new(p);
    law.sample(rng, n, law.p_zero(n))
}

/// The binomial law of chip failures at one chance `p`, with its constants computed once.
///
/// Monthly failure chances are small, so most draws have a small mean n x p. Those use
/// inversion (Kachitvichyanukul and Schmeiser's BINV, as rand_distr does) with one
/// uniform, starting from P(0) = (1 - p)^n, which the caller passes in so a lot whose
/// count did not change reuses it (rand_distr recomputes it by repeated multiplication
/// at every draw). Means of `INVERSION_MAX_MEAN` and more use Hörmann's transformed
/// rejection with squeeze (BTRS), which accepts most draws with two uniforms and a few
/// multiplications; rand_distr's BTPE recomputes a dozen constants, logarithms among
/// them, at every draw. p > 1/2 falls back to rand_distr. All three are exact samplers
/// of the binomial law (up to float rounding).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FailureLaw {
    p: f64,
    ln_q: f64,
    odds: f64,
    ln_odds: f64,
}

impl FailureLaw {
    /// The law for chance `p` (clamped to [0, 1]).
    pub fn new(p: f64) -> FailureLaw {
        let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        let odds = p / (1.0 - p);
        FailureLaw { p, ln_q: (-p).ln_1p(), odds, ln_odds: odds.ln() }
    }

    /// P(no failure among n) = (1 - p)^n.
    pub fn p_zero(&self, n: u64) -> f64 {
        (n as f64 * self.ln_q).exp()
    }

    /// Whether `sample` for `n` chips reads its `p_zero` argument (inversion only); a
    /// caller that caches P(0) can skip computing it when not.
    #[inline]
    pub fn reads_p_zero(&self, n: u64) -> bool {
        self.p > 0.0 && self.p <= 0.5 && (n as f64 * self.p) < INVERSION_MAX_MEAN
    }

    /// One draw for `n` chips; `p_zero` must be `self.p_zero(n)` (only inversion reads it).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, n: u64, p_zero: f64) -> u64 {
        let p = self.p;
        if n == 0 || p <= 0.0 {
            return 0;
        }
        if p >= 1.0 {
            return n;
        }
        if p > 0.5 {
            return Binomial::new(n, p).map_or(0, |b| b.sample(rng));
        }
        if n as f64 * p >= INVERSION_MAX_MEAN {
            return self.btrs(rng, n);
        }
        loop {
            let mut u: f64 = rng.gen();
            let mut prob = p_zero;
            let mut k = 0;
            loop {
                if u < prob {
                    return k;
                }
                u -= prob;
                if k >= n || k >= INVERSION_MAX_STEPS {
                    break;
                }
                prob *= self.odds * (n - k) as f64 / (k + 1) as f64;
                k += 1;
            }
        }
    }

    /// BTRS (W. Hörmann, "The generation of binomial random variates", J. Statist.
    /// Comput. Simul. 46, 1993), for n x p >= 10 and p <= 1/2: a candidate k from a
    /// transformed uniform, accepted at once inside the squeeze box (about 86% of
    /// candidates), else by the exact log ratio of binomial probabilities with
    /// Stirling-series log factorials. Its shape follows TensorFlow's implementation.
    fn btrs<R: Rng + ?Sized>(&self, rng: &mut R, n: u64) -> u64 {
        let (count, p) = (n as f64, self.p);
        let spq = (count * p * (1.0 - p)).sqrt();
        let b = 1.15 + 2.53 * spq;
        let a = -0.0873 + 0.0248 * b + 0.01 * p;
        let c = count * p + 0.5;
        let v_r = 0.92 - 4.2 / b;
        let alpha = (2.83 + 5.1 / b) * spq;
        // Floors of non-negative values are truncations: a conversion, where `floor` is
        // a libm call on the x86-64 baseline (no SSE4.1 rounding instruction).
        let m = (((count + 1.0) * p) as u64) as f64;
        loop {
            let u = rng.gen::<f64>() - 0.5;
            let v: f64 = rng.gen();
            let us = 0.5 - u.abs();
            let x = (2.0 * a / us + b) * u + c;
            // Candidates k = floor(x) outside 0..=n have probability zero (NaN and
            // infinities come from us = 0). For x >= 0, floor(x) is x truncated, which
            // the saturating conversion gives (+infinity saturates far above n).
            if x.is_nan() || x < 0.0 {
                continue;
            }
            let k = (x as u64) as f64;
            if k > count {
                continue;
            }
            if us >= 0.07 && v <= v_r {
                return k as u64;
            }
            let v = (v * alpha / (a / (us * us) + b)).ln();
            // ln(f(k) / f(m)) for the binomial probabilities f, from ln k! = Stirling + tail.
            let bound = (m + 0.5) * ((m + 1.0) / (count - m + 1.0)).ln() - (m + 0.5) * self.ln_odds
                // ln((n - m + 1) / (n - k + 1)) as ln_1p: the ratio is near 1 for large n,
                // and its plain log, times n + 1, would lose 1e-6 at n = 1e10.
                + (count + 1.0) * ((k - m) / (count - k + 1.0)).ln_1p()
                + (k + 0.5) * (self.ln_odds + ((count - k + 1.0) / (k + 1.0)).ln())
                + stirling_tail(m)
                + stirling_tail(count - m)
                - stirling_tail(k)
                - stirling_tail(count - k);
            if v <= bound {
                return k as u64;
            }
        }
    }
}

/// ln k! - (ln sqrt(2 pi) + (k + 1/2) ln(k + 1) - (k + 1)): the tail of Stirling's series,
/// from a table below 10 and three terms of the series above (error below 1e-10).
fn stirling_tail(k: f64) -> f64 {
    const TAIL: [f64; 10] = [
        0.081_061_466_795_327_2,
        0.041_340_695_955_409_2,
        0.027_677_925_684_998_3,
        0.020_790_672_103_765_09,
        0.016_644_691_189_821_1,
        0.013_876_128_823_070_7,
        0.011_896_709_945_891_7,
        0.010_411_265_261_972_0,
        0.009_255_462_182_712_73,
        0.008_330_563_433_362_87,
    ];
    if k <= 9.0 {
        return TAIL[k as usize];
    }
    let kp1 = k + 1.0;
    let kp1sq = kp1 * kp1;
    (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / 1260.0 / kp1sq) / kp1sq) / kp1
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn sample_mean(dist: &Dist, n: usize) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        (0..n).map(|_| dist.sample(&mut rng)).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_analytic_means() {
        let dists = [
            Dist::Uniform { min: 1.0, max: 5.0 },
            Dist::Triangular { min: 0.0, mode: 2.0, max: 6.0 },
            Dist::Pert { min: 0.0, mode: 6.0, max: 30.0 },
            Dist::Normal { mean: 3.0, sd: 2.0 },
            Dist::lognormal_from_median_p90(3.0, 12.0),
        ];
        for dist in &dists {
            let got = sample_mean(dist, 200_000);
            let want = dist.mean();
            assert!((got - want).abs() < 0.02 * want.abs().max(1.0), "{dist:?}: {got} vs {want}");
        }
    }

    #[test]
    fn lognormal_parameterisations_hit_their_quantiles() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let dist = Dist::lognormal_from_p5_p95(2.0, 20.0);
        let mut xs: Vec<f64> = (0..100_000).map(|_| dist.sample(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        assert!((xs[5_000] - 2.0).abs() < 0.1, "p5 {}", xs[5_000]);
        assert!((xs[95_000] - 20.0).abs() < 1.0, "p95 {}", xs[95_000]);
        let dist = Dist::lognormal_from_median_p90(3.0, 12.0);
        let mut xs: Vec<f64> = (0..100_000).map(|_| dist.sample(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        assert!((xs[50_000] - 3.0).abs() < 0.1);
        assert!((xs[90_000] - 12.0).abs() < 0.5);
    }

    #[test]
    fn binomial_matches_its_law() {
        // Mean, variance and P(0) against the binomial law, for small and large means.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for &(n, p) in &[(1u64, 0.3), (20, 0.0034), (300, 0.0034), (2900, 0.0034), (50_000, 0.0034), (10, 0.45)] {
            let draws = 200_000;
            let xs: Vec<u64> = (0..draws).map(|_| binomial(&mut rng, n, p)).collect();
            let mean = xs.iter().sum::<u64>() as f64 / draws as f64;
            let var = xs.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / (draws - 1) as f64;
            let (m, v) = (n as f64 * p, n as f64 * p * (1.0 - p));
            // Five standard errors of the mean and (roughly) of the variance.
            assert!((mean - m).abs() < 5.0 * (v / draws as f64).sqrt() + 1e-12, "n {n} p {p}: mean {mean} vs {m}");
            assert!((var - v).abs() < 5.0 * v * (2.0 / draws as f64).sqrt() + 1e-12, "n {n} p {p}: var {var} vs {v}");
            let zeros = xs.iter().filter(|&&x| x == 0).count() as f64 / draws as f64;
            let p0 = (1.0 - p).powf(n as f64);
            assert!((zeros - p0).abs() < 5.0 * (p0 * (1.0 - p0) / draws as f64).sqrt() + 1e-9, "n {n} p {p}: P(0)");
            assert!(xs.iter().all(|&x| x <= n));
        }
        assert_eq!(binomial(&mut rng, 0, 0.5), 0);
        assert_eq!(binomial(&mut rng, 7, 1.0), 7);
        assert_eq!(binomial(&mut rng, 7, 0.0), 0);
    }

    /// Pearson's chi-square of 200,000 draws against the exact binomial pmf, cells with
    /// an expected count under 5 pooled into their neighbours.
    fn chi_square(n: u64, p: f64, seed: u64) -> (f64, usize) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let draws = 200_000;
        let mut counts = vec![0u64; n as usize + 1];
        for _ in 0..draws {
            counts[binomial(&mut rng, n, p) as usize] += 1;
        }
        let mut ln_pmf = n as f64 * (-p).ln_1p();
        let (mut stat, mut cells, mut want_acc, mut got_acc) = (0.0, 0, 0.0, 0.0);
        for (k, &got) in counts.iter().enumerate() {
            want_acc += draws as f64 * ln_pmf.exp();
            got_acc += got as f64;
            if want_acc >= 5.0 {
                stat += (got_acc - want_acc).powi(2) / want_acc;
                cells += 1;
                (want_acc, got_acc) = (0.0, 0.0);
            }
            ln_pmf += ((n - k as u64) as f64 / (k + 1) as f64).ln() + (p / (1.0 - p)).ln();
        }
        if want_acc > 0.0 {
            stat += (got_acc - want_acc).powi(2) / want_acc.max(1e-9);
            cells += 1;
        }
        (stat, cells)
    }

    #[test]
    fn binomial_pmf_passes_chi_square_on_both_samplers() {
        // Inversion below mean 10, BTRS from it on (small and large standard deviations),
        // and the p > 1/2 fallback.
        for (i, &(n, p)) in
            [(2000u64, 0.0034), (3000, 0.0034), (6000, 0.0034), (260_000, 0.0034), (40, 0.45), (30, 0.8)]
                .iter()
                .enumerate()
        {
            let (stat, cells) = chi_square(n, p, 100 + i as u64);
            let dof = (cells - 1) as f64;
            // Mean dof, sd sqrt(2 dof): six standard deviations is a failure by chance
            // of about one in 10^9 per case, and far below what a wrong shape gives.
            assert!(stat < dof + 6.0 * (2.0 * dof).sqrt(), "n {n} p {p}: chi-square {stat:.1} on {dof} dof");
        }
    }

    #[test]
    fn zero_width_distributions_return_their_value() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert_eq!(Dist::Pert { min: 2.0, mode: 2.0, max: 2.0 }.sample(&mut rng), 2.0);
        assert_eq!(Dist::Triangular { min: 2.0, mode: 2.0, max: 2.0 }.sample(&mut rng), 2.0);
        assert_eq!(Dist::Uniform { min: 2.0, max: 2.0 }.sample(&mut rng), 2.0);
        assert_eq!(Dist::Normal { mean: 2.0, sd: 0.0 }.sample(&mut rng), 2.0);
    }
}
