//! Mergeable summaries of many runs' values: an exact sum for the mean and a quantile
//! sketch for percentiles. Merging is exact set union, so the result does not depend on
//! the order in which runs, chunks, threads or shards are combined.
//!
//! The quantile sketch keeps every distinct value exactly while a cell has at most
//! `EXACT_LIMIT` of them (percentiles are then exact, numpy's linear interpolation). Past
//! that it switches, for good, to logarithmic buckets of relative width
//! `RELATIVE_ACCURACY` (the DDSketch construction), and a rank inside a bucket is placed
//! by spreading the bucket's values evenly over its range: every reported percentile is
//! then within 0.05% of the exact one, relative to its value, and percentiles that fall
//! in one bucket still differ as their ranks do.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Distinct values a sketch keeps exactly before it switches to buckets.
pub const EXACT_LIMIT: usize = 2048;
/// Relative value error of a bucketed percentile.
pub const RELATIVE_ACCURACY: f64 = 0.0005;
/// Values buffered per sketch before they are sorted into the exact list or buckets:
/// sorting a batch once is far cheaper than inserting values one by one, and the
/// bound keeps memory flat in the number of runs.
const PENDING_LIMIT: usize = 2048;

/// A float sum that is exact until the final rounding (Shewchuk's algorithm, as in
/// Python's `math.fsum`): the same multiset of values gives the same bits in any order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExactSum {
    partials: Vec<f64>,
}

impl ExactSum {
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

    /// Adds everything `other` holds.
    pub fn merge(&mut self, other: &ExactSum) {
        for &p in &other.partials {
            self.add(p);
        }
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

/// Log-bucket counts for values past the exact limit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Buckets {
    negative_infinite: u64,
    /// Negative values by bucket of their magnitude.
    negative: BTreeMap<i32, u64>,
    zeros: u64,
    positive: BTreeMap<i32, u64>,
    positive_infinite: u64,
}

/// Ratio of a bucket's upper to lower bound: a bucket is RELATIVE_ACCURACY wide relative
/// to its lower bound, so any point in it is within RELATIVE_ACCURACY of any value in it.
fn gamma() -> f64 {
    1.0 + RELATIVE_ACCURACY
}

/// Bucket i holds magnitudes in (gamma^(i-1), gamma^i].
fn bucket_index(magnitude: f64) -> i32 {
    (magnitude.ln() / gamma().ln()).ceil() as i32
}

/// The bounds (gamma^(i-1), gamma^i] of bucket i.
fn bucket_bounds(index: i32) -> (f64, f64) {
    let upper = gamma().powi(index);
    (upper / gamma(), upper)
}

/// The estimate for the value of rank `j` (0-based, ascending) among the `count` values
/// of bucket i: the bucket's range split evenly by rank. It lies inside the bucket, so it
/// is within RELATIVE_ACCURACY of the true value, and it keeps distinct ranks apart, so
/// percentiles keep their spread even when it is narrower than a bucket.
fn bucket_value(index: i32, j: u64, count: u64) -> f64 {
    let (lower, upper) = bucket_bounds(index);
    lower + (upper - lower) * (j as f64 + 0.5) / count.max(1) as f64
}

impl Buckets {
    fn add(&mut self, value: f64, count: u64) {
        if value == f64::INFINITY {
            self.positive_infinite += count;
        } else if value == f64::NEG_INFINITY {
            self.negative_infinite += count;
        } else if value == 0.0 {
            self.zeros += count;
        } else if value > 0.0 {
            *self.positive.entry(bucket_index(value)).or_insert(0) += count;
        } else {
            *self.negative.entry(bucket_index(-value)).or_insert(0) += count;
        }
    }

    /// Adds sorted (value, count) runs, touching each bucket once per batch.
    fn add_sorted(&mut self, sorted: &[(f64, u64)]) {
        let mut i = 0;
        while i < sorted.len() {
            let (v, mut c) = sorted[i];
            i += 1;
            if !v.is_finite() || v == 0.0 {
                self.add(v, c);
                continue;
            }
            let index = bucket_index(v.abs());
            while i < sorted.len() {
                let (w, d) = sorted[i];
                if !w.is_finite() || w == 0.0 || (w > 0.0) != (v > 0.0) || bucket_index(w.abs()) != index {
                    break;
                }
                c += d;
                i += 1;
            }
            let map = if v > 0.0 { &mut self.positive } else { &mut self.negative };
            *map.entry(index).or_insert(0) += c;
        }
    }

    fn merge(&mut self, other: &Buckets) {
        self.negative_infinite += other.negative_infinite;
        self.zeros += other.zeros;
        self.positive_infinite += other.positive_infinite;
        for (&i, &c) in &other.negative {
            *self.negative.entry(i).or_insert(0) += c;
        }
        for (&i, &c) in &other.positive {
            *self.positive.entry(i).or_insert(0) += c;
        }
    }

