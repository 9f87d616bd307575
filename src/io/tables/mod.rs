//! Tables and text for files and the terminal: `summary.csv` and `trace-I.csv`,
//! `headline.json`, and the console summary. Each is a pure render function returning
//! the text; the caller writes it.

pub mod console;
pub mod csv;
pub mod headline;
