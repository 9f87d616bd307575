//! The overlay charts of `compare` (capacity, power, constraints as small multiples,
//! dependency), each a pure function from [`CompareData`] to a chart description.
//!
//! Scenarios are aligned by calendar month: month 0 of every chart is the earliest start
//! among the scenarios, and each scenario's series is drawn only inside its own months.

use super::data::{Band, ChartData};
use super::palette::{scenario_color, Rgb, GRID, MUTED};
use super::run_charts::{
    band_max, binding_layers, binding_legend, max_finite, nice, outer_band, panel, pct_guides, shade_months, share,
    stack,
};
use super::spec::{item, Figure, Layer, Layout, LegendItem, Line, Panel, Source, Swatch, Title, Unit, XAxis};
use crate::io::brief::chart_data;
use crate::io::format::{format_thousands, group_thousands};
use crate::io::studies::compare::{earliest_start, offset, Compared};

/// Which overlay chart to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareKind {
    /// Chips operational: median line and P10-P90 band per scenario.
    Capacity,
    /// Facility power drawn (solid) and grid power online (dashed), medians.
    Power,
    /// One panel per scenario: share of runs in which chips, power or space binds.
    Constraints,
    /// Domestic share of compute: median and P10-P90 band per scenario with a home origin.
    Dependency,
}

impl CompareKind {
    /// All four, in report order.
    pub const ALL: [CompareKind; 4] =
        [CompareKind::Capacity, CompareKind::Power, CompareKind::Constraints, CompareKind::Dependency];

    /// File stem: `compare-capacity`, `compare-power`, `compare-constraints`, `compare-dependency`.
    pub fn file_stem(self) -> &'static str {
        match self {
            CompareKind::Capacity => "compare-capacity",
            CompareKind::Power => "compare-power",
            CompareKind::Constraints => "compare-constraints",
            CompareKind::Dependency => "compare-dependency",
        }
    }

    /// Chart title.
    pub fn title(self) -> &'static str {
        match self {
            CompareKind::Capacity => "Chips operational, scenario by scenario",
            CompareKind::Power => "Power drawn by the data centres and grid power online",
            CompareKind::Constraints => "What limits the buildout each month, scenario by scenario",
            CompareKind::Dependency => "Domestic share of compute, scenario by scenario",
        }
    }

    fn note(self, scenarios: usize) -> &'static str {
        match self {
            CompareKind::Capacity | CompareKind::Dependency if scenarios > BANDS_UP_TO => {
                "Thick lines: median of runs; thin dashed: P10 and P90 across runs"
            }
            CompareKind::Capacity | CompareKind::Dependency => {
                "Lines: median of runs; shading: P10\u{2013}P90 across runs"
            }
            CompareKind::Power => "Lines: median of runs",
            CompareKind::Constraints => "Areas: share of runs in which each constraint binds",
        }
    }
}

/// One compared scenario's chart series, aligned to the comparison's months.
#[derive(Debug, Clone)]
pub struct CompareScenario {
    /// Name shown in legends and panel titles (unique within the comparison).
    pub name: String,
    /// Scenario file name, for the source line.
    pub file: String,
    /// The series; each vector has one value per comparison month (NaN outside the
    /// scenario's own months).
    pub data: ChartData,
}

/// Everything the overlay charts show.
#[derive(Debug, Clone)]
pub struct CompareData {
    /// "YYYY-MM" of each comparison month, from the earliest start to the latest horizon.
    pub dates: Vec<String>,
    /// The compared scenarios, in command-line order.
    pub scenarios: Vec<CompareScenario>,
    /// Monte Carlo runs of each scenario.
    pub runs: u64,
    /// The shared random seed.
    pub seed: u64,
    /// Tool version, for the source line.
    pub version: String,
}

