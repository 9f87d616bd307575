//! Which uncertain input matters most (issue 13 part 2, D40): the Spearman rank
//! correlation of every drawn input with every numeric headline output of a run,
//! computed from the runs themselves at no extra simulation. `RankSample` keeps the
//! inputs and outputs of the first `SENSITIVITY_RUNS` runs by run index (so the sample
//! is the same whatever the threads or shards), merges by concatenation, and
//! `Sensitivity::of` ranks them exactly (midranks for ties) with a Fisher-z interval.

use super::run_row::{RunOutputs, RunsLayout};
use super::uncertainty::Z95;

/// Runs (by index, from 0) whose inputs and outputs the sensitivity ranks. Past it the
/// sample stops growing, so memory stays flat in runs; at 50,000 runs the 95% interval
/// of a correlation is at most about +/-0.009 wide on each side.
pub const SENSITIVITY_RUNS: u64 = 50_000;

/// The inputs and numeric outputs of the first `SENSITIVITY_RUNS` runs, one row per
/// run: `width` values per row (inputs in `drawn_inputs` order, then the outputs in
/// `RunsLayout::numeric_outputs` order), stored as f32 to halve the memory (ranks are
/// what is read; f32 keeps every chip count and month exactly).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RankSample {
    /// Values per row.
    pub width: usize,
    /// The run index of each row; sorted by `flush`.
    pub runs: Vec<u64>,
    /// Row-major values: `values[row * width + column]`.
    pub values: Vec<f32>,
}

impl RankSample {
    /// An empty sample for `layout`'s inputs and numeric outputs.
    pub fn for_layout(layout: &RunsLayout) -> RankSample {
        RankSample { width: layout.inputs.len() + layout.numeric_outputs().len(), ..RankSample::default() }
    }

    /// Adds run `run` (when it is among the first `SENSITIVITY_RUNS`): its drawn inputs
    /// and its outputs (`outputs` is called only for a run the sample takes).
    pub fn add(&mut self, layout: &RunsLayout, run: u64, inputs: &[f64], outputs: impl FnOnce() -> RunOutputs) {
        if run >= SENSITIVITY_RUNS || inputs.len() != layout.inputs.len() {
            return;
        }
        self.runs.push(run);
        self.values.extend(inputs.iter().map(|&x| x as f32));
        self.values.extend(outputs().numeric(layout).map(|x| x as f32));
    }

    /// Adds the rows of `other`.
    pub fn merge(&mut self, other: &RankSample) {
        self.runs.extend_from_slice(&other.runs);
        self.values.extend_from_slice(&other.values);
    }

    /// Puts the rows in run order, so equal samples are equal however they were merged.
    pub fn flush(&mut self) {
        if self.runs.windows(2).all(|w| w[0] < w[1]) {
            return;
        }
        let mut order: Vec<usize> = (0..self.runs.len()).collect();
        order.sort_by_key(|&i| self.runs[i]);
        let w = self.width;
        self.runs = order.iter().map(|&i| self.runs[i]).collect();
        self.values = order.iter().flat_map(|&i| self.values[i * w..(i + 1) * w].iter().copied()).collect();
    }

    /// Rows held.
    pub fn rows(&self) -> usize {
        self.runs.len()
    }

    /// Whether the sample is consistent: `width` values per row and distinct runs below
    /// `SENSITIVITY_RUNS` in increasing order (as `flush` leaves it).
    pub fn is_consistent(&self) -> bool {
        self.values.len() == self.runs.len() * self.width
            && self.runs.windows(2).all(|w| w[0] < w[1])
            && self.runs.iter().all(|&r| r < SENSITIVITY_RUNS)
    }

    /// Column `c` over every row.
    fn column(&self, c: usize) -> Vec<f32> {
        (0..self.rows()).map(|r| self.values[r * self.width + c]).collect()
    }
}

/// The indices of `values` in the order a stable `f32::total_cmp` sort puts them.
fn total_order(values: &[f32]) -> Vec<usize> {
    if u32::try_from(values.len()).is_err() {
        // Too many for an index beside the key (the sample holds at most 50,000 rows).
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        return order;
    }
    // Each value's `total_cmp` order as an integer (the transform `total_cmp` itself is
    // defined by, sign bit flipped so unsigned order is that order) above its index:
    // sorting these plain integers gives the order a stable `total_cmp` sort gives.
    let mut keyed: Vec<u64> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let bits = v.to_bits() as i32;
            let key = (bits ^ ((((bits >> 31) as u32) >> 1) as i32)) as u32 ^ (1 << 31);
            (u64::from(key) << 32) | i as u64
        })
        .collect();
    keyed.sort_unstable();
    keyed.iter().map(|&k| (k & u64::from(u32::MAX)) as usize).collect()
}

