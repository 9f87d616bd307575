//! Fuzz target: scenario text -> load and validate -> (if valid) two short runs.
//! Every input must give a scenario or a clean, placed error; nothing may panic.

#![no_main]

use buildout::core::run::run_one;
use buildout::io::scenario_file::load_str;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match load_str(Path::new("f.toml"), text) {
        Ok(loaded) => {
            let s = &loaded.scenario;
            // Keep each input cheap: the engine is fuzzed on small valid scenarios.
            if s.horizon_month() <= 120 && s.ordered_chips() <= 1_000_000 {
                for run in 0..2 {
                    let _ = run_one(s, 7, run);
                }
            }
        }
        Err(e) => {
            for line in e.rendered.lines().filter(|l| l.starts_with("f.toml")) {
                assert!(
                    line.starts_with("f.toml:") || line.starts_with("f.toml: error: "),
                    "badly formed diagnostic: {line}"
                );
            }
            assert!(e.errors >= 1, "a rejection without an error: {}", e.rendered);
        }
    }
});
