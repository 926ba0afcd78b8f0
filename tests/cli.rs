//! The command line: both forms of discovery, config defaults, output file,
//! and one clear line with exit code 2 for every input the user must fix.

mod common;

use std::process::Command;

use common::{binary, discover, fixture_copy, json, python};

fn run(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    Command::new(binary()).args(args).current_dir(cwd).env("CODEFLASH_DISCOVER_REFRESH", "1").output().unwrap()
}

fn assert_usage_error(output: &std::process::Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one clear line: {stderr}");
}

#[test]
fn discover_subcommand_and_default_form_agree_and_config_supplies_the_roots() {
    let (_dir, root) = fixture_copy("pytest_basics");
    let py = python();
    let py = py.to_str().unwrap();
    let default_form = run(&["--python", py, "-q", "--function", "calc/core.py::add"], &root);
    let explicit = run(&["discover", "--python", py, "-q", "--function", "calc/core.py::add"], &root);
    assert!(default_form.status.success(), "{}", String::from_utf8_lossy(&default_form.stderr));
    assert_eq!(default_form.stdout, explicit.stdout);
    let result = json(&default_form);
    assert!(result["function_to_tests"]["calc.core.add"].as_array().is_some_and(|e| !e.is_empty()));
}

#[test]
fn output_file_gets_the_same_json_as_stdout() {
    let (dir, root) = fixture_copy("pytest_basics");
    let out = dir.path().join("result.json");
    let to_stdout = discover(&root, &[]);
    let to_file = discover(&root, &["-o", out.to_str().unwrap()]);
    assert!(to_file.status.success());
    assert!(to_file.stdout.is_empty());
    assert_eq!(std::fs::read(&out).unwrap(), to_stdout.stdout);
}

/// A stand-in interpreter whose probe answer is `probe_json`.
fn fake_python(dir: &std::path::Path, name: &str, probe_json: &str) -> std::path::PathBuf {
    let fake = dir.join(name);
    std::fs::write(&fake, format!("#!/bin/sh\necho '{probe_json}'\n")).unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    fake
}

#[test]
fn a_missing_interpreter_is_a_usage_error() {
    let (_dir, root) = fixture_copy("pytest_basics");
    let output = run(&["--python", "/nonexistent/python", "-q"], &root);
    assert_usage_error(&output, "cannot run Python interpreter /nonexistent/python");
}

#[test]
fn an_interpreter_codeflash_does_not_support_is_a_usage_error() {
    let (dir, root) = fixture_copy("pytest_basics");
    // A fake "python" that answers like Python 3.8 would.
    let fake = fake_python(
        dir.path(),
        "python3.8",
        r#"{"version": [3, 8, 18], "implementation": "cpython", "executable": "x", "libpython": null, "jedi": "0.19.2", "parso": "0.8.4", "pytest": "8.3.5"}"#,
    );
    let output = run(&["--python", fake.to_str().unwrap(), "-q"], &root);
    assert_usage_error(&output, "is cpython 3.8; codeflash-discover supports CPython 3.9 to 3.13, as codeflash does");
}

#[test]
fn an_interpreter_without_jedi_is_a_usage_error() {
    let (dir, root) = fixture_copy("pytest_basics");
    let fake = fake_python(
        dir.path(),
        "python",
        r#"{"version": [3, 11, 7], "implementation": "cpython", "executable": "x", "libpython": null, "jedi": null, "parso": null, "pytest": "9.2.0"}"#,
    );
    let output = run(&["--python", fake.to_str().unwrap(), "-q"], &root);
    assert_usage_error(&output, "jedi is not installed");
}

#[test]
fn a_function_outside_the_project_root_is_a_usage_error() {
    let (dir, root) = fixture_copy("pytest_basics");
    let outside = dir.path().join("elsewhere.py");
    std::fs::write(&outside, "def f():\n    pass\n").unwrap();
    let spec = format!("{}::f", outside.display());
    let output = discover(&root, &["--function", &spec]);
    assert_usage_error(&output, "is outside the project root");
}

#[test]
fn a_malformed_function_spec_is_a_usage_error() {
    let (_dir, root) = fixture_copy("pytest_basics");
    assert_usage_error(&discover(&root, &["--function", "calc/core.py"]), "must look like FILE::QUALNAME");
}

#[test]
fn the_user_files_are_not_modified() {
    let (_dir, root) = fixture_copy("pytest_basics");
    let before = std::fs::read(root.join("pyproject.toml")).unwrap();
    json(&discover(&root, &[]));
    assert_eq!(std::fs::read(root.join("pyproject.toml")).unwrap(), before);
}

#[test]
fn progress_fd_streams_json_lines_with_pytest_rootdir() {
    let (_dir, root) = fixture_copy("pytest_basics");
    let mut fds = [0; 2];
    // A pipe without close-on-exec: the child inherits its write end as the fd we name.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let py = python();
    let child = Command::new(binary())
        .env("CODEFLASH_DISCOVER_REFRESH", "1")
        .args(["--python", py.to_str().unwrap(), "-q", "--function", "calc/core.py::add", "--progress-fd", &fds[1].to_string()])
        .current_dir(&root)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    unsafe { libc::close(fds[1]) };
    let mut stream = String::new();
    std::io::Read::read_to_string(&mut unsafe { <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(fds[0]) }, &mut stream).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = stream.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let collected: Vec<_> = lines.iter().filter(|l| l["event"] == "collected").collect();
    assert_eq!(collected.len(), 1, "{stream}");
    assert_eq!(collected[0]["pytest_rootdir"], root.canonicalize().unwrap().to_str().unwrap());
    let last = lines.last().unwrap();
    assert_eq!((last["event"].as_str(), last["phase"].as_str()), (Some("finish"), Some("jedi_processing")), "{stream}");
    assert_eq!(last["completed_files"], last["total_files"]);
    let result = json(&output);
    let files: std::collections::BTreeSet<&str> =
        result["function_to_tests"]["calc.core.add"].as_array().unwrap().iter().filter_map(|e| e["test_file"].as_str()).collect();
    assert!(last["total_files"].as_u64().unwrap() >= files.len() as u64);
}

#[test]
fn a_progress_fd_that_is_not_open_is_a_usage_error() {
    let (_dir, root) = fixture_copy("pytest_basics");
    let py = python();
    let output = run(&["--python", py.to_str().unwrap(), "-q", "--progress-fd", "987"], &root);
    assert_usage_error(&output, "--progress-fd 987: not an open file descriptor");
    // Checked before the interpreter is probed: the one problem reported is the one given.
    let output = run(&["--python", "/nonexistent/bin/python", "-q", "--progress-fd", "987"], &root);
    assert_usage_error(&output, "--progress-fd 987: not an open file descriptor");
}
