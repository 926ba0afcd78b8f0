//! The project's Python: which interpreter, and whether it can serve us
//! (CPython 3.9 to 3.13, jedi and pytest at versions we checked), and which libpython it runs on.
//!
//! Input: `--python` or the environment. Output: a checked interpreter path.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;
use serde::Deserialize;

use crate::error::user_error;
use crate::process::cleanup;
use crate::pyhelpers;

/// The CPython versions codeflash 0.20.6 supports, and so do we.
pub const SUPPORTED_PYTHON: std::ops::RangeInclusive<u32> = 9..=13;
/// The Jedi versions whose internals the worker was checked against (it touches parso's cache
/// and reads `InferenceState`'s grammar: pyhelpers/jedi_worker.py); codeflash 0.20.6 needs >= 0.19.2.
const JEDI_CHECKED: (&[u32], &[u32]) = (&[0, 19, 2], &[0, 21]);
/// parso versions Jedi 0.19.2 and 0.20.x accept (the worker uses parso.cache's internals).
const PARSO_CHECKED: (&[u32], &[u32]) = (&[0, 8], &[0, 9]);
/// codeflash 0.20.6 needs pytest >= 8.4.2; collection was tested on 8.4 and 9.x.
const PYTEST_MIN: &[u32] = &[8, 4, 2];

/// The project's interpreter, as probed.
#[derive(Debug, Clone)]
pub struct Interpreter {
    /// As given (not resolved: a venv's python is a symlink whose location makes it the venv's).
    pub path: PathBuf,
    /// Full version, e.g. `3.12.1`.
    pub version: String,
    /// The 3.x minor version (its grammar, for the import filter).
    pub minor: u8,
    /// The real path of the shared libpython it runs on; `None` when its executable has Python
    /// linked in (no embedded worker can serve it; the subprocess worker can).
    pub libpython: Option<PathBuf>,
    /// `sys.version` (version and build) and `sys.path` (without the caller's folder): what the
    /// kept caches key the environment on ([`crate::cache::environment`]).
    pub build: String,
    pub sys_path: Vec<PathBuf>,
}

