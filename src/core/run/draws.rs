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

/// The law an uncertain input is drawn from, for pinning it at a quantile (D41).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InputLaw<'a> {
    /// A shared factor's standard normal z.
    StandardNormal,
    /// Whether an item happens (1) or not (0): true with this probability.
    Happens(f64),
    /// A value from a scenario distribution (before the engine's clamps).
    Dist(&'a Dist),
    /// A start month uniform between the two months.
    Uniform(f64, f64),
}

/// The standard normal's 90% quantile, Phi^-1(0.9).
const Z90: f64 = 1.281_551_565_544_600_4;

impl InputLaw<'_> {
    /// The value an input is pinned at for its low (`high = false`) or high end of the
    /// swing: its P10 or P90; a happening is pinned at "does not happen" and "happens"
    /// (its P10 and P90 would both be one outcome for a probability outside 0.1-0.9).
    pub fn pinned(self, high: bool) -> f64 {
        let q = if high { 0.9 } else { 0.1 };
        match self {
            InputLaw::StandardNormal => {
                if high {
                    Z90
                } else {
                    -Z90
                }
            }
            InputLaw::Happens(_) => f64::from(u8::from(high)),
            InputLaw::Dist(d) => d.quantile(q),
            InputLaw::Uniform(a, b) => a + q * (b - a),
        }
    }
}

/// Every uncertain input a run of `s` draws, in the order the engine draws them: the
/// factors, then each power addition, site, delivery (not the installed ones) and
/// shock in file order, each item's quantities in its draw order.
pub fn drawn_inputs(s: &Scenario) -> Vec<DrawnInput> {
    input_laws(s).into_iter().map(|(input, _)| input).collect()
}

/// `drawn_inputs` with the law each input is drawn from.
pub fn input_laws(s: &Scenario) -> Vec<(DrawnInput, InputLaw<'_>)> {
    let mut out = Vec::new();
    let mut push = |section: &'static str, item: &str, quantity: &'static str, law| {
        out.push((DrawnInput { section, item: item.to_string(), quantity }, law));
    };
    for f in &s.factors {
        push("factors", &f.name, "z", InputLaw::StandardNormal);
    }
    for p in &s.power {
        let t = &p.timing;
        if uncertain_probability(t.probability) {
            push("power", &t.stream_key, "happened", InputLaw::Happens(t.probability));
        }
        if draws(&t.delay_months) {
            push("power", &t.stream_key, "delay_months", InputLaw::Dist(&t.delay_months));
        }
    }
    for site in &s.sites {
        let (t, key) = (&site.timing, &site.timing.stream_key);
        if uncertain_probability(t.probability) {
            push("sites", key, "happened", InputLaw::Happens(t.probability));
        }
        if draws(&t.delay_months) {
            push("sites", key, "delay_months", InputLaw::Dist(&t.delay_months));
        }
        if draws(&site.install_months) {
            push("sites", key, "install_months", InputLaw::Dist(&site.install_months));
        }
        if draws(&site.pue) {
            push("sites", key, "pue", InputLaw::Dist(&site.pue));
        }
    }
    for d in s.deliveries.iter().filter(|d| !d.is_installed()) {
        let t = &d.timing;
        if uncertain_probability(t.probability) {
            push("deliveries", &t.stream_key, "happened", InputLaw::Happens(t.probability));
        }
        if draws(&t.delay_months) {
            push("deliveries", &t.stream_key, "delay_months", InputLaw::Dist(&t.delay_months));
        }
    }
    for shock in &s.shocks {
        if uncertain_probability(shock.probability) {
            push("shocks", &shock.stream_key, "happened", InputLaw::Happens(shock.probability));
        }
        if shock.latest_month > shock.earliest_month {
            push("shocks", &shock.stream_key, "start", InputLaw::Uniform(shock.earliest_month, shock.latest_month));
        }
        if draws(&shock.duration_months) {
            push("shocks", &shock.stream_key, "duration_months", InputLaw::Dist(&shock.duration_months));
        }
    }
    out
}
