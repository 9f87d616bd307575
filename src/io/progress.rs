//! The progress bar: an indicatif bar on stderr, ticked once per run, hidden with
//! `--quiet` or when stderr is not a terminal. Implements the core's `Progress`.

use crate::core::ensemble::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

/// Progress shown to a person, plus the stop flag a signal handler can raise.
pub struct RunProgress {
    bar: ProgressBar,
    stop: &'static AtomicBool,
}

impl RunProgress {
    /// A bar for `runs` runs; hidden when `quiet` or stderr is not a terminal.
    pub fn new(runs: u64, quiet: bool, stop: &'static AtomicBool) -> RunProgress {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(Some(runs), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} {msg} [{bar:40}] {pos}/{len} runs ({elapsed} so far, {eta} left)",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        };
        RunProgress { bar, stop }
    }

    /// Sets the text before the bar.
    pub fn set_message(&self, msg: String) {
        self.bar.set_message(msg);
    }

    /// Sets the runs the bar counts to (`run --until-stable` raises it batch by batch).
    pub fn set_total(&self, runs: u64) {
        self.bar.set_length(runs);
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for RunProgress {
    fn runs_done(&self, n: u64) {
        self.bar.inc(n);
    }
    fn should_stop(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}
