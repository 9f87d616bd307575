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

use super::exact_sum::ExactSum;

mod buckets;
pub use buckets::Buckets;

/// Distinct values a sketch keeps exactly before it switches to buckets.
pub const EXACT_LIMIT: usize = 2048;
/// Relative value error of a bucketed percentile.
pub const RELATIVE_ACCURACY: f64 = 0.0005;
/// Values buffered per sketch before they are sorted into the exact list or buckets:
/// sorting a batch once is far cheaper than inserting values one by one, and the
/// bound keeps memory flat in the number of runs.
const PENDING_LIMIT: usize = 2048;

/// Sorts `values` in `f64::total_cmp` order, by sorting the integers that order maps
/// them to (the transform `total_cmp` itself is defined by, shifted to unsigned): the
/// same order, without a comparison closure per step. `many_distinct` says the values
/// are likely to be mostly distinct, which a radix sort sorts in about half the time of
/// a comparison sort; a batch of few distinct values the comparison sort takes faster.
fn sort_total(values: &mut [f64], many_distinct: bool) {
    let key = |v: f64| {
        let bits = v.to_bits();
        bits ^ ((((bits as i64) >> 63) as u64) | (1 << 63))
    };
    let unkey = |k: u64| f64::from_bits(k ^ ((k >> 63).wrapping_sub(1) | (1 << 63)));
    let mut keys: Vec<u64> = values.iter().map(|&v| key(v)).collect();
    if many_distinct && keys.len() >= RADIX_MIN_LEN {
        radix_sort(&mut keys);
    } else {
        keys.sort_unstable();
    }
    for (v, k) in values.iter_mut().zip(keys) {
        *v = unkey(k);
    }
}

/// Batches shorter than this are sorted by comparison: a radix sort's fixed cost of
/// clearing and summing its digit counts is not repaid.
const RADIX_MIN_LEN: usize = 256;

/// Sorts `keys` ascending: a least-significant-digit radix sort on bytes, all eight
/// digit counts taken in one pass, that skips the bytes every key shares (the low
/// mantissa bytes of whole-number values such as chip counts, the exponent bytes of
/// values of one magnitude).
fn radix_sort(keys: &mut Vec<u64>) {
    let n = keys.len();
    let Some(&first) = keys.first() else { return };
    let mut counts = [[0usize; 256]; 8];
    for &k in keys.iter() {
        for (byte, c) in counts.iter_mut().enumerate() {
            c[((k >> (8 * byte)) & 0xff) as usize] += 1;
        }
    }
    let mut scratch = vec![0u64; n];
    for (byte, c) in counts.iter_mut().enumerate() {
        let shift = 8 * byte;
        if c[((first >> shift) & 0xff) as usize] == n {
            continue;
        }
        let mut start = 0;
        for slot in c.iter_mut() {
            let here = *slot;
            *slot = start;
            start += here;
        }
        for &k in keys.iter() {
            let d = ((k >> shift) & 0xff) as usize;
            scratch[c[d]] = k;
            c[d] += 1;
        }
        std::mem::swap(keys, &mut scratch);
    }
}

/// Adds `row(r)[c]` to `cells[c]` for every row r in `0..rows` and cell c (a row
/// shorter than `cells` adds to its first cells only), cell by cell. A Monte Carlo's
/// cells each take one value per run; adding a block of runs one cell at a time keeps
/// a cell's batch in cache while it takes the block, where adding run by run touches
/// every one of thousands of batches once per run (about 4% of korea-260k's simulate
/// time, 64-run blocks against one run at a time).
pub fn add_columns<'v>(cells: &mut [Sketch], rows: usize, row: impl Fn(usize) -> &'v [f64]) {
    add_columns_where(cells, rows, row, |_| true);
}

/// `add_columns` for the cells c with `keep(c)` only; the others are left as they are.
pub fn add_columns_where<'v>(
    cells: &mut [Sketch],
    rows: usize,
    row: impl Fn(usize) -> &'v [f64],
    keep: impl Fn(usize) -> bool,
) {
    let rows: Vec<&[f64]> = (0..rows).map(row).collect();
    let mut column = Vec::with_capacity(rows.len());
    for (c, cell) in cells.iter_mut().enumerate().filter(|(c, _)| keep(*c)) {
        column.clear();
        column.extend(rows.iter().filter_map(|r| r.get(c).copied()));
        cell.add_all(&column);
    }
}

