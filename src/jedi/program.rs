//! Which program runs a Jedi worker for the project's interpreter.
//!
//! - [`WorkerProgram::Embedded`]: `codeflash-discover-worker`, CPython embedded through pyo3,
//!   built by scripts/setup once per interpreter build. It serves an interpreter only if it was
//!   built against the very libpython that interpreter runs on (same real path): a worker built
//!   against another build of the same version cannot run it (field notes: a Debian 3.12 keeps
//!   `math` inside its executable, so a pyenv-built libpython finds no `math` module there).
//! - [`WorkerProgram::Subprocess`]: the interpreter itself runs our worker script
//!   (`pyhelpers/worker_main.py`), speaking the same protocol and forking the same way: any
//!   CPython, including those without a shared libpython.
//!
//! Built workers live in `codeflash-discover-workers/<tag>/` beside the orchestrator's executable
//! (or in `$CODEFLASH_DISCOVER_WORKERS`), each with the `worker.json` its `--describe` printed.
//!
//! Input: the probed [`Interpreter`] and `--worker`. Output: a [`WorkerProgram`].

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;
use serde::Deserialize;

use crate::cli::WorkerChoice;
use crate::error::user_error;
use crate::project::python::Interpreter;
use crate::pyhelpers;

/// Overrides where built embedded workers are looked for.
pub const WORKERS_ENV: &str = "CODEFLASH_DISCOVER_WORKERS";
/// The folder of built embedded workers, beside the orchestrator's executable.
pub const WORKERS_DIR: &str = "codeflash-discover-workers";
/// The embedded worker's executable in its folder.
pub const WORKER_EXE: &str = "codeflash-discover-worker";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerProgram {
    /// `exe --python python`: an embedded worker built for `python`'s libpython.
    Embedded { exe: PathBuf, python: PathBuf },
    /// `python -c worker_main.py jedi_worker.py parso_cache.py [--no-fork]`.
    Subprocess { python: PathBuf, fork: bool },
}

impl WorkerProgram {
    /// The command that starts one worker (the pool adds pipes, environment and process hygiene).
    #[must_use]
    pub fn command(&self) -> Command {
        match self {
            WorkerProgram::Embedded { exe, python } => {
                let mut command = Command::new(exe);
                command.arg("--python").arg(python);
                command
            }
            WorkerProgram::Subprocess { python, fork } => {
                let mut command = Command::new(python);
                command.arg("-c").arg(pyhelpers::WORKER_MAIN).arg(pyhelpers::JEDI_WORKER).arg(pyhelpers::PARSO_CACHE);
                if !fork {
                    command.arg("--no-fork");
                }
                command
            }
        }
    }

    /// Are its workers forked from one warm process (`pool::WarmProcess`)? The embedded
    /// program's are; the subprocess program's workers are started one by one.
    #[must_use]
    pub fn forks_workers(&self) -> bool {
        matches!(self, WorkerProgram::Embedded { .. })
    }

    /// The same interpreter, files analyzed in the worker itself, in order (the pool's
    /// fallback after repeated crashes: no fork, and no embedding).
    #[must_use]
    pub fn without_fork(&self) -> WorkerProgram {
        match self {
            WorkerProgram::Embedded { python, .. } | WorkerProgram::Subprocess { python, .. } => {
                WorkerProgram::Subprocess { python: python.clone(), fork: false }
            }
        }
    }

    /// "embedded" or "subprocess", for `--stats`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            WorkerProgram::Embedded { .. } => "embedded",
            WorkerProgram::Subprocess { .. } => "subprocess",
        }
    }
}

/// One embedded worker that scripts/setup built.
#[derive(Debug, Clone)]
pub struct BuiltWorker {
    pub exe: PathBuf,
    /// Major.minor it embeds.
    pub python: String,
    /// The real path of the libpython it was built against.
    pub libpython: PathBuf,
}

#[derive(Deserialize)]
struct Manifest {
    python: String,
    libpython: String,
}

/// Where built embedded workers are looked for.
#[must_use]
pub fn workers_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(WORKERS_ENV) {
        return Some(PathBuf::from(dir));
    }
    Some(std::env::current_exe().ok()?.parent()?.join(WORKERS_DIR))
}

/// Every built embedded worker with a readable manifest, by folder name.
#[must_use]
pub fn built_workers(dir: &Path) -> Vec<BuiltWorker> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut folders: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    folders.sort();
    folders
        .into_iter()
        .filter_map(|folder| {
            let exe = folder.join(WORKER_EXE);
            let manifest: Manifest = serde_json::from_slice(&std::fs::read(folder.join("worker.json")).ok()?).ok()?;
            let libpython = std::fs::canonicalize(&manifest.libpython).ok()?;
            exe.is_file().then_some(BuiltWorker { exe, python: manifest.python, libpython })
        })
        .collect()
}

