//! codeflash's project model and collection, as a user runs it: roots derived from
//! `[tool.codeflash]` with no flags, pytest whatever `test-framework` says, a pyproject.toml
//! that is not TOML, ini files seen as codeflash's rewrite leaves them (without touching the
//! user's files), results kept when a conftest ends the process at session finish, a real
//! stdout during collection, and a non-UTF-8 path that costs only its own file.
//! The expected answers are the ones codeflash 0.20.6 gave on these fixtures
//! (`scripts/parity/reference_runner.py`), see fixtures/README.md.

mod common;

use std::collections::BTreeMap;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Output};

use common::{binary, discover, fixture_copy, json, python};

/// Run from `cwd` with no root flags, as a codeflash user runs codeflash from the project folder.
fn discover_from(cwd: &Path, args: &[&str]) -> Output {
    Command::new(binary()).arg("--python").arg(python()).arg("--quiet").args(args).current_dir(cwd).env("CODEFLASH_DISCOVER_REFRESH", "1").output().unwrap()
}

fn keys(result: &serde_json::Value) -> Vec<String> {
    result["function_to_tests"].as_object().unwrap().keys().cloned().collect()
}

/// Every file under `root` (caches aside) with its bytes.
fn snapshot(root: &Path) -> BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = entry.file_name();
            if name == "__pycache__" || name == ".pytest_cache" {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn a_src_layout_with_no_root_flags_gets_codeflash_keys() {
    let (_dir, root) = fixture_copy("src_layout");
    let result = json(&discover_from(&root, &["--function", "src/shop/cart.py::total"]));
    let keys = keys(&result);
    assert!(keys.contains(&"shop.cart.total".to_owned()), "{keys:?}");
    assert!(keys.iter().all(|key| key.starts_with("shop.")), "project root is src/, as codeflash's: {keys:?}");
}

#[test]
fn the_config_test_framework_does_not_change_the_strategy() {
    // codeflash 0.20.6: 2 tests (the TestCase method and the plain function), config says unittest.
    let (_dir, root) = fixture_copy("framework_config");
    let functions = ["--function", "app/ops.py::double", "--function", "app/ops.py::triple"];
    let result = json(&discover_from(&root, &functions));
    assert_eq!(result["num_discovered_tests"], 2);
    assert_eq!(keys(&result), ["app.ops.double", "app.ops.triple"]);
    // The unittest strategy only on request (its loader cannot import `app` here: 0, as codeflash's).
    let explicit = json(&discover_from(&root, &[&functions[..], &["--test-framework", "unittest"]].concat()));
    assert_eq!(explicit["num_discovered_tests"], 0);
}

#[test]
fn a_pyproject_that_is_not_toml_is_a_usage_error_with_file_and_line() {
    let (_dir, root) = fixture_copy("framework_config");
    let pyproject = root.join("pyproject.toml");
    std::fs::write(&pyproject, "[tool.codeflash]\nmodule-root = \"app\"\ntests-root = = \"tests\"\n").unwrap();
    let output = discover_from(&root, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains(&format!("{}:3:", pyproject.display())), "file and line expected: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one clear line: {stderr}");
    // Also with explicit roots: the file is still read, and still wrong.
    assert_eq!(discover(&root, &["--tests-root", root.join("tests").to_str().unwrap()]).status.code(), Some(2));
}

#[test]
fn ini_files_read_as_rewritten_and_the_user_files_stay_untouched() {
    // codeflash rewrites pytest.ini through configparser: APP_MODE becomes app_mode, the local
    // plugin no longer sees "on" and deselects everything: 0 tests.
    let (_dir, root) = fixture_copy("ini_rewrite");
    let before = snapshot(&root);
    let result = json(&discover_from(&root, &["--function", "pkg/mod.py::calc"]));
    assert_eq!(result["num_discovered_tests"], 0);
    assert_eq!(result["function_to_tests"], serde_json::json!({}));
    assert_eq!(snapshot(&root), before, "our run must not modify or add user files");
}

#[test]
fn results_survive_a_conftest_that_exits_at_session_finish() {
    let (_dir, root) = fixture_copy("exit_in_sessionfinish");
    let result = json(&discover_from(&root, &["--function", "pkg/mod.py::calc"]));
    assert_eq!(result["num_discovered_tests"], 1);
    assert_eq!(result["errors"], serde_json::json!([]));
}

#[test]
fn collection_sees_a_real_stdout() {
    let (_dir, root) = fixture_copy("isatty_stdout");
    let result = json(&discover_from(&root, &["--function", "pkg/mod.py::calc"]));
    assert_eq!(result["num_discovered_tests"], 1);
    assert_eq!(result["errors"], serde_json::json!([]));
}

#[test]
fn a_non_utf8_test_path_costs_only_its_own_file() {
    // Git cannot carry the name portably: make it here. codeflash itself dies on such a path
    // (UnicodeEncodeError in its sqlite cache lookup); we keep the rest and say what we dropped.
    let (_dir, root) = fixture_copy("nonutf8_path");
    let mut name = b"test_caf".to_vec();
    name.extend_from_slice(b"\xff.py");
    let odd = root.join("tests").join(std::ffi::OsStr::from_bytes(&name));
    std::fs::copy(root.join("tests/nonutf8_name.py.in"), &odd).unwrap();
    for args in [&["--function", "pkg/mod.py::calc"][..], &[]] {
        let output = discover_from(&root, args);
        let result = json(&output);
        assert_eq!(result["num_discovered_tests"], 1, "the other file's test stays");
        let entries = result["function_to_tests"]["pkg.mod.calc"].as_array().unwrap();
        assert_eq!(entries.len(), 1);
        assert!(entries[0]["test_file"].as_str().unwrap().ends_with("tests/test_mod.py"));
        let errors = result["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0]["stage"], "collect");
        assert!(errors[0]["file"].as_str().unwrap().ends_with("test_caf\u{fffd}.py"), "{errors:?}");
        assert!(errors[0]["message"].as_str().unwrap().contains(r"test_caf\xff.py"), "{errors:?}");
    }
}

#[test]
fn the_unittest_strategy_hands_jedi_the_loader_process_sys_path() {
    // The reference gives Jedi its own sys.path after TestLoader().discover ran in it: the
    // edits made by test modules first, then the tests root the loader inserted, then the
    // interpreter's plain sys.path (no script folder: codeflash runs as an installed package).
    let (_dir, root) = fixture_copy("unittest_sys_path");
    let output = Command::new(binary())
        .env("CODEFLASH_DISCOVER_REFRESH", "1")
        .arg("--python")
        .arg(python())
        .args(["--quiet", "--test-framework", "unittest"])
        .env("CODEFLASH_DISCOVER_LOG", "debug")
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let plain = Command::new(python()).args(["-P", "-c", "import json, sys; print(json.dumps(sys.path))"]).output().unwrap();
    let plain: Vec<String> = serde_json::from_slice(&plain.stdout).unwrap();
    let tests = root.join("tests");
    let mut expected = vec![
        format!("{}/../lib_extra", tests.display()),
        root.display().to_string(),
        tests.display().to_string(),
    ];
    expected.extend(plain);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("unittest loader's process: {expected:?}")), "expected {expected:?} in:\n{stderr}");
}
