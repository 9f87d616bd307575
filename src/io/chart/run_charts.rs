//! The six charts of a run (capacity, power, constraints, dependency, stranded, energy),
//! each a pure function from [`ChartData`] to a chart description.

use super::data::{Band, ChartData};
use super::palette::*;
use super::spec::{
    item, Annotation, Area, Figure, HAnchor, Layer, Layout, LegendItem, Line, Mark, Panel, Source, Swatch, Title, Unit,
    VAnchor, XAxis, YAt, YAxis, YScale, LABEL_SIZE,
};
use crate::io::format::{format_compact, group_thousands};

/// Which of the six charts to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChartKind {
    /// Chips operational (bands), chips delivered, compute and the target.
    Capacity,
    /// Grid power online against facility power drawn and built capacity.
    Power,
    /// Share of runs in which chips, power or space is the binding constraint.
    Constraints,
    /// Share of compute by chip origin, with the domestic share.
    Dependency,
    /// Chips delivered but waiting for power or space, and their value.
    Stranded,
    /// Energy per year, and capex and electricity cost over time.
    Energy,
    /// The chance of at least X operational chips by each year-end and the horizon.
    Exceedance,
    /// The chance that the target is met, month by month (only with a target).
    Target,
    /// The inputs most correlated with chips operational at the horizon (D40).
    Tornado,
    /// One panel per region: grid power against facility power drawn (2+ regions).
    PowerByRegion,
    /// One panel per region: share of runs in which power or space binds there (2+
    /// regions).
    ConstraintsByRegion,
}

impl ChartKind {
    /// Every chart, in report order.
    pub const ALL: [ChartKind; 11] = [
        ChartKind::Capacity,
        ChartKind::Power,
        ChartKind::PowerByRegion,
        ChartKind::Constraints,
        ChartKind::ConstraintsByRegion,
        ChartKind::Dependency,
        ChartKind::Stranded,
        ChartKind::Energy,
        ChartKind::Exceedance,
        ChartKind::Target,
        ChartKind::Tornado,
    ];

    /// Whether a run with this data has the chart: the target chart only where a
    /// target is set, the tornado only where some input varied, the per-region charts
    /// only for 2+ regions, every other chart always.
    pub fn applies(self, d: &ChartData) -> bool {
        match self {
            ChartKind::Target => d.target.is_some() && d.target_met_share.is_some(),
            ChartKind::Tornado => !d.sensitivity.bars.is_empty(),
            ChartKind::PowerByRegion | ChartKind::ConstraintsByRegion => d.regions.len() >= 2,
            _ => true,
        }
    }

    /// File stem of the chart: `capacity`, `power`, `constraints`, `dependency`,
    /// `stranded`, `energy`, `exceedance`, `target`, `power-by-region`,
    /// `constraints-by-region`, `tornado`.
    pub fn file_stem(self) -> &'static str {
        match self {
            ChartKind::Capacity => "capacity",
            ChartKind::Power => "power",
            ChartKind::Constraints => "constraints",
            ChartKind::Dependency => "dependency",
            ChartKind::Stranded => "stranded",
            ChartKind::Energy => "energy",
            ChartKind::Exceedance => "exceedance",
            ChartKind::Target => "target",
            ChartKind::Tornado => "tornado",
            ChartKind::PowerByRegion => "power-by-region",
            ChartKind::ConstraintsByRegion => "constraints-by-region",
        }
    }

    /// How to read the chart, drawn at the bottom right.
    pub fn reading_note(self) -> &'static str {
        match self {
            ChartKind::Constraints | ChartKind::ConstraintsByRegion => {
                "Areas: share of runs in which each constraint binds"
            }
            ChartKind::PowerByRegion => {
                "Lines: median of runs; shading: P10\u{2013}P90; grey: power binds in most runs"
            }
            ChartKind::Dependency => "Areas: median share; line: median, shading P10\u{2013}P90",
            ChartKind::Exceedance => "Each line: share of runs with at least X chips operational at that date",
            ChartKind::Target => "Line: share of runs at or above the target that month",
            ChartKind::Tornado => "Bars: rank correlation across runs; 0 = no association",
            ChartKind::Stranded => "Median, P10\u{2013}P90 shaded; by cause: means (they add up)",
            _ => "Lines: median of runs; shading: P10\u{2013}P90 across runs",
        }
    }

    /// Chart title, as drawn at the top of the chart.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Capacity => "Chips operational and compute capacity",
            ChartKind::Power => "Grid power against data-centre demand",
            ChartKind::Constraints => "What limits the buildout each month",
            ChartKind::Dependency => "Where the compute comes from",
            ChartKind::Stranded => "Chips delivered but waiting for power or space",
            ChartKind::Energy => "Energy use and what the buildout costs",
            ChartKind::Exceedance => "Chance of at least X operational chips, by date",
            ChartKind::Target => "Chance that the target is met, month by month",
            ChartKind::Tornado => "Which uncertain inputs matter most",
            ChartKind::PowerByRegion => "Grid power against data-centre demand, region by region",
            ChartKind::ConstraintsByRegion => "What limits the buildout each month, region by region",
        }
    }
}

