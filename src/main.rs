//! codeflash-discover: which existing tests call which project functions,
//! with exactly the answer of codeflash 0.20.6's `discover_unit_tests`.

mod cleanup;
mod cli;
mod collect;
mod config;
mod discover;
mod embed;
mod error;
mod fault;
mod filter_cmd;
mod filter_stage;
mod import_filter;
mod jedi;
mod merge;
mod pool;
mod progress;
mod protocol;
mod pyhelpers;
mod python_env;
mod report;
mod worker;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("CODEFLASH_DISCOVER_LOG").unwrap_or_else(|_| "warn".into()))
        .with_target(false)
        .init();
    let outcome = match &cli.command {
        Some(Command::Worker(args)) => worker::run(args),
        Some(Command::Filter(args)) => filter_cmd::run(args),
        Some(Command::Discover(args)) => with_cleanup(|| discover::run(args)),
        None => with_cleanup(|| discover::run(&cli.discover)),
    };
    match outcome {
        Ok(()) => ExitCode::from(error::EXIT_OK),
        Err(error) => {
            eprintln!("codeflash-discover: error: {error:#}");
            ExitCode::from(error::exit_code_for(&error))
        }
    }
}

/// The orchestrator owns Ctrl-C: children and temp files go with it. Once a
/// signal arrived, the handler alone ends the process (exit code 130): whatever
/// the interrupted run returns meanwhile (a child it was waiting on is gone) is moot.
fn with_cleanup(run: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    cleanup::install_handler()?;
    let outcome = run();
    cleanup::wait_if_interrupted();
    outcome
}
