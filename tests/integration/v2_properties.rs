//! The laws of model v2 (docs/model.md section 9 and D23-D34), checked through the
//! engine itself (the times and counts a `RunObserver` sees, the `RunRecord`s):
//!
//! - 9.1: loading 1 on one factor gives equal delays; loadings +1 and -1 give mirrored
//!   quantiles; a loading leaves each delay's marginal law F unchanged (Kolmogorov-
//!   Smirnov against CDFs written out here, not the crate's);
//! - 9.2: conservation with repairs, delivered = waiting + installing + operational +
//!   repairing + lost, after every event and at every sample;
//! - 9.5: a budget that covers everything changes nothing; `energy_mwh` is the exact
//!   integral of the trace's `energy_draw_mw`, which is the draw of operational chips;
//! - 9.3 and D32: a dedicated connection of the only site of a region with no pool is the
//!   same as that power added to the pool.

use buildout::core::dist::Dist;
use buildout::core::ensemble::{simulate, Silent};
use buildout::core::metrics::Series;
use buildout::core::run::{run_with, EventKind, NoTrace, RunObserver, RunRecord, TraceRow, Workspace};
use buildout::core::scenario::Scenario;
use buildout::io::scenario::load_str;
use proptest::prelude::*;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// Hours in a month (MODEL.md 9.5).
const HOURS_PER_MONTH: f64 = 730.5;

fn load(text: &str) -> Scenario {
    match load_str(Path::new("v2.toml"), text) {
        Ok(l) => l.scenario,
        Err(e) => panic!("the test made an invalid scenario:\n{}\n{text}", e.rendered),
    }
}

/// `"YYYY-MM"` of month `m` after 2026-01.
fn date(m: u32) -> String {
    format!("\"{}-{:02}\"", 2026 + m / 12, m % 12 + 1)
}

// ---------------------------------------------------------------------------------------
// 9.1 Shared factors: the times of power-online, site-ready and arrival events.
// ---------------------------------------------------------------------------------------

/// Records when each power addition came online, each site became ready and each
/// delivery arrived, by the item's name.
#[derive(Default)]
struct Times {
    at: HashMap<(u8, String), f64>,
}

impl Times {
    fn get(&self, kind: EventKind, item: &str) -> Option<f64> {
        self.at.get(&(kind as u8, item.to_string())).copied()
    }
}

impl RunObserver for Times {
    const ENABLED: bool = true;
    fn on_event(&mut self, row: &TraceRow<'_>) {
        if matches!(row.kind, EventKind::PowerOnline | EventKind::SiteReady | EventKind::DeliveryArrival) {
            let old = self.at.insert((row.kind as u8, row.item.to_string()), row.time);
            assert!(old.is_none(), "{} {} happened twice", row.kind.name(), row.item);
        }
    }
}

/// A delay distribution as a TOML inline table.
fn dist_table() -> impl Strategy<Value = String> {
    prop_oneof![
        (-5.0f64..5.0, 0.1f64..20.0)
            .prop_map(|(min, w)| format!("{{ dist = \"uniform\", min = {min:?}, max = {:?} }}", min + w)),
        (-5.0f64..5.0, 0.1f64..20.0, 0.0f64..=1.0).prop_map(|(min, w, f)| format!(
            "{{ dist = \"triangular\", min = {min:?}, mode = {:?}, max = {:?} }}",
            min + f * w,
            min + w
        )),
        (-5.0f64..5.0, 0.1f64..20.0, 0.0f64..=1.0).prop_map(|(min, w, f)| format!(
            "{{ dist = \"pert\", min = {min:?}, mode = {:?}, max = {:?} }}",
            min + f * w,
            min + w
        )),
        (-5.0f64..5.0, 0.01f64..3.0)
            .prop_map(|(mean, sd)| format!("{{ dist = \"normal\", mean = {mean:?}, sd = {sd:?} }}")),
        (0.5f64..10.0, 1.05f64..3.0)
            .prop_map(|(median, r)| format!("{{ dist = \"lognormal\", median = {median:?}, p90 = {:?} }}", median * r)),
        (0.2f64..5.0, 1.1f64..8.0)
            .prop_map(|(p5, r)| format!("{{ dist = \"lognormal\", p5 = {p5:?}, p95 = {:?} }}", p5 * r)),
    ]
}

