//! An exact float sum (Shewchuk's algorithm, as in Python's `math.fsum`) and its
//! canonical partials: the same multiset of values gives the same bits in any order.

/// A float sum that is exact until the final rounding (Shewchuk's algorithm, as in
/// Python's `math.fsum`): the same multiset of values gives the same bits in any order.
///
/// It is held as non-overlapping partials of increasing magnitude whose exact sum is the
/// sum; which partials depends on the order values arrived in, so anything written out
/// uses `canonical_partials`, which depends only on the exact value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExactSum {
    partials: Vec<f64>,
}

impl ExactSum {
    /// The sum of `partials`, exactly (any finite floats, e.g. `canonical_partials` read
    /// back; non-finite ones are ignored, as `add` ignores them).
    pub fn from_partials(partials: &[f64]) -> ExactSum {
        let mut sum = ExactSum::default();
        partials.iter().for_each(|&p| sum.add(p));
        sum
    }

    /// Adds a finite value (non-finite values are ignored).
    pub fn add(&mut self, value: f64) {
        if !value.is_finite() {
            return;
        }
        let mut x = value;
        let mut kept = 0;
        for j in 0..self.partials.len() {
            let mut y = self.partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[kept] = lo;
                kept += 1;
            }
            x = hi;
        }
        self.partials.truncate(kept);
        self.partials.push(x);
    }

    /// Adds `count` copies of a finite `value` exactly: count x value is split into its
    /// rounded product and the product's rounding error (a fused multiply-add gives it
    /// exactly, for counts below 2^53), and both are added.
    pub fn add_product(&mut self, value: f64, count: u64) {
        if !value.is_finite() || count == 0 {
            return;
        }
        let c = count as f64;
        let product = c * value;
        if !product.is_finite() {
            // Past f64's range the split would overflow: add the copies one by one.
            (0..count).for_each(|_| self.add(value));
            return;
        }
        self.add(product);
        let error = c.mul_add(value, -product);
        if error != 0.0 {
            self.add(error);
        }
    }

    /// Adds `count` copies of each `value` (as `add_product` does for each pair, to the
    /// same exact sum). When the finite non-zero values' binary exponents span at most
    /// `FIXED_POINT_SPAN` and their counts total below 2^20, as a batch of one cell's
    /// values does, they are summed at once as integers on the smallest exponent's grid
    /// (exact in an i128) and the total joins the partials as three exact pieces, instead
    /// of two partial updates per value.
    pub fn add_products(&mut self, runs: &[(f64, u64)]) {
        self.add_pairs(runs.iter().copied());
    }

    /// `add_products` of the (value, count) pairs `runs` yields, in any order and
    /// grouping: the sum is exact, so it is the same.
    pub fn add_pairs(&mut self, runs: impl Iterator<Item = (f64, u64)> + Clone) {
        const FIXED_POINT_SPAN: i32 = 52;
        let mut grid = i32::MAX;
        let mut top = i32::MIN;
        let mut total: u64 = 0;
        let mut any = false;
        for (v, c) in runs.clone() {
            if let Some((_, e)) = binary_parts(v).filter(|_| c > 0) {
                grid = grid.min(e);
                top = top.max(e);
                total = total.saturating_add(c);
                any = true;
            }
        }
        if !any || total >= 1 << 20 || top - grid > FIXED_POINT_SPAN || grid < -1000 || top > 900 {
            runs.for_each(|(v, c)| self.add_product(v, c));
            return;
        }
        let mut fixed: i128 = 0;
        for (v, c) in runs {
            match binary_parts(v) {
                // |m| < 2^53 shifted by at most 52 bits, times counts that total below
                // 2^20: every partial sum is below 2^125.
                Some((m, e)) => fixed += (i128::from(m) * i128::from(c)) << (e - grid),
                // Zeros keep their sign class (see `canonical_partials`); others are ignored.
                None => self.add_product(v, c),
            }
        }
        if fixed == 0 {
            // Non-zero values that cancel: the zero `add_product` would leave.
            self.add(0.0);
            return;
        }
        let magnitude = fixed.unsigned_abs();
        let sign = if fixed < 0 { -1.0 } else { 1.0 };
        for k in 0..3 {
            let chunk = (magnitude >> (43 * k)) & ((1u128 << 43) - 1);
            if chunk != 0 {
                // chunk < 2^43 and the power of two is normal: the product is exact.
                self.add(sign * chunk as f64 * power_of_two(grid + 43 * k));
            }
        }
    }

    /// Adds everything `other` holds.
    pub fn merge(&mut self, other: &ExactSum) {
        for &p in &other.partials {
            self.add(p);
        }
    }

    /// Partials that depend only on the values added, not on their order: the greedy
    /// expansion of the exact sum S, c0 = S rounded, c1 = (S - c0) rounded, ... until the
    /// remainder is zero, each remainder computed exactly; listed smallest first, as
    /// partials are. A given S has one such expansion. Zero sums keep what a later merge
    /// needs to round as before: nothing added gives `[]`, only -0.0s `[-0.0]`, any other
    /// zero `[0.0]`. A sum past f64's range (never produced by a run) is left as it is.
    pub fn canonical_partials(&self) -> Vec<f64> {
        if self.partials.is_empty() {
            return Vec::new();
        }
        let first = self.value();
        if first == 0.0 {
            return vec![first];
        }
        let mut expansion = Vec::new();
        let mut rest = self.clone();
        let mut next = first;
        // Each term is at most half an ulp of the one before and all are multiples of
        // the smallest subnormal, so an f64 sum has at most 41 terms; the cap only guards.
        while next != 0.0 && expansion.len() < 64 {
            if !next.is_finite() {
                return self.partials.clone();
            }
            expansion.push(next);
            rest.add(-next);
            next = rest.value();
        }
        expansion.reverse();
        expansion
    }

    /// The correctly rounded sum.
    pub fn value(&self) -> f64 {
        let p = &self.partials;
        let mut n = p.len();
        if n == 0 {
            return 0.0;
        }
        n -= 1;
        let mut hi = p[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
        hi
    }
}

