//! `buildout compare`, `buildout sweep` and `buildout sensitivity`: several ensembles
//! with common random numbers, then their tables, charts and page.

use super::{formats, write_charts, STOP};
use crate::cli::ChartFormats;
use crate::core::ensemble::simulate;
use crate::core::scenario::Scenario;
use crate::core::stats::Summary;
use crate::error::AppError;
use crate::io::figures::{human, percent, triple, FigureKind, FigureValue};
use crate::io::format::format_thousands;
use crate::io::output::StagedDir;
use crate::io::progress::RunProgress;
use crate::io::scenario::load_file;
use std::path::PathBuf;

/// Runs one loaded scenario for `compare` or `sweep`.
fn simulate_one(scenario: &Scenario, runs: u64, seed: u64, o: &crate::cli::SimOptions) -> Result<Summary, AppError> {
    let progress = RunProgress::new(runs, o.quiet, &STOP);
    progress.set_message(scenario.name().to_string());
    let aggregate = simulate(scenario, seed, 0..runs, o.threads, &progress);
    progress.finish();
    Ok(aggregate?.summarize(scenario))
}

/// `buildout compare`: every scenario with the same seed and run count (common random
/// numbers), then compare.csv, compare.json, compare.html and overlay charts.
pub fn compare(args: &crate::cli::CompareArgs) -> Result<PathBuf, AppError> {
    use crate::io::studies::compare::*;
    let o = &args.options;
    o.check()?;
    let loaded = args.scenarios.iter().map(|p| load_file(p)).collect::<Result<Vec<_>, _>>()?;
    let Some(first) = loaded.first() else {
        return Err(AppError::Usage("compare needs at least two scenario files".into()));
    };
    let runs = o.runs.unwrap_or(first.scenario.default_runs());
    let seed = o.seed.unwrap_or(first.scenario.default_seed());
    let staged = StagedDir::new(&args.out())?;
    let mut summaries = Vec::new();
    for l in &loaded {
        if !o.quiet {
            eprint!("{}", l.warnings);
        }
        summaries.push(simulate_one(&l.scenario, runs, seed, o)?);
    }
    let stems: Vec<String> = args
        .scenarios
        .iter()
        .map(|p| p.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned()))
        .collect();
    let items: Vec<Compared<'_>> = unique_labels(&stems)
        .into_iter()
        .zip(&loaded)
        .zip(&summaries)
        .map(|((label, l), summary)| Compared {
            label,
            file: l.path.display().to_string(),
            scenario: &l.scenario,
            summary,
        })
        .collect();
    staged.write("compare.csv", render_compare_csv(&items).as_bytes())?;
    staged.write("compare.json", render_compare_json(&items, seed).as_bytes())?;
    let charts_svg = write_compare_charts(&staged, &items, seed, o.charts, o.threads)?;
    staged
        .write("compare.html", crate::io::page::compare::render_compare_html(&items, seed, &charts_svg).as_bytes())?;
    let out = staged.commit()?;
    if !o.quiet {
        let mut text = format!("compare: {} runs each, seed {seed}\n", format_thousands(runs as f64));
        for c in &items {
            let h = &c.summary.headline;
            text.push_str(&format!(
                "{:<24} operational at horizon P10/P50/P90 {} / {} / {}\n  {}\n",
                c.label,
                format_thousands(h.operational_at_horizon.p10()),
                format_thousands(h.operational_at_horizon.p50()),
                format_thousands(h.operational_at_horizon.p90()),
                binding_sentence(c)
            ));
        }
        text.push_str(&format!("written to {}\n", out.display()));
        print!("{text}");
    }
    Ok(out)
}

