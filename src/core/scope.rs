//! Results by region and by owner (issue 14, D50-D53): the per-scope metrics a run's
//! monthly sample records, their mergeable sketches across runs (`ScopeAggregate`, held
//! by `stats::Aggregate`) and the finished numbers (`ScopeSummary`). A scenario with one
//! region records no region scope, and one with one owner no owner scope (D52), so the
//! national path does no extra work for them.

use super::metrics::Binding;
use super::scenario::Scenario;
use super::sketch::{add_columns, PartsError, Sketch, SketchParts};
use super::stats::{
    add_binding_counts, binding_counts_from_parts, binding_shares, count_bindings, BindingCounts, Stats,
};

/// A metric recorded per region, in storage order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionMetric {
    /// Grid power online for the region's data centres (pool plus dedicated), MW.
    GridMw,
    /// Facility power drawn by the region's sites (IT x PUE), MW.
    FacilityMw,
    /// Chips waiting whose delivery is attributed to the region (D50).
    Waiting,
    /// Of those, waiting with room somewhere but no power.
    StrandedByPower,
    /// Of those, waiting with no room.
    StrandedBySpace,
    /// Chips operational in the region's sites.
    Operational,
}

impl RegionMetric {
    /// Every region metric, in storage order.
    pub const ALL: [RegionMetric; 6] = [
        RegionMetric::GridMw,
        RegionMetric::FacilityMw,
        RegionMetric::Waiting,
        RegionMetric::StrandedByPower,
        RegionMetric::StrandedBySpace,
        RegionMetric::Operational,
    ];
    /// The metric's name in by_region.csv (as in summary.csv).
    pub fn name(self) -> &'static str {
        match self {
            RegionMetric::GridMw => "grid_mw",
            RegionMetric::FacilityMw => "facility_mw",
            RegionMetric::Waiting => "waiting",
            RegionMetric::StrandedByPower => "stranded_by_power",
            RegionMetric::StrandedBySpace => "stranded_by_space",
            RegionMetric::Operational => "operational",
        }
    }
}

/// A metric recorded per owner, in storage order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerMetric {
    /// Chips delivered to the owner so far (cumulative).
    Delivered,
    /// The owner's chips waiting for room or power.
    Waiting,
    /// Chips operational in the owner's sites (D51).
    Operational,
    /// Their compute, PFLOPS.
    ComputePflops,
}

impl OwnerMetric {
    /// Every owner metric, in storage order.
    pub const ALL: [OwnerMetric; 4] =
        [OwnerMetric::Delivered, OwnerMetric::Waiting, OwnerMetric::Operational, OwnerMetric::ComputePflops];
    /// The metric's name in by_owner.csv (as in summary.csv).
    pub fn name(self) -> &'static str {
        match self {
            OwnerMetric::Delivered => "delivered",
            OwnerMetric::Waiting => "waiting",
            OwnerMetric::Operational => "operational",
            OwnerMetric::ComputePflops => "compute_pflops",
        }
    }
}

/// How many regions and owners a scenario records scopes for (0 when it has only one,
/// D52), and where each value sits in a month's row of scoped values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScopeShape {
    /// Regions recorded (0 or the scenario's 2+).
    pub regions: usize,
    /// Owners recorded (0 or the scenario's 2+).
    pub owners: usize,
}

impl ScopeShape {
    /// The scopes `scenario` records.
    pub fn of(scenario: &Scenario) -> ScopeShape {
        let more = |n: usize| if n >= 2 { n } else { 0 };
        ScopeShape { regions: more(scenario.regions().len()), owners: more(scenario.owners().len()) }
    }
    /// Scoped values per month.
    pub fn width(self) -> usize {
        self.regions * RegionMetric::ALL.len() + self.owners * OwnerMetric::ALL.len()
    }
    /// Position of region `r`'s metric in a month's row.
    pub fn region(self, r: usize, m: RegionMetric) -> usize {
        r * RegionMetric::ALL.len() + m as usize
    }
    /// Position of owner `o`'s metric in a month's row.
    pub fn owner(self, o: usize, m: OwnerMetric) -> usize {
        self.regions * RegionMetric::ALL.len() + o * OwnerMetric::ALL.len() + m as usize
    }
}

/// The per-scope part of a run's record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScopedRecord {
    /// What is recorded.
    pub shape: ScopeShape,
    /// Month-major: `values[m * shape.width() + shape.region(r, metric)]`.
    pub values: Vec<f64>,
    /// Month-major binding state per region: `binding[m * shape.regions + r]` (D53).
    pub binding: Vec<Binding>,
}

impl ScopedRecord {
    /// Region `r`'s metric at month `m`.
    pub fn region(&self, m: usize, r: usize, metric: RegionMetric) -> f64 {
        self.values[m * self.shape.width() + self.shape.region(r, metric)]
    }
    /// Owner `o`'s metric at month `m`.
    pub fn owner(&self, m: usize, o: usize, metric: OwnerMetric) -> f64 {
        self.values[m * self.shape.width() + self.shape.owner(o, metric)]
    }
    /// Region `r`'s binding state at month `m`.
    pub fn region_binding(&self, m: usize, r: usize) -> Binding {
        self.binding[m * self.shape.regions + r]
    }
}

