//! `partial.json`: the mergeable result of one shard of a Monte Carlo (`run --shard K/M`),
//! read back by `merge`. Versioned; its format is described in docs/cluster.md and
//! declared here by its own types (`AggregateFile`, `SketchFile`, ...), converted from
//! and to the core's plain parts (`Aggregate::parts`, `Aggregate::from_parts`), so a
//! change to a core struct cannot change the file.

use crate::core::ensemble::Shard;
use crate::core::hash::{fnv1a64, FNV_OFFSET_BASIS};
use crate::core::scenario::Scenario;
use crate::core::scope::ScopeParts;
use crate::core::sensitivity::RankSample;
use crate::core::sketch::{Buckets, SketchParts};
use crate::core::stats::{Aggregate, AggregateParts};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file a shard writes into its output folder.
pub const PARTIAL_FILE: &str = "partial.json";
/// The `format` tag of a partial file.
pub const FORMAT: &str = "buildout-partial";
/// Bumped whenever the layout of a partial file changes.
pub const FORMAT_VERSION: u32 = 7;

/// What every partial file starts with; checked before the aggregate is read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialHeader {
    /// Always `FORMAT`.
    pub format: String,
    /// `FORMAT_VERSION` of the writer.
    pub format_version: u32,
    /// `buildout --version` of the writer: merging across versions is refused.
    pub tool_version: String,
    /// The scenario's name.
    pub scenario: String,
    /// FNV-1a 64 of the validated scenario (see `scenario_hash`), 16 hex digits.
    pub scenario_hash: String,
    /// The scenario file as given to `run`.
    pub scenario_file: String,
    /// The resolved scenario as TOML (`extends` applied), so `merge` needs no other file.
    pub scenario_text: String,
    /// The master seed.
    pub seed: u64,
    /// Runs of the whole Monte Carlo (all shards).
    pub runs: u64,
    /// Which shard this is; written as `{"index": K, "count": M}`.
    #[serde(with = "shard_file")]
    pub shard: Shard,
    /// Run indices of this shard: [first, end).
    pub run_range: [u64; 2],
}

/// A partial file: the header and the shard's running statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct Partial {
    /// Who wrote it, for which scenario, seed and runs.
    pub header: PartialHeader,
    /// The shard's running statistics.
    pub aggregate: Aggregate,
}

/// The whole file as written: the header, then the aggregate.
#[derive(Serialize, Deserialize)]
struct PartialFile {
    header: PartialHeader,
    aggregate: AggregateFile,
}

/// `aggregate`: a shard's running statistics (`core::stats::Aggregate`). Field order is
/// the file's order.
#[derive(Serialize, Deserialize)]
struct AggregateFile {
    runs: u64,
    months: usize,
    series: usize,
    /// One sketch per (month, series), month-major: `cells[m * series + s]`.
    cells: Vec<SketchFile>,
    /// Per month, runs in each binding state (chips, power, space, money).
    binding: Vec<Vec<u64>>,
    month_50pct: SketchFile,
    month_90pct: SketchFile,
    power_first_binds: SketchFile,
    stranded_chip_months: SketchFile,
    stranded_capital_usd_months: SketchFile,
    energy_twh_last_12_months: SketchFile,
    electricity_usd_last_12_months: SketchFile,
    usd_per_pflops_year: SketchFile,
    /// The month the binding constraint first switches from chips to power, space,
    /// money (format 7; D47).
    chips_to_power: SketchFile,
    chips_to_space: SketchFile,
    chips_to_money: SketchFile,
    target_met: u64,
    /// Per month, runs with at least the target's chips operational (format 6; empty
    /// without a target).
    target_met_by_month: Vec<u64>,
    /// Runs limited by each constraint (chips, power, space, money).
    limited_by: [u64; 4],
    /// The sensitivity sample (format 7, D40): values per row, then one row per run
    /// among the first 50,000, in run order.
    sensitivity_width: usize,
    sensitivity_rows: Vec<RankRowFile>,
    /// Per region and owner (format 7, D50-D53).
    scope: ScopeFile,
}

