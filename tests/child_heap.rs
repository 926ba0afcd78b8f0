//! Each forked child allocates from its own heap and starts its own collector schedule
//! (`src/jedi/embedded/layout.rs`, `session.rs`), so a test file's answer depends neither on
//! project modules it never reads nor on where the tree store lives. With the inherited heap, one
//! added module of functions no test reads changed the answers at `fixtures/dynamic_imports`'
//! Jedi-ambiguous sites (6 variants, 4 different answers); with the own heap but the collector's
//! long-lived count inherited from the warm session, an empty module in another folder, or a
//! cache folder of another length, still did (README, "Parity"). Nor does it depend on the
//! caller's environment: the warm process's interpreter starts with a canonical `os.environ`
//! (`src/embed.rs`); with the whole environment, one unused variable's length moved the picks.
//! Nor on the working folder: our helpers' module names are absolute (`embed::load_helper`).

mod common;

use common::{discover, discover_with_env, fixture_copy};

/// A module of `count` small functions that no test file imports.
fn unrelated_module(count: usize, seed: usize) -> String {
    use std::fmt::Write;
    let mut text = String::new();
    for k in 0..count {
        let _ = write!(text, "def f{k}(x):\n    y = [x] * {}\n    return {{\"a\": y, \"b\": (x, {k})}}\n\n", (k * 7 + seed) % 9 + 1);
    }
    text
}

#[test]
fn unrelated_modules_and_the_cache_folder_do_not_change_the_answer_at_ambiguous_sites() {
    let (_dir, root) = fixture_copy("dynamic_imports");
    // The tree store is named explicitly: the default one under HOME would make the answer
    // checked here depend on the machine's HOME.
    let stores = tempfile::tempdir().unwrap();
    let short = stores.path().join("c");
    let long = stores.path().join("a-cache-folder-whose-name-is-much-longer-than-the-other-one/nested");
    let answer = |store: &std::path::Path| {
        let output = discover(&root, &["--worker", "embedded", "--cache-dir", store.to_str().unwrap()]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let text = answer(&short);
    assert!(text.contains("\"candidates\""), "the fixture has Jedi-ambiguous sites: {text}");
    assert_eq!(answer(&long), text, "with a cache folder of another length");
    let variants: [(&str, usize, usize); 4] =
        [("dyn/zz_unrelated.py", 37, 1), ("dyn/zz_unrelated.py", 120, 2), ("dyn/zz_unrelated.py", 190, 3), ("unrelated/zz.py", 0, 0)];
    for (path, count, seed) in variants {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, unrelated_module(count, seed)).unwrap();
        for store in [&short, &long] {
            assert_eq!(answer(store), text, "with {} ({count} functions), store {}", path.display(), store.display());
        }
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn the_callers_environment_does_not_change_the_answer_at_ambiguous_sites() {
    // Measured before the canonical environment (CPython 3.11, this fixture, every function): one
    // unused variable of 0, 64, 128, 200 or 400 letters gave one answer, 16 another, 288 and
    // 300 a third. A caller's `PWD`, `OLDPWD`, `_` or `SSH_CLIENT` differ in just this way from one
    // shell to the next. Lengths cover each 16-byte size class of CPython's small-object
    // allocator up to 512 bytes, and two beyond.
    let (_dir, root) = fixture_copy("dynamic_imports");
    let store = tempfile::tempdir().unwrap();
    let answer = |padding: usize| {
        let pad = "a".repeat(padding);
        let output = discover_with_env(
            &root,
            &["--worker", "embedded", "--cache-dir", store.path().to_str().unwrap()],
            &[("CODEFLASH_DISCOVER_TEST_UNUSED", &pad)],
        );
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let text = answer(0);
    assert!(text.contains("\"candidates\""), "the fixture has Jedi-ambiguous sites: {text}");
    for padding in (16..=512).step_by(16).chain([700, 1500]) {
        assert_eq!(answer(padding), text, "with an unused variable of {padding} letters");
    }
}

#[test]
fn the_callers_working_folder_does_not_change_the_answer_at_ambiguous_sites() {
    // Measured before the helpers had absolute module names: `__file__` of our embedded helpers was
    // made absolute against the working folder, so a run from a folder of 93 letters gave another
    // answer at this fixture's ambiguous sites than one from `/tmp` (and three runs on networkx
    // from three shells gave three answers). The project root is given, so the folder is the
    // run's only difference.
    let (_dir, root) = fixture_copy("dynamic_imports");
    let store = tempfile::tempdir().unwrap();
    let folders = tempfile::tempdir().unwrap();
    let answer = |letters: usize| {
        let cwd = folders.path().join(format!("w{}", "a".repeat(letters)));
        std::fs::create_dir_all(&cwd).unwrap();
        let output = common::discover_from(&common::python(), &cwd, &root, &["--worker", "embedded", "--cache-dir", store.path().to_str().unwrap()], &[]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let text = answer(0);
    assert!(text.contains("\"candidates\""), "the fixture has Jedi-ambiguous sites: {text}");
    for letters in (16..=240).step_by(16).chain([37, 93, 200]) {
        assert_eq!(answer(letters), text, "from a working folder {letters} letters longer");
    }
}
