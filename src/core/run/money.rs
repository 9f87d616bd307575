//! Money and energy (MODEL.md 9.5): budget lines that pay queued deliveries strictly in
//! order when money is appropriated or a delivery joins, and the exact integrals over
//! time of energy, its cost and compute, advanced to each event.

use super::engine::Engine;

/// Hours in a month (MODEL.md 9.5: 1 month = 730.5 hours).
pub(super) const HOURS_PER_MONTH: f64 = 730.5;

/// A line pays a delivery when its balance covers the cost to this relative slack
/// (amounts and prices are decimal figures whose sums are not exact in binary).
const BALANCE_SLACK: f64 = 1e-12;

impl<'a> Engine<'a> {
    /// Delivery `i`, due now, joins the queue of budget line `b`; the line then pays
    /// what it can.
    pub(super) fn await_funds(&mut self, time: f64, b: usize, i: u32) {
        self.ws.funds_queue[b].push(i);
        self.ws.awaiting_funds += self.s.deliveries[i as usize].count;
        self.pay(time, b);
    }

    /// Appropriation `k`: a year's money reaches its line, which then pays what it can.
    pub(super) fn appropriate(&mut self, time: f64, k: u32) -> (&'a str, u64, &'static str) {
        let (b, usd) = self.ws.appropriations[k as usize];
        self.ws.balance[b as usize] += usd;
        let paid = self.pay(time, b as usize);
        (self.s.budgets[b as usize].name.as_str(), paid, "appropriated")
    }

    /// Line `b` pays its queue strictly in order while its balance covers the next
    /// delivery's cost; each paid delivery arrives now. Returns the chips that arrived.
    fn pay(&mut self, time: f64, b: usize) -> u64 {
        let s = self.s;
        let mut arrived = 0;
        while let Some(&i) = self.ws.funds_queue[b].get(self.ws.funds_head[b]) {
            let d = &s.deliveries[i as usize];
            // Validation guarantees a price for every budgeted delivery.
            let cost = d.count as f64 * s.chips[d.chip].price_usd.unwrap_or(0.0);
            if self.ws.balance[b] < cost * (1.0 - BALANCE_SLACK) {
                break;
            }
            self.ws.balance[b] -= cost;
            self.ws.funds_head[b] += 1;
            self.ws.awaiting_funds -= d.count;
            self.deliver(time, i);
            arrived += d.count;
        }
        arrived
    }

    /// Advances the integrals of energy, electricity cost and compute to `time`, at the
    /// rates that held since the last event: the draw is brought up to date first, as
    /// the last event may have changed it (a repair done at month 1.5 draws from 1.5 on).
    /// Events at one time share one refresh: the draw is only read over an interval
    /// (and by the month sample and the trace, which refresh it themselves).
    pub(super) fn integrate_to(&mut self, time: f64) {
        let dt = time - self.ws.integrated_to;
        if dt > 0.0 {
            self.refresh_rates();
            let ws = &mut *self.ws;
            let hours = dt * HOURS_PER_MONTH;
            ws.energy_mwh += ws.energy_draw_mw * hours;
            ws.electricity_usd += ws.electricity_usd_per_hour * hours;
            ws.priced_energy_mwh += ws.priced_draw_mw * hours;
            let compute: f64 =
                self.s.chips.iter().zip(&ws.operational_by_chip).map(|(c, &n)| n as f64 * c.pflops).sum();
            ws.compute_pflops_years += compute * dt / 12.0;
            ws.integrated_to = time;
        }
    }

    /// The draw of operational chips (x average load x the site's PUE), MW, and its
    /// cost per hour: each changed site's kW from integer counts, then the sums over
    /// sites in site order (so the figures do not depend on which sites changed).
    /// Nothing to do when no site changed since the last refresh.
    pub(super) fn refresh_rates(&mut self) {
        if self.ws.draw_stale_sites.is_empty() {
            return;
        }
        let s = self.s;
        let nc = s.chips.len();
        let ws = &mut *self.ws;
        for &site in &ws.draw_stale_sites {
            let site = site as usize;
            let counts = &ws.site_operational[site * nc..(site + 1) * nc];
            let it_kw: f64 = s.chips.iter().zip(counts).map(|(c, &n)| n as f64 * c.power_kw * c.average_load).sum();
            ws.site_draw_kw[site] = if it_kw > 0.0 { it_kw * ws.site_pue[site] } else { 0.0 };
            ws.site_draw_stale[site] = false;
        }
        ws.draw_stale_sites.clear();
        let (mut draw_kw, mut priced_kw, mut usd_per_hour) = (0.0, 0.0, 0.0);
        for (st, &kw) in s.sites.iter().zip(&ws.site_draw_kw) {
            if kw > 0.0 {
                draw_kw += kw;
                if let Some(price) = s.regions[st.region].electricity_usd_per_mwh {
                    usd_per_hour += kw / 1000.0 * price;
                    priced_kw += kw;
                }
            }
        }
        ws.energy_draw_mw = draw_kw / 1000.0;
        ws.electricity_usd_per_hour = usd_per_hour;
        ws.priced_draw_mw = priced_kw / 1000.0;
    }
}
