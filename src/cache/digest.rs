//! What a cached value depends on, and whether it still holds: the content of files and the
//! names in folders, hashed (blake3) once per run and checked in parallel.
//!
//! Input: paths. Output: [`Deps`] (recorded with a value when it is stored) and
//! [`Digests::holds`] (checked when it is looked up). Only contents and names count, never an
//! mtime: a file touched without a change still matches, and a file restored with an old mtime
//! does not fool it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The digest of a file's content or a folder's names; `None`: it did not exist (or could not be
/// read), which is itself a fact a value can depend on.
pub type Digest = Option<String>;

/// Files and folders a value depends on, with what they held when it was computed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deps {
    pub files: Vec<(String, Digest)>,
    pub folders: Vec<(String, Digest)>,
}

/// This run's digests, each computed once.
#[derive(Default)]
pub struct Digests {
    files: Mutex<HashMap<PathBuf, Digest>>,
    folders: Mutex<HashMap<PathBuf, Digest>>,
}

impl Digests {
    #[must_use]
    pub fn file(&self, path: &Path) -> Digest {
        if let Some(known) = self.files.lock().expect("digest memo").get(path) {
            return known.clone();
        }
        let digest = std::fs::read(path).ok().map(|bytes| blake3::hash(&bytes).to_hex().to_string());
        self.files.lock().expect("digest memo").insert(path.to_path_buf(), digest.clone());
        digest
    }

    /// The sorted names in a folder, each with its kind (folder or not).
    #[must_use]
    pub fn folder(&self, path: &Path) -> Digest {
        if let Some(known) = self.folders.lock().expect("digest memo").get(path) {
            return known.clone();
        }
        let digest = std::fs::read_dir(path).ok().map(|entries| {
            let mut names: Vec<(Vec<u8>, bool)> = entries
                .filter_map(Result::ok)
                .map(|e| (e.file_name().as_encoded_bytes().to_vec(), e.file_type().is_ok_and(|t| t.is_dir())))
                .collect();
            names.sort();
            let mut hasher = blake3::Hasher::new();
            for (name, is_dir) in names {
                hasher.update(&name).update(if is_dir { b"/\0" } else { b"\0" });
            }
            hasher.finalize().to_hex().to_string()
        });
        self.folders.lock().expect("digest memo").insert(path.to_path_buf(), digest.clone());
        digest
    }

    /// Record what `files` and `folders` hold now (sorted, without repeats).
    #[must_use]
    pub fn record(&self, files: impl IntoIterator<Item = String>, folders: impl IntoIterator<Item = String>) -> Deps {
        let sorted = |items: Vec<String>| {
            let mut items = items;
            items.sort();
            items.dedup();
            items
        };
        let files = sorted(files.into_iter().collect());
        let folders = sorted(folders.into_iter().collect());
        Deps {
            files: files.into_par_iter().map(|f| (f.clone(), self.file(Path::new(&f)))).collect(),
            folders: folders.into_par_iter().map(|d| (d.clone(), self.folder(Path::new(&d)))).collect(),
        }
    }

    /// Whether every recorded file and folder still holds what it held.
    #[must_use]
    pub fn holds(&self, deps: &Deps) -> bool {
        deps.files.par_iter().all(|(path, digest)| self.file(Path::new(path)) == *digest)
            && deps.folders.par_iter().all(|(path, digest)| self.folder(Path::new(path)) == *digest)
    }
}

