//! Chart and report rendering: determinism, SVG and PNG content, report structure,
//! degenerate data.

use buildout::io::chart::palette::Rgb;
use buildout::io::chart::{palette, render_chart, sample_data, Band, ChartData, ChartError, ChartFormat, ChartKind};
use buildout::io::format::{format_compact, format_thousands};
use buildout::io::page::report::{format_headline_value, render_report, sample_report};

fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let dec = png::Decoder::new(png_bytes);
    let mut r = dec.read_info().expect("png header");
    let mut buf = vec![0; r.output_buffer_size()];
    let info = r.next_frame(&mut buf).expect("png frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Pixels in the plotting region (below the header, above the legend) within
/// `tol` of `c` on every channel.
fn count_colour(rgb: &[u8], w: u32, c: (u8, u8, u8), tol: i32) -> usize {
    let (x0, x1, y0, y1) = (170usize, 1540usize, 150usize, 760usize);
    let mut n = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let i = (y * w as usize + x) * 3;
            let d = |a: u8, b: u8| (a as i32 - b as i32).abs() <= tol;
            if d(rgb[i], c.0) && d(rgb[i + 1], c.1) && d(rgb[i + 2], c.2) {
                n += 1;
            }
        }
    }
    n
}

fn solid(c: Rgb) -> (u8, u8, u8) {
    (c.0, c.1, c.2)
}

/// Colour of `c` at opacity `a` over white.
fn over_white(c: Rgb, a: f64) -> (u8, u8, u8) {
    let m = |v: u8| (255.0 - (255.0 - v as f64) * a).round() as u8;
    (m(c.0), m(c.1), m(c.2))
}

#[test]
fn same_input_gives_identical_bytes() {
    let d = sample_data();
    for kind in ChartKind::ALL {
        for fmt in [ChartFormat::Png, ChartFormat::Svg] {
            let a = render_chart(kind, &d, fmt).unwrap();
            let b = render_chart(kind, &d.clone(), fmt).unwrap();
            assert!(!a.is_empty());
            assert_eq!(a, b, "{kind:?} {fmt:?} differs between renders");
        }
    }
    let r = sample_report();
    assert_eq!(report_html(&d, &r), report_html(&d, &r));
}

#[test]
fn svg_has_titles_axes_legend_dates_and_source() {
    let d = sample_data();
    let expect: [(ChartKind, &[&str]); 5] = [
        (
            ChartKind::Capacity,
            &[
                "Chips operational and compute capacity",
                "Chips",
                "Compute (PFLOP/s)",
                "Chips delivered",
                "P10\u{2013}P90",
                "Target: 260k chips by 2030-12",
            ],
        ),
        (
            ChartKind::Power,
            &[
                "Grid power against data-centre demand",
                "Power (MW)",
                "Grid power online",
                "Facility power drawn",
                "Grid is the ceiling",
            ],
        ),
        (
            ChartKind::Constraints,
            &["What limits the buildout", "Share of runs (%)", "Power binds", "Space binds", "100%"],
        ),
        (
            ChartKind::Dependency,
            &[
                "Where the compute comes from",
                "Share of compute (%)",
                "Korea (home)",
                "United States",
                "Domestic share",
            ],
        ),
        (
            ChartKind::Stranded,
            &[
                "Chips delivered but waiting",
                "Chips waiting",
                "Waiting for power",
                "Waiting for space",
                "Value of chips waiting (USD)",
                "$1B",
            ],
        ),
    ];
    for (kind, needles) in expect {
        let svg = String::from_utf8(render_chart(kind, &d, ChartFormat::Svg).unwrap()).unwrap();
        assert!(svg.starts_with("<svg"), "{kind:?}");
        assert!(svg.contains("width=\"1600\"") && svg.contains("height=\"900\""));
        // Text is drawn as outlines of the embedded font, with a findable copy of each.
        let texts = crate::support::assert_svg_text_outlined(&svg, &format!("{kind:?}"));
        assert!(texts.iter().any(|t| t == "Month"), "{kind:?}: the x axis title is not a text of its own");
        for n in needles {
            assert!(svg.contains(n), "{kind:?}: missing {n:?}");
        }
        assert!(svg.contains(">\n2027\n</text>"), "{kind:?}: no date label");
        assert!(svg.contains("Month"), "{kind:?}: no x axis title");
        assert!(svg.contains("Korea 260k sovereign compute \u{00b7} 10,000 runs \u{00b7} seed 42"));
        let source = format!("buildout v{}, scenario file korea-260k.toml", env!("CARGO_PKG_VERSION"));
        assert!(svg.contains(&source), "{kind:?}: no source line {source:?}");
    }
}

