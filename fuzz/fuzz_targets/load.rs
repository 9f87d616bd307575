//! Fuzz target: scenario text -> load and validate -> (if valid) two short runs.
//! Every input must give a scenario or a clean, placed error; nothing may panic.

#![no_main]

#[path = "../../tests/common/load_property.rs"]
mod load_property;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    load_property::check_load("f.toml", text, 7, 1_000_000);
});
