//! The model of the reference's parso cache across files (README, "parso's cache across files";
//! `src/jedi/eviction.rs`), end to end on the project `scripts/parity/eviction_gate.py` generates:
//! 700 one-function modules, three test files, every file stamped with one old mtime. In the
//! reference's one process the cache reaches 600 trees inside `tests/test_second.py`, and that file
//! loses every entry: 3 unpatched reference runs on 3.9 to 3.13 give 370 entries, none in
//! `test_second.py` (the gate judges ours against them). Here: ours analyses that file again from
//! the reference's cache, with the embedded and the subprocess worker alike, and a repeat run serves
//! the same bytes from the kept cache, its primed answer included, without starting a worker; one
//! worker or two, the same bytes. The gate's `spared` case (the files test_second.py reads written
//! minutes before the run): the cache reaches 600 there too, but an eviction drops only old trees it
//! never reads, and 3 unpatched reference runs on 3.9 to 3.13 keep all 720 entries; ours, without
//! analysing any file again.

mod common;

use std::path::Path;
use std::process::Command;

use common::{binary, python};

/// The gate's project under `root` (its `generate`, so both test the same project).
fn generate(root: &Path, spared: bool) {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts");
    let status = Command::new(python())
        .arg("-c")
        .arg("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); from parity.eviction_gate import generate; generate(Path(sys.argv[2]), spared=sys.argv[3] == 'spared')")
        .arg(&scripts)
        .arg(root)
        .arg(if spared { "spared" } else { "old" })
        .status()
        .expect("run the generator");
    assert!(status.success(), "the generator failed");
}

fn run(root: &Path, cache: &Path, args: &[&str]) -> serde_json::Value {
    let output = Command::new(binary())
        .arg("--python")
        .arg(python())
        .arg("--quiet")
        .arg("--stats")
        .arg("--cache-dir")
        .arg(cache)
        .args(args)
        .current_dir(root)
        .env_remove("CODEFLASH_DISCOVER_REFRESH")
        .output()
        .expect("run codeflash-discover");
    assert!(output.status.success(), "codeflash-discover failed:\n{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

fn entries_in(result: &serde_json::Value, file: &str) -> usize {
    let map = result["function_to_tests"].as_object().unwrap();
    map.values().flat_map(|entries| entries.as_array().unwrap()).filter(|entry| entry["test_file"].as_str().unwrap().ends_with(file)).count()
}

fn without_stats(mut result: serde_json::Value) -> serde_json::Value {
    result.as_object_mut().unwrap().remove("stats");
    result
}

#[test]
fn a_file_the_reference_evicts_during_is_analysed_again_and_kept_under_its_prime() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("proj");
    std::fs::create_dir(&root).unwrap();
    generate(&root, false);
    let cache = dir.path().join("cache");

    let first = run(&root, &cache, &[]);
    let stats = &first["stats"];
    assert_eq!(stats["test_files_reanalysed_for_eviction"], 1, "{stats}");
    assert_eq!(first["num_discovered_tests"], 370, "the reference's count");
    assert_eq!(entries_in(&first, "tests/test_first.py"), 350);
    assert_eq!(entries_in(&first, "tests/test_second.py"), 0, "the reference loses the whole file");
    assert_eq!(entries_in(&first, "tests/test_third.py"), 20);
    assert!(first["errors"].as_array().unwrap().is_empty(), "{}", first["errors"]);

    let repeat = run(&root, &cache, &[]);
    assert_eq!(repeat["stats"]["jedi_cache_hits"], 3, "{}", repeat["stats"]);
    assert_eq!(repeat["stats"]["workers"], 0, "served: no worker started ({})", repeat["stats"]);
    assert_eq!(without_stats(repeat), without_stats(first.clone()));

    // The primed file runs beside the others in the pool (as soon as test_first.py is known):
    // one worker or several, the same bytes.
    let one_worker = run(&root, &cache, &["--refresh", "-j", "1"]);
    assert_eq!(one_worker["stats"]["test_files_reanalysed_for_eviction"], 1);
    assert_eq!(without_stats(one_worker), without_stats(first.clone()));

    let subprocess = run(&root, &cache, &["--refresh", "--worker", "subprocess"]);
    assert_eq!(subprocess["stats"]["test_files_reanalysed_for_eviction"], 1);
    assert_eq!(without_stats(subprocess), without_stats(first));
}

#[test]
fn an_eviction_that_drops_only_trees_the_file_never_reads_keeps_its_answer_without_a_second_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("proj");
    std::fs::create_dir(&root).unwrap();
    generate(&root, true);
    let result = run(&root, &dir.path().join("cache"), &[]);
    assert_eq!(result["stats"]["test_files_reanalysed_for_eviction"], 0, "{}", result["stats"]);
    assert_eq!(result["num_discovered_tests"], 720, "the reference's count");
    assert_eq!(entries_in(&result, "tests/test_first.py"), 350);
    assert_eq!(entries_in(&result, "tests/test_second.py"), 350, "the reference keeps the whole file");
    assert_eq!(entries_in(&result, "tests/test_third.py"), 20);
    assert!(result["errors"].as_array().unwrap().is_empty(), "{}", result["errors"]);
}
