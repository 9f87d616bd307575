//! The one integration-test binary: each module tests one feature through the public API
//! or the built binary.

mod inheritance;
