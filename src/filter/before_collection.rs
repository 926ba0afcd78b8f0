//! The import filter run before collection: which Python files under the tests root the filter
//! rejects, so that pytest never imports them (our collection plugin answers pytest's
//! `pytest_ignore_collect` with this list; pytest's own rules still choose every other file).
//!
//! The reference collects every test module and filters afterwards. The filter's verdict on a file
//! depends only on that file and the functions asked for, so a file rejected here is a file the
//! reference rejects after collecting it: the Jedi stage sees the same files with the same tests.
//! What can differ is what importing a rejected module would have done to the others (README,
//! "Filter before collection"); `--collect-all` collects everything, as the reference does.
//!
//! Input: the tests root, the target names, the project's interpreter. Output: the resolved paths
//! of the rejected files, sorted. Files the filter keeps, or could not read, are not listed (they
//! are collected, then filtered again with the rest, as before).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::decide;

/// Folders no test collection goes into (pytest's default `norecursedirs`, virtual environments,
/// bytecode caches): walking them would only cost time. A folder we skip is not ignored: pytest
/// collects whatever it finds there, and the filter after collection judges it.
fn skip_dir(dir: &Path) -> bool {
    let Some(name) = dir.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    name.starts_with('.')
        || Path::new(name).extension().is_some_and(|e| e == "egg")
        || matches!(name, "__pycache__" | "node_modules" | "venv" | "build" | "dist" | "CVS" | "_darcs" | "{arch}" | "site-packages")
        || dir.join("pyvenv.cfg").exists()
        || dir.join("conda-meta").is_dir()
}

/// Files that may be test modules: `*.py` other than `conftest.py` and `__init__.py` (a conftest is
/// loaded whatever the filter says; a package's `__init__` makes the package).
fn candidate(file: &Path) -> bool {
    file.extension().is_some_and(|e| e == "py") && !file.file_name().is_some_and(|n| n == "conftest.py" || n == "__init__.py")
}

/// Every candidate file under `root`, in a stable order; symbolic links to folders are not followed.
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in crate::files::sorted_entries(&dir) {
            let Ok(kind) = entry.file_type() else { continue };
            let path = entry.path();
            if kind.is_dir() {
                if !skip_dir(&path) {
                    pending.push(path);
                }
            } else if candidate(&path) {
                files.push(path);
            }
        }
    }
    files
}

/// The resolved paths of the files under `tests_root` that the import filter rejects for `targets`.
#[must_use]
pub fn rejected_files(tests_root: &Path, targets: &BTreeSet<String>, python: &Path, minor: u8) -> Vec<PathBuf> {
    let files = walk(tests_root);
    let verdicts = decide(&files, targets, python, minor);
    let mut rejected: Vec<PathBuf> = files
        .into_iter()
        .zip(verdicts)
        .filter(|(_, verdict)| !verdict.keep && verdict.error.is_none())
        .filter_map(|(file, _)| file.canonicalize().ok())
        .collect();
    rejected.sort();
    rejected.dedup();
    rejected
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn walk_skips_caches_venvs_and_hidden_folders_and_never_lists_conftest_or_init() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in ["test_a.py", "sub/test_b.py", "sub/__init__.py", "conftest.py", "sub/helper.py", "notes.txt"] {
            write(&root.join(file), "");
        }
        for file in [".hidden/test_c.py", "__pycache__/test_d.py", "env/pyvenv.cfg", "env/test_e.py", "node_modules/test_f.py"] {
            write(&root.join(file), "");
        }
        let mut found: Vec<String> = walk(root).iter().map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned()).collect();
        found.sort();
        assert_eq!(found, ["sub/helper.py", "sub/test_b.py", "test_a.py"]);
    }

    #[test]
    fn only_files_the_filter_rejects_without_an_error_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(&root.join("test_uses.py"), "from pkg.mod import calc\n\ndef test_calc():\n    calc()\n");
        write(&root.join("test_other.py"), "import os\n\ndef test_other():\n    os.getcwd()\n");
        std::fs::write(root.join("test_latin1.py"), b"# caf\xe9\ndef test_x():\n    pass\n").unwrap();
        let targets: BTreeSet<String> = ["calc".to_owned()].into();
        // Only the native filter is reached for these files (CPython 3.11's grammar, no fallback).
        let rejected = rejected_files(root, &targets, Path::new("/nonexistent-python"), 11);
        assert_eq!(rejected, [root.join("test_other.py").canonicalize().unwrap()]);
    }
}
