//! The percentile error bound of the quantile sketch, against exact percentiles of
//! 10,000 values: exact while a cell has at most 2,048 distinct values, else within the
//! sketch's relative accuracy of the exact (numpy-linear) percentile.

use buildout::core::sketch::{Sketch, EXACT_LIMIT, RELATIVE_ACCURACY};
use proptest::prelude::*;

fn numpy_percentile(sorted: &[f64], q: f64) -> f64 {
    let h = q / 100.0 * (sorted.len() - 1) as f64;
    let lo = h.floor() as usize;
    let t = h - lo as f64;
    let (a, b) = (sorted[lo], sorted[(lo + 1).min(sorted.len() - 1)]);
    if t >= 0.5 {
        b - (b - a) * (1.0 - t)
    } else {
        a + (b - a) * t
    }
}

fn check(values: &[f64], split: usize) {
    // Built in two pieces and merged, as chunks and shards are.
    let (left, right) = values.split_at(split.min(values.len()));
    let mut a = Sketch::default();
    left.iter().for_each(|&v| a.add(v));
    let mut b = Sketch::default();
    right.iter().for_each(|&v| b.add(v));
    a.merge(&b);
    a.flush();
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut distinct = sorted.clone();
    distinct.dedup();
    for q in [0.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 100.0] {
        let exact = numpy_percentile(&sorted, q);
        let got = a.percentile(q).unwrap_or(f64::NAN);
        if distinct.len() <= EXACT_LIMIT {
            assert_eq!(got, exact, "q {q}: exact mode must be exact");
        } else {
            // Each order statistic is within RELATIVE_ACCURACY of itself, so is their lerp.
            let h = q / 100.0 * (sorted.len() - 1) as f64;
            let lo = h.floor() as usize;
            let scale = sorted[lo].abs().max(sorted[(lo + 1).min(sorted.len() - 1)].abs());
            let bound = RELATIVE_ACCURACY * scale * (1.0 + 1e-9) + 1e-300;
            assert!((got - exact).abs() <= bound, "q {q}: {got} vs exact {exact} (bound {bound})");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn continuous_values_stay_within_the_relative_bound(
        seed in any::<u64>(), scale in 1e-3f64..1e6, negative_share in 0.0f64..0.5, split in 0usize..10_000
    ) {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let values: Vec<f64> = (0..10_000)
            .map(|_| {
                let v = rng.gen::<f64>().powi(3) * scale;
                if rng.gen::<f64>() < negative_share { -v } else if rng.gen::<f64>() < 0.05 { 0.0 } else { v }
            })
            .collect();
        check(&values, split);
    }

    #[test]
    fn few_distinct_values_are_exact(seed in any::<u64>(), distinct in 1u64..2048, split in 0usize..10_000) {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let values: Vec<f64> = (0..10_000).map(|_| (rng.gen_range(0..distinct) * 37) as f64 * 0.5).collect();
        check(&values, split);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// A spread narrower than one bucket (here 0.03% of the value) keeps its percentiles
    /// apart: ranks are spread over the bucket, not collapsed onto one representative.
    #[test]
    fn a_spread_narrower_than_a_bucket_keeps_its_percentiles_apart(seed in any::<u64>(), split in 0usize..10_000) {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let values: Vec<f64> = (0..10_000).map(|_| 1_000_000.0 + rng.gen_range(0..300) as f64 + rng.gen::<f64>()).collect();
        check(&values, split);
        let mut s = Sketch::default();
        values.iter().for_each(|&v| s.add(v));
        s.flush();
        let p: Vec<f64> = [5.0, 25.0, 50.0, 75.0, 95.0].iter().map(|&q| s.percentile(q).unwrap_or(f64::NAN)).collect();
        prop_assert!(p.windows(2).all(|w| w[0] < w[1]), "percentiles collapsed: {:?}", p);
    }
}
