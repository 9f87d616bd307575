//! Attrition (MODEL.md section 4.5): commissioned lots join groups of interchangeable
//! chips, each month every group loses a binomial draw of chips (repaired under warranty,
//! MODEL.md 9.2, else lost), and retiring or lost chips free their site's space and
//! their region's power.

use super::allocate::used_it;
use super::engine::{Engine, Event};
use super::workspace::{Group, Lot, RepairBatch, NO_GROUP};
use crate::core::scenario::Scenario;

impl<'a> Engine<'a> {
    /// Puts the just-commissioned lot `l` into its attrition group: a group of its own if
    /// it retires inside the horizon (scheduling the retirement) or is still under
    /// warranty (it joins its pooled group when the warranty ends), else the pooled
    /// group of its (site, chip type). `aged_from` is when the lot's age starts: its
    /// commissioning, or its `installed` month.
    pub(super) fn join_group(&mut self, time: f64, aged_from: f64, l: u32, lot: &Lot) {
        let s: &Scenario = self.s;
        let chip = &s.chips[lot.chip as usize];
        let horizon = f64::from(s.horizon_month);
        let retires_at = chip.life_months.map(|life| aged_from + life);
        let warranty_until = aged_from + chip.warranty_months;
        // Only ticks after `time` can repair: a warranty that ended by now is none.
        let in_warranty = chip.warranty_months > 0.0 && warranty_until > time;
        let group = match retires_at {
            Some(t) if t <= horizon => {
                // A life that ended before now (installed long ago) ends now.
                self.push(t.max(time), lot.delivery, Event::Retirement(l));
                self.new_group(lot, l, warranty_until)
            }
            _ if in_warranty => {
                let g = self.new_group(lot, l, warranty_until);
                self.ws.warranty_groups.push(g);
                g
            }
            _ => self.pooled_group(lot),
        };
        self.ws.lots[l as usize].group = group;
        self.add_operational(group, lot.count);
    }

    /// The group that pools the lots of `lot`'s (site, chip type) out of warranty that
    /// never retire inside the horizon, formed on first use.
    fn pooled_group(&mut self, lot: &Lot) -> u32 {
        let slot = lot.site as usize * self.s.chips.len() + lot.chip as usize;
        if self.ws.pooled_group[slot] == NO_GROUP {
            self.ws.pooled_group[slot] = self.new_group(lot, NO_GROUP, f64::NEG_INFINITY);
        }
        self.ws.pooled_group[slot]
    }

    /// Adds `count` operational chips to a group, listing it for attrition if it was empty.
    fn add_operational(&mut self, group: u32, count: u64) {
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

    /// A new, empty attrition group for the chips of `lot` (of lot `l` alone, or of a
    /// pool when `l` is `NO_GROUP`).
    fn new_group(&mut self, lot: &Lot, l: u32, warranty_until: f64) -> u32 {
        let index = self.ws.groups.len() as u32;
        self.ws.groups.push(Group {
            chip: lot.chip,
            site: lot.site,
            count: 0,
            repairing: 0,
            warranty_until,
            lot: l,
            retired: false,
            p_zero: 1.0,
            p_zero_count: 0,
        });
        index
    }

    /// `count` chips of `lot` become operational (commissioned, or back from repair).
    pub(super) fn mark_operational(&mut self, lot: &Lot, count: u64) {
        let nc = self.s.chips.len();
        self.ws.operational_by_chip[lot.chip as usize] += count;
        self.ws.site_operational[lot.site as usize * nc + lot.chip as usize] += count;
        self.ws.mark_draw_stale(lot.site as usize);
    }

    /// Groups in warranty whose warranty ended by `time` join their pooled group (their
    /// lots never retire inside the horizon), so later ticks draw for them together.
    fn end_warranties(&mut self, time: f64) {
        let mut list = std::mem::take(&mut self.ws.warranty_groups);
        list.retain(|&g| {
            let group = self.ws.groups[g as usize];
            if group.warranty_until > time {
                return true;
            }
            let l = group.lot;
            let lot = self.ws.lots[l as usize];
            let pooled = self.pooled_group(&lot);
            self.ws.lots[l as usize].group = pooled;
            let own = &mut self.ws.groups[g as usize];
            own.count = 0;
            own.repairing = 0;
            self.ws.operational_groups.retain(|&o| o != g);
            self.ws.groups[pooled as usize].repairing += group.repairing;
            self.add_operational(pooled, group.count);
            false
        });
        self.ws.warranty_groups = list;
    }

    /// Section 4.5: each operational lot loses Binomial(n, monthly p) chips for good,
    /// drawn one group of lots at a time (`Group`). Groups are visited in the order they
    /// formed; groups with no operational chips draw nothing.
    pub(super) fn attrition(&mut self, time: f64) -> u64 {
        let mut total = 0;
        if !self.ws.warranty_groups.is_empty() {
            self.end_warranties(time);
        }
        let first_repair = self.ws.repairs.len();
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
            if failed > 0 && group.warranty_until > time {
                self.send_to_repair(g as usize, failed);
            } else if failed > 0 {
                self.take_out(g as usize, failed);
                total += failed;
            }
        }
        self.schedule_repairs(time, first_repair);
        self.settle_sites();
        let groups = &self.ws.groups;
        ops.retain(|&g| groups[g as usize].count > 0);
        self.ws.operational_groups = ops;
        total
    }

