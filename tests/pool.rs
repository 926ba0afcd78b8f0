//! The Jedi pool: same answer for every worker count, and that answer is the
//! reference's (a committed answer produced by unpatched codeflash 0.20.6,
//! `scripts/parity/refresh_expected.py`); every fault (crash, hang, Python exception,
//! repeated crashes) is injected for real through CODEFLASH_DISCOVER_FAULT and
//! survived.

mod common;

use codeflash_discover::jedi::pool::{CRASH_THRESHOLD, MAX_ATTEMPTS};
use common::{assert_reference_answer, discover, discover_with_env, entries_without, fixture_copy, json, test_files};

const FAULTY: &str = "test_geometry.py";

#[test]
fn output_is_byte_identical_for_every_worker_count_and_sequential() {
    let (_dir, root) = fixture_copy("pytest_basics");
    let sequential = discover(&root, &["--sequential"]);
    assert_reference_answer(&json(&sequential), &root);
    for jobs in ["1", "2", "4", "8"] {
        let pooled = discover(&root, &["-j", jobs]);
        assert_eq!(pooled.stdout, sequential.stdout, "-j {jobs} differs from --sequential");
    }
    let chunked = discover(&root, &["-j", "2", "--chunk-size", "3"]);
    assert_eq!(chunked.stdout, sequential.stdout, "--chunk-size 3 differs");
    let again = discover(&root, &["--sequential"]);
    assert_eq!(again.stdout, sequential.stdout, "two runs differ");
}

#[test]
fn a_worker_that_dies_once_is_replaced_and_the_file_retried() {
    let (baseline, result) = baseline_and_fault_once("abort-once");
    assert_eq!(result["stats"]["retries"], 1);
    assert_eq!(result["stats"]["crashes"], 1);
    assert_eq!(without_stats(&result), baseline, "a retried file must give the same answer");
}

#[test]
fn a_warm_process_that_dies_is_started_again_and_the_answer_is_unchanged() {
    let (baseline, result) = baseline_and_fault_once("kill-warm-once");
    assert_eq!(result["stats"]["warm_processes"], 2, "{}", result["stats"]);
    assert_eq!(result["stats"]["fell_back_to_sequential"], false);
    assert!(result["errors"].as_array().unwrap().is_empty(), "{}", result["errors"]);
    assert_eq!(without_stats(&result), baseline, "files retried after the warm process died must give the same answer");
}

/// `-j 2` on a fresh `pytest_basics`: its answer, then its answer (with `--stats`) when fault
/// `kind` (one of the `-once` kinds) strikes [`FAULTY`] the first time.
fn baseline_and_fault_once(kind: &str) -> (serde_json::Value, serde_json::Value) {
    let (dir, root) = fixture_copy("pytest_basics");
    let baseline = json(&discover(&root, &["-j", "2"]));
    let state = dir.path().join("fault-state");
    std::fs::create_dir(&state).unwrap();
    let faulty = discover_with_env(
        &root,
        &["-j", "2", "--stats"],
        &[("CODEFLASH_DISCOVER_FAULT", &format!("{kind}:{FAULTY}")), ("CODEFLASH_DISCOVER_FAULT_STATE", state.to_str().unwrap())],
    );
    (baseline, json(&faulty))
}

/// The answer without its run statistics.
fn without_stats(result: &serde_json::Value) -> serde_json::Value {
    let mut answer = result.clone();
    answer.as_object_mut().unwrap().remove("stats");
    answer
}

#[test]
fn a_file_whose_worker_always_dies_is_an_error_and_the_rest_is_unchanged() {
    for kind in ["abort", "segv", "exit"] {
        let (_dir, root) = fixture_copy("pytest_basics");
        let baseline = json(&discover(&root, &["-j", "2"]));
        assert!(test_files(&baseline).iter().any(|f| f.contains(FAULTY)), "fixture must exercise {FAULTY}");
        let result = json(&discover_with_env(&root, &["-j", "2", "--stats"], &[("CODEFLASH_DISCOVER_FAULT", &format!("{kind}:{FAULTY}"))]));
        assert_eq!(result["stats"]["crashes"], MAX_ATTEMPTS, "{kind}: one crash per try");
        assert_eq!(result["stats"]["retries"], MAX_ATTEMPTS - 1, "{kind}");
        let errors = result["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{kind}: {errors:?}");
        assert!(errors[0]["file"].as_str().unwrap().ends_with(FAULTY));
        assert!(errors[0]["message"].as_str().unwrap().contains(&format!("died on each of {MAX_ATTEMPTS} tries")));
        assert!(!test_files(&result).iter().any(|f| f.contains(FAULTY)));
        assert_eq!(entries_without(&result, FAULTY), entries_without(&baseline, FAULTY), "{kind}: other files changed");
    }
}