/// Items planned at month 60 (so no delay here reaches back before month 0), with a
/// horizon of 600 months: `power` as (name, loadings) pairs, one site and one zero-chip
/// delivery per entry of `sites` and `deliveries`, every delay `dist`.
fn timing_scenario(dist: &str, power: &[(&str, &str)], sites: &[(&str, &str)], deliveries: &[(&str, &str)]) -> String {
    let mut t = String::from(
        "[scenario]\nname = \"factors\"\nstart = \"2026-01\"\nhorizon = \"2075-12\"\n\n\
         [chips.c]\norigin = \"US\"\npower_kw = 1.0\npflops = 1.0\n\n\
         [[regions]]\nname = \"r\"\n\n[[factors]]\nname = \"f\"\n\n[[factors]]\nname = \"g\"\n\n",
    );
    let planned = date(60);
    for (name, loadings) in power {
        let _ = writeln!(
            t,
            "[[power]]\nname = \"{name}\"\nregion = \"r\"\nmw = 1.0\nonline = {planned}\n\
             delay_months = {dist}\nfactors = {loadings}\n"
        );
    }
    for (name, loadings) in sites {
        let _ = writeln!(
            t,
            "[[sites]]\nname = \"{name}\"\nowner = \"o\"\nregion = \"r\"\nit_mw = 1.0\npue = 1.0\n\
             ready = {planned}\ndelay_months = {dist}\nfactors = {loadings}\n"
        );
    }
    for (name, loadings) in deliveries {
        let _ = writeln!(
            t,
            "[[deliveries]]\nname = \"{name}\"\nchip = \"c\"\ncount = 0\nowner = \"o\"\narrive = {planned}\n\
             delay_months = {dist}\nfactors = {loadings}\n"
        );
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, failure_persistence: None, ..ProptestConfig::default() })]

    /// MODEL.md 9.1: two items with the same distribution and loading 1 on one factor
    /// get equal delays in every run, whatever kind of item they are and whatever else
    /// they draw (a probability draw before the delay, an install lag after it).
    #[test]
    fn loading_one_on_one_factor_gives_equal_delays(dist in dist_table(), seed in any::<u64>()) {
        let one = "{ \"f\" = 1.0 }";
        let text = timing_scenario(&dist, &[("p1", one), ("p2", one)], &[("s1", one)], &[("d1", one)]);
        let s = load(&text);
        let mut ws = Workspace::default();
        for run in 0..20 {
            let mut times = Times::default();
            run_with(&s, seed, run, &mut ws, &mut times);
            let got = [
                times.get(EventKind::PowerOnline, "p1"),
                times.get(EventKind::PowerOnline, "p2"),
                times.get(EventKind::SiteReady, "s1"),
                times.get(EventKind::DeliveryArrival, "d1"),
            ];
            // An event past the horizon is not scheduled (D6): then all four are absent.
            prop_assert!(got.iter().all(|t| *t == got[0]), "run {run}: times {got:?} differ for {dist}");
        }
    }

    /// MODEL.md 9.1: loadings +1 and -1 give F^-1(u) and F^-1(1 - u), so
    /// F(d1) + F(d2) = 1 in every run (F the crate's CDF of the parsed distribution).
    #[test]
    fn loadings_plus_and_minus_one_give_mirrored_quantiles(dist in dist_table(), seed in any::<u64>()) {
        let text = timing_scenario(&dist, &[("up", "{ \"f\" = 1.0 }"), ("down", "{ \"f\" = -1.0 }")], &[], &[]);
        let s = load(&text);
        let law: Dist = s.power()[0].timing.delay_months.clone();
        prop_assert!(!matches!(law, Dist::Fixed(_)));
        // A delay past this is past the horizon: its event is not scheduled.
        let last = f64::from(s.horizon_month()) - 60.0;
        let mut ws = Workspace::default();
        for run in 0..20 {
            let mut times = Times::default();
            run_with(&s, seed, run, &mut ws, &mut times);
            let u = |name: &str| times.get(EventKind::PowerOnline, name).map(|t| law.cdf(t - 60.0));
            match (u("up"), u("down")) {
                (Some(a), Some(b)) => prop_assert!((a + b - 1.0).abs() < 1e-9, "run {run}: F(d1) = {a}, F(d2) = {b} for {dist}"),
                // One delay past the horizon: F of it is at least F(last).
                (Some(a), None) | (None, Some(a)) => prop_assert!(a <= 1.0 - law.cdf(last) + 1e-9, "run {run}: {a} for {dist}"),
                (None, None) => prop_assert!(law.cdf(last) <= 0.5 + 1e-9, "run {run}: both past the horizon for {dist}"),
            }
        }
    }
}

/// The Kolmogorov-Smirnov statistic of `xs` against the CDF `cdf`.
fn ks_statistic(mut xs: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len() as f64;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).max((i + 1) as f64 / n - f)
        })
        .fold(0.0, f64::max)
}

