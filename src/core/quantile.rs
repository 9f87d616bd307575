//! Quantile functions for drawing a delay by inversion (MODEL.md 9.1): the standard
//! normal CDF, the regularized incomplete beta function and its inverse, and each
//! distribution's value at a standard normal x (`Dist::at_standard_normal`). Also each
//! distribution's CDF, which the tests of the marginal laws read.

use super::dist::Dist;

/// Phi(x): P(Z <= x) for a standard normal Z, from libm's erfc (accurate to a few ulp).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// The PERT's Beta shape (alpha, beta) on [min, max]; a zero width gives (3, 3).
pub fn pert_shape(min: f64, mode: f64, max: f64) -> (f64, f64) {
    let width = max - min;
    if width > 0.0 {
        (1.0 + 4.0 * (mode - min) / width, 1.0 + 4.0 * (max - mode) / width)
    } else {
        (3.0, 3.0)
    }
}

/// ln B(a, b).
fn ln_beta(a: f64, b: f64) -> f64 {
    libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b)
}

/// I_x(a, b), the regularized incomplete beta function (the Beta(a, b) CDF at x), by
/// the continued fraction of Numerical Recipes (section 6.4) with Lentz's method, on the
/// side of x where it converges fast.
pub fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (a * x.ln() + b * (1.0 - x).ln() - ln_beta(a, b)).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

