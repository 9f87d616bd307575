//! The one integration test binary: each module covers one area of the command line.

mod errors;
mod hostile;
mod limits;
mod output_safety;
mod properties;
mod support;
