//! One Jedi session: the embedded interpreter with our `jedi_worker` helper
//! loaded and initialized, in the embedded worker process.
//!
//! The warm process builds it once; each worker (a copy of the warm process, `super`) analyzes
//! each file in a child forked from it ([`JediSession::process_forked`]): every file starts from
//! the very same interpreter state, whatever ran before it and in whichever worker, and
//! allocates its objects from its own deterministic heap (`layout`), so Jedi's
//! identity-hashed sets iterate the same way every time without patching Jedi,
//! whatever the warm session holds. A child that crashes costs only its file.
//!
//! Input: a [`JediConfig`], then [`FileTask`]s. Output: a [`FileOutcome`] per file.

use std::io::Read;
use std::os::fd::FromRawFd;
use std::path::Path;

use anyhow::{anyhow, Context, Result};
use pyo3::prelude::*;
use pyo3::types::PyModule;

use crate::embed;
use crate::jedi::protocol::JediConfig;
use crate::model::{FileOutcome, FileTask, Prime};
use crate::pyhelpers;
use crate::process::fault;

use super::zygote::{self, Zygote};

pub struct JediSession {
    module: Py<PyModule>,
    /// The Python version the session runs (for the ready message).
    pub python_version: String,
    /// Where each child's Jedi compiled subprocess comes from (`None`: Jedi starts it).
    zygote: Option<Zygote>,
    /// How Jedi starts its compiled subprocess here (`init`'s `compiled`), for [`Self::start_zygote`].
    compiled: serde_json::Value,
    /// The parse-tree store, where a primed child loads the reference's trees from (Rust only:
    /// the interpreter's state is not touched).
    tree_cache: Option<String>,
}

impl JediSession {
    /// Start (or reuse) this process's embedded interpreter and initialize Jedi (no zygote yet).
    pub fn start(python: &Path, config: &JediConfig) -> Result<Self> {
        embed::initialize(python)?;
        let config_json = serde_json::to_string(config)?;
        Python::attach(|py| {
            let module = embed::load_jedi_worker(py)
                .map_err(|e| anyhow!("could not load the Jedi helper: {}", embed::describe_error(py, &e)))?;
            let ready: String = module
                .call_method1("init", (config_json,))
                .and_then(|r| r.extract())
                .map_err(|e| anyhow!("could not initialize Jedi: {}", embed::describe_error(py, &e)))?;
            tracing::debug!("embedded interpreter: {ready}");
            let ready: serde_json::Value = serde_json::from_str(&ready)?;
            Ok(JediSession {
                module: module.unbind(),
                python_version: ready["python"].as_str().unwrap_or_default().to_owned(),
                zygote: None,
                compiled: ready["compiled"].clone(),
                tree_cache: config.tree_cache.clone(),
            })
        })
    }

    /// Start the zygote this session's children get Jedi's compiled subprocess from (in a worker
    /// forked from the warm process, before its first file: each worker has its own, so two
    /// workers' requests never mix). Rust only: the interpreter's state is not touched.
    pub fn start_zygote(&mut self) {
        self.zygote = start_zygote(&self.compiled);
    }

    /// Do this session's children get their compiled subprocess from a zygote?
    #[must_use]
    pub fn has_zygote(&self) -> bool {
        self.zygote.is_some()
    }

    fn process_attached(&self, py: Python<'_>, task: &FileTask) -> FileOutcome {
        let request = match serde_json::to_string(task) {
            Ok(request) => request,
            Err(e) => return FileOutcome::failed(format!("internal: {e}")),
        };
        if let Err(error) = fault::maybe_raise(py, &task.path) {
            return FileOutcome::failed(format!("Python raised: {}", embed::describe_error(py, &error)));
        }
        let answer = self
            .module
            .bind(py)
            .call_method1("process_file", (request,))
            .and_then(|r| r.extract::<String>());
        match answer {
            Ok(json) => serde_json::from_str(&json)
                .context("malformed answer from the Jedi helper")
                .unwrap_or_else(|e| FileOutcome::failed(format!("{e:#}"))),
            Err(error) => FileOutcome::failed(format!("Python raised: {}", embed::describe_error(py, &error))),
        }
    }
}