/// The continued fraction of I_x(a, b) (modified Lentz), to 1e-15 relative.
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// x with I_x(a, b) = u, for a, b >= 1 (the PERT's shapes): Newton steps on the CDF,
/// kept inside a bisection bracket so they cannot leave [0, 1], to 1e-14 in x.
pub fn beta_quantile(a: f64, b: f64, u: f64) -> f64 {
    if u <= 0.0 {
        return 0.0;
    }
    if u >= 1.0 {
        return 1.0;
    }
    let ln_norm = ln_beta(a, b);
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    // Start at the mean: the CDF is steep there for every shape the PERT makes.
    let mut x = a / (a + b);
    for _ in 0..200 {
        let f = incomplete_beta(a, b, x) - u;
        if f.abs() < 1e-16 {
            return x;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let density = ((a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_norm).exp();
        let newton = x - f / density;
        let next = if density > 0.0 && newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
        if (next - x).abs() < 1e-14 {
            return next;
        }
        x = next;
    }
    x
}

impl Dist {
    /// The distribution's value at the standard normal `x`: F^-1(Phi(x)) (MODEL.md 9.1).
    /// Normal and log-normal read `x` directly (mean + sd x, exp(mu + sigma x)), so their
    /// tails keep full precision; uniform, triangular and PERT invert their CDF at
    /// u = Phi(x); a fixed value is unchanged.
    pub fn at_standard_normal(&self, x: f64) -> f64 {
        match *self {
            Dist::Fixed(value) => value,
            Dist::Normal { mean, sd } => mean + sd * x,
            Dist::LogNormal { mu, sigma } => (mu + sigma * x).exp(),
            _ => self.quantile(normal_cdf(x)),
        }
    }

    /// F^-1(u) for u in [0, 1].
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match *self {
            Dist::Fixed(value) => value,
            Dist::Uniform { min, max } => min + u * (max - min),
            Dist::Triangular { min, mode, max } => {
                let width = max - min;
                if width <= 0.0 {
                    return min;
                }
                if u < (mode - min) / width {
                    min + (u * width * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * width * (max - mode)).sqrt()
                }
            }
            Dist::Pert { min, mode, max } => {
                let (a, b) = pert_shape(min, mode, max);
                min + beta_quantile(a, b, u) * (max - min)
            }
            Dist::Normal { mean, sd } => mean + sd * normal_quantile(u),
            Dist::LogNormal { mu, sigma } => (mu + sigma * normal_quantile(u)).exp(),
        }
    }

    /// F(v) = P(X <= v).
    pub fn cdf(&self, v: f64) -> f64 {
        match *self {
            Dist::Fixed(value) => f64::from(u8::from(v >= value)),
            Dist::Uniform { min, max } => {
                if max <= min {
                    f64::from(u8::from(v >= min))
                } else {
                    ((v - min) / (max - min)).clamp(0.0, 1.0)
                }
            }
            Dist::Triangular { min, mode, max } => {
                if v <= min {
                    0.0
                } else if v >= max {
                    1.0
                } else if v <= mode {
                    (v - min).powi(2) / ((max - min) * (mode - min))
                } else {
                    1.0 - (max - v).powi(2) / ((max - min) * (max - mode))
                }
            }
            Dist::Pert { min, mode, max } => {
                if max <= min {
                    return f64::from(u8::from(v >= min));
                }
                let (a, b) = pert_shape(min, mode, max);
                incomplete_beta(a, b, (v - min) / (max - min))
            }
            Dist::Normal { mean, sd } => {
                if sd <= 0.0 {
                    f64::from(u8::from(v >= mean))
                } else {
                    normal_cdf((v - mean) / sd)
                }
            }
            Dist::LogNormal { mu, sigma } => {
                if v <= 0.0 {
                    0.0
                } else {
                    normal_cdf((v.ln() - mu) / sigma)
                }
            }
        }
    }
}

/// Phi^-1(u), by bisection and Newton on `normal_cdf` (used for `Dist::quantile` of the
/// normal laws, which inversion itself never needs: it reads x directly).
pub fn normal_quantile(u: f64) -> f64 {
    if u <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if u >= 1.0 {
        return f64::INFINITY;
    }
    let (mut lo, mut hi) = (-40.0_f64, 40.0_f64);
    let mut x = 0.0;
    for _ in 0..200 {
        let f = normal_cdf(x) - u;
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let density = (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let newton = x - f / density;
        let next = if density > 0.0 && newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
        if (next - x).abs() < 1e-15 * x.abs().max(1.0) {
            return next;
        }
        x = next;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_matches_known_values() {
        // Reference values from tables of the standard normal.
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-16);
        assert!((normal_cdf(1.0) - 0.841_344_746_068_542_9).abs() < 1e-15);
        assert!((normal_cdf(-1.959_963_984_540_054) - 0.025).abs() < 1e-15);
        assert!((normal_cdf(1.281_551_565_544_600_5) - 0.9).abs() < 1e-15);
        assert!((normal_cdf(-8.0) - 6.220_960_574_271_784e-16).abs() < 1e-28);
    }

    #[test]
    fn normal_quantile_inverts_the_cdf() {
        for &u in &[1e-10, 0.001, 0.025, 0.3, 0.5, 0.9, 0.999] {
            assert!((normal_cdf(normal_quantile(u)) - u).abs() < 1e-14 * u.max(1e-2), "{u}");
        }
    }

    #[test]
    fn incomplete_beta_matches_closed_forms() {
        // I_x(1, 1) = x; I_x(2, 1) = x^2; I_x(1, 3) = 1 - (1 - x)^3; I_x(3, 3) symmetric.
        for &x in &[0.01, 0.2, 0.5, 0.77, 0.99] {
            assert!((incomplete_beta(1.0, 1.0, x) - x).abs() < 1e-14);
            assert!((incomplete_beta(2.0, 1.0, x) - x * x).abs() < 1e-14);
            assert!((incomplete_beta(1.0, 3.0, x) - (1.0 - (1.0 - x).powi(3))).abs() < 1e-14);
            assert!((incomplete_beta(3.0, 3.0, x) + incomplete_beta(3.0, 3.0, 1.0 - x) - 1.0).abs() < 1e-14);
            // I_x(2, 2) = 3x^2 - 2x^3.
            assert!((incomplete_beta(2.0, 2.0, x) - (3.0 * x * x - 2.0 * x.powi(3))).abs() < 1e-14);
        }
    }

    #[test]
    fn beta_quantile_inverts_the_cdf_for_every_pert_shape() {
        for &(a, b) in &[(1.0, 5.0), (5.0, 1.0), (1.8, 4.2), (3.0, 3.0), (1.0, 1.0), (4.9, 1.1)] {
            for &u in &[1e-9, 0.001, 0.1, 0.5, 0.9, 0.999, 1.0 - 1e-9] {
                let x = beta_quantile(a, b, u);
                assert!((0.0..=1.0).contains(&x));
                assert!((incomplete_beta(a, b, x) - u).abs() < 1e-12, "a {a} b {b} u {u}: x {x}");
            }
        }
    }

    #[test]
    fn quantiles_invert_every_cdf() {
        let dists = [
            Dist::Uniform { min: 1.0, max: 5.0 },
            Dist::Triangular { min: 0.0, mode: 2.0, max: 6.0 },
            Dist::Pert { min: 0.0, mode: 6.0, max: 30.0 },
            Dist::Normal { mean: 3.0, sd: 2.0 },
            Dist::lognormal_from_median_p90(3.0, 12.0),
        ];
        for dist in &dists {
            for &u in &[0.01, 0.1, 0.37, 0.5, 0.8, 0.99] {
                let v = dist.quantile(u);
                assert!((dist.cdf(v) - u).abs() < 1e-12, "{dist:?} u {u}: {v}");
                let x = normal_quantile(u);
                assert!((dist.at_standard_normal(x) - v).abs() < 1e-9 * v.abs().max(1.0), "{dist:?} u {u}");
            }
        }
        assert_eq!(Dist::Fixed(4.0).at_standard_normal(2.0), 4.0);
        // The PERT's median of (0, 6, 30) is about 7.83 (Beta(1.8, 4.2)).
        let median = Dist::Pert { min: 0.0, mode: 6.0, max: 30.0 }.quantile(0.5);
        assert!((median - 30.0 * beta_quantile(1.8, 4.2, 0.5)).abs() < 1e-12);
        assert!(median > 6.0 && median < 10.0 && median < Dist::Pert { min: 0.0, mode: 6.0, max: 30.0 }.mean());
    }
}
