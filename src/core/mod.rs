//! The pure core: scenario types and validation, distributions, the event queue, one
//! run's state machine and Monte Carlo statistics. No files, terminals, TOML, charts or
//! progress bars here (the tidy test checks it).

pub mod date;
pub mod dist;
pub mod ensemble;
pub mod event;
pub mod exact_sum;
pub mod exceedance;
pub mod hash;
pub mod headline;
pub mod metrics;
pub mod quantile;
pub mod rng;
pub mod run;
pub mod run_row;
pub mod scenario;
pub mod scope;
pub mod sensitivity;
pub mod sketch;
pub mod spec;
pub mod stable;
pub mod stats;
pub mod swing;
pub mod uncertainty;
pub mod units;
pub mod validate;
