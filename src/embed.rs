//! The embedded CPython: started *as* the target interpreter, so that its
//! `sys.executable`, `sys.prefix` and `sys.path` are the project venv's and
//! Jedi picks the same environment a plain `python` of that venv would.
//!
//! Input: the target interpreter's path. Output: an initialized interpreter
//! (GIL released) and our Python helpers loaded as modules.

use std::ffi::CString;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{anyhow, bail, Context, Result};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyModule;

use crate::pyhelpers;

static INITIALIZED: OnceLock<Result<(), String>> = OnceLock::new();

/// Start the interpreter once per process, as `python` (its program name).
pub fn initialize(python: &Path) -> Result<()> {
    INITIALIZED
        .get_or_init(|| unsafe { initialize_as(python) }.map_err(|e| format!("{e:#}")))
        .clone()
        .map_err(|e| anyhow!(e))
}

unsafe fn initialize_as(python: &Path) -> Result<()> {
    let program = CString::new(python.as_os_str().as_encoded_bytes())
        .context("the interpreter path contains a NUL byte")?;
    let mut config: ffi::PyConfig = std::mem::zeroed();
    ffi::PyConfig_InitPythonConfig(&raw mut config);
    // Ctrl-C belongs to the Rust side (ctrlc), not to Python.
    config.install_signal_handlers = 0;
    let status = ffi::PyConfig_SetBytesString(&raw mut config, &raw mut config.program_name, program.as_ptr());
    if ffi::PyStatus_Exception(status) != 0 {
        ffi::PyConfig_Clear(&raw mut config);
        bail!("could not set the embedded interpreter's program name to {}", python.display());
    }
    let status = ffi::Py_InitializeFromConfig(&raw const config);
    ffi::PyConfig_Clear(&raw mut config);
    if ffi::PyStatus_Exception(status) != 0 {
        let message = if status.err_msg.is_null() {
            "unknown error".to_owned()
        } else {
            std::ffi::CStr::from_ptr(status.err_msg).to_string_lossy().into_owned()
        };
        bail!("could not start the embedded Python as {}: {message}", python.display());
    }
    // Release the GIL; every later use goes through Python::attach.
    ffi::PyEval_SaveThread();
    Ok(())
}

/// Load one of our helpers as a module named `name` (registered in sys.modules).
pub fn load_helper<'py>(py: Python<'py>, name: &str, source: &str) -> PyResult<Bound<'py, PyModule>> {
    let code = CString::new(source).expect("helper source has no NUL");
    let file = CString::new(format!("<codeflash-discover>/{name}.py")).expect("no NUL");
    let module_name = CString::new(name).expect("no NUL");
    PyModule::from_code(py, &code, &file, &module_name)
}

/// Load the Jedi worker helper.
pub fn load_jedi_worker(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    load_helper(py, "_cfd_jedi_worker", pyhelpers::JEDI_WORKER)
}

/// Render a Python exception with its traceback, for an error entry.
#[must_use]
pub fn describe_error(py: Python<'_>, error: &PyErr) -> String {
    let traceback = error
        .traceback(py)
        .and_then(|tb| tb.format().ok())
        .unwrap_or_default();
    format!("{traceback}{error}")
}
