//! Test-only fault injection, so the pool's recovery paths can be tested for
//! real: `CODEFLASH_DISCOVER_FAULT="KIND:SUBSTRING[;KIND:SUBSTRING...]"` makes the
//! Jedi stage misbehave on any file whose path contains SUBSTRING (the process-level
//! kinds strike the child a worker forks for that file).
//!
//! KIND: `abort` (SIGABRT), `segv` (a write through a null pointer), `exit` (exits at once, like
//! `os._exit`), `hang` (sleeps forever), `raise` (the file's Python raises),
//! `kill-zygote` (the child kills its worker's zygote first: Jedi must then start its compiled
//! subprocess itself, `jedi::embedded::zygote`), and `abort-once` (aborts only the first time; needs
//! `CODEFLASH_DISCOVER_FAULT_STATE=DIR` to remember). Unset: no effect.
//! The subprocess worker (pyhelpers/worker_main.py) reads the same variables.

#[cfg(feature = "embed")]
use pyo3::prelude::*;

pub const FAULT_ENV: &str = "CODEFLASH_DISCOVER_FAULT";
pub const FAULT_STATE_ENV: &str = "CODEFLASH_DISCOVER_FAULT_STATE";

fn faults_for(path: &str) -> Vec<String> {
    let Ok(spec) = std::env::var(FAULT_ENV) else { return Vec::new() };
    spec.split(';')
        .filter_map(|rule| rule.split_once(':'))
        .filter(|(_, needle)| !needle.is_empty() && path.contains(needle))
        .map(|(kind, _)| kind.to_owned())
        .collect()
}

/// Process-level faults: called by a worker before it analyzes `path`.
pub fn maybe_fail_process(path: &str) {
    for kind in faults_for(path) {
        match kind.as_str() {
            "abort" => std::process::abort(),
            // A real invalid write, not raise(): Rust's own SIGSEGV handler ignores raised signals.
            "segv" => unsafe { std::ptr::null_mut::<u8>().write_volatile(1) },
            "exit" => unsafe { libc::_exit(17) },
            "hang" => loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            },
            "abort-once" => {
                if let Ok(dir) = std::env::var(FAULT_STATE_ENV) {
                    let marker = std::path::Path::new(&dir).join(format!("abort-once-{}", path.replace('/', "_")));
                    if std::fs::OpenOptions::new().write(true).create_new(true).open(&marker).is_ok() {
                        std::process::abort();
                    }
                }
            }
            _ => {}
        }
    }
}

/// Is fault `kind` asked for `path`? (For the kinds a caller carries out itself.)
#[must_use]
pub fn wanted(path: &str, kind: &str) -> bool {
    faults_for(path).iter().any(|k| k == kind)
}

/// Python-level fault: the file's analysis raises.
#[cfg(feature = "embed")]
pub fn maybe_raise(_py: Python<'_>, path: &str) -> PyResult<()> {
    if faults_for(path).iter().any(|kind| kind == "raise") {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(format!("injected fault for {path}")));
    }
    Ok(())
}
