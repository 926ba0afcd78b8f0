//! The Jedi stage: for each test file that passed the filter, which of its references resolve to
//! a function to optimize (codeflash's `get_names` + `goto` pass), in a pool of worker processes
//! that run the project's own CPython, warm (the embedded ones all forked from one warm process),
//! and fork a child per file.
//!
//! - [`pool`]: the worker processes, their scheduling and fault handling; [`memory`]: what it
//!   watches to size itself and to retire workers when memory runs low;
//! - [`program`]: which worker serves the project's interpreter: the embedded one built for it,
//!   or our worker script in the interpreter itself;
//! - [`embedded`] (feature `embed`, the `codeflash-discover-worker` binary): CPython embedded
//!   through pyo3 ([`crate::embed`]), and the forked child per file;
//! - [`protocol`]: the lines the pool and a worker exchange (both kinds speak it);
//! - [`tree_fill`]: the parse-tree store filled on every core while collection runs;
//! - [`eviction`]: parso's cache as the reference's one process carries it across files, and the
//!   files analysed again because the reference evicts trees during them.
//!
//! Input: the file tasks and a [`JediConfig`]. Output: one [`FileOutcome`] per file, in order.

#[cfg(feature = "embed")]
pub mod embedded;
#[cfg(feature = "cli")]
pub mod eviction;
#[cfg(feature = "cli")]
pub mod memory;
#[cfg(feature = "cli")]
pub mod pool;
#[cfg(feature = "cli")]
pub mod program;
pub mod protocol;
#[cfg(feature = "cli")]
pub mod tree_fill;

#[cfg(feature = "cli")]
pub use self::stage::{pool_config, rerun_primed, run};

#[cfg(feature = "cli")]
mod stage {
    use std::time::Duration;

    use anyhow::Result;

    use crate::cli::ParallelArgs;
    use crate::model::{FileOutcome, FileTask};
    use crate::output::progress::Progress;

    use super::pool::{self, PoolConfig, PoolCounters};
    use super::program::WorkerProgram;
    use super::protocol::JediConfig;

    /// The pool's settings from the flags. `--sequential` is one worker taking the
    /// files in order: the same forked children from the same warm state, so the
    /// same answer as any `-j`.
    #[must_use]
    pub fn pool_config(parallel: &ParallelArgs, program: WorkerProgram) -> PoolConfig {
        let jobs = if parallel.sequential { 1 } else { parallel.jobs.map_or_else(pool::default_jobs, usize::from) };
        PoolConfig {
            jobs,
            chunk_size: usize::from(parallel.chunk_size),
            timeout_per_file: Duration::from_secs(parallel.timeout_per_file),
            fallback: !parallel.no_fallback,
            program,
        }
    }

    /// Run the stage: the pool (with workers `prestarted` during collection; `follow_up` hears of
    /// each outcome there and may add tasks), then, if the pool gave up after repeated crashes,
    /// the files it left, in order, in one worker that does not fork (our worker script in the
    /// project's interpreter: a different failure mode).
    pub fn run(
        config: &PoolConfig,
        jedi_config: &JediConfig,
        files: &[FileTask],
        prestarted: pool::Prestarted,
        progress: &dyn Progress,
        follow_up: &dyn pool::FollowUp,
    ) -> Result<(Vec<FileOutcome>, PoolCounters)> {
        if files.is_empty() {
            pool::discard(prestarted);
            return Ok((Vec::new(), PoolCounters::default()));
        }
        let pool_run = pool::run(config, jedi_config, files, progress, prestarted, follow_up)?;
        let left = pool::unfinished(&pool_run);
        let mut outcomes = pool_run.outcomes;
        if !left.is_empty() {
            tracing::warn!("{} worker crashes: processing the {} remaining files sequentially", pool_run.counters.crashes, left.len());
            let remaining: Vec<FileTask> = left.iter().map(|&i| files[i].clone()).collect();
            let sequential = PoolConfig {
                jobs: 1,
                chunk_size: remaining.len(),
                // Should this one crash too, what it leaves is "not processed" (an error entry).
                fallback: true,
                program: config.program.without_fork(),
                ..config.clone()
            };
            // Its outcomes reach the caller's follow-up through the returned outcomes instead.
            let rerun = pool::run(&sequential, jedi_config, &remaining, progress, pool::Prestarted::default(), &pool::NoFollowUp)?;
            for (index, outcome) in left.into_iter().zip(rerun.outcomes) {
                // Not from a child of the warm process: never kept by the answer cache.
                outcomes[index] = outcome.map(|o| FileOutcome { read: Vec::new(), ..o });
            }
        }
        let outcomes = outcomes.into_iter().map(|o| o.unwrap_or_else(|| FileOutcome::failed("not processed"))).collect();
        Ok((outcomes, pool_run.counters))
    }

    /// One file again, from the reference's parso cache (`eviction`): one worker, no fallback.
    /// For what the pool beside the walk did not run (it stopped after crashes, or ran no file).
    /// None when it gave no answer.
    #[must_use]
    pub fn rerun_primed(config: &PoolConfig, jedi_config: &JediConfig, task: FileTask) -> Option<FileOutcome> {
        let single = PoolConfig { jobs: 1, chunk_size: 1, fallback: false, ..config.clone() };
        let run = pool::run(&single, jedi_config, &[task], &crate::output::progress::Silent, pool::Prestarted::default(), &pool::NoFollowUp);
        run.inspect_err(|error| tracing::warn!("{error:#}")).ok()?.outcomes.pop().flatten()
    }
}
