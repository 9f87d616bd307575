//! Work grows linearly with the size of a scenario (issue 5): ten copies of korea-260k
//! handle at most about ten times the events, attrition draws and allocation look-ups
//! of one, run for run. These are counts, not timings, so they hold on any machine; the
//! time per run is measured by the bench (`cargo bench --bench engine`).

use crate::support::{load, KOREA};
use crate::ten_times::ten_times;
use buildout::core::run::{run_into, NoTrace, RunRecord, Workspace};
use buildout::io::scenario::load_str;
use std::path::Path;

/// (events, attrition draws, deliveries examined) summed over runs 0..20.
fn work(scenario: &buildout::core::scenario::Scenario) -> [u64; 3] {
    let mut ws = Workspace::default();
    ws.record_attrition_draws(true);
    let mut record = RunRecord::empty();
    let mut total = [0; 3];
    for run in 0..20 {
        run_into(scenario, 42, run, &mut ws, &mut NoTrace, &mut record);
        total[0] += ws.events_handled();
        total[1] += ws.attrition_draws().len() as u64;
        total[2] += ws.deliveries_examined();
    }
    total
}

#[test]
fn ten_times_the_items_is_at_most_about_ten_times_the_work() {
    let one = load(Path::new(KOREA));
    let text = std::fs::read_to_string(KOREA).unwrap_or_default();
    let ten = match load_str(Path::new("ten.toml"), &ten_times(&text)) {
        Ok(l) => l.scenario,
        Err(e) => panic!("the 10x scenario does not load:\n{e}"),
    };
    assert_eq!(ten.deliveries().len(), 10 * one.deliveries().len());
    let (a, b) = (work(&one), work(&ten));
    for (what, x, y) in [("events", a[0], b[0]), ("attrition draws", a[1], b[1]), ("deliveries examined", a[2], b[2])] {
        let ratio = y as f64 / x as f64;
        eprintln!("{what}: {x} vs {y} ({ratio:.2}x)");
        assert!(x > 0, "korea-260k has no {what}");
        // Each copy draws its own delays, so a copy's work varies around the original's.
        assert!(ratio <= 11.0, "{what}: {ratio:.2}x for 10x the items");
    }
}
