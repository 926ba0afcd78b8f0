//! The Jedi stage's cache: one kept answer per test file, served only while everything it
//! depends on is unchanged, so a served answer is byte for byte the one a run without the cache
//! gives.
//!
//! Input: the [`JediConfig`], the worker program, the environment key, and per file its
//! [`FileTask`] (path and collected tests). Output: the kept [`FileOutcome`] or nothing; after
//! the stage, the new answers are kept with what the worker read for them.
//!
//! What an answer depends on, and so the key: our version and the worker (its executable's
//! content, or our worker script), the interpreter and its environment ([`super::environment`]),
//! the whole Jedi configuration (project root, strategy, the functions asked for, Jedi's
//! `sys_path`, the tree store's path), the importable names under the project root and beside it
//! ([`digest::module_names`]: a module added there can make a failing import resolve), and the file's
//! task (its path and collected tests). Recorded with the answer and checked at lookup: the
//! content of the test file and of every module and stub parso held when the file was done (the
//! worker's `read` list: what Jedi read for this file, and the warm set the worker's warm
//! process holds, which includes every project module).
//!
//! Why the warm set counts for every file: the definition Jedi picks where `goto` is ambiguous
//! depends on the memory layout of the warm process the file's child was forked from (measured,
//! README "Cache"), and that layout depends on every tree it holds. So an edit to any project
//! module re-analyses every test file, while an edit to one test file re-analyses that file
//! alone. Answers with an error are never kept.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::digest::{self, Deps, Digests};
use super::store::{Key, KeyBuilder, Store};
use crate::jedi::program::WorkerProgram;
use crate::jedi::protocol::JediConfig;
use crate::model::{FileOutcome, FileTask, Prime};
use crate::pyhelpers;

/// The store under the cache root; the suffix changes when the format does.
pub const STORE: &str = "answers-v2";

#[derive(Serialize, Deserialize)]
struct Entry {
    deps: Deps,
    outcome: FileOutcome,
}

pub struct AnswerCache<'a> {
    store: Store,
    base: KeyBuilder,
    digests: &'a Digests,
}

impl<'a> AnswerCache<'a> {
    #[must_use]
    pub fn new(store: Store, environment: &Key, config: &JediConfig, program: &WorkerProgram, digests: &'a Digests) -> Self {
        let mut base = KeyBuilder::new(STORE);
        base.part(env!("CARGO_PKG_VERSION").as_bytes()).part(&environment.0).part(pyhelpers::JEDI_WORKER.as_bytes());
        match program {
            WorkerProgram::Embedded { exe, python } => {
                base.part(b"embedded").json(&digests.file(exe)).json(python);
            }
            WorkerProgram::Subprocess { python, fork } => {
                base.part(b"subprocess").part(pyhelpers::WORKER_MAIN.as_bytes()).json(python).json(fork);
            }
        }
        // The run's own Jedi cache folder has a random name of a fixed length: not a dependency.
        let config = JediConfig { cache_dir: config.cache_dir.as_ref().map(|_| String::new()), ..config.clone() };
        base.json(&config);
        let root = Path::new(&config.project_root);
        base.part(digest::module_names(root, true).as_bytes());
        if let Some(parent) = root.parent() {
            base.part(digest::module_names(parent, false).as_bytes());
        }
        AnswerCache { store, base, digests }
    }

    fn key(&self, task: &FileTask) -> Key {
        let mut key = KeyBuilder::new("file");
        match &task.prime {
            // The prime's clock is the run's: the same prime in another run is the same task.
            Some(prime) if prime.clock_ns.is_some() => {
                let prime = Prime { clock_ns: None, ..prime.clone() };
                key.json(&FileTask { prime: Some(prime), ..task.clone() });
            }
            _ => {
                key.json(task);
            }
        }
        self.base.key(&key.finish())
    }

    /// The kept answer for `task`, if everything it was computed from still holds.
    #[must_use]
    pub fn get(&self, task: &FileTask) -> Option<FileOutcome> {
        let entry: Entry = self.store.get(&self.key(task))?;
        self.digests.holds(&entry.deps).then_some(entry.outcome)
    }

    /// Keep an answer (not one with an error) with the files its worker read.
    pub fn put(&self, task: &FileTask, outcome: &FileOutcome) {
        if outcome.error.is_some() || outcome.read.is_empty() {
            return;
        }
        // A primed task (`jedi::eviction`) also read every tree of its prime, evicted ones included.
        let primed = task.prime.iter().flat_map(|prime| prime.trees.iter().map(|(path, _)| path.clone()));
        let deps = self.digests.record(outcome.read.iter().cloned().chain(primed).chain([task.path.clone()]), []);
        let outcome = FileOutcome { read: Vec::new(), ..outcome.clone() };
        self.store.put(&self.key(task), &Entry { deps, outcome });
    }
}