fn phi(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// A CDF written out by hand.
type Cdf = Box<dyn Fn(f64) -> f64>;

/// The five laws of the marginal test with their CDFs written out from docs/model.md
/// section 3 and D4 (the PERT's Beta(2, 4) CDF as its binomial sum).
fn marginal_laws() -> Vec<(&'static str, &'static str, Cdf)> {
    let binom = |n: i32, k: i32| (1..=k).fold(1.0, |acc, i| acc * f64::from(n - k + i) / f64::from(i));
    vec![
        ("uniform", "{ dist = \"uniform\", min = 1, max = 9 }", Box::new(|x: f64| ((x - 1.0) / 8.0).clamp(0.0, 1.0))),
        (
            "triangular",
            "{ dist = \"triangular\", min = -2, mode = 1, max = 8 }",
            Box::new(|x: f64| {
                let (a, c, b) = (-2.0, 1.0, 8.0);
                if x <= a {
                    0.0
                } else if x <= c {
                    (x - a) * (x - a) / ((b - a) * (c - a))
                } else if x < b {
                    1.0 - (b - x) * (b - x) / ((b - a) * (b - c))
                } else {
                    1.0
                }
            }),
        ),
        (
            // alpha = 1 + 4 x 3/12 = 2, beta = 1 + 4 x 9/12 = 4 (D3).
            "pert",
            "{ dist = \"pert\", min = 0, mode = 3, max = 12 }",
            Box::new(move |x: f64| {
                let y = (x / 12.0).clamp(0.0, 1.0);
                (2..=5).map(|j| binom(5, j) * y.powi(j) * (1.0 - y).powi(5 - j)).sum()
            }),
        ),
        ("normal", "{ dist = \"normal\", mean = 2, sd = 3 }", Box::new(|x: f64| phi((x - 2.0) / 3.0))),
        (
            "lognormal",
            "{ dist = \"lognormal\", median = 6, p90 = 18 }",
            Box::new(|x: f64| {
                let (mu, sigma) = (6f64.ln(), 3f64.ln() / 1.281_551_565_544_600_5);
                if x <= 0.0 {
                    0.0
                } else {
                    phi((x.ln() - mu) / sigma)
                }
            }),
        ),
    ]
}

/// MODEL.md 9.1: "the marginal law of each delay is F". One power addition per law
/// loading 0.8 on one factor, and one site per law loading 0.6 and -0.7 on two, over
/// 4,000 runs of a fixed seed (so the test is deterministic): each law's KS statistic
/// is below the 0.1% critical value 1.95 / sqrt(n).
#[test]
fn a_factor_leaves_each_delays_marginal_law_unchanged() {
    let laws = marginal_laws();
    let mut text = timing_scenario("0", &[], &[], &[]);
    for (name, dist, _) in &laws {
        let planned = date(60);
        let _ = writeln!(
            text,
            "[[power]]\nname = \"{name}\"\nregion = \"r\"\nmw = 1.0\nonline = {planned}\n\
             delay_months = {dist}\nfactors = {{ \"f\" = 0.8 }}\n\n\
             [[sites]]\nname = \"{name}\"\nowner = \"o\"\nregion = \"r\"\nit_mw = 1.0\npue = 1.0\n\
             ready = {planned}\ndelay_months = {dist}\nfactors = {{ \"f\" = 0.6, \"g\" = -0.7 }}\n"
        );
    }
    let s = load(&text);
    let n = 4000;
    let mut delays: HashMap<(u8, &str), Vec<f64>> = HashMap::new();
    let mut ws = Workspace::default();
    for run in 0..n {
        let mut times = Times::default();
        run_with(&s, 2024, run, &mut ws, &mut times);
        for (name, _, _) in &laws {
            for kind in [EventKind::PowerOnline, EventKind::SiteReady] {
                // Planned at month 60 with a 600-month horizon: every event is inside.
                let t = times.get(kind, name).unwrap_or_else(|| panic!("run {run}: no {} for {name}", kind.name()));
                delays.entry((kind as u8, *name)).or_default().push(t - 60.0);
            }
        }
    }
    let critical = 1.95 / (n as f64).sqrt();
    for (name, _, cdf) in &laws {
        for kind in [EventKind::PowerOnline, EventKind::SiteReady] {
            let d = ks_statistic(delays.remove(&(kind as u8, *name)).unwrap(), cdf);
            assert!(d < critical, "{name} via {}: KS statistic {d} >= {critical}", kind.name());
        }
    }
}

// ---------------------------------------------------------------------------------------
// Random small v2 scenarios: repairs, blocks, whole lots, prices, loads, PUE draws,
// factors, installed chips, a dedicated connection and (optionally) budget lines.
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct ChipSpec {
    kw: f64,
    pf: f64,
    us: bool,
    fail: f64,
    life: Option<f64>,
    warranty: f64,
    repair: f64,
    price: f64,
    load: f64,
    block: u64,
}

#[derive(Debug, Clone)]
struct PowerSpec {
    region: usize,
    mw: f64,
    online: u32,
    p: f64,
    delay: f64,
    loadings: Option<(f64, f64)>,
}

#[derive(Debug, Clone)]
struct SiteSpec {
    owner: usize,
    region: usize,
    it: f64,
    pue: f64,
    pue_spread: Option<f64>,
    ready: u32,
    delay: f64,
    install: f64,
    loadings: Option<(f64, f64)>,
}

#[derive(Debug, Clone)]
struct DeliverySpec {
    chip: usize,
    count: u64,
    owner: usize,
    site: Option<usize>,
    arrive: u32,
    delay: f64,
    p: f64,
    whole: bool,
    loadings: Option<(f64, f64)>,
    budget: Option<usize>,
}

#[derive(Debug, Clone)]
struct Spec {
    horizon: u32,
    national: bool,
    chips: Vec<ChipSpec>,
    regions: Vec<(f64, Option<f64>)>,
    power: Vec<PowerSpec>,
    sites: Vec<SiteSpec>,
    deliveries: Vec<DeliverySpec>,
    shocks: Vec<(f64, u32, u32, f64, bool, bool)>,
    /// The dedicated site "S" in region "rd" (grid 0, no other site): owner, IT MW, PUE,
    /// ready month; and its connections (MW, online, probability, delay).
    dedicated_site: (usize, f64, f64, u32),
    links: Vec<(f64, u32, f64, f64)>,
    /// A delivery for site S: chip, count, arrival month.
    for_s: (usize, u64, u32),
    /// Chips already installed at the start in site "old": chip, count, months before.
    installed: Option<(usize, u64, u32)>,
    /// Appropriations of the two tight budget lines, as shares of their largest cost.
    budget_shares: [(f64, f64); 2],
}

/// How the budget lines of a rendered spec look.
#[derive(Clone, Copy, PartialEq)]
enum Budgets {
    /// No `[[budgets]]` and no `budget` keys.
    None,
    /// One line with far more money than everything costs, at the start, paying every
    /// delivery (that is not installed).
    Ample,
    /// Two lines that pay the deliveries naming them slowly (a last year after the
    /// horizon makes every delivery affordable for validation).
    Tight,
}

fn loadings() -> impl Strategy<Value = Option<(f64, f64)>> {
    prop::option::of((-1.0f64..=1.0, -1.0f64..=1.0).prop_map(|(a, b)| {
        let norm = (a * a + b * b).sqrt();
        if norm > 0.999 {
            (a * 0.999 / norm, b * 0.999 / norm)
        } else {
            (a, b)
        }
    }))
}

fn spec() -> impl Strategy<Value = Spec> {
    let chip = (
        (0.3f64..3.0, 0.1f64..5.0, any::<bool>(), 0.0f64..0.6, prop::option::of(0.3f64..4.0)),
        (
            prop_oneof![Just(0.0), 0.1f64..4.0],
            prop_oneof![Just(0.0), Just(1.0), 0.1f64..6.0],
            0.0f64..50_000.0,
            0.1f64..=1.0,
            prop_oneof![3 => Just(1u64), 1 => 2u64..9],
        ),
    )
        .prop_map(|((kw, pf, us, fail, life), (warranty, repair, price, load, block))| ChipSpec {
            kw,
            pf,
            us,
            fail,
            life,
            warranty,
            repair,
            price,
            load,
            block,
        });
    let region = (0.0f64..40.0, prop::option::of(20.0f64..200.0));
    let power = (0usize..3, 0.0f64..30.0, 0u32..40, 0.0f64..1.0, 0.5f64..8.0, loadings())
        .prop_map(|(region, mw, online, p, delay, loadings)| PowerSpec { region, mw, online, p, delay, loadings });
    let site = (
        (0usize..2, 0usize..3, 0.0f64..25.0, 1.0f64..2.0, prop::option::of(0.01f64..0.5)),
        (0u32..40, 0.1f64..4.0, 0.0f64..6.0, loadings()),
    )
        .prop_map(|((owner, region, it, pue, pue_spread), (ready, delay, install, loadings))| SiteSpec {
            owner,
            region,
            it,
            pue,
            pue_spread,
            ready,
            delay,
            install,
            loadings,
        });
    let delivery =
        (
            (0usize..3, 0u64..30_000, 0usize..2, prop::option::of(0usize..5), 0u32..40),
            (0.0f64..6.0, 0.0f64..1.0, prop::bool::weighted(0.2), loadings(), prop::option::of(0usize..2)),
        )
            .prop_map(|((chip, count, owner, site, arrive), (delay, p, whole, loadings, budget))| {
                DeliverySpec { chip, count, owner, site, arrive, delay, p, whole, loadings, budget }
            });
    let shock = (0.0f64..1.0, 0u32..40, 0u32..10, 0.1f64..12.0, any::<bool>(), any::<bool>());
    let dedicated_site = (0usize..2, 0.0f64..25.0, 1.0f64..2.0, 0u32..12);
    let for_s = (0usize..3, 0u64..30_000, 0u32..24);
    let link = (prop_oneof![0.0f64..30.0, Just(1e5)], 0u32..40, 0.0f64..=1.0, 0.5f64..8.0);
    let installed = prop::option::of((0usize..3, 0u64..20_000, 0u32..30));
    let shares = [(0.0f64..1.5, 0.0f64..1.5), (0.0f64..1.5, 0.0f64..1.5)];
    (
        (1u32..36, any::<bool>()),
        prop::collection::vec(chip, 1..3),
        prop::collection::vec(region, 1..3),
        prop::collection::vec(power, 0..3),
        prop::collection::vec(site, 1..4),
        prop::collection::vec(delivery, 1..5),
        prop::collection::vec(shock, 0..3),
        (dedicated_site, prop::collection::vec(link, 1..3), for_s, installed, shares),
    )
        .prop_map(
            |(
                (horizon, national),
                chips,
                regions,
                power,
                sites,
                deliveries,
                shocks,
                (dedicated_site, links, for_s, installed, budget_shares),
            )| Spec {
                horizon,
                national,
                chips,
                regions,
                power,
                sites,
                deliveries,
                shocks,
                dedicated_site,
                links,
                for_s,
                installed,
                budget_shares,
            },
        )
}

/// A `factors` line for optional loadings.
fn factors_line(l: &Option<(f64, f64)>) -> String {
    match l {
        Some((a, b)) => format!("factors = {{ \"f\" = {a:?}, \"g\" = {b:?} }}\n"),
        None => String::new(),
    }
}

/// The spec as TOML. `dedicated` = true makes S's connections `site = "S"`, false adds
/// them to region "rd"'s pool instead (the region of S alone).
fn render(spec: &Spec, budgets: Budgets, dedicated: bool) -> String {
    let h = spec.horizon;
    let owners = ["a", "b"];
    let origin = |us: bool| if us { "US" } else { "KR" };
    let mut t = String::new();
    let _ =
        writeln!(t, "[scenario]\nname = \"v2\"\nstart = \"2026-01\"\nhorizon = {}\nhome_origin = \"KR\"\n", date(h));
    let _ = writeln!(t, "[allocation]\nmode = \"{}\"\n", if spec.national { "national" } else { "owner" });
    let _ = writeln!(t, "[[factors]]\nname = \"f\"\n\n[[factors]]\nname = \"g\"\n");
    for (i, c) in spec.chips.iter().enumerate() {
        let _ = writeln!(
            t,
            "[chips.c{i}]\norigin = \"{}\"\npower_kw = {:?}\npflops = {:?}\nfailure_rate = {:?}\n\
             warranty_years = {:?}\nrepair_months = {:?}\nprice_usd = {:?}\naverage_load = {:?}\nblock = {}",
            origin(c.us),
            c.kw,
            c.pf,
            c.fail,
            c.warranty,
            c.repair,
            c.price,
            c.load,
            c.block
        );
        if let Some(l) = c.life {
            let _ = writeln!(t, "life_years = {l:?}");
        }
        t.push('\n');
    }
    for (i, (mw, price)) in spec.regions.iter().enumerate() {
        let _ = writeln!(t, "[[regions]]\nname = \"r{i}\"\ngrid_mw = {mw:?}");
        if let Some(p) = price {
            let _ = writeln!(t, "electricity_usd_per_mwh = {p:?}");
        }
        t.push('\n');
    }
    // The dedicated site's region comes last, so the grid_mw sums add in the same order
    // whether its power is a pool or a connection.
    let _ = writeln!(t, "[[regions]]\nname = \"rd\"\ngrid_mw = 0.0\nelectricity_usd_per_mwh = 80.0\n");
    let nr = spec.regions.len();
    for (i, p) in spec.power.iter().enumerate() {
        let _ = writeln!(
            t,
            "[[power]]\nname = \"p{i}\"\nregion = \"r{}\"\nmw = {:?}\nonline = {}\nprobability = {:?}\n\
             delay_months = {{ dist = \"triangular\", min = -2, mode = 1, max = {:?} }}\n{}",
            p.region % nr,
            p.mw,
            date(p.online),
            p.p,
            1.0 + p.delay,
            factors_line(&p.loadings)
        );
    }
    for (i, &(mw, online, p, delay)) in spec.links.iter().enumerate() {
        let target = if dedicated { "site = \"S\"" } else { "region = \"rd\"" };
        let _ = writeln!(
            t,
            "[[power]]\nname = \"link{i}\"\n{target}\nmw = {mw:?}\nonline = {}\nprobability = {p:?}\n\
             delay_months = {{ dist = \"uniform\", min = 0, max = {delay:?} }}\nfactors = {{ \"f\" = 0.5 }}\n",
            date(online)
        );
    }
    // Sites: S first (so its owner's deliveries try it first), s0.., then "old" (where
    // installed chips are).
    let (d_owner, d_it, d_pue, d_ready) = spec.dedicated_site;
    let _ = writeln!(
        t,
        "[[sites]]\nname = \"S\"\nowner = \"{}\"\nregion = \"rd\"\nit_mw = {d_it:?}\npue = {d_pue:?}\nready = {}\n\
         install_months = 0.5\n",
        owners[d_owner],
        date(d_ready)
    );
    let mut site_owner = vec![d_owner];
    for (i, s) in spec.sites.iter().enumerate() {
        let pue = match s.pue_spread {
            Some(w) => format!("{{ dist = \"uniform\", min = {:?}, max = {:?} }}", s.pue - w, s.pue + w),
            None => format!("{:?}", s.pue),
        };
        let _ = writeln!(
            t,
            "[[sites]]\nname = \"s{i}\"\nowner = \"{}\"\nregion = \"r{}\"\nit_mw = {:?}\npue = {pue}\nready = {}\n\
             delay_months = {{ dist = \"uniform\", min = 0, max = {:?} }}\n\
             install_months = {{ dist = \"pert\", min = 0, mode = {:?}, max = {:?} }}\nprobability = 0.9\n{}",
            owners[s.owner],
            s.region % nr,
            s.it,
            date(s.ready),
            s.delay,
            s.install / 2.0,
            s.install,
            factors_line(&s.loadings)
        );
        site_owner.push(s.owner);
    }
    let site_names: Vec<String> =
        std::iter::once("S".to_string()).chain((0..spec.sites.len()).map(|i| format!("s{i}"))).collect();
    if let Some((chip, count, before)) = spec.installed {
        let c = &spec.chips[chip % spec.chips.len()];
        // The site must hold its installed chips (9.7).
        let it_mw = 12.0;
        let count = count.min((it_mw * 1000.0 * 0.99 / c.kw) as u64);
        let _ = writeln!(
            t,
            "[[sites]]\nname = \"old\"\nowner = \"a\"\nregion = \"r0\"\nit_mw = {it_mw:?}\npue = 1.3\nready = \"2024-01\"\n\n\
             [[deliveries]]\nname = \"running\"\nchip = \"c{}\"\ncount = {count}\nowner = \"a\"\nsite = \"old\"\n\
             installed = \"{}-{:02}\"\n",
            chip % spec.chips.len(),
            2026 - (before / 12 + 1),
            12 - before % 12
        );
    }
    let mut max_cost = [0.0f64; 2];
    for (i, d) in spec.deliveries.iter().enumerate() {
        let chip = d.chip % spec.chips.len();
        let _ = writeln!(
            t,
            "[[deliveries]]\nname = \"d{i}\"\nchip = \"c{chip}\"\ncount = {}\nowner = \"{}\"\narrive = {}\n\
             delay_months = {{ dist = \"lognormal\", median = {:?}, p90 = {:?} }}\nprobability = {:?}\n{}",
            d.count,
            owners[d.owner],
            date(d.arrive),
            d.delay + 0.1,
            d.delay * 2.0 + 0.5,
            d.p,
            factors_line(&d.loadings)
        );
        // A named site must be one of the owner's.
        if let Some(s) = d.site.map(|s| s % site_names.len()).filter(|&s| site_owner[s] == d.owner) {
            let _ = writeln!(t, "site = \"{}\"", site_names[s]);
        }
        if d.whole {
            let _ = writeln!(t, "whole = true");
        }
        match budgets {
            Budgets::None => {}
            Budgets::Ample => {
                let _ = writeln!(t, "budget = \"ample\"");
            }
            Budgets::Tight => {
                if let Some(b) = d.budget {
                    let _ = writeln!(t, "budget = \"m{b}\"");
                    max_cost[b] = max_cost[b].max(d.count as f64 * spec.chips[chip].price);
                }
            }
        }
        t.push('\n');
    }
    let (chip, count, arrive) = spec.for_s;
    let _ = writeln!(
        t,
        "[[deliveries]]\nname = \"for S\"\nchip = \"c{}\"\ncount = {count}\nowner = \"{}\"\nsite = \"S\"\narrive = {}\n\
         delay_months = {{ dist = \"normal\", mean = 1, sd = 2 }}\nfactors = {{ \"g\" = -0.6 }}\n{}",
        chip % spec.chips.len(),
        owners[d_owner],
        date(arrive),
        if budgets == Budgets::Ample { "budget = \"ample\"\n" } else { "" }
    );
    for (i, (p, earliest, span, dur, us, cancel)) in spec.shocks.iter().enumerate() {
        let _ = writeln!(
            t,
            "[[shocks]]\nname = \"k{i}\"\nprobability = {p:?}\nearliest = {}\nlatest = {}\n\
             duration_months = {{ dist = \"uniform\", min = 0, max = {dur:?} }}\norigin = \"{}\"\neffect = \"{}\"\n",
            date((*earliest).min(h)),
            date((earliest + span).min(h)),
            origin(*us),
            if *cancel { "cancel" } else { "postpone" }
        );
    }
    match budgets {
        Budgets::None => {}
        Budgets::Ample => {
            // Far more than every delivery costs (at most 4 x 30,000 x 50,000 USD), there
            // at t = 0 (a year before the start is appropriated at the start), and a
            // token sum later that pays nothing new.
            let _ = writeln!(t, "[[budgets]]\nname = \"ample\"\namounts_usd = {{ 2025 = 1e15, 2027 = 1.0 }}\n");
        }
        Budgets::Tight => {
            for (b, (a0, a1)) in spec.budget_shares.iter().enumerate() {
                let m = max_cost[b];
                let _ = writeln!(
                    t,
                    "[[budgets]]\nname = \"m{b}\"\namounts_usd = {{ 2026 = {:?}, 2027 = {:?}, 2099 = {m:?} }}\n",
                    a0 * m,
                    a1 * m
                );
            }
        }
    }
    t
}

// ---------------------------------------------------------------------------------------
// 9.2 Conservation with repairs.
// ---------------------------------------------------------------------------------------

/// Counts the delivered chips from the trace's arrivals, appropriations and installed
/// lots, and the chips queued for money, and checks after every event that
/// delivered = waiting + installing + operational + repairing + lost and that the
/// queue matches `awaiting_funds`.
struct Ledger<'a> {
    installed: &'a HashMap<String, u64>,
    delivered: u64,
    queued: u64,
    /// (time, delivered) after each event.
    history: Vec<(f64, u64)>,
    repairs_seen: bool,
    first_error: Option<String>,
}

