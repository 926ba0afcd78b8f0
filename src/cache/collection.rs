//! The collection cache: a run whose collection inputs did not change does not start pytest (or
//! the unittest loader) at all.
//!
//! Input: the plan, the environment key, the files pytest must skip, and after a real
//! collection what its process read ([`Reads`]). Output: the [`Collection`] of an earlier run
//! whose every recorded input still holds, or nothing.
//!
//! The key: our version and helpers, the interpreter and its environment
//! ([`super::environment`]), the plan's roots, strategy and `--only-tests`, the skip list, the
//! assert mode ([`Asserts`]), and
//! the `PYTEST*` / `PYTHON*` environment variables. Recorded with the value: the content of every
//! file the collection process opened for reading and of every module it imported (test modules,
//! conftests, plugins, the packages they import, config files), and the names in every folder it
//! listed plus every folder above the tests root and the invocation folder (a new test module, a
//! new conftest or config file). Only clean collections are kept: one with an error is redone.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::digest::{Deps, Digests};
use super::store::{Key, KeyBuilder, Store};
use crate::collect::{Asserts, Collection, Reads};
use crate::model::FileTask;
use crate::project::DiscoveryPlan;
use crate::pyhelpers;

/// The store under the cache root; the suffix changes when the format does.
pub const STORE: &str = "collections-v1";

/// Files pytest (rootdir, ini file, conftests) and codeflash (`custom_addopts`) look for by name.
const CONFIG_NAMES: [&str; 6] = ["pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg", "conftest.py"];

#[derive(Serialize, Deserialize)]
struct Entry {
    deps: Deps,
    files: Vec<FileTask>,
    tests_collected: usize,
    jedi_sys_path: Option<Vec<String>>,
    pytest_rootdir: Option<String>,
}

pub struct CollectionCache<'a> {
    store: Store,
    key: Key,
    digests: &'a Digests,
}

impl<'a> CollectionCache<'a> {
    #[must_use]
    pub fn new(store: Store, environment: &Key, plan: &DiscoveryPlan, skip: &[std::path::PathBuf], asserts: Asserts, digests: &'a Digests) -> Self {
        let mut key = KeyBuilder::new(STORE);
        key.part(env!("CARGO_PKG_VERSION").as_bytes())
            .part(&environment.0)
            .part(pyhelpers::COLLECT_PYTEST.as_bytes())
            .part(pyhelpers::COLLECT_UNITTEST.as_bytes())
            .part(pyhelpers::RECORD_READS.as_bytes())
            .json(&plan.framework)
            .json(&[&plan.project_root, &plan.tests_root, &plan.invocation_dir])
            .json(&plan.only_tests)
            .json(&skip)
            .json(&asserts);
        let mut variables: Vec<(String, String)> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.to_string_lossy().into_owned())))
            .filter(|(k, _)| k.starts_with("PYTEST") || k.starts_with("PYTHON"))
            .collect();
        variables.sort();
        key.json(&variables);
        CollectionCache { store, key: key.finish(), digests }
    }

    /// The kept collection, if every file and folder it read still holds what it held.
    #[must_use]
    pub fn get(&self) -> Option<Collection> {
        let entry: Entry = self.store.get(&self.key)?;
        self.digests.holds(&entry.deps).then(|| Collection {
            files: entry.files,
            errors: Vec::new(),
            tests_collected: entry.tests_collected,
            jedi_sys_path: entry.jedi_sys_path,
            pytest_rootdir: entry.pytest_rootdir,
            reads: None,
        })
    }

    /// Keep a clean collection with what it read; `run_dir` (our own helpers and temp files) is
    /// left out. `plan` gives the folders above the tests root and the invocation folder.
    pub fn put(&self, collection: &Collection, plan: &DiscoveryPlan, run_dir: &Path) {
        let Some(reads) = &collection.reads else { return };
        if !collection.errors.is_empty() {
            return;
        }
        let deps = self.record(reads, plan, run_dir);
        let entry = Entry {
            deps,
            files: collection.files.clone(),
            tests_collected: collection.tests_collected,
            jedi_sys_path: collection.jedi_sys_path.clone(),
            pytest_rootdir: collection.pytest_rootdir.clone(),
        };
        self.store.put(&self.key, &entry);
    }

    fn record(&self, reads: &Reads, plan: &DiscoveryPlan, run_dir: &Path) -> Deps {
        let kept = |path: &&String| {
            let path = Path::new(path.as_str());
            !path.starts_with(run_dir) && !["/proc", "/dev", "/sys"].iter().any(|p| path.starts_with(p))
        };
        // pytest and codeflash look for these above the tests root and the invocation folder
        // without listing those folders: one appearing there changes the collection.
        let above = plan.tests_root.ancestors().chain(plan.invocation_dir.ancestors()).flat_map(|dir| {
            CONFIG_NAMES.iter().map(move |name| dir.join(name).to_string_lossy().into_owned())
        });
        self.digests.record(reads.files.iter().filter(kept).cloned().chain(above), reads.folders.iter().filter(kept).cloned())
    }
}
