//! Checks against the reference itself (codeflash 0.20.6), run by the
//! Python in `CODEFLASH_DISCOVER_TEST_PYTHON` (default: `.venv/bin/python`
//! in the crate root). Skipped, with a note, when that Python cannot import
//! codeflash, except when `CI` is set (scripts/test_all sets it): then a
//! missing reference is a failure.
//!
//! - visit order: an instrumented `ImportAnalyzer` (`scripts/parity/tracer.py`:
//!   every `visit_*` call logged with node type and position) against `filter --trace`, event for
//!   event, on every fixture of `fixtures/filter_corpus/` and with several
//!   target sets;
//! - answers: `scripts/parity/filter_gate.py --port` over the
//!   fixtures (reference, native filter and Python port must agree).

use std::path::{Path, PathBuf};
use std::process::Command;

const CRATE: &str = env!("CARGO_MANIFEST_DIR");

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_codeflash-discover")
}

/// The reference Python, if it has codeflash.
fn reference_python() -> Option<PathBuf> {
    let python = std::env::var_os("CODEFLASH_DISCOVER_TEST_PYTHON")
        .map_or_else(|| Path::new(CRATE).join(".venv/bin/python"), PathBuf::from);
    let ok = Command::new(&python)
        .args(["-c", "import codeflash.discovery.discover_unit_tests"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Some(python)
    } else {
        // In CI the reference must be there: a skipped parity check is a failure.
        assert!(std::env::var_os("CI").is_none(), "CI: {} cannot import codeflash", python.display());
        eprintln!(
            "note: skipping reference check: {} cannot import codeflash \
             (set CODEFLASH_DISCOVER_TEST_PYTHON)",
            python.display()
        );
        None
    }
}

fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(CRATE).join("fixtures/filter_corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
}

/// The instrumented reference analyzer (every `visit_*` call logged), shared
/// with the filter gate: `tracer.py TARGETS_JSON FILE...` prints
/// `{FILE: {"outcome", "events"}}`.
fn tracer() -> PathBuf {
    Path::new(CRATE).join("scripts/parity/tracer.py")
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn visit_order_matches_the_reference() {
    let Some(python) = reference_python() else { return };
    let files = fixtures();
    let target_sets: &[&[&str]] = &[
        &["zz_never_found"],
        &["func"],
        &["Klass.method", "sub.thing"],
        &["mod.func", "pick", "width"],
    ];
    let mut compared = 0;
    for targets in target_sets {
        let reference = json_of(
            &Command::new(&python)
                .arg(tracer())
                .arg(serde_json::to_string(targets).unwrap())
                .args(&files)
                .output()
                .unwrap(),
        );
        let mut cmd = Command::new(bin());
        cmd.args(["filter", "--trace"]);
        for t in *targets {
            cmd.arg("--target").arg(t);
        }
        let ours = json_of(&cmd.arg("--").args(&files).output().unwrap());
        for file in &files {
            let key = file.to_string_lossy().into_owned();
            let reference = &reference[&key];
            let ours = &ours[&key];
            // Only files the reference walks completely or to a find.
            if reference["events"].is_null() {
                continue;
            }
            let our_outcome = ours["outcome"].as_str().unwrap();
            if our_outcome == "NeedsPythonFallback" {
                continue;
            }
            assert_eq!(
                reference["events"], ours["events"],
                "visit order differs for {key} with targets {targets:?}"
            );
            compared += 1;
        }
    }
    assert!(compared > 50, "only {compared} traces compared");
}

#[test]
fn fixture_answers_match_the_reference_and_the_port() {
    let Some(python) = reference_python() else { return };
    let out = Command::new(&python)
        .arg(Path::new(CRATE).join("scripts/parity/filter_gate.py"))
        .arg("--port")
        .arg("--binary")
        .arg(bin())
        .arg(Path::new(CRATE).join("fixtures/filter_corpus"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(", 0 mismatches"), "{stdout}");
}