/// The zygote for how Jedi starts its compiled subprocess here (`init`'s `compiled`), unless
/// Jedi runs none, the zygote is turned off, or it does not start (Jedi then starts its own).
fn start_zygote(compiled: &serde_json::Value) -> Option<Zygote> {
    if compiled.is_null() || zygote::disabled() {
        return None;
    }
    let start = serde_json::from_value(compiled.clone())
        .map_err(anyhow::Error::from)
        .and_then(Zygote::start);
    start.inspect_err(|error| tracing::warn!("Jedi's compiled subprocess is started per file: {error:#}")).ok()
}

/// How a forked child ended when it gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildDied(pub String);

impl JediSession {
    /// Analyze one file in a child forked from this (warm, idle) session.
    ///
    /// The parent does nothing in Python between two forks, so every child
    /// starts from the same interpreter state. The child writes its answer
    /// to a pipe and leaves with `_exit` (no finalization, no atexit).
    pub fn process_forked(&self, task: &FileTask) -> Result<FileOutcome, ChildDied> {
        let mut fds = [0; 2];
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return Err(ChildDied(format!("cannot create a pipe: {}", std::io::Error::last_os_error())));
        }
        let (read_fd, write_fd) = (fds[0], fds[1]);
        let pid = Python::attach(|py| unsafe {
            pyo3::ffi::PyOS_BeforeFork();
            let pid = libc::fork();
            if pid == 0 {
                pyo3::ffi::PyOS_AfterFork_Child();
                libc::close(read_fd);
                self.child_main(py, task, write_fd)
            }
            pyo3::ffi::PyOS_AfterFork_Parent();
            pid
        });
        unsafe { libc::close(write_fd) };
        if pid < 0 {
            unsafe { libc::close(read_fd) };
            return Err(ChildDied(format!("cannot fork: {}", std::io::Error::last_os_error())));
        }
        let mut answer = Vec::new();
        let mut pipe = unsafe { std::fs::File::from_raw_fd(read_fd) };
        let read = pipe.read_to_end(&mut answer);
        drop(pipe);
        let status = wait_for(pid);
        match (status, read) {
            (Ok(0), Ok(_)) => serde_json::from_slice(&answer)
                .map_err(|e| ChildDied(format!("sent a malformed answer ({e})"))),
            (Ok(code), _) => Err(ChildDied(format!("exited with code {code}"))),
            (Err(signal), _) => Err(ChildDied(format!("killed by signal {signal} ({})", signal_name(signal)))),
        }
    }

    /// The file analysed from the reference's parso cache (`jedi::eviction`), with the cache it
    /// leaves. Only in a child: nothing of `parso_cache.py` runs in the warm session.
    fn process_primed(&self, py: Python<'_>, task: &FileTask, prime: &Prime) -> FileOutcome {
        let primed = serde_json::to_string(prime).map_err(|e| e.to_string()).and_then(|prime| {
            let helper = embed::load_helper(py, PARSO_CACHE_MODULE, pyhelpers::PARSO_CACHE).map_err(|e| embed::describe_error(py, &e))?;
            helper.call_method1("prime", (prime, self.module.bind(py), self.tree_cache.as_deref())).map_err(|e| embed::describe_error(py, &e))?;
            Ok(helper)
        });
        let helper = match primed {
            Ok(helper) => helper,
            Err(error) => return FileOutcome::failed(format!("could not prime parso's cache: {error}")),
        };
        let mut outcome = self.process_attached(py, task);
        outcome.trees_after = helper.call_method0("trees_after").and_then(|trees| trees.extract()).ok();
        outcome
    }

    /// The forked child: analyze, write the answer, `_exit`. Never returns.
    fn child_main(&self, py: Python<'_>, task: &FileTask, write_fd: i32) -> ! {
        // A tree used after this was a cache hit of this file (`tree_report`); read before any Python.
        let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
        #[cfg(target_os = "linux")]
        unsafe {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        }
        fault::maybe_fail_process(&task.path);
        if std::env::var_os(INHERITED_HEAP_ENV).is_none() {
            own_heap(py);
        }
        if let Some(zygote) = &self.zygote {
            if fault::wanted(&task.path, "kill-zygote") {
                zygote.kill_for_fault();
            }
            if let Err(error) = zygote.attach(py) {
                tracing::debug!("forked child: no zygote ({})", embed::describe_error(py, &error));
            }
        }
        let mut outcome = match &task.prime {
            Some(prime) => self.process_primed(py, task, prime),
            None => self.process_attached(py, task),
        };
        (outcome.read, outcome.hits) = tree_report(py, started);
        let mut out = unsafe { std::fs::File::from_raw_fd(write_fd) };
        let written = serde_json::to_writer(&mut out, &outcome).is_ok();
        drop(out);
        unsafe { libc::_exit(if written { 0 } else { 3 }) }
    }
}


