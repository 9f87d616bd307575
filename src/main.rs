//! The `buildout` binary: parse arguments, call `app`, map errors to exit statuses.

use clap::Parser;

fn main() {
    let cli = buildout::cli::Cli::parse();
    match buildout::app::run_cli(cli) {
        Ok(()) => {}
        Err(e) => {
            eprintln!("{}", e.to_string().trim_end());
            std::process::exit(e.exit_code());
        }
    }
}
