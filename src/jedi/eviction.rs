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
//! used (`FileOutcome::used`), as they arrive from the pool ([`Replay`]). Output: the primed tasks,
//! each sent to the pool as soon as the files before it are known, and the outcomes, those of the
//! files the reference evicts during replaced by a primed run's. A step needs only the set a file used, not the order: until
//! the first eviction of a file the cache only grows, so whether one happens is known from sizes.
//!
//! What is not modelled: a reference run longer than 10 minutes also forgets trees used early in
//! it (its answer then depends on its own speed), and a file the worker could not report on
//! (`used` empty: a failed file, or the no-fork fallback) adds only itself.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use crate::jedi::pool::FollowUp;
use crate::model::{FileOutcome, FileTask, Prime};

/// `parso.cache._CACHED_SIZE_TRIGGER` (parso 0.8): the cache size at which an insertion evicts.
pub const TRIGGER: usize = 600;
/// `parso.cache._CACHED_FILE_MINIMUM_SURVIVAL`: an eviction keeps trees used this recently.
const RECENT: Duration = Duration::from_secs(600);

/// The reference's parso cache: every tree it holds, with whether it was used recently.
pub struct Model {
    trees: BTreeMap<String, bool>,
    /// The model's clock (the Jedi stage's start): the primed children's too (`Prime::clock_ns`).
    now: SystemTime,
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
        Model { trees: BTreeMap::new(), now }
    }

    /// One file, `test_file`, which used the trees `used`. Jedi parses the test file first (an
    /// eviction then cannot touch what the file reads: nothing is read yet), then loads each module
    /// it imports: a tree held is a hit (used now), any other an insertion.
    pub fn step(&mut self, test_file: &str, used: &[String]) -> Step {
        if self.evicts_during(test_file, used) {
            if !self.spares_what_it_reads(test_file, used) {
                let clock_ns = self.now.duration_since(SystemTime::UNIX_EPOCH).ok().and_then(|d| u64::try_from(d.as_nanos()).ok());
                let trees = self.trees.iter().map(|(path, &recent)| (path.clone(), recent)).collect();
                return Step::Primed(Prime { trigger: TRIGGER, trees, clock_ns });
            }
            tracing::debug!("the reference's parso cache evicts during {test_file}, but nothing it reads");
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

    /// Whether every eviction during the file spares every tree the file reads: each is held and
    /// recent (an eviction keeps it, and a hit keeps it recent), or parsed from a file modified
    /// since the cutoff (a fresh parse is stamped recent). The evictions then drop only trees the
    /// file never reads, so the answer from the warm set is the reference's, and
    /// [`Model::advance`] leaves the reference's cache whatever the order of the insertions (the
    /// first drops every old tree, the file's own are all recent). Measured on a project copied
    /// and a venv installed minutes before the run (networkx all files, numpy and matplotlib):
    /// without this, 22 files in a row were analysed again, one after another.
    fn spares_what_it_reads(&self, test_file: &str, used: &[String]) -> bool {
        // The test file's own parse comes first: held, it is a hit before any insertion.
        let own = self.trees.contains_key(test_file) || self.modified_recently(test_file);
        own && used.iter().filter(|path| path.as_str() != test_file).all(|path| match self.trees.get(path.as_str()) {
            Some(&recent) => recent,
            None => self.modified_recently(path),
        })
    }

    /// parso stamps a fresh parse with its file's mtime: recent when modified in the 10 minutes
    /// before the model's clock (or after it).
    fn modified_recently(&self, path: &str) -> bool {
        let cutoff = self.now.checked_sub(RECENT).unwrap_or(SystemTime::UNIX_EPOCH);
        std::fs::metadata(path).and_then(|m| m.modified()).is_ok_and(|time| time > cutoff)
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
        let recent = self.modified_recently(path);
        self.trees.insert(path.to_owned(), recent);
    }
}

/// What the replay did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Replayed {
    /// Files analysed again from the reference's cache.
    pub primed: usize,
    /// Of those, the files whose run gave no answer: they keep their answer from the warm set.
    pub failed: Vec<String>,
}

