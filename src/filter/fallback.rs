//! The Python fallback: run `pyhelpers/import_filter_port.py` in an
//! embedded CPython for files the native filter hands back
//! ([`crate::import_filter::FilterOutcome::NeedsPythonFallback`]).
//!
//! Input: a path and the targets. Output: the port's answer, or the Python
//! exception it raised (`RecursionError`, `MemoryError`,
//! `UnicodeDecodeError`...) as text: the reference would have raised the
//! same and stopped, so the caller should keep the file and report it.
//!
//! Call it from a thread with a normal or large stack (not a default-size
//! rayon worker): CPython's parser and AST construction recurse in C.

use std::collections::BTreeSet;
use std::path::Path;

use pyo3::prelude::*;

use crate::embed;
use crate::pyhelpers;

/// `should_process(path, targets)` of the Python port, in this process's
/// embedded interpreter (started as `python`, like the workers).
pub fn python_should_process(path: &Path, targets: &BTreeSet<String>, python: &Path) -> Result<bool, String> {
    embed::initialize(python).map_err(|e| format!("{e:#}"))?;
    Python::attach(|py| {
        let module = match py.import("_cfd_import_filter_port") {
            Ok(module) => module,
            Err(_) => embed::load_helper(py, "_cfd_import_filter_port", pyhelpers::IMPORT_FILTER_PORT).map_err(|e| e.to_string())?,
        };
        let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
        module
            .getattr("should_process")
            .and_then(|f| f.call1((path.to_string_lossy().into_owned(), targets)))
            .and_then(|answer| answer.extract::<bool>())
            .map_err(|e| e.to_string())
    })
}
