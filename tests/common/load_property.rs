//! The loader property, shared by the fuzz target (`fuzz/fuzz_targets/load.rs`) and the
//! hostile-input tests: any text either loads, and then two short runs do not panic, or
//! is rejected with at least one error whose every diagnostic line is placed
//! (`FILE:LINE:COL: ...`) or concerns the whole file.

use buildout::core::run::run_one;
use buildout::io::scenario::load_str;
use std::path::Path;

/// Diagnostics that concern the whole file, not a place in it.
pub const WHOLE_FILE: [&str; 3] = ["has no [scenario] table", "items; at most", "chips in all; at most"];

/// Checks the property for `text` loaded as file `label`; valid scenarios up to 120
/// months and `max_ordered_chips` chips also run twice with `seed`. Panics on a violation.
pub fn check_load(label: &str, text: &str, seed: u64, max_ordered_chips: u64) {
    match load_str(Path::new(label), text) {
        Ok(loaded) => {
            let s = &loaded.scenario;
            // Keep each input cheap: the engine is checked on small valid scenarios.
            if s.horizon_month() <= 120 && s.ordered_chips() <= max_ordered_chips {
                for run in 0..2 {
                    let _ = run_one(s, seed, run);
                }
            }
        }
        Err(e) => {
            assert!(e.errors >= 1, "a rejection without an error:\n{}", e.rendered);
            let heads: Vec<&str> = e.rendered.lines().filter(|l| l.starts_with(label)).collect();
            assert!(!heads.is_empty(), "no diagnostic line:\n{}", e.rendered);
            for line in heads {
                let placed = line
                    .strip_prefix(label)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .and_then(|rest| rest.split_once(": "))
                    .is_some_and(|(pos, _)| {
                        let mut it = pos.split(':');
                        let ok = |p: Option<&str>| p.is_some_and(|p| p.parse::<usize>().is_ok_and(|n| n >= 1));
                        ok(it.next()) && ok(it.next()) && it.next().is_none()
                    });
                let whole = line.starts_with(&format!("{label}: ")) && WHOLE_FILE.iter().any(|w| line.contains(w));
                assert!(placed || whole, "a diagnostic without line:col:\n{line}\nin\n{}", e.rendered);
            }
        }
    }
}
