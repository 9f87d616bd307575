//! `buildout merge`: checks that partial results are the shards of one Monte Carlo, then
//! writes what one machine would have written.

use super::run::{file_name_of, write_outputs, OutputFiles, RunOutcome};
use super::Timings;
use crate::cli::MergeArgs;
use crate::core::ensemble::Shard;
use crate::core::stats::Aggregate;
use crate::error::AppError;
use crate::io::output::StagedDir;
use crate::io::scenario::load_str;
use crate::io::tables::console::human_summary;
use crate::io::tables::partial::{read_partial, scenario_hash, Partial};
use crate::io::tables::runs::{concat_runs, RUNS_FILE};
use std::path::{Path, PathBuf};

/// `buildout merge`: checks that the partials are the shards of one Monte Carlo, then
/// writes what the whole run would have written.
pub fn merge(args: &MergeArgs) -> Result<RunOutcome, AppError> {
    let mut timings = Timings::new(args.timings);
    let mut partials: Vec<(&Path, Partial)> = Vec::new();
    for dir in &args.dirs {
        let partial = read_partial(dir).map_err(|e| refuse(e.to_string()))?;
        partials.push((dir.as_ref(), partial));
    }
    check_shard_set(&partials)?;
    let first = partials[0].1.header.clone();
    let first_dir = partials[0].0;
    let loaded = load_str(Path::new(&first.scenario_file), &first.scenario_text)?;
    let scenario = &loaded.scenario;
    if scenario_hash(scenario) != first.scenario_hash {
        return Err(refuse(format!(
            "{}: the scenario text does not match its hash: the file was edited or written by another build",
            first_dir.display()
        )));
    }
    let mut aggregate = Aggregate::empty(scenario);
    for (dir, p) in &partials {
        let expected = p.header.shard.runs(first.runs);
        let range_ok = p.header.run_range == [expected.start, expected.end];
        if !range_ok || !p.aggregate.fits(scenario) || p.aggregate.runs != expected.end - expected.start {
            return Err(refuse(format!(
                "{}: the partial result does not hold the runs its header names",
                dir.display()
            )));
        }
        aggregate.merge(&p.aggregate);
    }
    aggregate.flush();
    timings.lap("load");
    let summary = aggregate.summarize(scenario);
    timings.lap("aggregate");
    let staged = StagedDir::new(&args.out)?;
    let files = OutputFiles {
        scenario_file: file_name_of(Path::new(&first.scenario_file)),
        charts: args.charts,
        report: !args.no_report,
        threads: None,
    };
    write_outputs(&staged, scenario, &summary, first.seed, &files, &mut timings)?;
    merge_runs_tables(&partials, first.runs, &staged)?;
    let out = staged.commit()?;
    timings.lap("write");
    timings.print();
    if !args.quiet {
        print!("{}", human_summary(scenario, &summary, first.seed, &out));
    }
    Ok(RunOutcome { out, summary })
}

/// runs.csv of the shards, when they wrote one (`run --per-run`): concatenated in run
/// order, which is shard order. Either every shard has one or none may.
fn merge_runs_tables(partials: &[(&Path, Partial)], runs: u64, staged: &StagedDir) -> Result<(), AppError> {
    let mut shards: Vec<(&Path, u64, u64)> = partials
        .iter()
        .map(|(dir, p)| {
            let range = p.header.shard.runs(runs);
            (*dir, p.header.shard.index, range.end - range.start)
        })
        .collect();
    shards.sort_by_key(|&(_, index, _)| index);
    let files: Vec<(PathBuf, u64)> = shards.iter().map(|&(dir, _, rows)| (dir.join(RUNS_FILE), rows)).collect();
    let with = files.iter().filter(|(f, _)| f.is_file()).count();
    if with == 0 {
        return Ok(());
    }
    if with < files.len() {
        let missing =
            files.iter().find(|(f, _)| !f.is_file()).map_or_else(String::new, |(f, _)| f.display().to_string());
        return Err(refuse(format!(
            "some shards wrote {RUNS_FILE} and others did not ({missing} is missing): run every shard with --per-run, or none"
        )));
    }
    let parts: Vec<(&Path, u64)> = files.iter().map(|(f, rows)| (f.as_path(), *rows)).collect();
    concat_runs(&parts, &staged.path().join(RUNS_FILE)).map_err(refuse)
}

/// Refuses a merge: the message says why.
fn refuse(msg: String) -> AppError {
    AppError::Usage(format!("cannot merge: {msg}"))
}

/// Checks that the partials come from one version, scenario, seed and run count, and are
/// each shard of the split exactly once.
fn check_shard_set(partials: &[(&Path, Partial)]) -> Result<(), AppError> {
    let (first_dir, first) = (partials[0].0, partials[0].1.header.clone());
    for (dir, p) in &partials[1..] {
        let h = &p.header;
        let differs = |what: &str, a: String, b: String| {
            refuse(format!("{} has {what} {b} but {} has {what} {a}", dir.display(), first_dir.display()))
        };
        if h.tool_version != first.tool_version {
            return Err(differs("buildout version", first.tool_version.clone(), h.tool_version.clone()));
        }
        if h.scenario_hash != first.scenario_hash {
            return Err(differs(
                "scenario",
                format!("{:?} ({})", first.scenario, first.scenario_hash),
                format!("{:?} ({})", h.scenario, h.scenario_hash),
            ));
        }
        if h.seed != first.seed {
            return Err(differs("seed", first.seed.to_string(), h.seed.to_string()));
        }
        if h.runs != first.runs {
            return Err(differs("a run count of", first.runs.to_string(), h.runs.to_string()));
        }
        if h.shard.count != first.shard.count {
            return Err(differs("shards out of", first.shard.count.to_string(), h.shard.count.to_string()));
        }
    }
    if first.tool_version != env!("CARGO_PKG_VERSION") {
        return Err(refuse(format!(
            "{} was written by buildout {}; this is buildout {}: rerun the shards with one version",
            first_dir.display(),
            first.tool_version,
            env!("CARGO_PKG_VERSION")
        )));
    }
    let m = first.shard.count;
    for (dir, p) in partials {
        let sh = p.header.shard;
        if Shard::new(sh.index, sh.count).is_none() {
            return Err(refuse(format!("{}: shard {}/{} is not a shard", dir.display(), sh.index, sh.count)));
        }
    }
    let mut seen: Vec<Option<&Path>> = vec![None; m.min(1 << 20) as usize];
    for (dir, p) in partials {
        let k = p.header.shard.index;
        let slot =
            seen.get_mut((k - 1) as usize).ok_or_else(|| refuse(format!("{}: bad shard {k}/{m}", dir.display())))?;
        if let Some(other) = slot {
            return Err(refuse(format!("{} and {} are both shard {k}/{m}", other.display(), dir.display())));
        }
        *slot = Some(dir);
    }
    let missing: Vec<String> =
        seen.iter().enumerate().filter(|(_, d)| d.is_none()).map(|(k, _)| format!("{}/{m}", k + 1)).collect();
    if !missing.is_empty() || seen.len() as u64 != m {
        return Err(refuse(format!("shard {} missing: give the folders of all {m} shards", missing.join(", "))));
    }
    Ok(())
}
