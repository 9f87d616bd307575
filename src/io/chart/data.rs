//! The per-month series the run charts show ([`ChartData`]), and moving them onto
//! a later calendar axis for `compare`.

/// Percentile bands of one series over months 0..=H (all vectors the same length as ChartData::dates).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Band {
    /// 10th percentile across runs.
    pub p10: Vec<f64>,
    /// 25th percentile across runs.
    pub p25: Vec<f64>,
    /// Median across runs.
    pub p50: Vec<f64>,
    /// 75th percentile across runs.
    pub p75: Vec<f64>,
    /// 90th percentile across runs.
    pub p90: Vec<f64>,
}

/// One region's series for the per-region charts (D54).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegionSeries {
    /// The region's name, the panel heading.
    pub name: String,
    /// Grid power online for the region's data centres, MW.
    pub grid_mw: Band,
    /// Facility power drawn by the region's sites, MW.
    pub facility_mw: Band,
    /// Share of runs (0..1) in which power binds in the region, per month.
    pub binding_power: Vec<f64>,
    /// Share of runs (0..1) in which space binds in the region, per month.
    pub binding_space: Vec<f64>,
    /// Share of runs (0..1) in which nothing waits in the region, per month.
    pub binding_chips: Vec<f64>,
}

/// Everything the six charts show, as plain per-month vectors (month 0..=H).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartData {
    /// Scenario name, shown in every subtitle.
    pub scenario_name: String,
    /// Scenario file name, e.g. "korea-260k.toml", for the source line.
    pub scenario_file: String,
    /// Tool version, e.g. "0.2.0", for the source line.
    pub version: String,
    /// Number of Monte Carlo runs.
    pub runs: u64,
    /// Random seed.
    pub seed: u64,
    /// "YYYY-MM" for month 0..=H.
    pub dates: Vec<String>,
    /// Chips operational.
    pub operational: Band,
    /// Compute operational, PFLOP/s.
    pub compute_pflops: Band,
    /// Chips delivered, median (drawn dashed).
    pub delivered_p50: Vec<f64>,
    /// Target marker: (operational chips, month index).
    pub target: Option<(u64, usize)>,
    /// Grid power online, MW.
    pub grid_mw: Band,
    /// Facility power drawn, MW.
    pub facility_mw: Band,
    /// Built IT MW x PUE, MW.
    pub built_facility_mw: Band,
    /// Share of runs (0..1) in which chips bind, per month.
    pub binding_chips: Vec<f64>,
    /// Share of runs (0..1) in which power binds, per month.
    pub binding_power: Vec<f64>,
    /// Share of runs (0..1) in which space binds, per month.
    pub binding_space: Vec<f64>,
    /// (origin label, median share of compute 0..1 per month), stacked in this order.
    pub origins: Vec<(String, Vec<f64>)>,
    /// Label of the home (domestic) origin, if any; it must match an `origins` label.
    pub home_origin: Option<String>,
    /// Domestic share of compute, 0..1.
    pub domestic_share: Band,
    /// Chips delivered but waiting (stranded).
    pub waiting: Band,
    /// Mean chips waiting for power.
    pub stranded_by_power_mean: Vec<f64>,
    /// Mean chips waiting for space.
    pub stranded_by_space_mean: Vec<f64>,
    /// USD value of waiting chips per month, when prices are set.
    pub stranded_capital_usd: Option<Band>,
    /// Share of runs (0..1) in which money binds, per month, when the scenario has
    /// budget lines.
    pub binding_money: Option<Vec<f64>>,
    /// Facility energy of the month ending at each sample, as TWh per year.
    pub energy_twh_per_year: Band,
    /// Price of the chips delivered so far, USD, when prices are set.
    pub capex_usd: Option<Band>,
    /// Electricity cost so far, USD, when a region prices electricity.
    pub electricity_usd: Option<Band>,
    /// Levels X of operational chips the exceedance curves are read at, ascending.
    pub exceedance_levels: Vec<f64>,
    /// Exceedance curves (D36): (date, share of runs with at least each level of
    /// `exceedance_levels` operational at that date), each December then the horizon.
    pub exceedance: Vec<(String, Vec<f64>)>,
    /// Share of runs with at least the target's chips operational, per month (D37),
    /// when a target is set.
    pub target_met_share: Option<Vec<f64>>,
    /// The inputs that matter most for chips operational at the horizon (D40).
    pub sensitivity: SensitivityBars,
    /// Per region, for a scenario with 2+ regions (empty otherwise).
    pub regions: Vec<RegionSeries>,
}

