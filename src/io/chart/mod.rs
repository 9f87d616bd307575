//! Charts: the five charts of a run, the overlays of `compare` and the `sweep` chart,
//! drawn into PNG or SVG bytes.

mod legacy_compare;
mod legacy_run;

pub use legacy_compare::*;
pub use legacy_run::*;
