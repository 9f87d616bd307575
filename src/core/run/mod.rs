//! One run: the buildout model of MODEL.md sections 4 and 8 on top of the generic event
//! queue. `run_one` is a plain function of (scenario, master seed, run index).
//!
//! `mod.rs` holds what callers see: the record, the observer and its rows, and the entry
//! points. The engine itself is split by what each part owns: `engine` (events and their
//! handling), `workspace` (the reused buffers), `allocate` (placing waiting chips),
//! `attrition` (groups, monthly losses and repairs), `money` (budget lines, energy and
//! cost integrals) and `sample` (monthly values and trace rows).

mod allocate;
mod attrition;
mod draws;
mod engine;
mod money;
mod sample;
mod workspace;

use super::metrics::{series_count, Binding, Series};
use super::scenario::Scenario;
use super::scope::{ScopeShape, ScopedRecord};
pub use draws::{drawn_inputs, input_laws, DrawnInput, InputLaw};
use engine::Engine;
use workspace::reset_vec;
pub use workspace::Workspace;

/// What one run recorded: every series at every whole month, and the binding state.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    /// Series per month (`metrics::series_count`).
    pub series_per_month: usize,
    /// Month-major values: `values[m * series_per_month + s]`.
    pub values: Vec<f64>,
    /// Binding state per month.
    pub binding: Vec<Binding>,
    /// The per-region and per-owner values (empty for one region and one owner).
    pub scoped: ScopedRecord,
}

impl RunRecord {
    /// A record with no months, to be filled by `run_into`.
    pub fn empty() -> RunRecord {
        RunRecord { series_per_month: 0, values: Vec::new(), binding: Vec::new(), scoped: ScopedRecord::default() }
    }
    /// Value of series `s` at month `m`.
    pub fn get(&self, month: usize, s: Series) -> f64 {
        self.values[month * self.series_per_month + s.index()]
    }
    /// Number of sampled months (H + 1).
    pub fn months(&self) -> usize {
        self.binding.len()
    }
}

/// Event kinds, in the tie-break order of MODEL.md section 4.4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A whole month passes: operational chips go through attrition.
    MonthTick,
    /// A grid power addition comes online.
    PowerOnline,
    /// A site becomes ready to take chips.
    SiteReady,
    /// Chips already running at the start are delivered and placed (t = 0).
    Installed,
    /// A supply shock begins.
    ShockStart,
    /// A supply shock ends.
    ShockEnd,
    /// A budget line receives a year's money.
    Appropriation,
    /// A lot reaches the end of its service life.
    Retirement,
    /// Repaired chips return to service.
    RepairDone,
    /// A lot finishes installing and becomes operational.
    Commissioning,
    /// A delivery is due to arrive (it may be cancelled or postponed).
    DeliveryArrival,
}

impl EventKind {
    /// Name used in traces.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::MonthTick => "month_tick",
            EventKind::PowerOnline => "power_online",
            EventKind::SiteReady => "site_ready",
            EventKind::Installed => "installed",
            EventKind::ShockStart => "shock_start",
            EventKind::ShockEnd => "shock_end",
            EventKind::Appropriation => "appropriation",
            EventKind::Retirement => "retirement",
            EventKind::RepairDone => "repair_done",
            EventKind::Commissioning => "commissioning",
            EventKind::DeliveryArrival => "delivery_arrival",
        }
    }
}