const PARSO_CACHE_MODULE: &str = "_cfd_parso_cache";

/// Every file parso holds a tree of in this child (the warm set and what Jedi read for the file),
/// and those used since `started` (the file's cache hits), sorted: the answer cache's dependencies
/// (`cache::answers`) and the file's step in the model of the reference's parso cache
/// (`jedi::eviction`). Asked after the answer is complete, by code loaded in the child only: the
/// warm session's memory, which the answers at Jedi-ambiguous sites depend on, is not touched.
/// Empty if it fails (the answer is then not kept).
fn tree_report(py: Python<'_>, started: f64) -> (Vec<String>, Vec<String>) {
    let report = embed::load_helper(py, PARSO_CACHE_MODULE, pyhelpers::PARSO_CACHE).and_then(|helper| helper.call_method1("tree_report", (started,)));
    let field = |name: &str| report.as_ref().ok().and_then(|r| r.get_item(name).ok()).and_then(|v| v.extract().ok());
    match (field("read"), field("hits")) {
        (Some(read), Some(hits)) => (read, hits),
        _ => (Vec::new(), Vec::new()),
    }
}

/// Diagnostics only: children keep the heap inherited from the warm session (the layout before
/// `layout`; answers at Jedi-ambiguous sites then depend on the warm state).
pub const INHERITED_HEAP_ENV: &str = "CODEFLASH_DISCOVER_INHERITED_HEAP";

/// The child's own heap ([`super::layout`]): the collector's generations frozen and its counts
/// reset, then the object domain hooked. `gc.freeze()` alone resets the youngest generation's
/// count but keeps the count of objects that survived the warm session's last full collection,
/// which decides when the child's first full collection runs: with it, an empty module in an
/// unrelated folder, or a tree store of another path length, moved picks at Jedi-ambiguous sites
/// (`tests/child_heap.rs`). A full collection right after the freeze finds no object to examine
/// and sets every count, that one included, to zero. Where the fixed region cannot be mapped the
/// child keeps the inherited heap: its answer is still Jedi's, only no longer independent of the
/// warm state.
fn own_heap(py: Python<'_>) {
    let frozen = py
        .import("gc")
        .and_then(|gc| {
            gc.call_method0("freeze")?;
            gc.call_method0("collect")
        })
        .is_ok();
    // SAFETY: the forked child is single-threaded and holds the GIL.
    let hooked = frozen && unsafe { super::layout::install() };
    if !hooked {
        tracing::debug!("forked child: the inherited heap is kept");
    }
}

/// Reap `pid`: `Ok(exit code)`, or `Err(signal)` when a signal ended it.
fn wait_for(pid: libc::pid_t) -> Result<i32, i32> {
    let mut status = 0;
    loop {
        let got = unsafe { libc::waitpid(pid, &raw mut status, 0) };
        if got == pid {
            break;
        }
        if got < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return Ok(-1);
        }
    }
    if libc::WIFSIGNALED(status) {
        Err(libc::WTERMSIG(status))
    } else {
        Ok(libc::WEXITSTATUS(status))
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGABRT => "SIGABRT",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGKILL => "SIGKILL",
        libc::SIGBUS => "SIGBUS",
        libc::SIGTERM => "SIGTERM",
        _ => "signal",
    }
}
