//! The import-filter stage of discovery: the native filter for every file, in
//! parallel; files the native port cannot reproduce go to the Python port
//! (`pyhelpers/import_filter_port.py`) in the embedded interpreter.
//!
//! Input: test files and target qualified names. Output: which files to keep, plus diagnostics.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};
use pyo3::prelude::*;

use crate::embed;
use crate::import_filter::{self, FilterOutcome};
use crate::pyhelpers;
use crate::report::ErrorEntry;

pub struct FilterDecision {
    pub keep: Vec<bool>,
    pub errors: Vec<ErrorEntry>,
    /// Files decided by the Python port.
    pub python_fallbacks: usize,
}

pub fn decide(files: &[PathBuf], targets: &BTreeSet<String>, python: &Path) -> Result<FilterDecision> {
    let outcomes = import_filter::analyze_files(files, targets);
    let mut decision = FilterDecision { keep: Vec::with_capacity(files.len()), errors: Vec::new(), python_fallbacks: 0 };
    for (file, outcome) in files.iter().zip(outcomes) {
        let keep = match outcome {
            FilterOutcome::Keep => true,
            FilterOutcome::Drop => false,
            FilterOutcome::KeepWithError(message) => {
                decision.errors.push(ErrorEntry::new(Some(file.to_string_lossy().into_owned()), "filter", message));
                true
            }
            FilterOutcome::NeedsPythonFallback => {
                decision.python_fallbacks += 1;
                python_port(file, targets, python)?
            }
        };
        decision.keep.push(keep);
    }
    Ok(decision)
}

/// Ask the Python port of the reference filter (in this process's embedded interpreter).
pub fn python_port(file: &Path, targets: &BTreeSet<String>, python: &Path) -> Result<bool> {
    embed::initialize(python)?;
    Python::attach(|py| {
        let module = match py.import("_cfd_import_filter_port") {
            Ok(module) => module,
            Err(_) => embed::load_helper(py, "_cfd_import_filter_port", pyhelpers::IMPORT_FILTER_PORT)
                .map_err(|e| anyhow!("could not load the filter port: {}", embed::describe_error(py, &e)))?,
        };
        let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
        module
            .call_method1("should_process", (file.to_string_lossy().into_owned(), targets))
            .and_then(|r| r.extract::<bool>())
            .map_err(|e| anyhow!("the filter port failed on {}: {}", file.display(), embed::describe_error(py, &e)))
    })
}

