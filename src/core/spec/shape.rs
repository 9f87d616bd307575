//! The machinery behind the one declaration of the scenario's shape (`spec/mod.rs`):
//! from each declared table it derives the spanned serde struct, its key table, the
//! key-by-key merge and span shifting; from the list of sections it derives the
//! `ScenarioSpec`, the section table, item names and inheritance.

use super::Spanned;

/// The kind of value a key takes. Serde checks the Rust type; this names the meaning,
/// for the key tables that printing, documentation and tools read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Free text, such as a name.
    Text,
    /// A "YYYY-MM" month.
    Date,
    /// One word out of a fixed set, such as an allocation mode.
    Choice,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// A number of months, fixed or as a distribution table.
    Distribution,
    /// true or false.
    Flag,
    /// A table of numbers by key, such as factor loadings or amounts by year.
    Map,
    /// A list of inherited items, each `"<section>: <name>"` (or one of the key's
    /// `choices`), for a child file's `remove` and `replace`.
    Items,
}

/// One key of a table, as declared once in `spec/mod.rs`: its name and kind, and the
/// facts the reference (docs/scenario-format.md), the JSON Schema and `buildout new`
/// print. Validation enforces the rules; a test checks that the two agree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Key {
    /// The key as written in the file.
    pub name: &'static str,
    /// What its value means.
    pub kind: KeyKind,
    /// One line on what the key sets.
    pub doc: &'static str,
    /// The unit of its value ("" when it has none).
    pub unit: &'static str,
    /// The value used when the key is absent, as TOML text ("" when there is none).
    pub default: &'static str,
    /// Whether a file without an `extends` must give the key.
    pub required: bool,
    /// The values allowed, in words.
    pub range: &'static str,
    /// A valid value, as TOML text.
    pub example: &'static str,
    /// The smallest number allowed, if bounded below.
    pub min: Option<f64>,
    /// Whether `min` itself is excluded.
    pub min_exclusive: bool,
    /// The largest number allowed, if bounded above.
    pub max: Option<f64>,
    /// The words a `Choice` key accepts.
    pub choices: &'static [&'static str],
    /// For an optional key of which one of a pair is needed: the other key ("" when
    /// the key stands alone). The starter sets the key; the reference says "required
    /// unless" the other is given.
    pub one_of: &'static str,
}

impl Key {
    /// A key with no facts beyond its name and kind, for `..Key::BLANK` in declarations.
    pub const BLANK: Key = Key {
        name: "",
        kind: KeyKind::Text,
        doc: "",
        unit: "",
        default: "",
        required: false,
        range: "",
        example: "",
        min: None,
        min_exclusive: false,
        max: None,
        choices: &[],
        one_of: "",
    };
}

/// How a section is written, and how a child file inherits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// `[name]`: one table, inherited key by key (the child's value wins).
    Keys,
    /// `[name.ID]`: tables by id; a child table with an inherited id merges over it key
    /// by key (or replaces it whole, when the child's `replace` names it).
    ById,
    /// `[[name]]`: an array of tables by `name`; a child item with an inherited name
    /// merges over it key by key (or replaces it whole, when `replace` names it).
    ByName,
}

/// One section of the scenario file, in file order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Section {
    /// The section's name as written in the file.
    pub name: &'static str,
    /// One line on what the section holds.
    pub doc: &'static str,
    /// How it is written and inherited.
    pub kind: SectionKind,
    /// Its keys, in declaration order.
    pub keys: &'static [Key],
}

/// A table of the scenario file, declared with `tables!`.
pub trait Table {
    /// Every key, in declaration order.
    const KEYS: &'static [Key];
    /// Each key of `self`, or the parent's where `self` lacks it.
    fn or_parent(self, parent: Self) -> Self;
    /// Moves every span of the table's keys `by` bytes on.
    fn shift_spans(&mut self, by: usize);
}

/// An item of a `[[...]]` section, found by its `name`.
pub trait Named {
    /// The item's `name`, when it has one.
    fn item_name(&self) -> Option<&str>;
}

/// Moves a spanned value's span `by` bytes on.
pub fn shift<T: Default>(value: &mut Spanned<T>, by: usize) {
    let span = value.span();
    let inner = std::mem::take(value.get_mut());
    *value = Spanned::new(span.start + by..span.end + by, inner);
}

/// Moves an optional spanned value's span `by` bytes on.
pub fn shift_opt<T>(value: &mut Option<Spanned<T>>, by: usize) {
    if let Some(v) = value.take() {
        let span = v.span();
        *value = Some(Spanned::new(span.start + by..span.end + by, v.into_inner()));
    }
}

/// Moves the spans of a table and of its keys `by` bytes on.
pub fn shift_table<T: Table + Default>(table: &mut Spanned<T>, by: usize) {
    table.get_mut().shift_spans(by);
    shift(table, by);
}

