//! Collection: which tests exist, per file. Runs our collection helper with
//! the project's own Python in a subprocess (cwd = project root), pytest or
//! unittest, the way codeflash 0.20.6 does, and reads its JSON answer from a
//! temp file.
//!
//! Input: the [`DiscoveryPlan`]. Output: [`Collection`]: test files in the
//! reference's order, each with its tests, plus diagnostics.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::model::{FileTask, TestFramework, TestItem, TestType};
use crate::output::report::ErrorEntry;
use crate::process::cleanup;
use crate::project::DiscoveryPlan;
use crate::pyhelpers;

#[derive(Debug, Default)]
pub struct Collection {
    /// Test files in first-seen order, each with its tests in collection order.
    pub files: Vec<FileTask>,
    pub errors: Vec<ErrorEntry>,
    /// Number of collected tests (before --only-tests).
    pub tests_collected: usize,
    /// unittest only: the reference process's `sys.path` after discovery, Jedi's base `sys_path`.
    pub jedi_sys_path: Option<Vec<String>>,
    /// pytest only: pytest's rootdir, which the reference writes back into codeflash's
    /// `TestConfig.tests_project_rootdir` (reported on the progress stream, `--progress-fd`).
    pub pytest_rootdir: Option<String>,
    /// What the collection process read (files, folders listed), for the collection cache.
    pub reads: Option<Reads>,
}

/// Absolute paths the collection process opened for reading (and its modules' sources) and the
/// folders it listed, as pyhelpers/record_reads.py recorded them.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Reads {
    pub files: Vec<String>,
    pub folders: Vec<String>,
}

#[derive(Deserialize)]
struct CollectedTest {
    test_file: String,
    test_class: Option<String>,
    test_function: String,
}

#[derive(Deserialize)]
struct PytestAnswer {
    exit_code: i64,
    pytest_exit_code: Option<i64>,
    tests: Vec<CollectedTest>,
    #[serde(default)]
    failure: Option<String>,
    /// Collected paths (or names) that are not valid UTF-8, as Python's repr: their tests are left out.
    #[serde(default)]
    undecodable: Vec<Undecodable>,
    #[serde(default)]
    rootdir: Option<String>,
    #[serde(default)]
    reads: Option<Reads>,
}

#[derive(Deserialize)]
struct Undecodable {
    file: String,
    detail: String,
}

#[derive(Deserialize)]
struct UnittestAnswer {
    tests: Vec<CollectedTest>,
    warnings: Vec<String>,
    sys_path: Vec<String>,
    #[serde(default)]
    reads: Option<Reads>,
}

/// How pytest imports the test modules it collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Asserts {
    /// `--assert=plain` (our default): no assert rewriting, most of collection's time on large
    /// suites; the same tests (README, "Collection without assert rewriting").
    Plain,
    /// pytest's default, as the reference collects (`--collect-all`).
    Rewrite,
}

/// `skip`: resolved paths of test modules pytest must not collect (the import filter rejected them).
pub fn collect(plan: &DiscoveryPlan, python: &Path, run_dir: &Path, skip: &[PathBuf], asserts: Asserts) -> Result<Collection> {
    match plan.framework {
        TestFramework::Pytest => collect_pytest(plan, python, run_dir, skip, asserts),
        TestFramework::Unittest => collect_unittest(plan, python, run_dir),
    }
}

/// Run a helper script (a file, so that the current folder is not put on sys.path).
///
/// Its `TMPDIR` is a folder in our run folder: what pytest, its plugins or a conftest put there
/// (a `tempfile.mkdtemp()` folder, measured) goes with the run folder, even when Ctrl-C kills the
/// collection before it cleans up after itself.
fn run_helper(python: &Path, run_dir: &Path, name: &str, source: &str, args: &[&std::ffi::OsStr], cwd: &Path) -> Result<std::process::Output> {
    let helper_dir = run_dir.join("helpers");
    std::fs::create_dir_all(&helper_dir)?;
    let script = helper_dir.join(name);
    std::fs::write(&script, source)?;
    std::fs::write(helper_dir.join(pyhelpers::RECORD_READS_MODULE), pyhelpers::RECORD_READS)?;
    let tmp = run_dir.join("tmp");
    std::fs::create_dir_all(&tmp)?;
    let mut command = Command::new(python);
    command.arg(&script).args(args).current_dir(cwd).env("TMPDIR", &tmp);
    cleanup::run_to_completion(&mut command, None).with_context(|| format!("cannot run {}", python.display()))
}

/// The ERRORS section of pytest's report, as codeflash extracts it.
fn errors_section(stdout: &str) -> &str {
    let Some(start) = stdout.find(" ERRORS ").and_then(|i| stdout[i..].find('\n').map(|j| i + j + 1)) else {
        return stdout;
    };
    let rest = &stdout[start..];
    rest.find("===").map_or(rest, |end| &rest[..end])
}

