//! The `filter` subcommand: run the import filter over files and print, for
//! each file as given, whether the reference would keep it.
//!
//! Input: target names and file paths. Output: JSON text
//! `{"<file as given>": true|false, ...}` (keys sorted). Files the native
//! filter cannot answer go to the embedded Python port; files where the
//! reference would have raised (non-UTF-8, RecursionError...) are kept and
//! reported on stderr.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::import_filter::{analyze_files, fallback, FilterOutcome};

/// Filter `files` against `targets`; JSON object of file -> keep.
pub fn run_filter(targets: &[String], files: &[PathBuf]) -> anyhow::Result<String> {
    let answers = filter_detailed(targets, files);
    let map: BTreeMap<String, bool> = answers
        .into_iter()
        .map(|(file, answer)| {
            let keep = match answer {
                Answer::Keep => true,
                Answer::Drop => false,
                Answer::Error(message) => {
                    eprintln!("codeflash-discover filter: keeping {file}: {message}");
                    true
                }
            };
            (file, keep)
        })
        .collect();
    Ok(serde_json::to_string(&map)?)
}

/// Like [`run_filter`], but says how each answer was reached:
/// `"keep"`, `"drop"`, `"error: ..."` (native), or `"fallback:keep"`,
/// `"fallback:drop"`, `"fallback:error: ..."` (Python port). For the
/// comparison script.
pub fn run_filter_detail(targets: &[String], files: &[PathBuf]) -> anyhow::Result<String> {
    let target_set: BTreeSet<String> = targets.iter().cloned().collect();
    let outcomes = analyze_files(files, &target_set);
    let mut map = BTreeMap::new();
    for (path, outcome) in files.iter().zip(outcomes) {
        let text = match outcome {
            FilterOutcome::Keep => "keep".to_owned(),
            FilterOutcome::Drop => "drop".to_owned(),
            FilterOutcome::KeepWithError(message) => format!("error: {message}"),
            FilterOutcome::NeedsPythonFallback => {
                match fallback::python_should_process(path, &target_set) {
                    Ok(true) => "fallback:keep".to_owned(),
                    Ok(false) => "fallback:drop".to_owned(),
                    Err(message) => format!("fallback:error: {message}"),
                }
            }
        };
        map.insert(path.to_string_lossy().into_owned(), text);
    }
    Ok(serde_json::to_string(&map)?)
}

enum Answer {
    Keep,
    Drop,
    Error(String),
}

fn filter_detailed(targets: &[String], files: &[PathBuf]) -> Vec<(String, Answer)> {
    let target_set: BTreeSet<String> = targets.iter().cloned().collect();
    let outcomes = analyze_files(files, &target_set);
    files
        .iter()
        .zip(outcomes)
        .map(|(path, outcome)| {
            let answer = match outcome {
                FilterOutcome::Keep => Answer::Keep,
                FilterOutcome::Drop => Answer::Drop,
                FilterOutcome::KeepWithError(message) => Answer::Error(message),
                FilterOutcome::NeedsPythonFallback => {
                    match fallback::python_should_process(path, &target_set) {
                        Ok(true) => Answer::Keep,
                        Ok(false) => Answer::Drop,
                        Err(message) => Answer::Error(message),
                    }
                }
            };
            (path.to_string_lossy().into_owned(), answer)
        })
        .collect()
}