/// The description of one run chart.
pub fn run_chart(kind: ChartKind, d: &ChartData) -> Figure {
    let months = XAxis::months(&d.dates);
    let (x, (legend, layout, panels)) = match kind {
        ChartKind::Capacity => (months.clone(), capacity(d, &months)),
        ChartKind::Power => (months.clone(), power(d, &months)),
        ChartKind::Constraints => (months.clone(), constraints(d, &months)),
        ChartKind::Dependency => (months.clone(), dependency(d, &months)),
        ChartKind::Stranded => (months, stranded(d)),
        ChartKind::Energy => (months, energy(d)),
        ChartKind::Exceedance => super::odds_charts::exceedance(d),
        ChartKind::Target => (months.clone(), super::odds_charts::target(d, &months)),
        ChartKind::Tornado => super::tornado::sensitivity_tornado(d),
        ChartKind::PowerByRegion => {
            let mut x = months.clone();
            let parts = power_by_region(d, &mut x);
            (x, parts)
        }
        ChartKind::ConstraintsByRegion => {
            let mut x = months.clone();
            let parts = constraints_by_region(d, &mut x);
            (x, parts)
        }
    };
    let subtitle =
        format!("{} \u{00b7} {} runs \u{00b7} seed {}", d.scenario_name, group_thousands(&d.runs.to_string()), d.seed);
    Figure {
        title: Title { text: kind.title().to_string(), fallback: None },
        subtitle,
        source: Source {
            text: format!("Source: buildout v{}, scenario file {}", d.version, d.scenario_file),
            short: None,
        },
        note: kind.reading_note().to_string(),
        legend,
        x,
        layout,
        panels,
    }
}

/// Legend, layout and panels of one chart.
pub(super) type Parts = (Vec<LegendItem>, Layout, Vec<Panel>);

/// The largest finite value of the series, at least 0.
pub(super) fn max_finite<'a>(series: impl IntoIterator<Item = &'a [f64]>) -> f64 {
    let mut m = 0.0f64;
    for s in series {
        for &v in s {
            if v.is_finite() && v > m {
                m = v;
            }
        }
    }
    m
}

/// The largest finite value of any percentile of the band, at least 0.
pub(super) fn band_max(b: &Band) -> f64 {
    max_finite([b.p10.as_slice(), b.p25.as_slice(), b.p50.as_slice(), b.p75.as_slice(), b.p90.as_slice()])
}

/// A y axis with nice ticks up to `max`.
pub(super) fn nice(max: f64, title: &str, unit: Unit) -> YAxis {
    YAxis { scale: YScale::Nice(max), title: title.to_string(), unit }
}

/// A 0-100 % y axis.
pub(super) fn share(title: &str) -> YAxis {
    YAxis { scale: YScale::Share, title: title.to_string(), unit: Unit::Pct }
}

/// A panel without a heading.
pub(super) fn panel(y: YAxis, show_x: bool, layers: Vec<Layer>) -> Panel {
    Panel { y, show_x, heading: None, layers }
}

/// The P10-P90 band of `b` in `color` at opacity `alpha`.
pub(super) fn outer_band(b: &Band, color: Rgb, alpha: f64) -> Layer {
    Layer::Band { lo: b.p10.clone(), hi: b.p90.clone(), paint: color.alpha(alpha) }
}

/// P50 line over a P10-P90 band.
fn banded(b: &Band, color: Rgb) -> [Layer; 2] {
    [outer_band(b, color, BAND_OUTER_ALPHA), Layer::Line(Line::monthly(&b.p50, color))]
}

