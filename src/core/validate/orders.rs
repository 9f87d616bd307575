//! The demand and risk sections: `[[deliveries]]` (chips ordered, checked against chips,
//! sites and owners) and `[[shocks]]` (checked against the chips' origins).

use super::checks::suggestion;
use super::header::Header;
use super::items::index_of;
use super::{Validator, MAX_DELIVERY_COUNT, MAX_ORDERED_CHIPS};
use crate::core::scenario::{AllocationMode, Delivery, Shock, ShockEffect, Timing};
use crate::core::spec::{ScenarioSpec, Spanned};
use std::collections::HashSet;

/// What a delivery may refer to: chip ids, and each site's name and owner as written.
pub(super) struct Names<'a> {
    pub chips: Vec<&'a str>,
    pub factors: Vec<&'a str>,
    pub budgets: Vec<&'a str>,
    pub sites: Vec<&'a str>,
    pub site_owners: Vec<Option<&'a str>>,
}

impl Validator {
    /// `[[deliveries]]`; each delivery's owner is added to `owners`.
    pub(super) fn deliveries(
        &mut self,
        spec: &ScenarioSpec,
        header: &Header,
        names: &Names,
        allocation: Option<AllocationMode>,
        owners: &mut Vec<String>,
    ) -> Vec<Delivery> {
        let mut deliveries = Vec::new();
        let delivery_names = super::item_names(&spec.deliveries);
        let keys = Self::stream_keys(&delivery_names);
        let mut ordered: u64 = 0;
        let mut warned_owners: HashSet<String> = HashSet::new();
        for (i, item) in spec.deliveries.iter().enumerate() {
            let at = item.span();
            let d = item.get_ref();
            let chip = self.required(&d.chip, "[[deliveries]]", "chip", &at).and_then(|c| {
                let idx = names.chips.iter().position(|id| *id == c.get_ref());
                if idx.is_none() {
                    let hint = suggestion(c.get_ref(), &names.chips);
                    self.error(Some(c.span()), format!("unknown chip \"{}\": {hint}", c.get_ref()));
                }
                idx
            });
            let count = self.required(&d.count, "[[deliveries]]", "count", &at).and_then(|c| {
                let n = *c.get_ref();
                if (0..=MAX_DELIVERY_COUNT).contains(&n) {
                    Some(n as u64)
                } else {
                    self.error(
                        Some(c.span()),
                        format!("`count` = {n} must be a whole number between 0 and {MAX_DELIVERY_COUNT}"),
                    );
                    None
                }
            });
            let owner = self.required(&d.owner, "[[deliveries]]", "owner", &at).and_then(|o| self.text(o, "owner"));
            let site = self.delivery_site(d.site.as_ref(), owner.as_deref(), names);
            let installed = self.installed(d, header);
            let arrive = match (&installed, &d.arrive) {
                // An installed delivery's month stands in for its arrival (checked in `installed`).
                (Some(Some(month)), _) => Some(*month),
                (Some(None), None) => {
                    self.error(
                        Some(at.clone()),
                        "[[deliveries]] is missing the required key `arrive`: add `arrive = ...` (or, for chips \
                         already running at the start, `installed = ...` with their `site`)",
                    );
                    None
                }
                (Some(None), Some(a)) => self.date(a, "arrive").and_then(|a| header.rel(a)),
                (None, _) => None,
            };
            let delay = self.dist(&d.delay_months, "delay_months", 0.0);
            let probability = self.probability(&d.probability);
            let loadings = self.loadings(&d.factors, delay.as_ref(), &names.factors);
            let budget = self.budget_ref(d.budget.as_ref(), &names.budgets);
            if let Some(o) = &owner {
                if !names.site_owners.contains(&Some(o.as_str())) && warned_owners.insert(o.clone()) {
                    let pooled = matches!(allocation, Some(AllocationMode::National));
                    let unless = if pooled { " unless national pooling finds room" } else { "" };
                    self.warning(
                        d.owner.as_ref().map(|s| s.span()),
                        format!("owner \"{o}\" has no site: its chips will wait, stranded by space{unless}"),
                    );
                }
            }
            let v2 = (installed, loadings, budget);
            if let (
                Some(chip),
                Some(count),
                Some(owner),
                Some(site),
                Some(planned),
                Some(delay),
                Some(probability),
                (Some(installed_month), Some(loadings), Some(budget)),
            ) = (chip, count, owner, site, arrive, delay, probability, v2)
            {
                ordered = ordered.saturating_add(count);
                {
                    deliveries.push(Delivery {
                        name: delivery_names[i].clone(),
                        chip,
                        count,
                        owner: index_of(owners, &owner),
                        site,
                        candidates: Vec::new(),
                        candidate_regions: Vec::new(),
                        timing: Timing {
                            stream_key: keys[i].clone(),
                            planned_month: planned,
                            delay_months: delay,
                            probability,
                            factor_loadings: loadings,
                        },
                        whole: d.whole.as_ref().is_some_and(|w| *w.get_ref()),
                        budget,
                        installed_month,
                    });
                }
            }
        }
        if ordered > MAX_ORDERED_CHIPS {
            self.error(
                None,
                format!("the deliveries order {ordered} chips in all; at most {MAX_ORDERED_CHIPS} are accepted"),
            );
        }
        deliveries
    }