/// A finite non-zero `v` as (signed integer mantissa m, exponent e) with v = m x 2^e
/// exactly; `None` for zeros, infinities and NaN.
fn binary_parts(v: f64) -> Option<(i64, i32)> {
    if v == 0.0 || !v.is_finite() {
        return None;
    }
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = (bits & ((1 << 52) - 1)) as i64;
    let (m, e) = if biased == 0 { (fraction, -1074) } else { (fraction | (1 << 52), biased - 1075) };
    Some((if v < 0.0 { -m } else { m }, e))
}

/// 2^e for a normal exponent (-1022 <= e <= 1023).
fn power_of_two(e: i32) -> f64 {
    f64::from_bits(((e + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_sum_is_order_independent() {
        let values = [1e16, 1.0, -1e16, 3.3, 1e-9, 7.25, -2.0];
        let mut a = ExactSum::default();
        values.iter().for_each(|&v| a.add(v));
        let mut b = ExactSum::default();
        values.iter().rev().for_each(|&v| b.add(v));
        assert_eq!(a.value().to_bits(), b.value().to_bits());
        // Python: math.fsum([1e16, 1.0, -1e16, 3.3, 1e-9, 7.25, -2.0])
        assert_eq!(a.value(), 9.550000000999999);
    }

    #[test]
    fn canonical_partials_depend_only_on_the_values() {
        let values = [1e16, 1.0, -1e16, 3.3, 1e-9, 7.25, -2.0, 0.1, 0.7, 1e-300, -5e15];
        let sum_in = |order: &mut dyn Iterator<Item = f64>| {
            let mut s = ExactSum::default();
            order.for_each(|v| s.add(v));
            s
        };
        let forward = sum_in(&mut values.iter().copied());
        let backward = sum_in(&mut values.iter().rev().copied());
        let halves = {
            let mut a = sum_in(&mut values[..5].iter().copied());
            a.merge(&sum_in(&mut values[5..].iter().copied()));
            a
        };
        let canonical = forward.canonical_partials();
        assert_ne!(forward.partials, backward.partials, "the test wants orders that differ in memory");
        for other in [&backward, &halves] {
            assert_eq!(
                canonical.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                other.canonical_partials().iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            );
        }
        // Read back, the canonical form holds the same exact value: it rounds and merges
        // as the original does.
        let read = ExactSum::from_partials(&canonical);
        assert_eq!(read.value().to_bits(), forward.value().to_bits());
        let (mut a, mut b) = (forward.clone(), read.clone());
        a.add(-forward.value());
        b.add(-forward.value());
        assert_eq!(a.value().to_bits(), b.value().to_bits());
        assert_ne!(a.value(), 0.0);
    }

    /// `add_products` leaves the canonical partials (so every written byte) that one
    /// `add_product` per pair leaves, on its fixed-point path and on its fallback.
    #[test]
    fn add_products_equals_one_add_product_per_value() {
        use proptest::prelude::*;
        let value = prop_oneof![
            (-1e6f64..1e6).prop_map(|v| v.round()),
            -1e6f64..1e6,
            (-300i32..300, -1.0f64..1.0).prop_map(|(e, m)| m * 2f64.powi(e)),
            Just(0.0),
            Just(-0.0),
            Just(f64::INFINITY),
            Just(5e-324),
        ];
        let runs = proptest::collection::vec((value, prop_oneof![Just(0u64), 1u64..3000]), 0..40);
        let start = proptest::collection::vec(-1e9f64..1e9, 0..3);
        proptest!(ProptestConfig::with_cases(2000), |(runs in runs, start in start)| {
            let mut one_by_one = ExactSum::from_partials(&start);
            let mut at_once = one_by_one.clone();
            runs.iter().for_each(|&(v, c)| one_by_one.add_product(v, c));
            at_once.add_products(&runs);
            let bits = |s: &ExactSum| s.canonical_partials().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&one_by_one), bits(&at_once));
            prop_assert_eq!(one_by_one.value().to_bits(), at_once.value().to_bits());
        });
        // Cancelling values leave the zero one by one leaves, a sum that does not round
        // as the values do is exact, and wide spans fall back.
        let cases = [
            vec![(1.5, 2), (-3.0, 1)],
            vec![(0.1, 3), (-0.2, 7), (1e6 + 0.3, 2048), (-0.0, 1)],
            vec![(1e300, 1), (1e-300, 1)],
            vec![(-0.0, 4)],
            vec![(-142_431.3, 0)],
            vec![],
        ];
        for runs in cases {
            let (mut a, mut b) = (ExactSum::default(), ExactSum::default());
            runs.iter().for_each(|&(v, c)| a.add_product(v, c));
            b.add_products(&runs);
            assert_eq!(
                a.canonical_partials().iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                b.canonical_partials().iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                "{runs:?}"
            );
        }
    }

    #[test]
    fn canonical_zero_sums_keep_their_sign_class() {
        let of = |values: &[f64]| {
            let mut s = ExactSum::default();
            values.iter().for_each(|&v| s.add(v));
            s.canonical_partials().iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        };
        assert_eq!(of(&[]), Vec::<u64>::new());
        assert_eq!(of(&[-0.0, -0.0]), vec![(-0.0f64).to_bits()]);
        assert_eq!(of(&[1.5, -1.5]), vec![0.0f64.to_bits()]);
        assert_eq!(of(&[-0.0, 0.0]), vec![0.0f64.to_bits()]);
    }

    #[test]
    fn a_product_adds_exactly_as_its_copies_do() {
        for (value, count) in [(0.1, 3u64), (1.0 / 3.0, 2047), (12_345.678_9, 10_000), (-2.5e-7, 999), (7.0, 1)] {
            let mut product = ExactSum::default();
            product.add_product(value, count);
            let mut copies = ExactSum::default();
            (0..count).for_each(|_| copies.add(value));
            assert_eq!(product.value().to_bits(), copies.value().to_bits(), "{value} x {count}");
        }
    }
}
