//! Each forked child allocates from its own heap (`src/jedi/embedded/layout.rs`), so a test
//! file's answer does not depend on project modules it never reads. With the inherited heap it
//! did: on `fixtures/dynamic_imports`, one added module of functions no test reads changed the
//! answers at the fixture's Jedi-ambiguous sites (6 variants, 4 different answers; README, "Parity").

mod common;

use common::{discover, fixture_copy};

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
fn an_unrelated_module_does_not_change_the_answer_at_ambiguous_sites() {
    let (_dir, root) = fixture_copy("dynamic_imports");
    let answer = || {
        let output = discover(&root, &["--worker", "embedded"]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    };
    let before = answer();
    let text = String::from_utf8_lossy(&before).into_owned();
    assert!(text.contains("\"candidates\""), "the fixture has Jedi-ambiguous sites: {text}");
    for (count, seed) in [(37, 1), (120, 2), (190, 3)] {
        std::fs::write(root.join("dyn/zz_unrelated.py"), unrelated_module(count, seed)).unwrap();
        assert_eq!(String::from_utf8_lossy(&answer()), text, "with an unrelated module of {count} functions");
    }
}
