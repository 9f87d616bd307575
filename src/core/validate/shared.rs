//! The model v2 sections and rules (MODEL.md section 9): `[[factors]]` and their
//! loadings, `[[budgets]]` and the lines deliveries name, chips `installed` before the
//! start, a distribution for `pue`, and the checks that span items (an installed lot's
//! site, a budgeted lot's price and cost, a factor nothing loads on).

use super::checks::suggestion;
use super::header::Header;
use super::{Validator, MAX_PUE};
use crate::core::date::YearMonth;
use crate::core::dist::Dist;
use crate::core::scenario::{Budget, Chip, Delivery, Factor, PowerAddition, Site};
use crate::core::spec::{DeliverySpec, NumberMap, RawDist, ScenarioSpec, Spanned};
use std::collections::HashSet;

/// The sum of squared loadings may exceed 1 by this much (rounding, MODEL.md 9.1).
const LOADING_SLACK: f64 = 1e-12;
/// A line pays a delivery whose cost its balance covers to this relative slack (D27,
/// `BALANCE_SLACK` of the engine's money module): a delivery is "never paid" only past it.
const BALANCE_SLACK: f64 = 1e-12;
/// Largest amount one budget year may hold, USD.
const MAX_BUDGET_USD: f64 = 1e15;
/// Slack for comparing kW sums (sums of decimal figures are not exact).
const KW_SLACK: f64 = 1e-6;

impl Validator {
    /// `[[factors]]`.
    pub(super) fn factors(&mut self, spec: &ScenarioSpec) -> Vec<Factor> {
        let mut seen = HashSet::new();
        let mut factors = Vec::new();
        for item in &spec.factors {
            let f = item.get_ref();
            let name = self.unique_name(&f.name, "[[factors]]", "factor", &item.span(), &mut seen);
            if let Some(name) = name {
                factors.push(Factor { name, description: f.description.as_ref().map(|d| d.get_ref().clone()) });
            }
        }
        factors
    }

    /// `[[budgets]]`: each line's appropriations by month (years before the start at
    /// month 0).
    pub(super) fn budgets(&mut self, spec: &ScenarioSpec, header: &Header) -> Vec<Budget> {
        let mut seen = HashSet::new();
        let mut budgets = Vec::new();
        for item in &spec.budgets {
            let at = item.span();
            let b = item.get_ref();
            let name = self.unique_name(&b.name, "[[budgets]]", "budget", &at, &mut seen);
            let amounts =
                self.required(&b.amounts_usd, "[[budgets]]", "amounts_usd", &at).and_then(|a| self.amounts(a));
            if let (Some(name), Some(amounts), Some(start)) = (name, amounts, header.start) {
                let mut appropriations: Vec<(f64, f64)> = Vec::new();
                for (year, usd) in amounts {
                    let month = YearMonth::new(year, 1).map_or(0.0, |jan| (jan.months_since(start) as f64).max(0.0));
                    match appropriations.iter_mut().find(|(m, _)| *m == month) {
                        Some(slot) => slot.1 += usd,
                        None => appropriations.push((month, usd)),
                    }
                }
                appropriations.sort_by(|a, b| a.0.total_cmp(&b.0));
                // A fold from +0 (an empty `sum` of f64 is -0, printed "-0").
                let total_usd = appropriations.iter().fold(0.0, |sum, (_, usd)| sum + usd);
                budgets.push(Budget { name, appropriations, total_usd });
            }
        }
        budgets
    }

    /// `amounts_usd = { YEAR = amount, ... }`: whole years 1900 to 2999, each once, and
    /// amounts from 0 to `MAX_BUDGET_USD`. Each problem is reported at its entry's key
    /// (the only span a `NumberMap` keeps).
    fn amounts(&mut self, map: &Spanned<NumberMap>) -> Option<Vec<(i32, f64)>> {
        let mut out: Vec<(i32, f64)> = Vec::new();
        let mut ok = true;
        for (key, value) in &map.get_ref().entries {
            let year = key.get_ref().trim().parse::<i32>().ok().filter(|y| (1900..=2999).contains(y));
            let Some(year) = year else {
                self.error(
                    Some(key.span()),
                    format!(
                        "`amounts_usd` key \"{}\" is not a year: write years from 1900 to 2999, e.g. `2026 = 1.5e9`",
                        key.get_ref()
                    ),
                );
                ok = false;
                continue;
            };
            if out.iter().any(|(y, _)| *y == year) {
                self.error(
                    Some(key.span()),
                    format!(
                        "`amounts_usd` gives year {year} twice: write each year once, with the year's whole amount"
                    ),
                );
                ok = false;
                continue;
            }
            let problem = match value {
                Some(v) if v.is_finite() && (0.0..=MAX_BUDGET_USD).contains(v) => {
                    out.push((year, *v));
                    continue;
                }
                Some(v) if !v.is_finite() => format!("must be a finite number of USD, not {v}"),
                Some(v) => format!("= {v} is out of range: it must be from 0 to {MAX_BUDGET_USD:e} USD"),
                None => format!("is not a number: write the year's amount in USD, e.g. `{year} = 1.5e9`"),
            };
            self.error(Some(key.span()), format!("`amounts_usd` for {year} {problem}"));
            ok = false;
        }
        ok.then_some(out)
    }

