//! The engine of one run: the closed event enum, drawing every random input and the
//! initial schedule, and handling each event kind (MODEL.md sections 4.1-4.4).

use super::allocate::arrives_before;
use super::draws::{draws, uncertain_probability};
use super::workspace::Workspace;
use super::EventKind;
use crate::core::rng::{item_stream, StreamKind};
use crate::core::scenario::{Scenario, ShockEffect};
use rand::Rng;
use rand_distr::StandardNormal;

/// One scheduled event; the number is the index of the item it concerns.
#[derive(Debug, Clone, Copy)]
pub(super) enum Event {
    MonthTick,
    PowerOnline(u32),
    SiteReady(u32),
    Installed(u32),
    ShockStart(u32),
    ShockEnd(u32),
    Appropriation(u32),
    Retirement(u32),
    RepairDone(u32),
    Commissioning(u32),
    DeliveryArrival(u32),
}

impl Event {
    #[inline]
    pub(super) fn kind(self) -> EventKind {
        match self {
            Event::MonthTick => EventKind::MonthTick,
            Event::PowerOnline(_) => EventKind::PowerOnline,
            Event::SiteReady(_) => EventKind::SiteReady,
            Event::Installed(_) => EventKind::Installed,
            Event::ShockStart(_) => EventKind::ShockStart,
            Event::ShockEnd(_) => EventKind::ShockEnd,
            Event::Appropriation(_) => EventKind::Appropriation,
            Event::Retirement(_) => EventKind::Retirement,
            Event::RepairDone(_) => EventKind::RepairDone,
            Event::Commissioning(_) => EventKind::Commissioning,
            Event::DeliveryArrival(_) => EventKind::DeliveryArrival,
        }
    }
}

/// The uncertain inputs of one run as the engine takes them, in `drawn_inputs` order:
/// records each (for runs.csv and the sensitivity) and swaps in a pinned one (D41).
struct InputTape {
    /// Position of the next uncertain input.
    next: usize,
    /// The input pinned, and its value.
    pin: Option<(usize, f64)>,
    /// Whether the workspace records the inputs.
    record: bool,
}

impl InputTape {
    /// The value the run uses for a drawn `value`: unchanged for a certain quantity;
    /// for an uncertain one, the pinned value if it is the pinned input, else `value`.
    #[inline]
    fn take(&mut self, ws: &mut Workspace, uncertain: bool, value: f64) -> f64 {
        if !uncertain {
            return value;
        }
        let value = match self.pin {
            Some((k, pinned)) if k == self.next => pinned,
            _ => value,
        };
        self.next += 1;
        if self.record {
            ws.inputs.push(value);
        }
        value
    }
}

/// One run in progress: the scenario it runs and the workspace holding its state.
pub(super) struct Engine<'a> {
    pub(super) s: &'a Scenario,
    pub(super) ws: &'a mut Workspace,
}

