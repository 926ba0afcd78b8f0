//! The import filter before collection (README, "Filter before collection"): with functions given,
//! pytest never imports a test module the filter rejects, the answer stays the one collecting
//! everything gives, and `--collect-all` restores the reference's collection where a rejected
//! module's import side effects matter. Likewise pytest imports the modules it collects without
//! rewriting their asserts (README, "Collection without assert rewriting"), and `--collect-all`
//! rewrites them, as the reference does.

mod common;

use common::{discover, fixture_copy, json};

fn collect_errors(result: &serde_json::Value) -> Vec<String> {
    result["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["stage"] == "collect")
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_rejected_module_is_not_imported_and_the_answer_is_unchanged() {
    let (_dir, root) = fixture_copy("pytest_basics");
    // Raises when imported; names nothing the filter looks for, so the filter rejects it.
    std::fs::write(
        root.join("tests/test_unrelated_broken.py"),
        "import os\n\nraise RuntimeError('imported by collection')\n\n\ndef test_cwd():\n    assert os.getcwd()\n",
    )
    .unwrap();
    let args = ["--function", "calc/core.py::add", "--function", "calc/core.py::mul", "--stats"];
    let filtered = json(&discover(&root, &args));
    let everything = json(&discover(&root, &[&args[..], &["--collect-all"]].concat()));

    assert!(collect_errors(&filtered).is_empty(), "the rejected module was imported: {:?}", collect_errors(&filtered));
    assert!(
        collect_errors(&everything).iter().any(|m| m.contains("test_unrelated_broken.py") && m.contains("imported by collection")),
        "--collect-all imports every module: {:?}",
        collect_errors(&everything)
    );
    assert!(filtered["stats"]["test_files_skipped_before_collection"].as_u64().unwrap() >= 1);
    assert_eq!(everything["stats"]["test_files_skipped_before_collection"], 0);
    assert!(filtered["stats"]["tests_collected"].as_u64() < everything["stats"]["tests_collected"].as_u64());
    assert_eq!(filtered["function_to_tests"], everything["function_to_tests"]);
    assert!(filtered["function_to_tests"]["calc.core.add"].as_array().is_some_and(|e| !e.is_empty()));
    for key in ["num_discovered_tests", "num_discovered_replay_tests", "ambiguous"] {
        assert_eq!(filtered[key], everything[key], "{key}");
    }
}

#[test]
fn a_module_relying_on_a_rejected_modules_side_effect_needs_collect_all() {
    // The documented condition: test_a_setup.py (rejected: it names nothing asked for) puts a folder
    // on sys.path when imported, and test_uses.py, collected after it, imports from that folder.
    let (_dir, root) = fixture_copy("pytest_basics");
    std::fs::create_dir_all(root.join("tests/extra")).unwrap();
    std::fs::write(root.join("tests/extra/helper_on_path.py"), "VALUE = 3\n").unwrap();
    std::fs::write(
        root.join("tests/test_a_setup.py"),
        "import os\nimport sys\n\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), 'extra'))\n\n\ndef test_nothing():\n    pass\n",
    )
    .unwrap();
    std::fs::write(
        root.join("tests/test_uses.py"),
        "from helper_on_path import VALUE\n\nfrom calc.core import add\n\n\ndef test_add_value():\n    assert add(VALUE, 0) == 3\n",
    )
    .unwrap();
    let args = ["--function", "calc/core.py::add"];
    let filtered = json(&discover(&root, &args));
    let everything = json(&discover(&root, &[&args[..], &["--collect-all"]].concat()));

    let uses = |result: &serde_json::Value| common::test_files(result).iter().any(|f| f.ends_with("test_uses.py"));
    assert!(uses(&everything), "collected after test_a_setup.py, test_uses.py imports");
    assert!(!uses(&filtered), "without test_a_setup.py's side effect, test_uses.py fails to import");
    assert!(
        collect_errors(&filtered).iter().any(|m| m.contains("test_uses.py") && m.contains("helper_on_path")),
        "the failed import is reported: {:?}",
        collect_errors(&filtered)
    );
}

#[test]
fn collection_imports_without_assert_rewriting_and_collect_all_rewrites_as_the_reference() {
    // The documented condition (README, "Collection without assert rewriting"): a conftest that
    // looks at pytest's assert mode. Only such introspection tells the two imports apart; a
    // module's names, and so its tests, are the same either way.
    let (_dir, root) = fixture_copy("pytest_basics");
    let conftest = root.join("tests/conftest.py");
    let mut text = std::fs::read_to_string(&conftest).unwrap();
    text.push_str(
        "\n\ndef pytest_ignore_collect(collection_path, config):\n    \
         if collection_path.name == 'test_rewritten_only.py' and config.getoption('assertmode') != 'rewrite':\n        \
         return True\n    return None\n",
    );
    std::fs::write(&conftest, text).unwrap();
    std::fs::write(root.join("tests/test_rewritten_only.py"), "from calc.core import add\n\n\ndef test_add_rewritten():\n    assert add(1, 2) == 3\n").unwrap();
    let ours = json(&discover(&root, &["--stats"]));
    let reference_like = json(&discover(&root, &["--stats", "--collect-all"]));

    let rewritten_only = |result: &serde_json::Value| common::test_files(result).iter().any(|f| f.ends_with("test_rewritten_only.py"));
    assert!(rewritten_only(&reference_like), "with --collect-all, pytest rewrites asserts and the conftest lets the module in");
    assert!(!rewritten_only(&ours), "by default pytest imports with --assert=plain, which the conftest sees");
    assert_eq!(ours["stats"]["tests_collected"].as_u64().unwrap() + 1, reference_like["stats"]["tests_collected"].as_u64().unwrap());
    // Everything else is the same answer.
    let without = |result: &serde_json::Value| common::entries_without(result, "test_rewritten_only.py");
    assert_eq!(without(&ours), without(&reference_like));
}
