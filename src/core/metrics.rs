//! The series recorded every month of a run: the metrics of MODEL.md section 5 in their
//! table order, then the extra series the charts need (built facility power, stranded
//! capital, and the share of compute from each chip origin).

/// Which constraint holds chips back at a sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// Nothing waits: more chips would run.
    Chips,
    /// Waiting chips have floor space but no grid power.
    Power,
    /// Waiting chips have no ready site with IT room.
    Space,
}

impl Binding {
    /// All states, in the order of the summary rows.
    pub const ALL: [Binding; 3] = [Binding::Chips, Binding::Power, Binding::Space];

    /// `binding_chips`, `binding_power` or `binding_space`.
    pub fn row_name(self) -> &'static str {
        match self {
            Binding::Chips => "binding_chips",
            Binding::Power => "binding_power",
            Binding::Space => "binding_space",
        }
    }

    /// Position in `ALL`.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Names of the section 5 metrics, in table order (the binding rows follow them).
pub const METRIC_NAMES: [&str; 14] = [
    "delivered",
    "waiting",
    "installing",
    "operational",
    "lost",
    "cancelled",
    "compute_pflops",
    "it_mw",
    "facility_mw",
    "grid_mw",
    "built_it_mw",
    "domestic_share",
    "stranded_by_power",
    "stranded_by_space",
];

/// Index of each series within one month's values.
pub mod series {
    pub const DELIVERED: usize = 0;
    pub const WAITING: usize = 1;
    pub const INSTALLING: usize = 2;
    pub const OPERATIONAL: usize = 3;
    pub const LOST: usize = 4;
    pub const CANCELLED: usize = 5;
    pub const COMPUTE_PFLOPS: usize = 6;
    pub const IT_MW: usize = 7;
    pub const FACILITY_MW: usize = 8;
    pub const GRID_MW: usize = 9;
    pub const BUILT_IT_MW: usize = 10;
    pub const DOMESTIC_SHARE: usize = 11;
    pub const STRANDED_BY_POWER: usize = 12;
    pub const STRANDED_BY_SPACE: usize = 13;
    /// IT MW of ready sites times their PUE.
    pub const BUILT_FACILITY_MW: usize = 14;
    /// Price of the waiting chips, USD.
    pub const STRANDED_CAPITAL_USD: usize = 15;
    /// First of the per-origin compute shares (one per origin, in origin order).
    pub const ORIGIN_SHARE_0: usize = 16;
}

/// Number of series recorded per month for a scenario with `origins` chip origins.
pub fn series_count(origins: usize) -> usize {
    series::ORIGIN_SHARE_0 + origins
}
