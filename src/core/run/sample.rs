//! What a run shows: the monthly sample of every series with the binding state
//! (MODEL.md section 5), and the trace row an observer receives after each event.

use super::engine::Engine;
use super::money::HOURS_PER_MONTH;
use super::{EventKind, RunObserver, TraceRow};
use crate::core::metrics::{origin_share_index, Binding, Series};
use crate::core::scenario::Scenario;
use crate::core::scope::{OwnerMetric, RegionMetric, ScopeShape};
use crate::core::units::{Kw, Mw};

impl Engine<'_> {
    /// Section 5: fills one month's values and returns the binding state; with a scope
    /// shape, also fills the month's per-region and per-owner values (`scoped`, zeroed
    /// by the caller) and each region's binding state (D50-D53).
    pub(super) fn sample(
        &mut self,
        row: &mut [f64],
        shape: ScopeShape,
        scoped: &mut [f64],
        region_binding: &mut [Binding],
    ) -> Binding {
        self.refresh_rates();
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
            facility += ws.site_used_it[i] * ws.site_pue[i];
            if ws.site_ready[i] {
                built_it += site.it_capacity();
                built_facility += site.it_capacity() * ws.site_pue[i];
            }
        }
        let mut by_power = 0;
        let mut by_space = 0;
        let mut capital = 0.0;
        for &d in &ws.waiting_order {
            let delivery = &s.deliveries[d as usize];
            let n = ws.waiting[d as usize];
            capital += n as f64 * s.chips[delivery.chip].price_usd.unwrap_or(0.0);
            // Room for one more means room for the next block, or for the whole rest of
            // a `whole` delivery (9.4).
            let need = if delivery.whole { n } else { n.min(s.chips[delivery.chip].block) };
            let has_space = delivery
                .candidates
                .iter()
                .any(|&site| ws.site_ready[site] && self.it_room(site, delivery.chip) >= need.max(1));
            if has_space {
                by_power += n;
            } else {
                by_space += n;
            }
            if shape.regions > 0 {
                // D50: a waiting delivery counts in the region of its first candidate site.
                let r = delivery.candidates.first().map_or(0, |&site| s.sites[site].region);
                scoped[shape.region(r, RegionMetric::Waiting)] += n as f64;
                let cause = if has_space { RegionMetric::StrandedByPower } else { RegionMetric::StrandedBySpace };
                scoped[shape.region(r, cause)] += n as f64;
            }
            if shape.owners > 0 {
                scoped[shape.owner(delivery.owner, OwnerMetric::Waiting)] += n as f64;
            }
        }
        if shape.width() > 0 {
            self.sample_scopes(shape, scoped, region_binding);
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
        // Region figures include dedicated site connections (9.3).
        let pooled: Kw = ws.grid.iter().copied().sum();
        row[Series::GridMw.index()] = if s.power.iter().any(|p| p.site.is_some()) {
            (pooled + ws.site_grid.iter().copied().sum::<Kw>()).to_mw().0
        } else {
            pooled.to_mw().0
        };
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
        row[Series::Repairing.index()] = ws.repairing_by_chip.iter().sum::<u64>() as f64;
        row[Series::AwaitingFunds.index()] = ws.awaiting_funds as f64;
        row[Series::CapexUsd.index()] = ws.capex_usd;
        row[Series::EnergyMwh.index()] = ws.energy_mwh;
        row[Series::ElectricityUsd.index()] = ws.electricity_usd;
        row[Series::ComputePflopsYears.index()] = ws.compute_pflops_years;
        row[Series::PricedEnergyMwh.index()] = ws.priced_energy_mwh;
        // The draw at the sample, for a year: TWh per year.
        row[Series::EnergyTwhPerYear.index()] = ws.energy_draw_mw * HOURS_PER_MONTH * 12.0 / 1e6;
        for o in 0..s.origins.len() {
            row[origin_share_index(o)] =
                if compute_exact > 0.0 { origin_compute(s, &ws.operational_by_chip, o) / compute_exact } else { 0.0 };
        }
        if waiting == 0 && ws.awaiting_funds > 0 {
            Binding::Money
        } else {
            // Every waiting chip is counted by power or by space.
            binding_of_waiting(by_power as f64, by_space as f64)
        }
    }

    /// The per-site sums of the scoped values (the waiting ones are filled by `sample`)
    /// and each region's binding state from its waiting chips (D53).
    fn sample_scopes(&self, shape: ScopeShape, scoped: &mut [f64], region_binding: &mut [Binding]) {
        let s = self.s;
        let ws = &*self.ws;
        let nc = s.chips.len();
        for (i, site) in s.sites.iter().enumerate() {
            let counts = &ws.site_operational[i * nc..(i + 1) * nc];
            let operational: u64 = counts.iter().sum();
            if shape.regions > 0 {
                let r = site.region;
                scoped[shape.region(r, RegionMetric::FacilityMw)] += (ws.site_used_it[i] * ws.site_pue[i]).to_mw().0;
                scoped[shape.region(r, RegionMetric::GridMw)] += ws.site_grid[i].to_mw().0;
                scoped[shape.region(r, RegionMetric::Operational)] += operational as f64;
            }
            if shape.owners > 0 {
                let o = site.owner;
                scoped[shape.owner(o, OwnerMetric::Operational)] += operational as f64;
                let compute: f64 = s.chips.iter().zip(counts).map(|(c, &n)| n as f64 * c.pflops).sum();
                scoped[shape.owner(o, OwnerMetric::ComputePflops)] += compute;
            }
        }
        for (r, b) in region_binding.iter_mut().enumerate() {
            scoped[shape.region(r, RegionMetric::GridMw)] += ws.grid[r].to_mw().0;
            let power = scoped[shape.region(r, RegionMetric::StrandedByPower)];
            let space = scoped[shape.region(r, RegionMetric::StrandedBySpace)];
            *b = binding_of_waiting(power, space);
        }
        for o in 0..shape.owners {
            scoped[shape.owner(o, OwnerMetric::Delivered)] = ws.delivered_by_owner[o] as f64;
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn observe<O: RunObserver>(
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
        self.refresh_rates();
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
            repairing: ws.repairing_by_chip.iter().sum(),
            awaiting_funds: ws.awaiting_funds,
            energy_draw_mw: ws.energy_draw_mw,
            region_headroom_mw: &ws.region_headroom_mw,
        });
    }
}

/// The binding state of chips waiting `by_power` for power and `by_space` for room
/// (section 5, nationally and per region, D53): chips when none waits, else the larger
/// cause, power on a tie. Money is decided by the caller (it is national only).
fn binding_of_waiting(by_power: f64, by_space: f64) -> Binding {
    if by_power + by_space == 0.0 {
        Binding::Chips
    } else if by_power >= by_space {
        Binding::Power
    } else {
        Binding::Space
    }
}

fn origin_compute(s: &Scenario, operational_by_chip: &[u64], origin: usize) -> f64 {
    s.chips.iter().zip(operational_by_chip).filter(|(c, _)| c.origin == origin).map(|(c, &n)| n as f64 * c.pflops).sum()
}
