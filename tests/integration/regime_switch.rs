//! The regime change (issue 13 part 5, D47): the month the binding constraint first
//! switches from chips to power, in hand-built scenarios whose switch month is derived
//! by hand; no switch without a chips phase; the same figures on 1 and 2 threads.

use crate::support::{load, write, KOREA};
use buildout::core::ensemble::{simulate, Silent};
use buildout::core::metrics::Binding;
use buildout::core::run::{run_one, RunRecord};
use buildout::core::scenario::Scenario;
use buildout::core::stats::{switch_from_chips, Headline};
use buildout::io::brief::{switch_clause, switch_sentence};

/// Nothing uncertain. 1 kW chips at PUE 1.0 in a region with 1.5 MW of grid and a
/// 100 MW site (space never binds). t = months since 2026-01.
/// - t = 1 (2026-02): 1,000 chips arrive, need 1.0 MW, fit: nothing waits, chips bind.
/// - t = 5 (2026-06): 1,000 more arrive; 2.0 MW > 1.5 MW: 500 wait for power, power binds.
/// - t = 8 (2026-09): +5 MW online, the 500 fit: chips bind again to the horizon.
///
/// So the switch from chips to power is at t = 5 (2026-06) in every run, and there is
/// none to space or money.
const CHIPS_THEN_POWER: &str = r#"
[scenario]
name = "chips then power"
start = "2026-01"
horizon = "2026-12"

[chips.c]
origin = "US"
power_kw = 1.0
pflops = 1.0

[[regions]]
name = "r"
grid_mw = 1.5

[[power]]
name = "sub"
region = "r"
mw = 5.0
online = "2026-09"

[[sites]]
name = "S"
owner = "gov"
region = "r"
it_mw = 100.0
pue = 1.0
ready = "2026-01"

[[deliveries]]
name = "first"
chip = "c"
count = 1000
owner = "gov"
arrive = "2026-02"

[[deliveries]]
name = "second"
chip = "c"
count = 1000
owner = "gov"
arrive = "2026-06"
"#;

fn scenario(text: &str, name: &str) -> (tempfile::TempDir, Scenario) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = write(dir.path(), name, text);
    let s = load(&path);
    (dir, s)
}

fn headline(s: &Scenario, runs: u64, threads: usize) -> Headline {
    simulate(s, 3, 0..runs, Some(threads), &Silent).unwrap_or_else(|e| panic!("{e}")).summarize(s).headline
}

fn record(s: &Scenario) -> RunRecord {
    run_one(s, 3, 0)
}

#[test]
fn chips_then_power_switches_at_the_month_derived_by_hand() {
    let (_dir, s) = scenario(CHIPS_THEN_POWER, "chips-then-power.toml");
    let r = record(&s);
    // The states the derivation above expects, month by month.
    use Binding::{Chips, Power};
    assert_eq!(r.binding, [Chips, Chips, Chips, Chips, Chips, Power, Power, Power, Chips, Chips, Chips, Chips]);
    assert_eq!(switch_from_chips(&r, Power), Some(5));
    assert_eq!(switch_from_chips(&r, Binding::Space), None);
    assert_eq!(switch_from_chips(&r, Binding::Money), None);

    let h = headline(&s, 20, 2);
    assert_eq!(h.chips_to_power.all.reached_share, 1.0);
    assert_eq!(h.chips_to_power.all.p10_p50_p90(), [Some(5.0); 3]);
    assert_eq!(h.chips_to_power.among_switched, [Some(5.0); 3]);
    assert_eq!(h.chips_to_space.all.reached_share, 0.0);
    assert_eq!(h.chips_to_space.among_switched, [None; 3]);
    // No budget lines: money never binds.
    assert_eq!(h.chips_to_money.all.reached_share, 0.0);
    assert_eq!(
        switch_sentence(&s, &h),
        "In 100% of runs the binding constraint switches from chips to power, at median 2026-06 \
         (P10 2026-06, P90 2026-06). The months are among the runs that switch."
    );
    assert_eq!(switch_clause(&s, &h), "to power in 100% of runs, at median 2026-06 (P10 2026-06, P90 2026-06)");
}

#[test]
fn a_run_without_a_chips_phase_has_no_switch() {
    // The same with 0.5 MW of grid: the first 1,000 chips already wait for power at
    // t = 1 and power binds until the addition at t = 8, so chips never bind first.
    let text = CHIPS_THEN_POWER.replace("grid_mw = 1.5", "grid_mw = 0.5");
    let (_dir, s) = scenario(&text, "power-first.toml");
    let r = record(&s);
    assert_eq!(r.binding[1..8], [Binding::Power; 7]);
    assert_eq!(switch_from_chips(&r, Binding::Power), None);
    let h = headline(&s, 10, 1);
    assert_eq!(h.chips_to_power.all.reached_share, 0.0);
    assert_eq!(h.chips_to_power.all.p10_p50_p90(), [None; 3]);
    assert_eq!(
        switch_sentence(&s, &h),
        "In no run does the binding constraint switch from chips to another constraint."
    );
    // Before any chip is due "chips" is no phase: a record that is chips, then power
    // before the first delivery, has no switch either.
    let mut early = r.clone();
    early.binding[0] = Binding::Chips;
    assert_eq!(switch_from_chips(&early, Binding::Power), None);
}

#[test]
fn the_switch_figures_do_not_depend_on_the_thread_count() {
    let s = load(std::path::Path::new(KOREA));
    let (one, two) = (headline(&s, 300, 1), headline(&s, 300, 2));
    assert_eq!(one.chips_to_power, two.chips_to_power);
    assert_eq!(one.chips_to_space, two.chips_to_space);
    assert_eq!(one.chips_to_money, two.chips_to_money);
    assert_eq!(one.ci95.chips_to_power, two.ci95.chips_to_power);
    // The reference scenario does switch to power in some runs, so the check has teeth.
    assert!(one.chips_to_power.all.reached_share > 0.0);
}