fn collect_pytest(plan: &DiscoveryPlan, python: &Path, run_dir: &Path, skip: &[PathBuf], asserts: Asserts) -> Result<Collection> {
    let out = run_dir.join("collected_pytest.json");
    // NUL-separated bytes: a path need not be UTF-8 and may hold a newline.
    let skip_file = run_dir.join("skip_collect.txt");
    let mut skip_list = Vec::new();
    for path in skip {
        skip_list.extend_from_slice(path.as_os_str().as_encoded_bytes());
        skip_list.push(0);
    }
    std::fs::write(&skip_file, skip_list).with_context(|| format!("cannot write {}", skip_file.display()))?;
    let output = run_helper(
        python,
        run_dir,
        "collect_pytest.py",
        pyhelpers::COLLECT_PYTEST,
        &[
            plan.project_root.as_os_str(),
            plan.tests_root.as_os_str(),
            out.as_os_str(),
            plan.invocation_dir.as_os_str(),
            skip_file.as_os_str(),
            std::ffi::OsStr::new(match asserts {
                Asserts::Plain => "plain",
                Asserts::Rewrite => "rewrite",
            }),
        ],
        &plan.project_root,
    )?;
    let mut collection = Collection::default();
    let Ok(bytes) = std::fs::read(&out) else {
        // The reference: "Failed to discover tests", no tests.
        let stderr = String::from_utf8_lossy(&output.stderr);
        collection.errors.push(ErrorEntry::new(None, "collect", format!("pytest collection failed: {}", stderr.trim())));
        return Ok(collection);
    };
    // The helper writes only UTF-8 text it checked: an unreadable answer is our bug, never silent.
    let answer: PytestAnswer = serde_json::from_slice(&bytes)
        .map_err(|error| anyhow::anyhow!("the collection helper wrote an unreadable answer ({error}); nothing was collected"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    for bad in &answer.undecodable {
        collection.errors.push(ErrorEntry::new(
            Some(bad.file.clone()),
            "collect",
            format!("the path or a test name is not valid UTF-8 ({}): the file's tests are left out", bad.detail),
        ));
    }
    if let Some(failure) = &answer.failure {
        collection.errors.push(ErrorEntry::new(None, "collect", format!("Failed to collect tests: {failure}")));
    }
    if answer.exit_code != 0 || answer.pytest_exit_code.is_some_and(|code| code != 0 && code != 5) {
        let code = answer.pytest_exit_code.unwrap_or(answer.exit_code);
        let detail = if stdout.contains("ERROR collecting") { errors_section(&stdout).trim() } else { "" };
        collection.errors.push(ErrorEntry::new(None, "collect", format!("pytest collection exit code {code}\n{detail}").trim_end().to_owned()));
    }
    collection.tests_collected = answer.tests.len();
    collection.pytest_rootdir = answer.rootdir;
    collection.reads = answer.reads;
    let only: Vec<&PathBuf> = plan.only_tests_resolved.iter().collect();
    let mut index_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for test in answer.tests {
        let test_type = TestType::for_path(&test.test_file);
        let resolved = Path::new(&test.test_file).canonicalize().unwrap_or_else(|_| PathBuf::from(&test.test_file));
        if !only.is_empty() && !only.contains(&&resolved) {
            continue;
        }
        let path = resolved.to_string_lossy().into_owned();
        let item = TestItem { test_class: test.test_class, test_function: test.test_function, test_type };
        push_test(&mut collection.files, &mut index_of, path, item);
    }
    Ok(collection)
}

fn push_test(files: &mut Vec<FileTask>, index_of: &mut std::collections::HashMap<String, usize>, path: String, item: TestItem) {
    let index = *index_of.entry(path.clone()).or_insert_with(|| {
        files.push(FileTask::new(path, Vec::new()));
        files.len() - 1
    });
    files[index].tests.push(item);
}

fn collect_unittest(plan: &DiscoveryPlan, python: &Path, run_dir: &Path) -> Result<Collection> {
    let out = run_dir.join("collected_unittest.json");
    let only: Vec<String> = plan.only_tests.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let only_json = serde_json::to_string(&only)?;
    let output = run_helper(
        python,
        run_dir,
        "collect_unittest.py",
        pyhelpers::COLLECT_UNITTEST,
        &[plan.tests_root.as_os_str(), out.as_os_str(), std::ffi::OsStr::new(&only_json)],
        // The reference's loader runs in codeflash's own process, in the folder it was started from.
        &plan.invocation_dir,
    )?;
    let mut collection = Collection::default();
    let Some(answer) = std::fs::read(&out).ok().and_then(|bytes| serde_json::from_slice::<UnittestAnswer>(&bytes).ok()) else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        collection.errors.push(ErrorEntry::new(None, "collect", format!("unittest discovery failed: {}", stderr.trim())));
        return Ok(collection);
    };
    for warning in answer.warnings {
        collection.errors.push(ErrorEntry::new(None, "collect", warning));
    }
    collection.tests_collected = answer.tests.len();
    collection.jedi_sys_path = Some(answer.sys_path);
    collection.reads = answer.reads;
    let mut index_of = std::collections::HashMap::new();
    for test in answer.tests {
        let test_type = TestType::for_path(&test.test_file);
        let item = TestItem { test_class: test.test_class, test_function: test.test_function, test_type };
        push_test(&mut collection.files, &mut index_of, test.test_file, item);
    }
    Ok(collection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_section_is_cut_at_the_next_rule() {
        let out = "x\n==== ERRORS ====\nE bad\n==== short test summary ====\n";
        assert_eq!(errors_section(out), "E bad\n");
    }
}
