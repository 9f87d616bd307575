//! Studies that run several ensembles side by side: `compare` (several scenarios with
//! common random numbers), `sweep` (one key over a list of values) and `sensitivity`'s
//! swing (each uncertain input pinned at its P10 and P90).

pub mod compare;
pub mod sweep;
pub mod swing;
