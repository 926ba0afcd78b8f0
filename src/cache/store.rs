//! A content-addressed store of JSON entries: one file per key, written by atomic rename.
//!
//! Input: a [`Key`] (a hash of everything the value depends on, built with [`KeyBuilder`]) and a
//! value. Output: the value stored under that key, or nothing. An entry is a magic line, the
//! blake3 of its payload, then the payload: a truncated, altered or foreign entry reads as
//! absent (one warning per run) and the next `put` replaces it. Writers go through `tmp/` and
//! rename into place, so two runs at once never meet half an entry, and a run killed mid-write
//! leaves the old entry or the new one.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::de::DeserializeOwned;
use serde::Serialize;

const MAGIC: &[u8] = b"codeflash-discover entry\n";

/// One warning line per run for damaged entries, one for failed writes.
static WARNED_DAMAGE: AtomicBool = AtomicBool::new(false);
static WARNED_WRITE: AtomicBool = AtomicBool::new(false);

/// A 32-byte key, shown as hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(pub [u8; 32]);

impl Key {
    #[must_use]
    pub fn hex(&self) -> String {
        blake3::Hash::from(self.0).to_hex().to_string()
    }
}

/// Builds a [`Key`] from parts; each part is length-prefixed, so ("ab", "c") and ("a", "bc") differ.
pub struct KeyBuilder(blake3::Hasher);

impl KeyBuilder {
    /// `domain` names what the key is for (and its format version).
    #[must_use]
    pub fn new(domain: &str) -> Self {
        let mut builder = KeyBuilder(blake3::Hasher::new());
        builder.part(domain.as_bytes());
        builder
    }

    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub fn json(&mut self, value: &impl Serialize) -> &mut Self {
        let text = serde_json::to_vec(value).unwrap_or_default();
        self.part(&text)
    }

    /// The key of these parts followed by `last` (the builder is kept for other `last`s).
    #[must_use]
    pub fn key(&self, last: &Key) -> Key {
        let mut hasher = self.0.clone();
        hasher.update(&last.0);
        Key(*hasher.finalize().as_bytes())
    }

    #[must_use]
    pub fn finish(&self) -> Key {
        Key(*self.0.finalize().as_bytes())
    }
}

/// A folder of entries (`<dir>/<2 hex>/<64 hex>.json`).
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store in `dir`, created if needed; `None` (with one warning) when it cannot be written.
    #[must_use]
    pub fn open(dir: &Path) -> Option<Store> {
        match writable(dir) {
            Ok(()) => Some(Store { dir: dir.to_path_buf() }),
            Err(error) => {
                tracing::warn!("cache {} cannot be written ({error}); going on without it", dir.display());
                None
            }
        }
    }

    fn entry(&self, key: &Key) -> PathBuf {
        let hex = key.hex();
        self.dir.join(&hex[..2]).join(format!("{hex}.json"))
    }

    /// The value under `key`; `None` when absent, damaged or of another shape.
    #[must_use]
    pub fn get<T: DeserializeOwned>(&self, key: &Key) -> Option<T> {
        let path = self.entry(key);
        let bytes = fs::read(&path).ok()?;
        let value = decode(&bytes).and_then(|payload| serde_json::from_slice(payload).ok());
        if value.is_none() && !WARNED_DAMAGE.swap(true, Ordering::Relaxed) {
            tracing::warn!("cache entry {} is damaged or foreign; recomputing it", path.display());
        }
        value
    }

    /// Store `value` under `key` (atomically); a failure is one warning, never an error.
    pub fn put<T: Serialize>(&self, key: &Key, value: &T) {
        if let Err(error) = self.try_put(key, value) {
            if !WARNED_WRITE.swap(true, Ordering::Relaxed) {
                tracing::warn!("cannot write to the cache {} ({error}); this run's results are not kept", self.dir.display());
            }
        }
    }

    fn try_put<T: Serialize>(&self, key: &Key, value: &T) -> std::io::Result<()> {
        let payload = serde_json::to_vec(value).map_err(std::io::Error::other)?;
        let path = self.entry(key);
        fs::create_dir_all(path.parent().unwrap_or(&self.dir))?;
        let mut file = tempfile::NamedTempFile::new_in(self.dir.join("tmp"))?;
        file.write_all(MAGIC)?;
        file.write_all(blake3::hash(&payload).to_hex().as_bytes())?;
        file.write_all(b"\n")?;
        file.write_all(&payload)?;
        file.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Whether a store folder can be written: its `tmp/` (where every store writes before renaming)
/// is created if needed and takes a file. Shared by this store and the tree store.
pub fn writable(dir: &Path) -> std::io::Result<()> {
    let tmp = dir.join("tmp");
    fs::create_dir_all(&tmp)?;
    tempfile::NamedTempFile::new_in(&tmp).map(drop)
}

/// The payload of an intact entry.
fn decode(bytes: &[u8]) -> Option<&[u8]> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (hash, payload) = (rest.get(..64)?, rest.get(65..)?);
    (rest.get(64) == Some(&b'\n') && hash == blake3::hash(payload).to_hex().as_bytes()).then_some(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_comes_back_and_damage_reads_as_absent() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let key = KeyBuilder::new("test").part(b"x").finish();
        assert_eq!(store.get::<Vec<u32>>(&key), None);
        store.put(&key, &vec![1, 2, 3]);
        assert_eq!(store.get::<Vec<u32>>(&key), Some(vec![1, 2, 3]));
        // Another shape than asked for, a flipped byte, a truncation: absent, and `put` repairs.
        assert_eq!(store.get::<String>(&key), None);
        let path = store.entry(&key);
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 2;
        bytes[last] ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert_eq!(store.get::<Vec<u32>>(&key), None);
        fs::write(&path, &bytes[..20]).unwrap();
        assert_eq!(store.get::<Vec<u32>>(&key), None);
        store.put(&key, &vec![4]);
        assert_eq!(store.get::<Vec<u32>>(&key), Some(vec![4]));
        // Nothing is left in tmp/.
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    }

    #[test]
    fn parts_are_length_prefixed() {
        let ab_c = KeyBuilder::new("t").part(b"ab").part(b"c").finish();
        let a_bc = KeyBuilder::new("t").part(b"a").part(b"bc").finish();
        assert_ne!(ab_c, a_bc);
        assert_eq!(ab_c, KeyBuilder::new("t").part(b"ab").part(b"c").finish());
    }

    #[test]
    fn an_unwritable_folder_gives_no_store() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        fs::write(&file, b"").unwrap();
        assert!(Store::open(&file.join("store")).is_none());
    }
}
