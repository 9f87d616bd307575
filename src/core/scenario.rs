//! The validated scenario: what one run reads. Built only by `validate`, so the engine
//! never re-checks ranges, references or dates.

use super::date::YearMonth;
use super::dist::Dist;
use super::units::{Kw, Mw};

/// How waiting chips may be placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocationMode {
    /// Only the owner's sites (or the named site).
    Owner,
    /// The owner's sites first, then every other site in file order.
    National,
}

/// What a shock does to deliveries it hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShockEffect {
    /// The delivery arrives at the shock's end instead.
    Postpone,
    /// The delivery never arrives.
    Cancel,
}

/// `[target]`: chips operational by a month.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Operational chips the target asks for.
    pub operational: u64,
    /// The month index by which they must be operational.
    pub by_month: u32,
}

/// One accelerator type.
#[derive(Debug, Clone, PartialEq)]
pub struct Chip {
    /// The chip type's id, the key of its `[chips.ID]` table.
    pub id: String,
    /// The vendor, when the scenario names one.
    pub vendor: Option<String>,
    /// Index into `Scenario::origins`.
    pub origin: usize,
    /// Power one chip draws, in kW (IT power, before PUE).
    pub power_kw: f64,
    /// Compute of one chip, in PFLOPS.
    pub pflops: f64,
    /// Share of chips that fail per year (0 to 1).
    pub failure_rate_per_year: f64,
    /// 1 - (1 - failure_rate)^(1/12): chance a chip fails at one month tick.
    pub monthly_failure_probability: f64,
    /// Service life in months, after which an operational chip retires; `None` means it never retires.
    pub life_months: Option<f64>,
    /// Price of one chip in USD, when the scenario gives one.
    pub price_usd: Option<f64>,
    /// Failures within this many months of commissioning are repaired (0: none are).
    pub warranty_months: f64,
    /// Months a repaired chip is out of service.
    pub repair_months: f64,
    /// Chips are placed in whole multiples of this many (the last part of a lot excepted).
    pub block: u64,
    /// Average share of `power_kw` an operational chip draws, for energy.
    pub average_load: f64,
}

impl Chip {
    /// The power one chip draws (IT, before PUE): `power_kw`, typed.
    pub fn power(&self) -> Kw {
        Kw(self.power_kw)
    }
}

/// A grid region.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// The region's name.
    pub name: String,
    /// Grid power available to facilities at the start, in MW.
    pub grid_mw: f64,
    /// Price of electricity in USD per MWh, when the scenario gives one.
    pub electricity_usd_per_mwh: Option<f64>,
    /// Deliveries with a candidate site in this region, in file order: the ones worth
    /// another allocation attempt when the region gains room.
    pub placeable_deliveries: Vec<usize>,
}

impl Region {
    /// The grid power the region has at the start: `grid_mw`, typed.
    pub fn grid(&self) -> Mw {
        Mw(self.grid_mw)
    }
}

/// Fields every uncertain item shares: its random-stream key, planned time,
/// delay and chance of happening.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// Key of the item's random stream (its name, or `#N` when unnamed).
    pub stream_key: String,
    /// Planned time in months since start; negative means before start.
    pub planned_month: f64,
    /// Delay added to the planned time, in months.
    pub delay_months: Dist,
    /// Chance that the item happens at all (0 to 1).
    pub probability: f64,
    /// Loadings of the delay on shared factors: (index into `Scenario::factors`,
    /// loading), in file order. Empty: the delay is drawn as in v1.
    pub factor_loadings: Vec<(usize, f64)>,
}

impl Timing {
    /// sqrt(max(0, 1 - sum of squared loadings)): the weight of the item's own normal.
    pub fn own_weight(&self) -> f64 {
        (1.0 - self.factor_loadings.iter().map(|(_, l)| l * l).sum::<f64>()).max(0.0).sqrt()
    }

