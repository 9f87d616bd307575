//! An example [`ChartData`] with realistic numbers, for inspecting the charts and for
//! tests.

use super::data::{Band, ChartData, RegionSeries, SensitivityBars};

fn logistic(t: f64, mid: f64, width: f64) -> f64 {
    1.0 / (1.0 + (-(t - mid) / width).exp())
}

fn smoothstep(t: f64, a: f64, b: f64) -> f64 {
    let u = ((t - a) / (b - a)).clamp(0.0, 1.0);
    u * u * (3.0 - 2.0 * u)
}

fn band_from(p50: &[f64], spread: impl Fn(usize) -> f64, cap: Option<f64>) -> Band {
    let f = |k: f64| -> Vec<f64> {
        p50.iter()
            .enumerate()
            .map(|(i, &v)| {
                let r = (v * (1.0 + k * spread(i))).max(0.0);
                match cap {
                    Some(c) => r.min(c),
                    None => r,
                }
            })
            .collect()
    };
    Band { p10: f(-1.0), p25: f(-0.5), p50: p50.to_vec(), p75: f(0.5), p90: f(1.0) }
}

/// Example fixture with realistic numbers, for inspecting the charts and for tests:
/// 73 months (2026-01..2031-12), a 260k-chip target, grid power growing from
/// 300 to 700 MW, and power as the binding constraint through 2028-2029.
pub fn sample_data() -> ChartData {
    let h = 72usize;
    let dates: Vec<String> = (0..=h).map(|i| format!("{}-{:02}", 2026 + i / 12, i % 12 + 1)).collect();
    let t: Vec<f64> = (0..=h).map(|i| i as f64).collect();
    let mw_per_chip = 0.0025; // 2.0 kW per chip all-in, x PUE 1.25
    let delivered: Vec<f64> = t.iter().map(|&m| 262_000.0 * logistic(m, 30.0, 7.0)).collect();
    let grid: Vec<f64> = t.iter().map(|&m| 300.0 + 400.0 * smoothstep(m, 30.0, 50.0)).collect();
    let built: Vec<f64> = t.iter().map(|&m| 120.0 + 560.0 * smoothstep(m, 6.0, 40.0)).collect();
    let operational: Vec<f64> = (0..=h).map(|i| delivered[i].min(grid[i].min(built[i]) / mw_per_chip)).collect();
    let facility: Vec<f64> = operational.iter().map(|c| c * mw_per_chip).collect();
    let waiting: Vec<f64> = (0..=h).map(|i| (delivered[i] - operational[i]).max(0.0)).collect();
    let by_power: Vec<f64> =
        (0..=h).map(|i| if grid[i] <= built[i] { waiting[i] * 0.92 } else { waiting[i] * 0.15 }).collect();
    let by_space: Vec<f64> = (0..=h).map(|i| (waiting[i] - by_power[i]).max(0.0)).collect();
    let spread = |i: usize| 0.06 + 0.16 * smoothstep(i as f64, 0.0, 40.0);
    let p_power: Vec<f64> =
        t.iter().map(|&m| 0.82 * smoothstep(m, 22.0, 30.0) * (1.0 - smoothstep(m, 44.0, 54.0))).collect();
    let p_space: Vec<f64> =
        t.iter().map(|&m| 0.30 * smoothstep(m, 10.0, 18.0) * (1.0 - smoothstep(m, 26.0, 34.0)) + 0.08).collect();
    let p_chips: Vec<f64> = (0..=h).map(|i| (1.0 - p_power[i] - p_space[i]).max(0.0)).collect();
    let home: Vec<f64> = t.iter().map(|&m| 0.32 * smoothstep(m, 20.0, 60.0)).collect();
    let taiwan: Vec<f64> = (0..=h).map(|i| 0.22 * (1.0 - home[i])).collect();
    let us: Vec<f64> = (0..=h).map(|i| 1.0 - home[i] - taiwan[i]).collect();
    let compute: Vec<f64> = (0..=h).map(|i| operational[i] * (1.0 + 0.8 * smoothstep(i as f64, 24.0, 60.0))).collect();
    ChartData {
        scenario_name: "Korea 260k sovereign compute".into(),
        scenario_file: "korea-260k.toml".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        runs: 10_000,
        seed: 42,
        dates: dates.clone(),
        operational: band_from(&operational, spread, None),
        compute_pflops: band_from(&compute, spread, None),
        delivered_p50: delivered.clone(),
        target: Some((260_000, 59)),
        grid_mw: band_from(&grid, |i| 0.03 + 0.10 * smoothstep(i as f64, 20.0, 50.0), None),
        facility_mw: band_from(&facility, spread, None),
        built_facility_mw: band_from(&built, |_| 0.08, None),
        binding_chips: p_chips,
        binding_power: p_power.clone(),
        binding_space: p_space.clone(),
        origins: vec![("United States".into(), us), ("Taiwan".into(), taiwan), ("Korea".into(), home.clone())],
        home_origin: Some("Korea".into()),
        domestic_share: band_from(&home, |_| 0.3, Some(1.0)),
        waiting: band_from(&waiting, |_| 0.45, None),
        stranded_by_power_mean: by_power,
        stranded_by_space_mean: by_space,
        stranded_capital_usd: Some(band_from(&waiting.iter().map(|w| w * 32_000.0).collect::<Vec<_>>(), |_| 0.5, None)),
        binding_money: None,
        // Facility MW x 8766 h per year, as TWh per year.
        energy_twh_per_year: band_from(&facility.iter().map(|f| f * 8766.0 / 1e6).collect::<Vec<_>>(), spread, None),
        capex_usd: Some(band_from(&delivered.iter().map(|c| c * 32_000.0).collect::<Vec<_>>(), |_| 0.05, None)),
        electricity_usd: Some(band_from(&cumulative_cost(&facility), spread, None)),
        exceedance_levels: (0..=54).map(|i| f64::from(i) * 5_000.0).collect(),
        exceedance: [11usize, 23, 35, 47, 59, 71, 72]
            .into_iter()
            .map(|m| {
                // At least x when the run's value (median p50, spread as the bands) is.
                let (mid, width) = (operational[m], (operational[m] * spread(m) * 0.6).max(1.0));
                let curve = (0..=54).map(|i| 1.0 - logistic(f64::from(i) * 5_000.0, mid, width)).collect();
                (dates[m].clone(), curve)
            })
            .collect(),
        target_met_share: Some(t.iter().map(|&m| logistic(m, 57.0, 3.0) * 0.8).collect()),
        sensitivity: SensitivityBars {
            at: dates[dates.len() - 1].clone(),
            runs: 10_000,
            bars: [
                ("Capital substation 2: delay (grid addition)", -0.46),
                ("transformer supply (shared factor)", -0.38),
                ("Naver lot 1: happens (delivery)", 0.31),
                ("Export pause: duration (shock)", -0.22),
                ("Ulsan AI campus: delay (site)", -0.15),
                ("Ulsan AI campus: PUE (site)", -0.04),
            ]
            .into_iter()
            .map(|(l, r)| (l.to_string(), r))
            .collect(),
        },
        regions: sample_regions(&t, &grid, &facility, &p_power, &p_space),
    }
}