/// (what, expected colour, per-channel tolerance).
type ColourCheck = (&'static str, (u8, u8, u8), i32);

#[test]
fn png_is_1600x900_with_palette_colours_in_plot() {
    let d = sample_data();
    let a = palette::BAND_OUTER_ALPHA;
    let checks: [(ChartKind, Vec<ColourCheck>); 5] = [
        (
            ChartKind::Capacity,
            vec![
                ("operational line", solid(palette::CHIPS), 0),
                ("operational P10-P90 band", over_white(palette::CHIPS, a), 3),
                ("delivered dashes", solid(palette::DELIVERED), 0),
                ("compute line", solid(palette::COMPUTE), 0),
                ("compute band", over_white(palette::COMPUTE, a), 3),
            ],
        ),
        (
            ChartKind::Power,
            vec![
                ("grid line", solid(palette::POWER), 0),
                ("built line", solid(palette::SPACE), 0),
                ("facility line", solid(palette::FACILITY), 0),
                ("ceiling shading", solid(palette::CEILING), 0),
            ],
        ),
        (
            ChartKind::Constraints,
            vec![
                ("chips area", solid(palette::CHIPS), 0),
                ("power area", solid(palette::POWER), 0),
                ("space area", solid(palette::SPACE), 0),
            ],
        ),
        (
            ChartKind::Dependency,
            vec![
                ("home area", solid(palette::HOME_FILL), 0),
                ("first foreign area", solid(palette::FOREIGN[0]), 0),
                ("domestic line", solid(palette::DOMESTIC), 0),
            ],
        ),
        (
            ChartKind::Stranded,
            vec![
                ("waiting line", solid(palette::WAITING), 0),
                ("waiting band", over_white(palette::WAITING, a), 3),
                ("power line", solid(palette::POWER), 0),
                ("space line", solid(palette::SPACE), 0),
                ("capital line", solid(palette::CAPITAL), 0),
            ],
        ),
    ];
    for (kind, cs) in checks {
        let png_bytes = render_chart(kind, &d, ChartFormat::Png).unwrap();
        assert_eq!(&png_bytes[..8], b"\x89PNG\r\n\x1a\n");
        let (w, h, rgb) = decode(&png_bytes);
        assert_eq!((w, h), (1600, 900), "{kind:?}");
        for (what, c, tol) in cs {
            let n = count_colour(&rgb, w, c, tol);
            assert!(n > 300, "{kind:?}: {what} {c:?}: only {n} pixels");
        }
    }
}

#[test]
fn report_is_self_contained_with_table_and_charts() {
    let d = sample_data();
    let r = sample_report();
    let html = report_html(&d, &r);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg").count(), buildout::io::chart::ChartKind::ALL.len());
    assert!(!html.to_lowercase().contains("<script"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(html.contains("Korea 260k sovereign compute"));
    assert!(html.contains("10,000 Monte Carlo runs"));
    assert!(html.contains("seed 42"));
    assert!(html.contains(&r.binding_text[..40]));
    assert!(html.contains("@media print") && html.contains("@page"));
    assert!(html.contains("break-inside: avoid"));
    for (label, p10, p50, p90, ci) in &r.headline_rows {
        assert!(html.contains(label.as_str()), "{label}");
        assert!(html.contains(ci.as_str()), "{label}: {ci}");
        for v in [p10, p50, p90] {
            let s = v.clone().unwrap_or_else(|| "not reached".into());
            assert!(html.contains(&s), "{label}: {s}");
        }
    }
    assert!(html.contains("259,870") && html.contains("not reached"));
}

#[test]
fn report_escapes_caller_text() {
    let mut d = sample_data();
    d.scenario_name = "A <b>&</b> \"B\"".into();
    let mut r = sample_report();
    r.binding_text = "<script>x</script>".into();
    let html = report_html(&d, &r);
    assert!(!html.contains("<script"));
    assert!(html.contains("A &lt;b&gt;&amp;&lt;/b&gt; &quot;B&quot;"));
}

fn flat(n: usize, v: f64) -> Band {
    let x = vec![v; n];
    Band { p10: x.clone(), p25: x.clone(), p50: x.clone(), p75: x.clone(), p90: x }
}

fn degenerate(n: usize) -> ChartData {
    ChartData {
        scenario_name: "Degenerate".into(),
        scenario_file: "zero.toml".into(),
        version: "0.1.0".into(),
        runs: 1,
        seed: 0,
        dates: (0..n).map(|i| format!("{}-{:02}", 2026 + i / 12, i % 12 + 1)).collect(),
        operational: flat(n, 0.0),
        compute_pflops: flat(n, 0.0),
        delivered_p50: vec![0.0; n],
        target: Some((1000, n + 5)),
        grid_mw: flat(n, 0.0),
        facility_mw: flat(n, 0.0),
        built_facility_mw: flat(n, 0.0),
        binding_chips: vec![0.0; n],
        binding_power: vec![0.0; n],
        binding_space: vec![0.0; n],
        origins: vec![("Nowhere".into(), vec![0.0; n])],
        home_origin: Some("Elsewhere".into()),
        domestic_share: flat(n, 0.0),
        waiting: flat(n, 0.0),
        stranded_by_power_mean: vec![0.0; n],
        stranded_by_space_mean: vec![0.0; n],
        stranded_capital_usd: Some(flat(n, 0.0)),
        binding_money: Some(vec![0.0; n]),
        energy_twh_per_year: flat(n, 0.0),
        capex_usd: Some(flat(n, 0.0)),
        electricity_usd: Some(flat(n, 0.0)),
        exceedance_levels: vec![0.0],
        exceedance: vec![("2026-12".into(), vec![1.0])],
        target_met_share: Some(vec![0.0; n]),
        sensitivity: Default::default(),
        regions: Vec::new(),
    }
}

#[test]
fn degenerate_data_renders_without_panicking() {
    let mut cases = vec![degenerate(73), degenerate(1), degenerate(2), degenerate(13)];
    // Empty bands and series with dates present; no target, home or prices.
    let mut empty =
        ChartData { dates: vec!["2026-01".into(), "2026-02".into(), "2026-03".into()], ..ChartData::default() };
    cases.push(empty.clone());
    // Unparseable dates, mismatched lengths, huge values.
    empty.dates = vec!["t0".into(), "t1".into(), "t2".into(), "t3".into()];
    empty.operational = flat(2, 1e12);
    empty.origins = vec![("A".into(), vec![0.7, 0.9]), ("B".into(), vec![0.7, 0.9, 0.5])];
    empty.home_origin = Some("A".into());
    cases.push(empty);
    let mut one = sample_data();
    one.dates.truncate(1);
    cases.push(one);
    for d in &cases {
        for kind in ChartKind::ALL {
            for fmt in [ChartFormat::Png, ChartFormat::Svg] {
                let out = render_chart(kind, d, fmt);
                assert!(out.is_ok(), "{kind:?} {fmt:?} n={}: {:?}", d.dates.len(), out.err());
            }
        }
        assert!(report_html(d, &sample_report()).contains("</html>"));
    }
}

#[test]
fn no_months_is_an_error_not_a_panic() {
    let d = ChartData::default();
    assert!(matches!(render_chart(ChartKind::Capacity, &d, ChartFormat::Png), Err(ChartError::Data(_))));
}

#[test]
fn number_formats() {
    assert_eq!(format_compact(260_000.0), "260k");
    assert_eq!(format_compact(1_250_000.0), "1.25M");
    assert_eq!(format_compact(0.0), "0");
    assert_eq!(format_compact(2.5e9), "2.5B");
    assert_eq!(format_thousands(1_234_567.8), "1,234,568");
    assert_eq!(format_thousands(588.5), "589");
    assert_eq!(format_thousands(-1000.0), "-1,000");
    assert_eq!(format_thousands(0.25), "0.25");
    assert_eq!(format_headline_value(None), "not reached");
}

/// The report of `d` with its five charts rendered as SVG, as `run` writes it.
fn report_html(d: &ChartData, r: &buildout::io::page::report::ReportData) -> String {
    let svgs: Vec<(ChartKind, String)> = ChartKind::ALL
        .iter()
        .map(|&k| (k, String::from_utf8(render_chart(k, d, ChartFormat::Svg).unwrap()).unwrap()))
        .collect();
    render_report(d, r, &svgs)
}
