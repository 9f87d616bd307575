//! Tables and text for files and the terminal: `summary.csv` and `trace-I.csv`,
//! `by_region.csv` and `by_owner.csv`,
//! `exceedance.csv`, `headline.json`, the console summary (pure render functions returning the text; the
//! caller writes it), and `partial.json`, whose layout is a format of its own defined
//! here and converted from core types, so a changed core struct never changes a file.

pub mod by_scope;
pub mod console;
pub mod csv;
pub mod exceedance;
pub mod headline;
pub mod partial;
pub mod runs;
pub mod sensitivity;
