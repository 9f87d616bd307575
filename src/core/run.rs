//! One run: the buildout model of MODEL.md sections 4 and 8 on top of the generic event
//! queue. `run_one` is a plain function of (scenario, master seed, run index).

use super::dist::FailureLaw;
use super::event::EventQueue;
use super::metrics::{origin_share_index, series_count, Binding, Series};
use super::rng::{item_stream, StreamKind};
use super::scenario::{Scenario, ShockEffect};
use super::units::{Kw, Mw};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Slack in capacity arithmetic: k = floor(headroom / need + 1e-9) (MODEL.md 8.11).
const CAPACITY_EPSILON: f64 = 1e-9;

/// What one run recorded: every series at every whole month, and the binding state.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    /// Series per month (`metrics::series_count`).
    pub series_per_month: usize,
    /// Month-major values: `values[m * series_per_month + s]`.
    pub values: Vec<f64>,
    /// Binding state per month.
    pub binding: Vec<Binding>,
}

impl RunRecord {
    /// A record with no months, to be filled by `run_into`.
    pub fn empty() -> RunRecord {
        RunRecord { series_per_month: 0, values: Vec::new(), binding: Vec::new() }
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
    MonthTick,
    PowerOnline,
    SiteReady,
    ShockStart,
    ShockEnd,
    Retirement,
    Commissioning,
    DeliveryArrival,
}

impl EventKind {
    /// Name used in traces.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::MonthTick => "month_tick",
            EventKind::PowerOnline => "power_online",
            EventKind::SiteReady => "site_ready",
            EventKind::ShockStart => "shock_start",
            EventKind::ShockEnd => "shock_end",
            EventKind::Retirement => "retirement",
            EventKind::Commissioning => "commissioning",
            EventKind::DeliveryArrival => "delivery_arrival",
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Event {
    MonthTick,
    PowerOnline(u32),
    SiteReady(u32),
    ShockStart(u32),
    ShockEnd(u32),
    Retirement(u32),
    Commissioning(u32),
    DeliveryArrival(u32),
}

impl Event {
    fn kind(self) -> EventKind {
        match self {
            Event::MonthTick => EventKind::MonthTick,
            Event::PowerOnline(_) => EventKind::PowerOnline,
            Event::SiteReady(_) => EventKind::SiteReady,
            Event::ShockStart(_) => EventKind::ShockStart,
            Event::ShockEnd(_) => EventKind::ShockEnd,
            Event::Retirement(_) => EventKind::Retirement,
            Event::Commissioning(_) => EventKind::Commissioning,
            Event::DeliveryArrival(_) => EventKind::DeliveryArrival,
        }
    }
}

/// One handled event, as a trace sees it, with the state after it.
#[derive(Debug)]
pub struct TraceRow<'a> {
    pub time: f64,
    pub kind: EventKind,
    /// The item the event concerns (site, delivery, power addition, shock), if any.
    pub item: &'a str,
    /// Chips the event itself moved (arrived, cancelled, commissioned, lost, retired).
    pub chips: u64,
    /// What the event did, in a word: "arrived", "postponed", "cancelled", ...
    pub outcome: &'static str,
    /// Chips placed by the allocation pass that followed the event.
    pub placed: u64,
    pub waiting: u64,
    pub installing: u64,
    pub operational: u64,
    pub lost: u64,
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

/// Chips placed together from one delivery into one site (MODEL.md 8.8).
#[derive(Debug, Clone, Copy)]
struct Lot {
    delivery: u32,
    chip: u32,
    site: u32,
    /// Chips placed; they move together to operational at commissioning.
    count: u64,
    /// The attrition group the lot joined at commissioning (`NO_GROUP` before).
    group: u32,
}

/// Operational chips that attrition draws for at once. A lot that retires inside the
/// horizon is a group of its own, since its survivors leave together; every other lot
/// of a (site, chip type) joins that pair's one group, because the chips are then
/// interchangeable and the sum of independent Binomial(n_i, p) losses is exactly
/// Binomial(sum of n_i, p) (docs/model.md, "Binomial attrition").
#[derive(Debug, Clone, Copy)]
struct Group {
    chip: u32,
    site: u32,
    /// Operational chips still working.
    count: u64,
    /// (1 - monthly p)^n for n = `p_zero_count`: reused while the count stays put.
    p_zero: f64,
    p_zero_count: u64,
}

/// `Lot::group` of a lot not yet commissioned, and an empty pooled-group slot.
const NO_GROUP: u32 = u32::MAX;

/// Buffers reused from run to run so a run allocates only its record.
#[derive(Default)]
pub struct Workspace {
    queue: EventQueue<Event>,
    lots: Vec<Lot>,
    /// Attrition groups, in the order they were formed.
    groups: Vec<Group>,
    /// Per (site, chip type): the group that pools its lots which never retire inside
    /// the horizon, or `NO_GROUP`.
    pooled_group: Vec<u32>,
    // Per delivery.
    arrival_month: Vec<f64>,
    waiting: Vec<u64>,
    probability_cancelled: Vec<bool>,
    /// Deliveries with waiting chips, by (arrival time, file order).
    waiting_order: Vec<u32>,
    // Per site.
    site_ready: Vec<bool>,
    install_months: Vec<f64>,
    /// Installing + operational chips per (site, chip type).
    site_chips: Vec<u64>,
    site_used_it: Vec<Kw>,
    site_streams: Vec<ChaCha8Rng>,
    // Per region.
    grid: Vec<Kw>,
    region_headroom_mw: Vec<f64>,
    // Per shock: [start, end) when it happens.
    shock_window: Vec<Option<(f64, f64)>>,
    /// Facility power drawn by installing and operational chips, per region (a cache of
    /// `region_used_facility`, refreshed whenever a site of the region changes).
    region_used: Vec<Kw>,
    /// Waiting deliveries the next allocation pass looks at: those that arrived, or one
    /// of whose candidate regions gained room (power, a ready site, freed chips), since
    /// the last pass. Placing chips only ever takes room, so any other waiting delivery
    /// would find none; the pass never visits it.
    recheck: Vec<u32>,
    /// Per delivery: whether it is in `recheck`.
    queued: Vec<bool>,
    /// Groups with operational chips, by group index (formation order): the attrition list.
    operational_groups: Vec<u32>,
    /// Sites whose chip counts changed since their kW figures were last refreshed.
    stale_sites: Vec<u32>,
    site_stale: Vec<bool>,
    /// Sites of each region, in file order (so a region's draw costs its own sites only).
    region_sites: Vec<Vec<u32>>,
    region_stale: Vec<bool>,
    // Per chip type.
    failure_law: Vec<FailureLaw>,
    installing_by_chip: Vec<u64>,
    operational_by_chip: Vec<u64>,
    delivered: u64,
    lost: u64,
    cancelled: u64,
    events_handled: u64,
    /// Deliveries the allocation passes of the run looked at (a work count for tests).
    deliveries_examined: u64,
    /// When set, every allocation pass looks at every waiting delivery (for tests).
    recheck_all: bool,
    /// When set, every attrition draw's (n, p) is kept in `draws` (for benchmarks).
    record_draws: bool,
    draws: Vec<(u64, f64)>,
}

impl Workspace {
    /// Events handled in the last run (for benchmarks).
    pub fn events_handled(&self) -> u64 {
        self.events_handled
    }

