//! Distributions as written (`delay_months = 3` or `{ dist = "pert", ... }`) checked and
//! turned into `Dist`: known names, exactly the right parameters, numbers of months (or,
//! for a site's `pue`, plain numbers within the same bound).

use super::checks::suggestion;
use super::{Validator, MAX_MONTHS_PARAM};
use crate::core::dist::Dist;
use crate::core::spec::{RawDist, Span, Spanned, DIST_FORMS as FORMS};

fn in_range(x: f64) -> bool {
    x.is_finite() && x.abs() <= MAX_MONTHS_PARAM
}

impl Validator {
    /// A distribution of months; `default` (fixed) when the key is absent.
    pub(super) fn dist(&mut self, raw: &Option<Spanned<RawDist>>, what: &str, default: f64) -> Option<Dist> {
        self.dist_of(raw, what, default, " of months")
    }

    /// A distribution of plain numbers (a site's `pue`), parameters within the same
    /// bound as months; `default` (fixed) when the key is absent.
    pub(super) fn dist_of_numbers(&mut self, raw: &Option<Spanned<RawDist>>, what: &str, default: f64) -> Option<Dist> {
        self.dist_of(raw, what, default, "")
    }

    /// A distribution; `unit` says in messages what its values count (" of months", or "").
    fn dist_of(&mut self, raw: &Option<Spanned<RawDist>>, what: &str, default: f64, unit: &str) -> Option<Dist> {
        let Some(raw) = raw else {
            return Some(Dist::Fixed(default));
        };
        let checked = match raw.get_ref() {
            RawDist::Number(x) if in_range(*x) => Ok(Dist::Fixed(*x)),
            RawDist::Number(x) => Err(format!("{x} is not a number{unit} within ±{MAX_MONTHS_PARAM}")),
            RawDist::Table { dist, params, bad_keys } => dist_table(dist.as_deref(), params, bad_keys, unit),
        };
        checked.map_err(|msg| self.dist_error(raw.span(), what, msg)).ok()
    }

    fn dist_error(&mut self, span: Span, what: &str, msg: String) {
        self.error(Some(span), format!("`{what}`: {msg}"));
    }
}

/// A distribution table: its name, its parameter set, then each distribution's own rule;
/// `unit` names what the parameters count in messages (" of months", or "").
fn dist_table(dist: Option<&str>, params: &[(String, f64)], bad_keys: &[String], unit: &str) -> Result<Dist, String> {
    if let Some(k) = bad_keys.first() {
        return Err(format!("parameter `{k}` must be a number"));
    }
    let Some(name) = dist else {
        return Err(
            "a distribution table needs `dist = \"...\"` (fixed, uniform, triangular, pert, normal or lognormal)"
                .into(),
        );
    };
    let Some((_, keys)) = FORMS.iter().find(|(n, _)| *n == name) else {
        let names: Vec<&str> = FORMS.iter().map(|(n, _)| *n).collect();
        return Err(format!("unknown distribution \"{name}\": {}", suggestion(name, &names)));
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
        return Err(format!("\"{name}\" takes exactly {{{}}}", forms.join("} or {")));
    };
    let get = |k: &str| params.iter().find(|(p, _)| p == k).map_or(0.0, |(_, v)| *v);
    if let Some((k, x)) = params.iter().find(|(_, x)| !in_range(*x)) {
        return Err(format!("`{k}` = {x} must be a finite number{unit} within ±{MAX_MONTHS_PARAM}"));
    }
    let (min, mode, max) = (get("min"), get("mode"), get("max"));
    match (name, set[0]) {
        ("fixed", _) => Ok(Dist::Fixed(get("value"))),
        ("uniform", _) if min <= max => Ok(Dist::Uniform { min, max }),
        ("uniform", _) => Err(format!("min ({min}) must not exceed max ({max})")),
        ("triangular" | "pert", _) if min <= mode && mode <= max => {
            Ok(if name == "pert" { Dist::Pert { min, mode, max } } else { Dist::Triangular { min, mode, max } })
        }
        ("triangular" | "pert", _) => Err(format!("needs min <= mode <= max, got min {min}, mode {mode}, max {max}")),
        ("normal", _) if get("sd") >= 0.0 => Ok(Dist::Normal { mean: get("mean"), sd: get("sd") }),
        ("normal", _) => Err(format!("sd ({}) must be >= 0", get("sd"))),
        (_, "median") => {
            let (median, p90) = (get("median"), get("p90"));
            if 0.0 < median && median < p90 {
                Ok(Dist::lognormal_from_median_p90(median, p90))
            } else {
                Err(format!("lognormal needs 0 < median < p90, got median {median}, p90 {p90}"))
            }
        }
        _ => {
            let (p5, p95) = (get("p5"), get("p95"));
            if 0.0 < p5 && p5 < p95 {
                Ok(Dist::lognormal_from_p5_p95(p5, p95))
            } else {
                Err(format!("lognormal needs 0 < p5 < p95, got p5 {p5}, p95 {p95}"))
            }
        }
    }
}
