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
    /// it retires inside the horizon (scheduling the retirement); while under warranty,
    /// the warranty group of its (site, chip type) whose warranty ends before the same
    /// tick (D24: such lots repair and lose at the same ticks, so they are
    /// interchangeable; the group joins the pooled one when the warranty ends); else the
    /// pooled group of its (site, chip type). `aged_from` is when the lot's age starts:
    /// its commissioning, or its `installed` month.
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
                self.new_group(lot.site, lot.chip, warranty_until)
            }
            _ if in_warranty => self.warranty_group(lot, warranty_until),
            _ => self.pooled_group(lot.site, lot.chip),
        };
        self.ws.lots[l as usize].group = group;
        self.add_operational(group, lot.count);
    }

    /// The warranty group of `lot`'s (site, chip type) for a warranty that lasts until
    /// `warranty_until`, formed on first use. Ticks fall on whole months and repair
    /// when `tick < warranty_until`, which for a whole-month tick is `tick <
    /// ceil(warranty_until)`: lots with the same ceiling are treated alike at every tick.
    fn warranty_group(&mut self, lot: &Lot, warranty_until: f64) -> u32 {
        let last_tick = warranty_until.ceil();
        let groups = &self.ws.groups;
        let found = self.ws.warranty_groups.iter().copied().find(|&g| {
            let group = &groups[g as usize];
            group.site == lot.site && group.chip == lot.chip && group.warranty_until == last_tick
        });
        found.unwrap_or_else(|| {
            let g = self.new_group(lot.site, lot.chip, last_tick);
            self.ws.warranty_groups.push(g);
            g
        })
    }

    /// The group that pools the lots of a (site, chip type) out of warranty that never
    /// retire inside the horizon, formed on first use.
    fn pooled_group(&mut self, site: u32, chip: u32) -> u32 {
        let slot = site as usize * self.s.chips.len() + chip as usize;
        if self.ws.pooled_group[slot] == NO_GROUP {
            self.ws.pooled_group[slot] = self.new_group(site, chip, f64::NEG_INFINITY);
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

    /// A new, empty attrition group for chips of type `chip` in `site`.
    fn new_group(&mut self, site: u32, chip: u32, warranty_until: f64) -> u32 {
        let index = self.ws.groups.len() as u32;
        self.ws.groups.push(Group {
            chip,
            site,
            count: 0,
            repairing: 0,
            warranty_until,
            joined: NO_GROUP,
            retired: false,
            p_zero: 1.0,
            p_zero_count: 0,
        });
        index
    }

    /// `count` chips of `lot` become operational (commissioned, or back from repair).
    pub(super) fn mark_operational(&mut self, lot: &Lot, count: u64) {
        self.mark_operational_at(lot.site, lot.chip, count);
    }

    /// `count` chips of type `chip` in `site` become operational.
    fn mark_operational_at(&mut self, site: u32, chip: u32, count: u64) {
        let nc = self.s.chips.len();
        self.ws.operational_by_chip[chip as usize] += count;
        self.ws.site_operational[site as usize * nc + chip as usize] += count;
        self.ws.mark_draw_stale(site as usize);
    }

    /// Groups in warranty whose warranty ended by `time` join their pooled group (their
    /// repairs under way return there).
    fn end_warranties(&mut self, time: f64) {
        let mut list = std::mem::take(&mut self.ws.warranty_groups);
        list.retain(|&g| {
            let group = self.ws.groups[g as usize];
            if group.warranty_until > time {
                return true;
            }
            let pooled = self.pooled_group(group.site, group.chip);
            let own = &mut self.ws.groups[g as usize];
            own.count = 0;
            own.repairing = 0;
            own.joined = pooled;
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
            if group.p_zero_count != group.count && law.reads_p_zero(group.count) {
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
        let (chip, site) = (group.chip as usize, group.site as usize);
        ws.operational_by_chip[chip] -= n;
        ws.repairing_by_chip[chip] += n;
        ws.site_operational[site * nc + chip] -= n;
        ws.mark_draw_stale(site);
        ws.repairs.push(RepairBatch { group: g as u32, chip: chip as u32, count: n });
    }

    /// The batches sent for repair at this tick (from `first` on) come back
    /// `repair_months` later, one repair-done event per tick and return time (D25):
    /// every batch of chip types with the same `repair_months` returns at the same time,
    /// and returning chips only rejoin their groups' counts, so one event leaves the
    /// state that one event per lot would, with a fraction of the events.
    fn schedule_repairs(&mut self, time: f64, first: usize) {
        let s = self.s;
        let ws = &mut *self.ws;
        let months = |chip: u32| s.chips[chip as usize].repair_months;
        ws.repairs[first..].sort_unstable_by(|a, b| {
            months(a.chip).total_cmp(&months(b.chip)).then(a.chip.cmp(&b.chip)).then(a.group.cmp(&b.group))
        });
        let mut start = first;
        while start < ws.repairs.len() {
            let lag = months(ws.repairs[start].chip);
            let end = start + ws.repairs[start..].iter().take_while(|b| months(b.chip) == lag).count();
            let wave = ws.repair_waves.len() as u32;
            ws.repair_waves.push((start as u32, end as u32));
            let back = time + lag;
            if back <= f64::from(s.horizon_month) {
                // Among same-time repair-done events, the wave of the first chip type goes first.
                let order = ws.repairs[start..end].iter().map(|b| b.chip).min().unwrap_or(0);
                ws.queue.push(back, Event::RepairDone(wave).kind() as u8, order, Event::RepairDone(wave));
            }
            start = end;
        }
    }

    /// A wave of repaired chips returns to service, each batch in its group (or the
    /// pooled group it joined meanwhile) unless its lot retired meanwhile (its chips
    /// under repair retired with it). The trace names the chip type (or "several chip
    /// types").
    pub(super) fn repair_done(&mut self, wave: u32) -> (&'a str, u64, &'static str) {
        let (start, end) = self.ws.repair_waves[wave as usize];
        let mut returned = 0;
        let mut chip = 0;
        for batch in start..end {
            let RepairBatch { group, chip: c, count } = self.ws.repairs[batch as usize];
            chip = c as usize;
            let mut g = group as usize;
            while self.ws.groups[g].joined != NO_GROUP {
                g = self.ws.groups[g].joined as usize;
            }
            if self.ws.groups[g].retired {
                continue;
            }
            let site = self.ws.groups[g].site;
            self.ws.groups[g].repairing -= count;
            self.ws.repairing_by_chip[chip] -= count;
            self.mark_operational_at(site, c, count);
            self.add_operational(g as u32, count);
            returned += count;
        }
        let single = self.ws.repairs[start as usize..end as usize].iter().all(|b| b.chip as usize == chip);
        let name = if single { self.s.chips[chip].id.as_str() } else { "several chip types" };
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
