//! The kept tree cache (README, "Cache"): a run with a cold cache, a warm one, one whose entries
//! were corrupted, one with `--no-cache` and one whose cache cannot be written all give the
//! same bytes, on the fixture whose answers at Jedi-ambiguous sites react to the warm process's
//! memory layout (a warm parent that parsed its trees, instead of loading them, picks otherwise).
//! The cache lives where it was told, never in the project, and `cache info|clean` see it.
//! The filler that parses an empty store on every core (`jedi::tree_fill`) stores the same bytes
//! as the workers' own one-core fill, and so changes no answer.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{binary, discover, discover_with_env, fixture_copy};

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn cache_command(action: &str, dir: &Path) -> String {
    let output = Command::new(binary()).args(["cache", action, "--cache-dir"]).arg(dir).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_cache_state_gives_the_same_answer() {
    let (_dir, root) = fixture_copy("dynamic_imports");
    let cache = tempfile::tempdir().unwrap();
    let project_files = files_under(&root);
    let answer = |args: &[&str]| {
        let output = discover(&root, args);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        (String::from_utf8(output.stdout).unwrap(), String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let dir = cache.path().to_str().unwrap();
    let with_cache = ["--worker", "embedded", "--cache-dir", dir];

    let (cold, _) = answer(&with_cache);
    assert!(cold.contains("\"candidates\""), "the fixture has Jedi-ambiguous sites: {cold}");
    let entries: Vec<_> = files_under(&cache.path().join("trees-v1")).into_iter().filter(|p| p.extension().is_some_and(|e| e == "pickle")).collect();
    assert!(entries.len() > 50, "the warm set was stored: {entries:?}");
    assert!(files_under(&cache.path().join("trees-v1/tmp")).is_empty(), "no temporary file is left behind");
    assert_eq!(files_under(&root), project_files, "nothing is written into the project");

    assert_eq!(answer(&with_cache).0, cold, "warm cache");

    // Corrupt entries (altered bytes, truncation, a foreign file) cost a parse, not the answer.
    for (k, entry) in entries.iter().enumerate() {
        match k % 3 {
            0 => std::fs::write(entry, b"not a tree").unwrap(),
            1 => {
                let bytes = std::fs::read(entry).unwrap();
                std::fs::write(entry, &bytes[..bytes.len() / 2]).unwrap();
            }
            _ => {}
        }
    }
    assert_eq!(answer(&with_cache).0, cold, "corrupt entries");
    let repaired = std::fs::read(&entries[0]).unwrap();
    assert!(repaired.len() > 100, "a corrupt entry is replaced by the next run");

    assert_eq!(answer(&["--worker", "embedded", "--no-cache"]).0, cold, "--no-cache");

    let not_a_dir = cache.path().join("a-file");
    std::fs::write(&not_a_dir, b"").unwrap();
    let (unwritable, stderr) = answer(&["--worker", "embedded", "--cache-dir", not_a_dir.to_str().unwrap()]);
    assert_eq!(unwritable, cold, "a cache that cannot be written");
    assert!(stderr.contains("cannot be written"), "one warning says so: {stderr}");

    // Two runs at once on an empty cache: one fills it while the other waits, both answer alike.
    let shared = tempfile::tempdir().unwrap();
    let shared_args = ["--worker", "embedded", "--cache-dir", shared.path().to_str().unwrap()];
    let both: Vec<_> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..2).map(|_| scope.spawn(|| answer(&shared_args).0)).collect();
        runs.into_iter().map(|run| run.join().unwrap()).collect()
    });
    assert_eq!(both, [cold.clone(), cold.clone()], "concurrent runs on one cold cache");
    assert!(files_under(&shared.path().join("trees-v1/tmp")).is_empty(), "no temporary file is left behind");

    let info = cache_command("info", cache.path());
    let stored = files_under(&cache.path().join("trees-v1")).len();
    assert!(info.contains(&format!("{stored} files")), "{info}");
    let cleaned = cache_command("clean", cache.path());
    assert!(cleaned.contains("removed"), "{cleaned}");
    assert!(cache_command("info", cache.path()).contains("(0 files"), "clean empties the store");
}

#[test]
fn the_filler_stores_what_the_workers_would() {
    let (_dir, root) = fixture_copy("dynamic_imports");
    let stored = |env: &[(&str, &str)]| {
        let cache = tempfile::tempdir().unwrap();
        let output = discover_with_env(&root, &["--worker", "embedded", "--stats", "--cache-dir", cache.path().to_str().unwrap()], env);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let mut answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let filled = answer["stats"]["tree_fill"].as_bool().unwrap();
        answer.as_object_mut().unwrap().remove("stats");
        let trees = cache.path().join("trees-v1");
        let entries: Vec<_> = files_under(&trees)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "pickle"))
            .map(|p| (p.strip_prefix(&trees).unwrap().to_path_buf(), std::fs::read(&p).unwrap()))
            .collect();
        (answer, filled, entries)
    };
    // Both runs see environments of one size. Since the warm process's canonical os.environ
    // (src/embed.rs) the size no longer counts (tests/child_heap.rs); before, an unset variable
    // against `=1` moved a pick at dynamic_imports' tests/test_ambiguous.py:14:13 in some folders.
    let (by_workers, filled, workers_entries) = stored(&[("CODEFLASH_DISCOVER_NO_TREE_FILL", "1")]);
    assert!(!filled, "the filler is off");
    let (by_filler, filled, filler_entries) = stored(&[("CODEFLASH_DISCOVER_NO_TREE_FILL", "0")]);
    assert!(filled, "the filler ran");
    assert!(workers_entries.len() > 50, "the warm set was stored: {}", workers_entries.len());
    assert!(workers_entries == filler_entries, "the same trees, byte for byte");
    assert_eq!(by_filler, by_workers, "the same answer");
}
