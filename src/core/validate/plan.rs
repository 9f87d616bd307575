//! Plan checks: warnings (never errors) about a valid scenario that probably does not
//! say what its author meant: a home origin no chip has, a site too small for the lots
//! named for it, a region whose sites could never all be powered. They run only on a
//! scenario whose every item validated, so items and their spans line up by position.

use super::checks::suggestion;
use super::Validator;
use crate::core::scenario::Scenario;
use crate::core::spec::ScenarioSpec;

/// Slack for comparing power sums, MW (sums of decimal figures are not exact).
const MW_SLACK: f64 = 1e-6;

impl Validator {
    /// Every plan warning, in file order of the items they concern.
    pub(super) fn plan_warnings(&mut self, spec: &ScenarioSpec, s: &Scenario) {
        self.home_origin_has_chips(spec, s);
        self.sites_hold_their_lots(spec, s);
        self.regions_can_power_their_sites(spec, s);
    }

    /// `home_origin` must match some chip's origin, or the domestic share is always 0.
    fn home_origin_has_chips(&mut self, spec: &ScenarioSpec, s: &Scenario) {
        let Some(home) = &s.home_origin else { return };
        if s.origins.contains(home) {
            return;
        }
        let origins: Vec<&str> = s.origins.iter().map(String::as_str).collect();
        let span = spec.scenario.as_ref().and_then(|t| t.get_ref().home_origin.as_ref()).map(|h| h.span());
        self.warning(
            span,
            format!(
                "no chip has origin \"{home}\", so the domestic share is 0 in every month ({})",
                suggestion(home, &origins)
            ),
        );
    }

    /// A site must have the IT room for every chip of the lots named for it, or some of
    /// them wait for ever.
    fn sites_hold_their_lots(&mut self, spec: &ScenarioSpec, s: &Scenario) {
        for (i, site) in s.sites.iter().enumerate() {
            let need_kw: f64 = s
                .deliveries
                .iter()
                .filter(|d| d.site == Some(i))
                .map(|d| d.count as f64 * s.chips[d.chip].power_kw)
                .sum();
            let need_mw = need_kw / 1000.0;
            if need_mw > site.it_mw + MW_SLACK {
                self.warning(
                    spec.sites.get(i).map(|item| item.span()),
                    format!(
                        "the lots named for site \"{}\" need {} MW of IT power but it has {} MW: \
                         the rest of their chips will wait, stranded by space",
                        site.name,
                        round_mw(need_mw),
                        round_mw(site.it_mw)
                    ),
                );
            }
        }
    }

    /// A region's pooled sites at full load (IT MW x PUE) should fit in the pool the
    /// region will ever have (its grid now plus every pooled addition), and a site with
    /// dedicated connections in its connections, or some chips never run.
    fn regions_can_power_their_sites(&mut self, spec: &ScenarioSpec, s: &Scenario) {
        let full_load = |site: &crate::core::scenario::Site| site.it_mw * site.planned_pue();
        for (r, region) in s.regions.iter().enumerate() {
            let facility_mw: f64 =
                s.sites.iter().filter(|site| site.region == r && !site.dedicated).map(full_load).sum();
            let pooled = s.power.iter().filter(|p| p.region == r && p.site.is_none()).map(|p| p.mw);
            let grid_mw = region.grid_mw + pooled.sum::<f64>();
            if facility_mw > grid_mw + MW_SLACK {
                self.warning(
                    spec.regions.get(r).map(|item| item.span()),
                    format!(
                        "the sites of region \"{}\" draw up to {} MW at full load (IT x PUE) but the region \
                         will have at most {} MW of grid: full sites there will wait for power",
                        region.name,
                        round_mw(facility_mw),
                        round_mw(grid_mw)
                    ),
                );
            }
        }
        for (i, site) in s.sites.iter().enumerate().filter(|(_, site)| site.dedicated) {
            let connected_mw: f64 = s.power.iter().filter(|p| p.site == Some(i)).map(|p| p.mw).sum();
            if full_load(site) > connected_mw + MW_SLACK {
                self.warning(
                    spec.sites.get(i).map(|item| item.span()),
                    format!(
                        "site \"{}\" draws up to {} MW at full load (IT x PUE) but its dedicated connections \
                         bring at most {} MW, and it never draws from its region's pool: once full it will wait \
                         for power",
                        site.name,
                        round_mw(full_load(site)),
                        round_mw(connected_mw)
                    ),
                );
            }
        }
    }
}

/// A power figure for a message: at most one decimal.
fn round_mw(mw: f64) -> String {
    let r = (mw * 10.0).round() / 10.0;
    format!("{r}")
}
