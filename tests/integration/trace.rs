//! `run --trace I`: every event of run I in handling order, with the state after it.

use crate::support::{run, validation_dir};

#[test]
fn trace_lists_events_in_order_with_the_state_after_each() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("o");
    let case = validation_dir().join("02_power_limited.toml");
    let res =
        run(&["run", case.to_str().unwrap(), "--runs", "2", "--trace", "1", "--out", out.to_str().unwrap(), "--quiet"]);
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
    let text = std::fs::read_to_string(out.join("trace-1.csv")).expect("trace written");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "time,date,kind,item,outcome,chips,placed,waiting,installing,operational,lost,headroom_mw:r1,\
             repairing,awaiting_funds,energy_draw_mw"
        )
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let times: Vec<f64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "events out of time order");
    // Month 0: the big order arrives and 40,000 of 50,000 chips fit the 100 MW grid; they
    // install (no lag) at the commissioning event that follows.
    let arrival = rows.iter().position(|r| r[2] == "delivery_arrival" && r[3] == "big order").expect("arrival row");
    assert_eq!(&rows[arrival][4..12], ["arrived", "50000", "40000", "10000", "40000", "0", "0", "0"]);
    assert_eq!(
        &rows[arrival + 1][2..10],
        ["commissioning", "big order", "operational", "40000", "0", "10000", "0", "40000"]
    );
    // Month 6: sub A adds 10 MW, which places 4,000 more chips and leaves no headroom.
    let sub_a = rows.iter().find(|r| r[2] == "power_online" && r[3] == "sub A").expect("sub A row");
    assert_eq!(sub_a[0], "6");
    // Only the 40,000 operational chips draw energy: they fill the first 100 MW (the
    // 4,000 installing ones hold their slot but draw nothing yet).
    assert_eq!(&sub_a[6..], ["4000", "6000", "4000", "40000", "0", "0", "0", "0", "100"]);
    // sub C never happens (probability 0), and there is one tick per month 1..11.
    assert!(!rows.iter().any(|r| r[3] == "sub C"));
    assert_eq!(rows.iter().filter(|r| r[2] == "month_tick").count(), 11);
}

#[test]
fn trace_of_a_run_that_does_not_exist_is_bad_input() {
    let case = validation_dir().join("01_chip_limited.toml");
    let tmp = tempfile::tempdir().expect("temp dir");
    let res = run(&[
        "run",
        case.to_str().unwrap(),
        "--runs",
        "2",
        "--trace",
        "5",
        "--out",
        tmp.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(res.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&res.stderr).contains("--trace 5 names no run"));
}

/// The trace of run 0 of validation case `case` with `extra` appended to its file.
fn trace_of(case: &str, extra: &str) -> String {
    let text = std::fs::read_to_string(validation_dir().join(case)).expect("the case is readable") + extra;
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("s.toml");
    std::fs::write(&file, text).expect("scenario written");
    let out = tmp.path().join("o");
    let res =
        run(&["run", file.to_str().unwrap(), "--runs", "1", "--trace", "0", "--out", out.to_str().unwrap(), "--quiet"]);
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
    std::fs::read_to_string(out.join("trace-0.csv")).expect("trace written")
}

/// D27: a budgeted delivery's trace outcome says whether its line paid it at once,
/// also for a delivery of zero chips (which moves no count).
#[test]
fn a_budgeted_delivery_is_traced_as_paid_or_awaiting_funds() {
    let trace = trace_of(
        "15_budget_queue.toml",
        "\n[[deliveries]]\nname = \"empty\"\nchip = \"b\"\ncount = 0\nowner = \"gov\"\narrive = \"2026-10\"\nbudget = \"L\"\n\
           \n[[deliveries]]\nname = \"empty behind D2\"\nchip = \"b\"\ncount = 0\nowner = \"gov\"\narrive = \"2026-11\"\nbudget = \"L\"\n",
    );
    let outcome = |item: &str| {
        trace
            .lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|r| r[2] == "delivery_arrival" && r[3] == item)
            .map(|r| r[4].to_string())
    };
    assert_eq!(outcome("D1").as_deref(), Some("arrived (paid)"));
    assert_eq!(outcome("empty").as_deref(), Some("arrived (paid)"));
    // D2 (t = 1) cannot be paid until 2027; the empty delivery of t = 1 queues behind it.
    assert_eq!(outcome("D2").as_deref(), Some("awaiting funds"));
    assert_eq!(outcome("empty behind D2").as_deref(), Some("awaiting funds"));
}

/// D25: the chips sent for repair at one tick come back in one repair-done event per
/// return time; a wave of two chip types names neither alone.
#[test]
fn repairs_of_one_tick_come_back_in_one_wave() {
    let trace = trace_of(
        "14_repair_cycle.toml",
        "\n[chips.q]\norigin = \"US\"\npower_kw = 1.0\npflops = 1.0\nfailure_rate = 1.0\nwarranty_years = 0.25\nrepair_months = 0.5\n\
           \n[[deliveries]]\nname = \"second lot\"\nchip = \"q\"\ncount = 300\nowner = \"gov\"\narrive = \"2026-01\"\n",
    );
    let waves: Vec<Vec<&str>> =
        trace.lines().map(|l| l.split(',').collect::<Vec<_>>()).filter(|r| r[2] == "repair_done").collect();
    // Ticks 1 and 2 repair all 1,300 chips of both types; each tick's repairs return half a month later.
    let rows: Vec<(&str, &str, &str)> = waves.iter().map(|r| (r[0], r[3], r[5])).collect();
    assert_eq!(rows, [("1.5", "several chip types", "1300"), ("2.5", "several chip types", "1300")]);
}
