//! The Python fallback: run `pyhelpers/import_filter_port.py` in the project's interpreter (one
//! subprocess for all such files) for files the native filter hands back
//! ([`crate::import_filter::FilterOutcome::NeedsPythonFallback`]): deep nesting, and, for a
//! target other than CPython 3.11, anything near that version's own parser limits.
//!
//! Input: paths, the targets and the interpreter. Output: per path, the port's answer, or the
//! Python exception it raised (`RecursionError`, `MemoryError`, `UnicodeDecodeError`...) as
//! text: the reference would have raised the same and stopped, so the caller keeps the file and
//! reports it. If the interpreter itself fails, every file gets that failure as its error.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

use crate::process::cleanup;
use crate::pyhelpers;

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Answer {
    Keep(bool),
    Error(String),
}

/// `should_process(path, targets)` of the Python port for each path, in order.
#[must_use]
pub fn python_should_process(paths: &[&Path], targets: &BTreeSet<String>, python: &Path) -> Vec<Result<bool, String>> {
    if paths.is_empty() {
        return Vec::new();
    }
    match run_port(paths, targets, python) {
        Ok(answers) if answers.len() == paths.len() => answers
            .into_iter()
            .map(|answer| match answer {
                Answer::Keep(keep) => Ok(keep),
                Answer::Error(message) => Err(message),
            })
            .collect(),
        Ok(_) => paths.iter().map(|_| Err("the Python fallback of the import filter gave a wrong number of answers".to_owned())).collect(),
        Err(message) => paths.iter().map(|_| Err(message.clone())).collect(),
    }
}

fn run_port(paths: &[&Path], targets: &BTreeSet<String>, python: &Path) -> Result<Vec<Answer>, String> {
    let request = serde_json::json!({
        "targets": targets.iter().collect::<Vec<_>>(),
        "files": paths.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>(),
    });
    let program = format!("{}\n{}", pyhelpers::IMPORT_FILTER_PORT, pyhelpers::FILTER_FALLBACK);
    let mut command = Command::new(python);
    command.arg("-c").arg(program);
    let output = cleanup::run_to_completion(&mut command, Some(request.to_string().as_bytes()))
        .map_err(|e| format!("cannot run {} for the import filter's fallback: {e}", python.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("the import filter's fallback in {} failed ({}): {}", python.display(), output.status, stderr.trim()));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("malformed answer from the import filter's fallback: {e}"))
}
