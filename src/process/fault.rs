//! Test-only fault injection, so the pool's recovery paths can be tested for
//! real: `CODEFLASH_DISCOVER_FAULT="KIND:SUBSTRING[;KIND:SUBSTRING...]"` makes the
//! Jedi stage misbehave on any file whose path contains SUBSTRING (the process-level
//! kinds strike the child a worker forks for that file).
//!
//! KIND: `abort` (SIGABRT), `segv` (a write through a null pointer), `exit` (exits at once, like
//! `os._exit`), `hang` (sleeps forever), `raise` (the file's Python raises),
//! `kill-zygote` (the child kills its worker's zygote first: Jedi must then start its compiled
//! subprocess itself, `jedi::embedded::zygote`), and `abort-once` (aborts only the first time; needs
//! `CODEFLASH_DISCOVER_FAULT_STATE=DIR` to remember), `kill-warm-once` (the child kills the warm
//! process its worker was forked from, the first time; same variable). Unset: no effect.
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
            "abort-once" if first_time("abort-once", path) => std::process::abort(),
            "kill-warm-once" if first_time("kill-warm-once", path) => kill_warm_process(),
            _ => {}
        }
    }
}

/// True the first time `kind` strikes `path` (`CODEFLASH_DISCOVER_FAULT_STATE` remembers).
fn first_time(kind: &str, path: &str) -> bool {
    let Ok(dir) = std::env::var(FAULT_STATE_ENV) else { return false };
    let marker = std::path::Path::new(&dir).join(format!("{kind}-{}", path.replace('/', "_")));
    std::fs::OpenOptions::new().write(true).create_new(true).open(&marker).is_ok()
}

/// From a file's child: SIGKILL the warm process its worker was forked from (the worker's
/// parent), then wait to die with it (the worker and this child follow through
/// `PR_SET_PDEATHSIG`).
fn kill_warm_process() {
    let worker = unsafe { libc::getppid() };
    let warm = std::fs::read_to_string(format!("/proc/{worker}/stat"))
        .ok()
        .and_then(|stat| stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse::<i32>().ok());
    if let Some(warm) = warm.filter(|&pid| pid > 1) {
        unsafe { libc::kill(warm, libc::SIGKILL) };
    }
    std::thread::sleep(std::time::Duration::from_secs(5));
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