/// The walk through the files in the reference's order, one step per file whose outcome is known.
/// It runs beside the pool: each outcome that arrives lets it step on, and where it stops at a
/// file the reference evicts during, that file's primed task goes to the pool at once, while the
/// other files still run (the walk waits for its answer). Which files are primed, and with which
/// cache, depends only on the outcomes, never on the order they arrive in.
pub struct Replay {
    model: Model,
    /// The first file not stepped yet.
    next: usize,
    /// Each file's `used`, once its outcome is known.
    used: Vec<Option<Vec<String>>>,
    /// Set while the primed run of file `next` is out.
    waiting: bool,
    /// The primed runs' answers, in file order (None: the run gave no answer).
    answers: Vec<(usize, Option<FileOutcome>)>,
}

impl Replay {
    #[must_use]
    pub fn new(files: usize, now: SystemTime) -> Self {
        Replay { model: Model::new(now), next: 0, used: vec![None; files], waiting: false, answers: Vec::new() }
    }

    /// File `index`'s outcome is known: it used the trees `used`.
    pub fn known(&mut self, index: usize, used: &[String]) {
        self.used[index] = Some(used.to_vec());
    }

    /// Step on through the files whose outcomes are known. Stops at the end, at a file whose
    /// outcome is still out, or at a file the reference evicts during: that one's primed task
    /// comes back (with its index), and the walk waits for [`Replay::primed`].
    pub fn step(&mut self, files: &[FileTask]) -> Option<(usize, FileTask)> {
        while !self.waiting && self.next < files.len() {
            let Some(used) = &self.used[self.next] else { return None };
            let file = &files[self.next];
            match self.model.step(&file.path, used) {
                Step::Isolated => self.next += 1,
                Step::Primed(prime) => {
                    self.waiting = true;
                    return Some((self.next, FileTask { prime: Some(prime), ..file.clone() }));
                }
            }
        }
        None
    }

    /// The primed run of file `index` (the one [`Replay::step`] gave) answered `again` (None: no
    /// answer). The model goes on from the cache it left; without one (no answer, or one without
    /// `trees_after`), from the file's own trees, and the file keeps its answer from the warm set.
    pub fn primed(&mut self, files: &[FileTask], index: usize, again: Option<FileOutcome>) {
        debug_assert!(self.waiting && index == self.next, "an answer to the run the walk waits for");
        let mut again = again;
        if let Some(trees) = again.as_mut().and_then(|outcome| outcome.trees_after.take()) {
            self.model.replace(trees);
        } else {
            again = None;
            self.model.advance(&files[index].path, self.used[index].as_deref().unwrap_or_default());
        }
        self.answers.push((index, again));
        self.waiting = false;
        self.next += 1;
    }

    /// Walk the rest of the way (the files the pool left, or all of them where the walk did not
    /// run beside it), analysing each primed file with `rerun`, then put the primed answers into
    /// `outcomes`. Every outcome must be known by now.
    pub fn finish(
        mut self,
        files: &[FileTask],
        outcomes: &mut [FileOutcome],
        mut rerun: impl FnMut(FileTask) -> Option<FileOutcome>,
    ) -> Replayed {
        for (index, outcome) in outcomes.iter().enumerate() {
            if self.used[index].is_none() {
                self.known(index, &outcome.used);
            }
        }
        // A primed run that never came back (the pool stopped first) is run here: `step` gives
        // the same task again, as the model does not move until the answer.
        self.waiting = false;
        while let Some((index, task)) = self.step(files) {
            let again = rerun(task);
            self.primed(files, index, again);
        }
        let mut replayed = Replayed { primed: self.answers.len(), failed: Vec::new() };
        for (index, again) in self.answers {
            match again {
                Some(again) => {
                    let outcome = &mut outcomes[index];
                    *outcome = FileOutcome { used: std::mem::take(&mut outcome.used), ..again };
                }
                None => replayed.failed.push(files[index].path.clone()),
            }
        }
        replayed
    }
}

/// A primed task served from the kept cache (or None), and a primed run's answer to keep.
pub struct Kept<'a> {
    pub lookup: &'a (dyn Fn(&FileTask) -> Option<FileOutcome> + Sync),
    pub keep: &'a (dyn Fn(&FileTask, &FileOutcome) + Sync),
}

/// The [`Replay`] run beside the pool, whose tasks are `files[pooled[i]]`: each outcome lets the
/// walk step on, and a primed task it stops at (unless kept) goes back to the pool.
pub struct Beside<'a> {
    files: &'a [FileTask],
    pooled: &'a [usize],
    kept: Kept<'a>,
    /// The walk, and each primed task sent to the pool.
    state: Mutex<(Replay, Vec<Sent>)>,
}

