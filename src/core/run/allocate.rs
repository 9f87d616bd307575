//! The allocation pass (MODEL.md section 4.6): which waiting deliveries to look at again
//! when room appears, how many chips fit a site by space and by its region's power, and
//! placing them as lots that start installing.

use super::engine::{Engine, Event};
use super::workspace::{Lot, NO_GROUP};
use crate::core::scenario::Scenario;
use crate::core::units::Kw;

/// Slack in capacity arithmetic: k = floor(headroom / need + 1e-9) (MODEL.md 8.11).
const CAPACITY_EPSILON: f64 = 1e-9;

impl Engine<'_> {
    /// Records that `region` gained room, so waiting deliveries with a candidate there
    /// are looked at again by the next allocation pass.
    pub(super) fn gained_room(&mut self, region: usize) {
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

    /// Queues `delivery` for the next allocation pass, once.
    #[inline]
    pub(super) fn queue_recheck(&mut self, delivery: u32) {
        let queued = &mut self.ws.queued[delivery as usize];
        if !*queued {
            *queued = true;
            self.ws.recheck.push(delivery);
        }
    }

    /// Refreshes the cached facility draw of the region of `site`.
    pub(super) fn site_changed(&mut self, site: usize) {
        let region = self.s.sites[site].region;
        self.ws.region_used[region] = self.region_used_facility(region);
    }

    /// Facility power drawn from `region`'s shared pool: the chips of its sites without
    /// dedicated connections (9.3).
    #[inline]
    pub(super) fn region_used_facility(&self, region: usize) -> Kw {
        self.ws.region_sites[region]
            .iter()
            .filter(|&&i| !self.s.sites[i as usize].dedicated)
            .map(|&i| self.ws.site_used_it[i as usize] * self.ws.site_pue[i as usize])
            .sum()
    }

    /// Facility power free where `site` draws from: its own connections, or its
    /// region's pool.
    #[inline]
    pub(super) fn power_headroom(&self, site: usize) -> Kw {
        let st = &self.s.sites[site];
        if st.dedicated {
            self.ws.site_grid[site] - self.ws.site_used_it[site] * self.ws.site_pue[site]
        } else {
            self.ws.grid[st.region] - self.ws.region_used[st.region]
        }
    }

    /// Chips of `chip` that fit in `site` by IT capacity.
    #[inline]
    pub(super) fn it_room(&self, site: usize, chip: usize) -> u64 {
        let st = &self.s.sites[site];
        fit(st.it_capacity().to_kw() - self.ws.site_used_it[site], self.s.chips[chip].power())
    }

    /// Chips of `chip` that fit in `site` by IT capacity, and by the power it draws from.
    fn room(&self, site: usize, chip: usize) -> (u64, u64) {
        let power = self.s.chips[chip].power();
        (self.it_room(site, chip), fit(self.power_headroom(site), power * self.ws.site_pue[site]))
    }

    /// Chips of delivery `d` that `site` takes now (4.6 with 9.4): the whole rest of the
    /// lot when it fits, else whole blocks only, and nothing for a `whole` delivery
    /// that does not fit at once.
    fn chips_to_place(&self, d: usize, site: usize) -> u64 {
        let delivery = &self.s.deliveries[d];
        let (by_space, by_power) = self.room(site, delivery.chip);
        let (room, waiting) = (by_space.min(by_power), self.ws.waiting[d]);
        let block = self.s.chips[delivery.chip].block;
        if room >= waiting {
            waiting
        } else if delivery.whole {
            0
        } else {
            block * (room / block)
        }
    }

    /// Places what `site` takes of delivery `d` as a lot: installing until the site's
    /// lag has passed, or, for chips installed before the start (`at_start`),
    /// operational at once. Returns the chips placed.
    pub(super) fn place(&mut self, time: f64, d: usize, site: usize, at_start: bool) -> u64 {
        let s = self.s;
        let k = self.chips_to_place(d, site);
        if k == 0 {
            return 0;
        }
        let chip = s.deliveries[d].chip;
        self.ws.waiting[d] -= k;
        let l = self.ws.lots.len() as u32;
        let lot = Lot { delivery: d as u32, chip: chip as u32, site: site as u32, count: k, group: NO_GROUP };
        self.ws.lots.push(lot);
        self.ws.site_chips[site * s.chips.len() + chip] += k;
        self.ws.site_used_it[site] = used_it(s, &self.ws.site_chips, site);
        self.site_changed(site);
        if at_start {
            self.mark_operational(&lot, k);
            let aged_from = s.deliveries[d].installed_month.unwrap_or(time);
            self.join_group(time, aged_from, l, &lot);
        } else {
            self.ws.installing_by_chip[chip] += k;
            self.push(time + self.ws.install_months[site], d as u32, Event::Commissioning(l));
        }
        if self.ws.waiting[d] == 0 {
            self.leave_waiting(d as u32);
        }
        k
    }

    /// Takes delivery `d`, none of whose chips wait any more, out of the waiting order.
    fn leave_waiting(&mut self, d: u32) {
        let arrival = &self.ws.arrival_month;
        let order = &mut self.ws.waiting_order;
        let pos = order.partition_point(|&w| arrives_before(arrival, w, d));
        // The list is kept in waiting order, so `pos` is the delivery's place; the
        // search below only guards that invariant.
        let pos = if order.get(pos) == Some(&d) { Some(pos) } else { order.iter().position(|&w| w == d) };
        if let Some(pos) = pos {
            order.remove(pos);
        }
    }

    /// Section 4.6: places waiting lots, oldest arrival first, into candidate sites. Only
    /// the deliveries in `recheck` are looked at, in waiting order.
    pub(super) fn allocate(&mut self, time: f64) -> u64 {
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
            for &site in &s.deliveries[d].candidates {
                if self.ws.waiting[d] == 0 {
                    break;
                }
                if self.ws.site_ready[site] {
                    placed_total += self.place(time, d, site, false);
                }
            }
        }
        recheck.clear();
        self.ws.recheck = recheck;
        placed_total
    }
}

/// IT power drawn by the installing and operational chips of `site`, from integer counts.
#[inline]
pub(super) fn used_it(s: &Scenario, site_chips: &[u64], site: usize) -> Kw {
    let n = s.chips.len();
    s.chips.iter().zip(&site_chips[site * n..(site + 1) * n]).map(|(c, &k)| c.power() * k as f64).sum()
}

/// floor(headroom / need + epsilon), never negative.
#[inline]
fn fit(headroom: Kw, need: Kw) -> u64 {
    let x = headroom / need + CAPACITY_EPSILON;
    // floor(x) >= 1 exactly when x >= 1, and then floor(x) is x truncated, which the
    // (saturating) conversion does: no call to libm's floor, which the x86-64 baseline
    // has no instruction for.
    if x >= 1.0 {
        x as u64
    } else {
        0
    }
}

/// Waiting order (MODEL.md 8.10): delivery `a` goes before `b` when it arrived earlier,
/// or at the same time and earlier in the file.
#[inline]
pub(super) fn arrives_before(arrival_month: &[f64], a: u32, b: u32) -> bool {
    let (ta, tb) = (arrival_month[a as usize], arrival_month[b as usize]);
    ta < tb || (ta == tb && a < b)
}
