//! Charts as data, then one renderer. Each chart is a pure function from results to a
//! description ([`spec::Figure`]: panels, axes, layers, legend, notes); [`render`] turns
//! any description into PNG or SVG bytes and is the only code that uses `plotters`.
//!
//! - `run_charts`: the five charts of a run, from [`ChartData`] (`data`).
//! - `compare_charts`: the overlays of `compare`, from [`CompareData`].
//! - `sweep_chart`: the chart of `sweep`, from [`SweepChartData`].
//! - `tornado`: the run's `tornado` chart and the `swing` chart of `sensitivity`.
//! - `spec`: the description types; `dump`: their text form for snapshot tests.
//! - `render`, `font` (embedded DejaVu Sans and glyph metrics), `png` (deterministic
//!   encoder), `palette` (Okabe-Ito colours), `fixture` (example data).

mod compare_charts;
mod data;
mod dump;
mod fixture;
mod font;
mod odds_charts;
pub mod palette;
mod png;
mod render;
mod run_charts;
pub mod spec;
mod sweep_chart;
mod tornado;

pub use compare_charts::{compare_chart, compare_data, CompareData, CompareKind, CompareScenario};
pub use data::{Band, ChartData, RegionSeries, SensitivityBars};
pub use dump::dump;
pub use fixture::sample_data;
pub use render::{ensure_fonts, render};
pub use run_charts::{run_chart, ChartKind};
pub use sweep_chart::{sweep_chart, SweepChartData, SweepPoint, SweepScale};
pub use tornado::{swing_chart, SwingChartData, Tornado, TornadoBar, TORNADO_BARS};

/// Width of every chart in pixels (PNG) or user units (SVG).
pub const WIDTH: u32 = 1600;
/// Height of every chart in pixels (PNG) or user units (SVG).
pub const HEIGHT: u32 = 900;

/// Output format of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    /// 1600x900 RGB PNG, for slides.
    Png,
    /// SVG text of the same logical size, for print and the HTML report.
    Svg,
}

/// Errors from chart and report rendering.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The embedded font could not be registered with plotters.
    #[error("font registration failed: {0}")]
    Font(String),
    /// The input cannot be drawn (for example, no months at all).
    #[error("invalid chart data: {0}")]
    Data(String),
    /// plotters reported a drawing error.
    #[error("drawing failed: {0}")]
    Draw(String),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

/// Render one run chart as PNG bytes (1600x900 RGB) or SVG text bytes.
///
/// The output is a pure function of the inputs. Returns [`ChartError::Data`] when
/// `data.dates` is empty; otherwise short or missing series are drawn as far as they go.
pub fn render_chart(kind: ChartKind, data: &ChartData, format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    if data.dates.is_empty() {
        return Err(ChartError::Data("no months to chart (dates is empty)".into()));
    }
    render(&run_chart(kind, data), format)
}

/// Render one overlay chart as PNG or SVG bytes; `None` when the chart has nothing to
/// show (the dependency chart when no scenario has a home origin).
pub fn render_compare_chart(
    kind: CompareKind,
    data: &CompareData,
    format: ChartFormat,
) -> Result<Option<Vec<u8>>, ChartError> {
    if data.dates.is_empty() || data.scenarios.is_empty() {
        return Err(ChartError::Data("no scenarios or months to chart".into()));
    }
    compare_chart(kind, data).map(|fig| render(&fig, format)).transpose()
}

/// Render the sweep chart (`sweep.png` / `sweep.svg`): chips operational at the horizon
/// against the swept value, median with markers over the P10-P90 band.
pub fn render_sweep_chart(data: &SweepChartData, format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    if data.points.is_empty() {
        return Err(ChartError::Data("no swept values to chart".into()));
    }
    render(&sweep_chart(data), format)
}

/// Render the swing chart of `buildout sensitivity` (`swing.png` / `swing.svg`).
pub fn render_swing_chart(data: &SwingChartData, format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    if data.tornado.bars.is_empty() {
        return Err(ChartError::Data("no uncertain inputs to chart".into()));
    }
    render(&swing_chart(data), format)
}
