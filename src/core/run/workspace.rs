//! The buffers a run reuses from run to run (`Workspace`), the lots and attrition groups
//! they hold, and resetting them at the start of a run.

use super::engine::{Engine, Event};
use crate::core::dist::{Dist, FailureLaw};
use crate::core::event::EventQueue;
use crate::core::units::Kw;
use rand_chacha::ChaCha8Rng;

/// Chips placed together from one delivery into one site (MODEL.md 8.8).
#[derive(Debug, Clone, Copy)]
pub(super) struct Lot {
    pub(super) delivery: u32,
    pub(super) chip: u32,
    pub(super) site: u32,
    /// Chips placed; they move together to operational at commissioning.
    pub(super) count: u64,
    /// The attrition group the lot joined at commissioning (`NO_GROUP` before).
    pub(super) group: u32,
}

/// Repaired chips of one lot, back in service at the batch's repair-done event.
#[derive(Debug, Clone, Copy)]
pub(super) struct RepairBatch {
    /// The group the chips came from (followed through `Group::joined` if its warranty
    /// ended while they were out).
    pub(super) group: u32,
    pub(super) chip: u32,
    pub(super) count: u64,
}

/// Operational chips that attrition draws for at once. A lot that retires inside the
/// horizon is a group of its own, since its survivors leave together; every other lot
/// of a (site, chip type) joins that pair's one group, because the chips are then
/// interchangeable and the sum of independent Binomial(n_i, p) losses is exactly
/// Binomial(sum of n_i, p) (docs/model.md, "Binomial attrition").
#[derive(Debug, Clone, Copy)]
pub(super) struct Group {
    pub(super) chip: u32,
    pub(super) site: u32,
    /// Operational chips still working.
    pub(super) count: u64,
    /// Chips of the group out for repair (they keep their slot).
    pub(super) repairing: u64,
    /// Failures at ticks before this time are repaired (MODEL.md 9.2); minus infinity
    /// for a group out of warranty.
    pub(super) warranty_until: f64,
    /// The pooled group a warranty group joined when its warranty ended, else `NO_GROUP`.
    pub(super) joined: u32,
    /// Whether the group's lot has retired (its pending repairs are void).
    pub(super) retired: bool,
    /// (1 - monthly p)^n for n = `p_zero_count`: reused while the count stays put.
    pub(super) p_zero: f64,
    pub(super) p_zero_count: u64,
}

/// `Lot::group` of a lot not yet commissioned, and an empty pooled-group slot.
pub(super) const NO_GROUP: u32 = u32::MAX;

impl Workspace {
    /// A workspace whose runs also record every uncertain input they draw (`inputs`).
    pub fn recording_inputs() -> Workspace {
        Workspace { record_inputs: true, ..Workspace::default() }
    }

    /// A workspace whose runs take uncertain input `index` (in `drawn_inputs` order) at
    /// `value` instead of its draw, every other input drawn as usual (D41); the inputs
    /// are recorded too.
    pub fn pinning(index: usize, value: f64) -> Workspace {
        Workspace { record_inputs: true, pin: Some((index, value)), ..Workspace::default() }
    }

    /// The uncertain inputs the last run drew, one per `drawn_inputs` column (empty
    /// unless the workspace records them).
    pub fn inputs(&self) -> &[f64] {
        &self.inputs
    }
}