    /// The value of rank `rank` (0-based) in ascending order; only the bucket that holds
    /// the rank is evaluated.
    fn value_at_rank(&self, rank: u64) -> f64 {
        let mut seen = self.negative_infinite;
        if rank < seen {
            return f64::NEG_INFINITY;
        }
        for (&i, &c) in self.negative.iter().rev() {
            if rank < seen + c {
                // Ascending values are descending magnitudes.
                return -bucket_value(i, c - 1 - (rank - seen), c);
            }
            seen += c;
        }
        seen += self.zeros;
        if rank < seen {
            return 0.0;
        }
        for (&i, &c) in &self.positive {
            if rank < seen + c {
                return bucket_value(i, rank - seen, c);
            }
            seen += c;
        }
        if self.positive_infinite > 0 {
            return f64::INFINITY;
        }
        // Past the last value: the largest one (ranks are clamped by the caller).
        if let Some((&i, &c)) = self.positive.iter().next_back() {
            bucket_value(i, c - 1, c)
        } else if self.zeros > 0 {
            0.0
        } else if let Some((&i, &c)) = self.negative.iter().next() {
            -bucket_value(i, 0, c)
        } else {
            f64::NEG_INFINITY
        }
    }
}

/// Mean and percentiles of one quantity across runs, mergeable in any order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    count: u64,
    finite_count: u64,
    sum: ExactSum,
    /// Values not yet sorted in. Serialized too, so a partial result is complete
    /// whether or not it was flushed.
    #[serde(with = "json_floats")]
    pending: Vec<f64>,
    /// Sorted distinct values with their counts, while exact.
    #[serde(with = "json_float_counts")]
    exact: Vec<(f64, u64)>,
    buckets: Option<Buckets>,
}

impl Sketch {
    /// Adds one run's value. NaN is ignored.
    pub fn add(&mut self, value: f64) {
        if value.is_nan() {
            return;
        }
        self.count += 1;
        if value.is_finite() {
            self.finite_count += 1;
            self.sum.add(value);
        }
        match &mut self.buckets {
            Some(b) => b.add(value, 1),
            None => {
                self.pending.push(value);
                if self.pending.len() >= PENDING_LIMIT {
                    self.flush();
                }
            }
        }
    }

    /// Moves pending values into the sorted exact list (or the buckets).
    pub fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable_by(f64::total_cmp);
        let mut runs: Vec<(f64, u64)> = Vec::with_capacity(pending.len());
        for v in pending.drain(..) {
            match runs.last_mut() {
                Some((last, c)) if last.total_cmp(&v).is_eq() => *c += 1,
                _ => runs.push((v, 1)),
            }
        }
        self.pending = pending;
        self.absorb(&runs);
    }

    fn absorb(&mut self, sorted: &[(f64, u64)]) {
        if let Some(b) = &mut self.buckets {
            b.add_sorted(sorted);
            return;
        }
        let mut merged = Vec::with_capacity(self.exact.len() + sorted.len());
        let (mut i, mut j) = (0, 0);
        let a = &self.exact;
        while i < a.len() || j < sorted.len() {
            let take_a = j >= sorted.len() || (i < a.len() && a[i].0.total_cmp(&sorted[j].0).is_lt());
            let take_b = i >= a.len() || (j < sorted.len() && sorted[j].0.total_cmp(&a[i].0).is_lt());
            if take_a {
                merged.push(a[i]);
                i += 1;
            } else if take_b {
                merged.push(sorted[j]);
                j += 1;
            } else {
                merged.push((a[i].0, a[i].1 + sorted[j].1));
                i += 1;
                j += 1;
            }
        }
        if merged.len() > EXACT_LIMIT {
            let mut b = Buckets::default();
            b.add_sorted(&merged);
            self.buckets = Some(b);
            self.exact = Vec::new();
        } else {
            // The merge buffer was sized for both inputs; keep only what is used, so a
            // long Monte Carlo holds at most EXACT_LIMIT entries per cell.
            merged.shrink_to_fit();
            self.exact = merged;
        }
    }

    /// Adds everything `other` holds.
    pub fn merge(&mut self, other: &Sketch) {
        self.count += other.count;
        self.finite_count += other.finite_count;
        self.sum.merge(&other.sum);
        // Unsorted values travel as they are: the final state depends only on the
        // multiset of values, never on how batches were cut.
        self.pending.extend_from_slice(&other.pending);
        match (&mut self.buckets, &other.buckets) {
            (_, None) => {
                if !other.exact.is_empty() {
                    self.absorb(&other.exact);
                }
            }
            (Some(mine), Some(theirs)) => mine.merge(theirs),
            (None, Some(theirs)) => {
                let mut b = theirs.clone();
                b.add_sorted(&self.exact);
                self.buckets = Some(b);
                self.exact = Vec::new();
            }
        }
        if self.pending.len() >= PENDING_LIMIT {
            self.flush();
        }
    }

    /// Number of values added.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether percentiles are exact (no bucketing has happened).
    pub fn is_exact(&self) -> bool {
        self.buckets.is_none()
    }

    /// Count of values that are +infinity (e.g. "never reached").
    pub fn infinite_count(&self) -> u64 {
        self.count - self.finite_count
    }

    /// Mean of the finite values (0 when there are none).
    pub fn mean(&self) -> f64 {
        if self.finite_count == 0 {
            0.0
        } else {
            self.sum.value() / self.finite_count as f64
        }
    }

    /// The value of rank `r` (0-based) in ascending order.
    fn value_at_rank(&self, rank: u64) -> f64 {
        let mut seen = 0;
        let mut last = 0.0;
        let mut visit = |v: f64, c: u64| -> Option<f64> {
            seen += c;
            last = v;
            (rank < seen).then_some(v)
        };
        match &self.buckets {
            Some(b) => return b.value_at_rank(rank),
            None => {
                for &(v, c) in &self.exact {
                    if let Some(x) = visit(v, c) {
                        return x;
                    }
                }
            }
        }
        last
    }

    /// The q-th percentile (q in 0..=100) by linear interpolation between order
    /// statistics at index q/100 x (n-1), as numpy does. `None` when there are no values
    /// or an order statistic it needs is infinite.
    pub fn percentile(&self, q: f64) -> Option<f64> {
        if !self.pending.is_empty() {
            let mut sealed = self.clone();
            sealed.flush();
            return sealed.percentile(q);
        }
        if self.count == 0 {
            return None;
        }
        let h = q / 100.0 * (self.count - 1) as f64;
        let lo = h.floor();
        let t = h - lo;
        let a = self.value_at_rank(lo as u64);
        if t == 0.0 {
            return a.is_finite().then_some(a);
        }
        let b = self.value_at_rank((lo as u64 + 1).min(self.count - 1));
        if !a.is_finite() || !b.is_finite() {
            return None;
        }
        // numpy's _lerp, which keeps the result monotonic in t.
        let diff = b - a;
        Some(if t >= 0.5 { b - diff * (1.0 - t) } else { a + diff * t })
    }
}

