//! `codeflash-discover filter`: the import filter alone, for scripts and the
//! parity comparison. Prints `{"<file as given>": true|false}`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use anyhow::Result;

use crate::cli::FilterArgs;
use crate::filter_stage;
use crate::python_env;

pub fn run(args: &FilterArgs) -> Result<()> {
    let python = python_env::choose_interpreter(args.python.as_deref());
    println!("{}", run_filter(&args.targets, &args.files, &python)?);
    Ok(())
}

/// The JSON answer for `files` against `targets`.
pub fn run_filter(targets: &[String], files: &[PathBuf], python: &std::path::Path) -> Result<String> {
    let targets: BTreeSet<String> = targets.iter().cloned().collect();
    let decision = filter_stage::decide(files, &targets, python)?;
    for error in &decision.errors {
        eprintln!("codeflash-discover: {}: {}", error.file.as_deref().unwrap_or("-"), error.message);
    }
    let answer: BTreeMap<String, bool> =
        files.iter().map(|f| f.to_string_lossy().into_owned()).zip(decision.keep).collect();
    Ok(serde_json::to_string(&answer)?)
}