/// Thin white lines at 25/50/75 % over filled areas, so values can be read.
pub(super) fn pct_guides(xmax: f64) -> impl Iterator<Item = Layer> {
    [0.25, 0.5, 0.75].into_iter().map(move |g| Layer::Path {
        points: vec![(0.0, g), (xmax, g)],
        paint: WHITE.alpha(0.7),
        width: 1,
    })
}

/// Stack layers (each 0..1 per month) into labelled areas with cumulative bounds.
pub(super) fn stack(layers: &[(&str, &[f64], Rgb)], n: usize, normalise: bool) -> Vec<Area> {
    let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let get = |l: &[f64], i: usize| clean(l.get(i).copied().unwrap_or(0.0));
    let totals: Vec<f64> = (0..n).map(|i| layers.iter().map(|l| get(l.1, i)).sum()).collect();
    let mut cum = vec![0.0f64; n];
    let mut out = Vec::with_capacity(layers.len());
    for &(label, l, color) in layers {
        let lo = cum.clone();
        for (i, c) in cum.iter_mut().enumerate() {
            let t = totals[i];
            let v = get(l, i);
            let scaled = if t <= 0.0 {
                0.0
            } else if normalise || t > 1.0 {
                v / t
            } else {
                v
            };
            *c = (*c + scaled).min(1.0);
        }
        out.push(Area { label: label.to_string(), lo, hi: cum.clone(), color });
    }
    out
}

/// Full-height shading over each run of months (first, last), widened by `pad` months
/// on each side and kept inside 0..=`xmax`.
pub(super) fn shade_months(
    runs: &[(usize, usize)],
    pad: f64,
    xmax: f64,
    color: Rgb,
) -> impl Iterator<Item = Layer> + '_ {
    runs.iter().map(move |&(s, e)| Layer::Shade {
        x0: (s as f64 - pad).max(0.0),
        x1: (e as f64 + pad).min(xmax),
        paint: color.solid(),
    })
}

/// The binding constraints as stack layers, chips at the bottom; money on top where
/// the scenario has budget lines.
pub(super) fn binding_layers(d: &ChartData) -> Vec<(&'static str, &[f64], Rgb)> {
    let mut layers: Vec<(&'static str, &[f64], Rgb)> = vec![
        ("Chips", &d.binding_chips, CHIPS),
        ("Power", &d.binding_power, POWER),
        ("Space", &d.binding_space, SPACE),
    ];
    if let Some(money) = &d.binding_money {
        layers.push(("Money", money, MONEY));
    }
    layers
}

/// The legend of the binding constraints, with money when `with_money`.
pub(super) fn binding_legend(with_money: bool) -> Vec<LegendItem> {
    let mut legend = vec![
        item(Swatch::Fill(CHIPS, 1.0), "Chips bind (waiting on deliveries)"),
        item(Swatch::Fill(POWER, 1.0), "Power binds"),
        item(Swatch::Fill(SPACE, 1.0), "Space binds"),
    ];
    if with_money {
        legend.push(item(Swatch::Fill(MONEY, 1.0), "Money binds (waiting on a budget line)"));
    }
    legend
}

fn date(d: &ChartData, i: usize) -> &str {
    d.dates.get(i).map_or("", |s| s.as_str())
}

fn text(s: String, x: f64, y: YAt, offset: (i32, i32), bold: bool, color: Rgb, anchor: (HAnchor, VAnchor)) -> Layer {
    Layer::Text(Annotation { text: s, x, y, offset, size: LABEL_SIZE, bold, color, anchor })
}

