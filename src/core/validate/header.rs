//! The one-table sections: `[scenario]` (name, dates, runs, seed), `[allocation]` and
//! `[target]`, and the window of months every dated item is measured against.

use super::{Validator, MAX_HORIZON_MONTHS, MAX_RUNS};
use crate::core::date::YearMonth;
use crate::core::scenario::{AllocationMode, Target};
use crate::core::spec::{AllocationTable, ScenarioTable, Spanned, TargetTable};

/// `[scenario]` as checked: each value, or `None` where it was wrong or missing.
pub(super) struct Header {
    pub name: Option<String>,
    pub description: Option<String>,
    pub start: Option<YearMonth>,
    pub horizon: Option<YearMonth>,
    pub horizon_month: Option<u32>,
    pub home_origin: Option<String>,
    pub runs: Option<u64>,
    pub seed: Option<u64>,
}

impl Header {
    /// Months from start to a date; range checks happen at the call site.
    pub fn rel(&self, d: YearMonth) -> Option<f64> {
        self.start.map(|s| d.months_since(s) as f64)
    }
}

impl Validator {
    /// `[scenario]`.
    pub(super) fn header(&mut self, table: &Spanned<ScenarioTable>) -> Header {
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
        Header { name, description, start, horizon, horizon_month, home_origin, runs, seed }
    }

    /// `[allocation]`: owner allocation unless the file says otherwise.
    pub(super) fn allocation(&mut self, table: Option<&Spanned<AllocationTable>>) -> Option<AllocationMode> {
        let Some(m) = table.and_then(|a| a.get_ref().mode.as_ref()) else {
            return Some(AllocationMode::Owner);
        };
        match m.get_ref().as_str() {
            "owner" => Some(AllocationMode::Owner),
            "national" => Some(AllocationMode::National),
            other => {
                self.error(
                    Some(m.span()),
                    format!("`mode` = \"{other}\" is not an allocation mode: use \"owner\" or \"national\""),
                );
                None
            }
        }
    }

    /// `[target]`.
    pub(super) fn target(&mut self, table: &Spanned<TargetTable>, header: &Header) -> Option<Target> {
        let at = table.span();
        let t = table.get_ref();
        let operational = self.required(&t.operational, "[target]", "operational", &at).and_then(|o| {
            if *o.get_ref() >= 0 {
                Some(*o.get_ref() as u64)
            } else {
                self.error(Some(o.span()), format!("`operational` = {} must be >= 0", o.get_ref()));
                None
            }
        });
        let by = self.required(&t.by, "[target]", "by", &at).and_then(|b| self.in_window(header, b, "by"));
        Some(Target { operational: operational?, by_month: by? as u32 })
    }

    /// A date that must lie between start and horizon, as months from start.
    pub(super) fn in_window(&mut self, header: &Header, d: &Spanned<String>, what: &str) -> Option<f64> {
        let date = self.date(d, what)?;
        let (s, h) = (header.start?, header.horizon?);
        if date < s || date > h {
            self.error(Some(d.span()), format!("`{what}` = {date} must lie between start {s} and horizon {h}"));
            return None;
        }
        header.rel(date)
    }
}