/// `scope`: the per-region and per-owner statistics (`core::scope::ScopeAggregate`).
#[derive(Serialize, Deserialize)]
struct ScopeFile {
    /// Regions recorded (0 for a one-region scenario).
    regions: usize,
    /// Owners recorded (0 for a one-owner scenario).
    owners: usize,
    /// One sketch per (month, scoped value), month-major.
    cells: Vec<SketchFile>,
    /// Per (month, region), runs in each binding state (chips, power, space, money).
    binding: Vec<Vec<u64>>,
}

/// One row of the sensitivity sample: the run index and its values, written as the
/// shortest decimals that read back as the same f32 (`inf` for a month never
/// reached), separated by spaces.
#[derive(Serialize, Deserialize)]
struct RankRowFile(u64, String);

/// One quantity's sketch (`core::sketch::Sketch`).
#[derive(Serialize, Deserialize)]
struct SketchFile {
    count: u64,
    finite_count: u64,
    sum: SumFile,
    /// Values not yet sorted in (they are not in `sum`), in any order.
    #[serde(with = "json_floats")]
    pending: Vec<f64>,
    /// `[value, count]`, values strictly ascending, while the sketch is exact.
    #[serde(with = "json_float_counts")]
    exact: Vec<(f64, u64)>,
    buckets: Option<BucketsFile>,
}

/// An exact sum: floats whose exact sum is the sum, in canonical form (the greedy
/// expansion, smallest first; see `core::exact_sum::ExactSum::canonical_partials`).
#[derive(Serialize, Deserialize)]
struct SumFile {
    partials: Vec<f64>,
}

/// A sketch's log buckets: `[bucket, count]` pairs, buckets strictly ascending.
#[derive(Serialize, Deserialize)]
struct BucketsFile {
    negative_infinite: u64,
    negative: Vec<(i32, u64)>,
    zeros: u64,
    positive: Vec<(i32, u64)>,
    positive_infinite: u64,
}

impl AggregateFile {
    fn of(aggregate: &Aggregate) -> AggregateFile {
        let p = aggregate.parts();
        // The file names each per-run sketch (`PerRun::ALL` order).
        let [month_50pct, month_90pct, power_first_binds, stranded_chip_months, stranded_capital_usd_months, energy_twh_last_12_months, electricity_usd_last_12_months, usd_per_pflops_year, chips_to_power, chips_to_space, chips_to_money] =
            p.per_run.map(SketchFile::of);
        AggregateFile {
            month_50pct,
            month_90pct,
            power_first_binds,
            stranded_chip_months,
            stranded_capital_usd_months,
            energy_twh_last_12_months,
            electricity_usd_last_12_months,
            usd_per_pflops_year,
            chips_to_power,
            chips_to_space,
            chips_to_money,
            runs: p.runs,
            months: p.months,
            series: p.series,
            cells: p.cells.into_iter().map(SketchFile::of).collect(),
            binding: p.binding,
            target_met: p.target_met,
            target_met_by_month: p.target_met_by_month,
            limited_by: p.limited_by,
            sensitivity_width: p.ranks.width,
            sensitivity_rows: rank_rows(&p.ranks),
            scope: ScopeFile {
                regions: p.scope.regions,
                owners: p.scope.owners,
                cells: p.scope.cells.into_iter().map(SketchFile::of).collect(),
                binding: p.scope.binding,
            },
        }
    }

    fn parts(self) -> Result<AggregateParts, String> {
        let ranks = rank_sample(self.sensitivity_width, &self.sensitivity_rows)?;
        Ok(AggregateParts {
            runs: self.runs,
            months: self.months,
            series: self.series,
            cells: self.cells.into_iter().map(SketchFile::parts).collect(),
            binding: self.binding,
            per_run: [
                self.month_50pct,
                self.month_90pct,
                self.power_first_binds,
                self.stranded_chip_months,
                self.stranded_capital_usd_months,
                self.energy_twh_last_12_months,
                self.electricity_usd_last_12_months,
                self.usd_per_pflops_year,
                self.chips_to_power,
                self.chips_to_space,
                self.chips_to_money,
            ]
            .map(SketchFile::parts),
            target_met: self.target_met,
            target_met_by_month: self.target_met_by_month,
            limited_by: self.limited_by,
            ranks,
            scope: ScopeParts {
                regions: self.scope.regions,
                owners: self.scope.owners,
                cells: self.scope.cells.into_iter().map(SketchFile::parts).collect(),
                binding: self.scope.binding,
            },
        })
    }
}