/// The midranks (1-based; tied values share the mean of their ranks) of `values`.
pub fn midranks(values: &[f32]) -> Vec<f64> {
    let order = total_order(values);
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Ranks start+1 ..= end share their mean.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// The Pearson correlation of two rank vectors: Spearman's rho with ties corrected.
/// `None` when either is constant (the correlation is undefined).
pub fn rank_correlation(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.len() != b.len() {
        return None;
    }
    rank_correlations(a, &Centered::columns(&[b.to_vec()]))[0]
}

/// Rank vectors of equal length, each less its mean, stored row by row, with each one's
/// sum of squares: what `rank_correlations` pairs one input's ranks with.
pub struct Centered {
    columns: usize,
    rows: Vec<f64>,
    squares: Vec<f64>,
}

impl Centered {
    /// `columns`, which must be of one length, centred.
    pub fn columns(columns: &[Vec<f64>]) -> Centered {
        let len = columns.first().map_or(0, Vec::len);
        let mut rows = vec![0.0; len * columns.len()];
        let mut squares = Vec::with_capacity(columns.len());
        for (c, column) in columns.iter().enumerate() {
            let mean = column.iter().sum::<f64>() / len as f64;
            let mut square = 0.0;
            for (r, y) in column.iter().enumerate() {
                let d = y - mean;
                rows[r * columns.len() + c] = d;
                square += d * d;
            }
            squares.push(square);
        }
        Centered { columns: columns.len(), rows, squares }
    }
}

/// `rank_correlation(a, column)` for every column of `columns`, in one pass over the
/// rows: each column's sum of products is its own sequence of additions, in row order,
/// so every figure is the one the pair alone gives, and the columns' additions overlap
/// (the pair alone waits on each addition before the next).
pub fn rank_correlations(a: &[f64], columns: &Centered) -> Vec<Option<f64>> {
    let n = a.len();
    if n < 2 || columns.rows.len() != n * columns.columns {
        return vec![None; columns.columns];
    }
    let mean_a = a.iter().sum::<f64>() / n as f64;
    let mut aa = 0.0;
    let mut ab = vec![0.0; columns.columns];
    for (x, row) in a.iter().zip(columns.rows.chunks_exact(columns.columns)) {
        let dx = x - mean_a;
        aa += dx * dx;
        for (sum, dy) in ab.iter_mut().zip(row) {
            *sum += dx * dy;
        }
    }
    ab.iter()
        .zip(&columns.squares)
        .map(|(&ab, &bb)| (aa > 0.0 && bb > 0.0).then(|| (ab / (aa * bb).sqrt()).clamp(-1.0, 1.0)))
        .collect()
}

/// The 95% interval of a Spearman correlation `rho` of `n` runs: Fisher's z with the
/// standard error sqrt(1.06 / (n - 3)) of Fieller, Hartley and Pearson (1957).
/// `None` below 4 runs.
pub fn fisher_interval(rho: f64, n: usize) -> Option<[f64; 2]> {
    if n < 4 {
        return None;
    }
    if rho.abs() >= 1.0 {
        // A perfect rank correlation in the sample: the transform has no spread left.
        return Some([rho, rho]);
    }
    let half = Z95 * (1.06 / (n as f64 - 3.0)).sqrt();
    let z = rho.clamp(-0.999_999_999, 0.999_999_999).atanh();
    Some([(z - half).tanh(), (z + half).tanh()])
}

/// One input's rank correlation with one output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Correlation {
    /// The input's position in `drawn_inputs`.
    pub input: usize,
    /// Spearman's rho; `None` when the input or the output did not vary in the sample.
    pub rho: Option<f64>,
    /// Its 95% interval, when defined.
    pub ci95: Option<[f64; 2]>,
}

/// Every input's rank correlation with every numeric output.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// Runs the correlations were computed from.
    pub runs: usize,
    /// The output names (`RunsLayout::numeric_outputs`).
    pub outputs: Vec<&'static str>,
    /// Per output (in `outputs` order), every input ranked by |rho|, largest first
    /// (undefined ones last, in input order; ties in input order).
    pub ranked: Vec<Vec<Correlation>>,
}

impl Sensitivity {
    /// The correlations of `sample`'s rows, for `layout`'s inputs and outputs.
    pub fn of(sample: &RankSample, layout: &RunsLayout) -> Sensitivity {
        let outputs = layout.numeric_outputs();
        let n_inputs = layout.inputs.len();
        let usable = sample.width == n_inputs + outputs.len();
        let ranks = |c: usize| midranks(&sample.column(c));
        let (input_ranks, output_ranks): (Vec<Vec<f64>>, Vec<Vec<f64>>) = if usable {
            ((0..n_inputs).map(ranks).collect(), (0..outputs.len()).map(|o| ranks(n_inputs + o)).collect())
        } else {
            (Vec::new(), Vec::new())
        };
        let centered = Centered::columns(&output_ranks);
        // rho[input][output]: each input's ranks against every output's in one pass.
        let rho: Vec<Vec<Option<f64>>> = input_ranks.iter().map(|a| rank_correlations(a, &centered)).collect();
        let ranked = (0..outputs.len())
            .map(|o| {
                let mut list: Vec<Correlation> = (0..n_inputs)
                    .map(|input| {
                        let rho = rho.get(input).and_then(|r| r[o]);
                        Correlation { input, rho, ci95: rho.and_then(|r| fisher_interval(r, sample.rows())) }
                    })
                    .collect();
                list.sort_by(|a, b| {
                    let key = |c: &Correlation| c.rho.map_or(-1.0, f64::abs);
                    key(b).total_cmp(&key(a)).then(a.input.cmp(&b.input))
                });
                list
            })
            .collect();
        Sensitivity { runs: if usable { sample.rows() } else { 0 }, outputs, ranked }
    }

