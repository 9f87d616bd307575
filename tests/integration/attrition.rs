//! Attrition groups (docs/model.md, "Binomial attrition"): lots of one site and chip type
//! that never retire inside the horizon are drawn as one Binomial, which is the same law
//! as one draw per lot; a lot that retires inside the horizon keeps its own survivors.

use crate::support::summarize;
use buildout::core::metrics::Series;
use buildout::core::scenario::Scenario;
use buildout::io::scenario::load_str;
use std::path::Path;

fn scenario(text: &str) -> Scenario {
    match load_str(Path::new("attrition.toml"), text) {
        Ok(l) => l.scenario,
        Err(e) => panic!("test scenario does not load:\n{e}"),
    }
}

/// One site, one chip type with `failure_rate` and optional `life_years`, and the given
/// `[[deliveries]]` tables.
fn one_site(failure_rate: f64, life_years: Option<f64>, horizon: &str, deliveries: &str) -> String {
    let life = life_years.map_or(String::new(), |y| format!("life_years = {y}\n"));
    format!(
        r#"[scenario]
name = "attrition"
start = "2026-01"
horizon = "{horizon}"

[chips.a]
origin = "US"
power_kw = 1.0
pflops = 1.0
failure_rate = {failure_rate}
{life}
[[regions]]
name = "r"
grid_mw = 1000.0

[[sites]]
name = "S"
owner = "gov"
region = "r"
it_mw = 100.0
pue = 1.0
ready = "2026-01"
{deliveries}"#
    )
}

fn deliveries(count: u64, each: u64, arrive: &str) -> String {
    (0..count)
        .map(|i| format!("\n[[deliveries]]\nname = \"d{i}\"\nchip = \"a\"\ncount = {each}\nowner = \"gov\"\narrive = \"{arrive}\"\n"))
        .collect()
}

#[test]
fn lots_that_never_retire_are_drawn_as_one_binomial() {
    // Twenty lots of 100 chips commissioned together share one draw per month, so their
    // losses equal those of one lot of 2,000, run for run and byte for byte.
    let split = scenario(&one_site(0.2, None, "2027-12", &deliveries(20, 100, "2026-01")));
    let whole = scenario(&one_site(0.2, None, "2027-12", &deliveries(1, 2000, "2026-01")));
    let (a, b) = (summarize(&split, 4000, 7), summarize(&whole, 4000, 7));
    for m in 0..=23 {
        assert_eq!(a.stats(m, Series::Lost), b.stats(m, Series::Lost), "month {m}");
    }
    // And those losses follow the law of per-lot draws: by the horizon sample (month 23,
    // after 23 ticks at 1 - 0.8^(1/12)) each chip is lost with chance 1 - 0.8^(23/12), so
    // lost(23) ~ Binomial(2000, that chance).
    let chance = 1.0 - 0.8f64.powf(23.0 / 12.0);
    let (mean, sd) = (2000.0 * chance, (2000.0 * chance * (1.0 - chance)).sqrt());
    let lost = a.stats(23, Series::Lost);
    assert!((lost.mean - mean).abs() < 5.0 * sd / 4000f64.sqrt(), "mean {} vs {mean}", lost.mean);
    // p5 and p95 of a binomial this wide sit about 1.645 sd from the mean.
    assert!((lost.percentiles[0] - (mean - 1.645 * sd)).abs() < 3.0, "p5 {}", lost.percentiles[0]);
    assert!((lost.percentiles[6] - (mean + 1.645 * sd)).abs() < 3.0, "p95 {}", lost.percentiles[6]);
}

#[test]
fn a_lot_that_retires_inside_the_horizon_keeps_its_own_survivors() {
    // Lot A commissions at month 0 and retires at month 12 (life 1 year); lot B of the same
    // chip in the same site arrives at month 3 and would retire at month 15, past the
    // horizon (month 13). Retirement must take A's survivors only.
    let text = one_site(0.0, Some(1.0), "2027-02", "")
        + &deliveries(1, 100, "2026-01").replace("d0", "A")
        + &deliveries(1, 60, "2026-04").replace("d0", "B");
    let summary = summarize(&scenario(&text), 50, 3);
    assert_eq!(summary.stats(11, Series::Operational).mean, 160.0);
    assert_eq!(summary.stats(12, Series::Operational).mean, 60.0);
    assert_eq!(summary.stats(12, Series::Lost).mean, 100.0);

    // With failures, B's chips survive its 9 ticks (months 4..12) with chance
    // 0.7^(9/12) each, whatever A lost; A's survivors all leave at month 12.
    let with_failures = one_site(0.3, Some(1.0), "2027-02", "")
        + &deliveries(1, 100, "2026-01").replace("d0", "A")
        + &deliveries(1, 60, "2026-04").replace("d0", "B");
    let runs = 4000;
    let summary = summarize(&scenario(&with_failures), runs, 3);
    let survive = 0.7f64.powf(9.0 / 12.0);
    let (mean, sd) = (60.0 * survive, (60.0 * survive * (1.0 - survive)).sqrt());
    let got = summary.stats(12, Series::Operational).mean;
    assert!((got - mean).abs() < 5.0 * sd / (runs as f64).sqrt(), "operational at 12: {got} vs {mean}");
    let delivered = summary.stats(12, Series::Delivered).mean;
    assert_eq!(delivered, 160.0);
    assert!((summary.stats(12, Series::Lost).mean + got - delivered).abs() < 1e-9, "conservation at 12");
}