    /// Deliveries the allocation passes of the last run looked at, counted once per pass
    /// (a measure of allocation work that does not depend on the machine).
    pub fn deliveries_examined(&self) -> u64 {
        self.deliveries_examined
    }

    /// Run the allocation pass after every event over every waiting delivery, as MODEL.md
    /// 4.6 states it, instead of only over those that arrived or may have gained room
    /// since the last pass. Results must not change: tests compare the two.
    pub fn recheck_every_waiting_delivery(&mut self, on: bool) {
        self.recheck_all = on;
    }

    /// Keep (or stop keeping) the (n, p) of every attrition draw of the next runs.
    pub fn record_attrition_draws(&mut self, on: bool) {
        self.record_draws = on;
    }

    /// The (n, p) of every binomial attrition draw of the last run, in order, when
    /// `record_attrition_draws(true)` was called (for the benchmark's draws-only floor).
    pub fn attrition_draws(&self) -> &[(u64, f64)] {
        &self.draws
    }
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
    for month in 0..=horizon {
        while let Some((time, event)) = engine.ws.queue.pop_until(f64::from(month)) {
            engine.ws.events_handled += 1;
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
        let row = &mut record.values[month as usize * per_month..(month as usize + 1) * per_month];
        record.binding.push(engine.sample(row));
    }
}

struct Engine<'a> {
    s: &'a Scenario,
    ws: &'a mut Workspace,
}

impl<'a> Engine<'a> {
    fn reset(&mut self) {
        let (s, ws) = (self.s, &mut *self.ws);
        let (nd, ns, nc) = (s.deliveries.len(), s.sites.len(), s.chips.len());
        ws.queue.clear();
        ws.lots.clear();
        ws.groups.clear();
        reset_vec(&mut ws.pooled_group, ns * nc, NO_GROUP);
        reset_vec(&mut ws.arrival_month, nd, 0.0);
        reset_vec(&mut ws.waiting, nd, 0);
        reset_vec(&mut ws.probability_cancelled, nd, false);
        ws.waiting_order.clear();
        reset_vec(&mut ws.site_ready, ns, false);
        reset_vec(&mut ws.install_months, ns, 0.0);
        reset_vec(&mut ws.site_chips, ns * nc, 0);
        reset_vec(&mut ws.site_used_it, ns, Kw::ZERO);
        ws.site_streams.clear();
        ws.grid.clear();
        ws.grid.extend(s.regions.iter().map(|r| r.grid().to_kw()));
        reset_vec(&mut ws.region_headroom_mw, s.regions.len(), 0.0);
        reset_vec(&mut ws.shock_window, s.shocks.len(), None);
        reset_vec(&mut ws.region_used, s.regions.len(), Kw::ZERO);
        ws.recheck.clear();
        reset_vec(&mut ws.queued, nd, false);
        ws.operational_groups.clear();
        reset_vec(&mut ws.installing_by_chip, nc, 0);
        ws.failure_law.clear();
        ws.failure_law.extend(s.chips.iter().map(|c| FailureLaw::new(c.monthly_failure_probability)));
        ws.stale_sites.clear();
        reset_vec(&mut ws.site_stale, ns, false);
        reset_vec(&mut ws.region_stale, s.regions.len(), false);
        ws.region_sites.resize_with(s.regions.len(), Vec::new);
        ws.region_sites.truncate(s.regions.len());
        for list in &mut ws.region_sites {
            list.clear();
        }
        for (i, site) in s.sites.iter().enumerate() {
            ws.region_sites[site.region].push(i as u32);
        }
        reset_vec(&mut ws.operational_by_chip, nc, 0);
        ws.delivered = 0;
        ws.lost = 0;
        ws.cancelled = 0;
        ws.events_handled = 0;
        ws.deliveries_examined = 0;
        ws.draws.clear();
    }

