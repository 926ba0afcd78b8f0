//! codeflash-discover: which existing tests call which project functions, with exactly the
//! answer of codeflash 0.20.6's `discover_unit_tests`, faster.
//!
//! The pipeline, one module per stage ([`discover`] wires them):
//! 1. [`project`]: the project model (roots, functions, framework) and its Python;
//! 2. [`collect`]: which tests exist, from pytest or unittest in the project's Python;
//! 3. [`filter`]: which test files may reference the functions ([`import_filter`], native);
//! 4. [`jedi`]: which references resolve to them, in a pool of embedded-CPython workers;
//! 5. [`output`]: the merged, sorted answer, the summary and progress.
//!
//! Shared by several stages: [`cache`] (what runs keep, and where), [`files`] (folders read in a
//! stable order), [`model`] (the types), [`process`] (child processes, temp files,
//! Ctrl-C, fault injection), [`error`] (exit codes), [`embed`] (CPython inside the embedded Jedi
//! worker), [`pyhelpers`] (the Python the stages run).

//!
//! Two binaries share this crate (Cargo.toml): the orchestrator (feature `cli`: every module but
//! the embedded worker; links no libpython) and `codeflash-discover-worker` (feature `embed`:
//! [`model`], [`jedi::protocol`], [`jedi::embedded`], [`embed`], [`process::fault`], built once
//! per CPython by scripts/setup).

#[cfg(feature = "cli")]
pub mod cache;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod collect;
#[cfg(feature = "cli")]
pub mod discover;
#[cfg(feature = "embed")]
pub mod embed;
pub mod error;
#[cfg(feature = "cli")]
pub mod files;
#[cfg(feature = "cli")]
pub mod filter;
#[cfg(feature = "cli")]
pub mod import_filter;
pub mod jedi;
pub mod model;
#[cfg(feature = "cli")]
pub mod output;
pub mod process;
#[cfg(feature = "cli")]
pub mod project;
pub mod pyhelpers;

#[cfg(feature = "cli")]
use crate::cli::{Cli, Command};

#[cfg(feature = "cli")]
/// Run the parsed command line; the caller turns the outcome into the exit code
/// ([`error::exit_code_for`]).
pub fn run(cli: &Cli) -> anyhow::Result<()> {
    match &cli.command {
        Some(Command::Filter(args)) => filter::command::run(args),
        Some(Command::Cache(args)) => cache::run(args),
        Some(Command::Discover(args)) => with_cleanup(|| discover::run(args)),
        None => with_cleanup(|| discover::run(&cli.discover)),
    }
}

#[cfg(feature = "cli")]
/// The orchestrator owns Ctrl-C: children and temp files go with it. Once a
/// signal arrived, the handler alone ends the process (exit code 130): whatever
/// the interrupted run returns meanwhile (a child it was waiting on is gone) is moot.
fn with_cleanup(run: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    process::cleanup::install_handler()?;
    let outcome = run();
    process::cleanup::wait_if_interrupted();
    outcome
}
