//! `runs.csv` (`run --per-run`, D39): one row per run, its drawn inputs and headline
//! outputs. Rows are formatted by the Monte Carlo's workers and streamed to the file in
//! run order (`core::ensemble::RunSink`), so memory does not grow with the runs; `merge`
//! concatenates the shards' tables in run order.

use crate::core::ensemble::RunSink;
use crate::core::run::RunRecord;
use crate::core::run_row::{RunOutputs, RunsLayout};
use crate::core::scenario::Scenario;
use crate::io::format::number;
use crate::io::tables::csv::csv_field;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

/// The per-run table's file name.
pub const RUNS_FILE: &str = "runs.csv";

/// The header line of `scenario`'s per-run table, with its line break.
pub fn runs_header(layout: &RunsLayout) -> String {
    let names: Vec<String> = layout.column_names().iter().map(|n| csv_field(n)).collect();
    format!("{}\n", names.join(","))
}

/// A cell that may be missing: the number, or nothing.
fn optional(out: &mut String, x: Option<f64>) {
    out.push(',');
    if let Some(x) = x.filter(|x| x.is_finite()) {
        out.push_str(&number(x));
    }
}

/// Appends one run's row (with its line break) to `out`.
pub fn write_row(out: &mut String, layout: &RunsLayout, run: u64, inputs: &[f64], o: &RunOutputs) {
    debug_assert_eq!(inputs.len(), layout.inputs.len(), "the engine drew other inputs than the layout lists");
    let _ = write!(out, "{run}");
    for &x in inputs {
        let _ = write!(out, ",{}", number(x));
    }
    let _ = write!(out, ",{},{}", number(o.operational), number(o.compute_pflops));
    optional(out, o.month_50pct.map(|m| m as f64));
    optional(out, o.month_90pct.map(|m| m as f64));
    let [power, space, money] = o.chips_to.map(|m| m.map(|m| m as f64));
    optional(out, power);
    optional(out, space);
    if layout.money {
        optional(out, money);
    }
    if layout.target {
        out.push_str(if o.target_met == Some(true) { ",1" } else { ",0" });
    }
    let _ = write!(out, ",{},{}", number(o.stranded_chip_months), number(o.energy_twh_last_12_months));
    if layout.capex {
        let _ = write!(out, ",{}", number(o.capex_usd_at_horizon));
    }
    if layout.usd_per_pflops {
        optional(out, Some(o.usd_per_pflops_year));
    }
    let _ = writeln!(out, ",{}", o.limited_by.label());
}

/// Streams `runs.csv` into a file as the Monte Carlo hands it the runs.
pub struct RunsWriter<'a> {
    scenario: &'a Scenario,
    layout: RunsLayout,
    file: Mutex<BufWriter<File>>,
    path: String,
}

impl<'a> RunsWriter<'a> {
    /// Creates `path` and writes the header.
    pub fn create(scenario: &'a Scenario, path: &Path) -> std::io::Result<RunsWriter<'a>> {
        let layout = RunsLayout::of(scenario);
        let mut file = BufWriter::with_capacity(1 << 20, File::create(path)?);
        file.write_all(runs_header(&layout).as_bytes())?;
        Ok(RunsWriter { scenario, layout, file: Mutex::new(file), path: path.display().to_string() })
    }

    /// Flushes the file.
    pub fn finish(self) -> std::io::Result<()> {
        self.file.into_inner().unwrap_or_else(|e| e.into_inner()).flush()
    }
}

impl RunSink for RunsWriter<'_> {
    type Chunk = String;

    fn new_chunk(&self) -> String {
        String::new()
    }

    fn add_run(&self, chunk: &mut String, run: u64, inputs: &[f64], record: &RunRecord) {
        write_row(chunk, &self.layout, run, inputs, &RunOutputs::of(self.scenario, record));
    }

    fn write_chunk(&self, chunk: String) -> Result<(), String> {
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(chunk.as_bytes()).map_err(|e| format!("{}: {e}", self.path))
    }
}

/// Concatenates shards' `runs.csv` files (given in run order, each with `rows` rows)
/// into `dest`: the header once, then every shard's rows. Fails, saying why, when a
/// header differs from the first or a file holds another number of rows.
pub fn concat_runs(parts: &[(&Path, u64)], dest: &Path) -> Result<(), String> {
    let io = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
    let mut out = BufWriter::with_capacity(1 << 20, File::create(dest).map_err(|e| io(dest, e))?);
    let mut first_header: Option<String> = None;
    let mut line = String::new();
    for &(path, rows) in parts {
        let mut reader = BufReader::with_capacity(1 << 20, File::open(path).map_err(|e| io(path, e))?);
        line.clear();
        reader.read_line(&mut line).map_err(|e| io(path, e))?;
        match &first_header {
            None => {
                out.write_all(line.as_bytes()).map_err(|e| io(dest, e))?;
                first_header = Some(line.clone());
            }
            Some(h) if *h != line => {
                return Err(format!("{}: its columns differ from the first shard's", path.display()))
            }
            Some(_) => {}
        }
        let mut count = 0u64;
        loop {
            line.clear();
            if reader.read_line(&mut line).map_err(|e| io(path, e))? == 0 {
                break;
            }
            out.write_all(line.as_bytes()).map_err(|e| io(dest, e))?;
            count += 1;
        }
        if count != rows {
            return Err(format!("{}: {count} rows, but the shard holds {rows} runs", path.display()));
        }
    }
    out.flush().map_err(|e| io(dest, e))
}
