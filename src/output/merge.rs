//! Merging per-file Jedi outcomes into the result, the way the reference
//! fills its map: every add counts (duplicates included), the map keeps sets.
//! Files are merged in input order, so the result does not depend on which
//! worker finished first.
//!
//! Input: (file task, outcome) pairs. Output: the [`DiscoveryResult`]'s map, counts, errors.

use crate::collect::REPLAY_TEST;
use crate::protocol::{FileOutcome, FileTask};
use crate::report::{AmbiguousEntry, DiscoveryResult, ErrorEntry, TestEntry};

pub fn merge_into(result: &mut DiscoveryResult, files: &[FileTask], outcomes: Vec<FileOutcome>) {
    for (task, outcome) in files.iter().zip(outcomes) {
        if let Some(message) = outcome.error {
            result.errors.insert(ErrorEntry::new(Some(task.path.clone()), "jedi", message));
        }
        for (key, test_class, test_function, test_type, line_no, col_no) in outcome.adds {
            result.num_discovered_tests += 1;
            if test_type == REPLAY_TEST {
                result.num_discovered_replay_tests += 1;
            }
            result.function_to_tests.entry(key).or_default().insert(TestEntry {
                col_no,
                line_no,
                test_class,
                test_file: task.path.clone(),
                test_function,
                test_type,
            });
        }
        for ambiguity in outcome.ambiguous {
            result.ambiguous.insert(AmbiguousEntry {
                test_file: task.path.clone(),
                line_no: ambiguity.line_no,
                col_no: ambiguity.col_no,
                name: ambiguity.name,
                candidates: ambiguity.candidates,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(path: &str) -> FileTask {
        FileTask { path: path.to_owned(), tests: Vec::new() }
    }

    #[test]
    fn duplicates_count_but_the_map_keeps_a_set() {
        let add = ("m.f".to_owned(), None, "test_a".to_owned(), 1, 3, 4);
        let replay = ("m.f".to_owned(), None, "test_r".to_owned(), REPLAY_TEST, 5, 6);
        let outcome = FileOutcome { adds: vec![add.clone(), add, replay], ..FileOutcome::default() };
        let mut result = DiscoveryResult::default();
        merge_into(&mut result, &[task("/t/test_a.py")], vec![outcome]);
        assert_eq!(result.num_discovered_tests, 3);
        assert_eq!(result.num_discovered_replay_tests, 1);
        assert_eq!(result.function_to_tests["m.f"].len(), 2);
    }

    #[test]
    fn a_failed_file_is_an_error_entry() {
        let mut result = DiscoveryResult::default();
        merge_into(&mut result, &[task("/t/x.py")], vec![FileOutcome::failed("boom")]);
        assert_eq!(result.errors.len(), 1);
        assert_eq!(result.errors.iter().next().unwrap().file.as_deref(), Some("/t/x.py"));
    }
}
