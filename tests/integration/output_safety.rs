//! Output safety: Ctrl-C and `kill -9` mid-run, two runs writing one folder at once, and
//! output folders that cannot be written (read-only, missing parent, a file in the way,
//! a full disk). The previous output is never touched and nothing is half written.

use super::support::{buildout, run, snapshot, write, BASE, KOREA};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Writes a finished output folder at `out` (the "previous results" a user has).
fn previous_output(dir: &Path, out: &Path) -> Vec<(String, Vec<u8>)> {
    let scenario = write(dir, "base.toml", BASE);
    let o = run(&["run", path(&scenario), "--out", path(out), "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = snapshot(out);
    assert!(before.iter().any(|(n, _)| n == "summary.csv"), "{before:?}");
    before
}

fn path(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

/// Starts a long run of the reference scenario writing to `out`.
fn long_run(out: &Path) -> Child {
    buildout()
        .args(["run", KOREA, "--runs", "100000000", "--out", path(out), "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start buildout")
}

/// Temporary folders beside `out` (`.NAME.tmp-PID`).
fn temps(out: &Path) -> Vec<PathBuf> {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let parent = out.parent().unwrap_or(Path::new("."));
    std::fs::read_dir(parent)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!(".{name}.tmp-"))))
        .collect()
}

/// Waits until the run has made its temporary folder (so it is simulating), then a bit.
fn wait_until_simulating(child: &mut Child, out: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while temps(out).is_empty() {
        assert!(child.try_wait().ok().flatten().is_none(), "the run ended before it could be interrupted");
        assert!(Instant::now() < deadline, "the run never started simulating");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(700));
}

/// Waits for the child to end, at most `limit`.
fn wait_at_most(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the run did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill").args([sig, &child.id().to_string()]).status().is_ok_and(|s| s.success());
    assert!(ok, "kill {sig} failed");
}

#[test]
fn ctrl_c_stops_promptly_cleans_up_and_keeps_the_previous_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let before = previous_output(dir.path(), &out);
    let mut child = long_run(&out);
    wait_until_simulating(&mut child, &out);
    let sent = Instant::now();
    signal(&child, "-INT");
    let status = wait_at_most(&mut child, Duration::from_secs(10));
    let took = sent.elapsed();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(took < Duration::from_secs(5), "stopping took {took:?}");
    assert!(temps(&out).is_empty(), "a temporary folder was left: {:?}", temps(&out));
    assert_eq!(snapshot(&out), before, "the previous output changed");
}

#[test]
fn kill_9_keeps_the_previous_output_and_the_next_run_cleans_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let before = previous_output(dir.path(), &out);
    let mut child = long_run(&out);
    wait_until_simulating(&mut child, &out);
    signal(&child, "-KILL");
    let status = wait_at_most(&mut child, Duration::from_secs(10));
    assert_eq!(status.code(), None, "killed by a signal");
    assert_eq!(snapshot(&out), before, "the previous output changed");
    assert_eq!(temps(&out).len(), 1, "the killed run's temporary folder stays until the next run");
    // The next run into the same folder removes the stale temporary folder.
    let scenario = write(dir.path(), "base.toml", BASE);
    let o = run(&["run", path(&scenario), "--out", path(&out), "--quiet", "--seed", "5"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(temps(&out).is_empty(), "stale temporary folder not cleaned: {:?}", temps(&out));
}

#[test]
fn two_runs_into_one_folder_never_mix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = write(dir.path(), "base.toml", BASE);
    let reference = |seed: &str| {
        let out = dir.path().join(format!("ref-{seed}"));
        let o = run(&["run", path(&scenario), "--out", path(&out), "--quiet", "--seed", seed, "--runs", "3000"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        snapshot(&out)
    };
    let (a, b) = (reference("1"), reference("2"));
    assert_ne!(a, b);
    let out = dir.path().join("shared");
    for _ in 0..4 {
        let start = |seed: &str| {
            buildout()
                .args(["run", path(&scenario), "--out", path(&out), "--quiet", "--seed", seed, "--runs", "3000"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start buildout")
        };
        let (mut x, mut y) = (start("1"), start("2"));
        assert!(wait_at_most(&mut x, Duration::from_secs(60)).success());
        assert!(wait_at_most(&mut y, Duration::from_secs(60)).success());
        let got = snapshot(&out);
        assert!(got == a || got == b, "a mixed output folder: {:?}", got.iter().map(|f| &f.0).collect::<Vec<_>>());
        assert!(temps(&out).is_empty());
    }
}

/// Runs the base scenario into `out`; returns (exit code, stderr).
fn run_into(dir: &Path, out: &Path) -> (Option<i32>, String) {
    let scenario = write(dir, "base.toml", BASE);
    let o = run(&["run", path(&scenario), "--out", path(out), "--quiet"]);
    (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn a_missing_parent_folder_is_an_error_not_a_new_tree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("no-such-folder").join("out");
    let (code, stderr) = run_into(dir.path(), &out);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(stderr.contains("no-such-folder"), "{stderr}");
    assert!(!dir.path().join("no-such-folder").exists());
}

#[test]
fn a_file_in_the_way_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "plain-file", "not a folder");
    let (code, stderr) = run_into(dir.path(), &file.join("out"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("cannot write output"), "{stderr}");
    // The output path itself being a file: it is not replaced.
    let (code, stderr) = run_into(dir.path(), &file);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("not a folder"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).ok().as_deref(), Some("not a folder"));
}

/// A small tmpfs mounted for one test (needs root and mount rights; skipped otherwise).
struct Tmpfs {
    path: PathBuf,
}

impl Tmpfs {
    fn mount(at: &Path, options: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs", path(at)])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            Some(Tmpfs { path: at.to_path_buf() })
        } else {
            eprintln!("skipped: cannot mount a tmpfs here (not root, or no mount rights)");
            None
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

#[test]
fn a_full_disk_fails_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(fs) = Tmpfs::mount(&dir.path().join("small"), "size=16k") else { return };
    // Fill the disk almost to the brim, leaving less than summary.csv needs.
    let _ = std::fs::write(fs.path.join("ballast"), vec![0u8; 12 * 1024]);
    let out = fs.path.join("out");
    let (code, stderr) = run_into(dir.path(), &out);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("cannot write output") && stderr.contains("No space left"), "{stderr}");
    assert!(!out.exists(), "a half-written output folder");
    assert!(temps(&out).is_empty(), "temporary folder left: {:?}", temps(&out));
}

#[test]
fn a_read_only_folder_fails_cleanly_and_keeps_the_previous_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(fs) = Tmpfs::mount(&dir.path().join("ro"), "size=1m") else { return };
    let out = fs.path.join("out");
    let before = previous_output(dir.path(), &out);
    let remount = Command::new("mount").args(["-o", "remount,ro", path(&fs.path)]).status().is_ok_and(|s| s.success());
    assert!(remount, "cannot remount read-only");
    let (code, stderr) = run_into(dir.path(), &out);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("cannot write output") && stderr.contains("Read-only"), "{stderr}");
    assert_eq!(snapshot(&out), before);
}