/// The sample's rows as the file writes them.
fn rank_rows(sample: &RankSample) -> Vec<RankRowFile> {
    let width = sample.width.max(1);
    sample
        .runs
        .iter()
        .zip(sample.values.chunks(width))
        .map(|(&run, row)| RankRowFile(run, row.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" ")))
        .collect()
}

/// The sample the rows describe; an error names the first row that is not `width`
/// numbers.
fn rank_sample(width: usize, rows: &[RankRowFile]) -> Result<RankSample, String> {
    let mut sample = RankSample { width, runs: Vec::with_capacity(rows.len()), values: Vec::new() };
    for RankRowFile(run, text) in rows {
        let before = sample.values.len();
        for word in text.split_ascii_whitespace() {
            let value: f32 =
                word.parse().map_err(|_| format!("sensitivity row of run {run}: {word:?} is not a number"))?;
            sample.values.push(value);
        }
        if sample.values.len() - before != width {
            return Err(format!(
                "sensitivity row of run {run} has {} values, not {width}",
                sample.values.len() - before
            ));
        }
        sample.runs.push(*run);
    }
    Ok(sample)
}

impl SketchFile {
    fn of(p: SketchParts) -> SketchFile {
        SketchFile {
            count: p.count,
            finite_count: p.finite_count,
            sum: SumFile { partials: p.sum },
            pending: p.pending,
            exact: p.exact,
            buckets: p.buckets.map(|b| BucketsFile {
                negative_infinite: b.negative_infinite,
                negative: b.negative,
                zeros: b.zeros,
                positive: b.positive,
                positive_infinite: b.positive_infinite,
            }),
        }
    }

    fn parts(self) -> SketchParts {
        SketchParts {
            count: self.count,
            finite_count: self.finite_count,
            sum: self.sum.partials,
            pending: self.pending,
            exact: self.exact,
            buckets: self.buckets.map(|b| Buckets {
                negative_infinite: b.negative_infinite,
                negative: b.negative,
                zeros: b.zeros,
                positive: b.positive,
                positive_infinite: b.positive_infinite,
            }),
        }
    }
}

/// Why a partial file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PartialError {
    /// The file could not be read.
    #[error("{path}: cannot read it: {source} (is this the --out folder of `buildout run --shard K/M`?)")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a partial of this format, or its statistics are inconsistent.
    #[error("{path}: not a buildout partial result: {reason}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}

/// A stable fingerprint of a validated scenario: FNV-1a 64 over its debug rendering,
/// which lists every field with round-trip float formatting. Two files that validate to
/// the same scenario (comments, key order and spacing aside) share it.
pub fn scenario_hash(scenario: &Scenario) -> String {
    format!("{:016x}", fnv1a64(FNV_OFFSET_BASIS, format!("{scenario:?}").as_bytes()))
}

