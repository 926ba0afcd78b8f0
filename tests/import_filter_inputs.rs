//! Special inputs for the native import filter, through the binary's
//! `filter --detail` entry point: what the reference does with each is in
//! the comments (measured with codeflash 0.20.6 on CPython 3.11.7).

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_codeflash-discover")
}

/// Run `filter --detail` on files holding `contents`; answers in order.
fn detail(targets: &[&str], contents: &[&[u8]]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = contents
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let path = dir.path().join(format!("test_{i}.py"));
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect();
    run(targets, &files)
}

fn run(targets: &[&str], files: &[PathBuf]) -> Vec<String> {
    let mut cmd = Command::new(bin());
    cmd.arg("filter").arg("--detail");
    for t in targets {
        cmd.arg("--target").arg(t);
    }
    cmd.arg("--").args(files);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&out.stdout).unwrap();
    files
        .iter()
        .map(|f| map[&f.to_string_lossy().into_owned()].as_str().unwrap().to_owned())
        .collect()
}

fn one(targets: &[&str], content: &[u8]) -> String {
    detail(targets, &[content]).pop().unwrap()
}

#[test]
fn plain_found_and_not_found() {
    assert_eq!(one(&["mod.func"], b"from mod import func\n"), "keep");
    assert_eq!(one(&["mod.func"], b"import os\nos.getcwd()\n"), "drop");
}

#[test]
fn syntax_error_is_kept() {
    assert_eq!(one(&["x"], b"def f(:\n"), "keep");
    // 3.12-only syntax is a SyntaxError for 3.11
    assert_eq!(one(&["x"], b"type X = int\n"), "keep");
    assert_eq!(one(&["x"], b"y = f\"{\"a\"}\"\n"), "keep");
}

#[test]
fn missing_file_is_kept() {
    let answers = run(&["x"], &[PathBuf::from("/nonexistent/dir/test_x.py")]);
    assert_eq!(answers, ["keep"]);
}

#[test]
fn directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let answers = run(&["x"], &[dir.path().to_path_buf()]);
    assert!(answers[0].starts_with("error: "), "{answers:?}");
}

#[test]
fn leading_bom_is_a_syntax_error() {
    // open(..., encoding="utf-8") keeps U+FEFF; ast.parse rejects it.
    assert_eq!(one(&["zzz"], b"\xef\xbb\xbfimport os\n"), "keep");
    // without the BOM the same file is dropped
    assert_eq!(one(&["zzz"], b"import os\n"), "drop");
}

#[test]
fn null_bytes_are_a_syntax_error() {
    // "source code string cannot contain null bytes" (SyntaxError in 3.11.7)
    assert_eq!(one(&["zzz"], b"import os\nx = '\x00'\n"), "keep");
    assert_eq!(one(&["zzz"], b"import os  # \x00\n"), "keep");
}

#[test]
fn non_utf8_is_kept_with_an_error() {
    // The reference raises UnicodeDecodeError (uncaught): we keep and report.
    let answer = one(&["zzz"], b"x = 'caf\xe9'\n");
    assert_eq!(
        answer,
        "error: UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 8: invalid continuation byte"
    );
}

#[test]
fn crlf_and_lone_cr_are_newlines() {
    assert_eq!(one(&["func"], b"import os\r\nx = os.func()\r\n"), "keep");
    assert_eq!(one(&["func"], b"import os\rx = os.func()\r"), "keep");
    assert_eq!(one(&["zzz"], b"import os\rx = 1\r"), "drop");
    // with dynamic imports the text is searched: "a\nb" spans a CRLF
    assert_eq!(one(&["b\nc"], b"__import__('x')\r\n# b\r\nc\r\n"), "keep");
}

#[test]
fn tabs_and_form_feeds() {
    assert_eq!(one(&["zzz"], b"if x:\n\tif y:\n\t\tpass\n"), "drop");
    // TabError: tab then 8 spaces at the same column
    assert_eq!(one(&["zzz"], b"if x:\n\tif y:\n        pass\n"), "keep");
    // a form feed resets the column
    assert_eq!(one(&["zzz"], b"if x:\n    pass\n\x0cy = 1\n"), "drop");
    assert_eq!(one(&["zzz"], b"if x:\n    pass\n\x0c  y = 1\n"), "keep");
}

#[test]
fn cpython_bracket_and_indent_limits() {
    let parens = |n: usize| format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n)).into_bytes();
    assert_eq!(one(&["zzz"], &parens(200)), "fallback:drop");
    assert_eq!(one(&["zzz"], &parens(201)), "keep");
    let indent = |n: usize| {
        let mut s = String::new();
        for i in 0..n {
            s += &" ".repeat(i);
            s += "if x:\n";
        }
        s += &" ".repeat(n);
        s += "pass\n";
        s.into_bytes()
    };
    assert_eq!(one(&["zzz"], &indent(99)), "drop");
    assert_eq!(one(&["zzz"], &indent(100)), "keep");
}

#[test]
fn deep_nesting_goes_to_the_fallback_without_overflowing() {
    // Far deeper than any stack could recurse through: ruff parses it on a
    // growable stack, we never recurse per level, and the Python port
    // answers (CPython's parser gives up with MemoryError).
    let unary = format!("x = {}1\n", "-".repeat(200_000)).into_bytes();
    let answer = one(&["zzz"], &unary);
    assert!(answer.starts_with("fallback:"), "{answer}");
    // attribute chain: the reference visitor would hit RecursionError
    let chain = format!("x = a{}\n", ".b".repeat(400)).into_bytes();
    let answer = one(&["zzz"], &chain);
    assert!(answer.starts_with("fallback:"), "{answer}");
    // found before the deep part: answered natively (the Assign is visited
    // at once, the deep call after it)
    let found = format!("import os\nx = os.func\ny = f{}\n", "()".repeat(400)).into_bytes();
    assert_eq!(one(&["func"], &found), "keep");
    // an expression statement is only pushed: the deep Assign comes first
    let late = format!("import os\nos.func\ny = f{}\n", "()".repeat(400)).into_bytes();
    let answer = one(&["func"], &late);
    assert!(answer.starts_with("fallback:"), "{answer}");
}

#[test]
fn many_files_keep_input_order() {
    let contents: Vec<Vec<u8>> = (0..50)
        .map(|i| {
            if i % 3 == 0 {
                b"from m import target\n".to_vec()
            } else {
                b"import os\n".to_vec()
            }
        })
        .collect();
    let refs: Vec<&[u8]> = contents.iter().map(Vec::as_slice).collect();
    let answers = detail(&["m.target"], &refs);
    for (i, answer) in answers.iter().enumerate() {
        assert_eq!(answer, if i % 3 == 0 { "keep" } else { "drop" }, "file {i}");
    }
}

#[test]
fn plain_output_is_sorted_json_of_booleans() {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("b.py");
    let a = dir.path().join("a.py");
    std::fs::write(&b, "import os\n").unwrap();
    std::fs::write(&a, "from m import f\n").unwrap();
    let out = Command::new(bin())
        .args(["filter", "--target", "m.f", "--"])
        .arg(&b)
        .arg(&a)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let expected = format!(
        "{{\"{}\":true,\"{}\":false}}\n",
        a.display(),
        b.display()
    );
    assert_eq!(text, expected);
    let _ = Path::new("");
}
