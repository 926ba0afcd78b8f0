//! The embedded CPython: started *as* the target interpreter, so that its
//! `sys.executable`, `sys.prefix` and `sys.path` are the project venv's and
//! Jedi picks the same environment a plain `python` of that venv would.
//!
//! The interpreter starts with a canonical `os.environ` ([`visible_to_python`]): the variables
//! that steer Python, Jedi or parso, and no other. Python copies the environment into objects
//! at start-up, before anything else it allocates; with the caller's whole environment, the
//! length of an unrelated variable (`PWD`, `_`, `SSH_CLIENT`) moved every later object of the warm
//! process, and with them Jedi's picks at identity-hashed sites (measured: `dynamic_imports`,
//! three answers over eight lengths of one unused variable). The C environment is restored as
//! soon as the interpreter is up, so every process started from here (Jedi's compiled
//! subprocess, its zygote) gets the caller's whole environment, as the reference's do.
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

/// Does the embedded interpreter see this variable in `os.environ`? Python's own (`PYTHON*`,
/// read at start-up), the locale's (read at start-up), the ones Jedi reads to choose its
/// environment (`VIRTUAL_ENV`, `CONDA_PREFIX`), the ones the standard library reads to find the
/// user's folders (`HOME`: `site`'s user site-packages, `~`; the temp folder's), and parso's cache
/// folder. Any other variable can only change where objects land, never what Jedi infers.
fn visible_to_python(name: &[u8]) -> bool {
    const EXACT: &[&[u8]] = &[
        b"LANG", b"LANGUAGE", b"HOME", b"TMPDIR", b"TEMP", b"TMP", b"VIRTUAL_ENV", b"CONDA_PREFIX", b"XDG_CACHE_HOME",
    ];
    name.starts_with(b"PYTHON") || name.starts_with(b"LC_") || EXACT.contains(&name)
}

/// Start the interpreter with only the variables [`visible_to_python`] in the C environment (so
/// in `os.environ`), then give the C environment back whole (Python's copy is made by then).
///
/// Nothing here allocates from the C heap: the canonical list is a static array of pointers into
/// the caller's own strings, and the original list is put back as it was (same strings, same
/// order). Copies (a `Vec` of the variables, `setenv`) would leave the C heap shaped by the
/// environment's size, and the warm process's larger objects (over 512 bytes: classes among them)
/// come from that heap (measured: with such copies, one length of 35 still moved a pick).
unsafe fn initialize_as(python: &Path) -> Result<()> {
    extern "C" {
        static mut environ: *mut *mut libc::c_char;
    }
    static mut CANONICAL: [*mut libc::c_char; CANONICAL_SLOTS] = [std::ptr::null_mut(); CANONICAL_SLOTS];
    // This process is single-threaded here (the worker reads its first message, then starts us).
    let original = environ;
    let mut kept = 0;
    let mut entry = original;
    while !entry.is_null() && !(*entry).is_null() {
        let text = std::ffi::CStr::from_ptr(*entry).to_bytes();
        let name = text.split(|&b| b == b'=').next().unwrap_or_default();
        if visible_to_python(name) {
            if kept + 1 == CANONICAL_SLOTS {
                return start(python); // more than we can list without allocating: the whole environment
            }
            (*std::ptr::addr_of_mut!(CANONICAL))[kept] = *entry;
            kept += 1;
        }
        entry = entry.add(1);
    }
    (*std::ptr::addr_of_mut!(CANONICAL))[kept] = std::ptr::null_mut();
    environ = std::ptr::addr_of_mut!(CANONICAL).cast();
    let started = start(python);
    environ = original;
    started
}

/// Room for the variables Python sees (and the list's end).
const CANONICAL_SLOTS: usize = 1024;

unsafe fn start(python: &Path) -> Result<()> {
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
    // Absolute: a relative name is made absolute against the working folder when the module is
    // created, which put the caller's folder (of any length) into the warm process's memory.
    let file = CString::new(format!("/<codeflash-discover>/{name}.py")).expect("no NUL");
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

#[cfg(test)]
mod tests {
    use super::visible_to_python;

    #[test]
    fn python_sees_what_steers_python_jedi_and_the_locale_only() {
        for name in ["PYTHONPATH", "PYTHONHASHSEED", "PYTHON_GIL", "LC_ALL", "LANG", "HOME", "VIRTUAL_ENV", "CONDA_PREFIX", "TMPDIR"] {
            assert!(visible_to_python(name.as_bytes()), "{name}");
        }
        for name in ["PWD", "OLDPWD", "_", "SSH_CLIENT", "PATH", "TERM", "CODEFLASH_DISCOVER_LOG", "LD_LIBRARY_PATH", "HOMEDIR"] {
            assert!(!visible_to_python(name.as_bytes()), "{name}");
        }
    }
}
