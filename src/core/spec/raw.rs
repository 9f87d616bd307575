//! Values of the scenario file that need their own reading: distributions as written
//! (`RawDist`) and `[chips.ID]` tables kept in file order with their ids' spans.

use super::{ChipEntry, Spanned};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

/// The distribution names and the parameter sets each takes (MODEL.md section 3): the
/// shape of a distribution table, read by validation and by the format reference.
pub const DIST_FORMS: [(&str, &[&[&str]]); 6] = [
    ("fixed", &[&["value"]]),
    ("uniform", &[&["min", "max"]]),
    ("triangular", &[&["min", "mode", "max"]]),
    ("pert", &[&["min", "mode", "max"]]),
    ("normal", &[&["mean", "sd"]]),
    ("lognormal", &[&["median", "p90"], &["p5", "p95"]]),
];

/// A distribution as written: a plain number, or a table such as
/// `{ dist = "pert", min = 0, mode = 6, max = 30 }`. Checked by validation.
#[derive(Debug, Clone, PartialEq)]
pub enum RawDist {
    /// A plain number: a fixed value.
    Number(f64),
    /// A table: the `dist` name (if given) and every numeric parameter in file order.
    Table {
        /// The `dist` name, if given.
        dist: Option<String>,
        /// Every numeric parameter, in file order.
        params: Vec<(String, f64)>,
        /// Parameters whose value is not a number (reported by validation).
        bad_keys: Vec<String>,
    },
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
pub(super) fn ordered_chips<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<ChipEntry>, D::Error> {
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

/// A table of numbers by key, as written: factor loadings such as
/// `{ "transformer lead times" = 0.8 }`, or budget amounts by year such as
/// `{ 2026 = 1.5e9 }`. Keys keep their spans so validation can point at each entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NumberMap {
    /// Each entry in file order: its key, and its value when it is a number (`None`
    /// when it is not; validation reports it at the key).
    pub entries: Vec<(Spanned<String>, Option<f64>)>,
}

impl<'de> Deserialize<'de> for NumberMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = NumberMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of numbers, like { \"name\" = 0.8 }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NumberMap, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let value = match map.next_value::<NumberOrOther>()? {
                        NumberOrOther::Number(v) => Some(v),
                        NumberOrOther::Other => None,
                    };
                    entries.push((key, value));
                }
                Ok(NumberMap { entries })
            }
        }
        deserializer.deserialize_map(MapVisitor)
    }
}