/// Buffers reused from run to run so a run allocates only its record.
#[derive(Default)]
pub struct Workspace {
    /// Whether `draw_and_schedule` records the run's uncertain inputs in `inputs`
    /// (`runs.csv`); off, the engine does no work for them.
    pub(super) record_inputs: bool,
    /// The uncertain input pinned at a value, if any (`pinning`).
    pub(super) pin: Option<(usize, f64)>,
    /// The last run's uncertain inputs, in `draws::drawn_inputs` order (when recorded).
    pub(super) inputs: Vec<f64>,
    pub(super) queue: EventQueue<Event>,
    pub(super) lots: Vec<Lot>,
    /// Attrition groups, in the order they were formed.
    pub(super) groups: Vec<Group>,
    /// Per (site, chip type): the group that pools its lots which never retire inside
    /// the horizon, or `NO_GROUP`.
    pub(super) pooled_group: Vec<u32>,
    // Per delivery.
    pub(super) arrival_month: Vec<f64>,
    pub(super) waiting: Vec<u64>,
    pub(super) probability_cancelled: Vec<bool>,
    /// Deliveries with waiting chips, by (arrival time, file order).
    pub(super) waiting_order: Vec<u32>,
    // Per site.
    pub(super) site_ready: Vec<bool>,
    pub(super) install_months: Vec<f64>,
    /// Installing + operational chips per (site, chip type).
    pub(super) site_chips: Vec<u64>,
    pub(super) site_used_it: Vec<Kw>,
    pub(super) site_streams: Vec<ChaCha8Rng>,
    // Per region.
    pub(super) grid: Vec<Kw>,
    pub(super) region_headroom_mw: Vec<f64>,
    /// Per site: this run's PUE (drawn when the scenario gives a distribution).
    pub(super) site_pue: Vec<f64>,
    /// Per site: facility power of its dedicated connections online.
    pub(super) site_grid: Vec<Kw>,
    /// Operational chips per (site, chip type): what draws energy.
    pub(super) site_operational: Vec<u64>,
    /// Per factor: this run's standard normal draw.
    pub(super) factor_z: Vec<f64>,
    /// Groups in warranty that join their pooled group when it ends.
    pub(super) warranty_groups: Vec<u32>,
    /// Repairs under way, one batch per lot and tick.
    pub(super) repairs: Vec<RepairBatch>,
    /// Ranges of `repairs` that come back together: one per tick and chip type (the
    /// repair-done event's number).
    pub(super) repair_waves: Vec<(u32, u32)>,
    pub(super) repairing_by_chip: Vec<u64>,
    // Money (MODEL.md 9.5): per budget line, its balance and its queue of deliveries
    // (a vector with a head index: deliveries join at the back, are paid from the head).
    pub(super) balance: Vec<f64>,
    pub(super) funds_queue: Vec<Vec<u32>>,
    pub(super) funds_head: Vec<usize>,
    /// Appropriations of every line, flattened: (line, USD); the event's number.
    pub(super) appropriations: Vec<(u32, f64)>,
    pub(super) awaiting_funds: u64,
    pub(super) capex_usd: f64,
    // Integrals over time (MODEL.md 9.5), up to `integrated_to`.
    pub(super) integrated_to: f64,
    pub(super) energy_mwh: f64,
    pub(super) electricity_usd: f64,
    pub(super) compute_pflops_years: f64,
    pub(super) priced_energy_mwh: f64,
    pub(super) priced_draw_mw: f64,
    /// The current draw of operational chips (MW) and its cost per hour, the sums over
    /// sites of `site_draw_kw`, refreshed when a site's operational chips change.
    pub(super) energy_draw_mw: f64,
    pub(super) electricity_usd_per_hour: f64,
    /// Per site: facility kW drawn by its operational chips (x average load x PUE),
    /// recomputed from counts only for the sites listed in `draw_stale_sites`.
    pub(super) site_draw_kw: Vec<f64>,
    pub(super) site_draw_stale: Vec<bool>,
    pub(super) draw_stale_sites: Vec<u32>,
    // Per shock: [start, end) when it happens.
    pub(super) shock_window: Vec<Option<(f64, f64)>>,
    /// Facility power drawn by installing and operational chips, per region (a cache of
    /// `region_used_facility`, refreshed whenever a site of the region changes).
    pub(super) region_used: Vec<Kw>,
    /// Waiting deliveries the next allocation pass looks at: those that arrived, or one
    /// of whose candidate regions gained room (power, a ready site, freed chips), since
    /// the last pass. Placing chips only ever takes room, so any other waiting delivery
    /// would find none; the pass never visits it.
    pub(super) recheck: Vec<u32>,
    /// Per delivery: whether it is in `recheck`.
    pub(super) queued: Vec<bool>,
    /// Groups with operational chips, by group index (formation order): the attrition list.
    pub(super) operational_groups: Vec<u32>,
    /// Sites whose chip counts changed since their kW figures were last refreshed.
    pub(super) stale_sites: Vec<u32>,
    pub(super) site_stale: Vec<bool>,
    /// Sites of each region, in file order (so a region's draw costs its own sites only).
    pub(super) region_sites: Vec<Vec<u32>>,
    pub(super) region_stale: Vec<bool>,
    // Per chip type.
    pub(super) failure_law: Vec<FailureLaw>,
    pub(super) installing_by_chip: Vec<u64>,
    pub(super) operational_by_chip: Vec<u64>,
    pub(super) delivered: u64,
    /// Chips delivered so far per owner (by_owner.csv).
    pub(super) delivered_by_owner: Vec<u64>,
    pub(super) lost: u64,
    pub(super) cancelled: u64,
    pub(super) events_handled: u64,
    /// Deliveries the allocation passes of the run looked at (a work count for tests).
    pub(super) deliveries_examined: u64,
    /// When set, every allocation pass looks at every waiting delivery (for tests).
    pub(super) recheck_all: bool,
    /// When set, every attrition draw's (n, p) is kept in `draws` (for benchmarks).
    pub(super) record_draws: bool,
    pub(super) draws: Vec<(u64, f64)>,
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

impl Engine<'_> {
    /// Empties and resizes every buffer for the scenario, so a run starts from nothing.
    pub(super) fn reset(&mut self) {
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
        ws.site_pue.clear();
        ws.site_pue.extend(s.sites.iter().map(|site| match site.pue {
            Dist::Fixed(pue) => pue,
            _ => 1.0,
        }));
        reset_vec(&mut ws.site_grid, ns, Kw::ZERO);
        reset_vec(&mut ws.site_operational, ns * nc, 0);
        reset_vec(&mut ws.factor_z, s.factors.len(), 0.0);
        ws.warranty_groups.clear();
        ws.repairs.clear();
        ws.repair_waves.clear();
        reset_vec(&mut ws.repairing_by_chip, nc, 0);
        reset_vec(&mut ws.balance, s.budgets.len(), 0.0);
        ws.funds_queue.resize_with(s.budgets.len(), Vec::new);
        ws.funds_queue.truncate(s.budgets.len());
        for q in &mut ws.funds_queue {
            q.clear();
        }
        reset_vec(&mut ws.funds_head, s.budgets.len(), 0);
        ws.appropriations.clear();
        ws.awaiting_funds = 0;
        ws.capex_usd = 0.0;
        ws.integrated_to = 0.0;
        ws.energy_mwh = 0.0;
        ws.electricity_usd = 0.0;
        ws.compute_pflops_years = 0.0;
        ws.priced_energy_mwh = 0.0;
        ws.priced_draw_mw = 0.0;
        ws.energy_draw_mw = 0.0;
        ws.electricity_usd_per_hour = 0.0;
        reset_vec(&mut ws.site_draw_kw, ns, 0.0);
        reset_vec(&mut ws.site_draw_stale, ns, false);
        ws.draw_stale_sites.clear();
        ws.delivered = 0;
        reset_vec(&mut ws.delivered_by_owner, s.owners.len(), 0);
        ws.lost = 0;
        ws.cancelled = 0;
        ws.events_handled = 0;
        ws.deliveries_examined = 0;
        ws.draws.clear();
    }
}

impl Workspace {
    /// Site `site`'s operational chips changed: its energy draw needs recomputing.
    #[inline]
    pub(super) fn mark_draw_stale(&mut self, site: usize) {
        if !self.site_draw_stale[site] {
            self.site_draw_stale[site] = true;
            self.draw_stale_sites.push(site as u32);
        }
    }
}

/// Empties `v` and refills it with `len` copies of `value`, keeping its allocation.
pub(super) fn reset_vec<T: Clone>(v: &mut Vec<T>, len: usize, value: T) {
    v.clear();
    v.resize(len, value);
}
