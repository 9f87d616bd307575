//! The edges around the core: scenario files, writers of CSV and JSON, output folders,
//! progress bars. Each writer is a pure render function plus a thin write.

pub mod assumptions;
pub mod brief;
pub mod chart;
pub mod figures;
pub mod format;
pub mod output;
pub mod page;
pub mod progress;
pub mod scenario;
pub mod sensitivity;
pub mod studies;
pub mod tables;
