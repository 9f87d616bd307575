//! Validation: a raw `ScenarioSpec` becomes a `Scenario`, or a list of every problem
//! found, each with the span it points at. MODEL.md section 8 (validation) and the
//! size limits of docs/errors.md live here.
//!
//! One module per kind of table: `header` (`[scenario]`, `[allocation]`, `[target]`),
//! `items` (chips, regions, power, sites), `orders` (deliveries, shocks), `dist`
//! (distributions), `shared` (`[[factors]]`, `[[budgets]]` and the v2 rules across
//! items), `checks` (the small checks they share), `plan` (warnings about a
//! valid scenario that probably does not say what was meant). This module runs them in
//! file order, so diagnostics come out in a stable order, then checks what spans
//! sections: sizes, allocation candidates.

mod checks;
mod dist;
mod header;
mod items;
mod orders;
mod plan;
mod shared;

pub use checks::closest;

use super::scenario::*;
use super::spec::*;

/// Most months from start to horizon (50 years).
pub const MAX_HORIZON_MONTHS: i64 = 600;
/// Most chips one delivery may hold.
pub const MAX_DELIVERY_COUNT: i64 = 1_000_000_000;
/// Most chips a whole scenario may order.
pub const MAX_ORDERED_CHIPS: u64 = 10_000_000_000;
/// Most runs a scenario or the command line may ask for.
pub const MAX_RUNS: u64 = 100_000_000;
/// Most items (chips, regions, power, sites, deliveries, shocks, factors, budgets) in one scenario.
pub const MAX_ITEMS: usize = 10_000;
/// Most chip types: the engine keeps a count per (site, chip type).
pub const MAX_CHIP_TYPES: usize = 256;
/// Most distinct chip origins: each adds a series to every month of every run.
pub const MAX_ORIGINS: usize = 64;
/// Most (delivery, candidate site) pairs: the allocation pass walks them after each event,
/// so this bounds the work of a run (national mode pairs every delivery with every site).
pub const MAX_CANDIDATE_PAIRS: usize = 200_000;
/// Smallest accelerator power accepted (1 W): below it capacity arithmetic degenerates.
pub const MIN_POWER_KW: f64 = 0.001;
/// Largest accelerator power accepted (1 MW per accelerator).
pub const MAX_POWER_KW: f64 = 1000.0;
/// Largest PUE accepted.
pub const MAX_PUE: f64 = 10.0;
/// Largest power figure (MW) accepted for a site, region or addition (1 TW).
pub const MAX_MW: f64 = 1_000_000.0;
/// Largest absolute value (months) a delay or duration distribution may take as a parameter.
pub const MAX_MONTHS_PARAM: f64 = 1200.0;

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The scenario cannot be used until this is fixed.
    Error,
    /// The scenario runs, but probably not as meant.
    Warning,
}

/// One problem found in a scenario, pointing at the text it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Byte range in the source text, when the problem has a place.
    pub span: Option<Span>,
    /// What is wrong and what to do, as one sentence.
    pub message: String,
}

/// The result of validation: a scenario and its warnings, or every error (and warning).
pub type Validated = Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Validates a spec. Collects every error rather than stopping at the first.
pub fn validate(spec: &ScenarioSpec) -> Validated {
    let mut v = Validator::default();
    let scenario = v.scenario(spec);
    if v.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        Err(v.diagnostics)
    } else {
        match scenario {
            Some(s) => Ok((s, v.diagnostics)),
            None => Err(v.diagnostics),
        }
    }
}

#[derive(Default)]
struct Validator {
    diagnostics: Vec<Diagnostic>,
}

/// Each item's `name`, if any, in file order.
fn item_names<T: Named>(items: &[Spanned<T>]) -> Vec<Option<String>> {
    items.iter().map(|i| i.get_ref().item_name().map(str::to_string)).collect()
}

/// The names items are written with, skipping unnamed ones.
fn name_list<T: Named>(items: &[Spanned<T>]) -> Vec<&str> {
    items.iter().filter_map(|i| i.get_ref().item_name()).collect()
}

