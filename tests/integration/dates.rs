//! Month figures carry dates next to their month indices: `headline.json`'s `dates` and
//! `sweep.csv`'s `*_date` columns name the month each index stands for.

use crate::support::{load, repo, run, KOREA};

#[test]
fn headline_json_gives_each_month_percentile_as_a_date() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let o = run(&[
        "run",
        KOREA,
        "--runs",
        "200",
        "--charts",
        "none",
        "--no-report",
        "--quiet",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let scenario = load(std::path::Path::new(KOREA));
    let text = std::fs::read_to_string(out.join("headline.json")).expect("headline.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut checked = 0;
    for key in ["month_50pct_operational", "month_90pct_operational", "power_first_binds"] {
        for p in ["p5", "p10", "p25", "p50", "p75", "p90", "p95"] {
            let index = &json[key][p];
            let date = &json[key]["dates"][p];
            match index.as_f64() {
                Some(m) => {
                    assert_eq!(date.as_str(), Some(scenario.date_of(m as u32).to_string().as_str()), "{key} {p}");
                    checked += 1;
                }
                None => assert!(date.is_null(), "{key} {p}: a month never reached has no date"),
            }
        }
    }
    assert!(checked >= 10, "too few reached percentiles to check: {checked}");
}

#[test]
fn sweep_csv_gives_each_month_percentile_as_a_date() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("sweep");
    let o = run(&[
        "sweep",
        KOREA,
        "--set",
        "deliveries.\"Naver lot 1\".count=5000,20000",
        "--runs",
        "100",
        "--charts",
        "none",
        "--quiet",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let scenario = load(&repo().join("scenarios/korea-260k.toml"));
    let text = std::fs::read_to_string(out.join("sweep.csv")).expect("sweep.csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let mut checked = 0;
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), header.len(), "{line}");
        for (i, name) in header.iter().enumerate() {
            let Some(index_column) = name.strip_suffix("_date") else { continue };
            let j = header.iter().position(|h| *h == index_column).expect("the index column of a date column");
            let expected = cells[j].parse::<f64>().map_or(String::new(), |m| scenario.date_of(m as u32).to_string());
            assert_eq!(cells[i], expected, "{name} in {line}");
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * 12, "four month figures x P10/P50/P90, two rows");
}
