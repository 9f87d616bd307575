//! The log buckets a `Sketch` moves to past its exact limit (the DDSketch construction):
//! bucket i holds magnitudes in (gamma^(i-1), gamma^i], gamma = 1 + `RELATIVE_ACCURACY`,
//! and a rank inside a bucket is read by spreading the bucket's values evenly over its
//! range.

use super::RELATIVE_ACCURACY;

/// Log-bucket counts of a `Sketch` past its exact limit. Bucket i holds magnitudes in
/// (gamma^(i-1), gamma^i], gamma = 1 + `RELATIVE_ACCURACY`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Buckets {
    /// Count of -infinity.
    pub negative_infinite: u64,
    /// Negative values by bucket of their magnitude: (bucket, count), bucket strictly
    /// ascending.
    pub negative: Vec<(i32, u64)>,
    /// Count of zeros.
    pub zeros: u64,
    /// Positive values: (bucket, count), bucket strictly ascending.
    pub positive: Vec<(i32, u64)>,
    /// Count of +infinity.
    pub positive_infinite: u64,
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

/// `bucket_index(m)` for a magnitude m > 0, without the libm logarithm for nearly every
/// m: ln(m) from its binary exponent, a table of 256 logarithms and five terms of
/// ln(1 + r) with |r| < 2^-8, within 1e-12 of libm's, so the estimate of
/// ln(m) / ln(gamma) is within 1e-8 of `bucket_index`'s (test
/// `fast_bucket_index_is_bucket_index`). Its ceiling is then the same unless the
/// estimate lies within `MARGIN` of a whole number, where `bucket_index` itself decides;
/// subnormal, infinite and NaN magnitudes go there too.
fn fast_bucket_index(magnitude: f64) -> i32 {
    const MARGIN: f64 = 1e-6;
    let bits = magnitude.to_bits();
    let biased_exponent = ((bits >> 52) & 0x7ff) as i32;
    if biased_exponent == 0 || biased_exponent == 0x7ff || magnitude <= 0.0 {
        return bucket_index(magnitude);
    }
    let table = ln_table();
    let slot = ((bits >> 44) & 0xff) as usize;
    // The mantissa as a value in [1, 2), times the reciprocal of its slot's centre.
    let mantissa = f64::from_bits((bits & ((1 << 52) - 1)) | (1023 << 52));
    let r = mantissa * table.reciprocal[slot] - 1.0;
    let ln_1p = r - r * r * (0.5 - r * (1.0 / 3.0 - r * (0.25 - r * (0.2 - r / 6.0))));
    let ln = f64::from(biased_exponent - 1023) * std::f64::consts::LN_2 + table.minus_ln_reciprocal[slot] + ln_1p;
    let x = ln * table.per_ln_gamma;
    // floor(x) by truncation (x is far inside i64), then its distance below x.
    let truncated = x as i64 as f64;
    let floor = if truncated > x { truncated - 1.0 } else { truncated };
    let fraction = x - floor;
    if !(MARGIN..=1.0 - MARGIN).contains(&fraction) {
        return bucket_index(magnitude);
    }
    floor as i32 + 1
}

/// The tables `fast_bucket_index` reads: for each of 256 slots of the mantissa's top
/// bits, the reciprocal of the slot's centre and minus its logarithm (by libm, once).
struct LnTable {
    reciprocal: [f64; 256],
    minus_ln_reciprocal: [f64; 256],
    per_ln_gamma: f64,
}

fn ln_table() -> &'static LnTable {
    static TABLE: std::sync::OnceLock<LnTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table =
            LnTable { reciprocal: [0.0; 256], minus_ln_reciprocal: [0.0; 256], per_ln_gamma: 1.0 / gamma().ln() };
        for slot in 0..256 {
            let reciprocal = 1.0 / (1.0 + (slot as f64 + 0.5) / 256.0);
            table.reciprocal[slot] = reciprocal;
            table.minus_ln_reciprocal[slot] = -reciprocal.ln();
        }
        table
    })
}

/// Bucket indices as (index, count) pairs in ascending order of index: counted in an
/// array over their range when it is narrow (one cell's values in one batch mostly
/// are), else sorted.
fn counted(indices: &mut [i32]) -> Vec<(i32, u64)> {
    let (Some(&low), Some(&high)) = (indices.iter().min(), indices.iter().max()) else {
        return Vec::new();
    };
    let span = (i64::from(high) - i64::from(low)) as usize + 1;
    if span <= 4 * indices.len() + 64 {
        let mut counts = vec![0u64; span];
        for &i in indices.iter() {
            counts[(i - low) as usize] += 1;
        }
        return counts.iter().zip(low..).filter(|(&c, _)| c > 0).map(|(&c, i)| (i, c)).collect();
    }
    indices.sort_unstable();
    let mut runs: Vec<(i32, u64)> = Vec::new();
    for &i in indices.iter() {
        match runs.last_mut() {
            Some((last, c)) if *last == i => *c += 1,
            _ => runs.push((i, 1)),
        }
    }
    runs
}