/// A primed task sent to the pool: its file, the task, and when it was sent.
type Sent = (usize, FileTask, Instant);

impl<'a> Beside<'a> {
    /// `known`: the outcomes already known (kept answers), by file.
    #[must_use]
    pub fn new(files: &'a [FileTask], pooled: &'a [usize], known: &[Option<FileOutcome>], now: SystemTime, kept: Kept<'a>) -> Self {
        let mut walk = Replay::new(files.len(), now);
        for (index, outcome) in known.iter().enumerate() {
            if let Some(outcome) = outcome {
                walk.known(index, &outcome.used);
            }
        }
        Beside { files, pooled, kept, state: Mutex::new((walk, Vec::new())) }
    }

    /// Once the pool is done: the rest of the walk ([`Replay::finish`]), each primed task served
    /// from the kept cache or else analysed by `rerun` (and its answer kept).
    pub fn finish(self, outcomes: &mut [FileOutcome], mut rerun: impl FnMut(FileTask) -> Option<FileOutcome>) -> Replayed {
        let Beside { files, kept, state, .. } = self;
        let walk = state.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner).0;
        walk.finish(files, outcomes, |task| {
            if let Some(answer) = (kept.lookup)(&task) {
                return Some(answer);
            }
            let started = Instant::now();
            let answer = rerun(task.clone())?;
            kept.took(&task, &answer, started);
            Some(answer)
        })
    }
}

impl Kept<'_> {
    /// A primed run of `task`, started at `started`, answered: keep the answer, and say so.
    fn took(&self, task: &FileTask, answer: &FileOutcome, started: Instant) {
        tracing::debug!(seconds = started.elapsed().as_secs_f64(), trees = task.prime.as_ref().map_or(0, |p| p.trees.len()), "analysed again from the reference's parso cache: {}", task.path);
        (self.keep)(task, answer);
    }
}