/// Key-by-key merge of a `[name]` table: the merged table takes the child's span.
pub fn merge_tables<T: Table>(parent: Option<Spanned<T>>, child: Option<Spanned<T>>) -> Option<Spanned<T>> {
    match (parent, child) {
        (Some(p), Some(c)) => {
            let span = c.span();
            Some(Spanned::new(span, c.into_inner().or_parent(p.into_inner())))
        }
        (p, c) => c.or(p),
    }
}

/// Key-by-key merge of one item: the child's keys win, the others are the parent's
/// (spans kept, so each key points into the file where it is written); the merged item
/// takes the child's span.
pub fn merge_item<T: Table>(parent: Spanned<T>, child: Spanned<T>) -> Spanned<T> {
    let span = child.span();
    Spanned::new(span, child.into_inner().or_parent(parent.into_inner()))
}

/// Parent items minus the `removed` ones; then each child item is merged by `merge`
/// over the first inherited item of the same name, in that item's place, or is
/// appended.
pub fn merge_items<T>(
    parent: Vec<T>,
    child: Vec<T>,
    removed: impl Fn(&str) -> bool,
    name: impl Fn(&T) -> Option<String>,
    merge: impl Fn(T, T) -> T,
) -> Vec<T> {
    let mut out: Vec<(Option<String>, bool, Option<T>)> = parent
        .into_iter()
        .filter_map(|item| {
            let n = name(&item);
            (!n.as_deref().is_some_and(&removed)).then_some((n, true, Some(item)))
        })
        .collect();
    for item in child {
        let n = name(&item);
        let slot =
            n.as_ref().and_then(|n| out.iter().position(|(m, inherited, _)| *inherited && m.as_ref() == Some(n)));
        match slot {
            Some(i) => {
                let merged = match out[i].2.take() {
                    Some(p) => merge(p, item),
                    None => item,
                };
                out[i] = (n, false, Some(merged));
            }
            None => out.push((n, false, Some(item))),
        }
    }
    out.into_iter().filter_map(|(_, _, item)| item).collect()
}

/// One fact of a key declaration as a `Key` field: bounds become `Some`, the rest is
/// taken as written.
macro_rules! key_fact {
    (min $v:expr) => {
        Some($v)
    };
    (max $v:expr) => {
        Some($v)
    };
    ($field:ident $v:expr) => {
        $v
    };
}

/// Declares tables of the scenario file: per table, the spanned serde struct (every key
/// optional, unknown keys refused) and its `Table` impl. A key is one entry,
/// `name: RustType => KeyKind { doc: "...", fact: value, ... }`, the facts being any
/// fields of `Key` (`unit`, `default`, `required`, `range`, `example`, `min`,
/// `min_exclusive`, `max`, `choices`, `one_of`), `doc` first and no trailing comma.
macro_rules! tables {
    ($(
        $(#[$doc:meta])*
        $name:ident {
            $( $key:ident : $ty:ty => $kind:ident { doc: $kdoc:literal $(, $fact:ident : $val:expr)* } )*
        }
    )*) => {$(
        $(#[$doc])*
        #[derive(Debug, Default, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $(
                #[doc = concat!("`", stringify!($key), "` (", stringify!($kind), "): ", $kdoc, ". As written, if given.")]
                pub $key: Option<Spanned<$ty>>,
            )*
        }

        impl shape::Table for $name {
            const KEYS: &'static [shape::Key] = &[$( shape::Key {
                name: stringify!($key),
                kind: shape::KeyKind::$kind,
                doc: $kdoc,
                $( $fact: key_fact!($fact $val), )*
                ..shape::Key::BLANK
            } ),*];
            fn or_parent(self, parent: Self) -> Self {
                Self { $( $key: self.$key.or(parent.$key), )* }
            }
            fn shift_spans(&mut self, by: usize) {
                $( shape::shift_opt(&mut self.$key, by); )*
            }
        }
    )*};
}

