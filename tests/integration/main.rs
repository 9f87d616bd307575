//! The one integration-test binary: each module tests one promise of the tool.

mod bad_input;
mod determinism;
mod properties;
mod support;
mod tidy;
mod trace;
mod validation_cases;
