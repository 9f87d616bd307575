//! Laws as properties, over random valid scenarios: conservation at every month of every
//! run, cumulative counts never fall, operational chips never draw more than a region's
//! grid or the built IT capacity, percentiles ordered, thread-count independence.

use crate::support::load_text;
use buildout::core::ensemble::{simulate, Silent};
use buildout::core::metrics::series;
use buildout::core::run::{run_with, RunObserver, TraceRow, Workspace};
use proptest::prelude::*;

/// A distribution of months, as TOML.
fn dist() -> impl Strategy<Value = String> {
    prop_oneof![
        (0.0..6.0f64).prop_map(|v| format!("{v:.2}")),
        (0.0..4.0f64, 0.0..4.0f64)
            .prop_map(|(a, w)| format!("{{ dist = \"uniform\", min = {a:.2}, max = {:.2} }}", a + w)),
        (0.0..3.0f64, 0.0..3.0f64, 0.0..3.0f64).prop_map(|(a, b, c)| format!(
            "{{ dist = \"pert\", min = {a:.2}, mode = {:.2}, max = {:.2} }}",
            a + b,
            a + b + c
        )),
        (0.0..3.0f64, 0.0..3.0f64, 0.0..3.0f64).prop_map(|(a, b, c)| format!(
            "{{ dist = \"triangular\", min = {a:.2}, mode = {:.2}, max = {:.2} }}",
            a + b,
            a + b + c
        )),
        (-2.0..4.0f64, 0.0..3.0f64).prop_map(|(m, s)| format!("{{ dist = \"normal\", mean = {m:.2}, sd = {s:.2} }}")),
        (0.5..3.0f64, 1.2..4.0f64)
            .prop_map(|(m, k)| format!("{{ dist = \"lognormal\", median = {m:.2}, p90 = {:.2} }}", m * k)),
    ]
}

/// Random valid scenario text: 1-3 chips, 1-2 regions, 0-3 sites, 0-2 grid additions,
/// 1-4 deliveries, 0-2 shocks, both allocation modes.
pub fn scenario_text() -> impl Strategy<Value = String> {
    let chip = (0.2..3.0f64, 0.0..3.0f64, prop::bool::ANY, 0.0..0.3f64, prop::option::of(1.0..4.0f64));
    let site = (0..2usize, 0..2usize, 1.0..40.0f64, 1.0..1.6f64, 0..14u32, dist(), dist(), 0.5..1.0f64);
    let power = (0..2usize, 0.0..40.0f64, 0..14u32, dist(), 0.0..1.0f64);
    let delivery = (0..3usize, 0..2usize, 0..20_000u64, 0..14u32, dist(), 0.6..1.0f64, prop::bool::ANY);
    let shock = (0.0..1.0f64, 0..6u32, 0..6u32, dist(), prop::bool::ANY, prop::bool::ANY);
    (
        prop::collection::vec(chip, 1..=3),
        (0.0..60.0f64, 0.0..60.0f64),
        prop::collection::vec(site, 0..=3),
        prop::collection::vec(power, 0..=2),
        prop::collection::vec(delivery, 1..=4),
        prop::collection::vec(shock, 0..=2),
        prop::bool::ANY,
    )
        .prop_map(|(chips, grids, sites, power, deliveries, shocks, national)| {
            let date = |m: u32| format!("\"{}-{:02}\"", 2026 + m / 12, m % 12 + 1);
            let mut t = String::from(
                "[scenario]\nname = \"random\"\nstart = \"2026-01\"\nhorizon = \"2027-02\"\nhome_origin = \"KR\"\n",
            );
            t += &format!("[allocation]\nmode = \"{}\"\n", if national { "national" } else { "owner" });
            for (i, (kw, pf, kr, fr, life)) in chips.iter().enumerate() {
                t += &format!(
                    "[chips.c{i}]\norigin = \"{}\"\npower_kw = {kw:.3}\npflops = {pf:.3}\nfailure_rate = {fr:.3}\nprice_usd = 1000\n",
                    if *kr { "KR" } else { "US" }
                );
                if let Some(l) = life {
                    t += &format!("life_years = {:.3}\n", l / 12.0 * 6.0);
                }
            }
            t += &format!("[[regions]]\nname = \"r0\"\ngrid_mw = {:.2}\n[[regions]]\nname = \"r1\"\ngrid_mw = {:.2}\n", grids.0, grids.1);
            for (i, (owner, region, it, pue, ready, delay, install, p)) in sites.iter().enumerate() {
                t += &format!(
                    "[[sites]]\nname = \"s{i}\"\nowner = \"o{owner}\"\nregion = \"r{region}\"\nit_mw = {it:.2}\npue = {pue:.3}\nready = {}\ndelay_months = {delay}\ninstall_months = {install}\nprobability = {p:.3}\n",
                    date(*ready)
                );
            }
            for (region, mw, online, delay, p) in &power {
                t += &format!(
                    "[[power]]\nregion = \"r{region}\"\nmw = {mw:.2}\nonline = {}\ndelay_months = {delay}\nprobability = {p:.3}\n",
                    date(*online)
                );
            }
            for (i, (chip, owner, count, arrive, delay, p, named)) in deliveries.iter().enumerate() {
                let chip = chip % chips.len();
                t += &format!(
                    "[[deliveries]]\nname = \"d{i}\"\nchip = \"c{chip}\"\ncount = {count}\nowner = \"o{owner}\"\narrive = {}\ndelay_months = {delay}\nprobability = {p:.3}\n",
                    date(*arrive)
                );
                if let Some(s) = sites.iter().position(|s| s.0 == *owner).filter(|_| *named) {
                    t += &format!("site = \"s{s}\"\n");
                }
            }
            for (p, earliest, span, duration, us, cancel) in &shocks {
                t += &format!(
                    "[[shocks]]\nprobability = {p:.3}\nearliest = {}\nlatest = {}\nduration_months = {duration}\norigin = \"{}\"\neffect = \"{}\"\n",
                    date(*earliest),
                    date((earliest + span).min(13)),
                    if *us { "US" } else { "KR" },
                    if *cancel { "cancel" } else { "postpone" }
                );
            }
            t
        })
}