fn capacity(d: &ChartData, x: &XAxis) -> Parts {
    let n = x.months;
    let mut legend = vec![
        item(Swatch::Line(CHIPS), "Chips operational"),
        item(Swatch::Band2(CHIPS), "P25\u{2013}P75"),
        item(Swatch::Fill(CHIPS, BAND_OUTER_ALPHA), "P10\u{2013}P90"),
        item(Swatch::Dashed(DELIVERED), "Chips delivered"),
        item(Swatch::LineBand(COMPUTE), "Compute (PFLOP/s)"),
    ];
    let target = d.target.filter(|&(_, m)| m < n);
    let op = &d.operational;
    let mut y1 = band_max(op).max(max_finite([d.delivered_p50.as_slice()]));
    let mut top = vec![
        outer_band(op, CHIPS, BAND_OUTER_ALPHA),
        Layer::Band { lo: op.p25.clone(), hi: op.p75.clone(), paint: CHIPS.alpha(BAND_INNER_ALPHA) },
        Layer::Line(Line::dashed(&d.delivered_p50, DELIVERED)),
        Layer::Line(Line::monthly(&op.p50, CHIPS)),
    ];
    if let Some((chips, m)) = target {
        let label = format!("Target: {} chips by {}", format_compact(chips as f64), date(d, m));
        legend.push(item(Swatch::Marker(CHIPS), label));
        y1 = y1.max(chips as f64);
        let p = (m as f64, chips as f64);
        let marks = vec![
            Mark { radius: 11, paint: WHITE.solid(), ring: None },
            Mark { radius: 11, paint: CHIPS.solid(), ring: Some(4) },
        ];
        top.push(Layer::Marks { at: vec![p], marks });
        let (h, dx) = if (m as f64) < x.max * 0.75 { (HAnchor::Left, 20) } else { (HAnchor::Right, -20) };
        let label = format!("Target {}", format_compact(chips as f64));
        top.push(text(label, p.0, YAt::Value(p.1), (dx, -16), true, TEXT, (h, VAnchor::Bottom)));
    }
    let panels = vec![
        panel(nice(y1, "Chips", Unit::Count), false, top),
        panel(
            nice(band_max(&d.compute_pflops), "Compute (PFLOP/s)", Unit::Count),
            true,
            banded(&d.compute_pflops, COMPUTE).into(),
        ),
    ];
    (legend, Layout::Split { top_percent: 57 }, panels)
}

/// Contiguous month runs where `pred(i)` holds.
fn month_runs(n: usize, pred: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    for i in 0..n {
        match (pred(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i - 1));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, n.saturating_sub(1)));
    }
    runs
}

fn power(d: &ChartData, x: &XAxis) -> Parts {
    let n = x.months;
    // The grid is the ceiling where built demand exceeds the grid and the
    // facilities draw (almost) all the grid there is (medians).
    let at = |v: &[f64], i: usize| v.get(i).copied().filter(|x| x.is_finite());
    let runs =
        month_runs(n, |i| match (at(&d.built_facility_mw.p50, i), at(&d.grid_mw.p50, i), at(&d.facility_mw.p50, i)) {
            (Some(b), Some(g), Some(f)) => g > 0.0 && b > g * 1.005 && f >= g * 0.97,
            _ => false,
        });
    let mut legend = vec![
        item(Swatch::LineBand(POWER), "Grid power online"),
        item(Swatch::LineBand(SPACE), "Built IT capacity \u{00d7} PUE"),
        item(Swatch::LineBand(FACILITY), "Facility power drawn"),
    ];
    if !runs.is_empty() {
        legend.push(item(Swatch::Fill(CEILING, 1.0), "Grid is the ceiling"));
    }
    let y = band_max(&d.grid_mw).max(band_max(&d.facility_mw)).max(band_max(&d.built_facility_mw));
    let mut layers: Vec<Layer> = shade_months(&runs, 0.5, x.max, CEILING).collect();
    layers.extend(banded(&d.built_facility_mw, SPACE));
    layers.extend(banded(&d.facility_mw, FACILITY));
    layers.extend(banded(&d.grid_mw, POWER));
    // Label the widest ceiling period at the top of the plot.
    if let Some(&(s, e)) = runs.iter().max_by_key(|(s, e)| (e - s, usize::MAX - s)) {
        let mid = ((s as f64 + e as f64) / 2.0).clamp(x.max * 0.2, x.max * 0.8);
        let top = (HAnchor::Center, VAnchor::Top);
        layers.push(text("Grid is the ceiling".into(), mid, YAt::Top, (0, 10), true, POWER, top));
        layers.push(text(format!("{} to {}", date(d, s), date(d, e)), mid, YAt::Top, (0, 42), false, POWER, top));
    }
    (legend, Layout::Single, vec![panel(nice(y * 1.06, "Power (MW)", Unit::Mw), true, layers)])
}

/// Rows and columns of the small multiples for `k` regions (two columns from two
/// regions, three from five), with fewer x labels in narrow panels.
fn region_grid(k: usize, x: &mut XAxis) -> (usize, usize) {
    let cols = if k >= 5 { 3 } else { k.clamp(1, 2) };
    let plot_w = (super::WIDTH as usize / cols).saturating_sub(230);
    x.thin((plot_w / (x.widest_label() * 15 + 30)).max(2));
    (k.div_ceil(cols), cols)
}