/// The text of a partial file (compact JSON, one line, final newline).
pub fn render_partial(partial: &Partial) -> String {
    let file = PartialFile { header: partial.header.clone(), aggregate: AggregateFile::of(&partial.aggregate) };
    let mut text = serde_json::to_string(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads `DIR/partial.json`, checking format and version before the aggregate.
pub fn read_partial(dir: &Path) -> Result<Partial, PartialError> {
    let path = dir.join(PARTIAL_FILE);
    let text = std::fs::read_to_string(&path).map_err(|source| PartialError::Read { path: path.clone(), source })?;
    let format = |reason: String| PartialError::Format { path: path.clone(), reason };
    #[derive(Deserialize)]
    struct HeaderOnly {
        header: PartialHeader,
    }
    let header = serde_json::from_str::<HeaderOnly>(&text).map_err(|e| format(e.to_string()))?.header;
    if header.format != FORMAT || header.format_version != FORMAT_VERSION {
        return Err(format(format!(
            "format {:?} version {}, this buildout reads {FORMAT:?} version {FORMAT_VERSION}",
            header.format, header.format_version
        )));
    }
    let file: PartialFile = serde_json::from_str(&text).map_err(|e| format(e.to_string()))?;
    let parts = file.aggregate.parts().map_err(format)?;
    let aggregate = Aggregate::from_parts(parts).map_err(|e| format(e.to_string()))?;
    Ok(Partial { header: file.header, aggregate })
}

/// `shard` as `{"index": K, "count": M}`.
mod shard_file {
    use crate::core::ensemble::Shard;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct ShardFile {
        index: u64,
        count: u64,
    }

    pub fn serialize<S: Serializer>(shard: &Shard, s: S) -> Result<S::Ok, S::Error> {
        ShardFile { index: shard.index, count: shard.count }.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Shard, D::Error> {
        let f = ShardFile::deserialize(d)?;
        Ok(Shard { index: f.index, count: f.count })
    }
}

/// JSON has no infinities: finite values are numbers, the others the strings "inf",
/// "-inf" and "nan". serde_json's `float_roundtrip` makes numbers read back bit for bit.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum JsonFloat {
    Number(f64),
    Text(String),
}

impl JsonFloat {
    fn of(v: f64) -> JsonFloat {
        if v.is_finite() {
            JsonFloat::Number(v)
        } else if v.is_nan() {
            JsonFloat::Text("nan".into())
        } else if v > 0.0 {
            JsonFloat::Text("inf".into())
        } else {
            JsonFloat::Text("-inf".into())
        }
    }

    fn value<E: serde::de::Error>(self) -> Result<f64, E> {
        match self {
            JsonFloat::Number(v) => Ok(v),
            JsonFloat::Text(t) => match t.as_str() {
                "inf" => Ok(f64::INFINITY),
                "-inf" => Ok(f64::NEG_INFINITY),
                "nan" => Ok(f64::NAN),
                other => Err(E::custom(format!("expected a number, \"inf\", \"-inf\" or \"nan\", found {other:?}"))),
            },
        }
    }
}

mod json_floats {
    use super::JsonFloat;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(values: &[f64], s: S) -> Result<S::Ok, S::Error> {
        values.iter().map(|&v| JsonFloat::of(v)).collect::<Vec<_>>().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Vec::<JsonFloat>::deserialize(d)?.into_iter().map(JsonFloat::value).collect()
    }
}

mod json_float_counts {
    use super::JsonFloat;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(values: &[(f64, u64)], s: S) -> Result<S::Ok, S::Error> {
        values.iter().map(|&(v, c)| (JsonFloat::of(v), c)).collect::<Vec<_>>().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(f64, u64)>, D::Error> {
        Vec::<(JsonFloat, u64)>::deserialize(d)?.into_iter().map(|(v, c)| Ok((v.value()?, c))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::sketch::{PartsError, Sketch};

    fn round_trip(sketch: &Sketch) -> Result<Sketch, String> {
        let text = serde_json::to_string(&SketchFile::of(sketch.parts())).map_err(|e| e.to_string())?;
        let file: SketchFile = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        Sketch::from_parts(file.parts()).map_err(|e| e.to_string())
    }

    #[test]
    fn a_sketch_reads_back_as_it_was_written() {
        let mut flushed = Sketch::default();
        let mut pending = Sketch::default();
        for v in [3.5, -0.0, 1e-300, f64::INFINITY, 0.1, 0.1, 7.0, f64::NEG_INFINITY] {
            flushed.add(v);
            pending.add(v);
        }
        flushed.flush();
        for sketch in [flushed, pending] {
            let back = round_trip(&sketch);
            assert_eq!(back.as_ref().map(Sketch::parts), Ok(sketch.parts()));
            for q in [0.0, 30.0, 50.0, 100.0] {
                assert_eq!(back.as_ref().map(|b| b.percentile(q)), Ok(sketch.percentile(q)));
            }
            assert_eq!(back.map(|b| b.mean().to_bits()), Ok(sketch.mean().to_bits()));
        }
    }

    #[test]
    fn inconsistent_sketches_are_refused() {
        let mut s = Sketch::default();
        [1.0, 2.0, 3.0].iter().for_each(|&v| s.add(v));
        s.flush();
        let mut miscounted = s.parts();
        miscounted.count = 4;
        assert_eq!(Sketch::from_parts(miscounted), Err(PartsError::CountMismatch { count: 4, held: 3 }));
        let mut unsorted = s.parts();
        unsorted.exact.swap(0, 2);
        assert_eq!(Sketch::from_parts(unsorted), Err(PartsError::OutOfOrder));
        let mut finite = s.parts();
        finite.finite_count = 9;
        assert_eq!(Sketch::from_parts(finite), Err(PartsError::FiniteOverCount { finite: 9, count: 3 }));
    }
}
