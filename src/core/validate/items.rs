//! The supply sections: `[chips.ID]`, `[[regions]]`, `[[power]]` and `[[sites]]`, each
//! item checked on its own and then against the names it refers to.

use super::checks::suggestion;
use super::header::Header;
use super::{Validator, MAX_MW, MAX_POWER_KW, MIN_POWER_KW};
use crate::core::scenario::{Chip, PowerAddition, Region, Site, Timing};
use crate::core::spec::{PowerSpec, ScenarioSpec, Span, Spanned};
use std::collections::HashSet;

/// A site as a `[[power]]` item may name it: its name and its region's name, as written.
pub(super) struct SiteRef<'a> {
    pub name: &'a str,
    pub region: Option<&'a str>,
}

/// The index of `o` in `list`, added at the end when new.
pub(super) fn index_of(list: &mut Vec<String>, o: &str) -> usize {
    list.iter().position(|x| x == o).unwrap_or_else(|| {
        list.push(o.to_string());
        list.len() - 1
    })
}

impl Validator {
    /// `[chips.ID]`: the valid chips, and their origins in order of first use.
    pub(super) fn chips(&mut self, spec: &ScenarioSpec) -> (Vec<Chip>, Vec<String>) {
        let mut origins: Vec<String> = Vec::new();
        let mut chips = Vec::new();
        for (id, chip) in &spec.chips {
            let at = chip.span();
            let c = chip.get_ref();
            let table = format!("[chips.{}]", id.get_ref());
            let origin = self.required(&c.origin, &table, "origin", &at).and_then(|o| self.text(o, "origin"));
            let power_kw = self.required(&c.power_kw, &table, "power_kw", &at).and_then(|p| {
                let rule = format!("between {MIN_POWER_KW} and {MAX_POWER_KW} kW");
                self.ranged(p, "power_kw", MIN_POWER_KW, false, MAX_POWER_KW, &rule)
            });
            let pflops = self
                .required(&c.pflops, &table, "pflops", &at)
                .and_then(|p| self.ranged(p, "pflops", 0.0, false, 1e6, ">= 0 (and at most 1e6)"));
            let failure_rate = match &c.failure_rate {
                None => Some(0.0),
                Some(f) => self.ranged(f, "failure_rate", 0.0, false, 1.0, "between 0 and 1 (a fraction per year)"),
            };
            let life_months = match &c.life_years {
                None => Some(None),
                Some(l) => {
                    self.ranged(l, "life_years", 0.0, true, 100.0, "> 0 and at most 100").map(|y| Some(y * 12.0))
                }
            };
            let price_usd = match &c.price_usd {
                None => Some(None),
                Some(p) => self.ranged(p, "price_usd", 0.0, false, 1e12, ">= 0").map(Some),
            };
            let warranty_years = self.optional(&c.warranty_years, 0.0, "warranty_years", 100.0);
            let repair_months = self.optional(&c.repair_months, 1.0, "repair_months", 120.0);
            let average_load = self.optional(&c.average_load, 1.0, "average_load", 1.0);
            let block = match &c.block {
                None => Some(1),
                Some(b) if (1..=1_000_000).contains(b.get_ref()) => Some(*b.get_ref() as u64),
                Some(b) => {
                    let n = b.get_ref();
                    self.error(
                        Some(b.span()),
                        format!("`block` = {n} must be a whole number of chips from 1 to 1000000"),
                    );
                    None
                }
            };
            let v2 = (warranty_years, repair_months, average_load, block);
            if let (
                Some(origin),
                Some(power_kw),
                Some(pflops),
                Some(fr),
                Some(life_months),
                Some(price_usd),
                (Some(warranty_years), Some(repair_months), Some(average_load), Some(block)),
            ) = (origin, power_kw, pflops, failure_rate, life_months, price_usd, v2)
            {
                chips.push(Chip {
                    id: id.get_ref().clone(),
                    vendor: c.vendor.as_ref().map(|v| v.get_ref().clone()),
                    origin: index_of(&mut origins, &origin),
                    power_kw,
                    pflops,
                    failure_rate_per_year: fr,
                    monthly_failure_probability: 1.0 - (1.0 - fr).powf(1.0 / 12.0),
                    life_months,
                    price_usd,
                    warranty_months: warranty_years * 12.0,
                    repair_months,
                    block,
                    average_load,
                });
            }
        }
        (chips, origins)
    }

    /// `[[regions]]`.
    pub(super) fn regions(&mut self, spec: &ScenarioSpec) -> Vec<Region> {
        let mut regions = Vec::new();
        let mut region_names: HashSet<String> = HashSet::new();
        for region in &spec.regions {
            let at = region.span();
            let r = region.get_ref();
            let name = self.unique_name(&r.name, "[[regions]]", "region", &at, &mut region_names);
            let grid_mw = match &r.grid_mw {
                None => Some(0.0),
                Some(g) => self.ranged(g, "grid_mw", 0.0, false, MAX_MW, &format!(">= 0 and at most {MAX_MW}")),
            };
            let price = match &r.electricity_usd_per_mwh {
                None => Some(None),
                Some(p) => self.ranged(p, "electricity_usd_per_mwh", 0.0, false, 1e6, ">= 0 and at most 1e6").map(Some),
            };
            if let (Some(name), Some(grid_mw), Some(electricity_usd_per_mwh)) = (name, grid_mw, price) {
                regions.push(Region { name, grid_mw, electricity_usd_per_mwh, placeable_deliveries: Vec::new() });
            }
        }
        regions
    }

