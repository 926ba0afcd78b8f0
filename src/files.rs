//! Reading folders the same way everywhere: a folder's entries in name order (the filter's walk
//! before collection, the cache's view of a project's modules), so what depends on them is stable.
//!
//! Input: a folder. Output: its entries sorted by name; none when it cannot be read.

use std::fs::DirEntry;
use std::path::Path;

/// The entries of `dir` sorted by file name (empty when `dir` cannot be read).
#[must_use]
pub fn sorted_entries(dir: &Path) -> Vec<DirEntry> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(DirEntry::file_name);
    entries
}
