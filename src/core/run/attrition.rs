//! Attrition (MODEL.md section 4.5): commissioned lots join groups of interchangeable
//! chips, each month every group loses a binomial draw of chips, and retiring or failed
//! chips free their site's space and their region's power.

use super::allocate::used_it;
use super::engine::{Engine, Event};
use super::workspace::{Group, Lot, NO_GROUP};
use crate::core::scenario::Scenario;

impl Engine<'_> {
    /// Puts the just-commissioned lot `l` into its attrition group: a group of its own if
    /// it retires inside the horizon (scheduling the retirement), else the pooled group
    /// of its (site, chip type).
    pub(super) fn join_group(&mut self, time: f64, l: u32, lot: &Lot) {
        let s: &Scenario = self.s;
        let (chip, count) = (lot.chip as usize, lot.count);
        let retires_at = s.chips[chip].life_months.map(|life| time + life);
        let group = match retires_at {
            Some(t) if t <= f64::from(s.horizon_month) => {
                self.push(t, lot.delivery, Event::Retirement(l));
                self.new_group(lot)
            }
            _ => {
                let slot = lot.site as usize * s.chips.len() + chip;
                if self.ws.pooled_group[slot] == NO_GROUP {
                    self.ws.pooled_group[slot] = self.new_group(lot);
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
    pub(super) fn attrition(&mut self) -> u64 {
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

    /// Takes `n` operational chips of a group out for good, freeing space and power at once.
    pub(super) fn remove_chips(&mut self, g: usize, n: u64) {
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
}
