//! The `filter` subcommand: run the import filter over files and print, for
//! each file as given, whether the reference would keep it.
//!
//! Input: target names and file paths. Output: JSON text
//! `{"<file as given>": true|false, ...}` (keys sorted). Files the native
//! filter cannot answer go to the embedded Python port; files where the
//! reference would have raised (non-UTF-8, `RecursionError`...) are kept and
//! reported on stderr.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::json;

use crate::import_filter::{analyze_files, fallback, source, trace_source, FilterOutcome};

/// Filter `files` against `targets`; JSON object of file -> keep.
pub fn run_filter(targets: &[String], files: &[PathBuf]) -> anyhow::Result<String> {
    let mut map = BTreeMap::new();
    for (file, answer) in answers(targets, files) {
        let keep = match answer.verdict {
            Verdict::Keep => true,
            Verdict::Drop => false,
            Verdict::Error(message) => {
                eprintln!("codeflash-discover filter: keeping {file}: {message}");
                true
            }
        };
        map.insert(file, keep);
    }
    Ok(serde_json::to_string(&map)?)
}

/// Like [`run_filter`], but says how each answer was reached: `"keep"`,
/// `"drop"`, `"error: ..."`, each prefixed with `"fallback:"` when the
/// Python port gave it. For the comparison script.
pub fn run_filter_detail(targets: &[String], files: &[PathBuf]) -> anyhow::Result<String> {
    let mut map = BTreeMap::new();
    for (file, answer) in answers(targets, files) {
        let text = match answer.verdict {
            Verdict::Keep => "keep".to_owned(),
            Verdict::Drop => "drop".to_owned(),
            Verdict::Error(message) => format!("error: {message}"),
        };
        let prefix = if answer.via_fallback { "fallback:" } else { "" };
        map.insert(file, format!("{prefix}{text}"));
    }
    Ok(serde_json::to_string(&map)?)
}

/// The native filter's `visit_*` calls per file, for the visit-order check:
/// `{"<file>": {"outcome": "...", "events": [["visit_Name", line, col], ...]}}`.
pub fn run_filter_trace(targets: &[String], files: &[PathBuf]) -> anyhow::Result<String> {
    let target_set: BTreeSet<String> = targets.iter().cloned().collect();
    let mut map = BTreeMap::new();
    for path in files {
        let entry = match source::read_source(path) {
            Ok(text) => {
                let (outcome, events) = trace_source(&text, &target_set);
                json!({ "outcome": format!("{outcome:?}"), "events": events })
            }
            Err(err) => json!({ "outcome": format!("{err:?}"), "events": [] }),
        };
        map.insert(path.to_string_lossy().into_owned(), entry);
    }
    Ok(serde_json::to_string(&map)?)
}

enum Verdict {
    Keep,
    Drop,
    Error(String),
}

struct Answer {
    verdict: Verdict,
    via_fallback: bool,
}

/// Native answers, with fallbacks resolved one by one on this thread.
fn answers(targets: &[String], files: &[PathBuf]) -> Vec<(String, Answer)> {
    let target_set: BTreeSet<String> = targets.iter().cloned().collect();
    let outcomes = analyze_files(files, &target_set);
    files
        .iter()
        .zip(outcomes)
        .map(|(path, outcome)| {
            let (verdict, via_fallback) = match outcome {
                FilterOutcome::Keep => (Verdict::Keep, false),
                FilterOutcome::Drop => (Verdict::Drop, false),
                FilterOutcome::KeepWithError(message) => (Verdict::Error(message), false),
                FilterOutcome::NeedsPythonFallback => {
                    let verdict = match fallback::python_should_process(path, &target_set) {
                        Ok(true) => Verdict::Keep,
                        Ok(false) => Verdict::Drop,
                        Err(message) => Verdict::Error(message),
                    };
                    (verdict, true)
                }
            };
            (path.to_string_lossy().into_owned(), Answer { verdict, via_fallback })
        })
        .collect()
}