    /// Section 4.1-4.2: every random input of the run, then the initial schedule.
    fn draw_and_schedule(&mut self, seed: u64, run: u64) {
        let (s, ws) = (self.s, &mut *self.ws);
        let horizon = f64::from(s.horizon_month);
        let schedule = |ws: &mut Workspace, time: f64, order: usize, event: Event| {
            if time <= horizon {
                ws.queue.push(time, event.kind() as u8, order as u32, event);
            }
        };
        for month in 1..=s.horizon_month {
            schedule(ws, f64::from(month), 0, Event::MonthTick);
        }
        for (i, p) in s.power.iter().enumerate() {
            let mut rng = item_stream(seed, run, StreamKind::Power, &p.timing.stream_key);
            let happens = rng.gen::<f64>() < p.timing.probability;
            let time = (p.timing.planned_month + p.timing.delay_months.sample(&mut rng)).max(0.0);
            if happens {
                schedule(ws, time, i, Event::PowerOnline(i as u32));
            }
        }
        for (i, site) in s.sites.iter().enumerate() {
            let mut rng = item_stream(seed, run, StreamKind::Site, &site.timing.stream_key);
            let happens = rng.gen::<f64>() < site.timing.probability;
            let time = (site.timing.planned_month + site.timing.delay_months.sample(&mut rng)).max(0.0);
            ws.install_months[i] = site.install_months.sample(&mut rng).max(0.0);
            if happens {
                schedule(ws, time, i, Event::SiteReady(i as u32));
            }
            ws.site_streams.push(item_stream(seed, run, StreamKind::SiteOperations, &site.name));
        }
        for (i, d) in s.deliveries.iter().enumerate() {
            let mut rng = item_stream(seed, run, StreamKind::Delivery, &d.timing.stream_key);
            let happens = rng.gen::<f64>() < d.timing.probability;
            let time = (d.timing.planned_month + d.timing.delay_months.sample(&mut rng)).max(0.0);
            ws.probability_cancelled[i] = !happens;
            // A cancelled delivery still gets its event: it enters `cancelled` then (8.12).
            schedule(ws, time, i, Event::DeliveryArrival(i as u32));
        }
        for (i, shock) in s.shocks.iter().enumerate() {
            let mut rng = item_stream(seed, run, StreamKind::Shock, &shock.stream_key);
            let happens = rng.gen::<f64>() < shock.probability;
            let start = shock.earliest_month + rng.gen::<f64>() * (shock.latest_month - shock.earliest_month);
            let duration = shock.duration_months.sample(&mut rng).max(0.0);
            if happens {
                ws.shock_window[i] = Some((start, start + duration));
                schedule(ws, start, i, Event::ShockStart(i as u32));
                schedule(ws, start + duration, i, Event::ShockEnd(i as u32));
            }
        }
    }