impl<'a> Engine<'a> {
    /// Section 4.1-4.2: every random input of the run, then the initial schedule.
    pub(super) fn draw_and_schedule(&mut self, seed: u64, run: u64) {
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
        // runs.csv (D39): each uncertain input as drawn, where `drawn_inputs` lists it;
        // `take` also swaps in the value of a pinned input (D41). Every value is drawn
        // first, so pinning one input leaves every other draw as it was.
        let mut inputs = InputTape { next: 0, pin: ws.pin, record: ws.record_inputs };
        ws.inputs.clear();
        let flag = |happens: bool| f64::from(u8::from(happens));
        // Shared factors first: every item's delay may read them (9.1).
        for (f, factor) in s.factors.iter().enumerate() {
            let mut rng = item_stream(seed, run, StreamKind::Factor, &factor.name);
            let z = rng.sample(StandardNormal);
            ws.factor_z[f] = inputs.take(ws, true, z);
        }
        for (i, p) in s.power.iter().enumerate() {
            let mut rng = item_stream(seed, run, StreamKind::Power, &p.timing.stream_key);
            let happens = rng.gen::<f64>() < p.timing.probability;
            let delay = p.timing.draw_delay(&mut rng, &ws.factor_z);
            let happens = inputs.take(ws, uncertain_probability(p.timing.probability), flag(happens)) > 0.5;
            let delay = inputs.take(ws, draws(&p.timing.delay_months), delay);
            let time = (p.timing.planned_month + delay).max(0.0);
            if happens {
                schedule(ws, time, i, Event::PowerOnline(i as u32));
            }
        }
        for (i, site) in s.sites.iter().enumerate() {
            let mut rng = item_stream(seed, run, StreamKind::Site, &site.timing.stream_key);
            let happens = rng.gen::<f64>() < site.timing.probability;
            let delay = site.timing.draw_delay(&mut rng, &ws.factor_z);
            let install = site.install_months.sample(&mut rng).max(0.0);
            // After the site's other draws; a fixed PUE draws nothing (9.6).
            let pue = draws(&site.pue).then(|| site.pue.sample(&mut rng).max(1.0));
            let happens = inputs.take(ws, uncertain_probability(site.timing.probability), flag(happens)) > 0.5;
            let delay = inputs.take(ws, draws(&site.timing.delay_months), delay);
            let time = (site.timing.planned_month + delay).max(0.0);
            ws.install_months[i] = inputs.take(ws, draws(&site.install_months), install).max(0.0);
            if let Some(pue) = pue {
                ws.site_pue[i] = inputs.take(ws, true, pue).max(1.0);
            }
            if happens {
                schedule(ws, time, i, Event::SiteReady(i as u32));
            }
            ws.site_streams.push(item_stream(seed, run, StreamKind::SiteOperations, &site.name));
        }
        for (i, d) in s.deliveries.iter().enumerate() {
            if d.is_installed() {
                // Already running: no draws, placed at t = 0 (9.7).
                schedule(ws, 0.0, i, Event::Installed(i as u32));
                continue;
            }
            let mut rng = item_stream(seed, run, StreamKind::Delivery, &d.timing.stream_key);
            let happens = rng.gen::<f64>() < d.timing.probability;
            let delay = d.timing.draw_delay(&mut rng, &ws.factor_z);
            let happens = inputs.take(ws, uncertain_probability(d.timing.probability), flag(happens)) > 0.5;
            let delay = inputs.take(ws, draws(&d.timing.delay_months), delay);
            let time = (d.timing.planned_month + delay).max(0.0);
            ws.probability_cancelled[i] = !happens;
            // A cancelled delivery still gets its event: it enters `cancelled` then (8.12).
            schedule(ws, time, i, Event::DeliveryArrival(i as u32));
        }
        for (b, budget) in s.budgets.iter().enumerate() {
            for &(month, usd) in &budget.appropriations {
                let index = ws.appropriations.len();
                ws.appropriations.push((b as u32, usd));
                schedule(ws, month, b, Event::Appropriation(index as u32));
            }
        }
        for (i, shock) in s.shocks.iter().enumerate() {
            let mut rng = item_stream(seed, run, StreamKind::Shock, &shock.stream_key);
            let happens = rng.gen::<f64>() < shock.probability;
            let start = shock.earliest_month + rng.gen::<f64>() * (shock.latest_month - shock.earliest_month);
            let duration = shock.duration_months.sample(&mut rng).max(0.0);
            let happens = inputs.take(ws, uncertain_probability(shock.probability), flag(happens)) > 0.5;
            let start = inputs.take(ws, shock.latest_month > shock.earliest_month, start);
            let duration = inputs.take(ws, draws(&shock.duration_months), duration).max(0.0);
            if happens {
                ws.shock_window[i] = Some((start, start + duration));
                schedule(ws, start, i, Event::ShockStart(i as u32));
                schedule(ws, start + duration, i, Event::ShockEnd(i as u32));
            }
        }
    }

    /// Schedules `event` at `time`, unless it falls after the horizon.
    #[inline]
    pub(super) fn push(&mut self, time: f64, order: u32, event: Event) {
        if time <= f64::from(self.s.horizon_month) {
            self.ws.queue.push(time, event.kind() as u8, order, event);
        }
    }