/// The bounds (gamma^(i-1), gamma^i] of bucket i.
fn bucket_bounds(index: i32) -> (f64, f64) {
    let upper = gamma().powi(index);
    (upper / gamma(), upper)
}

/// Magnitudes strictly inside these bounds are in bucket i for certain: `bucket_index`
/// computes i for them whatever its rounding (its error is below 1e-9 buckets; the
/// margin is 2e-6 buckets), so a batch skips the logarithm for them.
fn certainly_in_bucket(index: i32) -> (f64, f64) {
    const MARGIN: f64 = 1e-9;
    // exp is far cheaper than powi's repeated squaring, and its error (below 1e-13
    // relative here) is far inside the margin.
    let upper = (f64::from(index) * gamma().ln()).exp();
    (upper / gamma() * (1.0 + MARGIN), upper * (1.0 - MARGIN))
}

/// The estimate for the value of rank `j` (0-based, ascending) among the `count` values
/// of bucket i: the bucket's range split evenly by rank. It lies inside the bucket, so it
/// is within RELATIVE_ACCURACY of the true value, and it keeps distinct ranks apart, so
/// percentiles keep their spread even when it is narrower than a bucket.
fn bucket_value(index: i32, j: u64, count: u64) -> f64 {
    let (lower, upper) = bucket_bounds(index);
    lower + (upper - lower) * (j as f64 + 0.5) / count.max(1) as f64
}

/// The first of the ranks j in 0..c of bucket i whose estimate (`bucket_value`) is at
/// least the magnitude `m`: estimates rise with j, so the ranks below it are below m.
fn first_at_least(i: i32, c: u64, m: f64) -> u64 {
    let (lo, hi) = bucket_bounds(i);
    let guess = ((m - lo) / (hi - lo) * c as f64 - 0.5).ceil().clamp(0.0, c as f64) as u64;
    let mut j = guess;
    while j > 0 && bucket_value(i, j - 1, c) >= m {
        j -= 1;
    }
    while j < c && bucket_value(i, j, c) < m {
        j += 1;
    }
    j
}

/// Adds `more` to `list`, both (bucket, count) sorted by bucket, in one pass and in
/// place: new buckets are counted, the list grows once, and the two are merged from the
/// back.
fn add_counts(list: &mut Vec<(i32, u64)>, more: &[(i32, u64)]) {
    let (mut i, mut new) = (0, 0);
    for &(index, _) in more {
        while i < list.len() && list[i].0 < index {
            i += 1;
        }
        if i == list.len() || list[i].0 != index {
            new += 1;
        }
    }
    let old_len = list.len();
    list.reserve_exact(new);
    list.resize(old_len + new, (0, 0));
    let (mut read, mut write, mut j) = (old_len, old_len + new, more.len());
    while j > 0 {
        let (index, count) = more[j - 1];
        write -= 1;
        if read > 0 && list[read - 1].0 > index {
            list[write] = list[read - 1];
            read -= 1;
        } else if read > 0 && list[read - 1].0 == index {
            list[write] = (index, list[read - 1].1 + count);
            read -= 1;
            j -= 1;
        } else {
            list[write] = (index, count);
            j -= 1;
        }
    }
}

impl Buckets {
    /// Adds sorted (value, count) runs: each value's bucket (the logarithm is skipped for
    /// values certainly in the bucket of the one before), then one in-place merge per sign.
    pub(super) fn add_sorted(&mut self, sorted: &[(f64, u64)]) {
        let mut negative: Vec<(i32, u64)> = Vec::new();
        let mut positive: Vec<(i32, u64)> = Vec::new();
        let mut current: Option<(bool, i32, f64, f64)> = None;
        for &(v, c) in sorted {
            if v == f64::INFINITY {
                self.positive_infinite += c;
                continue;
            } else if v == f64::NEG_INFINITY {
                self.negative_infinite += c;
                continue;
            } else if v == 0.0 {
                self.zeros += c;
                continue;
            } else if v.is_nan() {
                // `Sketch::add` drops NaN, so none is counted; a hand-made partial's is skipped.
                continue;
            }
            let (is_positive, magnitude) = (v > 0.0, v.abs());
            let index = match current {
                Some((sign, index, lo, hi)) if sign == is_positive && lo < magnitude && magnitude < hi => index,
                _ => {
                    let index = bucket_index(magnitude);
                    let (lo, hi) = certainly_in_bucket(index);
                    current = Some((is_positive, index, lo, hi));
                    index
                }
            };
            let runs = if is_positive { &mut positive } else { &mut negative };
            match runs.last_mut() {
                Some((last, count)) if *last == index => *count += c,
                _ => runs.push((index, c)),
            }
        }
        // Ascending values are descending magnitudes on the negative side.
        negative.reverse();
        add_counts(&mut self.negative, &negative);
        add_counts(&mut self.positive, &positive);
    }