/// Renders the overlay charts, writes them in the `--charts` formats, and returns
/// (caption, SVG) of each for compare.html.
fn write_compare_charts(
    staged: &StagedDir,
    items: &[crate::io::studies::compare::Compared<'_>],
    seed: u64,
    charts: ChartFormats,
    threads: Option<usize>,
) -> Result<Vec<(String, String)>, AppError> {
    use crate::io::chart::{compare_data, render_compare_chart, CompareKind};
    let data = compare_data(items, seed);
    // compare.html inlines every chart, also when no SVG files are written.
    let render = |kind, format| render_compare_chart(kind, &data, format);
    let svgs = write_charts(staged, &CompareKind::ALL, CompareKind::file_stem, charts, true, threads, render)?;
    Ok(svgs.into_iter().map(|(kind, svg)| (kind.title().to_string(), svg)).collect())
}

/// `buildout sweep`: the scenario once per value of one key (same seed and runs), then
/// sweep.csv and a chart of a headline figure against the value.
pub fn sweep(args: &crate::cli::SweepArgs) -> Result<PathBuf, AppError> {
    use crate::io::studies::sweep::*;
    let o = &args.options;
    o.check()?;
    let set = parse_set(&args.set).map_err(AppError::Usage)?;
    let metric = sweep_metric(&args.metric).map_err(AppError::Usage)?;
    let base = load_file(&args.scenario)?;
    let resolved = crate::io::scenario::resolve_file(&args.scenario)?;
    let runs = o.runs.unwrap_or(base.scenario.default_runs());
    let seed = o.seed.unwrap_or(base.scenario.default_seed());
    let mut variants = Vec::new();
    for (text, value) in &set.values {
        let mut table = resolved.table.clone();
        apply(&mut table, &set, value).map_err(AppError::Usage)?;
        let label = PathBuf::from(format!("{} [--set {}={text}]", args.scenario.display(), set.path_text()));
        let loaded = crate::io::scenario::load_str(&label, &crate::io::scenario::render_toml(&table))?;
        variants.push((text.clone(), loaded));
    }
    let staged = StagedDir::new(&args.out())?;
    let mut summaries = Vec::new();
    for (_, l) in &variants {
        summaries.push(simulate_one(&l.scenario, runs, seed, o)?);
    }
    let rows: Vec<(String, &Scenario, &Summary)> =
        variants.iter().zip(&summaries).map(|((v, l), s)| (v.clone(), &l.scenario, s)).collect();
    staged.write("sweep.csv", render_sweep_csv(&rows).as_bytes())?;
    if o.charts != ChartFormats::None {
        use crate::io::chart::render_sweep_chart;
        let number = |v: &toml::Value| match v {
            toml::Value::Integer(i) => Some(*i as f64),
            toml::Value::Float(f) => Some(*f),
            _ => None,
        };
        let numbers: Vec<Option<f64>> = set.values.iter().map(|(_, v)| number(v)).collect();
        let file = args.scenario.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let data = sweep_chart_data(&set, metric, &rows, &numbers, runs, seed, &file);
        for &(format, ext) in formats(o.charts) {
            let bytes = render_sweep_chart(&data, format).map_err(|e| AppError::Engine(format!("chart sweep: {e}")))?;
            staged.write(&format!("sweep.{ext}"), &bytes)?;
        }
    }
    let out = staged.commit()?;
    if !o.quiet {
        let mut text = format!("sweep {}: {} runs each, seed {seed}\n", set.path_text(), format_thousands(runs as f64));
        let columns = if metric.kind == FigureKind::Probability { "(share of runs)" } else { "P10 / P50 / P90" };
        text.push_str(&format!("{:<16} {} {columns}\n", "value", metric.key));
        for (v, scenario, s) in &rows {
            let cx = crate::io::figures::Context::new(scenario, &s.headline);
            let cells = match metric.figure.value(&s.headline) {
                Some(FigureValue::Distribution(st)) => triple(st.p10_p50_p90().map(|x| human(metric.unit, x))),
                Some(FigureValue::MonthReached(r)) => triple(r.p10_p50_p90().map(|m| cx.month(m))),
                Some(FigureValue::Probability(t)) => percent(t.probability),
                None => "n/a (the scenario has no such figure)".to_string(),
            };
            text.push_str(&format!("{v:<16} {cells}\n"));
        }
        text.push_str(&format!("written to {}\n", out.display()));
        print!("{text}");
    }
    Ok(out)
}

/// Runs per pinned input of `sensitivity` unless `--runs` says otherwise.
pub const SWING_RUNS: u64 = 1_000;

/// `buildout sensitivity`: the unpinned Monte Carlo and one per input pinned at its P10
/// and its P90 (common random numbers), then swing.csv and the swing chart (D41).
pub fn sensitivity(args: &crate::cli::SensitivityArgs) -> Result<PathBuf, AppError> {
    use crate::io::studies::swing::*;
    let o = &args.options;
    o.check()?;
    let metric = crate::io::studies::sweep::sweep_metric(&args.metric).map_err(AppError::Usage)?;
    let loaded = load_file(&args.scenario)?;
    if !o.quiet {
        eprint!("{}", loaded.warnings);
    }
    let scenario = &loaded.scenario;
    let runs = o.runs.unwrap_or(SWING_RUNS);
    let seed = o.seed.unwrap_or(scenario.default_seed());
    let inputs = crate::core::run::drawn_inputs(scenario).len() as u64;
    let staged = StagedDir::new(&args.out())?;
    let progress = RunProgress::new(runs * (2 * inputs + 1), o.quiet, &STOP);
    progress.set_message(format!("{}: {} inputs x P10/P90", scenario.name(), inputs));
    let swing = crate::core::swing::swing(scenario, seed, runs, o.threads, &progress);
    progress.finish();
    let swing = swing?;
    staged.write("swing.csv", render_swing_csv(&swing).as_bytes())?;
    let file = args.scenario.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let data = swing_chart_data(scenario, &swing, metric, seed, &file);
    if !data.tornado.bars.is_empty() {
        for &(format, ext) in formats(o.charts) {
            let bytes = crate::io::chart::render_swing_chart(&data, format)
                .map_err(|e| AppError::Engine(format!("chart swing: {e}")))?;
            staged.write(&format!("swing.{ext}"), &bytes)?;
        }
    }
    let out = staged.commit()?;
    if !o.quiet {
        print!("{}", console_swing(scenario, &swing, metric, 12));
        println!("written to {}", out.display());
    }
    Ok(out)
}