    fn push(&mut self, time: f64, order: u32, event: Event) {
        if time <= f64::from(self.s.horizon_month) {
            self.ws.queue.push(time, event.kind() as u8, order, event);
        }
    }

    /// Handles one event; returns (item name, chips moved, outcome).
    fn handle(&mut self, time: f64, event: Event) -> (&'a str, u64, &'static str) {
        let s: &'a Scenario = self.s;
        match event {
            Event::MonthTick => ("", self.attrition(), "failed"),
            Event::PowerOnline(i) => {
                let p = &s.power[i as usize];
                self.ws.grid[p.region] += p.power().to_kw();
                self.gained_room(p.region);
                (p.timing.stream_key.as_str(), 0, "online")
            }
            Event::SiteReady(i) => {
                self.ws.site_ready[i as usize] = true;
                self.gained_room(s.sites[i as usize].region);
                (s.sites[i as usize].name.as_str(), 0, "ready")
            }
            Event::ShockStart(i) => (s.shocks[i as usize].stream_key.as_str(), 0, "started"),
            Event::ShockEnd(i) => (s.shocks[i as usize].stream_key.as_str(), 0, "ended"),
            Event::Retirement(l) => {
                let lot = self.ws.lots[l as usize];
                let name = s.deliveries[lot.delivery as usize].timing.stream_key.as_str();
                // A retiring lot is its own group, so the group's survivors are the lot's.
                let survivors = self.ws.groups[lot.group as usize].count;
                if survivors > 0 {
                    self.remove_chips(lot.group as usize, survivors);
                }
                (name, survivors, "retired")
            }
            Event::Commissioning(l) => {
                let lot = self.ws.lots[l as usize];
                let name = s.deliveries[lot.delivery as usize].timing.stream_key.as_str();
                let (chip, count) = (lot.chip as usize, lot.count);
                self.ws.installing_by_chip[chip] -= count;
                self.ws.operational_by_chip[chip] += count;
                let retires_at = s.chips[chip].life_months.map(|life| time + life);
                let group = match retires_at {
                    Some(t) if t <= f64::from(s.horizon_month) => {
                        self.push(t, lot.delivery, Event::Retirement(l));
                        self.new_group(&lot)
                    }
                    _ => {
                        let slot = lot.site as usize * s.chips.len() + chip;
                        if self.ws.pooled_group[slot] == NO_GROUP {
                            self.ws.pooled_group[slot] = self.new_group(&lot);
                        }
                        self.ws.pooled_group[slot]
                    }
                };
                self.ws.lots[l as usize].group = group;
                let g = &mut self.ws.groups[group as usize];
                let was_empty = g.count == 0;
                g.count += count;
                if was_empty && count > 0 {
                    // Keep the list in group order: groups leave it when they empty and
                    // come back when they fill again.
                    let ops = &mut self.ws.operational_groups;
                    let pos = ops.partition_point(|&o| o < group);
                    ops.insert(pos, group);
                }
                (name, count, "operational")
            }
            Event::DeliveryArrival(i) => {
                let d = &s.deliveries[i as usize];
                let name = d.timing.stream_key.as_str();
                if self.ws.probability_cancelled[i as usize] {
                    self.ws.cancelled += d.count;
                    return (name, d.count, "cancelled");
                }
                let origin = s.chips[d.chip].origin;
                let mut cancel = false;
                let mut postpone_to: Option<f64> = None;
                for (k, shock) in s.shocks.iter().enumerate() {
                    if shock.origin != Some(origin) {
                        continue;
                    }
                    if let Some((start, end)) = self.ws.shock_window[k] {
                        if start <= time && time < end {
                            match shock.effect {
                                ShockEffect::Cancel => cancel = true,
                                ShockEffect::Postpone => {
                                    postpone_to = Some(postpone_to.map_or(end, |t: f64| t.max(end)))
                                }
                            }
                        }
                    }
                }
                if cancel {
                    self.ws.cancelled += d.count;
                    return (name, d.count, "cancelled by shock");
                }
                if let Some(end) = postpone_to {
                    self.push(end, i, Event::DeliveryArrival(i));
                    return (name, 0, "postponed");
                }
                self.ws.delivered += d.count;
                if d.count > 0 {
                    self.ws.waiting[i as usize] = d.count;
                    self.ws.arrival_month[i as usize] = time;
                    // Arrivals come in time order, so the new one goes after every earlier
                    // arrival and after equal-time arrivals earlier in the file.
                    let arrival = &self.ws.arrival_month;
                    let pos = self.ws.waiting_order.partition_point(|&w| arrives_before(arrival, w, i));
                    self.ws.waiting_order.insert(pos, i);
                    self.queue_recheck(i);
                }
                (name, d.count, "arrived")
            }
        }
    }