/// One handled event, as a trace sees it, with the state after it.
#[derive(Debug)]
pub struct TraceRow<'a> {
    /// When the event happened, in months since the start.
    pub time: f64,
    /// What kind of event it was.
    pub kind: EventKind,
    /// The item the event concerns (site, delivery, power addition, shock), if any.
    pub item: &'a str,
    /// Chips the event itself moved (arrived, cancelled, commissioned, lost, retired).
    pub chips: u64,
    /// What the event did, in a word: "arrived", "postponed", "cancelled", ...
    pub outcome: &'static str,
    /// Chips placed by the allocation pass that followed the event.
    pub placed: u64,
    /// Chips delivered and waiting for a place, after the event.
    pub waiting: u64,
    /// Chips placed and installing, after the event.
    pub installing: u64,
    /// Chips operational, after the event.
    pub operational: u64,
    /// Chips lost to failures and retirement so far.
    pub lost: u64,
    /// Chips out for repair, after the event.
    pub repairing: u64,
    /// Chips of deliveries waiting for money, after the event.
    pub awaiting_funds: u64,
    /// Facility power drawn by operational chips (x average load), MW, after the event:
    /// the rate whose integral over time is `energy_mwh`.
    pub energy_draw_mw: f64,
    /// Facility MW still free in each region.
    pub region_headroom_mw: &'a [f64],
}

/// Receives every handled event of a run. The engine never prints.
pub trait RunObserver {
    /// Whether rows should be built at all (false keeps the hot path free of work).
    const ENABLED: bool;
    /// Called after each event and the allocation pass it triggered.
    fn on_event(&mut self, row: &TraceRow<'_>);
}

/// Observes nothing.
pub struct NoTrace;

impl RunObserver for NoTrace {
    const ENABLED: bool = false;
    fn on_event(&mut self, _: &TraceRow<'_>) {}
}

/// Runs one future of `scenario` with a fresh workspace.
pub fn run_one(scenario: &Scenario, seed: u64, run: u64) -> RunRecord {
    run_with(scenario, seed, run, &mut Workspace::default(), &mut NoTrace)
}

/// Runs one future, reusing `ws`, telling `observer` about every event.
pub fn run_with<O: RunObserver>(
    scenario: &Scenario,
    seed: u64,
    run: u64,
    ws: &mut Workspace,
    observer: &mut O,
) -> RunRecord {
    let mut record = RunRecord::empty();
    run_into(scenario, seed, run, ws, observer, &mut record);
    record
}

/// Runs one future into `record`, reusing its buffers: the Monte Carlo's hot path
/// allocates nothing per run once the workspace and record have grown.
pub fn run_into<O: RunObserver>(
    scenario: &Scenario,
    seed: u64,
    run: u64,
    ws: &mut Workspace,
    observer: &mut O,
    record: &mut RunRecord,
) {
    let mut engine = Engine { s: scenario, ws };
    engine.reset();
    engine.draw_and_schedule(seed, run);
    let horizon = scenario.horizon_month;
    let per_month = series_count(scenario.origins.len());
    record.series_per_month = per_month;
    reset_vec(&mut record.values, (horizon as usize + 1) * per_month, 0.0);
    record.binding.clear();
    let shape = ScopeShape::of(scenario);
    let width = shape.width();
    record.scoped.shape = shape;
    reset_vec(&mut record.scoped.values, (horizon as usize + 1) * width, 0.0);
    reset_vec(&mut record.scoped.binding, (horizon as usize + 1) * shape.regions, Binding::Chips);
    for month in 0..=horizon {
        while let Some((time, event)) = engine.ws.queue.pop_until(f64::from(month)) {
            engine.ws.events_handled += 1;
            engine.integrate_to(time);
            let (item, chips, outcome) = engine.handle(time, event);
            if engine.ws.recheck_all {
                for i in 0..engine.ws.waiting_order.len() {
                    engine.queue_recheck(engine.ws.waiting_order[i]);
                }
            }
            let placed = if engine.ws.recheck.is_empty() { 0 } else { engine.allocate(time) };
            if O::ENABLED {
                engine.observe(observer, time, event.kind(), item, chips, outcome, placed);
            }
        }
        engine.integrate_to(f64::from(month));
        let row = &mut record.values[month as usize * per_month..(month as usize + 1) * per_month];
        let m = month as usize;
        let scoped = &mut record.scoped.values[m * width..(m + 1) * width];
        let region_binding = &mut record.scoped.binding[m * shape.regions..(m + 1) * shape.regions];
        record.binding.push(engine.sample(row, shape, scoped, region_binding));
    }
}