/// Two regions for the per-region charts: a capital region holding 70% of the demand on
/// 45% of the grid (power binds there), and a southern one with grid to spare whose
/// halls fill (space binds).
fn sample_regions(t: &[f64], grid: &[f64], facility: &[f64], p_power: &[f64], p_space: &[f64]) -> Vec<RegionSeries> {
    let spread = |i: usize| 0.05 + 0.12 * smoothstep(i as f64, 0.0, 40.0);
    let region = |name: &str, grid_share: f64, draw_share: f64, power: Vec<f64>, space: Vec<f64>| {
        let g: Vec<f64> = grid.iter().map(|x| x * grid_share).collect();
        let f: Vec<f64> = facility.iter().zip(&g).map(|(x, gi)| (x * draw_share).min(*gi)).collect();
        let chips = power.iter().zip(&space).map(|(p, s)| (1.0 - p - s).max(0.0)).collect();
        RegionSeries {
            name: name.into(),
            grid_mw: band_from(&g, |_| 0.04, None),
            facility_mw: band_from(&f, spread, None),
            binding_power: power,
            binding_space: space,
            binding_chips: chips,
        }
    };
    let capital_power: Vec<f64> = p_power.iter().map(|p| (p * 1.15).min(0.95)).collect();
    let south_space: Vec<f64> = t.iter().map(|&m| 0.7 * smoothstep(m, 30.0, 40.0)).collect();
    vec![
        region("Capital region", 0.45, 0.7, capital_power, p_space.iter().map(|s| s * 0.3).collect()),
        region("South", 0.55, 0.3, vec![0.0; t.len()], south_space),
    ]
}

/// Electricity cost so far of a facility draw (MW per month) at 95 USD per MWh.
fn cumulative_cost(facility_mw: &[f64]) -> Vec<f64> {
    facility_mw
        .iter()
        .scan(0.0, |spent, mw| {
            *spent += mw * 730.5 * 95.0;
            Some(*spent)
        })
        .collect()
}