    /// A new, empty attrition group for the chips of `lot`.
    fn new_group(&mut self, lot: &Lot) -> u32 {
        let index = self.ws.groups.len() as u32;
        self.ws.groups.push(Group { chip: lot.chip, site: lot.site, count: 0, p_zero: 1.0, p_zero_count: 0 });
        index
    }

    /// Section 4.5: each operational lot loses Binomial(n, monthly p) chips for good,
    /// drawn one group of lots at a time (`Group`). Groups are visited in the order they
    /// formed; groups with no operational chips draw nothing.
    fn attrition(&mut self) -> u64 {
        let mut total = 0;
        let mut ops = std::mem::take(&mut self.ws.operational_groups);
        for &g in &ops {
            let group = &mut self.ws.groups[g as usize];
            let law = &self.ws.failure_law[group.chip as usize];
            let p = self.s.chips[group.chip as usize].monthly_failure_probability;
            if p <= 0.0 || group.count == 0 {
                continue;
            }
            if group.p_zero_count != group.count {
                group.p_zero = law.p_zero(group.count);
                group.p_zero_count = group.count;
            }
            if self.ws.record_draws {
                self.ws.draws.push((group.count, p));
            }
            let rng = &mut self.ws.site_streams[group.site as usize];
            let failed = law.sample(rng, group.count, group.p_zero);
            if failed > 0 {
                self.take_out(g as usize, failed);
                total += failed;
            }
        }
        self.settle_sites();
        let groups = &self.ws.groups;
        ops.retain(|&g| groups[g as usize].count > 0);
        self.ws.operational_groups = ops;
        total
    }

