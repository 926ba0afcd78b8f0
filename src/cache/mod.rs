//! What codeflash-discover keeps between runs, where it lives, and the `cache` subcommand.
//!
//! Input: `--cache-dir` / `--no-cache` and the environment. Output: the cache root the
//! stages use (or none), and `cache info|clean`. Today the root holds one store:
//! `trees-v1/`, parse trees the Jedi workers' warm-up loaded or parsed, content-addressed by
//! the worker (`use_tree_cache` in pyhelpers/jedi_worker.py: key = the parsed text, grammar,
//! parso and Python versions; written by atomic rename, so concurrent runs share it safely).
//! It is shared by every project: a tree depends only on the text it was parsed from.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cli::{CacheAction, CacheArgs};

/// Overrides the default root (as `--cache-dir` does).
pub const CACHE_DIR_ENV: &str = "CODEFLASH_DISCOVER_CACHE_DIR";
/// The parse-tree store under the root; the suffix changes when its format does.
pub const TREES: &str = "trees-v1";

/// The cache root: `--cache-dir`, else `$CODEFLASH_DISCOVER_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/codeflash-discover`, else `~/.cache/codeflash-discover`; `None` with
/// `--no-cache` or when no home is known.
#[must_use]
pub fn root(flag: Option<&Path>, disabled: bool) -> Option<PathBuf> {
    if disabled {
        return None;
    }
    if let Some(dir) = flag {
        return Some(dir.to_path_buf());
    }
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    env(CACHE_DIR_ENV)
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("codeflash-discover")))
        .or_else(|| env("HOME").map(|d| d.join(".cache").join("codeflash-discover")))
}

/// The tree store this run's workers use: the kept one under the cache root, or, with
/// `--no-cache` or when that cannot be written (one warning), a fresh one in the run's temp
/// directory. The warm-up takes the same path either way (a throw-away child fills the store,
/// the warm parent loads from it), so the answer is the same with and without the cache.
#[must_use]
pub fn trees_for_run(flag: Option<&Path>, disabled: bool, run_dir: &Path) -> PathBuf {
    if let Some(root) = root(flag, disabled) {
        let store = trees(&root);
        match writable(&store) {
            Ok(()) => return store,
            Err(error) => tracing::warn!("cache directory {} cannot be written ({error}); going on without it", store.display()),
        }
    }
    trees(run_dir)
}

fn writable(store: &Path) -> std::io::Result<()> {
    let tmp = store.join("tmp");
    fs::create_dir_all(&tmp)?;
    tempfile::NamedTempFile::new_in(&tmp).map(drop)
}

/// The parse-tree store of a root.
#[must_use]
pub fn trees(root: &Path) -> PathBuf {
    root.join(TREES)
}

/// `codeflash-discover cache info|clean`.
pub fn run(args: &CacheArgs) -> Result<()> {
    let Some(root) = root(args.cache_dir.as_deref(), false) else {
        anyhow::bail!("no cache directory: give --cache-dir (neither HOME nor XDG_CACHE_HOME is set)");
    };
    let store = trees(&root);
    match args.action {
        CacheAction::Info => {
            let (files, bytes) = usage(&store);
            println!("cache: {}", root.display());
            println!("parse trees: {} ({files} files, {})", store.display(), mib(bytes));
        }
        CacheAction::Clean => {
            let (files, bytes) = usage(&store);
            match fs::remove_dir_all(&store) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("cannot remove {}", store.display())),
            }
            println!("cache: removed {} ({files} files, {})", store.display(), mib(bytes));
        }
    }
    Ok(())
}

/// `bytes` in MiB with one decimal.
fn mib(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    format!("{}.{} MiB", bytes / MIB, bytes % MIB * 10 / MIB)
}

/// Files and bytes under `dir` (0, 0 when it does not exist).
fn usage(dir: &Path) -> (u64, u64) {
    let mut totals = (0, 0);
    let Ok(entries) = fs::read_dir(dir) else { return totals };
    for entry in entries.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            let (files, bytes) = usage(&entry.path());
            totals = (totals.0 + files, totals.1 + bytes);
        } else {
            totals = (totals.0 + 1, totals.1 + meta.len());
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_cache_wins_over_every_location() {
        assert_eq!(root(Some(Path::new("/x")), true), None);
        assert_eq!(root(Some(Path::new("/x")), false), Some(PathBuf::from("/x")));
    }

    #[test]
    fn an_unwritable_or_disabled_cache_falls_back_to_the_run_directory() {
        let run = tempfile::tempdir().unwrap();
        let kept = tempfile::tempdir().unwrap();
        assert_eq!(trees_for_run(Some(kept.path()), false, run.path()), kept.path().join(TREES));
        assert_eq!(trees_for_run(Some(kept.path()), true, run.path()), run.path().join(TREES));
        let file = kept.path().join("a-file");
        fs::write(&file, b"").unwrap();
        assert_eq!(trees_for_run(Some(&file), false, run.path()), run.path().join(TREES));
    }

    #[test]
    fn usage_counts_nested_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("ab")).unwrap();
        fs::write(dir.path().join("ab/one.pickle"), b"12345").unwrap();
        fs::write(dir.path().join("two"), b"12").unwrap();
        assert_eq!(usage(dir.path()), (2, 7));
        assert_eq!(usage(&dir.path().join("absent")), (0, 0));
        assert_eq!(mib(3 * 1024 * 1024 + 512 * 1024), "3.5 MiB");
    }
}
