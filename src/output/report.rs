//! The result: JSON with sorted keys and entries (byte-stable for the same
//! inputs, whatever the worker count), and the one-screen summary on stderr.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::jedi::pool::PoolCounters;
use crate::model::{Ambiguity, TestType};

/// One test that calls a function (the reference's `FunctionCalledInTest`).
/// Field order is alphabetical, so the JSON keys come out sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestEntry {
    pub col_no: u32,
    pub line_no: u32,
    pub test_class: Option<String>,
    pub test_file: String,
    pub test_function: String,
    pub test_type: TestType,
}

impl TestEntry {
    fn sort_key(&self) -> (&str, Option<&str>, &str, TestType, u32, u32) {
        (&self.test_file, self.test_class.as_deref(), &self.test_function, self.test_type, self.line_no, self.col_no)
    }
}

impl Ord for TestEntry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for TestEntry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A file or stage that did not go as it should; the run went on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ErrorEntry {
    pub file: Option<String>,
    pub stage: &'static str,
    pub message: String,
}

impl ErrorEntry {
    #[must_use]
    pub fn new(file: Option<String>, stage: &'static str, message: impl Into<String>) -> Self {
        ErrorEntry { file, stage, message: message.into() }
    }
}

/// Run statistics (`--stats`): timings and worker counts vary run to run,
/// so they are kept out of the default, byte-stable output.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Files under the tests root the import filter rejected before collection (not imported by pytest).
    pub test_files_skipped_before_collection: usize,
    pub test_files_collected: usize,
    pub tests_collected: usize,
    pub test_files_after_filter: usize,
    pub test_files_processed: usize,
    pub test_files_failed: usize,
    /// Analysed again from the reference's parso cache (`jedi::eviction`).
    pub test_files_reanalysed_for_eviction: usize,
    /// The collection cache: "hit" (pytest was not started), "miss" or "off" (`--no-cache`).
    pub collect_cache: &'static str,
    /// Test files whose Jedi answer was kept from an earlier run, and those analysed this run
    /// with the answer cache on (0 with `--no-cache`).
    pub jedi_cache_hits: usize,
    pub jedi_cache_misses: usize,
    /// Which Jedi worker served the interpreter: "embedded" or "subprocess" (`jedi::program`).
    pub worker: &'static str,
    /// The parse-tree store was filled ahead of the workers on every core (`jedi::tree_fill`).
    pub tree_fill: bool,
    /// What the Jedi stage's pool did (workers, retries, timeouts, crashes, fallback).
    #[serde(flatten)]
    pub pool: PoolCounters,
    pub collect_seconds: f64,
    pub filter_seconds: f64,
    pub jedi_seconds: f64,
    pub total_seconds: f64,
}

#[derive(Debug, Default, Serialize)]
pub struct DiscoveryResult {
    pub ambiguous: BTreeSet<Ambiguity>,
    pub errors: BTreeSet<ErrorEntry>,
    pub function_to_tests: BTreeMap<String, BTreeSet<TestEntry>>,
    pub num_discovered_replay_tests: u64,
    pub num_discovered_tests: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<Stats>,
}

/// Write `bytes` to `path`: a regular file (or a new one) atomically, through a temporary file in
/// the same folder renamed over it, so a reader never sees half an answer; through a symbolic
/// link, the file it points to (the link stays). Anything else that exists there (`/dev/null`, a
/// FIFO, a terminal) is opened and written: renaming over it would replace the device or pipe
/// with a regular file (as root, `-o /dev/null` once did exactly that).
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let mut file = std::fs::OpenOptions::new().write(true).open(path).with_context(|| format!("cannot write {}", path.display()))?;
        return file.write_all(bytes).with_context(|| format!("cannot write {}", path.display()));
    }
    let target = if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        match path.canonicalize() {
            Ok(resolved) => resolved,
            // A link to a file that does not exist yet: create that file.
            Err(_) => path.parent().unwrap_or(Path::new(".")).join(std::fs::read_link(path)?),
        }
    } else {
        path.to_path_buf()
    };
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write in {}", dir.display()))?;
    file.write_all(bytes)?;
    file.persist(&target).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

impl DiscoveryResult {
    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> Result<String> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        Ok(text)
    }

    /// Write to `-o FILE`, or to stdout. See [`write_output`].
    pub fn write(&self, output: Option<&Path>) -> Result<()> {
        let text = self.to_json()?;
        match output {
            Some(path) => write_output(path, text.as_bytes()),
            None => Ok(std::io::stdout().lock().write_all(text.as_bytes())?),
        }
    }

    /// The one-screen human summary.
    #[must_use]
    pub fn summary(&self, stats: &Stats) -> String {
        let entries: usize = self.function_to_tests.values().map(BTreeSet::len).sum();
        let mut text = format!(
            "codeflash-discover: {} functions called by {} tests ({} discovered, {} replay) in {:.1}s\n  collection {:.1}s: {} tests in {} files; filter {:.1}s: {} files kept; jedi {:.1}s: {} files, {} {} workers\n",
            self.function_to_tests.len(),
            entries,
            self.num_discovered_tests,
            self.num_discovered_replay_tests,
            stats.total_seconds,
            stats.collect_seconds,
            stats.tests_collected,
            stats.test_files_collected,
            stats.filter_seconds,
            stats.test_files_after_filter,
            stats.jedi_seconds,
            stats.test_files_processed,
            stats.pool.workers,
            stats.worker,
        );
        if stats.collect_cache != "off" {
            let _ = writeln!(
                text,
                "  cache: collection {}, Jedi answers {} kept and {} computed",
                if stats.collect_cache == "hit" { "kept" } else { "computed" },
                stats.jedi_cache_hits,
                stats.jedi_cache_misses
            );
        }
        let pool = &stats.pool;
        if pool.retries + pool.timeouts + pool.crashes > 0 || pool.fell_back_to_sequential {
            let _ = writeln!(
                text,
                "  workers: {} crashes, {} retries, {} timeouts{}",
                pool.crashes,
                pool.retries,
                pool.timeouts,
                if pool.fell_back_to_sequential { ", fell back to sequential" } else { "" }
            );
        }
        if pool.retired_for_memory > 0 {
            let _ = writeln!(text, "  workers: {} retired because available memory ran low", pool.retired_for_memory);
        }
        if !self.ambiguous.is_empty() {
            let _ = writeln!(text, "  {} references had several definitions (see \"ambiguous\")", self.ambiguous.len());
        }
        for error in self.errors.iter().take(10) {
            let first_line = error.message.lines().next().unwrap_or_default();
            let _ = writeln!(text, "  error [{}] {}: {first_line}", error.stage, error.file.as_deref().unwrap_or("-"));
        }
        if self.errors.len() > 10 {
            let _ = writeln!(text, "  ... and {} more errors (see \"errors\")", self.errors.len() - 10);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::write_output;

    #[test]
    fn a_regular_file_is_replaced_and_a_link_keeps_pointing_at_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.json");
        std::fs::write(&file, "old").unwrap();
        write_output(&file, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");

        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        write_output(&link, b"through the link").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "through the link");

        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink("created.json", &dangling).unwrap();
        write_output(&dangling, b"created").unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("created.json")).unwrap(), "created");
    }

    #[test]
    fn a_fifo_is_written_into_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        write_output(&fifo, b"{}\n").unwrap();
        assert_eq!(reader.join().unwrap(), "{}\n");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "still a FIFO (as /dev/null stays a device)");
    }
}