/// Mean and percentiles of one quantity across runs, mergeable in any order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sketch {
    count: u64,
    finite_count: u64,
    /// The sum of the finite values sorted in so far (pending values join it at flush).
    sum: ExactSum,
    /// Values not yet sorted in (`add` counts +0.0 in `pending_zeros` instead; parts read
    /// back keep theirs here).
    pending: Vec<f64>,
    /// +0.0 values not yet sorted in: counted, not buffered. Zero is by far the most
    /// common value (the chips, megawatts and dollars of things that have not happened
    /// yet; 38% of korea-260k's values), and a count needs no sorting.
    pending_zeros: u64,
    /// Sorted distinct values with their counts, while exact.
    exact: Vec<(f64, u64)>,
    buckets: Option<Buckets>,
}

/// The plain contents of a `Sketch`, for formats outside the core to write and read
/// (`Sketch::parts`, `Sketch::from_parts`): a complete state, flushed or not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SketchParts {
    /// Values added (NaN is never added).
    pub count: u64,
    /// Finite values added.
    pub finite_count: u64,
    /// The exact sum of the finite values sorted in so far, as canonical partials (see
    /// `ExactSum::canonical_partials`).
    pub sum: Vec<f64>,
    /// Values not yet sorted in, in any order.
    pub pending: Vec<f64>,
    /// Distinct values with their counts, strictly ascending (`f64::total_cmp`), while
    /// the sketch is exact.
    pub exact: Vec<(f64, u64)>,
    /// The log buckets, once the sketch has left exact mode (`exact` is then empty).
    pub buckets: Option<Buckets>,
}

