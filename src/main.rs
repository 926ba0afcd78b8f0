//! The `codeflash-discover` binary: parse the command line, set up logging, run, and turn the
//! outcome into the exit code (the one place that does).

use std::process::ExitCode;

use clap::Parser;

use codeflash_discover::cli::Cli;
use codeflash_discover::error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("CODEFLASH_DISCOVER_LOG").unwrap_or_else(|_| "warn".into()))
        .with_target(false)
        .init();
    match codeflash_discover::run(&cli) {
        Ok(()) => ExitCode::from(error::EXIT_OK),
        Err(error) => {
            eprintln!("codeflash-discover: error: {error:#}");
            ExitCode::from(error::exit_code_for(&error))
        }
    }
}