impl RunObserver for Ledger<'_> {
    const ENABLED: bool = true;
    fn on_event(&mut self, row: &TraceRow<'_>) {
        match (row.kind, row.outcome) {
            (EventKind::DeliveryArrival, "arrived" | "arrived (paid)") => self.delivered += row.chips,
            (EventKind::DeliveryArrival, "awaiting funds") => self.queued += row.chips,
            (EventKind::Appropriation, _) => {
                // The chips the money let arrive (D27).
                self.delivered += row.chips;
                self.queued -= row.chips;
            }
            // An installed delivery is delivered whole at t = 0, placed or not (9.7).
            (EventKind::Installed, _) => self.delivered += self.installed[row.item],
            _ => {}
        }
        self.repairs_seen |= row.repairing > 0;
        let held = row.waiting + row.installing + row.operational + row.repairing + row.lost;
        if self.first_error.is_none() && (held != self.delivered || row.awaiting_funds != self.queued) {
            self.first_error = Some(format!(
                "after {} {} at t = {} ({}): delivered {} but waiting {} + installing {} + operational {} + \
                 repairing {} + lost {} = {held}; awaiting_funds {} but {} queued",
                row.kind.name(),
                row.item,
                row.time,
                row.outcome,
                self.delivered,
                row.waiting,
                row.installing,
                row.operational,
                row.repairing,
                row.lost,
                row.awaiting_funds,
                self.queued
            ));
        }
        self.history.push((row.time, self.delivered));
    }
}

