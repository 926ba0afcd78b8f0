//! The Jedi stage: for each test file that passed the filter, which of its references resolve to
//! a function to optimize (codeflash's `get_names` + `goto` pass), in a pool of worker processes
//! that each embed the project's CPython.
//!
//! - [`pool`]: the worker processes, their scheduling and fault handling;
//! - [`worker`]: the `worker` subcommand, one pool child;
//! - [`session`]: one embedded interpreter with Jedi ([`crate::embed`]), and the forked child per file;
//! - [`protocol`]: the lines the pool and a worker exchange.
//!
//! Input: the file tasks and a [`JediConfig`]. Output: one [`FileOutcome`] per file, in order.

pub mod pool;
pub mod protocol;
pub mod session;
pub mod worker;

use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use crate::cli::ParallelArgs;
use crate::model::{FileOutcome, FileTask};
use crate::output::progress::Progress;

use self::pool::{PoolConfig, PoolCounters};
use self::protocol::JediConfig;
use self::session::JediSession;

/// The pool's settings from the flags. `--sequential` is one worker taking the
/// files in order: the same forked children from the same warm state, so the
/// same answer as any `-j`.
#[must_use]
pub fn pool_config(parallel: &ParallelArgs, python: &Path) -> PoolConfig {
    let jobs = if parallel.sequential { 1 } else { parallel.jobs.map_or_else(pool::default_jobs, usize::from) };
    PoolConfig {
        jobs,
        chunk_size: usize::from(parallel.chunk_size),
        timeout_per_file: Duration::from_secs(parallel.timeout_per_file),
        fallback: !parallel.no_fallback,
        python: python.to_path_buf(),
    }
}

/// Run the stage: the pool (with workers `prestarted` during collection), then, if the pool
/// gave up after repeated crashes, the files it left in this process.
pub fn run(
    config: &PoolConfig,
    jedi_config: &JediConfig,
    files: &[FileTask],
    prestarted: Vec<pool::Worker>,
    progress: &dyn Progress,
) -> Result<(Vec<FileOutcome>, PoolCounters)> {
    if files.is_empty() {
        pool::discard(prestarted);
        return Ok((Vec::new(), PoolCounters::default()));
    }
    let pool_run = pool::run(config, jedi_config, files, progress, prestarted)?;
    let left = pool::unfinished(&pool_run);
    let mut outcomes = pool_run.outcomes;
    if !left.is_empty() {
        tracing::warn!("{} worker crashes: processing the {} remaining files sequentially", pool_run.counters.crashes, left.len());
        let remaining: Vec<FileTask> = left.iter().map(|&i| files[i].clone()).collect();
        let sequential = run_in_process(&config.python, jedi_config, &remaining, progress)?;
        for (index, outcome) in left.into_iter().zip(sequential) {
            outcomes[index] = Some(outcome);
        }
    }
    let outcomes = outcomes.into_iter().map(|o| o.unwrap_or_else(|| FileOutcome::failed("not processed"))).collect();
    Ok((outcomes, pool_run.counters))
}

/// The pool's fallback after repeated crashes: one interpreter embedded in this
/// process, files in order, no isolation (a different failure mode from the pool).
fn run_in_process(python: &Path, jedi_config: &JediConfig, files: &[FileTask], progress: &dyn Progress) -> Result<Vec<FileOutcome>> {
    let session = JediSession::start(python, jedi_config)?;
    Ok(files
        .iter()
        .map(|task| {
            let outcome = session.process(task);
            progress.advance(outcome.error.is_some());
            outcome
        })
        .collect())
}
