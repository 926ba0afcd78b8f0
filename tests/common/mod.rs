//! Shared helpers for the integration tests: the binary, the project Python,
//! and throw-away copies of the fixtures (tests never touch fixtures/ itself).
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test: this build's, or `CODEFLASH_DISCOVER_TEST_BINARY` (another build or an
/// installed copy, to check it gives the same answers).
pub fn binary() -> PathBuf {
    std::env::var_os("CODEFLASH_DISCOVER_TEST_BINARY").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_codeflash-discover")), PathBuf::from)
}

/// The venv with jedi and pytest: `CODEFLASH_DISCOVER_TEST_PYTHON`, else `.venv/bin/python`
/// (made by scripts/setup, which .ci/run calls first). Missing is a test failure, not a skip.
pub fn python() -> PathBuf {
    let path = std::env::var_os("CODEFLASH_DISCOVER_TEST_PYTHON")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"), PathBuf::from);
    assert!(path.exists(), "no test Python at {}: run scripts/setup first", path.display());
    path
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

/// A private copy of a fixture project.
pub fn fixture_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join(name);
    copy_tree_except(&fixture(name), &target, &[]);
    let target = target.canonicalize().unwrap();
    (dir, target)
}

/// Copy a tree, leaving out caches and the given names (at any depth).
pub fn copy_tree_except(from: &Path, to: &Path, except: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "__pycache__" || name == ".pytest_cache" || except.iter().any(|e| name == *e) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree_except(&path, &to.join(&name), except);
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// `codeflash-discover --python <test python> --project-root <root> ARGS...`, quiet.
pub fn discover(root: &Path, args: &[&str]) -> Output {
    discover_with_env(root, args, &[])
}

pub fn discover_with_env(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    discover_with_python(&python(), root, args, env)
}

/// [`discover_with_env`] with another interpreter.
pub fn discover_with_python(python: &Path, root: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    discover_from(python, root, root, args, env)
}

/// [`discover_with_python`] run from the working folder `cwd` (the project root is given).
pub fn discover_from(python: &Path, cwd: &Path, root: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(binary());
    // Answers are computed, not served from the cache (src/cache): every test checks a computation.
    command.arg("--python").arg(python).arg("--project-root").arg(root).arg("--quiet").args(args).current_dir(cwd);
    command.env("CODEFLASH_DISCOVER_REFRESH", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run codeflash-discover")
}

pub fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "codeflash-discover failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

/// The entries of the map whose test file is not `excluded`, for "the rest is unchanged" checks.
pub fn entries_without(result: &serde_json::Value, excluded: &str) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for (key, entries) in result["function_to_tests"].as_object().unwrap() {
        for entry in entries.as_array().unwrap() {
            if !entry["test_file"].as_str().unwrap().contains(excluded) {
                out.push((key.clone(), entry.clone()));
            }
        }
    }
    out
}

/// Test files that appear in a result.
pub fn test_files(result: &serde_json::Value) -> std::collections::BTreeSet<String> {
    result["function_to_tests"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|entries| entries.as_array().unwrap().iter().map(|e| e["test_file"].as_str().unwrap().to_owned()))
        .collect()
}

/// The reference's answer on fixtures/pytest_basics (all tests, no functions), paths as `<ROOT>/...`.
const REFERENCE_ANSWER: &str = "tests/expected/pytest_basics_all_tests.reference.json";

/// Each key's entries as comparable strings, `root` masked as `<ROOT>`.
pub fn masked_map(result: &serde_json::Value, root: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (key, entries) in result["function_to_tests"].as_object().expect("function_to_tests") {
        let set: BTreeSet<String> = entries
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let file = e["test_file"].as_str().unwrap();
                let file = file.strip_prefix(root).map_or_else(|| file.to_owned(), |rest| format!("<ROOT>{rest}"));
                format!(
                    "{file} | {} | {} | type {} | {}:{}",
                    e["test_class"], e["test_function"], e["test_type"], e["line_no"], e["col_no"]
                )
            })
            .collect();
        out.insert(key.clone(), set);
    }
    out
}

/// Our answer must be the reference's: every key, entry and count of the committed answer.
pub fn assert_reference_answer(ours: &serde_json::Value, root: &Path) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(REFERENCE_ANSWER);
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("committed reference answer")).unwrap();
    let ours_map = masked_map(ours, root.to_str().unwrap());
    let expected_map = masked_map(&expected, "<ROOT>");
    let show = |a: &BTreeMap<String, BTreeSet<String>>, b: &BTreeMap<String, BTreeSet<String>>| -> Vec<String> {
        a.iter()
            .flat_map(|(k, es)| es.iter().filter(move |e| !b.get(k).is_some_and(|s| s.contains(*e))).map(move |e| format!("{k}: {e}")))
            .collect()
    };
    assert!(
        ours_map == expected_map,
        "ours differs from the reference answer {REFERENCE_ANSWER}\nmissing: {:#?}\nextra: {:#?}",
        show(&expected_map, &ours_map),
        show(&ours_map, &expected_map)
    );
    for count in ["num_discovered_tests", "num_discovered_replay_tests"] {
        assert_eq!(ours[count], expected[count], "{count} differs from the reference answer");
    }
}