/// One panel per region (D54): grid online and facility power drawn with their P10-P90
/// bands on a shared y scale, grey where power binds in the region in most runs.
fn power_by_region(d: &ChartData, x: &mut XAxis) -> Parts {
    let (rows, cols) = region_grid(d.regions.len(), x);
    let y = d.regions.iter().map(|r| band_max(&r.grid_mw).max(band_max(&r.facility_mw))).fold(0.0, f64::max);
    let n = x.months;
    let panels = d
        .regions
        .iter()
        .map(|r| {
            let binds = month_runs(n, |i| r.binding_power.get(i).is_some_and(|&s| s >= 0.5));
            let mut layers: Vec<Layer> = shade_months(&binds, 0.5, x.max, CEILING).collect();
            layers.extend(banded(&r.facility_mw, FACILITY));
            layers.extend(banded(&r.grid_mw, POWER));
            // The heading takes the axis title's place (as in the compare grids).
            let heading = Some(format!("{} \u{00b7} power (MW)", r.name));
            Panel { y: nice(y * 1.06, "", Unit::Mw), show_x: true, heading, layers }
        })
        .collect();
    let legend = vec![
        item(Swatch::LineBand(POWER), "Grid power online"),
        item(Swatch::LineBand(FACILITY), "Facility power drawn"),
        item(Swatch::Fill(CEILING, 1.0), "Power binds in the region in most runs"),
    ];
    (legend, Layout::Grid { rows, cols }, panels)
}

/// One panel per region (D53): share of runs in which nothing waits there, power binds
/// or space binds.
fn constraints_by_region(d: &ChartData, x: &mut XAxis) -> Parts {
    let (rows, cols) = region_grid(d.regions.len(), x);
    let n = x.months;
    let panels = d
        .regions
        .iter()
        .map(|r| {
            let layers = [
                ("Chips", r.binding_chips.as_slice(), CHIPS),
                ("Power", r.binding_power.as_slice(), POWER),
                ("Space", r.binding_space.as_slice(), SPACE),
            ];
            let mut out = vec![Layer::Stack(stack(&layers, n, true))];
            out.extend(pct_guides(x.max));
            out.push(Layer::AreaLabels);
            let heading = Some(format!("{} \u{00b7} share of runs (%)", r.name));
            Panel { y: share(""), show_x: true, heading, layers: out }
        })
        .collect();
    // In a region "chips bind" means nothing waits there (D53).
    let mut legend = binding_legend(false);
    legend[0] = item(Swatch::Fill(CHIPS, 1.0), "Nothing waits in the region (chips bind)");
    (legend, Layout::Grid { rows, cols }, panels)
}

fn constraints(d: &ChartData, x: &XAxis) -> Parts {
    let mut layers = vec![Layer::Stack(stack(&binding_layers(d), x.months, true))];
    layers.extend(pct_guides(x.max));
    layers.push(Layer::AreaLabels);
    (binding_legend(d.binding_money.is_some()), Layout::Single, vec![panel(share("Share of runs (%)"), true, layers)])
}