/// The overlay charts' data from the compared scenarios, aligned by calendar month.
pub fn compare_data(items: &[Compared<'_>], seed: u64) -> CompareData {
    let origin = earliest_start(items);
    let offsets: Vec<usize> = items.iter().map(|c| origin.map_or(0, |o| offset(c, o))).collect();
    let total = items.iter().zip(&offsets).map(|(c, o)| o + c.summary.months).max().unwrap_or(0);
    let dates = origin.map_or_else(Vec::new, |o| (0..total).map(|g| o.plus_months(g as i64).to_string()).collect());
    let names: Vec<&str> = items.iter().map(|c| c.scenario.name()).collect();
    let scenarios = items
        .iter()
        .zip(&offsets)
        .map(|(c, &off)| {
            let file = std::path::Path::new(&c.file)
                .file_name()
                .map_or_else(|| c.file.clone(), |n| n.to_string_lossy().into_owned());
            let data = chart_data(c.scenario, c.summary, seed, &file).shifted(off, &dates);
            let name = c.scenario.name();
            let name = if names.iter().filter(|n| **n == name).count() > 1 {
                format!("{name} ({})", c.label)
            } else {
                name.to_string()
            };
            CompareScenario { name, file, data }
        })
        .collect();
    let version = env!("CARGO_PKG_VERSION").to_string();
    CompareData { dates, scenarios, runs: items.first().map_or(0, |c| c.summary.runs), seed, version }
}

/// The description of one overlay chart; `None` when it has nothing to show (the
/// dependency chart when no scenario has a home origin).
pub fn compare_chart(kind: CompareKind, d: &CompareData) -> Option<Figure> {
    if kind == CompareKind::Dependency && d.scenarios.iter().all(|s| s.data.home_origin.is_none()) {
        return None;
    }
    let mut x = XAxis::months(&d.dates);
    let (legend, layout, panels) = match kind {
        CompareKind::Capacity => {
            let legend = scenario_legend(d, overlay_swatch(d), false);
            (legend, Layout::Single, vec![overlay(d, |c| Some(&c.operational), "Chips operational", Unit::Count)])
        }
        CompareKind::Power => power(d),
        CompareKind::Constraints => constraints(d, &mut x),
        CompareKind::Dependency => {
            fn pick(c: &ChartData) -> Option<&Band> {
                c.home_origin.is_some().then_some(&c.domestic_share)
            }
            let legend = scenario_legend(d, overlay_swatch(d), true);
            (legend, Layout::Single, vec![overlay(d, pick, "Domestic share of compute (%)", Unit::Pct)])
        }
    };
    let subtitle = format!(
        "{} scenarios \u{00b7} {} runs each \u{00b7} seed {} \u{00b7} the same random draws for shared items",
        d.scenarios.len(),
        group_thousands(&d.runs.to_string()),
        d.seed
    );
    let files: Vec<&str> = d.scenarios.iter().map(|s| s.file.as_str()).collect();
    let source = Source {
        text: format!("Source: buildout v{}, scenario files {}", d.version, files.join(", ")),
        short: Some(format!(
            "Source: buildout v{}, {} scenario files (listed in compare.json)",
            d.version,
            files.len()
        )),
    };
    Some(Figure {
        title: Title { text: kind.title().to_string(), fallback: None },
        subtitle,
        source,
        note: kind.note(d.scenarios.len()).to_string(),
        legend,
        x,
        layout,
        panels,
    })
}

type Parts = (Vec<LegendItem>, Layout, Vec<Panel>);

fn scenario_legend(d: &CompareData, swatch: fn(Rgb) -> Swatch, only_home: bool) -> Vec<LegendItem> {
    d.scenarios
        .iter()
        .enumerate()
        .filter(|(_, s)| !only_home || s.data.home_origin.is_some())
        .map(|(i, s)| item(swatch(scenario_color(i)), s.name.clone()))
        .collect()
}

/// The legend swatch of an overlay: a line over its band, or a plain line when the bands
/// are dashed lines (`BANDS_UP_TO`).
fn overlay_swatch(d: &CompareData) -> fn(Rgb) -> Swatch {
    if d.scenarios.len() > BANDS_UP_TO {
        Swatch::Line
    } else {
        Swatch::LineBand
    }
}

/// Scenarios up to which the overlays shade each P10-P90 band; with more, overlapping
/// shades blur into one another, so P10 and P90 become thin dashed lines.
const BANDS_UP_TO: usize = 2;

/// Medians over P10-P90 bands (or thin dashed P10 and P90 lines past `BANDS_UP_TO`
/// scenarios), one colour per scenario: every band first, then every median, the first
/// scenario's last so that where a variant's median equals the reference's, the
/// reference stays in sight.
fn overlay(d: &CompareData, pick: fn(&ChartData) -> Option<&Band>, y_title: &str, unit: Unit) -> Panel {
    let bands: Vec<(usize, &Band)> =
        d.scenarios.iter().enumerate().filter_map(|(i, s)| pick(&s.data).map(|b| (i, b))).collect();
    let y = bands.iter().map(|(_, b)| band_max(b)).fold(0.0, f64::max);
    let axis = if unit == Unit::Pct && y > 0.5 { share(y_title) } else { nice(y, y_title, unit) };
    let mut layers: Vec<Layer> = if d.scenarios.len() > BANDS_UP_TO {
        bands
            .iter()
            .flat_map(|&(i, b)| {
                [&b.p10, &b.p90].map(|v| Layer::Line(Line { width: 1, ..Line::dashed(v, scenario_color(i)) }))
            })
            .collect()
    } else {
        bands.iter().map(|&(i, b)| outer_band(b, scenario_color(i), 0.14)).collect()
    };
    layers.extend(bands.iter().rev().map(|&(i, b)| Layer::Line(Line::monthly(&b.p50, scenario_color(i)))));
    panel(axis, true, layers)
}

fn power(d: &CompareData) -> Parts {
    let mut legend = scenario_legend(d, Swatch::Line, false);
    legend.push(item(Swatch::Line(MUTED), "Solid: facility power drawn"));
    legend.push(item(Swatch::Dashed(MUTED), "Dashed: grid power online"));
    // A grid far above every scenario's demand would flatten the other lines: such a
    // grid line is left off the scale and named above the plot instead.
    let drawn = max_finite(d.scenarios.iter().map(|s| s.data.facility_mw.p50.as_slice()));
    let grid_max: Vec<f64> = d.scenarios.iter().map(|s| max_finite([s.data.grid_mw.p50.as_slice()])).collect();
    let limit = if drawn > 0.0 { drawn * 2.5 } else { f64::INFINITY };
    let y = grid_max.iter().copied().filter(|&g| g <= limit).fold(drawn, f64::max);
    let mut layers: Vec<Layer> = d
        .scenarios
        .iter()
        .zip(&grid_max)
        .enumerate()
        .map(|(i, (s, &high))| {
            let g = &s.data.grid_mw.p50;
            let low = g.iter().copied().filter(|v| v.is_finite()).fold(f64::INFINITY, f64::min);
            let name = format!("{} {}\u{2013}{} MW", s.name, format_thousands(low), format_thousands(high));
            Layer::Line(Line { off_scale: Some(name), ..Line::dashed(g, scenario_color(i)) })
        })
        .collect();
    layers.push(Layer::OffScaleNote("Grid power online off the scale: ".into()));
    let facility = d.scenarios.iter().enumerate();
    layers.extend(facility.map(|(i, s)| Layer::Line(Line::monthly(&s.data.facility_mw.p50, scenario_color(i)))));
    (legend, Layout::Single, vec![panel(nice(y * 1.04, "Power (MW)", Unit::Mw), true, layers)])
}

/// Columns of the small-multiple grid for `n` panels.
fn grid_columns(n: usize) -> usize {
    match n {
        0..=3 => n.max(1),
        4 => 2,
        5 | 6 => 3,
        _ => 4,
    }
}

fn constraints(d: &CompareData, x: &mut XAxis) -> Parts {
    let k = d.scenarios.len();
    let cols = grid_columns(k);
    let rows = k.div_ceil(cols);
    // Fewer tick labels in narrow panels: each label about 15 px a character plus a gap.
    let plot_w = (super::WIDTH as usize / cols).saturating_sub(230);
    x.thin((plot_w / (x.widest_label() * 15 + 30)).max(2));
    let n = x.months;
    let panels = d
        .scenarios
        .iter()
        .map(|s| {
            let outside = outside_runs(&s.data.binding_chips);
            let mut areas = stack(&binding_layers(&s.data), n, true);
            for &(a, b) in &outside {
                for area in areas.iter_mut() {
                    for i in a..=b {
                        if let (Some(l), Some(h)) = (area.lo.get_mut(i), area.hi.get_mut(i)) {
                            (*l, *h) = (f64::NAN, f64::NAN);
                        }
                    }
                }
            }
            // Months outside this scenario's own range: light grey, not "nothing binds".
            let mut layers: Vec<Layer> = shade_months(&outside, 1.0, x.max, GRID).collect();
            layers.push(Layer::Stack(areas));
            layers.extend(pct_guides(x.max));
            layers.push(Layer::AreaLabels);
            Panel { y: share(""), show_x: true, heading: Some(s.name.clone()), layers }
        })
        .collect();
    let with_money = d.scenarios.iter().any(|s| s.data.binding_money.is_some());
    (binding_legend(with_money), Layout::Grid { rows, cols }, panels)
}

/// Runs of months where the series has no value (before its start, after its horizon).
fn outside_runs(v: &[f64]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, x) in v.iter().chain(std::iter::once(&0.0)).enumerate() {
        match (x.is_nan(), start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                out.push((a, i - 1));
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::data::shift;
    use super::{grid_columns, outside_runs};

    #[test]
    fn shift_pads_with_nan_on_both_sides() {
        let v = shift(&[1.0, 2.0], 1, 4);
        assert!(v[0].is_nan() && v[3].is_nan());
        assert_eq!(&v[1..3], &[1.0, 2.0]);
        assert_eq!(outside_runs(&v), vec![(0, 0), (3, 3)]);
    }

    #[test]
    fn grid_has_at_most_four_columns() {
        assert_eq!((1..=9).map(grid_columns).collect::<Vec<_>>(), vec![1, 2, 3, 2, 3, 3, 4, 4, 4]);
    }
}
