//! parso's in-memory cache as the reference's one process carries it from file to file, and the
//! files whose answer it changes.
//!
//! The reference analyses every test file in one process, so parso's cache of parse trees grows
//! over the run. parso 0.8 evicts: at the insertion that finds [`TRIGGER`] trees held, it drops
//! every tree not used in the last 10 minutes, and a fresh parse counts as used at its file's
//! mtime. A tree parsed once, long after its file was written, goes at the next eviction even
//! while Jedi still reads it; Jedi's `get_parso_cache_node` then raises `KeyError`, and the
//! reference skips every later name of that file (measured: networkx with matplotlib installed
//! loses 252 entries of `test_pylab.py` this way). Our children each start from the warm set and
//! never evict, so where the reference evicts during a file we analyse that file again from the
//! reference's cache ([`Prime`]).
//!
//! Input: the files in the reference's order, and each file's outcome with the trees it parsed or
//! used (`FileOutcome::used`). Output: the outcomes, those of the files the reference evicts
//! during replaced by a primed run's. A step needs only the set a file used, not the order: until
//! the first eviction of a file the cache only grows, so whether one happens is known from sizes.
//!
//! What is not modelled: a reference run longer than 10 minutes also forgets trees used early in
//! it (its answer then depends on its own speed), and a file the worker could not report on
//! (`used` empty: a failed file, or the no-fork fallback) adds only itself.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use crate::model::{FileOutcome, FileTask, Prime};

/// `parso.cache._CACHED_SIZE_TRIGGER` (parso 0.8): the cache size at which an insertion evicts.
pub const TRIGGER: usize = 600;
/// `parso.cache._CACHED_FILE_MINIMUM_SURVIVAL`: an eviction keeps trees used this recently.
const RECENT: Duration = Duration::from_secs(600);

/// The reference's parso cache: every tree it holds, with whether it was used recently.
pub struct Model {
    trees: BTreeMap<String, bool>,
    /// A file modified after this counts as used recently when parsed (parso stamps its mtime).
    cutoff: SystemTime,
}

/// What one file does to the model.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// No eviction while the file is analysed: the answer from the warm set is the reference's.
    Isolated,
    /// The reference evicts during the file: analyse it again from this cache, then
    /// [`Model::replace`] with the cache it leaves.
    Primed(Prime),
}

impl Model {
    #[must_use]
    pub fn new(now: SystemTime) -> Self {
        Model { trees: BTreeMap::new(), cutoff: now.checked_sub(RECENT).unwrap_or(SystemTime::UNIX_EPOCH) }
    }

    /// One file, `test_file`, which used the trees `used`. Jedi parses the test file first (an
    /// eviction then cannot touch what the file reads: nothing is read yet), then loads each module
    /// it imports: a tree held is a hit (used now), any other an insertion.
    pub fn step(&mut self, test_file: &str, used: &[String]) -> Step {
        if self.evicts_during(test_file, used) {
            return Step::Primed(Prime { trigger: TRIGGER, trees: self.trees.iter().map(|(path, &recent)| (path.clone(), recent)).collect() });
        }
        self.advance(test_file, used);
        Step::Isolated
    }

    /// Whether an insertion after the file's own parse finds the cache full. Until then the cache
    /// only grows, so the order of the insertions does not matter.
    fn evicts_during(&self, test_file: &str, used: &[String]) -> bool {
        let parses_itself = !self.trees.contains_key(test_file);
        let evicts_first = parses_itself && self.trees.len() >= TRIGGER;
        let kept = |recent: bool| recent || !evicts_first;
        let held = self.trees.values().filter(|&&recent| kept(recent)).count() + usize::from(parses_itself);
        let misses = used
            .iter()
            .filter(|path| path.as_str() != test_file && !self.trees.get(path.as_str()).is_some_and(|&recent| kept(recent)))
            .count();
        misses > 0 && held + misses > TRIGGER
    }

    /// The file's trees into the cache, in the reference's steps (evicting where it would).
    fn advance(&mut self, test_file: &str, used: &[String]) {
        if !self.trees.contains_key(test_file) {
            self.insert(test_file);
        }
        for path in used.iter().filter(|path| path.as_str() != test_file) {
            match self.trees.get_mut(path) {
                Some(recent) => *recent = true,
                None => self.insert(path),
            }
        }
    }

    /// The cache a primed file left (`FileOutcome::trees_after`).
    pub fn replace(&mut self, trees: Vec<(String, bool)>) {
        self.trees = trees.into_iter().collect();
    }

    fn insert(&mut self, path: &str) {
        if self.trees.len() >= TRIGGER {
            self.trees.retain(|_, recent| *recent);
        }
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).is_ok_and(|time| time > self.cutoff);
        self.trees.insert(path.to_owned(), modified);
    }
}

/// What [`replay`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Replayed {
    /// Files analysed again from the reference's cache.
    pub primed: usize,
    /// Of those, the files whose run gave no answer: they keep their answer from the warm set.
    pub failed: Vec<String>,
}

