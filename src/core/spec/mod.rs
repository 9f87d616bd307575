//! The raw scenario spec: a serde mirror of the scenario file, every field optional and
//! spanned, so validation can name the line and column of each problem.
//!
//! The scenario's shape is declared once, below: every section and every key. The
//! structs, the key tables (`SHAPE`), inheritance (merge key by key, replace items by
//! name), span shifting and `validate --print` all derive from it, so a new key is one
//! line here plus its rule in `validate`. Nothing here is checked beyond types;
//! `validate` turns a spec into a `Scenario`.

#[macro_use]
mod shape;
mod raw;

pub use raw::RawDist;
pub use serde_spanned::Spanned;
pub use shape::{merge_items, Key, KeyKind, Named, Section, SectionKind, Table};

/// Byte range in the source text.
pub type Span = std::ops::Range<usize>;

tables! {
    /// `[scenario]`
    ScenarioTable {
        name: String => Text,
        description: String => Text,
        start: String => Date,
        horizon: String => Date,
        home_origin: String => Text,
        runs: i64 => Integer,
        seed: i64 => Integer,
    }

    /// `[allocation]`
    AllocationTable {
        mode: String => Choice,
    }

    /// `[target]`
    TargetTable {
        operational: i64 => Integer,
        by: String => Date,
    }

    /// `[chips.ID]`
    ChipSpec {
        vendor: String => Text,
        origin: String => Text,
        power_kw: f64 => Number,
        pflops: f64 => Number,
        failure_rate: f64 => Number,
        life_years: f64 => Number,
        price_usd: f64 => Number,
    }

    /// `[[regions]]`
    RegionSpec {
        name: String => Text,
        grid_mw: f64 => Number,
    }

    /// `[[power]]`
    PowerSpec {
        name: String => Text,
        region: String => Text,
        mw: f64 => Number,
        online: String => Date,
        delay_months: RawDist => Distribution,
        probability: f64 => Number,
    }

    /// `[[sites]]`
    SiteSpec {
        name: String => Text,
        owner: String => Text,
        region: String => Text,
        it_mw: f64 => Number,
        pue: f64 => Number,
        ready: String => Date,
        delay_months: RawDist => Distribution,
        install_months: RawDist => Distribution,
        probability: f64 => Number,
    }

    /// `[[deliveries]]`
    DeliverySpec {
        name: String => Text,
        chip: String => Text,
        count: i64 => Integer,
        owner: String => Text,
        site: String => Text,
        arrive: String => Date,
        delay_months: RawDist => Distribution,
        probability: f64 => Number,
    }

    /// `[[shocks]]`
    ShockSpec {
        name: String => Text,
        probability: f64 => Number,
        earliest: String => Date,
        latest: String => Date,
        duration_months: RawDist => Distribution,
        origin: String => Text,
        effect: String => Choice,
    }
}

sections! {
    keys {
        /// `[scenario]`: name, dates, runs and seed.
        scenario: ScenarioTable,
        /// `[allocation]`: how waiting chips may be placed.
        allocation: AllocationTable,
        /// `[target]`: chips operational by a month.
        target: TargetTable,
    }
    by_id {
        /// `[chips.ID]`, in file order.
        chips: ChipSpec,
    }
    by_name {
        /// `[[regions]]`
        regions: RegionSpec,
        /// `[[power]]`
        power: PowerSpec,
        /// `[[sites]]`
        sites: SiteSpec,
        /// `[[deliveries]]`
        deliveries: DeliverySpec,
        /// `[[shocks]]`
        shocks: ShockSpec,
    }
}