    /// Adds `values` (in any order) and `zeros` more zeros: each value's bucket by
    /// `fast_bucket_index`, then one in-place merge per sign. The counts are those
    /// `add_sorted` of the same values sorted gives.
    pub(super) fn add_unsorted(&mut self, values: &[f64], zeros: u64) {
        self.zeros += zeros;
        let mut positive: Vec<i32> = Vec::with_capacity(values.len());
        let mut negative: Vec<i32> = Vec::new();
        for &v in values {
            if v == f64::INFINITY {
                self.positive_infinite += 1;
            } else if v == f64::NEG_INFINITY {
                self.negative_infinite += 1;
            } else if v == 0.0 {
                self.zeros += 1;
            } else if v > 0.0 {
                positive.push(fast_bucket_index(v));
            } else if v < 0.0 {
                negative.push(fast_bucket_index(-v));
            }
            // NaN: `Sketch::add` drops it, so none is counted.
        }
        add_counts(&mut self.negative, &counted(&mut negative));
        add_counts(&mut self.positive, &counted(&mut positive));
    }

    pub(super) fn merge(&mut self, other: &Buckets) {
        self.negative_infinite += other.negative_infinite;
        self.zeros += other.zeros;
        self.positive_infinite += other.positive_infinite;
        add_counts(&mut self.negative, &other.negative);
        add_counts(&mut self.positive, &other.positive);
    }

    /// Values at least `x`, each bucket's values read at their rank-spread estimates
    /// (`bucket_value`), as `value_at_rank` reads them.
    pub(super) fn count_at_least(&self, x: f64) -> u64 {
        if x.is_nan() {
            return 0;
        }
        let mut n = self.positive_infinite;
        if x == f64::INFINITY {
            return n;
        }
        if x == f64::NEG_INFINITY {
            n += self.negative_infinite;
        }
        if x > 0.0 {
            // Only positive values can count: the buckets from the first one whose upper
            // bound reaches x, less the ranks of that bucket below x.
            let k = self.positive.partition_point(|&(i, _)| bucket_bounds(i).1 < x);
            let rest: u64 = self.positive[k..].iter().map(|&(_, c)| c).sum();
            let below = self.positive.get(k).map_or(0, |&(i, c)| first_at_least(i, c, x));
            return n + rest - below;
        }
        for &(i, c) in &self.positive {
            let (lo, hi) = bucket_bounds(i);
            if x <= lo {
                n += c;
            } else if x <= hi {
                n += c - first_at_least(i, c, x);
            }
        }
        if x <= 0.0 {
            n += self.zeros;
            // A negative value -v is at least x when v <= -x.
            let m = -x;
            for &(i, c) in &self.negative {
                let (lo, hi) = bucket_bounds(i);
                if hi <= m {
                    n += c;
                } else if lo < m {
                    // Estimates <= m are the ranks below the first one above m.
                    let above = first_at_least(i, c, m);
                    let at = (above..c).take_while(|&j| bucket_value(i, j, c) <= m).count() as u64;
                    n += above + at;
                }
            }
        }
        n
    }

    /// Calls `f(value, count)` for each bucket's values at their rank-spread estimates,
    /// zeros included and infinities left out.
    pub(super) fn for_each_value(&self, f: &mut impl FnMut(f64, u64)) {
        for &(i, c) in &self.negative {
            for j in 0..c {
                f(-bucket_value(i, j, c), 1);
            }
        }
        f(0.0, self.zeros);
        for &(i, c) in &self.positive {
            for j in 0..c {
                f(bucket_value(i, j, c), 1);
            }
        }
    }