    /// Records that `region` gained room, so waiting deliveries with a candidate there
    /// are looked at again by the next allocation pass.
    fn gained_room(&mut self, region: usize) {
        let s = self.s;
        let placeable = &s.regions[region].placeable_deliveries;
        if self.ws.waiting_order.len() < placeable.len() {
            // Fewer deliveries wait than the region lists (national mode lists every
            // delivery in every region): walk the waiting ones instead.
            for i in 0..self.ws.waiting_order.len() {
                let d = self.ws.waiting_order[i];
                if s.deliveries[d as usize].candidate_regions.binary_search(&region).is_ok() {
                    self.queue_recheck(d);
                }
            }
            return;
        }
        for &d in placeable {
            if self.ws.waiting[d] > 0 {
                self.queue_recheck(d as u32);
            }
        }
    }

    fn queue_recheck(&mut self, delivery: u32) {
        let queued = &mut self.ws.queued[delivery as usize];
        if !*queued {
            *queued = true;
            self.ws.recheck.push(delivery);
        }
    }

    /// Refreshes the cached facility draw of the region of `site`.
    fn site_changed(&mut self, site: usize) {
        let region = self.s.sites[site].region;
        self.ws.region_used[region] = self.region_used_facility(region);
    }

    /// Takes `n` operational chips of a group out for good, freeing space and power at once.
    fn remove_chips(&mut self, g: usize, n: u64) {
        self.take_out(g, n);
        self.settle_sites();
    }

    /// Takes chips out of a group's counts; `settle_sites` then refreshes the kW figures
    /// (once per site, however many groups of it lost chips at a tick).
    fn take_out(&mut self, g: usize, n: u64) {
        let nc = self.s.chips.len();
        let ws = &mut *self.ws;
        let group = &mut ws.groups[g];
        group.count -= n;
        let (chip, site) = (group.chip as usize, group.site as usize);
        ws.operational_by_chip[chip] -= n;
        ws.site_chips[site * nc + chip] -= n;
        ws.lost += n;
        if !ws.site_stale[site] {
            ws.site_stale[site] = true;
            ws.stale_sites.push(site as u32);
        }
    }

    /// Recomputes the IT draw of every site that lost chips, from integer counts, then
    /// once per region touched its facility draw, and marks those regions as having
    /// gained room.
    fn settle_sites(&mut self) {
        let mut stale = std::mem::take(&mut self.ws.stale_sites);
        for &site in &stale {
            let site = site as usize;
            self.ws.site_stale[site] = false;
            self.ws.site_used_it[site] = used_it(self.s, &self.ws.site_chips, site);
            self.ws.region_stale[self.s.sites[site].region] = true;
        }
        for &site in &stale {
            let region = self.s.sites[site as usize].region;
            if self.ws.region_stale[region] {
                self.ws.region_stale[region] = false;
                self.ws.region_used[region] = self.region_used_facility(region);
                self.gained_room(region);
            }
        }
        stale.clear();
        self.ws.stale_sites = stale;
    }

    fn region_used_facility(&self, region: usize) -> Kw {
        self.ws.region_sites[region]
            .iter()
            .map(|&i| self.ws.site_used_it[i as usize] * self.s.sites[i as usize].pue)
            .sum()
    }

    /// Chips of `chip` that fit in `site` by IT capacity.
    fn it_room(&self, site: usize, chip: usize) -> u64 {
        let st = &self.s.sites[site];
        fit(st.it_capacity().to_kw() - self.ws.site_used_it[site], self.s.chips[chip].power())
    }

    /// Chips of `chip` that fit in `site` by IT capacity, and by its region's power.
    fn room(&self, site: usize, chip: usize) -> (u64, u64) {
        let s = self.s;
        let st = &s.sites[site];
        let power = s.chips[chip].power();
        let region_headroom = self.ws.grid[st.region] - self.ws.region_used[st.region];
        (self.it_room(site, chip), fit(region_headroom, power * st.pue))
    }

