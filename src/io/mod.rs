//! The edges around the core: scenario files, writers of CSV and JSON, output folders,
//! progress bars. Each writer is a pure render function plus a thin write.

pub mod brief;
pub mod charts;
pub mod compare;
pub mod compare_charts;
pub mod csv;
pub mod format;
pub mod inherit;
pub mod json;
pub mod output;
pub mod progress;
pub mod report;
pub mod scenario_file;
pub mod sweep;
pub mod tables;