/// Records the lowest region headroom seen after any event.
struct Headroom {
    lowest_mw: f64,
}

impl RunObserver for Headroom {
    const ENABLED: bool = true;
    fn on_event(&mut self, row: &TraceRow<'_>) {
        for &h in row.region_headroom_mw {
            self.lowest_mw = self.lowest_mw.min(h);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn runs_conserve_chips_keep_cumulative_counts_and_respect_caps(text in scenario_text(), seed in 0..1000u64) {
        let scenario = load_text(&text);
        let mut ws = Workspace::default();
        for run in 0..3 {
            let mut headroom = Headroom { lowest_mw: f64::INFINITY };
            let r = run_with(&scenario, seed, run, &mut ws, &mut headroom);
            prop_assert!(headroom.lowest_mw >= -1e-6, "a region drew more than its grid: {}", headroom.lowest_mw);
            for m in 0..r.months() {
                let v = |s| r.get(m, s);
                prop_assert_eq!(v(series::DELIVERED), v(series::WAITING) + v(series::INSTALLING) + v(series::OPERATIONAL) + v(series::LOST));
                prop_assert_eq!(v(series::WAITING), v(series::STRANDED_BY_POWER) + v(series::STRANDED_BY_SPACE));
                prop_assert!(v(series::IT_MW) <= v(series::BUILT_IT_MW) + 1e-6);
                prop_assert!(v(series::FACILITY_MW) <= v(series::GRID_MW) + 1e-6);
                prop_assert!((0.0..=1.0).contains(&v(series::DOMESTIC_SHARE)));
                if m > 0 {
                    for s in [series::DELIVERED, series::LOST, series::CANCELLED, series::GRID_MW, series::BUILT_IT_MW] {
                        prop_assert!(r.get(m, s) >= r.get(m - 1, s), "series {} fell at month {}", s, m);
                    }
                }
            }
            let ordered = scenario.ordered_chips() as f64;
            let last = r.months() - 1;
            prop_assert!(r.get(last, series::DELIVERED) + r.get(last, series::CANCELLED) <= ordered);
        }
    }

    #[test]
    fn percentiles_are_ordered_and_threads_do_not_matter(text in scenario_text(), seed in 0..1000u64) {
        let scenario = load_text(&text);
        let one = simulate(&scenario, seed, 0..70, Some(1), &Silent).unwrap();
        let two = simulate(&scenario, seed, 0..70, Some(2), &Silent).unwrap();
        prop_assert!(one == two, "aggregates differ between 1 and 2 threads");
        let summary = one.summarize(&scenario);
        for m in 0..summary.months {
            for s in 0..summary.series {
                let p = summary.stats(m, s).percentiles;
                prop_assert!(p.windows(2).all(|w| w[0] <= w[1]), "unordered percentiles {:?}", p);
            }
        }
    }
}
