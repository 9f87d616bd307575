//! Validation: a raw `ScenarioSpec` becomes a `Scenario`, or a list of every problem
//! found, each with the span it points at. MODEL.md section 8 (validation) and the
//! size limits of docs/errors.md live here.

use super::date::YearMonth;
use super::dist::Dist;
use super::scenario::*;
use super::spec::*;
use std::collections::{HashMap, HashSet};

/// Most months from start to horizon (50 years).
pub const MAX_HORIZON_MONTHS: i64 = 600;
/// Most chips one delivery may hold.
pub const MAX_DELIVERY_COUNT: i64 = 1_000_000_000;
/// Most chips a whole scenario may order.
pub const MAX_ORDERED_CHIPS: u64 = 10_000_000_000;
/// Most runs a scenario or the command line may ask for.
pub const MAX_RUNS: u64 = 100_000_000;
/// Most items (chips, regions, power, sites, deliveries, shocks) in one scenario.
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
    Error,
    Warning,
}

/// One problem found in a scenario, pointing at the text it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
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

/// The closest candidate to `name` by edit distance, if close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&name.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let old = row[j + 1];
            row[j + 1] = (old + 1).min(row[j] + 1).min(prev + usize::from(ca != *cb));
            prev = old;
        }
    }
    row[b.len()]
}