    /// The item's delay in one run (MODEL.md 9.1): as in v1 without loadings; with them,
    /// by inversion at x = sum(loading x Z_f) + sqrt(1 - sum(loading^2)) e, where e is
    /// drawn from the item's stream at the delay's place and `factor_z` holds the run's
    /// factor normals.
    pub fn draw_delay<R: rand::Rng + ?Sized>(&self, rng: &mut R, factor_z: &[f64]) -> f64 {
        if self.factor_loadings.is_empty() {
            return self.delay_months.sample(rng);
        }
        let own: f64 = rng.sample(rand_distr::StandardNormal);
        let shared: f64 = self.factor_loadings.iter().map(|&(f, loading)| loading * factor_z[f]).sum();
        self.delay_months.at_standard_normal(shared + self.own_weight() * own)
    }
}

/// A `[[power]]` grid addition.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerAddition {
    /// The addition's name, when it has one.
    pub name: Option<String>,
    /// Index into `Scenario::regions` of the region it feeds (for a site connection,
    /// the site's region, whose figures include it).
    pub region: usize,
    /// Index into `Scenario::sites` of the one site a dedicated connection feeds;
    /// `None` for an addition to the region's shared pool.
    pub site: Option<usize>,
    /// Grid power it adds, in MW.
    pub mw: f64,
    /// When it comes online and how likely it is to.
    pub timing: Timing,
}

impl PowerAddition {
    /// The grid power this addition brings online: `mw`, typed.
    pub fn power(&self) -> Mw {
        Mw(self.mw)
    }
}

/// A `[[sites]]` data centre.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// The site's name.
    pub name: String,
    /// Index into `Scenario::owners`.
    pub owner: usize,
    /// Index into `Scenario::regions` of the region whose grid powers it.
    pub region: usize,
    /// IT capacity, in MW.
    pub it_mw: f64,
    /// Power usage effectiveness: facility power per unit of IT power (a fixed value
    /// draws nothing; a distribution is drawn once per run, clamped to at least 1).
    pub pue: Dist,
    /// Whether the site has dedicated connections (`[[power]] site = ...`): it then
    /// draws only from them, never from its region's pool.
    pub dedicated: bool,
    /// Time from a lot's placement to its commissioning, in months.
    pub install_months: Dist,
    /// When the site is ready for chips and how likely it is to be.
    pub timing: Timing,
}

impl Site {
    /// The site's IT capacity: `it_mw`, typed.
    pub fn it_capacity(&self) -> Mw {
        Mw(self.it_mw)
    }

    /// The PUE a plan reads (figures and warnings): the fixed value, or the mean of a
    /// distribution, never below 1.
    pub fn planned_pue(&self) -> f64 {
        self.pue.mean().max(1.0)
    }
}

/// A `[[deliveries]]` tranche of chips.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// The delivery's name, when it has one.
    pub name: Option<String>,
    /// Index into `Scenario::chips` of the chip type delivered.
    pub chip: usize,
    /// Chips in the delivery.
    pub count: u64,
    /// Index into `Scenario::owners` of the owner it is for.
    pub owner: usize,
    /// Index into `Scenario::sites` of the site it names, if any.
    pub site: Option<usize>,
    /// Candidate sites in the order the allocation pass tries them.
    pub candidates: Vec<usize>,
    /// The regions of the candidate sites, ascending, each once.
    pub candidate_regions: Vec<usize>,
    /// When it arrives and how likely it is to.
    pub timing: Timing,
    /// Placed all at once into one site, or not at all.
    pub whole: bool,
    /// Index into `Scenario::budgets` of the line that pays for it, if any.
    pub budget: Option<usize>,
    /// For chips already running at the start: the month index (<= 0) they were
    /// commissioned, from which their age counts.
    pub installed_month: Option<f64>,
}

impl Delivery {
    /// Whether the chips were already installed at the start.
    pub fn is_installed(&self) -> bool {
        self.installed_month.is_some()
    }
}

/// A `[[factors]]` shared cause of delay.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// The factor's name (also the key of its random stream).
    pub name: String,
    /// What the factor stands for, if the scenario says.
    pub description: Option<String>,
}

/// A `[[budgets]]` line that pays for deliveries.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// The line's name.
    pub name: String,
    /// Money appropriated: (month index, USD), ascending, one entry per month (years
    /// before the start are summed at month 0).
    pub appropriations: Vec<(f64, f64)>,
    /// Everything the line will ever get, in USD (years after the horizon included).
    pub total_usd: f64,
}

