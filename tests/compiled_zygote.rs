//! Each embedded worker forks the listeners of Jedi's compiled subprocess from one zygote
//! (`src/jedi/embedded/zygote.rs`) instead of letting every file's child start a fresh
//! subprocess. Checked here: every worker gets one, the answer is the one Jedi's own start
//! gives, a zygote that dies mid-run costs only time, and no zygote or listener outlives the run.
//! (Parity with the reference is the snapshot tests' and the gates' job, with the zygote on.)

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{discover_with_env, fixture_copy, json};

const FUNCTIONS: [&str; 4] = ["--function", "calc/core.py::add", "--function", "calc/core.py::Calculator.compute"];

/// The answer (without `stats`) and the stats of one run.
fn run(root: &Path, extra: &[&str], env: &[(&str, &str)]) -> (serde_json::Value, serde_json::Value) {
    let mut args = FUNCTIONS.to_vec();
    args.extend(["--stats", "--worker", "embedded"]);
    args.extend(extra);
    let mut answer = json(&discover_with_env(root, &args, env));
    let stats = answer.as_object_mut().unwrap().remove("stats").expect("--stats");
    (answer, stats)
}

/// Processes whose environment holds `marker` (the zygote and its listeners inherit it).
fn marked_processes(marker: &str) -> Vec<String> {
    let needle = marker.as_bytes();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().parse::<u32>().is_ok())
        .filter(|entry| std::fs::read(entry.path().join("environ")).is_ok_and(|env| env.windows(needle.len()).any(|w| w == needle)))
        .filter(|entry| std::fs::read_to_string(entry.path().join("stat")).is_ok_and(|stat| !stat.contains(") Z ")))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect()
}

fn assert_none_left(marker: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    // Listeners leave on EOF, a moment after the child that used them.
    while !marked_processes(marker).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(marked_processes(marker), Vec::<String>::new(), "processes left behind");
}

#[test]
fn every_worker_gets_a_zygote_and_the_answer_is_jedis_own_starts() {
    let (_dir, root) = fixture_copy("pytest_basics");
    let pid = std::process::id().to_string();
    let cache = tempfile::tempdir().unwrap();
    let cache = cache.path().to_str().unwrap();
    let (with_zygote, stats) = run(&root, &["-j", "2", "--cache-dir", cache], &[("CFD_ZYGOTE_TEST", &pid)]);
    assert_eq!(stats["workers"], 2);
    assert_eq!(stats["compiled_zygotes"], 2, "{stats}");
    let (without, stats) = run(&root, &["-j", "2", "--cache-dir", cache], &[("CODEFLASH_DISCOVER_NO_ZYGOTE", "1")]);
    assert_eq!(stats["compiled_zygotes"], 0, "{stats}");
    assert_eq!(with_zygote, without);
    assert!(!with_zygote["function_to_tests"].as_object().unwrap().is_empty(), "{with_zygote}");
    assert_none_left(&format!("CFD_ZYGOTE_TEST={pid}"));
}

#[test]
fn a_zygote_that_dies_mid_run_costs_only_time() {
    let (_dir, root) = fixture_copy("pytest_basics");
    let pid = std::process::id().to_string();
    let cache = tempfile::tempdir().unwrap();
    let cache = cache.path().to_str().unwrap();
    let (expected, _) = run(&root, &["-j", "1", "--cache-dir", cache], &[("CODEFLASH_DISCOVER_NO_ZYGOTE", "1")]);
    // The first file's child kills the zygote: that file and every later one fall back to
    // Jedi's own start of the subprocess.
    let (answer, stats) =
        run(&root, &["-j", "1", "--cache-dir", cache], &[("CODEFLASH_DISCOVER_FAULT", "kill-zygote:tests/"), ("CFD_ZYGOTE_FAULT_TEST", &pid)]);
    assert_eq!(stats["compiled_zygotes"], 1, "{stats}");
    assert_eq!(stats["test_files_failed"], 0, "{stats}");
    assert_eq!(stats["crashes"], 0, "{stats}");
    assert_eq!(answer, expected);
    assert_none_left(&format!("CFD_ZYGOTE_FAULT_TEST={pid}"));
}

#[test]
fn each_zygote_builds_the_inference_state_a_listener_would_build_first() {
    // A fresh listener loads parso's grammars at its first request for an InferenceState (80 to
    // 90 ms a file on networkx); the zygote does it once, ahead (pyhelpers/compiled_zygote.py),
    // and says so on its stderr, which reaches the worker's debug log.
    let (_dir, root) = fixture_copy("pytest_basics");
    let cache = tempfile::tempdir().unwrap();
    let mut args = FUNCTIONS.to_vec();
    args.extend(["--worker", "embedded", "-j", "2", "--cache-dir", cache.path().to_str().unwrap()]);
    let output = discover_with_env(&root, &args, &[("CODEFLASH_DISCOVER_LOG", "codeflash_discover=debug")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let log = String::from_utf8_lossy(&output.stderr);
    assert_eq!(log.matches("compiled_zygote: InferenceState built ahead").count(), 2, "{log}");
    assert!(!log.contains("compiled_zygote: no InferenceState ahead"), "{log}");
}