/// The `tornado` chart's bars: the inputs with the largest rank correlation with chips
/// operational at the horizon, largest first (empty: no input varied).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SensitivityBars {
    /// The horizon's date, "2031-12".
    pub at: String,
    /// Runs the correlations come from.
    pub runs: usize,
    /// (input as a reader names it, Spearman's rho), largest |rho| first.
    pub bars: Vec<(String, f64)>,
}

/// `v` moved `off` months later and padded with NaN to `total` months.
pub(super) fn shift(v: &[f64], off: usize, total: usize) -> Vec<f64> {
    (0..total).map(|g| g.checked_sub(off).and_then(|m| v.get(m)).copied().unwrap_or(f64::NAN)).collect()
}

impl Band {
    /// Every percentile moved `off` months later and padded with NaN to `total` months.
    pub fn shifted(&self, off: usize, total: usize) -> Band {
        let Band { p10, p25, p50, p75, p90 } = self;
        Band {
            p10: shift(p10, off, total),
            p25: shift(p25, off, total),
            p50: shift(p50, off, total),
            p75: shift(p75, off, total),
            p90: shift(p90, off, total),
        }
    }
}

impl ChartData {
    /// This data on a calendar axis that starts `off` months earlier and has `dates`
    /// (`total` months): every series moved `off` months later and padded with NaN.
    ///
    /// Every field is named here (no `..`), so a new series cannot be left unshifted.
    pub fn shifted(&self, off: usize, dates: &[String]) -> ChartData {
        let total = dates.len();
        let ChartData {
            scenario_name,
            scenario_file,
            version,
            runs,
            seed,
            dates: _,
            operational,
            compute_pflops,
            delivered_p50,
            target,
            grid_mw,
            facility_mw,
            built_facility_mw,
            binding_chips,
            binding_power,
            binding_space,
            origins,
            home_origin,
            domestic_share,
            waiting,
            stranded_by_power_mean,
            stranded_by_space_mean,
            stranded_capital_usd,
            binding_money,
            energy_twh_per_year,
            capex_usd,
            electricity_usd,
            exceedance_levels,
            exceedance,
            target_met_share,
            sensitivity,
            regions,
        } = self;
        ChartData {
            scenario_name: scenario_name.clone(),
            scenario_file: scenario_file.clone(),
            version: version.clone(),
            runs: *runs,
            seed: *seed,
            dates: dates.to_vec(),
            operational: operational.shifted(off, total),
            compute_pflops: compute_pflops.shifted(off, total),
            delivered_p50: shift(delivered_p50, off, total),
            target: target.map(|(chips, m)| (chips, m + off)),
            grid_mw: grid_mw.shifted(off, total),
            facility_mw: facility_mw.shifted(off, total),
            built_facility_mw: built_facility_mw.shifted(off, total),
            binding_chips: shift(binding_chips, off, total),
            binding_power: shift(binding_power, off, total),
            binding_space: shift(binding_space, off, total),
            origins: origins.iter().map(|(l, v)| (l.clone(), shift(v, off, total))).collect(),
            home_origin: home_origin.clone(),
            domestic_share: domestic_share.shifted(off, total),
            waiting: waiting.shifted(off, total),
            stranded_by_power_mean: shift(stranded_by_power_mean, off, total),
            stranded_by_space_mean: shift(stranded_by_space_mean, off, total),
            stranded_capital_usd: stranded_capital_usd.as_ref().map(|b| b.shifted(off, total)),
            binding_money: binding_money.as_ref().map(|v| shift(v, off, total)),
            energy_twh_per_year: energy_twh_per_year.shifted(off, total),
            capex_usd: capex_usd.as_ref().map(|b| b.shifted(off, total)),
            electricity_usd: electricity_usd.as_ref().map(|b| b.shifted(off, total)),
            // The curves are over chip counts, not months: nothing to move.
            exceedance_levels: exceedance_levels.clone(),
            exceedance: exceedance.clone(),
            target_met_share: target_met_share.as_ref().map(|v| shift(v, off, total)),
            // Correlations, not months.
            sensitivity: sensitivity.clone(),
            regions: regions
                .iter()
                .map(|r| RegionSeries {
                    name: r.name.clone(),
                    grid_mw: r.grid_mw.shifted(off, total),
                    facility_mw: r.facility_mw.shifted(off, total),
                    binding_power: shift(&r.binding_power, off, total),
                    binding_space: shift(&r.binding_space, off, total),
                    binding_chips: shift(&r.binding_chips, off, total),
                })
                .collect(),
        }
    }
}
