//! The discovery pipeline: collect -> import filter -> Jedi (pool or
//! sequential) -> merge. Each stage is its own module; this one only wires
//! them, times them and reports progress.
//!
//! Input: [`DiscoverArgs`]. Output: the [`DiscoveryResult`] written as JSON.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::cleanup;
use crate::cli::{DiscoverArgs, ParallelArgs};
use crate::collect;
use crate::config;
use crate::filter_stage;
use crate::jedi::JediSession;
use crate::merge;
use crate::pool::{self, PoolConfig};
use crate::progress::{self, Phase, Progress};
use crate::protocol::{FileOutcome, FileTask, JediConfig};
use crate::python_env;
use crate::report::{DiscoveryResult, ErrorEntry, Stats};

pub fn run(args: &DiscoverArgs) -> Result<()> {
    let started = Instant::now();
    let plan = config::plan(args)?;
    let python = python_env::choose_interpreter(args.python.as_deref());
    let version = python_env::probe(&python, plan.framework == crate::cli::TestFramework::Pytest)?;
    tracing::debug!("project Python {version} at {}", python.display());
    let progress = progress::for_stderr(args.quiet);

    let run_dir = tempfile::Builder::new().prefix("codeflash-discover-").tempdir().context("cannot create a temp directory")?;
    cleanup::register_temp_dir(run_dir.path().to_path_buf());

    let mut stats = Stats::default();
    let mut result = DiscoveryResult::default();

    // The Jedi stage's settings. Under the pytest strategy they are known before
    // collection, so the workers start (and warm up) while collection runs.
    let jedi_config = |sys_path| JediConfig {
        project_root: plan.project_root.to_string_lossy().into_owned(),
        test_framework: plan.framework.as_str().to_owned(),
        functions_by_name: plan.functions_by_name(),
        cache_dir: Some(run_dir.path().join("jedi-cache").to_string_lossy().into_owned()),
        no_disk_cache: true,
        warm: true,
        sys_path,
    };
    let pool_config = pool_config(&args.parallel, &python);
    let prestarted = if plan.framework == crate::cli::TestFramework::Pytest {
        pool::prestart(&pool_config, &jedi_config(None))
    } else {
        Vec::new()
    };

    // 1. Collection.
    let phase = Instant::now();
    progress.start(Phase::Collect, None);
    let collection = collect::collect(&plan, &python, run_dir.path())?;
    stats.collect_seconds = phase.elapsed().as_secs_f64();
    stats.tests_collected = collection.tests_collected;
    stats.test_files_collected = collection.files.len();
    progress.finish(&format!("{} tests in {} files", collection.tests_collected, collection.files.len()));
    result.errors.extend(collection.errors);
    let jedi_sys_path = collection.jedi_sys_path;
    if let Some(sys_path) = &jedi_sys_path {
        tracing::debug!("Jedi's base sys_path from the unittest loader's process: {sys_path:?}");
    }
    let mut files = collection.files;

    // 2. Import filter (only when functions are given, as in the reference).
    let phase = Instant::now();
    if !plan.functions.is_empty() && !files.is_empty() {
        progress.start(Phase::Filter, Some(files.len() as u64));
        let paths: Vec<_> = files.iter().map(|f| std::path::PathBuf::from(&f.path)).collect();
        let verdicts = filter_stage::decide(&paths, &plan.filter_targets(), &python);
        for (path, verdict) in paths.iter().zip(&verdicts) {
            progress.advance(verdict.error.is_some());
            if let Some(message) = &verdict.error {
                result.errors.insert(ErrorEntry::new(Some(path.to_string_lossy().into_owned()), "filter", message.clone()));
            }
        }
        let mut keep = verdicts.iter().map(|v| v.keep);
        files.retain(|_| keep.next().unwrap_or(true));
        progress.finish(&format!("{} of {} files may reference the functions", files.len(), paths.len()));
    }
    stats.filter_seconds = phase.elapsed().as_secs_f64();
    stats.test_files_after_filter = files.len();

    // 3. Jedi.
    let phase = Instant::now();
    progress.start(Phase::Jedi, Some(files.len() as u64));
    let jedi_config = jedi_config(jedi_sys_path);
    let outcomes = run_jedi_stage(&pool_config, &python, &jedi_config, &files, prestarted, &mut stats, progress.as_ref())?;
    stats.jedi_seconds = phase.elapsed().as_secs_f64();
    stats.test_files_processed = files.len();
    stats.test_files_failed = outcomes.iter().filter(|o| o.error.is_some()).count();
    progress.finish(&format!("{} files analyzed, {} failed", files.len(), stats.test_files_failed));

    // 4. Merge and report.
    merge::merge_into(&mut result, &files, outcomes);
    stats.total_seconds = started.elapsed().as_secs_f64();
    if !args.quiet {
        eprint!("{}", result.summary(&stats));
    }
    if args.stats {
        result.stats = Some(stats);
    }
    result.write(args.output.as_deref())?;
    drop(run_dir);
    Ok(())
}

/// The pool's settings from the flags. `--sequential` is one worker taking the
/// files in order: the same forked children from the same warm state, so the
/// same answer as any `-j`.
fn pool_config(parallel: &ParallelArgs, python: &std::path::Path) -> PoolConfig {
    let jobs = if parallel.sequential { 1 } else { parallel.jobs.map_or_else(pool::default_jobs, usize::from) };
    PoolConfig {
        jobs,
        chunk_size: usize::from(parallel.chunk_size),
        timeout_per_file: Duration::from_secs(parallel.timeout_per_file),
        fallback: !parallel.no_fallback,
        python: python.to_path_buf(),
    }
}

fn run_jedi_stage(
    config: &PoolConfig,
    python: &std::path::Path,
    jedi_config: &JediConfig,
    files: &[FileTask],
    prestarted: Vec<pool::Worker>,
    stats: &mut Stats,
    progress: &dyn Progress,
) -> Result<Vec<FileOutcome>> {
    if files.is_empty() {
        pool::discard(prestarted);
        return Ok(Vec::new());
    }
    let pool_run = pool::run(config, jedi_config, files, progress, prestarted)?;
    stats.workers = pool_run.workers;
    stats.retries = pool_run.retries;
    stats.timeouts = pool_run.timeouts;
    stats.crashes = pool_run.crashes;
    stats.fell_back_to_sequential = pool_run.fell_back;
    let left = pool::unfinished(&pool_run);
    let mut outcomes = pool_run.outcomes;
    if !left.is_empty() {
        tracing::warn!("{} worker crashes: processing the {} remaining files sequentially", pool_run.crashes, left.len());
        let remaining: Vec<FileTask> = left.iter().map(|&i| files[i].clone()).collect();
        let sequential = run_sequential(python, jedi_config, &remaining, progress)?;
        for (index, outcome) in left.into_iter().zip(sequential) {
            outcomes[index] = Some(outcome);
        }
    }
    Ok(outcomes.into_iter().map(|o| o.unwrap_or_else(|| FileOutcome::failed("not processed"))).collect())
}

/// The pool's fallback after repeated crashes: one interpreter embedded in this
/// process, files in order, no isolation (a different failure mode from the pool).
fn run_sequential(python: &std::path::Path, jedi_config: &JediConfig, files: &[FileTask], progress: &dyn Progress) -> Result<Vec<FileOutcome>> {
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