#[derive(Deserialize)]
struct Probe {
    version: Vec<u32>,
    implementation: String,
    libpython: Option<PathBuf>,
    jedi: Option<String>,
    parso: Option<String>,
    pytest: Option<String>,
    #[serde(default)]
    build: String,
    #[serde(default)]
    sys_path: Vec<PathBuf>,
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

/// The interpreter's 3.x minor version, cheaply (the `filter` subcommand's grammar).
#[must_use]
pub fn minor_version(executable: &Path) -> Option<u8> {
    let output = cleanup::run_to_completion(Command::new(executable).args(["-c", "import sys; print(sys.version_info[1])"]), None).ok()?;
    String::from_utf8_lossy(&output.stdout).trim().parse().ok()
}

/// Check the interpreter; every failure is one line telling the user what to do.
pub fn probe(executable: &Path, need_pytest: bool) -> Result<Interpreter> {
    // A child of this run like every other: Ctrl-C during the probe leaves no interpreter behind.
    let output = cleanup::run_to_completion(Command::new(executable).arg("-c").arg(pyhelpers::PROBE), None)
        .map_err(|e| {
            user_error!(
                "cannot run Python interpreter {}: {e}; pass --python /path/to/venv/bin/python (CPython 3.9 to 3.13 with jedi and pytest)",
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
    check(executable, &probe, need_pytest)?;
    Ok(Interpreter {
        path: executable.to_path_buf(),
        version: probe.version.iter().map(u32::to_string).collect::<Vec<_>>().join("."),
        minor: probe.version.get(1).and_then(|&m| u8::try_from(m).ok()).unwrap_or(0),
        libpython: probe.libpython,
        build: probe.build,
        sys_path: probe.sys_path,
    })
}

fn check(executable: &Path, probe: &Probe, need_pytest: bool) -> Result<()> {
    let shown = executable.display();
    let (major, minor) = (probe.version.first().copied().unwrap_or(0), probe.version.get(1).copied().unwrap_or(0));
    if probe.implementation != "cpython" || major != 3 || !SUPPORTED_PYTHON.contains(&minor) {
        return Err(user_error!(
            "{shown} is {} {major}.{minor}; codeflash-discover supports CPython 3.{} to 3.{}, as codeflash does",
            probe.implementation,
            SUPPORTED_PYTHON.start(),
            SUPPORTED_PYTHON.end()
        ));
    }
    let Some(jedi) = &probe.jedi else {
        return Err(user_error!("jedi is not installed in {shown}; run `{shown} -m pip install jedi`"));
    };
    if !within(jedi, JEDI_CHECKED) {
        return Err(user_error!(
            "{shown} has jedi {jedi}, but codeflash-discover was checked against jedi 0.19.2 to 0.20.x only (its worker relies on Jedi internals); run `{shown} -m pip install 'jedi>=0.19.2,<0.21'`"
        ));
    }
    if let Some(parso) = &probe.parso {
        if !within(parso, PARSO_CHECKED) {
            return Err(user_error!(
                "{shown} has parso {parso}, but codeflash-discover was checked against parso 0.8.x only; run `{shown} -m pip install 'parso>=0.8,<0.9'`"
            ));
        }
    }
    match &probe.pytest {
        None if need_pytest => Err(user_error!("pytest is not installed in {shown}; run `{shown} -m pip install pytest`")),
        Some(pytest) if need_pytest && numbers(pytest).as_slice() < PYTEST_MIN => Err(user_error!(
            "{shown} has pytest {pytest}; codeflash needs pytest 8.4.2 or later: run `{shown} -m pip install 'pytest>=8.4.2'`"
        )),
        _ => Ok(()),
    }
}

/// The leading numeric parts of a version (`0.20.1` -> [0, 20, 1]; `9.0.0rc1` -> [9, 0]).
fn numbers(version: &str) -> Vec<u32> {
    version.split('.').map_while(|part| part.parse().ok()).collect()
}

fn within(version: &str, (low, high): (&[u32], &[u32])) -> bool {
    let v = numbers(version);
    v.as_slice() >= low && v.as_slice() < high
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(version: [u32; 3], jedi: &str, pytest: &str) -> Probe {
        Probe {
            version: version.to_vec(),
            implementation: "cpython".into(),
            libpython: None,
            jedi: Some(jedi.into()),
            parso: Some("0.8.4".into()),
            pytest: Some(pytest.into()),
            build: String::new(),
            sys_path: Vec::new(),
        }
    }

    #[test]
    fn supported_versions_pass_and_others_get_one_line() {
        let python = Path::new("/venv/bin/python");
        for minor in 9..=13 {
            assert!(check(python, &probe([3, minor, 0], "0.19.2", "8.4.2"), true).is_ok(), "3.{minor}");
        }
        assert!(check(python, &probe([3, 12, 1], "0.20.1", "9.2.0"), true).is_ok());
        for (p, what) in [
            (probe([3, 8, 18], "0.19.2", "8.4.2"), "supports CPython 3.9 to 3.13"),
            (probe([3, 14, 0], "0.20.1", "9.2.0"), "supports CPython 3.9 to 3.13"),
            (probe([3, 11, 7], "0.19.1", "9.2.0"), "jedi 0.19.2 to 0.20.x"),
            (probe([3, 11, 7], "0.21.0", "9.2.0"), "jedi 0.19.2 to 0.20.x"),
            (probe([3, 11, 7], "0.20.1", "8.3.5"), "pytest 8.4.2 or later"),
        ] {
            let error = check(python, &p, true).unwrap_err().to_string();
            assert!(error.contains(what) && !error.contains('\n'), "{error}");
        }
        // pytest only matters when collection uses it.
        assert!(check(python, &probe([3, 11, 7], "0.20.1", "8.3.5"), false).is_ok());
    }
}