fn installed_counts(s: &Scenario) -> HashMap<String, u64> {
    s.deliveries().iter().filter(|d| d.is_installed()).map(|d| (d.timing.stream_key.clone(), d.count)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_500, failure_persistence: None, ..ProptestConfig::default() })]

    /// MODEL.md 9.2: delivered = waiting + installing + operational + repairing + lost
    /// after every event and at every monthly sample, with chips awaiting funds outside
    /// `delivered` (9.5); the trace's count of delivered chips matches the record's.
    #[test]
    fn conservation_holds_with_repairs(spec in spec(), seed in any::<u64>()) {
        let text = render(&spec, Budgets::Tight, true);
        let s = load(&text);
        let installed = installed_counts(&s);
        let ordered = s.ordered_chips() as f64;
        let mut ws = Workspace::default();
        for run in 0..3 {
            let mut ledger = Ledger { installed: &installed, delivered: 0, queued: 0, history: Vec::new(), repairs_seen: false, first_error: None };
            let r = run_with(&s, seed, run, &mut ws, &mut ledger);
            if let Some(e) = ledger.first_error {
                return Err(TestCaseError::fail(format!("run {run}: {e}\n{text}")));
            }
            for m in 0..r.months() {
                let g = |k| r.get(m, k);
                let held = g(Series::Waiting) + g(Series::Installing) + g(Series::Operational) + g(Series::Repairing) + g(Series::Lost);
                prop_assert_eq!(g(Series::Delivered), held, "run {} month {}: conservation\n{}", run, m, text);
                prop_assert!(g(Series::Delivered) + g(Series::AwaitingFunds) + g(Series::Cancelled) <= ordered, "run {run} month {m}: more chips than ordered");
                let traced = ledger.history.iter().rev().find(|(t, _)| *t <= m as f64).map_or(0, |&(_, d)| d);
                prop_assert_eq!(g(Series::Delivered), traced as f64, "run {} month {}: the trace's delivered differs", run, m);
                if g(Series::Repairing) > 0.0 {
                    prop_assert!(ledger.repairs_seen);
                }
            }
        }
    }
}