/// JSON has no infinities: finite values are numbers, the others the strings "inf",
/// "-inf" and "nan". serde_json's `float_roundtrip` makes numbers read back bit for bit.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum JsonFloat {
    Number(f64),
    Text(String),
}

impl JsonFloat {
    fn of(v: f64) -> JsonFloat {
        if v.is_finite() {
            JsonFloat::Number(v)
        } else if v.is_nan() {
            JsonFloat::Text("nan".into())
        } else if v > 0.0 {
            JsonFloat::Text("inf".into())
        } else {
            JsonFloat::Text("-inf".into())
        }
    }

    fn value<E: serde::de::Error>(self) -> Result<f64, E> {
        match self {
            JsonFloat::Number(v) => Ok(v),
            JsonFloat::Text(t) => match t.as_str() {
                "inf" => Ok(f64::INFINITY),
                "-inf" => Ok(f64::NEG_INFINITY),
                "nan" => Ok(f64::NAN),
                other => Err(E::custom(format!("expected a number, \"inf\", \"-inf\" or \"nan\", found {other:?}"))),
            },
        }
    }
}

mod json_floats {
    use super::JsonFloat;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(values: &[f64], s: S) -> Result<S::Ok, S::Error> {
        values.iter().map(|&v| JsonFloat::of(v)).collect::<Vec<_>>().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Vec::<JsonFloat>::deserialize(d)?.into_iter().map(JsonFloat::value).collect()
    }
}

mod json_float_counts {
    use super::JsonFloat;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(values: &[(f64, u64)], s: S) -> Result<S::Ok, S::Error> {
        values.iter().map(|&(v, c)| (JsonFloat::of(v), c)).collect::<Vec<_>>().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(f64, u64)>, D::Error> {
        Vec::<(JsonFloat, u64)>::deserialize(d)?.into_iter().map(|(v, c)| Ok((v.value()?, c))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numpy_percentile(sorted: &[f64], q: f64) -> f64 {
        let h = q / 100.0 * (sorted.len() - 1) as f64;
        let lo = h.floor() as usize;
        let t = h - lo as f64;
        let hi = (lo + 1).min(sorted.len() - 1);
        let (a, b) = (sorted[lo], sorted[hi]);
        if t >= 0.5 {
            b - (b - a) * (1.0 - t)
        } else {
            a + (b - a) * t
        }
    }

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
    fn small_samples_are_exact_like_numpy() {
        let values = [5.0, 1.0, 4.0, 2.0, 2.0, 9.5, 0.0];
        let mut s = Sketch::default();
        values.iter().for_each(|&v| s.add(v));
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        for q in [0.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 100.0] {
            assert_eq!(s.percentile(q), Some(numpy_percentile(&sorted, q)), "q = {q}");
        }
        assert!(s.is_exact());
    }

    #[test]
    fn infinity_makes_touching_percentiles_none() {
        let mut s = Sketch::default();
        for v in [1.0, 2.0, f64::INFINITY, f64::INFINITY] {
            s.add(v);
        }
        assert_eq!(s.percentile(0.0), Some(1.0));
        assert_eq!(s.percentile(50.0), None);
        assert_eq!(s.infinite_count(), 2);
        assert_eq!(s.mean(), 1.5);
    }
}
