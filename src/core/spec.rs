//! The raw scenario spec: a serde mirror of the scenario file, every field optional and
//! spanned, so validation can name the line and column of each problem.
//!
//! Nothing here is checked beyond types; `validate` turns a spec into a `Scenario`.

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
pub use serde_spanned::Spanned;
use std::fmt;

/// Byte range in the source text.
pub type Span = std::ops::Range<usize>;

/// A whole scenario file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// A parent scenario file this one refines (resolved by the file loader).
    pub extends: Option<Spanned<String>>,
    /// Items of the parent to drop, as `"<section>: <name>"`.
    pub remove: Option<Vec<Spanned<String>>>,
    pub scenario: Option<Spanned<ScenarioTable>>,
    pub allocation: Option<Spanned<AllocationTable>>,
    pub target: Option<Spanned<TargetTable>>,
    #[serde(default, deserialize_with = "ordered_chips")]
    pub chips: Vec<ChipEntry>,
    #[serde(default)]
    pub regions: Vec<Spanned<RegionSpec>>,
    #[serde(default)]
    pub power: Vec<Spanned<PowerSpec>>,
    #[serde(default)]
    pub sites: Vec<Spanned<SiteSpec>>,
    #[serde(default)]
    pub deliveries: Vec<Spanned<DeliverySpec>>,
    #[serde(default)]
    pub shocks: Vec<Spanned<ShockSpec>>,
}

/// One `[chips.ID]` table: its id and its keys.
pub type ChipEntry = (Spanned<String>, Spanned<ChipSpec>);

/// `[scenario]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioTable {
    pub name: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub start: Option<Spanned<String>>,
    pub horizon: Option<Spanned<String>>,
    pub home_origin: Option<Spanned<String>>,
    pub runs: Option<Spanned<i64>>,
    pub seed: Option<Spanned<i64>>,
}

/// `[allocation]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationTable {
    pub mode: Option<Spanned<String>>,
}

/// `[target]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetTable {
    pub operational: Option<Spanned<i64>>,
    pub by: Option<Spanned<String>>,
}

/// `[chips.ID]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChipSpec {
    pub vendor: Option<Spanned<String>>,
    pub origin: Option<Spanned<String>>,
    pub power_kw: Option<Spanned<f64>>,
    pub pflops: Option<Spanned<f64>>,
    pub failure_rate: Option<Spanned<f64>>,
    pub life_years: Option<Spanned<f64>>,
    pub price_usd: Option<Spanned<f64>>,
}

/// `[[regions]]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSpec {
    pub name: Option<Spanned<String>>,
    pub grid_mw: Option<Spanned<f64>>,
}

/// `[[power]]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PowerSpec {
    pub name: Option<Spanned<String>>,
    pub region: Option<Spanned<String>>,
    pub mw: Option<Spanned<f64>>,
    pub online: Option<Spanned<String>>,
    pub delay_months: Option<Spanned<RawDist>>,
    pub probability: Option<Spanned<f64>>,
}

/// `[[sites]]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSpec {
    pub name: Option<Spanned<String>>,
    pub owner: Option<Spanned<String>>,
    pub region: Option<Spanned<String>>,
    pub it_mw: Option<Spanned<f64>>,
    pub pue: Option<Spanned<f64>>,
    pub ready: Option<Spanned<String>>,
    pub delay_months: Option<Spanned<RawDist>>,
    pub install_months: Option<Spanned<RawDist>>,
    pub probability: Option<Spanned<f64>>,
}

/// `[[deliveries]]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySpec {
    pub name: Option<Spanned<String>>,
    pub chip: Option<Spanned<String>>,
    pub count: Option<Spanned<i64>>,
    pub owner: Option<Spanned<String>>,
    pub site: Option<Spanned<String>>,
    pub arrive: Option<Spanned<String>>,
    pub delay_months: Option<Spanned<RawDist>>,
    pub probability: Option<Spanned<f64>>,
}

/// `[[shocks]]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShockSpec {
    pub name: Option<Spanned<String>>,
    pub probability: Option<Spanned<f64>>,
    pub earliest: Option<Spanned<String>>,
    pub latest: Option<Spanned<String>>,
    pub duration_months: Option<Spanned<RawDist>>,
    pub origin: Option<Spanned<String>>,
    pub effect: Option<Spanned<String>>,
}

/// A distribution as written: a plain number, or a table such as
/// `{ dist = "pert", min = 0, mode = 6, max = 30 }`. Checked by validation.
#[derive(Debug, Clone, PartialEq)]
pub enum RawDist {
    /// A plain number: a fixed value.
    Number(f64),
    /// A table: the `dist` name (if given) and every numeric parameter in file order.
    Table { dist: Option<String>, params: Vec<(String, f64)>, bad_keys: Vec<String> },
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawDistVisitor)
    }
}

struct RawDistVisitor;

impl<'de> Visitor<'de> for RawDistVisitor {
    type Value = RawDist;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a table like { dist = \"pert\", min = 0, mode = 3, max = 12 }")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDist, E> {
        Ok(RawDist::Number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDist, E> {
        Ok(RawDist::Number(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDist, E> {
        Ok(RawDist::Number(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDist, A::Error> {
        let mut dist = None;
        let mut params = Vec::new();
        let mut bad_keys = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "dist" {
                dist = Some(map.next_value::<String>()?);
            } else {
                match map.next_value::<NumberOrOther>()? {
                    NumberOrOther::Number(v) => params.push((key, v)),
                    NumberOrOther::Other => bad_keys.push(key),
                }
            }
        }
        Ok(RawDist::Table { dist, params, bad_keys })
    }
}

/// A distribution parameter: a number, or anything else (reported by validation).
enum NumberOrOther {
    Number(f64),
    Other,
}

impl<'de> Deserialize<'de> for NumberOrOther {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NumberOrOther;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumberOrOther, E> {
                Ok(NumberOrOther::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumberOrOther, E> {
                Ok(NumberOrOther::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumberOrOther, E> {
                Ok(NumberOrOther::Number(v))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<NumberOrOther, E> {
                Ok(NumberOrOther::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<NumberOrOther, E> {
                Ok(NumberOrOther::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NumberOrOther, A::Error> {
                while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
                Ok(NumberOrOther::Other)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<NumberOrOther, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(NumberOrOther::Other)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Reads `[chips.*]` as a list in file order, keeping each id's span.
fn ordered_chips<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<ChipEntry>, D::Error> {
    struct ChipsVisitor;
    impl<'de> Visitor<'de> for ChipsVisitor {
        type Value = Vec<ChipEntry>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("tables [chips.ID]")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut chips = Vec::new();
            while let Some(key) = map.next_key::<Spanned<String>>()? {
                chips.push((key, map.next_value()?));
            }
            Ok(chips)
        }
    }
    deserializer.deserialize_map(ChipsVisitor)
}
