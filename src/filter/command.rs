//! The `filter` subcommand: run the import filter over files and print, for
//! each file as given, whether the reference would keep it.
//!
//! Input: target names and file paths. Output: JSON text
//! `{"<file as given>": true|false, ...}` (keys sorted). Files the native
//! filter cannot answer go to the Python port in `--python`; files where the
//! reference would have raised (non-UTF-8, `RecursionError`...) are kept and
//! reported on stderr.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::cli::FilterArgs;
use crate::filter::{self, FileVerdict};
use crate::import_filter::{source, trace_source};
use crate::project::python;

/// The subcommand: print the JSON answer (`--detail` / `--trace` for the comparison scripts).
pub fn run(args: &FilterArgs) -> anyhow::Result<()> {
    let python = python::choose_interpreter(args.python.as_deref());
    let json = if args.trace {
        run_filter_trace(&args.targets, &args.files)?
    } else {
        let minor = python::minor_version(&python).unwrap_or(11);
        if args.detail {
            run_filter_detail(&args.targets, &args.files, &python, minor)?
        } else {
            run_filter(&args.targets, &args.files, &python, minor)?
        }
    };
    println!("{json}");
    Ok(())
}

/// Filter `files` against `targets`; JSON object of file -> keep.
pub fn run_filter(targets: &[String], files: &[PathBuf], python: &Path, minor: u8) -> anyhow::Result<String> {
    let map: BTreeMap<String, bool> = answers(targets, files, python, minor)
        .map(|(file, verdict)| {
            if let Some(message) = &verdict.error {
                eprintln!("codeflash-discover filter: keeping {file}: {message}");
            }
            (file, verdict.keep)
        })
        .collect();
    Ok(serde_json::to_string(&map)?)
}

/// Like [`run_filter`], but says how each answer was reached: `"keep"`,
/// `"drop"`, `"error: ..."`, each prefixed with `"fallback:"` when the
/// Python port gave it. For the comparison script.
pub fn run_filter_detail(targets: &[String], files: &[PathBuf], python: &Path, minor: u8) -> anyhow::Result<String> {
    let map: BTreeMap<String, String> = answers(targets, files, python, minor)
        .map(|(file, verdict)| {
            let text = match (&verdict.error, verdict.keep) {
                (Some(message), _) => format!("error: {message}"),
                (None, true) => "keep".to_owned(),
                (None, false) => "drop".to_owned(),
            };
            let prefix = if verdict.via_fallback { "fallback:" } else { "" };
            (file, format!("{prefix}{text}"))
        })
        .collect();
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

fn answers<'a>(targets: &[String], files: &'a [PathBuf], python: &Path, minor: u8) -> impl Iterator<Item = (String, FileVerdict)> + 'a {
    let target_set: BTreeSet<String> = targets.iter().cloned().collect();
    let verdicts = filter::decide(files, &target_set, python, minor);
    files.iter().map(|path| path.to_string_lossy().into_owned()).zip(verdicts)
}