fn dependency(d: &ChartData, x: &XAxis) -> Parts {
    // Home origin at the bottom of the stack, then the others in input order.
    let home = d.home_origin.as_deref();
    let is_home = |l: &str| Some(l) == home;
    let mut order: Vec<&(String, Vec<f64>)> = Vec::new();
    order.extend(d.origins.iter().filter(|(l, _)| is_home(l)));
    order.extend(d.origins.iter().filter(|(l, _)| !is_home(l)));
    let mut layers = Vec::with_capacity(order.len());
    let mut legend = Vec::new();
    let mut fi = 0usize;
    for (l, v) in &order {
        let color = if is_home(l) {
            HOME_FILL
        } else {
            fi += 1;
            FOREIGN[(fi - 1) % FOREIGN.len()]
        };
        let label = if is_home(l) { format!("{l} (home)") } else { l.clone() };
        legend.push(item(Swatch::Fill(color, 1.0), label));
        layers.push((l.as_str(), v.as_slice(), color));
    }
    if home.is_some() {
        legend.push(item(Swatch::LineBand(DOMESTIC), "Domestic share"));
    }
    let mut out = vec![Layer::Stack(stack(&layers, x.months, false))];
    out.extend(pct_guides(x.max));
    if home.is_some() {
        out.push(outer_band(&d.domestic_share, DOMESTIC, 0.30));
        out.push(Layer::Line(Line::monthly(&d.domestic_share.p50, DOMESTIC)));
    }
    out.push(Layer::AreaLabels);
    // A small domestic share is a sliver at the bottom of the stack: below a quarter,
    // a second panel draws it on its own scale so its level and spread can be read.
    let top = band_max(&d.domestic_share);
    if home.is_some() && top > 0.0 && top < DOMESTIC_ZOOM_BELOW {
        let zoom = vec![
            outer_band(&d.domestic_share, DOMESTIC, 0.30),
            Layer::Line(Line::monthly(&d.domestic_share.p50, DOMESTIC)),
        ];
        let panels = vec![
            panel(share("Share of compute (%)"), false, out),
            panel(nice(top * 1.1, "Domestic share, zoomed (%)", Unit::Pct), true, zoom),
        ];
        return (legend, Layout::Split { top_percent: 62 }, panels);
    }
    (legend, Layout::Single, vec![panel(share("Share of compute (%)"), true, out)])
}

/// The domestic share (P90 at its highest) below which the dependency chart adds a
/// zoomed panel of it.
const DOMESTIC_ZOOM_BELOW: f64 = 0.25;

fn stranded(d: &ChartData) -> Parts {
    let mut legend = vec![
        item(Swatch::LineBand(WAITING), "Chips waiting (median)"),
        item(Swatch::Line(POWER), "Waiting for power (mean)"),
        item(Swatch::Line(SPACE), "Waiting for space (mean)"),
    ];
    let usd = d.stranded_capital_usd.as_ref();
    if usd.is_some() {
        legend.push(item(Swatch::LineBand(CAPITAL), "Value of chips waiting (median)"));
    }
    let y = band_max(&d.waiting)
        .max(max_finite([d.stranded_by_power_mean.as_slice(), d.stranded_by_space_mean.as_slice()]));
    let mut top: Vec<Layer> = banded(&d.waiting, WAITING).into();
    top.push(Layer::Line(Line::monthly(&d.stranded_by_space_mean, SPACE)));
    top.push(Layer::Line(Line::monthly(&d.stranded_by_power_mean, POWER)));
    let mut panels = vec![panel(nice(y, "Chips waiting", Unit::Count), usd.is_none(), top)];
    let layout = match usd {
        Some(b) => {
            let y = nice(band_max(b), "Value of chips waiting (USD)", Unit::Usd);
            panels.push(panel(y, true, banded(b, CAPITAL).into()));
            Layout::Split { top_percent: 57 }
        }
        None => Layout::Single,
    };
    (legend, layout, panels)
}

/// Energy per year (TWh) on top; below, what the buildout has cost so far: capex and
/// electricity, where the scenario prices them.
fn energy(d: &ChartData) -> Parts {
    let mut legend = vec![item(Swatch::LineBand(FACILITY), "Facility energy (TWh per year)")];
    let costs: Vec<(&Band, Rgb, &str)> = [
        (d.capex_usd.as_ref(), CAPITAL, "Chips bought (capex, cumulative)"),
        (d.electricity_usd.as_ref(), MONEY, "Electricity cost (cumulative)"),
    ]
    .into_iter()
    .filter_map(|(b, color, label)| b.map(|b| (b, color, label)))
    .collect();
    for (_, color, label) in &costs {
        legend.push(item(Swatch::LineBand(*color), *label));
    }
    let y = band_max(&d.energy_twh_per_year);
    let top = panel(
        nice(y, "Energy (TWh per year)", Unit::Twh),
        costs.is_empty(),
        banded(&d.energy_twh_per_year, FACILITY).into(),
    );
    if costs.is_empty() {
        return (legend, Layout::Single, vec![top]);
    }
    let y = costs.iter().map(|(b, _, _)| band_max(b)).fold(0.0, f64::max);
    let layers = costs.iter().flat_map(|(b, color, _)| banded(b, *color)).collect();
    let bottom = panel(nice(y, "Spent so far (USD)", Unit::Usd), true, layers);
    (legend, Layout::Split { top_percent: 50 }, vec![top, bottom])
}
