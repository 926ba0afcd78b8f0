//! One Jedi session: the embedded interpreter with our `jedi_worker` helper
//! loaded and initialized. Used by worker processes and by `--sequential`.
//!
//! Input: a [`JediConfig`], then [`FileTask`]s. Output: a [`FileOutcome`] per file.

use std::path::Path;

use anyhow::{anyhow, Context, Result};
use pyo3::prelude::*;
use pyo3::types::PyModule;

use crate::embed;
use crate::protocol::{FileOutcome, FileTask, JediConfig};

pub struct JediSession {
    module: Py<PyModule>,
    /// The Python version the session runs (for the ready message).
    pub python_version: String,
}

impl JediSession {
    /// Start (or reuse) this process's embedded interpreter and initialize Jedi.
    pub fn start(python: &Path, config: &JediConfig) -> Result<Self> {
        embed::initialize(python)?;
        let config_json = serde_json::to_string(config)?;
        Python::attach(|py| {
            let module = embed::load_jedi_worker(py)
                .map_err(|e| anyhow!("could not load the Jedi helper: {}", embed::describe_error(py, &e)))?;
            let ready: String = module
                .call_method1("init", (config_json,))
                .and_then(|r| r.extract())
                .map_err(|e| anyhow!("could not initialize Jedi: {}", embed::describe_error(py, &e)))?;
            tracing::debug!("embedded interpreter: {ready}");
            let ready: serde_json::Value = serde_json::from_str(&ready)?;
            Ok(JediSession {
                module: module.unbind(),
                python_version: ready["python"].as_str().unwrap_or_default().to_owned(),
            })
        })
    }

    /// Analyze one file. A Python exception becomes the file's error, never a crash.
    #[must_use]
    pub fn process(&self, task: &FileTask) -> FileOutcome {
        let request = match serde_json::to_string(task) {
            Ok(request) => request,
            Err(e) => return FileOutcome::failed(format!("internal: {e}")),
        };
        Python::attach(|py| {
            if let Err(error) = crate::fault::maybe_raise(py, &task.path) {
                return FileOutcome::failed(format!("Python raised: {}", embed::describe_error(py, &error)));
            }
            let answer = self
                .module
                .bind(py)
                .call_method1("process_file", (request,))
                .and_then(|r| r.extract::<String>());
            match answer {
                Ok(json) => serde_json::from_str(&json)
                    .context("malformed answer from the Jedi helper")
                    .unwrap_or_else(|e| FileOutcome::failed(format!("{e:#}"))),
                Err(error) => FileOutcome::failed(format!("Python raised: {}", embed::describe_error(py, &error))),
            }
        })
    }
}
