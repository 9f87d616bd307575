//! buildout: when will the AI chips a country bought actually run, what holds them back,
//! and how dependent on foreign suppliers will it be?
//!
//! A scenario file declares chip deliveries, grid power and data-centre timelines with
//! their uncertainty; the engine runs thousands of futures and writes capacity, power,
//! binding-constraint and dependency statistics.
//!
//! - [`core`]: the pure model (validation, one run, Monte Carlo statistics).
//! - [`io`]: the edges (scenario files, CSV/JSON writers, progress, output folders).
//! - [`app`]: where core and edges meet; [`cli`]: the command line.

#![warn(missing_docs)]

pub mod app;
pub mod cli;
pub mod core;
pub mod error;
pub mod io;
