//! The uncertain inputs one run draws, as the columns of the per-run table: which item
//! and quantity each value of `Workspace::drawn` is, in the engine's draw order
//! (MODEL.md sections 8.5 and 9.1, D39). The engine pushes a value exactly where
//! `drawn_inputs` lists a column, through the predicates below, so the two agree.

use crate::core::dist::Dist;
use crate::core::scenario::Scenario;

/// One uncertain input of a run: a column of `runs.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnInput {
    /// The scenario section: `factors`, `power`, `sites`, `deliveries` or `shocks`.
    pub section: &'static str,
    /// The item's key: its name, or `#N` when unnamed (`name#2` for a repeated name).
    pub item: String,
    /// What was drawn: `z`, `happened`, `delay_months`, `install_months`, `pue`,
    /// `start` or `duration_months`.
    pub quantity: &'static str,
}

impl DrawnInput {
    /// `<section>:<item>:<quantity>`.
    pub fn column_name(&self) -> String {
        format!("{}:{}:{}", self.section, self.item, self.quantity)
    }
}

/// Whether an item's happening is uncertain: a probability strictly between 0 and 1.
/// (The engine always draws the uniform; at 0 or 1 its outcome is fixed.)
pub(super) fn uncertain_probability(p: f64) -> bool {
    p > 0.0 && p < 1.0
}

/// Whether a distribution draws a value (every kind but `fixed`).
pub(super) fn draws(d: &Dist) -> bool {
    !matches!(d, Dist::Fixed(_))
}

/// Every uncertain input a run of `s` draws, in the order the engine draws them: the
/// factors, then each power addition, site, delivery (not the installed ones) and
/// shock in file order, each item's quantities in its draw order.
pub fn drawn_inputs(s: &Scenario) -> Vec<DrawnInput> {
    let mut out = Vec::new();
    let mut push = |section: &'static str, item: &str, quantity: &'static str| {
        out.push(DrawnInput { section, item: item.to_string(), quantity });
    };
    for f in &s.factors {
        push("factors", &f.name, "z");
    }
    for p in &s.power {
        if uncertain_probability(p.timing.probability) {
            push("power", &p.timing.stream_key, "happened");
        }
        if draws(&p.timing.delay_months) {
            push("power", &p.timing.stream_key, "delay_months");
        }
    }
    for site in &s.sites {
        let key = &site.timing.stream_key;
        if uncertain_probability(site.timing.probability) {
            push("sites", key, "happened");
        }
        if draws(&site.timing.delay_months) {
            push("sites", key, "delay_months");
        }
        if draws(&site.install_months) {
            push("sites", key, "install_months");
        }
        if draws(&site.pue) {
            push("sites", key, "pue");
        }
    }
    for d in s.deliveries.iter().filter(|d| !d.is_installed()) {
        if uncertain_probability(d.timing.probability) {
            push("deliveries", &d.timing.stream_key, "happened");
        }
        if draws(&d.timing.delay_months) {
            push("deliveries", &d.timing.stream_key, "delay_months");
        }
    }
    for shock in &s.shocks {
        if uncertain_probability(shock.probability) {
            push("shocks", &shock.stream_key, "happened");
        }
        if shock.latest_month > shock.earliest_month {
            push("shocks", &shock.stream_key, "start");
        }
        if draws(&shock.duration_months) {
            push("shocks", &shock.stream_key, "duration_months");
        }
    }
    out
}
