//! The discovery pipeline: project model -> collection -> import filter -> Jedi -> output.
//! Each stage is its own module; this one only wires them, times them and reports progress.
//!
//! Input: [`DiscoverArgs`]. Output: the [`DiscoveryResult`] written as JSON.

use std::time::Instant;

use anyhow::{Context, Result};

use crate::cache::{self, answers::AnswerCache, collection::CollectionCache, digest::Digests};
use crate::cli::DiscoverArgs;
use crate::collect;
use crate::filter;
use crate::jedi::{self, pool, program, protocol::JediConfig, tree_fill};
use crate::model::{FileOutcome, FileTask, TestFramework};
use crate::output::merge;
use crate::output::progress::{self, Phase};
use crate::output::report::{DiscoveryResult, ErrorEntry, Stats};
use crate::process::cleanup;
use crate::project::{self, python};

pub fn run(args: &DiscoverArgs) -> Result<()> {
    let started = Instant::now();
    let plan = project::plan(args)?;
    // A bad --progress-fd is bad input: reported before anything is started.
    let progress = match args.progress_fd {
        Some(fd) => Box::new(progress::Both(progress::for_stderr(args.quiet), Box::new(progress::JsonLines::new(progress::stream_from_fd(fd)?)))),
        None => progress::for_stderr(args.quiet),
    };
    let interpreter = python::probe(&python::choose_interpreter(args.python.as_deref()), plan.framework == TestFramework::Pytest)?;
    let python = interpreter.path.clone();
    let program = program::choose(&interpreter, args.parallel.worker)?;
    tracing::debug!("project Python {} at {}, {} Jedi workers", interpreter.version, python.display(), program.kind());

    let run_dir = tempfile::Builder::new().prefix("codeflash-discover-").tempdir().context("cannot create a temp directory")?;
    cleanup::register_temp_dir(run_dir.path().to_path_buf());
    let tree_cache = cache::trees_for_run(args.cache_dir.as_deref(), args.no_cache, run_dir.path());

    let mut stats = Stats::default();
    let mut result = DiscoveryResult::default();

    // The Jedi stage's settings. Under the pytest strategy they are known before
    // collection, so the workers start (and warm up) while collection runs.
    let jedi_config = |sys_path| JediConfig {
        project_root: plan.project_root.to_string_lossy().into_owned(),
        test_framework: plan.framework,
        functions_by_name: plan.functions_by_name(),
        cache_dir: Some(run_dir.path().join("jedi-cache").to_string_lossy().into_owned()),
        no_disk_cache: true,
        tree_cache: Some(tree_cache.to_string_lossy().into_owned()),
        warm: true,
        sys_path,
    };
    stats.worker = program.kind();
    let pool_config = jedi::pool_config(&args.parallel, program);

    // The kept collections and answers (src/cache): what they depend on is hashed once per run.
    let digests = Digests::default();
    let (collection_store, answer_store) = cache::open_stores(args.cache_dir.as_deref(), args.no_cache);
    // Hashed only where a store is open: `--no-cache` lists no `sys.path` folder.
    let environment = (collection_store.is_some() || answer_store.is_some()).then(|| cache::environment(&interpreter, &digests));

    // 1. Collection, of the test modules the import filter does not reject (pytest only), unless
    // a kept collection still holds. Under the pytest strategy the Jedi stage's settings are known
    // before collection, so the workers start (and warm up) while pytest runs.
    let phase = Instant::now();
    let skip = if plan.framework == TestFramework::Pytest && !plan.functions.is_empty() && !args.collect_all {
        filter::before_collection::rejected_files(&plan.tests_root, &plan.filter_targets(), &python, interpreter.minor)
    } else {
        Vec::new()
    };
    stats.test_files_skipped_before_collection = skip.len();
    let asserts = if args.collect_all { collect::Asserts::Rewrite } else { collect::Asserts::Plain };
    let collection_cache =
        collection_store.zip(environment.as_ref()).map(|(store, environment)| CollectionCache::new(store, environment, &plan, &skip, asserts, &digests));
    let kept = collection_cache.as_ref().filter(|_| !args.refresh).and_then(CollectionCache::get);
    // The filler starts first, so that it, not a worker's one-core fill, takes the store's lock.
    let (tree_fill, prestarted) = if plan.framework == TestFramework::Pytest && kept.is_none() {
        let config = jedi_config(None);
        (tree_fill::start(&python, &config), pool::prestart(&pool_config, &config))
    } else {
        (None, pool::Prestarted::default())
    };
    stats.tree_fill = tree_fill.is_some();
    progress.start(Phase::Collect, None);
    stats.collect_cache = match (&collection_cache, &kept) {
        (None, _) => "off",
        (Some(_), Some(_)) => "hit",
        (Some(_), None) => "miss",
    };
    let collection = if let Some(collection) = kept {
        collection
    } else {
        let collection = collect::collect(&plan, &python, run_dir.path(), &skip, asserts)?;
        if let Some(cache) = &collection_cache {
            cache.put(&collection, &plan, run_dir.path());
        }
        collection
    };
    stats.collect_seconds = phase.elapsed().as_secs_f64();
    stats.tests_collected = collection.tests_collected;
    stats.test_files_collected = collection.files.len();
    let kept_note = if stats.collect_cache == "hit" { " (kept from an earlier run)" } else { "" };
    progress.finish(&format!("{} tests in {} files{kept_note}", collection.tests_collected, collection.files.len()));
    progress.collected(collection.pytest_rootdir.as_deref());
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
        let verdicts = filter::decide(&paths, &plan.filter_targets(), &python, interpreter.minor);
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

    // 3. Jedi, for the files without a kept answer.
    let phase = Instant::now();
    progress.start(Phase::Jedi, Some(files.len() as u64));
    let jedi_config = jedi_config(jedi_sys_path);
    let answer_cache = answer_store.zip(environment.as_ref()).map(|(store, environment)| AnswerCache::new(store, environment, &jedi_config, &pool_config.program, &digests));
    // A kept answer, unless `--refresh` (for the stage's files, and for files analysed again below).
    let kept_answer = |task: &FileTask| answer_cache.as_ref().filter(|_| !args.refresh).and_then(|cache| cache.get(task));
    let mut outcomes: Vec<Option<FileOutcome>> =
        files.iter().map(kept_answer).collect();
    let missing: Vec<usize> = (0..files.len()).filter(|&i| outcomes[i].is_none()).collect();
    stats.jedi_cache_hits = files.len() - missing.len();
    stats.jedi_cache_misses = if answer_cache.is_some() { missing.len() } else { 0 };
    for _ in 0..stats.jedi_cache_hits {
        progress.advance(false);
    }
    let tasks: Vec<FileTask> = missing.iter().map(|&i| files[i].clone()).collect();
    let keep = |task: &FileTask, outcome: &FileOutcome| {
        if let Some(cache) = &answer_cache {
            cache.put(task, outcome);
        }
    };
    // Files during which the reference's parso cache evicts trees Jedi still reads are analysed
    // again from that cache (kept under it: the task's prime is part of the key). The walk that
    // finds them runs beside the pool, which runs each as soon as the files before it are known.
    let beside = jedi::eviction::Beside::new(&files, &missing, &outcomes, std::time::SystemTime::now(), jedi::eviction::Kept { lookup: &kept_answer, keep: &keep });
    let (fresh, pool_counters) = jedi::run(&pool_config, &jedi_config, &tasks, prestarted, progress.as_ref(), &beside)?;
    match tree_fill {
        Some(fill) if !tasks.is_empty() => fill.finish(),
        unneeded => drop(unneeded), // killed: no worker needed it
    }
    for (&index, outcome) in missing.iter().zip(fresh) {
        keep(&files[index], &outcome);
        outcomes[index] = Some(outcome);
    }
    let mut outcomes: Vec<FileOutcome> = outcomes.into_iter().map(Option::unwrap_or_default).collect();
    // What the pool did not run of the walk (all of it where every answer was kept).
    let replayed = beside.finish(&mut outcomes, |task| jedi::rerun_primed(&pool_config, &jedi_config, task));
    stats.test_files_reanalysed_for_eviction = replayed.primed;
    for path in replayed.failed {
        let message = "the reference's parso cache evicts trees during this file, and analysing it again from that cache gave no answer: its entries are the file's own, where the reference may have fewer";
        result.errors.insert(ErrorEntry::new(Some(path), "jedi", message.to_owned()));
    }
    stats.pool = pool_counters;
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
