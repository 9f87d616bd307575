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
