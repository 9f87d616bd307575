//! The edges around the core: scenario files, writers of CSV and JSON, output folders,
//! progress bars. Each writer is a pure render function plus a thin write.

pub mod brief;
pub mod charts;
pub mod compare;
pub mod compare_charts;
pub mod csv;
pub mod format;
pub mod json;
pub mod output;
pub mod partial;
pub mod progress;
pub mod report;
pub mod scenario;
pub mod sweep;