#[test]
fn a_hanging_file_times_out_its_worker_is_replaced_and_the_rest_is_unchanged() {
    let (_dir, root) = fixture_copy("pytest_basics");
    let baseline = json(&discover(&root, &["-j", "2"]));
    let result = json(&discover_with_env(
        &root,
        &["-j", "2", "--timeout-per-file", "20", "--stats"],
        &[("CODEFLASH_DISCOVER_FAULT", &format!("hang:{FAULTY}"))],
    ));
    assert_eq!(result["stats"]["timeouts"], 1);
    // The killed worker's replacement is forked from the same warm process (README, "How it works").
    assert_eq!(result["stats"]["warm_processes"], 1, "{}", result["stats"]);
    let errors = result["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]["message"].as_str().unwrap().contains("timed out after 20s"));
    assert_eq!(entries_without(&result, FAULTY), entries_without(&baseline, FAULTY));
}

#[test]
fn a_python_exception_is_an_error_entry_and_the_worker_keeps_going() {
    let (_dir, root) = fixture_copy("pytest_basics");
    let baseline = json(&discover(&root, &["-j", "1"]));
    let result = json(&discover_with_env(&root, &["-j", "1", "--stats"], &[("CODEFLASH_DISCOVER_FAULT", &format!("raise:{FAULTY}"))]));
    assert_eq!(result["stats"]["crashes"], 0, "no worker may die for a Python exception");
    let errors = result["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["message"].as_str().unwrap().contains("injected fault"));
    assert_eq!(entries_without(&result, FAULTY), entries_without(&baseline, FAULTY));
}

#[test]
fn repeated_crashes_fall_back_to_sequential_for_what_is_left() {
    let (_dir, root) = fixture_copy("pytest_basics");
    let baseline = json(&discover(&root, &["--sequential"]));
    // Every worker dies on every file; the sequential fallback (in-process) is not affected.
    let result = json(&discover_with_env(&root, &["-j", "1", "--stats"], &[("CODEFLASH_DISCOVER_FAULT", "abort:/")]));
    assert_eq!(result["stats"]["fell_back_to_sequential"], true);
    assert_eq!(result["stats"]["crashes"], CRASH_THRESHOLD);
    // With one worker, failed files go to the back of the queue: no file used all its
    // tries before the threshold, so everything was analyzed sequentially.
    assert_eq!(without_stats(&result), baseline, "the fallback must give the same answer");
}

#[test]
fn no_fallback_fails_the_run_after_repeated_crashes() {
    let (_dir, root) = fixture_copy("pytest_basics");
    let output = discover_with_env(&root, &["-j", "1", "--no-fallback"], &[("CODEFLASH_DISCOVER_FAULT", "abort:/")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--no-fallback"));
}

#[test]
fn under_memory_pressure_workers_retire_down_to_one_and_the_answer_is_unchanged() {
    let (dir, root) = fixture_copy("pytest_basics");
    // Simulated pressure: less than one worker's budget available, for the whole run.
    let meminfo = dir.path().join("meminfo");
    std::fs::write(&meminfo, "MemTotal:       24576000 kB\nMemAvailable:     102400 kB\n").unwrap();
    let pressure = [("CODEFLASH_DISCOVER_MEMINFO", meminfo.to_str().unwrap())];
    let result = json(&discover_with_env(&root, &["-j", "4", "--stats"], &pressure));
    let workers = result["stats"]["workers"].as_u64().unwrap();
    assert!(workers > 1, "-j 4 on this fixture starts several workers");
    assert_eq!(result["stats"]["retired_for_memory"].as_u64(), Some(workers - 1), "every worker but the last retires");
    assert_eq!(result["stats"]["crashes"], 0);
    // The reference's answer (and so the same as any -j: see the first test).
    assert_reference_answer(&result, &root);

    // With that much memory available at the start, the default worker count is one.
    let default_jobs = json(&discover_with_env(&root, &["--stats"], &pressure));
    assert_eq!(default_jobs["stats"]["workers"], 1);
    assert_eq!(default_jobs["stats"]["retired_for_memory"], 0, "the last worker is never retired");
}