    /// The ranked correlations with output `name`, if the scenario has it.
    pub fn for_output(&self, name: &str) -> Option<&[Correlation]> {
        let o = self.outputs.iter().position(|&n| n == name)?;
        Some(&self.ranked[o])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midranks_share_ties() {
        assert_eq!(midranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        assert_eq!(midranks(&[f32::INFINITY, 0.0, f32::INFINITY]), vec![2.5, 1.0, 2.5]);
        // Negative values, -0.0 tied with 0.0, and a sort over integer keys agree with
        // ranks counted by hand.
        assert_eq!(midranks(&[-1.5, 0.0, -0.0, -7.0, 2.0, f32::NEG_INFINITY]), vec![3.0, 4.5, 4.5, 2.0, 6.0, 1.0]);
    }

    #[test]
    fn rank_correlation_of_monotone_and_reversed_and_constant() {
        let a = midranks(&[1.0, 5.0, 2.0, 9.0]);
        let b = midranks(&[10.0, 50.0, 20.0, 90.0]);
        let c = midranks(&[4.0, 0.0, 3.0, -1.0]);
        assert_eq!(rank_correlation(&a, &b), Some(1.0));
        assert_eq!(rank_correlation(&a, &c), Some(-1.0));
        assert_eq!(rank_correlation(&a, &[2.0; 4]), None);
        // Hand-computed: ranks (1,2,3,4) vs (2,1,4,3): d^2 sum 4, rho = 1 - 6x4/(4x15) = 0.6.
        let p = rank_correlation(&[1.0, 2.0, 3.0, 4.0], &[2.0, 1.0, 4.0, 3.0]).unwrap_or(f64::NAN);
        assert!((p - 0.6).abs() < 1e-12, "{p}");
    }

    /// One pass against many columns gives, bit for bit, what each pair gives alone (the
    /// pair's own loop, written out here), constant columns included.
    #[test]
    fn rank_correlations_equal_each_pair_alone() {
        fn pair(a: &[f64], b: &[f64]) -> Option<f64> {
            let n = a.len() as f64;
            let (mean_a, mean_b) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
            let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
            for (x, y) in a.iter().zip(b) {
                let (dx, dy) = (x - mean_a, y - mean_b);
                ab += dx * dy;
                aa += dx * dx;
                bb += dy * dy;
            }
            (aa > 0.0 && bb > 0.0).then(|| (ab / (aa * bb).sqrt()).clamp(-1.0, 1.0))
        }
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut column = |spread: u64| -> Vec<f64> {
            let values: Vec<f32> = (0..997)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x % spread.max(1)) as f32
                })
                .collect();
            midranks(&values)
        };
        let inputs: Vec<Vec<f64>> = [1000, 7, 2, 1].into_iter().map(&mut column).collect();
        let outputs: Vec<Vec<f64>> = [50, 1, 100_000, 3, 9].into_iter().map(&mut column).collect();
        let centered = Centered::columns(&outputs);
        for a in &inputs {
            let together = rank_correlations(a, &centered);
            let alone: Vec<Option<f64>> = outputs.iter().map(|b| pair(a, b)).collect();
            let bits = |v: &[Option<f64>]| v.iter().map(|r| r.map(f64::to_bits)).collect::<Vec<_>>();
            assert_eq!(bits(&together), bits(&alone));
        }
        assert!(rank_correlations(&inputs[0], &centered)[1].is_none(), "a constant output has no rho");
    }

    #[test]
    fn fisher_interval_contains_rho_and_narrows_with_runs() {
        let wide = fisher_interval(0.5, 100).unwrap_or([0.0, 0.0]);
        let narrow = fisher_interval(0.5, 10_000).unwrap_or([0.0, 0.0]);
        assert!(wide[0] < 0.5 && 0.5 < wide[1]);
        assert!(narrow[1] - narrow[0] < (wide[1] - wide[0]) / 5.0);
        assert!(fisher_interval(0.5, 3).is_none());
        // At rho = 0 the half-width is 1.96 sqrt(1.06 / (n - 3)) after tanh (odd).
        let zero = fisher_interval(0.0, 1003).unwrap_or([0.0, 0.0]);
        let half = (Z95 * (1.06f64 / 1000.0).sqrt()).tanh();
        assert!((zero[1] - half).abs() < 1e-12 && (zero[0] + half).abs() < 1e-12);
    }

    #[test]
    fn flush_orders_rows_by_run() {
        let mut s = RankSample { width: 2, runs: vec![5, 1, 3], values: vec![5.0, 50.0, 1.0, 10.0, 3.0, 30.0] };
        assert!(!s.is_consistent());
        s.flush();
        assert_eq!(s.runs, vec![1, 3, 5]);
        assert_eq!(s.values, vec![1.0, 10.0, 3.0, 30.0, 5.0, 50.0]);
        assert!(s.is_consistent());
    }
}
