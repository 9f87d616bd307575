//! The `buildout` binary: parse arguments, call `app`, map errors to exit statuses.

use clap::Parser;

fn main() {
    let cli = buildout::cli::Cli::parse();
    install_interrupt_handler();
    match buildout::app::run_cli(cli) {
        Ok(()) => {}
        Err(e) => {
            eprintln!("{}", e.to_string().trim_end());
            std::process::exit(e.exit_code());
        }
    }
}

/// Ctrl-C (SIGINT) raises `app::STOP`: the run stops after its current runs, removes its
/// temporary folder and exits with status 130. A second Ctrl-C exits at once; the
/// temporary folder it may leave is cleaned by the next run.
fn install_interrupt_handler() {
    use std::sync::atomic::Ordering;
    let result = ctrlc::set_handler(|| {
        if buildout::app::STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    if let Err(e) = result {
        eprintln!("warning: Ctrl-C will not stop a run cleanly: {e}");
    }
}
