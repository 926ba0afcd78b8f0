//! The import-filter stage: the native filter ([`crate::import_filter`], pure Rust) for every
//! file, in parallel; files the native port cannot reproduce go to the Python port
//! (`pyhelpers/import_filter_port.py`) in the project's interpreter ([`fallback`]).
//! Used by discovery (after collection, and on the tests root before it: [`before_collection`]) and
//! by the `filter` subcommand ([`command`]).
//!
//! Input: test files and target qualified names. Output: a [`FileVerdict`] per file, in order.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ruff_python_ast::PythonVersion;

use crate::import_filter::{self, FilterOutcome};

pub mod before_collection;
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

/// `python` is the project's interpreter and `minor` its 3.x version (its grammar and limits).
#[must_use]
pub fn decide(files: &[PathBuf], targets: &BTreeSet<String>, python: &Path, minor: u8) -> Vec<FileVerdict> {
    let outcomes = import_filter::analyze_files(files, targets, PythonVersion { major: 3, minor });
    let for_fallback: Vec<&Path> = files
        .iter()
        .zip(&outcomes)
        .filter(|(_, outcome)| **outcome == FilterOutcome::NeedsPythonFallback)
        .map(|(file, _)| file.as_path())
        .collect();
    let mut answers = fallback::python_should_process(&for_fallback, targets, python).into_iter();
    outcomes
        .into_iter()
        .map(|outcome| match outcome {
            FilterOutcome::Keep => FileVerdict { keep: true, error: None, via_fallback: false },
            FilterOutcome::Drop => FileVerdict { keep: false, error: None, via_fallback: false },
            FilterOutcome::KeepWithError(message) => FileVerdict { keep: true, error: Some(message), via_fallback: false },
            FilterOutcome::NeedsPythonFallback => match answers.next().expect("one answer per fallback file") {
                Ok(keep) => FileVerdict { keep, error: None, via_fallback: true },
                Err(message) => FileVerdict { keep: true, error: Some(message), via_fallback: true },
            },
        })
        .collect()
}
