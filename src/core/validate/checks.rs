//! The small checks every section uses: required keys, finite and ranged numbers,
//! probabilities, dates, text, stream keys, and "did you mean" suggestions.

use super::{Diagnostic, Severity, Validator};
use crate::core::date::YearMonth;
use crate::core::spec::{Span, Spanned};
use std::collections::{HashMap, HashSet};

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
pub(super) fn suggestion(name: &str, candidates: &[&str]) -> String {
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
    pub(super) fn error(&mut self, span: Option<Span>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic { severity: Severity::Error, span, message: message.into() });
    }

    /// Errors found so far.
    pub(super) fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub(super) fn warning(&mut self, span: Option<Span>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic { severity: Severity::Warning, span, message: message.into() });
    }

    pub(super) fn required<'a, T>(
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

    /// A required `name` that no earlier item of its `kind` ("region", "site") used.
    pub(super) fn unique_name(
        &mut self,
        name: &Option<Spanned<String>>,
        table: &str,
        kind: &str,
        at: &Span,
        seen: &mut HashSet<String>,
    ) -> Option<String> {
        let text = self.required(name, table, "name", at).and_then(|n| self.text(n, "name"));
        if let (Some(n), Some(span)) = (&text, name.as_ref()) {
            if !seen.insert(n.clone()) {
                self.error(Some(span.span()), format!("{kind} \"{n}\" is defined twice: {kind} names must be unique"));
            }
        }
        text
    }

    pub(super) fn finite(&mut self, value: &Spanned<f64>, what: &str) -> Option<f64> {
        let x = *value.get_ref();
        if x.is_finite() {
            Some(x)
        } else {
            self.error(Some(value.span()), format!("`{what}` must be a finite number, not {x}"));
            None
        }
    }

    /// A number in [lo, hi] (bounds inclusive unless `lo_open`).
    pub(super) fn ranged(
        &mut self,
        value: &Spanned<f64>,
        what: &str,
        lo: f64,
        lo_open: bool,
        hi: f64,
        rule: &str,
    ) -> Option<f64> {
        let x = self.finite(value, what)?;
        let ok_lo = if lo_open { x > lo } else { x >= lo };
        if ok_lo && x <= hi {
            Some(x)
        } else {
            self.error(Some(value.span()), format!("`{what}` = {x} is out of range: it must be {rule}"));
            None
        }
    }

    pub(super) fn probability(&mut self, value: &Option<Spanned<f64>>) -> Option<f64> {
        match value {
            None => Some(1.0),
            Some(p) => self.ranged(p, "probability", 0.0, false, 1.0, "between 0 and 1"),
        }
    }

    pub(super) fn date(&mut self, value: &Spanned<String>, what: &str) -> Option<YearMonth> {
        let parsed = YearMonth::parse(value.get_ref());
        if parsed.is_none() {
            self.error(
                Some(value.span()),
                format!("`{what}` = \"{}\" is not a date: write \"YYYY-MM\", e.g. \"2027-03\"", value.get_ref()),
            );
        }
        parsed
    }

    pub(super) fn text(&mut self, value: &Spanned<String>, what: &str) -> Option<String> {
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

    /// Unique stream keys: the name, or `#N` (1-based position) when unnamed; repeats get `#k`.
    pub(super) fn stream_keys(names: &[Option<String>]) -> Vec<String> {
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
}