/// "did you mean `x`?" or the list of valid names.
fn suggestion(name: &str, candidates: &[&str]) -> String {
    match closest(name, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None if candidates.is_empty() => "none is defined".to_string(),
        None if candidates.len() <= 8 => {
            format!("valid names: {}", candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "))
        }
        None => format!("{} are defined", candidates.len()),
    }
}

impl Validator {
    fn error(&mut self, span: Option<Span>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic { severity: Severity::Error, span, message: message.into() });
    }

    fn warning(&mut self, span: Option<Span>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic { severity: Severity::Warning, span, message: message.into() });
    }

    fn required<'a, T>(
        &mut self,
        field: &'a Option<Spanned<T>>,
        table: &str,
        key: &str,
        at: &Span,
    ) -> Option<&'a Spanned<T>> {
        if field.is_none() {
            self.error(Some(at.clone()), format!("{table} is missing the required key `{key}`: add `{key} = ...`"));
        }
        field.as_ref()
    }

    fn finite(&mut self, value: &Spanned<f64>, what: &str) -> Option<f64> {
        let x = *value.get_ref();
        if x.is_finite() {
            Some(x)
        } else {
            self.error(Some(value.span()), format!("`{what}` must be a finite number, not {x}"));
            None
        }
    }

    /// A number in [lo, hi] (bounds inclusive unless `lo_open`).
    fn ranged(&mut self, value: &Spanned<f64>, what: &str, lo: f64, lo_open: bool, hi: f64, rule: &str) -> Option<f64> {
        let x = self.finite(value, what)?;
        let ok_lo = if lo_open { x > lo } else { x >= lo };
        if ok_lo && x <= hi {
            Some(x)
        } else {
            self.error(Some(value.span()), format!("`{what}` = {x} is out of range: it must be {rule}"));
            None
        }
    }

    fn probability(&mut self, value: &Option<Spanned<f64>>) -> Option<f64> {
        match value {
            None => Some(1.0),
            Some(p) => self.ranged(p, "probability", 0.0, false, 1.0, "between 0 and 1"),
        }
    }

    fn date(&mut self, value: &Spanned<String>, what: &str) -> Option<YearMonth> {
        let parsed = YearMonth::parse(value.get_ref());
        if parsed.is_none() {
            self.error(
                Some(value.span()),
                format!("`{what}` = \"{}\" is not a date: write \"YYYY-MM\", e.g. \"2027-03\"", value.get_ref()),
            );
        }
        parsed
    }

    fn text(&mut self, value: &Spanned<String>, what: &str) -> Option<String> {
        let s = value.get_ref().trim();
        if s.is_empty() {
            self.error(Some(value.span()), format!("`{what}` must not be empty"));
            None
        } else if s.chars().count() > 200 {
            self.error(Some(value.span()), format!("`{what}` is longer than 200 characters: shorten it"));
            None
        } else {
            Some(value.get_ref().clone())
        }
    }

    fn dist(&mut self, raw: &Option<Spanned<RawDist>>, what: &str, default: f64) -> Option<Dist> {
        let Some(raw) = raw else {
            return Some(Dist::Fixed(default));
        };
        let span = raw.span();
        let bad = |v: &mut Validator, msg: String| {
            v.error(Some(span.clone()), format!("`{what}`: {msg}"));
            None
        };
        let check_range = |x: f64| x.is_finite() && x.abs() <= MAX_MONTHS_PARAM;
        match raw.get_ref() {
            RawDist::Number(x) => {
                if check_range(*x) {
                    Some(Dist::Fixed(*x))
                } else {
                    bad(self, format!("{x} is not a number of months within ±{MAX_MONTHS_PARAM}"))
                }
            }
            RawDist::Table { dist, params, bad_keys } => {
                if let Some(k) = bad_keys.first() {
                    return bad(self, format!("parameter `{k}` must be a number"));
                }
                let Some(name) = dist else {
                    return bad(self, "a distribution table needs `dist = \"...\"` (fixed, uniform, triangular, pert, normal or lognormal)".into());
                };
                let keys: &[&[&str]] = match name.as_str() {
                    "fixed" => &[&["value"]],
                    "uniform" => &[&["min", "max"]],
                    "triangular" | "pert" => &[&["min", "mode", "max"]],
                    "normal" => &[&["mean", "sd"]],
                    "lognormal" => &[&["median", "p90"], &["p5", "p95"]],
                    other => {
                        let names = ["fixed", "uniform", "triangular", "pert", "normal", "lognormal"];
                        return bad(self, format!("unknown distribution \"{other}\": {}", suggestion(other, &names)));
                    }
                };
                let mut given: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
                given.sort_unstable();
                let matched = keys.iter().find(|set| {
                    let mut want = set.to_vec();
                    want.sort_unstable();
                    want == given
                });
                let Some(set) = matched else {
                    let forms: Vec<String> = keys.iter().map(|s| s.join(", ")).collect();
                    return bad(self, format!("\"{name}\" takes exactly {{{}}}", forms.join("} or {")));
                };
                let get = |k: &str| params.iter().find(|(p, _)| p == k).map_or(0.0, |(_, v)| *v);
                if let Some((k, x)) = params.iter().find(|(_, x)| !check_range(*x)) {
                    return bad(
                        self,
                        format!("`{k}` = {x} must be a finite number of months within ±{MAX_MONTHS_PARAM}"),
                    );
                }
                let (min, mode, max) = (get("min"), get("mode"), get("max"));
                match (name.as_str(), set[0]) {
                    ("fixed", _) => Some(Dist::Fixed(get("value"))),
                    ("uniform", _) if min <= max => Some(Dist::Uniform { min, max }),
                    ("uniform", _) => bad(self, format!("min ({min}) must not exceed max ({max})")),
                    ("triangular" | "pert", _) if min <= mode && mode <= max => Some(if name == "pert" {
                        Dist::Pert { min, mode, max }
                    } else {
                        Dist::Triangular { min, mode, max }
                    }),
                    ("triangular" | "pert", _) => {
                        bad(self, format!("needs min <= mode <= max, got min {min}, mode {mode}, max {max}"))
                    }
                    ("normal", _) if get("sd") >= 0.0 => Some(Dist::Normal { mean: get("mean"), sd: get("sd") }),
                    ("normal", _) => bad(self, format!("sd ({}) must be >= 0", get("sd"))),
                    (_, "median") => {
                        let (median, p90) = (get("median"), get("p90"));
                        if 0.0 < median && median < p90 {
                            Some(Dist::lognormal_from_median_p90(median, p90))
                        } else {
                            bad(self, format!("lognormal needs 0 < median < p90, got median {median}, p90 {p90}"))
                        }
                    }
                    _ => {
                        let (p5, p95) = (get("p5"), get("p95"));
                        if 0.0 < p5 && p5 < p95 {
                            Some(Dist::lognormal_from_p5_p95(p5, p95))
                        } else {
                            bad(self, format!("lognormal needs 0 < p5 < p95, got p5 {p5}, p95 {p95}"))
                        }
                    }
                }
            }
        }
    }

    /// Unique stream keys: the name, or `#N` (1-based position) when unnamed; repeats get `#k`.
    fn stream_keys(names: &[Option<String>]) -> Vec<String> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        names
            .iter()
            .enumerate()
            .map(|(i, n)| match n {
                None => format!("#{}", i + 1),
                Some(n) => {
                    let k = seen.entry(n.as_str()).or_insert(0);
                    *k += 1;
                    if *k == 1 {
                        n.clone()
                    } else {
                        format!("{n}#{k}")
                    }
                }
            })
            .collect()
    }

    fn scenario(&mut self, spec: &ScenarioSpec) -> Option<Scenario> {
        let whole = 0..0;
        let Some(table) = &spec.scenario else {
            self.error(None, "the file has no [scenario] table: add one with name, start and horizon");
            return None;
        };
        let at = table.span();
        let t = table.get_ref();
        let name = self.required(&t.name, "[scenario]", "name", &at).and_then(|n| self.text(n, "name"));
        let description = t.description.as_ref().map(|d| d.get_ref().clone());
        let start = self.required(&t.start, "[scenario]", "start", &at).and_then(|d| self.date(d, "start"));
        let horizon = self.required(&t.horizon, "[scenario]", "horizon", &at).and_then(|d| self.date(d, "horizon"));
        let home_origin = t.home_origin.as_ref().and_then(|h| self.text(h, "home_origin"));
        let mut horizon_month = None;
        if let (Some(s), Some(h), Some(hspan)) = (start, horizon, t.horizon.as_ref()) {
            let months = h.months_since(s);
            if months <= 0 {
                self.error(Some(hspan.span()), format!("horizon {h} must be after start {s}"));
            } else if months > MAX_HORIZON_MONTHS {
                self.error(
                    Some(hspan.span()),
                    format!("horizon {h} is {months} months after start; at most {MAX_HORIZON_MONTHS} (50 years) are simulated"),
                );
            } else {
                horizon_month = Some(months as u32);
            }
        }
        let runs = match &t.runs {
            None => Some(10_000),
            Some(r) if *r.get_ref() >= 1 && (*r.get_ref() as u64) <= MAX_RUNS => Some(*r.get_ref() as u64),
            Some(r) => {
                self.error(Some(r.span()), format!("`runs` = {} must be between 1 and {MAX_RUNS}", r.get_ref()));
                None
            }
        };
        let seed = match &t.seed {
            None => Some(42),
            Some(s) if *s.get_ref() >= 0 => Some(*s.get_ref() as u64),
            Some(s) => {
                self.error(Some(s.span()), format!("`seed` = {} must be >= 0", s.get_ref()));
                None
            }
        };
        // Relative month of a date; validation of ranges happens at the call site.
        let rel = |d: YearMonth| start.map(|s| d.months_since(s) as f64);

        let allocation = match &spec.allocation {
            None => Some(AllocationMode::Owner),
            Some(a) => match a.get_ref().mode.as_ref() {
                None => Some(AllocationMode::Owner),
                Some(m) => match m.get_ref().as_str() {
                    "owner" => Some(AllocationMode::Owner),
                    "national" => Some(AllocationMode::National),
                    other => {
                        self.error(
                            Some(m.span()),
                            format!("`mode` = \"{other}\" is not an allocation mode: use \"owner\" or \"national\""),
                        );
                        None
                    }
                },
            },
        };

        let in_window = |v: &mut Validator, d: &Spanned<String>, what: &str| -> Option<f64> {
            let date = v.date(d, what)?;
            let (s, h) = (start?, horizon?);
            if date < s || date > h {
                v.error(Some(d.span()), format!("`{what}` = {date} must lie between start {s} and horizon {h}"));
                return None;
            }
            rel(date)
        };

        let target = spec.target.as_ref().and_then(|tt| {
            let at = tt.span();
            let t = tt.get_ref();
            let operational = self.required(&t.operational, "[target]", "operational", &at).and_then(|o| {
                if *o.get_ref() >= 0 {
                    Some(*o.get_ref() as u64)
                } else {
                    self.error(Some(o.span()), format!("`operational` = {} must be >= 0", o.get_ref()));
                    None
                }
            });
            let by = self.required(&t.by, "[target]", "by", &at).and_then(|b| in_window(self, b, "by"));
            Some(Target { operational: operational?, by_month: by? as u32 })
        });
        let target_ok = spec.target.is_none() || target.is_some();

        let item_count = spec.chips.len()
            + spec.regions.len()
            + spec.power.len()
            + spec.sites.len()
            + spec.deliveries.len()
            + spec.shocks.len();
        if item_count > MAX_ITEMS {
            self.error(None, format!("the scenario has {item_count} items; at most {MAX_ITEMS} are accepted"));
            return None;
        }

        if spec.chips.len() > MAX_CHIP_TYPES {
            self.error(
                None,
                format!("the scenario has {} chip types; at most {MAX_CHIP_TYPES} are accepted", spec.chips.len()),
            );
            return None;
        }

        // Chips.
        let mut origins: Vec<String> = Vec::new();
        let mut chips = Vec::new();
        for (id, chip) in &spec.chips {
            let at = chip.span();
            let c = chip.get_ref();
            let origin = self
                .required(&c.origin, &format!("[chips.{}]", id.get_ref()), "origin", &at)
                .and_then(|o| self.text(o, "origin"));
            let power_kw =
                self.required(&c.power_kw, &format!("[chips.{}]", id.get_ref()), "power_kw", &at).and_then(|p| {
                    self.ranged(
                        p,
                        "power_kw",
                        MIN_POWER_KW,
                        false,
                        MAX_POWER_KW,
                        &format!("between {MIN_POWER_KW} and {MAX_POWER_KW} kW"),
                    )
                });
            let pflops = self
                .required(&c.pflops, &format!("[chips.{}]", id.get_ref()), "pflops", &at)
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
            if let (Some(origin), Some(power_kw), Some(pflops), Some(fr), Some(life_months), Some(price_usd)) =
                (origin, power_kw, pflops, failure_rate, life_months, price_usd)
            {
                let origin_idx = origins.iter().position(|o| *o == origin).unwrap_or_else(|| {
                    origins.push(origin.clone());
                    origins.len() - 1
                });
                chips.push(Chip {
                    id: id.get_ref().clone(),
                    vendor: c.vendor.as_ref().map(|v| v.get_ref().clone()),
                    origin: origin_idx,
                    power_kw,
                    pflops,
                    failure_rate_per_year: fr,
                    monthly_failure_probability: 1.0 - (1.0 - fr).powf(1.0 / 12.0),
                    life_months,
                    price_usd,
                });
            }
        }
        let chips_ok = chips.len() == spec.chips.len();
        let chip_ids: Vec<&str> = spec.chips.iter().map(|(id, _)| id.get_ref().as_str()).collect();

        // Regions.
        let mut regions = Vec::new();
        let mut region_names: HashSet<String> = HashSet::new();
        for region in &spec.regions {
            let at = region.span();
            let r = region.get_ref();
            let name = self.required(&r.name, "[[regions]]", "name", &at).and_then(|n| self.text(n, "name"));
            if let (Some(n), Some(span)) = (&name, r.name.as_ref()) {
                if !region_names.insert(n.clone()) {
                    self.error(
                        Some(span.span()),
                        format!("region \"{n}\" is defined twice: region names must be unique"),
                    );
                }
            }
            let grid_mw = match &r.grid_mw {
                None => Some(0.0),
                Some(g) => self.ranged(g, "grid_mw", 0.0, false, MAX_MW, &format!(">= 0 and at most {MAX_MW}")),
            };
            if let (Some(name), Some(grid_mw)) = (name, grid_mw) {
                regions.push(Region { name, grid_mw, placeable_deliveries: Vec::new() });
            }
        }
        let regions_ok = regions.len() == spec.regions.len();
        let region_list: Vec<&str> =
            spec.regions.iter().filter_map(|r| r.get_ref().name.as_ref()).map(|n| n.get_ref().as_str()).collect();
        let find_region = |v: &mut Validator, name: &Spanned<String>| -> Option<usize> {
            let idx = region_list.iter().position(|r| *r == name.get_ref());
            if idx.is_none() {
                v.error(
                    Some(name.span()),
                    format!("unknown region \"{}\": {}", name.get_ref(), suggestion(name.get_ref(), &region_list)),
                );
            }
            idx
        };

        // Power additions.
        let mut power = Vec::new();
        let power_names: Vec<Option<String>> =
            spec.power.iter().map(|p| p.get_ref().name.as_ref().map(|n| n.get_ref().clone())).collect();
        let power_keys = Self::stream_keys(&power_names);
        for (i, item) in spec.power.iter().enumerate() {
            let at = item.span();
            let p = item.get_ref();
            let region = self.required(&p.region, "[[power]]", "region", &at).and_then(|r| find_region(self, r));
            let mw = self
                .required(&p.mw, "[[power]]", "mw", &at)
                .and_then(|m| self.ranged(m, "mw", 0.0, false, MAX_MW, &format!(">= 0 and at most {MAX_MW}")));
            let online = self.required(&p.online, "[[power]]", "online", &at).and_then(|d| self.date(d, "online"));
            let delay = self.dist(&p.delay_months, "delay_months", 0.0);
            let probability = self.probability(&p.probability);
            if let (Some(region), Some(mw), Some(online), Some(delay), Some(probability)) =
                (region, mw, online, delay, probability)
            {
                if let Some(planned) = rel(online) {
                    power.push(PowerAddition {
                        name: power_names[i].clone(),
                        region,
                        mw,
                        timing: Timing {
                            stream_key: power_keys[i].clone(),
                            planned_month: planned,
                            delay_months: delay,
                            probability,
                        },
                    });
                }
            }
        }

        // Sites.
        let mut owners: Vec<String> = Vec::new();
        let owner_index = |owners: &mut Vec<String>, o: &str| -> usize {
            owners.iter().position(|x| x == o).unwrap_or_else(|| {
                owners.push(o.to_string());
                owners.len() - 1
            })
        };
        let mut sites = Vec::new();
        let mut site_names: HashSet<String> = HashSet::new();
        for item in &spec.sites {
            let at = item.span();
            let s = item.get_ref();
            let name = self.required(&s.name, "[[sites]]", "name", &at).and_then(|n| self.text(n, "name"));
            if let (Some(n), Some(span)) = (&name, s.name.as_ref()) {
                if !site_names.insert(n.clone()) {
                    self.error(Some(span.span()), format!("site \"{n}\" is defined twice: site names must be unique"));
                }
            }
            let owner = self.required(&s.owner, "[[sites]]", "owner", &at).and_then(|o| self.text(o, "owner"));
            let region = self.required(&s.region, "[[sites]]", "region", &at).and_then(|r| find_region(self, r));
            let it_mw = self
                .required(&s.it_mw, "[[sites]]", "it_mw", &at)
                .and_then(|m| self.ranged(m, "it_mw", 0.0, false, MAX_MW, &format!(">= 0 and at most {MAX_MW}")));
            let pue = self
                .required(&s.pue, "[[sites]]", "pue", &at)
                .and_then(|p| self.ranged(p, "pue", 1.0, false, MAX_PUE, &format!(">= 1 and at most {MAX_PUE}")));
            let ready = self.required(&s.ready, "[[sites]]", "ready", &at).and_then(|d| self.date(d, "ready"));
            let delay = self.dist(&s.delay_months, "delay_months", 0.0);
            let install = self.dist(&s.install_months, "install_months", 0.0);
            let probability = self.probability(&s.probability);
            if let (
                Some(name),
                Some(owner),
                Some(region),
                Some(it_mw),
                Some(pue),
                Some(ready),
                Some(delay),
                Some(install),
                Some(probability),
            ) = (name, owner, region, it_mw, pue, ready, delay, install, probability)
            {
                if let Some(planned) = rel(ready) {
                    let owner = owner_index(&mut owners, &owner);
                    sites.push(Site {
                        timing: Timing {
                            stream_key: name.clone(),
                            planned_month: planned,
                            delay_months: delay,
                            probability,
                        },
                        name,
                        owner,
                        region,
                        it_mw,
                        pue,
                        install_months: install,
                    });
                }
            }
        }
        let sites_ok = sites.len() == spec.sites.len();
        let site_list: Vec<&str> =
            spec.sites.iter().filter_map(|s| s.get_ref().name.as_ref()).map(|n| n.get_ref().as_str()).collect();
        let site_owner: Vec<Option<&str>> =
            spec.sites.iter().map(|s| s.get_ref().owner.as_ref().map(|o| o.get_ref().as_str())).collect();

        // Deliveries.
        let mut deliveries = Vec::new();
        let delivery_names: Vec<Option<String>> =
            spec.deliveries.iter().map(|d| d.get_ref().name.as_ref().map(|n| n.get_ref().clone())).collect();
        let delivery_keys = Self::stream_keys(&delivery_names);
        let mut ordered: u64 = 0;
        let mut warned_owners: HashSet<String> = HashSet::new();
        for (i, item) in spec.deliveries.iter().enumerate() {
            let at = item.span();
            let d = item.get_ref();
            let chip = self.required(&d.chip, "[[deliveries]]", "chip", &at).and_then(|c| {
                let idx = chip_ids.iter().position(|id| *id == c.get_ref());
                if idx.is_none() {
                    self.error(
                        Some(c.span()),
                        format!("unknown chip \"{}\": {}", c.get_ref(), suggestion(c.get_ref(), &chip_ids)),
                    );
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
            let site = match (&d.site, &owner) {
                (None, _) => Some(None),
                (Some(s), owner) => match site_list.iter().position(|n| *n == s.get_ref()) {
                    None => {
                        self.error(
                            Some(s.span()),
                            format!("unknown site \"{}\": {}", s.get_ref(), suggestion(s.get_ref(), &site_list)),
                        );
                        None
                    }
                    Some(idx) => match (site_owner[idx], owner) {
                        (Some(so), Some(o)) if so != o => {
                            self.error(
                                Some(s.span()),
                                format!("site \"{}\" belongs to \"{so}\", not to this delivery's owner \"{o}\": name one of \"{o}\"'s sites or change the owner", s.get_ref()),
                            );
                            None
                        }
                        _ => Some(Some(idx)),
                    },
                },
            };
            let arrive = self.required(&d.arrive, "[[deliveries]]", "arrive", &at).and_then(|a| self.date(a, "arrive"));
            let delay = self.dist(&d.delay_months, "delay_months", 0.0);
            let probability = self.probability(&d.probability);
            if let Some(o) = &owner {
                if !site_owner.contains(&Some(o.as_str())) && warned_owners.insert(o.clone()) {
                    self.warning(
                        d.owner.as_ref().map(|s| s.span()),
                        format!(
                            "owner \"{o}\" has no site: its chips will wait, stranded by space{}",
                            if matches!(allocation, Some(AllocationMode::National)) {
                                " unless national pooling finds room"
                            } else {
                                ""
                            }
                        ),
                    );
                }
            }
            if let (Some(chip), Some(count), Some(owner), Some(site), Some(arrive), Some(delay), Some(probability)) =
                (chip, count, owner, site, arrive, delay, probability)
            {
                ordered = ordered.saturating_add(count);
                if let Some(planned) = rel(arrive) {
                    let owner = owner_index(&mut owners, &owner);
                    deliveries.push(Delivery {
                        name: delivery_names[i].clone(),
                        chip,
                        count,
                        owner,
                        site,
                        candidates: Vec::new(),
                        candidate_regions: Vec::new(),
                        timing: Timing {
                            stream_key: delivery_keys[i].clone(),
                            planned_month: planned,
                            delay_months: delay,
                            probability,
                        },
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

        // Shocks.
        let mut shocks = Vec::new();
        let shock_names: Vec<Option<String>> =
            spec.shocks.iter().map(|s| s.get_ref().name.as_ref().map(|n| n.get_ref().clone())).collect();
        let shock_keys = Self::stream_keys(&shock_names);
        for (i, item) in spec.shocks.iter().enumerate() {
            let at = item.span();
            let s = item.get_ref();
            let probability = self
                .required(&s.probability, "[[shocks]]", "probability", &at)
                .and_then(|p| self.ranged(p, "probability", 0.0, false, 1.0, "between 0 and 1"));
            let earliest =
                self.required(&s.earliest, "[[shocks]]", "earliest", &at).and_then(|d| in_window(self, d, "earliest"));
            let latest =
                self.required(&s.latest, "[[shocks]]", "latest", &at).and_then(|d| in_window(self, d, "latest"));
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
                    stream_key: shock_keys[i].clone(),
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
        let _ = whole;

        let all_ok = name.is_some()
            && start.is_some()
            && horizon_month.is_some()
            && runs.is_some()
            && seed.is_some()
            && allocation.is_some()
            && target_ok
            && chips_ok
            && regions_ok
            && sites_ok
            && power.len() == spec.power.len()
            && deliveries.len() == spec.deliveries.len()
            && shocks.len() == spec.shocks.len();
        if !all_ok {
            return None;
        }
        let allocation = allocation?;
        let mut pairs = 0usize;
        for (i, d) in deliveries.iter_mut().enumerate() {
            d.candidates = candidate_sites(d, &sites, allocation);
            pairs += d.candidates.len();
            d.candidate_regions = d.candidates.iter().map(|&c| sites[c].region).collect();
            d.candidate_regions.sort_unstable();
            d.candidate_regions.dedup();
            for &r in &d.candidate_regions {
                regions[r].placeable_deliveries.push(i);
            }
        }
        if origins.len() > MAX_ORIGINS {
            self.error(
                None,
                format!("the chips have {} distinct origins; at most {MAX_ORIGINS} are accepted", origins.len()),
            );
            return None;
        }
        if pairs > MAX_CANDIDATE_PAIRS {
            self.error(
                None,
                format!(
                    "the deliveries and sites make {pairs} (delivery, site) pairs to allocate over; at most \
                     {MAX_CANDIDATE_PAIRS} are simulated: use fewer, larger items, or \"owner\" allocation"
                ),
            );
            return None;
        }
        Some(Scenario {
            name: name?,
            description,
            start: start?,
            horizon_month: horizon_month?,
            home_origin,
            default_runs: runs?,
            default_seed: seed?,
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
        })
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