    /// The value of rank `rank` (0-based) in ascending order; only the bucket that holds
    /// the rank is evaluated.
    pub(super) fn value_at_rank(&self, rank: u64) -> f64 {
        let mut seen = self.negative_infinite;
        if rank < seen {
            return f64::NEG_INFINITY;
        }
        for &(i, c) in self.negative.iter().rev() {
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
        for &(i, c) in &self.positive {
            if rank < seen + c {
                return bucket_value(i, rank - seen, c);
            }
            seen += c;
        }
        if self.positive_infinite > 0 {
            return f64::INFINITY;
        }
        // Past the last value: the largest one (ranks are clamped by the caller).
        if let Some(&(i, c)) = self.positive.last() {
            bucket_value(i, c - 1, c)
        } else if self.zeros > 0 {
            0.0
        } else if let Some(&(i, c)) = self.negative.first() {
            -bucket_value(i, 0, c)
        } else {
            f64::NEG_INFINITY
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast index equals the libm formula: on magnitudes spread over the whole
    /// normal range and every slot of the table, on bucket bounds gamma^i and their
    /// neighbours a few ulps away (where a wrong shortcut would show), on subnormals.
    #[test]
    fn fast_bucket_index_is_bucket_index() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut checked = 0;
        let mut check = |m: f64| {
            if m > 0.0 && m.is_finite() {
                assert_eq!(fast_bucket_index(m), bucket_index(m), "m = {m:e}");
                checked += 1;
            }
        };
        for _ in 0..300_000 {
            // Any positive finite bit pattern, and magnitudes of the sizes runs produce.
            check(f64::from_bits(next() >> 1));
            check((next() % 1_000_000_000) as f64 * 0.37);
        }
        for i in (-3000..3000).chain((-1_400_000..1_400_000).step_by(997)) {
            let bound = gamma().powi(i);
            for ulps in -4i64..=4 {
                check(f64::from_bits((bound.to_bits() as i64 + ulps) as u64));
            }
            check((f64::from(i) * gamma().ln()).exp());
        }
        for bits in [1u64, 2, 1 << 20, (1 << 52) - 1] {
            check(f64::from_bits(bits));
        }
        assert!(checked > 600_000);
    }

    /// A batch bucketed unsorted gives the counts the sorted batch gives, both signs,
    /// zeros, infinities, NaN, a narrow range (counted in an array) and a wide one (sorted).
    #[test]
    fn unsorted_batches_bucket_as_sorted_ones() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let narrow: Vec<f64> = (0..3000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % 10_000) as f64 + 150_000.0
            })
            .collect();
        let mut wide = vec![f64::INFINITY, f64::NEG_INFINITY, -0.0, 0.0, f64::NAN, -3.5, -1e-300, 7e300, 1e-12];
        wide.extend(narrow.iter().map(|v| if v % 3.0 == 0.0 { -v * 1e-9 } else { v * 1e5 }));
        for values in [narrow, wide] {
            let mut unsorted = Buckets::default();
            unsorted.add_unsorted(&values, 5);
            let mut sorted_values: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
            sorted_values.sort_by(f64::total_cmp);
            let mut runs: Vec<(f64, u64)> = sorted_values.iter().map(|&v| (v, 1)).collect();
            runs.push((0.0, 5));
            runs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut sorted = Buckets::default();
            sorted.add_sorted(&runs);
            assert_eq!(unsorted, sorted);
        }
    }

    #[test]
    fn add_counts_merges_sorted_bucket_lists_in_place() {
        let mut list = vec![(-3, 1), (0, 2), (5, 1), (9, 4)];
        add_counts(&mut list, &[(-7, 1), (0, 3), (6, 2), (9, 1), (12, 5)]);
        assert_eq!(list, vec![(-7, 1), (-3, 1), (0, 5), (5, 1), (6, 2), (9, 5), (12, 5)]);
        let mut empty = Vec::new();
        add_counts(&mut empty, &[(1, 1), (2, 2)]);
        assert_eq!(empty, vec![(1, 1), (2, 2)]);
        add_counts(&mut empty, &[]);
        assert_eq!(empty, vec![(1, 1), (2, 2)]);
    }

    #[test]
    fn a_batch_buckets_every_value_as_bucket_index_does() {
        // Values packed around bucket boundaries, where skipping the logarithm could go
        // wrong, and spread over many magnitudes, both signs.
        let mut values = Vec::new();
        for i in [-40_000, -3, 0, 1, 2, 7_000, 25_000] {
            let (lower, upper) = bucket_bounds(i);
            for f in [1.0 - 1e-12, 1.0 - 1e-15, 1.0, 1.0 + 1e-15, 1.0 + 1e-12] {
                values.extend([lower * f, upper * f, -upper * f]);
            }
            for k in 0..50 {
                values.push(lower + (upper - lower) * k as f64 / 50.0);
            }
        }
        values.sort_by(f64::total_cmp);
        let sorted: Vec<(f64, u64)> = values.iter().map(|&v| (v, 1)).collect();
        let mut batch = Buckets::default();
        batch.add_sorted(&sorted);
        let mut one_by_one = Buckets::default();
        for &v in &values {
            one_by_one.add_sorted(&[(v, 1)]);
        }
        assert_eq!(batch, one_by_one);
        let total: u64 = batch.positive.iter().chain(&batch.negative).map(|&(_, c)| c).sum();
        assert_eq!(total, values.len() as u64);
        for &(v, _) in &sorted {
            let side = if v > 0.0 { &batch.positive } else { &batch.negative };
            assert!(side.iter().any(|&(i, _)| i == bucket_index(v.abs())), "{v:e}");
        }
    }
}
