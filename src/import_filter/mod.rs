//! Native import filter: decides, per test file, whether it may reference any
//! target function (codeflash's `analyze_imports_in_test_file`), so that only
//! those files go to the Jedi stage.
//!
//! Input: test file paths and the set of target qualified names.
//! Output: one [`FilterOutcome`] per file, computed in parallel, in input order.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What the filter decided for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterOutcome {
    /// Send the file to the Jedi stage.
    Keep,
    /// The file cannot reference any target.
    Drop,
    /// Keep the file, but report a diagnostic (e.g. non-UTF-8 bytes, where the
    /// reference would have crashed).
    KeepWithError(String),
    /// The Rust port cannot reproduce the reference here (e.g. the reference
    /// would hit RecursionError); ask the Python port.
    NeedsPythonFallback,
}

/// Analyze one file against the targets.
#[must_use]
pub fn analyze_file(_path: &Path, _targets: &BTreeSet<String>) -> FilterOutcome {
    FilterOutcome::NeedsPythonFallback
}

/// Analyze many files in parallel, results in input order.
#[must_use]
pub fn analyze_files(paths: &[PathBuf], targets: &BTreeSet<String>) -> Vec<FilterOutcome> {
    use rayon::prelude::*;
    paths.par_iter().map(|p| analyze_file(p, targets)).collect()
}
