//! The series recorded every month of a run, declared once: the metrics of MODEL.md
//! section 5 in their table order, then the extra series the charts need (built facility
//! power, stranded capital), then one compute share per chip origin. Also the `Binding`
//! states. Names, units and summary membership all come from the one table below.

/// What a series counts, so writers can format it without knowing the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A number of chips.
    Chips,
    /// Dense BF16 compute, PFLOP/s.
    Pflops,
    /// Power, MW.
    Mw,
    /// A share between 0 and 1.
    Share,
    /// US dollars.
    Usd,
    /// Energy, MWh.
    Mwh,
    /// Energy, TWh (headline figures).
    Twh,
    /// Compute over time, PFLOP/s-years.
    PflopsYears,
}

/// Declares the fixed series once: the enum, its order, CSV names, units and whether the
/// series is a row of `summary.csv`. Adding a series is one line here plus its value in
/// `run::sample`'s monthly sample.
macro_rules! series_table {
    ($($(#[$doc:meta])* $variant:ident => $name:literal, $unit:ident, $in_summary:literal;)*) => {
        /// One fixed per-month series (the per-origin shares follow them, see
        /// [`origin_share_index`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Series {
            $($(#[$doc])* $variant,)*
        }

        impl Series {
            /// Every fixed series, in record order (`ALL[i].index() == i`).
            pub const ALL: &'static [Series] = &[$(Series::$variant,)*];

            /// The metric name, as in `summary.csv` and `compare.csv`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Series::$variant => $name,)*
                }
            }

            /// What the series counts.
            pub fn unit(self) -> Unit {
                match self {
                    $(Series::$variant => Unit::$unit,)*
                }
            }

            /// Whether the series is one of MODEL.md section 5's metrics (a `summary.csv`
            /// row); the others exist for the charts.
            pub fn in_summary(self) -> bool {
                match self {
                    $(Series::$variant => $in_summary,)*
                }
            }
        }
    };
}

series_table! {
    /// Chips delivered so far (cumulative).
    Delivered => "delivered", Chips, true;
    /// Chips delivered but not placed.
    Waiting => "waiting", Chips, true;
    /// Chips placed and installing.
    Installing => "installing", Chips, true;
    /// Chips running.
    Operational => "operational", Chips, true;
    /// Chips lost to attrition (cumulative).
    Lost => "lost", Chips, true;
    /// Chips of deliveries that never came (cumulative).
    Cancelled => "cancelled", Chips, true;
    /// Compute of operational chips, PFLOP/s.
    ComputePflops => "compute_pflops", Pflops, true;
    /// IT power drawn by placed chips, MW.
    ItMw => "it_mw", Mw, true;
    /// Facility power drawn (IT x PUE), MW.
    FacilityMw => "facility_mw", Mw, true;
    /// Grid power online, MW.
    GridMw => "grid_mw", Mw, true;
    /// IT capacity of ready sites, MW.
    BuiltItMw => "built_it_mw", Mw, true;
    /// Share of operational compute from the home origin.
    DomesticShare => "domestic_share", Share, true;
    /// Chips waiting because no region has power.
    StrandedByPower => "stranded_by_power", Chips, true;
    /// Chips waiting because no ready site has IT room.
    StrandedBySpace => "stranded_by_space", Chips, true;
    /// Chips out for repair under warranty (they keep their slot).
    Repairing => "repairing", Chips, true;
    /// Chips of deliveries queued for a budget line's money (not delivered).
    AwaitingFunds => "awaiting_funds", Chips, true;
    /// Price of the chips delivered so far, USD (cumulative).
    CapexUsd => "capex_usd", Usd, true;
    /// Facility energy of operational chips so far, MWh (cumulative).
    EnergyMwh => "energy_mwh", Mwh, true;
    /// Cost of that energy where regions price it, USD (cumulative).
    ElectricityUsd => "electricity_usd", Usd, true;
    /// IT MW of ready sites times their PUE.
    BuiltFacilityMw => "built_facility_mw", Mw, false;
    /// Price of the waiting chips, USD.
    StrandedCapitalUsd => "stranded_capital_usd", Usd, false;
    /// Compute of operational chips integrated over time so far, PFLOP/s-years.
    ComputePflopsYears => "compute_pflops_years", PflopsYears, false;
    /// Energy so far in regions that price electricity, MWh (for the priced share).
    PricedEnergyMwh => "priced_energy_mwh", Mwh, false;
    /// The facility draw of operational chips at the sample, for a year: TWh per year.
    EnergyTwhPerYear => "energy_twh_per_year", Twh, false;
}

impl Series {
    /// Position within one month's values.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Series whose statistics are read at the horizon month only (by the headline), so
    /// the Monte Carlo aggregates their other months' values nowhere.
    pub const HORIZON_ONLY: [Series; 2] = [Series::ComputePflopsYears, Series::PricedEnergyMwh];

    /// The series that are rows of `summary.csv`, in table order.
    pub fn summary_rows() -> impl Iterator<Item = Series> {
        Series::ALL.iter().copied().filter(|s| s.in_summary())
    }
}

/// Position of the compute share of chip origin `origin` (in the scenario's origin order).
pub fn origin_share_index(origin: usize) -> usize {
    Series::ALL.len() + origin
}

/// Number of series recorded per month for a scenario with `origins` chip origins.
pub fn series_count(origins: usize) -> usize {
    origin_share_index(origins)
}

/// Which constraint holds chips back at a sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// Nothing waits: more chips would run.
    Chips,
    /// Waiting chips have floor space but no grid power.
    Power,
    /// Waiting chips have no ready site with IT room.
    Space,
    /// Nothing waits, but chips wait for a budget line's money.
    Money,
}

impl Binding {
    /// Every state, in the order of the summary rows.
    pub const ALL: [Binding; 4] = [Binding::Chips, Binding::Power, Binding::Space, Binding::Money];

    /// Number of states.
    pub const COUNT: usize = Binding::ALL.len();

    /// `binding_chips`, `binding_power`, `binding_space` or `binding_money`.
    pub fn row_name(self) -> &'static str {
        match self {
            Binding::Chips => "binding_chips",
            Binding::Power => "binding_power",
            Binding::Space => "binding_space",
            Binding::Money => "binding_money",
        }
    }

    /// The constraint in words: "chips", "power", "space", "money".
    pub fn label(self) -> &'static str {
        match self {
            Binding::Chips => "chips",
            Binding::Power => "power",
            Binding::Space => "space",
            Binding::Money => "money",
        }
    }

    /// Position in `ALL`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The states in which chips wait for something (every state but `Chips`).
    pub fn limits() -> impl Iterator<Item = Binding> {
        Binding::ALL.into_iter().filter(|&b| b != Binding::Chips)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_positions_follow_the_table() {
        for (i, s) in Series::ALL.iter().enumerate() {
            assert_eq!(s.index(), i, "{s:?}");
        }
        for (i, b) in Binding::ALL.iter().enumerate() {
            assert_eq!(b.index(), i, "{b:?}");
        }
        assert_eq!(Series::summary_rows().count(), 19);
        assert_eq!(origin_share_index(0), 24);
    }
}