    /// `n` failed chips of a group in warranty go for repair (9.2): out of service, but
    /// they keep their slot; `schedule_repairs` sets when they come back.
    fn send_to_repair(&mut self, g: usize, n: u64) {
        let nc = self.s.chips.len();
        let ws = &mut *self.ws;
        let group = &mut ws.groups[g];
        group.count -= n;
        group.repairing += n;
        let (chip, site, l) = (group.chip as usize, group.site as usize, group.lot);
        ws.operational_by_chip[chip] -= n;
        ws.repairing_by_chip[chip] += n;
        ws.site_operational[site * nc + chip] -= n;
        ws.mark_draw_stale(site);
        ws.repairs.push(RepairBatch { lot: l, chip: chip as u32, count: n });
    }

    /// The batches sent for repair at this tick (from `first` on) come back
    /// `repair_months` later, one repair-done event per chip type (D25): every batch of
    /// a chip type returns at the same time, and returning chips only rejoin their
    /// lots' counts, so one event in lot order leaves the state that one event per lot
    /// would, with a tenth of the events.
    fn schedule_repairs(&mut self, time: f64, first: usize) {
        let ws = &mut *self.ws;
        ws.repairs[first..].sort_unstable_by_key(|b| (b.chip, b.lot));
        let mut start = first;
        while start < ws.repairs.len() {
            let chip = ws.repairs[start].chip;
            let end = start + ws.repairs[start..].iter().take_while(|b| b.chip == chip).count();
            let wave = ws.repair_waves.len() as u32;
            ws.repair_waves.push((start as u32, end as u32));
            let back = time + self.s.chips[chip as usize].repair_months;
            if back <= f64::from(self.s.horizon_month) {
                ws.queue.push(back, Event::RepairDone(wave).kind() as u8, chip, Event::RepairDone(wave));
            }
            start = end;
        }
    }

    /// A wave of repaired chips returns to service, each batch in its lot's group unless
    /// the lot retired meanwhile (its chips under repair retired with it). The trace
    /// names the chip type.
    pub(super) fn repair_done(&mut self, wave: u32) -> (&'a str, u64, &'static str) {
        let (start, end) = self.ws.repair_waves[wave as usize];
        let mut returned = 0;
        let mut chip = 0;
        for batch in start..end {
            let RepairBatch { lot: l, chip: c, count } = self.ws.repairs[batch as usize];
            chip = c as usize;
            let lot = self.ws.lots[l as usize];
            let g = lot.group as usize;
            if self.ws.groups[g].retired {
                continue;
            }
            self.ws.groups[g].repairing -= count;
            self.ws.repairing_by_chip[chip] -= count;
            self.mark_operational(&lot, count);
            self.add_operational(g as u32, count);
            returned += count;
        }
        let name = self.s.chips[chip].id.as_str();
        (name, returned, if returned == 0 { "retired before repair" } else { "repaired" })
    }

    /// A retiring group's chips under repair leave for good with it; returns how many.
    pub(super) fn retire_repairing(&mut self, g: usize) -> u64 {
        let nc = self.s.chips.len();
        let ws = &mut *self.ws;
        let group = &mut ws.groups[g];
        group.retired = true;
        let n = std::mem::take(&mut group.repairing);
        if n > 0 {
            let (chip, site) = (group.chip as usize, group.site as usize);
            ws.repairing_by_chip[chip] -= n;
            ws.site_chips[site * nc + chip] -= n;
            ws.lost += n;
            if !ws.site_stale[site] {
                ws.site_stale[site] = true;
                ws.stale_sites.push(site as u32);
            }
        }
        n
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
        ws.site_operational[site * nc + chip] -= n;
        ws.mark_draw_stale(site);
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