impl FollowUp for Beside<'_> {
    fn finished(&self, index: usize, outcome: &FileOutcome) -> Vec<FileTask> {
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (walk, sent) = &mut *state;
        if let Some(&file) = self.pooled.get(index) {
            walk.known(file, &outcome.used);
        } else {
            let (file, task, started) = &sent[index - self.pooled.len()];
            self.kept.took(task, outcome, *started);
            walk.primed(self.files, *file, Some(outcome.clone()));
        }
        while let Some((file, task)) = walk.step(self.files) {
            if let Some(kept) = (self.kept.lookup)(&task) {
                walk.primed(self.files, file, Some(kept));
                continue;
            }
            sent.push((file, task.clone(), Instant::now()));
            return vec![task];
        }
        Vec::new()
    }
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

    /// `count` files written now (modified after any cutoff a model made before them would take).
    fn fresh_files(dir: &std::path::Path, prefix: &str, count: usize) -> Vec<String> {
        (0..count)
            .map(|i| {
                let path = dir.join(format!("{prefix}{i}.py"));
                std::fs::write(&path, "x = 1\n").unwrap();
                path.to_string_lossy().into_owned()
            })
            .collect()
    }

    #[test]
    fn an_eviction_that_drops_nothing_the_file_reads_keeps_the_answer_and_drops_the_old_trees() {
        let dir = tempfile::tempdir().unwrap();
        let mut model = Model::new(SystemTime::now() - Duration::from_secs(60));
        let old = paths("old", TRIGGER - 10);
        assert_eq!(model.step("/t/test_a.py", &old), Step::Isolated);
        let fresh = fresh_files(dir.path(), "fresh", 20);
        let test_b = fresh_files(dir.path(), "test_b", 1).remove(0);
        // test_b inserts 20 trees past the trigger, but every one was just written (stamped
        // recent), so each eviction drops only test_a's old trees, which test_b never reads.
        assert_eq!(model.step(&test_b, &fresh), Step::Isolated);
        assert_eq!(model.trees.len(), 21, "test_b and its 20 trees; the old ones went");
        assert!(fresh.iter().all(|p| model.trees[p]));
    }

    #[test]
    fn an_eviction_that_may_drop_an_old_tree_the_file_reads_still_primes() {
        let dir = tempfile::tempdir().unwrap();
        let mut model = Model::new(SystemTime::now() - Duration::from_secs(60));
        let old = paths("old", TRIGGER - 10);
        assert_eq!(model.step("/t/test_a.py", &old), Step::Isolated);
        let test_b = fresh_files(dir.path(), "test_b", 1).remove(0);
        // Held but old: an insertion before its hit would drop it.
        let reads_held_old = [fresh_files(dir.path(), "fresh", 20), vec![old[0].clone()]].concat();
        assert!(matches!(model.step(&test_b, &reads_held_old), Step::Primed(_)));
        // Parsed but old (an mtime before the cutoff): the next insertion drops it.
        let reads_new_old = [fresh_files(dir.path(), "again", 20), paths("never_held", 1)].concat();
        assert!(matches!(model.step(&test_b, &reads_new_old), Step::Primed(_)));
        // The test file itself old and parsed first: the first eviction drops it.
        assert!(matches!(model.step("/t/test_old.py", &fresh_files(dir.path(), "third", 20)), Step::Primed(_)));
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
        let replayed = Replay::new(files.len(), SystemTime::now()).finish(&files, &mut outcomes, |task| {
            asked.push((task.path.clone(), task.prime.as_ref().map(|p| p.trees.len())));
            Some(FileOutcome { trees_after: Some(vec![("/t/only.py".into(), true)]), ..FileOutcome::default() })
        });
        assert_eq!(replayed, Replayed { primed: 1, failed: Vec::new() });
        assert_eq!(asked, vec![("/t/test_b.py".to_owned(), Some(TRIGGER - 1))]);
        assert_eq!(outcomes[1].error, None, "the primed answer replaced the isolated one");
        assert_eq!(outcomes[1].used, paths("b", 2), "kept: what the file reads");
        assert_eq!(outcomes[2].error, None);
    }

    #[test]
    fn the_walk_beside_the_pool_primes_the_same_file_whatever_order_outcomes_arrive_in() {
        let files: Vec<FileTask> = (0..4).map(|i| FileTask::new(format!("/t/test_{i}.py"), Vec::new())).collect();
        let used = [paths("a", TRIGGER - 2), paths("b", 2), paths("c", 2), paths("d", 1)];
        let primed_answer = || FileOutcome { trees_after: Some(vec![("/t/only.py".into(), true)]), ..FileOutcome::default() };
        for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]] {
            let mut walk = Replay::new(files.len(), SystemTime::now());
            let mut sent = Vec::new();
            for index in order {
                walk.known(index, &used[index]);
                while let Some((at, task)) = walk.step(&files) {
                    assert!(task.prime.is_some());
                    sent.push(at);
                    walk.primed(&files, at, Some(primed_answer()));
                }
            }
            assert_eq!(sent, [1], "order {order:?}: file 1 only, once its predecessor is known");
            let mut outcomes: Vec<FileOutcome> = used.iter().map(|u| FileOutcome { used: u.clone(), ..FileOutcome::default() }).collect();
            let replayed = walk.finish(&files, &mut outcomes, |_| panic!("everything was run beside the pool"));
            assert_eq!(replayed, Replayed { primed: 1, failed: Vec::new() });
        }
    }

    #[test]
    fn a_primed_run_the_pool_never_answered_is_run_when_the_walk_finishes() {
        let files: Vec<FileTask> = (0..2).map(|i| FileTask::new(format!("/t/test_{i}.py"), Vec::new())).collect();
        let mut outcomes = vec![
            FileOutcome { used: paths("a", TRIGGER - 2), ..FileOutcome::default() },
            FileOutcome { used: paths("b", 2), ..FileOutcome::default() },
        ];
        let mut walk = Replay::new(files.len(), SystemTime::now());
        walk.known(0, &outcomes[0].used);
        walk.known(1, &outcomes[1].used);
        let (at, sent) = walk.step(&files).expect("file 1 is primed");
        assert_eq!(at, 1);
        let mut asked = Vec::new();
        let replayed = walk.finish(&files, &mut outcomes, |task| {
            asked.push(task.prime.clone());
            None
        });
        assert_eq!(asked, [sent.prime], "the same prime, run once");
        assert_eq!(replayed, Replayed { primed: 1, failed: vec!["/t/test_1.py".to_owned()] });
    }
}
