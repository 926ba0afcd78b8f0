//! The Python fallback: run `pyhelpers/import_filter_port.py` in an
//! embedded CPython for files the native filter hands back
//! ([`super::FilterOutcome::NeedsPythonFallback`]).
//!
//! Input: a path and the targets. Output: the port's answer, or the Python
//! exception it raised (`RecursionError`, `MemoryError`,
//! `UnicodeDecodeError`...) as text: the reference would have raised the
//! same and stopped, so the caller should keep the file and report it.
//!
//! Call it from a thread with a normal or large stack (not a default-size
//! rayon worker): CPython's parser and AST construction recurse in C.

use std::collections::BTreeSet;
use std::ffi::CString;
use std::path::Path;

use pyo3::prelude::*;
use pyo3::types::PyModule;

/// The port's source, embedded so the binary needs no helper files.
pub const PORT_SOURCE: &str = include_str!("../../pyhelpers/import_filter_port.py");

/// `should_process(path, targets)` of the Python port.
pub fn python_should_process(path: &Path, targets: &BTreeSet<String>) -> Result<bool, String> {
    Python::initialize();
    Python::attach(|py| {
        let code = CString::new(PORT_SOURCE).map_err(|e| e.to_string())?;
        let module = PyModule::from_code(
            py,
            &code,
            c"import_filter_port.py",
            c"codeflash_discover_import_filter_port",
        )
        .map_err(|e| e.to_string())?;
        let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
        module
            .getattr("should_process")
            .and_then(|f| f.call1((path.to_string_lossy().into_owned(), targets)))
            .and_then(|answer| answer.extract::<bool>())
            .map_err(|e| e.to_string())
    })
}