/// Choose the worker program for `interpreter` under `--worker`.
pub fn choose(interpreter: &Interpreter, choice: WorkerChoice) -> Result<WorkerProgram> {
    let built = workers_dir().map(|dir| built_workers(&dir)).unwrap_or_default();
    choose_among(interpreter, choice, &built)
}

fn choose_among(interpreter: &Interpreter, choice: WorkerChoice, built: &[BuiltWorker]) -> Result<WorkerProgram> {
    let matching = interpreter.libpython.as_ref().and_then(|lib| built.iter().find(|w| &w.libpython == lib));
    let subprocess = WorkerProgram::Subprocess { python: interpreter.path.clone(), fork: true };
    match (choice, matching) {
        (WorkerChoice::Subprocess, _) => Ok(subprocess),
        (WorkerChoice::Auto | WorkerChoice::Embedded, Some(worker)) => {
            Ok(WorkerProgram::Embedded { exe: worker.exe.clone(), python: interpreter.path.clone() })
        }
        (WorkerChoice::Embedded, None) => Err(user_error!("{}; or pass --worker subprocess", no_worker_line(interpreter, built))),
        (WorkerChoice::Auto, None) => {
            // An interpreter without a shared libpython is expected to use the subprocess worker;
            // one with a shared libpython that no build serves is worth one line.
            if interpreter.libpython.is_some() {
                tracing::warn!("{}; using the subprocess worker (the same answers)", no_worker_line(interpreter, built));
            }
            Ok(subprocess)
        }
    }
}

/// One line: which interpreter has no embedded worker, which ones this build serves, how to add one.
fn no_worker_line(interpreter: &Interpreter, built: &[BuiltWorker]) -> String {
    let what = match &interpreter.libpython {
        Some(lib) => format!("Python {} on {}", interpreter.version, lib.display()),
        None => format!("Python {} without a shared libpython, which cannot be embedded", interpreter.version),
    };
    let serves = if built.is_empty() {
        "none".to_owned()
    } else {
        built.iter().map(|w| format!("{} ({})", w.python, w.libpython.display())).collect::<Vec<_>>().join(", ")
    };
    format!(
        "no embedded Jedi worker serves {} ({what}); this build serves: {serves}; add one with `scripts/setup --python {}`",
        interpreter.path.display(),
        interpreter.path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interpreter(lib: Option<&str>) -> Interpreter {
        Interpreter { path: PathBuf::from("/venv/bin/python"), version: "3.12.1".into(), minor: 12, libpython: lib.map(PathBuf::from), build: String::new(), sys_path: Vec::new() }
    }

    fn built() -> Vec<BuiltWorker> {
        vec![BuiltWorker { exe: "/w/cp312/codeflash-discover-worker".into(), python: "3.12".into(), libpython: "/py312/lib/libpython3.12.so.1.0".into() }]
    }

    #[test]
    fn the_worker_built_for_the_same_libpython_is_chosen() {
        let program = choose_among(&interpreter(Some("/py312/lib/libpython3.12.so.1.0")), WorkerChoice::Auto, &built()).unwrap();
        assert_eq!(program, WorkerProgram::Embedded { exe: "/w/cp312/codeflash-discover-worker".into(), python: "/venv/bin/python".into() });
    }

    #[test]
    fn another_build_of_the_same_version_gets_the_subprocess_worker() {
        let program = choose_among(&interpreter(Some("/usr/lib/libpython3.12.so.1.0")), WorkerChoice::Auto, &built()).unwrap();
        assert_eq!(program, WorkerProgram::Subprocess { python: "/venv/bin/python".into(), fork: true });
    }

    #[test]
    fn no_shared_libpython_gets_the_subprocess_worker_or_one_line() {
        let program = choose_among(&interpreter(None), WorkerChoice::Auto, &built()).unwrap();
        assert_eq!(program.kind(), "subprocess");
        let error = choose_among(&interpreter(None), WorkerChoice::Embedded, &built()).unwrap_err().to_string();
        assert!(!error.contains('\n'), "{error}");
        assert!(error.contains("without a shared libpython") && error.contains("3.12 (/py312/lib/libpython3.12.so.1.0)"), "{error}");
        assert!(error.contains("scripts/setup --python /venv/bin/python"), "{error}");
    }

    #[test]
    fn subprocess_is_chosen_when_asked_and_fallback_never_forks() {
        let lib = Some("/py312/lib/libpython3.12.so.1.0");
        let program = choose_among(&interpreter(lib), WorkerChoice::Subprocess, &built()).unwrap();
        assert_eq!(program.kind(), "subprocess");
        let embedded = choose_among(&interpreter(lib), WorkerChoice::Auto, &built()).unwrap();
        assert_eq!(embedded.without_fork(), WorkerProgram::Subprocess { python: "/venv/bin/python".into(), fork: false });
    }
}