/// Declares the sections of the scenario file in file order: `[name]` tables, the one
/// `[name.ID]` section and the `[[name]]` sections. Derives `ScenarioSpec`, `SHAPE`,
/// `SECTIONS`, span shifting, item names and inheritance.
macro_rules! sections {
    (
        keys { $( #[doc = $kdoc:literal] $kf:ident : $kt:ident, )* }
        by_id { #[doc = $cdoc:literal] $cf:ident : $ct:ident, }
        by_name { $( #[doc = $ldoc:literal] $lf:ident : $lt:ident, )* }
    ) => {
        /// A whole scenario file as written.
        #[derive(Debug, Default, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct ScenarioSpec {
            /// A parent scenario file this one refines (resolved by the file loader).
            pub extends: Option<Spanned<String>>,
            /// Items of the parent to drop, as `"<section>: <name>"`.
            pub remove: Option<Vec<Spanned<String>>>,
            /// Items of the parent the child's same-named item replaces whole (instead
            /// of merging key by key), as `"<section>: <name>"`.
            pub replace: Option<Vec<Spanned<String>>>,
            $( #[doc = $kdoc] pub $kf: Option<Spanned<$kt>>, )*
            #[doc = $cdoc]
            #[serde(default, deserialize_with = "raw::ordered_chips")]
            pub $cf: Vec<ChipEntry>,
            $( #[doc = $ldoc] #[serde(default)] pub $lf: Vec<Spanned<$lt>>, )*
        }

        /// One `[chips.ID]` table: its id and its keys.
        pub type ChipEntry = (Spanned<String>, Spanned<$ct>);

        /// Every section of the scenario file, in file order, with its keys.
        pub const SHAPE: &[shape::Section] = &[
            $( shape::Section {
                name: stringify!($kf),
                doc: $kdoc,
                kind: shape::SectionKind::Keys,
                keys: <$kt as shape::Table>::KEYS,
            }, )*
            shape::Section {
                name: stringify!($cf),
                doc: $cdoc,
                kind: shape::SectionKind::ById,
                keys: <$ct as shape::Table>::KEYS,
            },
            $( shape::Section {
                name: stringify!($lf),
                doc: $ldoc,
                kind: shape::SectionKind::ByName,
                keys: <$lt as shape::Table>::KEYS,
            }, )*
        ];

        /// The sections whose items `remove` can name, in file order.
        pub const SECTIONS: &[&str] = &[stringify!($cf), $( stringify!($lf) ),*];

        $( impl shape::Named for $lt {
            fn item_name(&self) -> Option<&str> {
                self.name.as_ref().map(|n| n.get_ref().as_str())
            }
        } )*

        impl ScenarioSpec {
            /// Moves every span `by` bytes on (to place a file in a chain's shared text).
            pub fn shift_spans(&mut self, by: usize) {
                shape::shift_opt(&mut self.extends, by);
                for r in self.remove.iter_mut().chain(self.replace.iter_mut()).flatten() {
                    shape::shift(r, by);
                }
                $( if let Some(t) = &mut self.$kf {
                    shape::shift_table(t, by);
                } )*
                for (id, item) in &mut self.$cf {
                    shape::shift(id, by);
                    shape::shift_table(item, by);
                }
                $( for item in &mut self.$lf {
                    shape::shift_table(item, by);
                } )*
            }

            /// How many items (`[chips.ID]` tables and `[[...]]` entries) the file has.
            pub fn item_count(&self) -> usize {
                self.$cf.len() $( + self.$lf.len() )*
            }

            /// The ids or names of one section's items, in file order (empty for a
            /// section that has no items).
            pub fn item_names(&self, section: &str) -> Vec<String> {
                if section == stringify!($cf) {
                    return self.$cf.iter().map(|(id, _)| id.get_ref().clone()).collect();
                }
                $( if section == stringify!($lf) {
                    return self.$lf.iter().filter_map(|i| shape::Named::item_name(i.get_ref()).map(str::to_string)).collect();
                } )*
                Vec::new()
            }

            /// A child file merged over its parent (docs/inheritance.md): `[name]`
            /// tables key by key, items by id or name (merged key by key in place, or
            /// replaced whole where `whole(section, name)`, else appended) after
            /// dropping the inherited items `removed(section, name)` names. `extends`,
            /// `remove` and `replace` are the child's.
            pub fn inherit(
                parent: Self,
                child: Self,
                removed: impl Fn(&str, &str) -> bool,
                whole: impl Fn(&str, &str) -> bool,
            ) -> Self {
                Self {
                    extends: child.extends,
                    remove: child.remove,
                    replace: child.replace,
                    $( $kf: shape::merge_tables(parent.$kf, child.$kf), )*
                    $cf: shape::merge_items(
                        parent.$cf,
                        child.$cf,
                        |n| removed(stringify!($cf), n),
                        |(id, _)| Some(id.get_ref().clone()),
                        |(_, p), (id, c)| {
                            let whole = whole(stringify!($cf), id.get_ref());
                            (id, if whole { c } else { shape::merge_item(p, c) })
                        },
                    ),
                    $( $lf: shape::merge_items(
                        parent.$lf,
                        child.$lf,
                        |n| removed(stringify!($lf), n),
                        |i| shape::Named::item_name(i.get_ref()).map(str::to_string),
                        |p, c| {
                            let name = shape::Named::item_name(c.get_ref()).unwrap_or_default().to_string();
                            if whole(stringify!($lf), &name) { c } else { shape::merge_item(p, c) }
                        },
                    ), )*
                }
            }
        }
    };
}