    /// A delivery's `site`: absent (`Some(None)`), or a known site of the same owner.
    fn delivery_site(
        &mut self,
        site: Option<&Spanned<String>>,
        owner: Option<&str>,
        names: &Names,
    ) -> Option<Option<usize>> {
        let Some(s) = site else {
            return Some(None);
        };
        let Some(idx) = names.sites.iter().position(|n| *n == s.get_ref()) else {
            self.error(
                Some(s.span()),
                format!("unknown site \"{}\": {}", s.get_ref(), suggestion(s.get_ref(), &names.sites)),
            );
            return None;
        };
        match (names.site_owners[idx], owner) {
            (Some(so), Some(o)) if so != o => {
                self.error(
                    Some(s.span()),
                    format!("site \"{}\" belongs to \"{so}\", not to this delivery's owner \"{o}\": name one of \"{o}\"'s sites or change the owner", s.get_ref()),
                );
                None
            }
            _ => Some(Some(idx)),
        }
    }

    /// `[[shocks]]`; a shock whose origin no chip has gets a warning (when the chips are valid).
    pub(super) fn shocks(
        &mut self,
        spec: &ScenarioSpec,
        header: &Header,
        origins: &[String],
        chips_ok: bool,
    ) -> Vec<Shock> {
        let mut shocks = Vec::new();
        let shock_names = super::item_names(&spec.shocks);
        let keys = Self::stream_keys(&shock_names);
        for (i, item) in spec.shocks.iter().enumerate() {
            let at = item.span();
            let s = item.get_ref();
            let probability = self
                .required(&s.probability, "[[shocks]]", "probability", &at)
                .and_then(|p| self.ranged(p, "probability", 0.0, false, 1.0, "between 0 and 1"));
            let earliest = self
                .required(&s.earliest, "[[shocks]]", "earliest", &at)
                .and_then(|d| self.in_window(header, d, "earliest"));
            let latest =
                self.required(&s.latest, "[[shocks]]", "latest", &at).and_then(|d| self.in_window(header, d, "latest"));
            if let (Some(e), Some(l), Some(span)) = (earliest, latest, s.latest.as_ref()) {
                if e > l {
                    self.error(Some(span.span()), "`latest` must not be before `earliest`");
                }
            }
            let duration = if s.duration_months.is_none() {
                self.required(&s.duration_months, "[[shocks]]", "duration_months", &at);
                None
            } else {
                self.dist(&s.duration_months, "duration_months", 0.0)
            };
            let origin = self.required(&s.origin, "[[shocks]]", "origin", &at).and_then(|o| self.text(o, "origin"));
            let effect =
                self.required(&s.effect, "[[shocks]]", "effect", &at).and_then(|e| match e.get_ref().as_str() {
                    "postpone" => Some(ShockEffect::Postpone),
                    "cancel" => Some(ShockEffect::Cancel),
                    other => {
                        self.error(
                            Some(e.span()),
                            format!("`effect` = \"{other}\" is not a shock effect: use \"postpone\" or \"cancel\""),
                        );
                        None
                    }
                });
            if let (Some(o), Some(span)) = (&origin, s.origin.as_ref()) {
                if chips_ok && !origins.contains(o) {
                    let list: Vec<&str> = origins.iter().map(String::as_str).collect();
                    self.warning(
                        Some(span.span()),
                        format!("no chip has origin \"{o}\", so this shock hits nothing ({})", suggestion(o, &list)),
                    );
                }
            }
            if let (Some(probability), Some(e), Some(l), Some(duration), Some(origin), Some(effect)) =
                (probability, earliest, latest, duration, origin, effect)
            {
                shocks.push(Shock {
                    name: shock_names[i].clone(),
                    stream_key: keys[i].clone(),
                    probability,
                    earliest_month: e,
                    latest_month: l.max(e),
                    duration_months: duration,
                    origin: origins.iter().position(|x| *x == origin),
                    origin_label: origin,
                    effect,
                });
            }
        }
        shocks
    }
}
