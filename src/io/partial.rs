//! `partial.json`: the mergeable result of one shard of a Monte Carlo (`run --shard K/M`),
//! read back by `merge`. Versioned; its format is described in docs/cluster.md.

use crate::core::ensemble::Shard;
use crate::core::scenario::Scenario;
use crate::core::stats::Aggregate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file a shard writes into its output folder.
pub const PARTIAL_FILE: &str = "partial.json";
/// The `format` tag of a partial file.
pub const FORMAT: &str = "buildout-partial";
/// Bumped whenever the layout of a partial file changes.
pub const FORMAT_VERSION: u32 = 3;

/// What every partial file starts with; checked before the aggregate is read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialHeader {
    pub format: String,
    pub format_version: u32,
    /// `buildout --version` of the writer: merging across versions is refused.
    pub tool_version: String,
    /// The scenario's name.
    pub scenario: String,
    /// FNV-1a 64 of the validated scenario (see `scenario_hash`), 16 hex digits.
    pub scenario_hash: String,
    /// The scenario file as given to `run`, and its text, so `merge` needs no other file.
    pub scenario_file: String,
    pub scenario_text: String,
    pub seed: u64,
    /// Runs of the whole Monte Carlo (all shards).
    pub runs: u64,
    pub shard: Shard,
    /// Run indices of this shard: [first, end).
    pub run_range: [u64; 2],
}

/// A partial file: the header and the shard's running statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    pub header: PartialHeader,
    pub aggregate: Aggregate,
}

/// Why a partial file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PartialError {
    #[error("{path}: cannot read it: {source} (is this the --out folder of `buildout run --shard K/M`?)")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: not a buildout partial result: {reason}")]
    Format { path: PathBuf, reason: String },
}

/// A stable fingerprint of a validated scenario: FNV-1a 64 over its debug rendering,
/// which lists every field with round-trip float formatting. Two files that validate to
/// the same scenario (comments, key order and spacing aside) share it.
pub fn scenario_hash(scenario: &Scenario) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("{scenario:?}").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The text of a partial file (compact JSON, one line, final newline).
pub fn render_partial(partial: &Partial) -> String {
    let mut text = serde_json::to_string(partial).unwrap_or_default();
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
    serde_json::from_str(&text).map_err(|e| format(e.to_string()))
}