/// The names under `root` that an import could find, as one digest: what a new or removed module
/// or package there would change. `recursive`: the whole tree (the project), else `root`'s own
/// entries (the folder beside the project, on Jedi's `sys_path` too). Counted: folders and module
/// files (`.py`, `.pyi`, `.so`, `.pyd`) whose name is an identifier (`x-stubs` folders too, which
/// Jedi reads as stub packages); left out, because no import can name them: data files, our own
/// output, temp folders such as `codeflash-discover-XXXX`, hidden entries, `__pycache__` and
/// virtual environments. Symbolic links to folders are not followed.
#[must_use]
pub fn module_names(root: &Path, recursive: bool) -> String {
    let mut hasher = blake3::Hasher::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in crate::files::sorted_entries(&dir) {
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let name = entry.file_name();
            if !importable(&name.to_string_lossy(), is_dir) {
                continue;
            }
            let path = entry.path();
            hasher.update(path.as_os_str().as_encoded_bytes()).update(if is_dir { b"/\0" } else { b"\0" });
            if recursive && is_dir && !path.join("pyvenv.cfg").exists() {
                pending.push(path);
            }
        }
    }
    hasher.finalize().to_hex().to_string()
}

/// Whether an import could find this entry: a folder named as an identifier (or `x-stubs`), a
/// module file whose name up to its first dot is one.
fn importable(name: &str, is_dir: bool) -> bool {
    let identifier = |text: &str| {
        let mut chars = text.chars();
        chars.next().is_some_and(|c| c == '_' || c.is_alphabetic()) && chars.all(|c| c == '_' || c.is_alphanumeric())
    };
    if is_dir {
        return name != "__pycache__" && identifier(name.strip_suffix("-stubs").unwrap_or(name));
    }
    let module_file = [".py", ".pyi", ".so", ".pyd"].iter().any(|suffix| name.ends_with(suffix));
    module_file && identifier(name.split('.').next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_and_names_count_and_touching_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m.py");
        std::fs::write(&file, "x = 1\n").unwrap();
        let path = |p: &Path| p.to_string_lossy().into_owned();
        let deps = Digests::default().record([path(&file), path(&dir.path().join("absent.py"))], [path(dir.path())]);
        assert!(Digests::default().holds(&deps));
        // Rewritten with the same bytes (a touch): still holds.
        std::fs::write(&file, "x = 1\n").unwrap();
        assert!(Digests::default().holds(&deps));
        std::fs::write(&file, "x = 2\n").unwrap();
        assert!(!Digests::default().holds(&deps));
        std::fs::write(&file, "x = 1\n").unwrap();
        // A file that was absent appears: the folder's names and the file itself changed.
        std::fs::write(dir.path().join("absent.py"), "").unwrap();
        assert!(!Digests::default().holds(&deps));
    }

    #[test]
    fn module_names_sees_new_modules_not_caches_or_data() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("pkg/__pycache__")).unwrap();
        std::fs::write(dir.path().join("pkg/a.py"), "").unwrap();
        let before = module_names(dir.path(), true);
        std::fs::write(dir.path().join("pkg/__pycache__/a.pyc"), "").unwrap();
        std::fs::write(dir.path().join("pkg/a.py"), "changed").unwrap();
        assert_eq!(module_names(dir.path(), true), before);
        std::fs::write(dir.path().join("pkg/out.json"), "").unwrap();
        assert_eq!(module_names(dir.path(), true), before);
        std::fs::write(dir.path().join("pkg/b.py"), "").unwrap();
        assert_ne!(module_names(dir.path(), true), before);
        // Beside the project: only its own entries; temp folders are not importable.
        let top = module_names(dir.path(), false);
        std::fs::create_dir(dir.path().join("codeflash-discover-x1")).unwrap();
        std::fs::write(dir.path().join("pkg/c.py"), "").unwrap();
        assert_eq!(module_names(dir.path(), false), top);
        std::fs::create_dir(dir.path().join("newpkg")).unwrap();
        assert_ne!(module_names(dir.path(), false), top);
    }

    #[test]
    fn importable_names() {
        assert!(importable("mod.py", false) && importable("ext.cpython-311-x86_64-linux-gnu.so", false));
        assert!(importable("pkg", true) && importable("pkg-stubs", true) && importable("_private", true));
        assert!(!importable("out.json", false) && !importable("my-module.py", false) && !importable("1st.py", false));
        assert!(!importable("codeflash-discover-abc", true) && !importable(".git", true) && !importable("__pycache__", true));
    }
}