/// A fixed case where repairs, waits for money and installed chips all happen (asserted),
/// so conservation is seen through all three whatever the random cases above reach.
#[test]
fn conservation_holds_through_repairs_money_and_installed_chips() {
    let text = r#"[scenario]
name = "repairs"
start = "2026-01"
horizon = "2029-12"

[chips.c]
origin = "US"
power_kw = 1.0
pflops = 1.0
failure_rate = 0.4
warranty_years = 2.0
repair_months = 1.5
price_usd = 1000.0
life_years = 3.0

[[regions]]
name = "r"
grid_mw = 100.0

[[sites]]
name = "hall"
owner = "o"
region = "r"
it_mw = 50.0
pue = 1.2
ready = "2025-01"
install_months = { dist = "uniform", min = 0, max = 2 }

[[deliveries]]
name = "running"
chip = "c"
count = 5000
owner = "o"
site = "hall"
installed = "2025-03"

[[deliveries]]
name = "first"
chip = "c"
count = 10000
owner = "o"
arrive = "2026-03"
delay_months = { dist = "uniform", min = 0, max = 3 }
budget = "line"

[[deliveries]]
name = "second"
chip = "c"
count = 10000
owner = "o"
arrive = "2026-06"
budget = "line"

[[budgets]]
name = "line"
amounts_usd = { 2026 = 1.2e7, 2027 = 1.2e7 }
"#;
    let s = load(text);
    let installed = installed_counts(&s);
    let mut ws = Workspace::default();
    let (mut repaired, mut waited) = (false, false);
    for run in 0..50 {
        let mut ledger = Ledger {
            installed: &installed,
            delivered: 0,
            queued: 0,
            history: Vec::new(),
            repairs_seen: false,
            first_error: None,
        };
        let r = run_with(&s, 11, run, &mut ws, &mut ledger);
        assert_eq!(ledger.first_error, None, "run {run}");
        repaired |= ledger.repairs_seen;
        waited |= (0..r.months()).any(|m| r.get(m, Series::AwaitingFunds) > 0.0);
        let h = r.months() - 1;
        // Everything arrives by 2027 and runs at most three years: all were delivered.
        assert_eq!(r.get(h, Series::Delivered), 25_000.0, "run {run}");
    }
    assert!(repaired && waited, "repairs seen {repaired}, money waits seen {waited}");
}

