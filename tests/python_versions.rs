//! One build serves every CPython codeflash supports (3.9 to 3.13), and interpreters no
//! embedded worker can serve. The environments are scripts/setup's: `.venvs/py3.X` (the reference's
//! pins for that version: on 3.9 jedi 0.19.2 and pytest 8.4.2) and `.venvs/nonshared-3.11`, a
//! venv of Debian's /usr/bin/python3.11, whose executable has Python linked in (no libpython is
//! mapped into it, so no embedded worker can run it). Missing environments fail under CI=true
//! and are skipped with a note otherwise.
//!
//! The expected answer is the committed reference answer (codeflash 0.20.6 on fixtures/pytest_basics,
//! tests/expected/); the per-version parity gates of scripts/test_all judge every fixture against
//! the reference running on each interpreter.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_reference_answer, discover_with_python, fixture_copy, json};

fn venv_python(name: &str) -> Option<PathBuf> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venvs").join(name).join("bin/python");
    if python.exists() {
        return Some(python);
    }
    assert!(std::env::var_os("CI").is_none(), "no {} under CI: scripts/setup makes it", python.display());
    eprintln!("skipping: no {} (run scripts/setup)", python.display());
    None
}

#[test]
fn every_supported_version_runs_with_its_embedded_worker_and_gives_the_reference_answer() {
    for version in ["3.9", "3.10", "3.12", "3.13"] {
        let Some(python) = venv_python(&format!("py{version}")) else { continue };
        let (_dir, root) = fixture_copy("pytest_basics");
        let result = json(&discover_with_python(&python, &root, &["-j", "2", "--stats"], &[]));
        assert_eq!(result["stats"]["worker"], "embedded", "Python {version}: setup builds an embedded worker for it");
        let mut answer = result.clone();
        answer.as_object_mut().unwrap().remove("stats");
        assert_reference_answer(&answer, &root);
        let subprocess = json(&discover_with_python(&python, &root, &["-j", "1", "--worker", "subprocess"], &[]));
        assert_reference_answer(&subprocess, &root);
    }
}

#[test]
fn an_interpreter_without_shared_libpython_gets_the_subprocess_worker() {
    let Some(python) = venv_python("nonshared-3.11") else { return };
    let (_dir, root) = fixture_copy("pytest_basics");
    let result = json(&discover_with_python(&python, &root, &["-j", "2", "--stats"], &[]));
    assert_eq!(result["stats"]["worker"], "subprocess");
    let mut answer = result.clone();
    answer.as_object_mut().unwrap().remove("stats");
    assert_reference_answer(&answer, &root);
    // The same answer byte for byte for any worker count.
    let one = discover_with_python(&python, &root, &["-j", "1"], &[]);
    let three = discover_with_python(&python, &root, &["-j", "3"], &[]);
    assert_eq!(one.stdout, three.stdout);

    // Asking for an embedded worker: one line saying what this build serves and how to add one.
    let output = discover_with_python(&python, &root, &["--worker", "embedded"], &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("without a shared libpython") && stderr.contains("this build serves: 3."), "{stderr}");
    assert!(stderr.contains("scripts/setup --python"), "{stderr}");
}

#[test]
fn the_subprocess_worker_survives_crashes_like_the_embedded_one() {
    let python = common::python();
    let (_dir, root) = fixture_copy("pytest_basics");
    let baseline = json(&discover_with_python(&python, &root, &["-j", "2", "--worker", "subprocess"], &[]));
    assert_reference_answer(&baseline, &root);
    let state = tempfile::tempdir().unwrap();
    let result = json(&discover_with_python(
        &python,
        &root,
        &["-j", "2", "--worker", "subprocess", "--stats"],
        &[("CODEFLASH_DISCOVER_FAULT", "abort-once:test_geometry.py"), ("CODEFLASH_DISCOVER_FAULT_STATE", state.path().to_str().unwrap())],
    ));
    assert_eq!(result["stats"]["crashes"], 1);
    assert_eq!(result["stats"]["retries"], 1);
    let mut answer = result.clone();
    answer.as_object_mut().unwrap().remove("stats");
    assert_eq!(answer, baseline, "the retried file gives the same answer");
}