    /// An item's `factors = { name = loading }`: known factors, loadings in [-1, 1] whose
    /// squares sum to at most 1, on a delay that is a distribution. `delay` is `None`
    /// when the delay itself was wrong (already reported); the names and loadings are
    /// still checked, so every problem of the item is reported at once.
    pub(super) fn loadings(
        &mut self,
        map: &Option<Spanned<NumberMap>>,
        delay: Option<&Dist>,
        factors: &[&str],
    ) -> Option<Vec<(usize, f64)>> {
        let Some(map) = map else {
            return Some(Vec::new());
        };
        let mut ok = delay.is_some();
        if matches!(delay, Some(Dist::Fixed(_))) {
            self.error(
                Some(map.span()),
                "`factors` needs a `delay_months` distribution to correlate, but this item's delay is fixed or absent: \
                 give `delay_months` a distribution or remove `factors`",
            );
            ok = false;
        }
        let mut out: Vec<(usize, f64)> = Vec::new();
        for (key, value) in &map.get_ref().entries {
            let name = key.get_ref();
            let Some(index) = factors.iter().position(|f| *f == name) else {
                let hint = suggestion(name, factors);
                self.error(Some(key.span()), format!("unknown factor \"{name}\": {hint}"));
                ok = false;
                continue;
            };
            let problem = match value {
                Some(l) if l.is_finite() && (-1.0..=1.0).contains(l) => {
                    out.push((index, *l));
                    continue;
                }
                Some(l) if !l.is_finite() => format!("must be a finite number from -1 to 1, not {l}"),
                Some(l) => format!("= {l} is out of range: it must be from -1 to 1"),
                None => format!("is not a number: write a loading from -1 to 1, e.g. `\"{name}\" = 0.8`"),
            };
            self.error(Some(key.span()), format!("the loading on \"{name}\" {problem}"));
            ok = false;
        }
        let squares: f64 = out.iter().map(|(_, l)| l * l).sum();
        if out.len() == map.get_ref().entries.len() && squares > 1.0 + LOADING_SLACK {
            // Four decimals, unless they would read as exactly 1.
            let shown = match format!("{squares:.4}") {
                four if four == "1.0000" => format!("{squares}"),
                four => four,
            };
            self.error(
                Some(map.span()),
                format!(
                    "the squared loadings sum to {shown}, more than 1: a delay can share at most all of its \
                     variation; lower the loadings"
                ),
            );
            ok = false;
        }
        ok.then_some(out)
    }

    /// A delivery's `budget`: absent, or the index of a known line.
    pub(super) fn budget_ref(&mut self, budget: Option<&Spanned<String>>, budgets: &[&str]) -> Option<Option<usize>> {
        let Some(b) = budget else {
            return Some(None);
        };
        let index = budgets.iter().position(|n| *n == b.get_ref());
        if index.is_none() {
            let hint = suggestion(b.get_ref(), budgets);
            self.error(Some(b.span()), format!("unknown budget line \"{}\": {hint}", b.get_ref()));
        }
        index.map(Some)
    }

    /// A delivery's `installed` month (MODEL.md 9.7): `Some(None)` when not installed,
    /// `Some(Some(month))` (a month index <= 0) when it is, `None` after an error.
    pub(super) fn installed(&mut self, d: &DeliverySpec, header: &Header) -> Option<Option<f64>> {
        let Some(installed) = &d.installed else {
            return Some(None);
        };
        let date = self.date(installed, "installed")?;
        let mut ok = true;
        if let Some(start) = header.start {
            if date > start {
                self.error(
                    Some(installed.span()),
                    format!(
                        "`installed` = {date} is after the start {start}: chips installed later are a delivery \
                         (use `arrive`)"
                    ),
                );
                ok = false;
            }
        }
        if d.site.is_none() {
            self.error(
                Some(installed.span()),
                "an `installed` delivery needs the `site` its chips run in: add `site = ...`",
            );
            ok = false;
        }
        let refused = [
            ("arrive", d.arrive.as_ref().map(|x| x.span())),
            ("delay_months", d.delay_months.as_ref().map(|x| x.span())),
            ("probability", d.probability.as_ref().map(|x| x.span())),
            ("budget", d.budget.as_ref().map(|x| x.span())),
        ];
        for (key, span) in refused {
            if let Some(span) = span {
                self.error(
                    Some(span),
                    format!("an `installed` delivery takes no `{key}`: its chips already run at the start; remove it"),
                );
                ok = false;
            }
        }
        if ok {
            header.rel(date).map(Some)
        } else {
            None
        }
    }

    /// A number key in [0, `max`], or `default` when absent.
    pub(super) fn optional(&mut self, value: &Option<Spanned<f64>>, default: f64, what: &str, max: f64) -> Option<f64> {
        match value {
            None => Some(default),
            Some(v) => self.ranged(v, what, 0.0, false, max, &format!("between 0 and {max}")),
        }
    }