// ---------------------------------------------------------------------------------------
// 9.5 Money that covers everything changes nothing.
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    /// MODEL.md 9.5: a line pays queued deliveries while its balance covers them, and a
    /// paid delivery arrives at that moment; with the money there from t = 0 (before
    /// any arrival: appropriations come before arrivals at equal times) every delivery
    /// arrives when it would without a budget. Every run's record (each series at each
    /// month, and the binding state: never `money`, as nothing ever awaits funds) and
    /// the Monte Carlo statistics are the same as the file's without budget lines.
    #[test]
    fn a_budget_that_covers_everything_changes_nothing(spec in spec(), seed in any::<u64>()) {
        let plain = load(&render(&spec, Budgets::None, true));
        let funded = load(&render(&spec, Budgets::Ample, true));
        prop_assert!(funded.deliveries().iter().all(|d| d.is_installed() || d.budget.is_some()));
        let (mut a, mut b) = (Workspace::default(), Workspace::default());
        for run in 0..4 {
            let x = run_with(&plain, seed, run, &mut a, &mut NoTrace);
            let y = run_with(&funded, seed, run, &mut b, &mut NoTrace);
            if x != y {
                return Err(TestCaseError::fail(format!("run {run}: {}\n{}", first_difference(&x, &y), render(&spec, Budgets::Ample, true))));
            }
        }
        let x = simulate(&plain, seed, 0..16, Some(1), &Silent).map_err(|e| TestCaseError::fail(e.to_string()))?.summarize(&plain);
        let mut y = simulate(&funded, seed, 0..16, Some(1), &Silent).map_err(|e| TestCaseError::fail(e.to_string()))?.summarize(&funded);
        // The budgeted file's sensitivity also ranks inputs against the switch to money
        // (a budget-only output, D47): every output both have must agree.
        for &output in &x.sensitivity.outputs {
            prop_assert_eq!(x.sensitivity.for_output(output), y.sensitivity.for_output(output), "{}", output);
        }
        y.sensitivity = x.sensitivity.clone();
        prop_assert!(x == y, "the statistics differ");
    }
}

/// The first (month, series) where two records differ, for a failure message.
fn first_difference(x: &RunRecord, y: &RunRecord) -> String {
    for m in 0..x.months().min(y.months()) {
        if x.binding[m] != y.binding[m] {
            return format!("month {m}: binding {:?} vs {:?}", x.binding[m], y.binding[m]);
        }
        for &k in Series::ALL {
            if x.get(m, k).to_bits() != y.get(m, k).to_bits() {
                return format!("month {m}: {} {} vs {}", k.name(), x.get(m, k), y.get(m, k));
            }
        }
    }
    format!("{} vs {} months, or an origin share differs", x.months(), y.months())
}

// ---------------------------------------------------------------------------------------
// 9.3 A dedicated connection of a region's only site is that region's pool.
// ---------------------------------------------------------------------------------------

/// The lowest and highest `headroom_mw` of region "rd" (the last region) over a run.
struct PoolWatch {
    lowest: f64,
    highest: f64,
}

