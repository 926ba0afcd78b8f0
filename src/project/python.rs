//! The project's Python: which interpreter, and whether it can serve us
//! (same major.minor as the embedded CPython, jedi and pytest importable).
//!
//! Input: `--python` or the environment. Output: a checked interpreter path.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;
use serde::Deserialize;

use crate::error::user_error;
use crate::pyhelpers;

/// The Python major.minor this binary embeds.
pub const EMBEDDED_PYTHON: &str = env!("CFD_EMBEDDED_PYTHON");

#[derive(Deserialize)]
struct Probe {
    version: Vec<u32>,
    jedi: bool,
    pytest: bool,
}

/// `--python`, else `$VIRTUAL_ENV/bin/python`, else `python3` on PATH.
#[must_use]
pub fn choose_interpreter(explicit: Option<&Path>) -> PathBuf {
    if let Some(path) = explicit {
        return absolute(path);
    }
    if let Some(venv) = std::env::var_os("VIRTUAL_ENV") {
        let candidate = Path::new(&venv).join("bin").join("python");
        if candidate.exists() {
            return candidate;
        }
    }
    find_on_path("python3").unwrap_or_else(|| PathBuf::from("python3"))
}

fn absolute(path: &Path) -> PathBuf {
    if path.components().count() == 1 && !path.exists() {
        if let Some(found) = find_on_path(&path.to_string_lossy()) {
            return found;
        }
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Check the interpreter and return its full version; every failure is one
/// line telling the user what to do. The path is kept as given (not resolved:
/// a venv's python is a symlink whose location, not target, makes it the venv's).
pub fn probe(executable: &Path, need_pytest: bool) -> Result<String> {
    let output = Command::new(executable)
        .arg("-c")
        .arg(pyhelpers::PROBE)
        .output()
        .map_err(|e| {
            user_error!(
                "cannot run Python interpreter {}: {e}; pass --python /path/to/venv/bin/python (a Python {EMBEDDED_PYTHON} with jedi and pytest)",
                executable.display()
            )
        })?;
    let probe: Probe = serde_json::from_slice(&output.stdout).map_err(|_| {
        user_error!(
            "{} did not behave like a Python interpreter (exit {}); pass --python /path/to/venv/bin/python",
            executable.display(),
            output.status
        )
    })?;
    let version = format!("{}.{}", probe.version[0], probe.version[1]);
    if version != EMBEDDED_PYTHON {
        return Err(user_error!(
            "{} is Python {version}, but this codeflash-discover embeds Python {EMBEDDED_PYTHON}; pass --python with a Python {EMBEDDED_PYTHON} environment",
            executable.display()
        ));
    }
    if !probe.jedi {
        return Err(user_error!(
            "jedi is not installed in {}; run `{} -m pip install jedi`",
            executable.display(),
            executable.display()
        ));
    }
    if need_pytest && !probe.pytest {
        return Err(user_error!(
            "pytest is not installed in {}; run `{} -m pip install pytest`",
            executable.display(),
            executable.display()
        ));
    }
    Ok(probe.version.iter().map(u32::to_string).collect::<Vec<_>>().join("."))
}