    /// Handles one event; returns (item name, chips moved, outcome).
    pub(super) fn handle(&mut self, time: f64, event: Event) -> (&'a str, u64, &'static str) {
        let s: &'a Scenario = self.s;
        match event {
            Event::MonthTick => ("", self.attrition(time), "failed"),
            Event::PowerOnline(i) => {
                let p = &s.power[i as usize];
                match p.site {
                    Some(site) => self.ws.site_grid[site] += p.power().to_kw(),
                    None => self.ws.grid[p.region] += p.power().to_kw(),
                }
                self.gained_room(p.region);
                (p.timing.stream_key.as_str(), 0, "online")
            }
            Event::Installed(i) => self.install_at_start(time, i),
            Event::Appropriation(k) => self.appropriate(time, k),
            Event::RepairDone(b) => self.repair_done(b),
            Event::SiteReady(i) => {
                self.ws.site_ready[i as usize] = true;
                self.gained_room(s.sites[i as usize].region);
                (s.sites[i as usize].name.as_str(), 0, "ready")
            }
            Event::ShockStart(i) => (s.shocks[i as usize].stream_key.as_str(), 0, "started"),
            Event::ShockEnd(i) => (s.shocks[i as usize].stream_key.as_str(), 0, "ended"),
            Event::Retirement(l) => self.retire(l),
            Event::Commissioning(l) => self.commission(time, l),
            Event::DeliveryArrival(i) => self.arrive(time, i),
        }
    }

    /// A lot reaches the end of its life: its surviving chips leave for good.
    fn retire(&mut self, l: u32) -> (&'a str, u64, &'static str) {
        let s: &'a Scenario = self.s;
        let lot = self.ws.lots[l as usize];
        let name = s.deliveries[lot.delivery as usize].timing.stream_key.as_str();
        // A retiring lot is its own group, so the group's survivors are the lot's; its
        // chips under repair retire with it (9.2).
        let survivors = self.ws.groups[lot.group as usize].count;
        let repairing = self.retire_repairing(lot.group as usize);
        if survivors + repairing > 0 {
            self.remove_chips(lot.group as usize, survivors);
        }
        (name, survivors + repairing, "retired")
    }

    /// A lot finishes installing: its chips become operational and join a group.
    fn commission(&mut self, time: f64, l: u32) -> (&'a str, u64, &'static str) {
        let s: &'a Scenario = self.s;
        let lot = self.ws.lots[l as usize];
        let name = s.deliveries[lot.delivery as usize].timing.stream_key.as_str();
        let (chip, count) = (lot.chip as usize, lot.count);
        self.ws.installing_by_chip[chip] -= count;
        self.mark_operational(&lot, count);
        // A lot of chips installed before the start ages from its `installed` month (9.7).
        let aged_from = s.deliveries[lot.delivery as usize].installed_month.unwrap_or(time);
        self.join_group(time, aged_from, l, &lot);
        (name, count, "operational")
    }

    /// A delivery arrives, unless it was cancelled or a shock cancels or postpones it;
    /// its chips then wait for a place.
    fn arrive(&mut self, time: f64, i: u32) -> (&'a str, u64, &'static str) {
        let s: &'a Scenario = self.s;
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
                        ShockEffect::Postpone => postpone_to = Some(postpone_to.map_or(end, |t: f64| t.max(end))),
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
        if let Some(b) = d.budget {
            // Paid before it ships: it queues for its line's money (9.5).
            // Paid at once when the line's queue moved past it (a zero-chip delivery too).
            let place = self.ws.funds_queue[b].len();
            self.await_funds(time, b, i);
            let paid = self.ws.funds_head[b] > place;
            return (name, d.count, if paid { "arrived (paid)" } else { "awaiting funds" });
        }
        self.deliver(time, i);
        (name, d.count, "arrived")
    }

    /// Delivery `i` arrives now: its chips are delivered and wait for a place.
    pub(super) fn deliver(&mut self, time: f64, i: u32) {
        let s: &'a Scenario = self.s;
        let d = &s.deliveries[i as usize];
        self.ws.delivered += d.count;
        self.ws.delivered_by_owner[d.owner] += d.count;
        if !d.is_installed() {
            self.ws.capex_usd += d.count as f64 * s.chips[d.chip].price_usd.unwrap_or(0.0);
        }
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
    }

    /// Chips already running at the start (9.7): delivered at t = 0 and placed in their
    /// site at once, operational without an installation lag, as far as its room goes;
    /// the rest wait like delivered chips.
    fn install_at_start(&mut self, time: f64, i: u32) -> (&'a str, u64, &'static str) {
        let s: &'a Scenario = self.s;
        let d = &s.deliveries[i as usize];
        self.deliver(time, i);
        let placed = match d.site {
            Some(site) if self.ws.site_ready[site] => self.place(time, i as usize, site, true),
            _ => 0,
        };
        (d.timing.stream_key.as_str(), placed, "installed")
    }
}