impl RunObserver for PoolWatch {
    const ENABLED: bool = true;
    fn on_event(&mut self, row: &TraceRow<'_>) {
        let h = row.region_headroom_mw[row.region_headroom_mw.len() - 1];
        self.lowest = self.lowest.min(h);
        self.highest = self.highest.max(h);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 800, failure_persistence: None, ..ProptestConfig::default() })]

    /// MODEL.md 9.3 and D32. Site S is the only site of region "rd", whose pool is 0 MW.
    /// With its connections as `site = "S"`, S draws only from them (9.3); with the same
    /// additions as `region = "rd"`, S draws from the pool only it uses. Either way S
    /// has the same facility MW at every moment, so the same chips go there, and
    /// `grid_mw` includes the connections (D32). What is equal: every series at every
    /// month of every run (bit for bit: rd is the last region, so the grid sums add in
    /// the same order) and the binding state, hence stranded_by_power too. What is not
    /// (D32): the trace's `headroom_mw:rd`, the pool's headroom only, stays at 0 with
    /// dedicated connections and is the connections' headroom with the pool.
    #[test]
    fn a_dedicated_connection_of_a_regions_only_site_is_its_pool(spec in spec(), seed in any::<u64>()) {
        let dedicated = load(&render(&spec, Budgets::None, true));
        let pooled = load(&render(&spec, Budgets::None, false));
        prop_assert!(dedicated.sites().iter().any(|s| s.dedicated) && !pooled.sites().iter().any(|s| s.dedicated));
        let (mut a, mut b) = (Workspace::default(), Workspace::default());
        for run in 0..4 {
            let mut watch_d = PoolWatch { lowest: f64::INFINITY, highest: f64::NEG_INFINITY };
            let mut watch_p = PoolWatch { lowest: f64::INFINITY, highest: f64::NEG_INFINITY };
            let x = run_with(&dedicated, seed, run, &mut a, &mut watch_d);
            let y = run_with(&pooled, seed, run, &mut b, &mut watch_p);
            if x != y {
                return Err(TestCaseError::fail(format!("run {run}: {}\n{}", first_difference(&x, &y), render(&spec, Budgets::None, true))));
            }
            prop_assert!(watch_d.lowest == 0.0 && watch_d.highest == 0.0, "rd's pool headroom moved with dedicated connections: {} to {}", watch_d.lowest, watch_d.highest);
            prop_assert!(watch_p.lowest >= -1e-6, "rd's pool went below 0: {}", watch_p.lowest);
        }
    }
}

// ---------------------------------------------------------------------------------------
// 9.5 and D28: energy is the integral of the trace's draw.
// ---------------------------------------------------------------------------------------

/// The trace's (time, energy_draw_mw, operational) after each event.
#[derive(Default)]
struct Draws {
    rows: Vec<(f64, f64, u64)>,
}

impl RunObserver for Draws {
    const ENABLED: bool = true;
    fn on_event(&mut self, row: &TraceRow<'_>) {
        self.rows.push((row.time, row.energy_draw_mw, row.operational));
    }
}

/// The integral of a piecewise constant draw (0 before the first event), MWh, at each
/// whole month 0..=horizon.
fn integral_by_month(rows: &[(f64, f64, u64)], horizon: u32) -> Vec<f64> {
    let (mut t, mut draw, mut energy) = (0.0, 0.0, 0.0);
    let mut out = Vec::new();
    let mut next = rows.iter().peekable();
    for m in 0..=horizon {
        let m = f64::from(m);
        while let Some(&&(time, d, _)) = next.peek() {
            if time > m {
                break;
            }
            energy += draw * (time - t) * HOURS_PER_MONTH;
            (t, draw) = (time, d);
            next.next();
        }
        energy += draw * (m - t) * HOURS_PER_MONTH;
        t = m;
        out.push(energy);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// D28: energy_mwh at every month (the horizon included) equals the sum over the
    /// trace's intervals of energy_draw_mw x dt x 730.5, to a relative 1e-9.
    #[test]
    fn energy_is_the_integral_of_the_traced_draw(spec in spec(), seed in any::<u64>()) {
        let text = render(&spec, Budgets::Tight, true);
        let s = load(&text);
        let mut ws = Workspace::default();
        for run in 0..3 {
            let mut draws = Draws::default();
            let r = run_with(&s, seed, run, &mut ws, &mut draws);
            let integral = integral_by_month(&draws.rows, s.horizon_month());
            for (m, &want) in integral.iter().enumerate() {
                let got = r.get(m, Series::EnergyMwh);
                prop_assert!((got - want).abs() <= 1e-9 * want.abs().max(1e-3), "run {run} month {m}: energy_mwh {got}, trace integral {want}\n{text}");
            }
        }
    }

    /// D28 and D25: with one chip type in one site of a fixed PUE, the traced draw after
    /// every event is operational x power_kw x average_load x pue / 1000 MW (installing
    /// and repairing chips hold their slot but draw nothing).
    #[test]
    fn the_traced_draw_is_that_of_the_operational_chips(
        kw in 0.3f64..3.0, load_share in 0.1f64..=1.0, pue in 1.0f64..2.0, fail in 0.0f64..0.6,
        warranty in 0.0f64..3.0, repair in 0.0f64..4.0, grid in 0.0f64..40.0, install in 0.0f64..4.0,
        counts in prop::collection::vec((0u64..20_000, 0u32..24), 1..4), seed in any::<u64>(),
    ) {
        let mut text = format!(
            "[scenario]\nname = \"draw\"\nstart = \"2026-01\"\nhorizon = \"2027-12\"\n\n\
             [chips.c]\norigin = \"US\"\npower_kw = {kw:?}\npflops = 1.0\nfailure_rate = {fail:?}\n\
             warranty_years = {warranty:?}\nrepair_months = {repair:?}\naverage_load = {load_share:?}\n\n\
             [[regions]]\nname = \"r\"\ngrid_mw = {grid:?}\n\n\
             [[sites]]\nname = \"hall\"\nowner = \"o\"\nregion = \"r\"\nit_mw = 30.0\npue = {pue:?}\nready = \"2026-01\"\n\
             install_months = {{ dist = \"uniform\", min = 0, max = {install:?} }}\n\n"
        );
        for (i, (n, m)) in counts.iter().enumerate() {
            let _ = writeln!(text, "[[deliveries]]\nname = \"d{i}\"\nchip = \"c\"\ncount = {n}\nowner = \"o\"\narrive = {}\n", date(*m));
        }
        let s = load(&text);
        let mut ws = Workspace::default();
        for run in 0..3 {
            let mut draws = Draws::default();
            run_with(&s, seed, run, &mut ws, &mut draws);
            for &(time, draw, operational) in &draws.rows {
                let want = operational as f64 * kw * load_share * pue / 1000.0;
                prop_assert!((draw - want).abs() <= 1e-12 * want.max(1e-3), "run {run} t = {time}: draw {draw} MW, {operational} operational chips draw {want}");
            }
        }
    }
}
