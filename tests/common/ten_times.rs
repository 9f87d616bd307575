//! A generated scenario with ten times the items of another, shared by the engine bench
//! (`benches/engine.rs`, per-run time) and the scaling test
//! (`tests/integration/scaling.rs`, work counts).

/// `text` (korea-260k in the bench and the test) with every region, grid addition, site,
/// budget line, delivery and shock copied ten times under new names (owners too, so each
/// copy allocates and pays within itself; shared factors stay shared).
pub fn ten_times(text: &str) -> String {
    let mut doc: toml::Table = text.parse().unwrap_or_default();
    let suffix = |v: &mut toml::Value, keys: &[&str], i: usize| {
        if let Some(t) = v.as_table_mut() {
            for k in keys {
                if let Some(toml::Value::String(s)) = t.get_mut(*k) {
                    s.push_str(&format!(" #{i}"));
                }
            }
        }
    };
    for (section, keys) in [
        ("regions", &["name"][..]),
        ("power", &["name", "region", "site"][..]),
        ("sites", &["name", "owner", "region"][..]),
        ("budgets", &["name"][..]),
        ("deliveries", &["name", "owner", "site", "budget"][..]),
        ("shocks", &["name"][..]),
    ] {
        if let Some(toml::Value::Array(items)) = doc.get_mut(section) {
            let originals = items.clone();
            items.clear();
            for i in 0..10 {
                for item in &originals {
                    let mut copy = item.clone();
                    suffix(&mut copy, keys, i);
                    items.push(copy);
                }
            }
        }
    }
    toml::to_string(&doc).unwrap_or_default()
}