/// The running per-scope statistics: one sketch per (month, scoped value) and the runs
/// per (month, region) in each binding state. Merged like the national cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScopeAggregate {
    shape: ScopeShape,
    cells: Vec<Sketch>,
    binding: Vec<BindingCounts>,
}

/// The plain contents of a `ScopeAggregate` (partial.json, format 7).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScopeParts {
    /// Regions recorded.
    pub regions: usize,
    /// Owners recorded.
    pub owners: usize,
    /// One sketch per (month, scoped value), month-major.
    pub cells: Vec<SketchParts>,
    /// Per (month, region), runs in each binding state (`Binding::ALL` order).
    pub binding: Vec<Vec<u64>>,
}

impl ScopeAggregate {
    /// No runs, shaped for `scenario` over `months` months.
    pub fn empty(scenario: &Scenario, months: usize) -> ScopeAggregate {
        let shape = ScopeShape::of(scenario);
        ScopeAggregate {
            shape,
            cells: vec![Sketch::default(); months * shape.width()],
            binding: vec![[0; Binding::COUNT]; months * shape.regions],
        }
    }
    /// Adds the scoped records `record(0..runs)`, cell by cell (`sketch::add_columns`).
    pub fn add_runs<'r>(&mut self, runs: usize, record: impl Fn(usize) -> &'r ScopedRecord) {
        add_columns(&mut self.cells, runs, |r| &record(r).values);
        for r in 0..runs {
            count_bindings(&mut self.binding, &record(r).binding);
        }
    }
    /// Adds every run of `other`, its cells merged by `merge_cells(mine, theirs)` (see
    /// `Aggregate::merge_with`).
    pub fn merge_with(&mut self, other: &ScopeAggregate, merge_cells: impl Fn(&mut [Sketch], &[Sketch])) {
        merge_cells(&mut self.cells, &other.cells);
        add_binding_counts(&mut self.binding, &other.binding);
    }
    /// Sorts every buffered value in.
    pub fn flush(&mut self) {
        self.cells.iter_mut().for_each(Sketch::flush);
    }
    /// Whether the aggregate has `scenario`'s shape over `months` months.
    pub fn fits(&self, scenario: &Scenario, months: usize) -> bool {
        self.shape == ScopeShape::of(scenario)
            && self.cells.len() == months * self.shape.width()
            && self.binding.len() == months * self.shape.regions
    }
    /// Plain contents.
    pub fn parts(&self) -> ScopeParts {
        ScopeParts {
            regions: self.shape.regions,
            owners: self.shape.owners,
            cells: self.cells.iter().map(Sketch::parts).collect(),
            binding: self.binding.iter().map(|b| b.to_vec()).collect(),
        }
    }
    /// The aggregate `parts` describe, when every sketch and binding row is consistent.
    pub fn from_parts(parts: ScopeParts) -> Result<ScopeAggregate, PartsError> {
        let binding = binding_counts_from_parts(&parts.binding, "region binding")?;
        Ok(ScopeAggregate {
            shape: ScopeShape { regions: parts.regions, owners: parts.owners },
            cells: parts.cells.into_iter().map(Sketch::from_parts).collect::<Result<_, _>>()?,
            binding,
        })
    }
    /// Finished statistics over `runs` runs.
    pub fn summarize(&self, runs: u64) -> ScopeSummary {
        ScopeSummary {
            shape: self.shape,
            cells: self.cells.iter().map(Stats::of).collect(),
            binding_share: binding_shares(&self.binding, runs),
        }
    }
}

/// Finished per-scope statistics.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScopeSummary {
    /// What was recorded.
    pub shape: ScopeShape,
    cells: Vec<Stats>,
    binding_share: Vec<[f64; Binding::COUNT]>,
}

impl ScopeSummary {
    /// Months summarized.
    pub fn months(&self) -> usize {
        self.cells.len().checked_div(self.shape.width()).unwrap_or(0)
    }
    /// Region `r`'s metric at month `m`.
    pub fn region(&self, m: usize, r: usize, metric: RegionMetric) -> &Stats {
        &self.cells[m * self.shape.width() + self.shape.region(r, metric)]
    }
    /// Owner `o`'s metric at month `m`.
    pub fn owner(&self, m: usize, o: usize, metric: OwnerMetric) -> &Stats {
        &self.cells[m * self.shape.width() + self.shape.owner(o, metric)]
    }
    /// Share of runs in which region `r` is in state `b` at month `m`.
    pub fn region_binding(&self, m: usize, r: usize, b: Binding) -> f64 {
        self.binding_share[m * self.shape.regions + r][b.index()]
    }
}
