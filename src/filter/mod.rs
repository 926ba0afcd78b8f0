//! The import-filter stage: the native filter ([`crate::import_filter`], pure Rust) for every
//! file, in parallel; files the native port cannot reproduce go to the Python port
//! (`pyhelpers/import_filter_port.py`) in this process's embedded interpreter ([`fallback`]).
//! Used by discovery and by the `filter` subcommand ([`command`]).
//!
//! Input: test files and target qualified names. Output: a [`FileVerdict`] per file, in order.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::import_filter::{self, FilterOutcome};

pub mod command;
pub mod fallback;

/// The filter's answer for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileVerdict {
    /// Send the file to the Jedi stage.
    pub keep: bool,
    /// Where the reference would have raised (non-UTF-8, RecursionError...):
    /// we keep the file and say why.
    pub error: Option<String>,
    /// The Python port gave the answer.
    pub via_fallback: bool,
}

#[must_use]
pub fn decide(files: &[PathBuf], targets: &BTreeSet<String>, python: &Path) -> Vec<FileVerdict> {
    let outcomes = import_filter::analyze_files(files, targets);
    files
        .iter()
        .zip(outcomes)
        .map(|(file, outcome)| match outcome {
            FilterOutcome::Keep => FileVerdict { keep: true, error: None, via_fallback: false },
            FilterOutcome::Drop => FileVerdict { keep: false, error: None, via_fallback: false },
            FilterOutcome::KeepWithError(message) => FileVerdict { keep: true, error: Some(message), via_fallback: false },
            // On the calling thread, not a rayon worker: CPython's parser recurses in C.
            FilterOutcome::NeedsPythonFallback => match fallback::python_should_process(file, targets, python) {
                Ok(keep) => FileVerdict { keep, error: None, via_fallback: true },
                Err(message) => FileVerdict { keep: true, error: Some(message), via_fallback: true },
            },
        })
        .collect()
}
