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

    /// Facility power drawn by the chips of every site of `region`.
    #[inline]
    pub(super) fn region_used_facility(&self, region: usize) -> Kw {
        self.ws.region_sites[region]
            .iter()
            .map(|&i| self.ws.site_used_it[i as usize] * self.s.sites[i as usize].pue)
            .sum()
    }

    /// Chips of `chip` that fit in `site` by IT capacity.
    #[inline]
    pub(super) fn it_room(&self, site: usize, chip: usize) -> u64 {
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
#[inline]
pub(super) fn arrives_before(arrival_month: &[f64], a: u32, b: u32) -> bool {
    let (ta, tb) = (arrival_month[a as usize], arrival_month[b as usize]);
    ta < tb || (ta == tb && a < b)
}
