//! Merging per-file Jedi outcomes into the result, the way the reference
//! fills its map: every add counts (duplicates included), the map keeps sets.
//! Files are merged in input order, so the result does not depend on which
//! worker finished first.
//!
//! Input: (file task, outcome) pairs. Output: the [`DiscoveryResult`]'s map, counts, errors.

use crate::model::{Ambiguity, FileOutcome, FileTask, TestType};
use crate::output::report::{DiscoveryResult, ErrorEntry, TestEntry};

pub fn merge_into(result: &mut DiscoveryResult, files: &[FileTask], outcomes: Vec<FileOutcome>) {
    for (task, outcome) in files.iter().zip(outcomes) {
        if let Some(message) = outcome.error {
            result.errors.insert(ErrorEntry::new(Some(task.path.clone()), "jedi", message));
        }
        for add in outcome.adds {
            result.num_discovered_tests += 1;
            if add.test_type == TestType::ReplayTest {
                result.num_discovered_replay_tests += 1;
            }
            result.function_to_tests.entry(add.key).or_default().insert(TestEntry {
                col_no: add.col_no,
                line_no: add.line_no,
                test_class: add.test_class,
                test_file: task.path.clone(),
                test_function: add.test_function,
                test_type: add.test_type,
            });
        }
        for ambiguity in outcome.ambiguous {
            result.ambiguous.insert(Ambiguity { test_file: task.path.clone(), ..ambiguity });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Add;

    fn task(path: &str) -> FileTask {
        FileTask::new(path, Vec::new())
    }

    fn add(test_function: &str, test_type: TestType, line_no: u32) -> Add {
        Add { key: "m.f".to_owned(), test_class: None, test_function: test_function.to_owned(), test_type, line_no, col_no: 4 }
    }

    #[test]
    fn duplicates_count_but_the_map_keeps_a_set() {
        let first = add("test_a", TestType::ExistingUnitTest, 3);
        let replay = add("test_r", TestType::ReplayTest, 5);
        let outcome = FileOutcome { adds: vec![first.clone(), first, replay], ..FileOutcome::default() };
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
