//! Overlay charts of `compare` and the chart of `sweep`: byte-identical across runs and
//! thread counts, SVG and PNG content, calendar alignment, `--charts`, and compare.html.

use crate::support::{run, write, BASE, KOREA};
use std::path::{Path, PathBuf};

const STEMS: [&str; 4] = ["compare-capacity", "compare-power", "compare-constraints", "compare-dependency"];
const NAMES: [&str; 3] = ["Korea 260k", "Korea 260k, power-limited", "Korea 260k, chip-limited"];
/// Blue, vermillion, bluish green: the first three scenario colours.
const COLOURS: [(u8, u8, u8); 3] = [(0x00, 0x72, 0xB2), (0xD5, 0x5E, 0x00), (0x00, 0x9E, 0x73)];

fn korea_family() -> Vec<String> {
    let dir = Path::new(KOREA).parent().expect("scenarios folder");
    ["korea-260k.toml", "korea-power-limited.toml", "korea-chip-limited.toml"]
        .iter()
        .map(|f| dir.join(f).to_str().expect("utf-8").to_string())
        .collect()
}

fn compare_into(out: &Path, threads: &str, extra: &[&str]) {
    let files = korea_family();
    let mut args: Vec<&str> = vec!["compare"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--runs", "24", "--seed", "7", "--threads", threads, "--quiet", "--out"]);
    args.push(out.to_str().expect("utf-8"));
    args.extend(extra);
    let o = run(&args);
    assert!(o.status.success(), "compare failed: {}", String::from_utf8_lossy(&o.stderr));
}

/// Whether the SVG draws exactly `text` as one text element (plotters puts it on its own line).
fn has_text(svg: &str, text: &str) -> bool {
    svg.lines().any(|l| l.trim() == text)
}

fn read(p: PathBuf) -> Vec<u8> {
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn compare_charts_are_byte_identical_across_runs_and_thread_counts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    compare_into(&a, "1", &[]);
    compare_into(&b, "2", &[]);
    compare_into(&c, "2", &[]);
    for stem in STEMS {
        for ext in ["png", "svg"] {
            let name = format!("{stem}.{ext}");
            let first = read(a.join(&name));
            assert!(first.len() > 1000, "{name} is too small");
            assert_eq!(first, read(b.join(&name)), "{name}: --threads 1 and 2 differ");
            assert_eq!(first, read(c.join(&name)), "{name}: two runs with the same seed differ");
        }
    }
    assert_eq!(read(a.join("compare.html")), read(b.join("compare.html")));
}

#[test]
fn compare_svgs_name_every_scenario_and_html_inlines_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("svg");
    compare_into(&out, "2", &["--charts", "svg"]);
    let svg = |stem: &str| std::fs::read_to_string(out.join(format!("{stem}.svg"))).expect("svg");
    let titles = [
        ("compare-capacity", "Chips operational, scenario by scenario"),
        ("compare-power", "Power drawn by the data centres and grid power online"),
        ("compare-constraints", "What limits the buildout each month, scenario by scenario"),
        ("compare-dependency", "Domestic share of compute, scenario by scenario"),
    ];
    for (stem, title) in titles {
        let text = svg(stem);
        crate::support::assert_svg_text_outlined(&text, stem);
        assert!(text.contains(title), "{stem} lacks its title");
        for name in NAMES {
            assert!(has_text(&text, name), "{stem} does not name {name}");
        }
        assert!(has_text(&text, "2028"), "{stem} lacks the calendar axis");
        assert!(text.contains("24 runs each"), "{stem} lacks the run count");
    }
    assert!(svg("compare-power").contains("Dashed: grid power online"));
    assert!(!out.join("compare-capacity.png").exists(), "--charts svg wrote a PNG");
    let html = std::fs::read_to_string(out.join("compare.html")).expect("html");
    assert_eq!(html.matches("<svg").count(), 4, "compare.html should inline the four charts");
    assert!(html.contains("Chips operational, scenario by scenario"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
}

fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut r = png::Decoder::new(bytes).read_info().expect("png header");
    let mut buf = vec![0; r.output_buffer_size()];
    let info = r.next_frame(&mut buf).expect("png frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Pixels of exactly colour `c` in the plotting region (below the header, above the legend).
fn count(rgb: &[u8], w: u32, c: (u8, u8, u8)) -> usize {
    let mut n = 0;
    for y in 190..740usize {
        for x in 170..1540usize {
            let i = (y * w as usize + x) * 3;
            if (rgb[i], rgb[i + 1], rgb[i + 2]) == c {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn compare_pngs_draw_every_scenario_colour_in_the_plot() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("png");
    compare_into(&out, "2", &["--charts", "png"]);
    assert!(!out.join("compare-capacity.svg").exists(), "--charts png wrote an SVG");
    for stem in ["compare-capacity", "compare-power"] {
        let (w, h, rgb) = decode(&read(out.join(format!("{stem}.png"))));
        assert_eq!((w, h), (1600, 900));
        for (c, name) in COLOURS.iter().zip(NAMES) {
            assert!(count(&rgb, w, *c) > 200, "{stem}: the line of {name} ({c:?}) is missing from the plot");
        }
    }
}

#[test]
fn charts_none_writes_no_chart_files_but_html_keeps_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("none");
    compare_into(&out, "1", &["--charts", "none"]);
    let names: Vec<String> =
        std::fs::read_dir(&out).expect("out").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.ends_with(".png") && !n.ends_with(".svg")), "{names:?}");
    let html = std::fs::read_to_string(out.join("compare.html")).expect("html");
    assert_eq!(html.matches("<svg").count(), 4);
}

#[test]
fn scenarios_with_different_starts_share_one_calendar_axis_and_dependency_is_skipped() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = write(tmp.path(), "early.toml", BASE);
    let late =
        BASE.replace("name = \"base\"", "name = \"later start\"").replace("start = \"2026-01\"", "start = \"2026-04\"");
    let b = write(tmp.path(), "late.toml", &late);
    let out = tmp.path().join("out");
    let (a, b, o) = (a.to_str().expect("p"), b.to_str().expect("p"), out.to_str().expect("p"));
    let r = run(&["compare", a, b, "--runs", "4", "--quiet", "--out", o]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let svg = std::fs::read_to_string(out.join("compare-capacity.svg")).expect("svg");
    // Month 0 is the earliest start; the axis reaches the later scenario's horizon.
    assert!(has_text(&svg, "2026-01") && has_text(&svg, "base") && has_text(&svg, "later start"));
    let csv = std::fs::read_to_string(out.join("compare.csv")).expect("csv");
    let first_late = csv.lines().find(|l| l.contains(",late,")).expect("rows of late");
    assert!(first_late.starts_with("3,2026-04,"), "late starts at comparison month 3: {first_late}");
    assert!(!out.join("compare-dependency.svg").exists(), "no scenario has a home origin");
    assert!(out.join("compare-constraints.png").exists());
    let html = std::fs::read_to_string(out.join("compare.html")).expect("html");
    assert_eq!(html.matches("<svg").count(), 3);
}

#[test]
fn sweep_chart_is_deterministic_and_names_the_key_path() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = write(tmp.path(), "a.toml", BASE);
    let sweep = |out: &Path, threads: &str, set: &str| {
        let (p, o) = (a.to_str().expect("p"), out.to_str().expect("p"));
        let r = run(&["sweep", p, "--set", set, "--runs", "6", "--threads", threads, "--quiet", "--out", o]);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    };
    let set = "deliveries.tranche.count=2000,4000,8000";
    let (x, y) = (tmp.path().join("x"), tmp.path().join("y"));
    sweep(&x, "1", set);
    sweep(&y, "2", set);
    for name in ["sweep.png", "sweep.svg"] {
        assert_eq!(read(x.join(name)), read(y.join(name)), "{name} differs between runs");
    }
    let svg = std::fs::read_to_string(x.join("sweep.svg")).expect("svg");
    crate::support::assert_svg_text_outlined(&svg, "sweep.svg");
    assert!(svg.contains("deliveries.tranche.count"), "the title names the swept key path");
    for tick in ["2,000", "4,000", "8,000", "Chips ordered"] {
        assert!(has_text(&svg, tick), "sweep.svg lacks {tick}");
    }
    let (w, _, rgb) = decode(&read(x.join("sweep.png")));
    assert!(count(&rgb, w, COLOURS[0]) > 200, "the median line is missing");
    // Values that are not all numbers are categories in the given order.
    let z = tmp.path().join("z");
    sweep(&z, "2", "deliveries.tranche.arrive=2026-06,2026-03");
    let svg = std::fs::read_to_string(z.join("sweep.svg")).expect("svg");
    let at = |t: &str| svg.lines().position(|l| l.trim() == t).expect("value drawn");
    let (i, j) = (at("2026-06"), at("2026-03"));
    assert!(i < j, "categories keep the order given");
}

/// compare.html shows a figure as report.html does (here stranded capital in compact
/// dollars), so numbers read the same on both pages.
#[test]
fn compare_html_formats_figures_as_the_report_does() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let k = KOREA;
    let (report, compare) = (tmp.path().join("run"), tmp.path().join("cmp"));
    let args = ["--runs", "60", "--seed", "5", "--quiet", "--charts", "none"];
    let mut run_args = vec!["run", k, "--out", report.to_str().expect("utf-8")];
    run_args.extend(args);
    assert!(run(&run_args).status.success());
    let mut cmp_args = vec!["compare", k, k, "--out", compare.to_str().expect("utf-8")];
    cmp_args.extend(args);
    assert!(run(&cmp_args).status.success());
    let report = std::fs::read_to_string(report.join("report.html")).expect("report");
    let row = report.split("Stranded capital, USD-months</th>").nth(1).expect("a capital row");
    let cells: Vec<&str> = row
        .split("</tr>")
        .next()
        .unwrap_or("")
        .split("\">")
        .skip(1)
        // P10, P50, P90; the report's fourth cell is the P50's 95% interval (D38).
        .take(3)
        .map(|c| c.split('<').next().unwrap_or(""))
        .collect();
    assert!(cells.len() == 3 && cells.iter().all(|c| c.starts_with('$')), "{cells:?}");
    let html = std::fs::read_to_string(compare.join("compare.html")).expect("compare.html");
    let expected = format!("<td>{}</td>", cells.join(" / "));
    assert!(html.contains(&expected), "compare.html lacks {expected}");
}