/// Why plain parts do not make a sketch or an aggregate (a file edited by hand, or
/// written by something else).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartsError {
    /// More finite values than values.
    #[error("a sketch counts more finite values ({finite}) than values ({count})")]
    FiniteOverCount {
        /// The finite count given.
        finite: u64,
        /// The count given.
        count: u64,
    },
    /// The count disagrees with the values held.
    #[error("a sketch counts {count} values but holds {held}")]
    CountMismatch {
        /// The count given.
        count: u64,
        /// The values its lists hold.
        held: u128,
    },
    /// A sorted list is out of order, or both exact values and buckets are given.
    #[error("a sketch's sorted lists are out of order")]
    OutOfOrder,
    /// The aggregate's lists do not have the shape its header fields give.
    #[error("{0}")]
    Shape(String),
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
        }
        // Bucketed or not, values wait in a batch: a batch joins the sorted exact list in
        // one merge, or the bucket lists in one merge per sign, where values one by one
        // would search them for every value, and the batch's sum is one exact sum.
        if value == 0.0 && value.is_sign_positive() {
            self.pending_zeros += 1;
        } else {
            self.pending.push(value);
        }
        if self.pending_len() >= PENDING_LIMIT {
            self.flush();
        }
    }

    /// Adds `values` in order, as `add` does one by one, but counting each stretch
    /// that cannot fill the batch in one tight loop.
    pub fn add_all(&mut self, values: &[f64]) {
        let mut rest = values;
        while !rest.is_empty() {
            // A stretch of at most `room` values fills the batch at its last value at the
            // earliest, so the batch is flushed exactly where `add` would flush it.
            let room = PENDING_LIMIT.saturating_sub(self.pending_len()).max(1);
            let (now, later) = rest.split_at(room.min(rest.len()));
            self.pending.reserve(now.len());
            let (mut count, mut finite, mut zeros) = (0, 0, 0);
            for &v in now {
                if v.is_nan() {
                    continue;
                }
                count += 1;
                finite += u64::from(v.is_finite());
                // +0.0 is the value whose bits are all zero.
                if v.to_bits() == 0 {
                    zeros += 1;
                } else {
                    self.pending.push(v);
                }
            }
            self.count += count;
            self.finite_count += finite;
            self.pending_zeros += zeros;
            // `add` flushes after a value it counts (never after a NaN), also when the
            // batch was already full (parts read back may hold more than a batch).
            if count > 0 && self.pending_len() >= PENDING_LIMIT {
                self.flush();
            }
            rest = later;
        }
    }

    /// Values waiting to be sorted in.
    fn pending_len(&self) -> usize {
        self.pending.len().saturating_add(usize::try_from(self.pending_zeros).unwrap_or(usize::MAX))
    }

    /// Moves pending values into the sorted exact list (or the buckets).
    pub fn flush(&mut self) {
        if self.pending_len() == 0 {
            return;
        }
        let mut pending = std::mem::take(&mut self.pending);
        let zeros = std::mem::take(&mut self.pending_zeros);
        if let Some(buckets) = &mut self.buckets {
            // Bucketed, a batch needs no sorting: each value's bucket index is found
            // directly, and the exact sum takes the values in any order.
            self.sum.add_pairs(pending.iter().map(|&v| (v, 1)).chain((zeros > 0).then_some((0.0, zeros))));
            buckets.add_unsorted(&pending, zeros);
            pending.clear();
            self.pending = pending;
            return;
        }
        // A cell already past a few hundred distinct values is likely to bring mostly new
        // ones; a cell's first batch, or one of few distinct values, sorts by comparison.
        let many_distinct = self.exact.len() >= RADIX_MIN_LEN;
        sort_total(&mut pending, many_distinct);
        // The counted +0.0s go after the negative values and -0.0, as `total_cmp` orders.
        let split = pending.partition_point(|v| v.total_cmp(&0.0).is_lt());
        let mut runs: Vec<(f64, u64)> = Vec::with_capacity(pending.len() + 1);
        let mut push = |v: f64, n: u64| match runs.last_mut() {
            Some((last, c)) if last.to_bits() == v.to_bits() => *c += n,
            _ => runs.push((v, n)),
        };
        pending[..split].iter().for_each(|&v| push(v, 1));
        if zeros > 0 {
            push(0.0, zeros);
        }
        pending[split..].iter().for_each(|&v| push(v, 1));
        pending.clear();
        self.pending = pending;
        self.sum.add_products(&runs);
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
        self.pending_zeros += other.pending_zeros;
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
        if self.pending_len() >= PENDING_LIMIT {
            self.flush();
        }
    }

    /// Number of values added.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether the sorted lists are strictly ascending, as every method here assumes. A
    /// sketch built by `add` and `merge` always is; one read from a file may not be.
    pub fn is_well_formed(&self) -> bool {
        let exact_sorted = self.exact.windows(2).all(|w| w[0].0.total_cmp(&w[1].0).is_lt());
        let buckets_sorted = self.buckets.as_ref().is_none_or(|b| {
            let ascending = |list: &[(i32, u64)]| list.windows(2).all(|w| w[0].0 < w[1].0);
            ascending(&b.negative) && ascending(&b.positive)
        });
        exact_sorted && buckets_sorted && (self.buckets.is_none() || self.exact.is_empty())
    }

    /// The sketch's contents as plain parts, its sum in canonical form: equal sketches
    /// give equal parts whatever order their values were added and merged in.
    pub fn parts(&self) -> SketchParts {
        SketchParts {
            count: self.count,
            finite_count: self.finite_count,
            sum: self.sum.canonical_partials(),
            pending: self.pending.iter().copied().chain((0..self.pending_zeros).map(|_| 0.0)).collect(),
            exact: self.exact.clone(),
            buckets: self.buckets.clone(),
        }
    }

    /// The sketch `parts` describe, when they are consistent: the finite count within
    /// the count, the count equal to the values held, and the lists in order (see
    /// `is_well_formed`).
    pub fn from_parts(parts: SketchParts) -> Result<Sketch, PartsError> {
        let SketchParts { count, finite_count, sum, pending, exact, buckets } = parts;
        if finite_count > count {
            return Err(PartsError::FiniteOverCount { finite: finite_count, count });
        }
        let total = |list: &[(i32, u64)]| list.iter().map(|&(_, c)| u128::from(c)).sum::<u128>();
        let held = pending.len() as u128
            + exact.iter().map(|&(_, c)| u128::from(c)).sum::<u128>()
            + buckets.as_ref().map_or(0, |b| {
                u128::from(b.negative_infinite)
                    + total(&b.negative)
                    + u128::from(b.zeros)
                    + total(&b.positive)
                    + u128::from(b.positive_infinite)
            });
        if held != u128::from(count) {
            return Err(PartsError::CountMismatch { count, held });
        }
        let sketch = Sketch {
            count,
            finite_count,
            sum: ExactSum::from_partials(&sum),
            pending,
            pending_zeros: 0,
            exact,
            buckets,
        };
        if sketch.is_well_formed() {
            Ok(sketch)
        } else {
            Err(PartsError::OutOfOrder)
        }
    }

    /// Whether percentiles are exact (no bucketing has happened).
    pub fn is_exact(&self) -> bool {
        self.buckets.is_none()
    }

    /// Count of finite values.
    pub fn finite_count(&self) -> u64 {
        self.finite_count
    }

    /// Count of values that are +infinity (e.g. "never reached").
    pub fn infinite_count(&self) -> u64 {
        self.count - self.finite_count
    }

    /// Mean of the finite values (0 when there are none).
    pub fn mean(&self) -> f64 {
        if self.pending_len() > 0 {
            let mut sealed = self.clone();
            sealed.flush();
            return sealed.mean();
        }
        if self.finite_count == 0 {
            0.0
        } else {
            self.sum.value() / self.finite_count as f64
        }
    }

    /// The value of rank `rank` (0-based, ascending; clamped to the last value): exact
    /// while the sketch is exact, else within `RELATIVE_ACCURACY` of it. NaN when empty.
    pub fn value_at(&self, rank: u64) -> f64 {
        if self.pending_len() > 0 {
            let mut sealed = self.clone();
            sealed.flush();
            return sealed.value_at(rank);
        }
        if self.count == 0 {
            return f64::NAN;
        }
        self.value_at_rank(rank.min(self.count - 1))
    }

    /// How many values are at least `x`: exact while the sketch is exact; past that, the
    /// bucket holding `x` is read as `percentile` reads it (its values spread evenly over
    /// its range), so the count is that of values at least x(1 -/+ RELATIVE_ACCURACY) at
    /// worst, and a percentile and this count agree with each other.
    pub fn count_at_least(&self, x: f64) -> u64 {
        if self.pending_len() > 0 {
            let mut sealed = self.clone();
            sealed.flush();
            return sealed.count_at_least(x);
        }
        match &self.buckets {
            None => {
                let below = self.exact.partition_point(|&(v, _)| v < x);
                self.exact[below..].iter().map(|&(_, c)| c).sum()
            }
            Some(b) => b.count_at_least(x),
        }
    }

    /// The sample variance of the finite values (n - 1 in the denominator), around the
    /// exact mean: exact up to rounding while the sketch is exact, else with each value
    /// read as its bucket's rank-spread estimate (each within `RELATIVE_ACCURACY`).
    /// `None` with fewer than two finite values.
    pub fn variance(&self) -> Option<f64> {
        if self.pending_len() > 0 {
            let mut sealed = self.clone();
            sealed.flush();
            return sealed.variance();
        }
        if self.finite_count < 2 {
            return None;
        }
        let mean = self.mean();
        let mut squares = ExactSum::default();
        let mut add = |v: f64, c: u64| {
            if v.is_finite() {
                let d = v - mean;
                squares.add_product(d * d, c);
            }
        };
        match &self.buckets {
            None => self.exact.iter().for_each(|&(v, c)| add(v, c)),
            Some(b) => b.for_each_value(&mut add),
        }
        Some((squares.value() / (self.finite_count - 1) as f64).max(0.0))
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
        if self.pending_len() > 0 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_total_orders_as_total_cmp() {
        let mut values = vec![3.5, -0.0, 0.0, f64::INFINITY, -2.0, f64::NEG_INFINITY, 5e-324, -5e-324, 1.0, -0.0];
        // A deterministic spread of magnitudes and signs.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..500 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(f64::from_bits(x) % 1e6);
        }
        values.retain(|v| !v.is_nan());
        let mut expected = values.clone();
        expected.sort_by(f64::total_cmp);
        let mut by_radix = values.clone();
        sort_total(&mut values, false);
        sort_total(&mut by_radix, true);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&values), bits(&expected));
        assert_eq!(bits(&by_radix), bits(&expected));
    }

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

    /// +0.0 is counted rather than buffered: it still sorts in after -0.0 and the
    /// negatives, whatever the order of adds and merges, and an unflushed sketch's
    /// parts still hold every value.
    #[test]
    fn counted_zeros_sort_in_where_total_cmp_puts_them() {
        let values = [-2.0, -0.0, 0.0, 0.0, 3.0, -0.0, 0.0, 5.0];
        let mut forward = Sketch::default();
        values.iter().for_each(|&v| forward.add(v));
        let unflushed = forward.parts();
        assert_eq!(unflushed.pending.len(), values.len());
        assert_eq!(Sketch::from_parts(unflushed).map(|s| s.count()), Ok(8));
        let mut halves = Sketch::default();
        values[4..].iter().rev().for_each(|&v| halves.add(v));
        let mut first = Sketch::default();
        values[..4].iter().for_each(|&v| first.add(v));
        halves.merge(&first);
        for sketch in [&mut forward, &mut halves] {
            sketch.flush();
            let exact: Vec<(u64, u64)> = sketch.parts().exact.iter().map(|&(v, c)| (v.to_bits(), c)).collect();
            let want = [(-2.0f64, 1), (-0.0, 2), (0.0, 3), (3.0, 1), (5.0, 1)];
            assert_eq!(exact, want.iter().map(|&(v, c)| (v.to_bits(), c)).collect::<Vec<_>>());
            assert_eq!(sketch.mean(), 6.0 / 8.0);
            assert_eq!(sketch.percentile(50.0), Some(0.0));
        }
    }

    /// A block of rows added column by column leaves every cell as adding the rows one
    /// by one does; a short row adds to its first cells only.
    #[test]
    fn add_columns_equals_adding_row_by_row() {
        let rows: Vec<Vec<f64>> =
            (0..300).map(|r| (0..5).map(|c| f64::from((r * 7 + c * 3) % 11) - 2.0).collect()).collect();
        let mut short = rows.clone();
        short[17].truncate(2);
        let mut by_row = vec![Sketch::default(); 5];
        for row in &short {
            for (cell, &v) in by_row.iter_mut().zip(row) {
                cell.add(v);
            }
        }
        let mut by_column = vec![Sketch::default(); 5];
        add_columns(&mut by_column, short.len(), |r| &short[r]);
        for (a, b) in by_row.iter_mut().zip(&mut by_column) {
            a.flush();
            b.flush();
            assert_eq!(a.parts(), b.parts());
        }
        assert_eq!(by_column[1].count(), 300);
        assert_eq!(by_column[4].count(), 299);
    }

    /// `add_all` leaves the state `add` one by one does, unflushed batch included (so it
    /// flushes at the same values): across several batches, with NaN, both zeros and
    /// infinities, past the exact limit, and from a batch already over the limit.
    #[test]
    fn add_all_equals_adding_one_by_one() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut values: Vec<f64> = (0..9000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                match i % 97 {
                    0 => f64::NAN,
                    1 => -0.0,
                    2..=4 => 0.0,
                    5 => f64::INFINITY,
                    _ => (x % 5000) as f64 * 0.25 - 300.0,
                }
            })
            .collect();
        values.extend(std::iter::repeat_n(0.0, 3000));
        let over_limit = SketchParts {
            count: PENDING_LIMIT as u64 + 5,
            finite_count: PENDING_LIMIT as u64 + 5,
            pending: (0..PENDING_LIMIT + 5).map(|i| i as f64).collect(),
            ..SketchParts::default()
        };
        for start in [Sketch::default(), Sketch::from_parts(over_limit).unwrap_or_default()] {
            let mut one_by_one = start.clone();
            values.iter().for_each(|&v| one_by_one.add(v));
            let mut at_once = start.clone();
            for chunk in values.chunks(777) {
                at_once.add_all(chunk);
            }
            assert_eq!(at_once.parts(), one_by_one.parts());
            assert!(!at_once.is_exact());
        }
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
    fn count_at_least_agrees_with_the_values_percentiles_read() {
        // Bucketed, both signs, zeros, ties and infinities: the count of values at least
        // x is the count of ranks whose value (as `value_at` reads it) is at least x.
        let mut s = Sketch::default();
        for i in 0..6000 {
            s.add(f64::from(i % 3000) * 0.731 - 400.0);
        }
        for v in [0.0, 0.0, f64::INFINITY, f64::NEG_INFINITY, 5.0, 5.0, 5.0] {
            s.add(v);
        }
        s.flush();
        assert!(!s.is_exact());
        for x in [f64::NEG_INFINITY, -400.0, -123.4, -0.5, 0.0, 1e-9, 5.0, 77.7, 1792.0, 1e9, f64::INFINITY] {
            let by_rank = (0..s.count()).filter(|&r| s.value_at(r) >= x).count() as u64;
            assert_eq!(s.count_at_least(x), by_rank, "x = {x}");
        }
        let mut exact = Sketch::default();
        [3.0, 1.0, 2.0, 2.0].iter().for_each(|&v| exact.add(v));
        assert_eq!([0.0, 2.0, 2.5, 3.0, 4.0].map(|x| exact.count_at_least(x)), [4, 3, 1, 1, 0]);
    }

    #[test]
    fn the_variance_is_the_sample_variance() {
        let mut s = Sketch::default();
        [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0].iter().for_each(|&v| s.add(v));
        // Mean 5, squared deviations sum to 32, over n - 1 = 7.
        assert!((s.variance().unwrap() - 32.0 / 7.0).abs() < 1e-12);
        let mut one = Sketch::default();
        one.add(1.0);
        assert_eq!(one.variance(), None);
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
