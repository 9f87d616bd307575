//! Studies that run several ensembles side by side: `compare` (several scenarios with
//! common random numbers) and `sweep` (one key over a list of values).

pub mod compare;
pub mod sweep;
