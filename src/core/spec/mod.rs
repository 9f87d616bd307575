//! The raw scenario spec: a serde mirror of the scenario file, every field optional and
//! spanned, so validation can name the line and column of each problem.
//!
//! The scenario's shape is declared once, below: every section and every key. The
//! structs, the key tables (`SHAPE`), inheritance (merge tables and same-named items key
//! by key), span shifting and `validate --print` all derive from it, so a new key is one
//! line here plus its rule in `validate`. Nothing here is checked beyond types;
//! `validate` turns a spec into a `Scenario`.

#[macro_use]
mod shape;
mod raw;

pub use raw::{NumberMap, RawDist, DIST_FORMS};
pub use serde_spanned::Spanned;
pub use shape::{merge_item, merge_items, Key, KeyKind, Named, Section, SectionKind, Table};

/// Byte range in the source text.
pub type Span = std::ops::Range<usize>;

tables! {
    /// `[scenario]`
    ScenarioTable {
        name: String => Text { doc: "The scenario's title, used in reports and charts", required: true,
            range: "1 to 200 characters, not blank", example: r#""Japan 2030""# }
        description: String => Text { doc: "A longer note on what the scenario assumes, printed in the report",
            range: "any text", example: r#""Public and private builds to 2030""# }
        start: String => Date { doc: "The first simulated month (month 0)", required: true,
            range: "\"YYYY-MM\", years 1900 to 2999", example: r#""2026-01""# }
        horizon: String => Date { doc: "The last simulated month", required: true,
            range: "\"YYYY-MM\", after `start` and at most 600 months (50 years) after it", example: r#""2030-12""# }
        home_origin: String => Text { doc: "The chip origin counted as domestic in the dependency figures",
            range: "1 to 200 characters; compared with each chip's `origin`", example: r#""JP""# }
        runs: i64 => Integer { doc: "Runs of the Monte Carlo when `--runs` is not given", default: "10000",
            range: "1 to 100000000", example: "10000", min: 1.0, max: 1e8 }
        seed: i64 => Integer { doc: "Master seed when `--seed` is not given", default: "42",
            range: ">= 0 (at most 2^63 - 1)", example: "42", min: 0.0 }
    }

    /// `[allocation]`
    AllocationTable {
        mode: String => Choice { doc: "Where waiting chips may go: only to their owner's sites, or to any site with room",
            default: r#""owner""#, range: "\"owner\" or \"national\"", example: r#""owner""#,
            choices: &["owner", "national"] }
    }

    /// `[target]`
    TargetTable {
        operational: i64 => Integer { doc: "Chips operational that the brief asks about", unit: "chips",
            required: true, range: ">= 0", example: "10000", min: 0.0 }
        by: String => Date { doc: "The month by which they should run; the headline gives the chance", required: true,
            range: "\"YYYY-MM\", between `start` and `horizon`", example: r#""2029-12""# }
    }

    /// `[chips.ID]`
    ChipSpec {
        vendor: String => Text { doc: "Who makes the chip (a label, not checked)", range: "any text",
            example: r#""NVIDIA""# }
        origin: String => Text { doc: "Where the chip comes from; shocks and `home_origin` match it", required: true,
            range: "1 to 200 characters", example: r#""US""# }
        power_kw: f64 => Number { doc: "IT power per accelerator, its share of server and network included",
            unit: "kW", required: true, range: "0.001 to 1000", example: "1.2", min: 0.001, max: 1000.0 }
        pflops: f64 => Number { doc: "Dense BF16 compute per accelerator", unit: "PFLOP/s", required: true,
            range: "0 to 1000000", example: "2.25", min: 0.0, max: 1e6 }
        failure_rate: f64 => Number { doc: "Fraction of operational chips lost for good per year", unit: "per year",
            default: "0.0", range: "0 to 1", example: "0.02", min: 0.0, max: 1.0 }
        life_years: f64 => Number { doc: "Years after installation when a chip retires (never, when absent)",
            unit: "years", range: "> 0 and at most 100", example: "6.0", min: 0.0, min_exclusive: true,
            max: 100.0 }
        price_usd: f64 => Number { doc: "Price per chip (its share of the system included), for capital, budget and cost figures", unit: "USD",
            range: "0 to 1e12", example: "35000.0", min: 0.0, max: 1e12 }
        warranty_years: f64 => Number { doc: "Failures within this time of commissioning are repaired, not lost",
            unit: "years", default: "0.0", range: "0 to 100", example: "3.0", min: 0.0, max: 100.0 }
        repair_months: f64 => Number { doc: "Time a repaired chip is out of service (it keeps its slot)",
            unit: "months", default: "1.0", range: "0 to 120", example: "2.0", min: 0.0, max: 120.0 }
        block: i64 => Integer { doc: "Chips are placed in whole multiples of this many (a rack), the last part of a lot excepted",
            unit: "chips", default: "1", range: "1 to 1000000", example: "72", min: 1.0, max: 1e6 }
        average_load: f64 => Number { doc: "Average share of `power_kw` an operational chip draws, for energy only",
            default: "1.0", range: "0 to 1", example: "0.75", min: 0.0, max: 1.0 }
    }

    /// `[[regions]]`
    RegionSpec {
        name: String => Text { doc: "The region's name, unique; sites and grid additions name it", required: true,
            range: "1 to 200 characters, unique among regions", example: r#""north""# }
        grid_mw: f64 => Number { doc: "Facility power available to data centres at the start", unit: "MW",
            default: "0.0", range: "0 to 1000000", example: "10.0", min: 0.0, max: 1e6 }
        electricity_usd_per_mwh: f64 => Number { doc: "Price of electricity for data centres in the region (energy cost is not reported without one)",
            unit: "USD/MWh", range: "0 to 1000000", example: "95.0", min: 0.0, max: 1e6 }
    }

    /// `[[power]]`
    PowerSpec {
        name: String => Text { doc: "A name for the grid addition (keys its random stream; children change, replace or remove it by name)",
            range: "any text", example: r#""North substation""# }
        region: String => Text { doc: "The region whose shared pool gains the power (give `region` or `site`, not both)",
            range: "the `name` of a `[[regions]]` item", example: r#""north""#, one_of: "site" }
        site: String => Text { doc: "The one site this dedicated connection feeds, instead of a region's pool; a site with a connection draws only from its connections",
            range: "the `name` of a `[[sites]]` item", example: r#""North campus""# }
        mw: f64 => Number { doc: "Facility power added", unit: "MW", required: true, range: "0 to 1000000",
            example: "30.0", min: 0.0, max: 1e6 }
        online: String => Date { doc: "The planned month it comes online", required: true,
            range: "\"YYYY-MM\"", example: r#""2027-01""# }
        delay_months: RawDist => Distribution { doc: "Slip after the planned month", unit: "months",
            default: "0", range: "a distribution of months", example: r#"{ dist = "pert", min = 0, mode = 3, max = 12 }"# }
        probability: f64 => Number { doc: "Chance that it happens at all", default: "1.0", range: "0 to 1",
            example: "0.9", min: 0.0, max: 1.0 }
        factors: NumberMap => Map { doc: "Loadings of this item's delay on shared factors (the delay must be a distribution)",
            range: "`{ \"<factor name>\" = loading }`, each loading in -1 to 1, their squares summing to at most 1",
            example: r#"{ "transformer supply" = 0.8 }"# }
    }

    /// `[[sites]]`
    SiteSpec {
        name: String => Text { doc: "The site's name, unique; deliveries may name it", required: true,
            range: "1 to 200 characters, unique among sites", example: r#""North campus""# }
        owner: String => Text { doc: "Who owns the site; in owner allocation only its deliveries go there",
            required: true, range: "1 to 200 characters", example: r#""government""# }
        region: String => Text { doc: "The region whose power it draws", required: true,
            range: "the `name` of a `[[regions]]` item", example: r#""north""# }
        it_mw: f64 => Number { doc: "IT capacity", unit: "MW", required: true, range: "0 to 1000000",
            example: "20.0", min: 0.0, max: 1e6 }
        pue: RawDist => Distribution { doc: "Power usage effectiveness: facility MW = IT MW x pue; a distribution is drawn once per run (draws below 1 count as 1)",
            required: true, range: "1 to 10, or a distribution whose mean is", example: "1.3", min: 1.0, max: 10.0 }
        ready: String => Date { doc: "The planned month the building is ready", required: true,
            range: "\"YYYY-MM\"", example: r#""2026-06""# }
        delay_months: RawDist => Distribution { doc: "Slip after the planned month", unit: "months",
            default: "0", range: "a distribution of months", example: r#"{ dist = "lognormal", median = 3, p90 = 12 }"# }
        install_months: RawDist => Distribution { doc: "Lag from a chip's placement to its operation", unit: "months",
            default: "0", range: "a distribution of months", example: "1.0" }
        probability: f64 => Number { doc: "Chance that the site is built at all", default: "1.0", range: "0 to 1",
            example: "1.0", min: 0.0, max: 1.0 }
        factors: NumberMap => Map { doc: "Loadings of this item's delay on shared factors (the delay must be a distribution)",
            range: "`{ \"<factor name>\" = loading }`, each loading in -1 to 1, their squares summing to at most 1",
            example: r#"{ "transformer supply" = 0.8 }"# }
    }

    /// `[[deliveries]]`
    DeliverySpec {
        name: String => Text { doc: "A name for the delivery (keys its random stream; children change, replace or remove it by name)",
            range: "any text", example: r#""Tranche 1""# }
        chip: String => Text { doc: "The chip type delivered", required: true, range: "the ID of a `[chips.ID]` table",
            example: r#""gpu""# }
        count: i64 => Integer { doc: "Chips delivered", unit: "chips", required: true, range: "0 to 1000000000",
            example: "10000", min: 0.0, max: 1e9 }
        owner: String => Text { doc: "Who owns the chips; in owner allocation they go to this owner's sites",
            required: true, range: "1 to 200 characters", example: r#""government""# }
        site: String => Text { doc: "The only site the chips may go to (any of the owner's, when absent)",
            range: "the `name` of a `[[sites]]` item of the same owner", example: r#""North campus""# }
        arrive: String => Date { doc: "The planned month of arrival", range: "\"YYYY-MM\"",
            example: r#""2026-09""#, one_of: "installed" }
        delay_months: RawDist => Distribution { doc: "Slip after the planned month", unit: "months",
            default: "0", range: "a distribution of months", example: r#"{ dist = "triangular", min = 0, mode = 2, max = 6 }"# }
        probability: f64 => Number { doc: "Chance that the delivery happens at all", default: "1.0", range: "0 to 1",
            example: "1.0", min: 0.0, max: 1.0 }
        factors: NumberMap => Map { doc: "Loadings of this item's delay on shared factors (the delay must be a distribution)",
            range: "`{ \"<factor name>\" = loading }`, each loading in -1 to 1, their squares summing to at most 1",
            example: r#"{ "transformer supply" = 0.8 }"# }
        whole: bool => Flag { doc: "Placed all at once into one site, or not at all", default: "false",
            range: "true or false", example: "true" }
        budget: String => Text { doc: "The budget line that pays for the chips before they ship (the chip needs `price_usd`)",
            range: "the `name` of a `[[budgets]]` item", example: r#""MSIT GPU line""# }
        installed: String => Date { doc: "Chips already running: commissioned on this date, on or before `start`, in the named `site` (no `arrive`, delay, probability or budget)",
            range: "\"YYYY-MM\", on or before `start`", example: r#""2025-01""# }
    }

    /// `[[shocks]]`
    ShockSpec {
        name: String => Text { doc: "A name for the shock (keys its random stream; children change, replace or remove it by name)",
            range: "any text", example: r#""Export pause""# }
        probability: f64 => Number { doc: "Chance that the shock happens in a run", required: true, range: "0 to 1",
            example: "0.2", min: 0.0, max: 1.0 }
        earliest: String => Date { doc: "The first month it may start (drawn uniformly up to `latest`)", required: true,
            range: "\"YYYY-MM\", between `start` and `horizon`", example: r#""2027-01""# }
        latest: String => Date { doc: "The last month it may start", required: true,
            range: "\"YYYY-MM\", between `earliest` and `horizon`", example: r#""2028-12""# }
        duration_months: RawDist => Distribution { doc: "How long it lasts", unit: "months", required: true,
            range: "a distribution of months", example: r#"{ dist = "uniform", min = 3, max = 12 }"# }
        origin: String => Text { doc: "Deliveries of chips of this origin are hit", required: true,
            range: "1 to 200 characters; a chip `origin`", example: r#""US""# }
        effect: String => Choice { doc: "What a hit delivery suffers: postponed to the shock's end, or cancelled",
            required: true, range: "\"postpone\" or \"cancel\"", example: r#""postpone""#,
            choices: &["postpone", "cancel"] }
    }

    /// `[[factors]]`
    FactorSpec {
        name: String => Text { doc: "The factor's name, unique; items load on it by name in their `factors` table", required: true,
            range: "1 to 200 characters, unique among factors", example: r#""transformer supply""# }
        description: String => Text { doc: "What the shared cause is, for the reader", range: "any text",
            example: r#""Lead times of large power transformers""# }
    }

    /// `[[budgets]]`
    BudgetSpec {
        name: String => Text { doc: "The budget line's name, unique; deliveries name it in `budget`", required: true,
            range: "1 to 200 characters, unique among budgets", example: r#""MSIT GPU line""# }
        amounts_usd: NumberMap => Map { doc: "Money appropriated on 1 January of each year (at the start for years before it); unspent money carries over",
            unit: "USD", required: true, range: "`{ YEAR = amount }`, years 1900 to 2999, amounts 0 to 1e15",
            example: "{ 2026 = 1.5e9, 2027 = 2.0e9 }" }
        description: String => Text { doc: "Where the money comes from, for the reader", range: "any text",
            example: r#""2026 supplementary budget""# }
    }
}

/// The top-level keys of a file that refines another (docs/inheritance.md), beside the
/// sections. The file reader takes them as `ScenarioSpec::extends`, `remove` and
/// `replace`; a test checks that these are the top-level keys it accepts.
pub const INHERIT_KEYS: &[Key] = &[
    Key {
        name: "extends",
        kind: KeyKind::Text,
        doc: "A parent scenario file this one refines: everything the parent declares is inherited",
        range: "a path relative to this file's folder",
        example: r#""korea-260k.toml""#,
        ..Key::BLANK
    },
    Key {
        name: "remove",
        kind: KeyKind::Items,
        doc: "Inherited items to drop (before this file's own items are added), or the whole `[target]`",
        range: "`\"<section>: <name>\"` of an inherited item, or `\"target\"`; needs `extends`",
        example: r#"["sites: North campus", "target"]"#,
        choices: &["target"],
        ..Key::BLANK
    },
    Key {
        name: "replace",
        kind: KeyKind::Items,
        doc: "Inherited items that this file's same-named item replaces whole, instead of merging over them key by key",
        range: "`\"<section>: <name>\"` of an inherited item this file redefines; needs `extends`",
        example: r#"["power: North substation"]"#,
        ..Key::BLANK
    },
];

sections! {
    keys {
        /// `[scenario]`: the scenario's name, dates, runs and seed.
        scenario: ScenarioTable,
        /// `[allocation]`: how waiting chips may be placed.
        allocation: AllocationTable,
        /// `[target]`: chips operational by a month, the question a brief asks.
        target: TargetTable,
    }
    by_id {
        /// `[chips.ID]`: chip types, each under its own ID, in file order.
        chips: ChipSpec,
    }
    by_name {
        /// `[[regions]]`: regions of the grid, each with the power available at the start.
        regions: RegionSpec,
        /// `[[power]]`: grid additions, each in one region at an uncertain date.
        power: PowerSpec,
        /// `[[sites]]`: data-centre sites, each owned, in a region, ready at an uncertain date.
        sites: SiteSpec,
        /// `[[deliveries]]`: chip deliveries, each of one chip type to one owner.
        deliveries: DeliverySpec,
        /// `[[shocks]]`: supply shocks that postpone or cancel deliveries of one origin.
        shocks: ShockSpec,
        /// `[[factors]]`: shared causes of delay that items' delays load on (correlated uncertainty).
        factors: FactorSpec,
        /// `[[budgets]]`: budget lines that pay for deliveries before they ship.
        budgets: BudgetSpec,
    }
}