    /// The index of a named region among `regions` (the names as written).
    fn find_region(&mut self, regions: &[&str], name: &Spanned<String>) -> Option<usize> {
        let idx = regions.iter().position(|r| *r == name.get_ref());
        if idx.is_none() {
            self.error(
                Some(name.span()),
                format!("unknown region \"{}\": {}", name.get_ref(), suggestion(name.get_ref(), regions)),
            );
        }
        idx
    }

    /// A `[[power]]` item's feed: its `region`, or the region of the one `site` it feeds.
    fn power_feed(
        &mut self,
        p: &PowerSpec,
        at: &Span,
        regions: &[&str],
        sites: &[SiteRef],
    ) -> Option<(usize, Option<usize>)> {
        match (&p.region, &p.site) {
            (Some(_), Some(site)) => {
                self.error(
                    Some(site.span()),
                    "a [[power]] item feeds either a region's pool (`region`) or one site (`site`), not both: remove one",
                );
                None
            }
            (None, None) => {
                self.error(
                    Some(at.clone()),
                    "[[power]] is missing `region` (a region's shared pool) or `site` (a dedicated connection): add one",
                );
                None
            }
            (Some(r), None) => self.find_region(regions, r).map(|r| (r, None)),
            (None, Some(site)) => {
                let names: Vec<&str> = sites.iter().map(|s| s.name).collect();
                let Some(idx) = names.iter().position(|n| *n == site.get_ref()) else {
                    let hint = suggestion(site.get_ref(), &names);
                    self.error(Some(site.span()), format!("unknown site \"{}\": {hint}", site.get_ref()));
                    return None;
                };
                let region = sites[idx].region.and_then(|r| regions.iter().position(|x| *x == r));
                // The site's own region error is reported at the site.
                region.map(|r| (r, Some(idx)))
            }
        }
    }

    /// `[[power]]`.
    pub(super) fn power(
        &mut self,
        spec: &ScenarioSpec,
        header: &Header,
        regions: &[&str],
        sites: &[SiteRef],
    ) -> Vec<PowerAddition> {
        let mut power = Vec::new();
        let names = super::item_names(&spec.power);
        let keys = Self::stream_keys(&names);
        let factors = super::name_list(&spec.factors);
        for (i, item) in spec.power.iter().enumerate() {
            let at = item.span();
            let p = item.get_ref();
            let feed = self.power_feed(p, &at, regions, sites);
            let mw = self
                .required(&p.mw, "[[power]]", "mw", &at)
                .and_then(|m| self.ranged(m, "mw", 0.0, false, MAX_MW, &format!(">= 0 and at most {MAX_MW}")));
            let online = self.required(&p.online, "[[power]]", "online", &at).and_then(|d| self.date(d, "online"));
            let delay = self.dist(&p.delay_months, "delay_months", 0.0);
            let probability = self.probability(&p.probability);
            let loadings = self.loadings(&p.factors, delay.as_ref(), &factors);
            if let (Some((region, site)), Some(mw), Some(online), Some(delay), Some(probability), Some(loadings)) =
                (feed, mw, online, delay, probability, loadings)
            {
                if let Some(planned) = header.rel(online) {
                    power.push(PowerAddition {
                        name: names[i].clone(),
                        region,
                        site,
                        mw,
                        timing: Timing {
                            stream_key: keys[i].clone(),
                            planned_month: planned,
                            delay_months: delay,
                            probability,
                            factor_loadings: loadings,
                        },
                    });
                }
            }
        }
        power
    }

    /// `[[sites]]`; each site's owner is added to `owners`.
    pub(super) fn sites(
        &mut self,
        spec: &ScenarioSpec,
        header: &Header,
        regions: &[&str],
        owners: &mut Vec<String>,
    ) -> Vec<Site> {
        let mut sites = Vec::new();
        let mut site_names: HashSet<String> = HashSet::new();
        let factors = super::name_list(&spec.factors);
        for item in &spec.sites {
            let at = item.span();
            let s = item.get_ref();
            let name = self.unique_name(&s.name, "[[sites]]", "site", &at, &mut site_names);
            let owner = self.required(&s.owner, "[[sites]]", "owner", &at).and_then(|o| self.text(o, "owner"));
            let region =
                self.required(&s.region, "[[sites]]", "region", &at).and_then(|r| self.find_region(regions, r));
            let it_mw = self
                .required(&s.it_mw, "[[sites]]", "it_mw", &at)
                .and_then(|m| self.ranged(m, "it_mw", 0.0, false, MAX_MW, &format!(">= 0 and at most {MAX_MW}")));
            let pue = self.required(&s.pue, "[[sites]]", "pue", &at).and_then(|p| self.pue(p));
            let ready = self.required(&s.ready, "[[sites]]", "ready", &at).and_then(|d| self.date(d, "ready"));
            let delay = self.dist(&s.delay_months, "delay_months", 0.0);
            let install = self.dist(&s.install_months, "install_months", 0.0);
            let probability = self.probability(&s.probability);
            let (Some(name), Some(owner), Some(region), Some(it_mw), Some(pue), Some(ready)) =
                (name, owner, region, it_mw, pue, ready)
            else {
                continue;
            };
            let loadings = self.loadings(&s.factors, delay.as_ref(), &factors);
            if let (Some(delay), Some(install), Some(probability), Some(planned), Some(loadings)) =
                (delay, install, probability, header.rel(ready), loadings)
            {
                sites.push(Site {
                    timing: Timing {
                        stream_key: name.clone(),
                        planned_month: planned,
                        delay_months: delay,
                        probability,
                        factor_loadings: loadings,
                    },
                    name,
                    owner: index_of(owners, &owner),
                    region,
                    it_mw,
                    pue,
                    dedicated: false,
                    install_months: install,
                });
            }
        }
        sites
    }
}