impl Validator {
    fn scenario(&mut self, spec: &ScenarioSpec) -> Option<Scenario> {
        let Some(table) = &spec.scenario else {
            self.error(None, "the file has no [scenario] table: add one with name, start and horizon");
            return None;
        };
        let header = self.header(table);
        let allocation = self.allocation(spec.allocation.as_ref());
        let target = spec.target.as_ref().and_then(|t| self.target(t, &header));
        let target_ok = spec.target.is_none() || target.is_some();
        if !self.within_size_limits(spec) {
            return None;
        }
        let (chips, origins) = self.chips(spec);
        let chips_ok = chips.len() == spec.chips.len();
        let mut regions = self.regions(spec);
        let regions_ok = regions.len() == spec.regions.len();
        let region_list = name_list(&spec.regions);
        let factors = self.factors(spec);
        let budgets = self.budgets(spec, &header);
        let site_refs: Vec<items::SiteRef> = spec
            .sites
            .iter()
            .filter_map(|s| {
                let s = s.get_ref();
                Some(items::SiteRef { name: s.item_name()?, region: s.region.as_ref().map(|r| r.get_ref().as_str()) })
            })
            .collect();
        let power = self.power(spec, &header, &region_list, &site_refs);
        let mut owners: Vec<String> = Vec::new();
        let sites = self.sites(spec, &header, &region_list, &mut owners);
        let sites_ok = sites.len() == spec.sites.len();
        let names = orders::Names {
            chips: spec.chips.iter().map(|(id, _)| id.get_ref().as_str()).collect(),
            factors: name_list(&spec.factors),
            budgets: name_list(&spec.budgets),
            sites: name_list(&spec.sites),
            site_owners: spec.sites.iter().map(|s| s.get_ref().owner.as_ref().map(|o| o.get_ref().as_str())).collect(),
        };
        let mut deliveries = self.deliveries(spec, &header, &names, allocation, &mut owners);
        let shocks = self.shocks(spec, &header, &origins, chips_ok);

        let all_ok = header.name.is_some()
            && header.start.is_some()
            && header.horizon_month.is_some()
            && header.runs.is_some()
            && header.seed.is_some()
            && allocation.is_some()
            && target_ok
            && chips_ok
            && regions_ok
            && sites_ok
            && power.len() == spec.power.len()
            && deliveries.len() == spec.deliveries.len()
            && shocks.len() == spec.shocks.len()
            && factors.len() == spec.factors.len()
            && budgets.len() == spec.budgets.len();
        if !all_ok {
            return None;
        }
        let allocation = allocation?;
        let mut sites = sites;
        for p in &power {
            if let Some(site) = p.site {
                sites[site].dedicated = true;
            }
        }
        if !self.across_items(spec, &chips, &sites, &deliveries, &budgets, &factors, &power) {
            return None;
        }
        if !self.place(&mut deliveries, &sites, &mut regions, allocation, origins.len()) {
            return None;
        }
        let scenario = Scenario {
            name: header.name?,
            description: header.description,
            start: header.start?,
            horizon_month: header.horizon_month?,
            home_origin: header.home_origin,
            default_runs: header.runs?,
            default_seed: header.seed?,
            allocation,
            target,
            origins,
            owners,
            chips,
            regions,
            power,
            sites,
            deliveries,
            shocks,
            factors,
            budgets,
        };
        self.plan_warnings(spec, &scenario);
        Some(scenario)
    }

    /// The item count limits, checked before any item (a huge file stops here).
    fn within_size_limits(&mut self, spec: &ScenarioSpec) -> bool {
        let item_count = spec.item_count();
        if item_count > MAX_ITEMS {
            self.error(None, format!("the scenario has {item_count} items; at most {MAX_ITEMS} are accepted"));
            return false;
        }
        if spec.chips.len() > MAX_CHIP_TYPES {
            self.error(
                None,
                format!("the scenario has {} chip types; at most {MAX_CHIP_TYPES} are accepted", spec.chips.len()),
            );
            return false;
        }
        true
    }

    /// Each delivery's candidate sites and regions, each region's placeable deliveries;
    /// then the limits on origins and (delivery, site) pairs.
    fn place(
        &mut self,
        deliveries: &mut [Delivery],
        sites: &[Site],
        regions: &mut [Region],
        allocation: AllocationMode,
        origins: usize,
    ) -> bool {
        let mut pairs = 0usize;
        for (i, d) in deliveries.iter_mut().enumerate() {
            d.candidates = candidate_sites(d, sites, allocation);
            pairs += d.candidates.len();
            d.candidate_regions = d.candidates.iter().map(|&c| sites[c].region).collect();
            d.candidate_regions.sort_unstable();
            d.candidate_regions.dedup();
            for &r in &d.candidate_regions {
                regions[r].placeable_deliveries.push(i);
            }
        }
        if origins > MAX_ORIGINS {
            self.error(None, format!("the chips have {origins} distinct origins; at most {MAX_ORIGINS} are accepted"));
            return false;
        }
        if pairs > MAX_CANDIDATE_PAIRS {
            self.error(
                None,
                format!(
                    "the deliveries and sites make {pairs} (delivery, site) pairs to allocate over; at most \
                     {MAX_CANDIDATE_PAIRS} are simulated: use fewer, larger items, or \"owner\" allocation"
                ),
            );
            return false;
        }
        true
    }
}

/// The named site; else the owner's sites in file order; in national mode, then every
/// other site in file order.
fn candidate_sites(delivery: &Delivery, sites: &[Site], mode: AllocationMode) -> Vec<usize> {
    if let Some(site) = delivery.site {
        return vec![site];
    }
    let own = (0..sites.len()).filter(|&s| sites[s].owner == delivery.owner);
    match mode {
        AllocationMode::Owner => own.collect(),
        AllocationMode::National => own.chain((0..sites.len()).filter(|&s| sites[s].owner != delivery.owner)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(closest("b20", ["b200", "h200x"]), Some("b200"));
        assert_eq!(closest("capitol", ["capital", "southwest"]), Some("capital"));
        assert_eq!(closest("zzzzzz", ["capital", "southwest"]), None);
    }
}