    /// Section 4.6: places waiting lots, oldest arrival first, into candidate sites. Only
    /// the deliveries in `recheck` are looked at, in waiting order.
    fn allocate(&mut self, time: f64) -> u64 {
        let s = self.s;
        let mut placed_total = 0;
        let mut recheck = std::mem::take(&mut self.ws.recheck);
        let arrival = &self.ws.arrival_month;
        recheck.sort_unstable_by(|&a, &b| {
            if arrives_before(arrival, a, b) {
                std::cmp::Ordering::Less
            } else if arrives_before(arrival, b, a) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
        self.ws.deliveries_examined += recheck.len() as u64;
        for &d in &recheck {
            let d = d as usize;
            self.ws.queued[d] = false;
            if self.ws.waiting[d] == 0 {
                continue;
            }
            let delivery = &s.deliveries[d];
            for &site in &delivery.candidates {
                if self.ws.waiting[d] == 0 {
                    break;
                }
                if !self.ws.site_ready[site] {
                    continue;
                }
                let (by_space, by_power) = self.room(site, delivery.chip);
                let k = self.ws.waiting[d].min(by_space).min(by_power);
                if k == 0 {
                    continue;
                }
                self.ws.waiting[d] -= k;
                placed_total += k;
                let lot = self.ws.lots.len() as u32;
                self.ws.lots.push(Lot {
                    delivery: d as u32,
                    chip: delivery.chip as u32,
                    site: site as u32,
                    count: k,
                    group: NO_GROUP,
                });
                self.ws.installing_by_chip[delivery.chip] += k;
                self.ws.site_chips[site * s.chips.len() + delivery.chip] += k;
                self.ws.site_used_it[site] = used_it(s, &self.ws.site_chips, site);
                self.site_changed(site);
                self.push(time + self.ws.install_months[site], d as u32, Event::Commissioning(lot));
            }
            if self.ws.waiting[d] == 0 {
                let arrival = &self.ws.arrival_month;
                let order = &mut self.ws.waiting_order;
                let pos = order.partition_point(|&w| arrives_before(arrival, w, d as u32));
                // The list is kept in waiting order, so `pos` is the delivery's place; the
                // search below only guards that invariant.
                let pos = if order.get(pos) == Some(&(d as u32)) {
                    Some(pos)
                } else {
                    order.iter().position(|&w| w as usize == d)
                };
                if let Some(pos) = pos {
                    order.remove(pos);
                }
            }
        }
        recheck.clear();
        self.ws.recheck = recheck;
        placed_total
    }

    /// Section 5: fills one month's values and returns the binding state.
    fn sample(&mut self, row: &mut [f64]) -> Binding {
        let s = self.s;
        let ws = &*self.ws;
        let installing: u64 = ws.installing_by_chip.iter().sum();
        let operational: u64 = ws.operational_by_chip.iter().sum();
        let waiting: u64 = ws.waiting_order.iter().map(|&d| ws.waiting[d as usize]).sum();
        let mut it = Kw::ZERO;
        let mut facility = Kw::ZERO;
        // Built capacity is summed as the scenario states it, in MW (a sum in kW would
        // round differently).
        let mut built_it = Mw::ZERO;
        let mut built_facility = Mw::ZERO;
        for (i, site) in s.sites.iter().enumerate() {
            it += ws.site_used_it[i];
            facility += ws.site_used_it[i] * site.pue;
            if ws.site_ready[i] {
                built_it += site.it_capacity();
                built_facility += site.it_capacity() * site.pue;
            }
        }
        let mut by_power = 0;
        let mut by_space = 0;
        let mut capital = 0.0;
        for &d in &ws.waiting_order {
            let delivery = &s.deliveries[d as usize];
            let n = ws.waiting[d as usize];
            capital += n as f64 * s.chips[delivery.chip].price_usd.unwrap_or(0.0);
            let has_space =
                delivery.candidates.iter().any(|&site| ws.site_ready[site] && self.it_room(site, delivery.chip) >= 1);
            if has_space {
                by_power += n;
            } else {
                by_space += n;
            }
        }
        row[Series::Delivered.index()] = ws.delivered as f64;
        row[Series::Waiting.index()] = waiting as f64;
        row[Series::Installing.index()] = installing as f64;
        row[Series::Operational.index()] = operational as f64;
        row[Series::Lost.index()] = ws.lost as f64;
        row[Series::Cancelled.index()] = ws.cancelled as f64;
        // Compute is summed from integer chip counts so it carries no drift from attrition.
        let compute_exact: f64 = s.chips.iter().zip(&ws.operational_by_chip).map(|(c, &n)| n as f64 * c.pflops).sum();
        row[Series::ComputePflops.index()] = compute_exact;
        row[Series::ItMw.index()] = it.to_mw().0;
        row[Series::FacilityMw.index()] = facility.to_mw().0;
        row[Series::GridMw.index()] = ws.grid.iter().copied().sum::<Kw>().to_mw().0;
        row[Series::BuiltItMw.index()] = built_it.0;
        let home = s.home_origin.as_ref().and_then(|h| s.origins.iter().position(|o| o == h));
        row[Series::DomesticShare.index()] = match home {
            Some(h) if compute_exact > 0.0 => origin_compute(s, &ws.operational_by_chip, h) / compute_exact,
            _ => 0.0,
        };
        row[Series::StrandedByPower.index()] = by_power as f64;
        row[Series::StrandedBySpace.index()] = by_space as f64;
        row[Series::BuiltFacilityMw.index()] = built_facility.0;
        row[Series::StrandedCapitalUsd.index()] = capital;
        for o in 0..s.origins.len() {
            row[origin_share_index(o)] =
                if compute_exact > 0.0 { origin_compute(s, &ws.operational_by_chip, o) / compute_exact } else { 0.0 };
        }
        if waiting == 0 {
            Binding::Chips
        } else if by_power >= by_space {
            Binding::Power
        } else {
            Binding::Space
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn observe<O: RunObserver>(
        &mut self,
        observer: &mut O,
        time: f64,
        kind: EventKind,
        item: &str,
        chips: u64,
        outcome: &'static str,
        placed: u64,
    ) {
        for r in 0..self.s.regions.len() {
            self.ws.region_headroom_mw[r] = (self.ws.grid[r] - self.region_used_facility(r)).to_mw().0;
        }
        let ws = &*self.ws;
        observer.on_event(&TraceRow {
            time,
            kind,
            item,
            chips,
            outcome,
            placed,
            waiting: ws.waiting_order.iter().map(|&d| ws.waiting[d as usize]).sum(),
            installing: ws.installing_by_chip.iter().sum(),
            operational: ws.operational_by_chip.iter().sum(),
            lost: ws.lost,
            region_headroom_mw: &ws.region_headroom_mw,
        });
    }
}

fn origin_compute(s: &Scenario, operational_by_chip: &[u64], origin: usize) -> f64 {
    s.chips.iter().zip(operational_by_chip).filter(|(c, _)| c.origin == origin).map(|(c, &n)| n as f64 * c.pflops).sum()
}

/// IT power drawn by the installing and operational chips of `site`, from integer counts.
fn used_it(s: &Scenario, site_chips: &[u64], site: usize) -> Kw {
    let n = s.chips.len();
    s.chips.iter().zip(&site_chips[site * n..(site + 1) * n]).map(|(c, &k)| c.power() * k as f64).sum()
}

/// floor(headroom / need + epsilon), never negative.
fn fit(headroom: Kw, need: Kw) -> u64 {
    let k = (headroom / need + CAPACITY_EPSILON).floor();
    if k >= 1.0 {
        // Saturating float-to-int conversion.
        k as u64
    } else {
        0
    }
}

/// Waiting order (MODEL.md 8.10): delivery `a` goes before `b` when it arrived earlier,
/// or at the same time and earlier in the file.
fn arrives_before(arrival_month: &[f64], a: u32, b: u32) -> bool {
    let (ta, tb) = (arrival_month[a as usize], arrival_month[b as usize]);
    ta < tb || (ta == tb && a < b)
}

fn reset_vec<T: Clone>(v: &mut Vec<T>, len: usize, value: T) {
    v.clear();
    v.resize(len, value);
}
