//! The line protocol between the pool and its workers: one JSON object per line on the
//! worker's stdin ([`ToWorker`]) and stdout ([`FromWorker`]). The per-file types it carries
//! ([`FileTask`], [`FileOutcome`]) are the shared ones of [`crate::model`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::{FileOutcome, FileTask, TestFramework};

/// What every Jedi session needs to know before its first file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JediConfig {
    pub project_root: String,
    pub test_framework: TestFramework,
    /// function_name -> map keys of the functions to optimize with that name,
    /// in input order, duplicates kept (the reference's fallback by name).
    pub functions_by_name: BTreeMap<String, Vec<String>>,
    /// Jedi's `settings.cache_directory`; the same for every worker, so that every
    /// worker starts from the same state.
    pub cache_dir: Option<String>,
    /// Forked children neither read nor write parso's pickle cache (see jedi_worker.py).
    #[serde(default)]
    pub no_disk_cache: bool,
    /// The parse-tree store the warm-up reads and fills (`use_tree_cache` in jedi_worker.py);
    /// `None`: parse everything from source.
    #[serde(default)]
    pub tree_cache: Option<String>,
    /// Parse the project's modules and the common standard stubs once, before
    /// the first fork (see `warm_parse_cache` in jedi_worker.py).
    #[serde(default)]
    pub warm: bool,
    /// The base list of Jedi's `sys_path` (the project root and its parent are put in front of
    /// it), in place of the worker's own `sys.path`. Set for the unittest strategy: the reference
    /// hands Jedi its own process's `sys.path` after `TestLoader().discover` ran there (the tests
    /// root inserted, edits by test modules). `None`: the worker's `sys.path` (pytest).
    #[serde(default)]
    pub sys_path: Option<Vec<String>>,
}

/// Pool -> worker. The embedded program's warm process takes `Init`, then `Fork`s; its forked
/// workers, and the subprocess program's workers (after `Init`), take `Task`s.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToWorker {
    Init(JediConfig),
    Task { id: u64, files: Vec<FileTask> },
    /// Fork a worker that serves the first connection to this Unix socket (it listens already
    /// when `Forked` comes back).
    Fork { socket: String },
}

/// Worker -> pool: `Ready` after init (a forked worker: once connected), then one `Done` per
/// file of a task, in order; the warm process answers each `Fork` with `Forked` (or `Fatal`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FromWorker {
    Ready {
        python: String,
        /// Its Jedi compiled subprocess is forked from a zygote (`jedi::embedded::zygote`).
        #[serde(default)]
        zygote: bool,
        /// The trees every child holds before its file (the warm set), from the warm process or
        /// a subprocess worker: what a file's `read` holds without having used it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        warm_trees: Option<BTreeSet<String>>,
    },
    Done { id: u64, index: usize, outcome: FileOutcome },
    /// The child forked for this file died before answering; the worker itself lives on.
    Crashed { id: u64, index: usize, status: String },
    Fatal { message: String },
    /// A worker forked from the warm process, listening on the socket the `Fork` named.
    Forked { pid: u32 },
}
