//! What codeflash-discover keeps between runs, where it lives, and the `cache` subcommand.
//!
//! Input: `--cache-dir` / `--no-cache` and the environment. Output: the cache root the stages use
//! (or none), and `cache info|clean`. The root holds three stores, each shared by every project
//! (a project's entries are told apart by their keys, which hold its paths):
//! - `trees-v1/`: parse trees the Jedi workers' warm-up loads, content-addressed by the worker
//!   (`use_tree_cache` in pyhelpers/jedi_worker.py: key = the parsed text, grammar, parso and
//!   Python versions);
//! - `collections-v1/` ([`collection`]): a collection, with every file and folder it read;
//! - `answers-v2/` ([`answers`]): the Jedi stage's answer per test file, with every file it read and the trees it used.
//!
//! Every store writes by atomic rename ([`store`]), so concurrent runs share it safely, and
//! checks what it reads: a damaged entry costs a recomputation, never a wrong answer.
//! [`digest`] hashes what kept values depend on; [`environment`] keys the interpreter.

pub mod answers;
pub mod collection;
pub mod digest;
pub mod store;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cli::{CacheAction, CacheArgs};
use crate::project::python::Interpreter;
use digest::Digests;
use store::{Key, KeyBuilder, Store};

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
        match store::writable(&store) {
            Ok(()) => return store,
            Err(error) => tracing::warn!("cache directory {} cannot be written ({error}); going on without it", store.display()),
        }
    }
    trees(run_dir)
}

/// Every store under a root, as `cache info|clean` show them.
const STORES: [(&str, &str); 3] =
    [(TREES, "parse trees"), (collection::STORE, "collections"), (answers::STORE, "Jedi answers")];

/// The kept stores of this run: collections and answers (`None` each with `--no-cache`, or when
/// the root cannot be written: one warning).
#[must_use]
pub fn open_stores(flag: Option<&Path>, disabled: bool) -> (Option<Store>, Option<Store>) {
    let Some(root) = root(flag, disabled) else { return (None, None) };
    let stores = (Store::open(&root.join(collection::STORE)), Store::open(&root.join(answers::STORE)));
    if stores.0.is_some() {
        note_version(&root);
    }
    stores
}

/// The release that last wrote the cache, in `<root>/version`. Keys hold our version, so another
/// release's collections and answers are never served: they are rebuilt, which one warning says.
fn note_version(root: &Path) {
    let marker = root.join("version");
    let ours = env!("CARGO_PKG_VERSION");
    match fs::read_to_string(&marker) {
        Ok(found) if found.trim() == ours => return,
        Ok(found) => tracing::warn!(
            "the cache {} was written by codeflash-discover {}; its collections and answers are rebuilt for {ours}",
            root.display(),
            found.trim()
        ),
        Err(_) => {}
    }
    let written = tempfile::NamedTempFile::new_in(root).and_then(|mut file| {
        std::io::Write::write_all(&mut file, format!("{ours}\n").as_bytes())?;
        file.persist(&marker).map(drop).map_err(|e| e.error)
    });
    if let Err(error) = written {
        tracing::debug!("cannot record the cache's version in {}: {error}", marker.display());
    }
}

/// This executable's content: part of every kept value's key, so a rebuilt orchestrator never
/// serves what another build computed (a change in how collection output is read, say).
#[must_use]
pub fn executable(digests: &Digests) -> Option<String> {
    std::env::current_exe().ok().and_then(|exe| digests.file(&exe))
}

/// Our executable ([`executable`]), the interpreter and what it can import: its path, `sys.version`, `sys.path` and the names in
/// every `sys.path` folder (an installed, upgraded or removed distribution changes its
/// `*.dist-info` name there; a new top-level module, its own).
#[must_use]
pub fn environment(interpreter: &Interpreter, digests: &Digests) -> Key {
    let mut key = KeyBuilder::new("environment");
    key.json(&executable(digests)).json(&interpreter.path).part(interpreter.build.as_bytes());
    for entry in &interpreter.sys_path {
        key.json(entry).json(&digests.folder(entry));
    }
    key.finish()
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
    match args.action {
        CacheAction::Info => {
            println!("cache: {}", root.display());
            for (name, what) in STORES {
                let store = root.join(name);
                let (files, bytes) = usage(&store);
                println!("{what}: {} ({files} files, {})", store.display(), mib(bytes));
            }
        }
        CacheAction::Clean => {
            for (name, _) in STORES {
                let store = root.join(name);
                let (files, bytes) = usage(&store);
                match fs::remove_dir_all(&store) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e).with_context(|| format!("cannot remove {}", store.display())),
                }
                println!("cache: removed {} ({files} files, {})", store.display(), mib(bytes));
            }
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
    fn another_release_in_the_version_marker_is_replaced() {
        let root = tempfile::tempdir().unwrap();
        let marker = root.path().join("version");
        note_version(root.path());
        assert_eq!(fs::read_to_string(&marker).unwrap().trim(), env!("CARGO_PKG_VERSION"));
        fs::write(&marker, "0.0.1\n").unwrap();
        note_version(root.path());
        assert_eq!(fs::read_to_string(&marker).unwrap().trim(), env!("CARGO_PKG_VERSION"));
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