/// A `[[shocks]]` supply disruption.
#[derive(Debug, Clone, PartialEq)]
pub struct Shock {
    /// The shock's name, when it has one.
    pub name: Option<String>,
    /// Key of the shock's random stream (its name, or `#N` when unnamed).
    pub stream_key: String,
    /// Chance that the shock happens at all (0 to 1).
    pub probability: f64,
    /// Earliest start, in months since the start of the scenario.
    pub earliest_month: f64,
    /// Latest start, in months since the start of the scenario (never before `earliest_month`).
    pub latest_month: f64,
    /// How long the shock lasts, in months.
    pub duration_months: Dist,
    /// Index into `Scenario::origins`; `None` when no chip has this origin.
    pub origin: Option<usize>,
    /// The chip origin it hits, as the scenario writes it.
    pub origin_label: String,
    /// What it does to the deliveries it hits.
    pub effect: ShockEffect,
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) start: YearMonth,
    pub(crate) horizon_month: u32,
    pub(crate) home_origin: Option<String>,
    pub(crate) default_runs: u64,
    pub(crate) default_seed: u64,
    pub(crate) allocation: AllocationMode,
    pub(crate) target: Option<Target>,
    /// Distinct chip origins, in order of first appearance among the chips.
    pub(crate) origins: Vec<String>,
    /// Distinct owners, in order of first appearance (sites, then deliveries).
    pub(crate) owners: Vec<String>,
    pub(crate) chips: Vec<Chip>,
    pub(crate) regions: Vec<Region>,
    pub(crate) power: Vec<PowerAddition>,
    pub(crate) sites: Vec<Site>,
    pub(crate) deliveries: Vec<Delivery>,
    pub(crate) shocks: Vec<Shock>,
    pub(crate) factors: Vec<Factor>,
    pub(crate) budgets: Vec<Budget>,
}

impl Scenario {
    /// The scenario's display name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The optional description.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    /// Month 0.
    pub fn start(&self) -> YearMonth {
        self.start
    }
    /// H: the last sampled month index.
    pub fn horizon_month(&self) -> u32 {
        self.horizon_month
    }
    /// The calendar month of month index `m`.
    pub fn date_of(&self, month: u32) -> YearMonth {
        self.start.plus_months(i64::from(month))
    }
    /// The origin counted as domestic.
    pub fn home_origin(&self) -> Option<&str> {
        self.home_origin.as_deref()
    }
    /// `scenario.runs`, or 10,000 when unset.
    pub fn default_runs(&self) -> u64 {
        self.default_runs
    }
    /// `scenario.seed`, or 42 when unset.
    pub fn default_seed(&self) -> u64 {
        self.default_seed
    }
    /// The allocation mode.
    pub fn allocation(&self) -> AllocationMode {
        self.allocation
    }
    /// The `[target]`, if set.
    pub fn target(&self) -> Option<&Target> {
        self.target.as_ref()
    }
    /// Distinct chip origins.
    pub fn origins(&self) -> &[String] {
        &self.origins
    }
    /// Accelerator types.
    pub fn chips(&self) -> &[Chip] {
        &self.chips
    }
    /// Grid regions.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }
    /// Grid additions.
    pub fn power(&self) -> &[PowerAddition] {
        &self.power
    }
    /// Data centres.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }
    /// Chip deliveries.
    pub fn deliveries(&self) -> &[Delivery] {
        &self.deliveries
    }
    /// Supply shocks.
    pub fn shocks(&self) -> &[Shock] {
        &self.shocks
    }
    /// Shared factors of delay.
    pub fn factors(&self) -> &[Factor] {
        &self.factors
    }
    /// Budget lines.
    pub fn budgets(&self) -> &[Budget] {
        &self.budgets
    }
    /// Whether any region prices electricity.
    pub fn has_electricity_prices(&self) -> bool {
        self.regions.iter().any(|r| r.electricity_usd_per_mwh.is_some())
    }
    /// Owners, in order of first appearance.
    pub fn owners(&self) -> &[String] {
        &self.owners
    }
    /// Ordered chips: the sum of every delivery's count.
    pub fn ordered_chips(&self) -> u64 {
        self.deliveries.iter().map(|d| d.count).sum()
    }
    /// Whether any chip has a price (stranded capital is reported only then).
    pub fn has_prices(&self) -> bool {
        self.chips.iter().any(|c| c.price_usd.is_some())
    }
}