    /// A site's `pue`: a number from 1 to `MAX_PUE`, or a distribution whose mean is.
    pub(super) fn pue(&mut self, raw: &Spanned<RawDist>) -> Option<Dist> {
        if let RawDist::Number(x) = raw.get_ref() {
            let value = Spanned::new(raw.span(), *x);
            return self
                .ranged(&value, "pue", 1.0, false, MAX_PUE, &format!(">= 1 and at most {MAX_PUE}"))
                .map(Dist::Fixed);
        }
        let dist = self.dist_of_numbers(&Some(raw.clone()), "pue", 1.0)?;
        let mean = dist.mean();
        if (1.0..=MAX_PUE).contains(&mean) {
            Some(dist)
        } else {
            self.error(
                Some(raw.span()),
                format!("`pue` has mean {mean:.3}; it must be from 1 to {MAX_PUE} (draws below 1 count as 1)"),
            );
            None
        }
    }

    /// Rules across items: an installed lot's site is ready at the start, certain and
    /// large enough; a budgeted lot's chip has a price and the line can ever pay for it;
    /// a factor nothing loads on is a warning. False when an error was found.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn across_items(
        &mut self,
        spec: &ScenarioSpec,
        chips: &[Chip],
        sites: &[Site],
        deliveries: &[Delivery],
        budgets: &[Budget],
        factors: &[Factor],
        power: &[PowerAddition],
    ) -> bool {
        let errors_before = self.error_count();
        let mut installed_kw = vec![0.0; sites.len()];
        for (d, item) in deliveries.iter().zip(&spec.deliveries) {
            let written = item.get_ref();
            if let (Some(_), Some(site)) = (d.installed_month, d.site) {
                installed_kw[site] += d.count as f64 * chips[d.chip].power_kw;
                let st = &sites[site];
                let why = match st.timing.delay_months {
                    _ if st.timing.probability < 1.0 => {
                        Some(format!("may not be built (`probability` = {})", st.timing.probability))
                    }
                    Dist::Fixed(x) if st.timing.planned_month + x <= 0.0 => None,
                    Dist::Fixed(_) => Some("is ready after the start".to_string()),
                    _ => Some("has an uncertain `delay_months`".to_string()),
                };
                if let Some(why) = why {
                    self.error(
                        written.site.as_ref().map(|s| s.span()),
                        format!(
                            "installed chips need a site that is certainly ready at the start, but \"{}\" {why}: \
                             set its `ready` on or before `start`, with no delay or probability",
                            st.name
                        ),
                    );
                }
            }
            if let Some(b) = d.budget {
                let span = written.budget.as_ref().map(|s| s.span());
                match chips[d.chip].price_usd {
                    None => self.error(
                        span,
                        format!(
                            "a delivery paid from budget \"{}\" needs a `price_usd` on its chip \"{}\": add one",
                            budgets[b].name, chips[d.chip].id
                        ),
                    ),
                    // Never paid: the engine pays when the balance covers the cost less
                    // `BALANCE_SLACK` (D27), so the same slack applies here.
                    Some(price) if budgets[b].total_usd < d.count as f64 * price * (1.0 - BALANCE_SLACK) => self.error(
                        span,
                        format!(
                            "this delivery costs {} USD but budget \"{}\" will only ever get {} USD: it could \
                             never be paid; raise the line's amounts or split the delivery",
                            d.count as f64 * price,
                            budgets[b].name,
                            budgets[b].total_usd
                        ),
                    ),
                    Some(_) => {}
                }
            }
        }
        for (i, st) in sites.iter().enumerate() {
            if installed_kw[i] > st.it_mw * 1000.0 + KW_SLACK {
                self.error(
                    spec.sites.get(i).map(|s| s.span()),
                    format!(
                        "the chips installed in site \"{}\" need {} MW of IT power but it has {} MW: raise `it_mw` \
                         or lower their count",
                        st.name,
                        installed_kw[i] / 1000.0,
                        st.it_mw
                    ),
                );
            }
        }
        let timings = power
            .iter()
            .map(|p| &p.timing)
            .chain(sites.iter().map(|s| &s.timing))
            .chain(deliveries.iter().map(|d| &d.timing));
        let mut used = vec![false; factors.len()];
        for t in timings {
            for &(f, _) in &t.factor_loadings {
                used[f] = true;
            }
        }
        for (i, ((f, item), used)) in factors.iter().zip(&spec.factors).zip(used).enumerate() {
            // A repeated name is an error already, and its loadings count for the first.
            let repeated = factors[..i].iter().any(|earlier| earlier.name == f.name);
            if !used && !repeated {
                self.warning(
                    Some(item.span()),
                    format!(
                        "no item loads on factor \"{}\": it changes nothing; add it to a `factors` table or remove it",
                        f.name
                    ),
                );
            }
        }
        self.error_count() == errors_before
    }
}