/// Walk the files in the reference's order; each file the reference evicts during is analysed
/// again by `rerun` (a [`Prime`]d task). A rerun that fails leaves the file's answer from the warm
/// set (listed in `failed`, for an error entry), and the model goes on with the file's trees.
pub fn replay(
    files: &[FileTask],
    outcomes: &mut [FileOutcome],
    now: SystemTime,
    mut rerun: impl FnMut(FileTask) -> Option<FileOutcome>,
) -> Replayed {
    let mut model = Model::new(now);
    let mut replayed = Replayed::default();
    for (file, outcome) in files.iter().zip(outcomes.iter_mut()) {
        let Step::Primed(prime) = model.step(&file.path, &outcome.used) else {
            continue;
        };
        replayed.primed += 1;
        let task = FileTask { prime: Some(prime), ..file.clone() };
        if let Some((again, trees)) = rerun(task).and_then(|mut again| again.trees_after.take().map(|trees| (again, trees))) {
            model.replace(trees);
            *outcome = FileOutcome { used: std::mem::take(&mut outcome.used), ..again };
        } else {
            replayed.failed.push(file.path.clone());
            model.advance(&file.path, &outcome.used);
        }
    }
    replayed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(prefix: &str, count: usize) -> Vec<String> {
        (0..count).map(|i| format!("/nonexistent/{prefix}{i}.py")).collect()
    }

    #[test]
    fn a_cache_below_the_trigger_never_primes_and_counts_hits_as_recent() {
        let mut model = Model::new(SystemTime::now());
        let shared = paths("shared", 10);
        assert_eq!(model.step("/t/test_a.py", &shared), Step::Isolated);
        assert_eq!(model.step("/t/test_b.py", &shared), Step::Isolated);
        assert_eq!(model.trees.len(), 12);
        assert!(shared.iter().all(|p| model.trees[p]), "used by a second file: recent");
        assert!(!model.trees["/t/test_a.py"], "a test file is never loaded again: not recent");
    }

    #[test]
    fn a_file_that_inserts_past_the_trigger_is_primed_with_the_cache_before_it() {
        let mut model = Model::new(SystemTime::now());
        assert_eq!(model.step("/t/test_a.py", &paths("a", TRIGGER - 2)), Step::Isolated);
        assert_eq!(model.trees.len(), TRIGGER - 1);
        // Its own parse brings the cache to the trigger; its first new module then evicts.
        let Step::Primed(prime) = model.step("/t/test_b.py", &paths("b", 1)) else { panic!("expected a prime") };
        assert_eq!(prime.trigger, TRIGGER);
        assert_eq!(prime.trees.len(), TRIGGER - 1);
        assert!(!prime.trees.iter().any(|(path, _)| path == "/t/test_b.py"), "the state before the file");
        assert_eq!(model.trees.len(), TRIGGER - 1, "left for the caller to replace");
    }

    #[test]
    fn hits_alone_never_evict_and_an_eviction_at_the_files_own_parse_is_harmless() {
        let mut model = Model::new(SystemTime::now());
        let modules = paths("m", TRIGGER - 2);
        assert_eq!(model.step("/t/test_a.py", &modules), Step::Isolated);
        let reused = modules[..5].to_vec();
        assert_eq!(model.step("/t/test_b.py", &reused), Step::Isolated, "only hits: nothing inserted after its parse");
        assert_eq!(model.trees.len(), TRIGGER);
        // test_c's own parse finds the cache full: everything not used since its parse goes, but
        // test_c reads nothing yet, and then only finds its trees.
        assert_eq!(model.step("/t/test_c.py", &reused[..2]), Step::Isolated);
        assert_eq!(model.trees.len(), 6, "the 5 reused modules and test_c.py");
        assert!(!model.trees.contains_key(&modules[10]), "used by test_a alone: evicted");
    }

    #[test]
    fn replay_replaces_a_primed_answer_and_continues_from_the_cache_it_left() {
        let files: Vec<FileTask> = ["/t/test_a.py", "/t/test_b.py", "/t/test_c.py"].iter().map(|p| FileTask::new(*p, Vec::new())).collect();
        let mut outcomes = vec![
            FileOutcome { used: paths("a", TRIGGER - 2), ..FileOutcome::default() },
            FileOutcome { used: paths("b", 2), error: Some("isolated".into()), ..FileOutcome::default() },
            FileOutcome { used: paths("c", 2), ..FileOutcome::default() },
        ];
        let mut asked = Vec::new();
        let replayed = replay(&files, &mut outcomes, SystemTime::now(), |task| {
            asked.push((task.path.clone(), task.prime.as_ref().map(|p| p.trees.len())));
            Some(FileOutcome { trees_after: Some(vec![("/t/only.py".into(), true)]), ..FileOutcome::default() })
        });
        assert_eq!(replayed, Replayed { primed: 1, failed: Vec::new() });
        assert_eq!(asked, vec![("/t/test_b.py".to_owned(), Some(TRIGGER - 1))]);
        assert_eq!(outcomes[1].error, None, "the primed answer replaced the isolated one");
        assert_eq!(outcomes[1].used, paths("b", 2), "kept: what the file reads");
        assert_eq!(outcomes[2].error, None);
    }
}
