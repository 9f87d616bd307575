//! The one integration-test binary: each module tests one promise of the tool.

mod attrition;
mod chart_snapshots;
mod charts;
mod compare_charts;
mod dates;
mod determinism;
mod errors;
mod factor_spread;
mod format_reference;
mod golden;
mod hostile;
mod inheritance;
mod limits;
#[path = "../common/load_property.rs"]
mod load_property;
mod output_safety;
mod per_run;
mod plan_checks;
mod presets;
mod properties;
mod regime_switch;
mod regimes;
mod report_files;
mod scaling;
mod scopes;
mod sensitivity;
mod shards;
mod sketch_error;
mod sources;
mod support;
#[path = "../common/ten_times.rs"]
mod ten_times;
mod tidy;
mod trace;
mod uncertainty;
mod until_stable;
mod v2_properties;
mod validation_cases;
mod whatif;
