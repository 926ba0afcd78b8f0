//! The types several stages share: what collection finds ([`FileTask`], [`TestItem`],
//! [`TestType`]), the strategy that finds it ([`TestFramework`]), and what the Jedi stage answers
//! per file ([`FileOutcome`]: [`Add`]s and [`Ambiguity`]s), merged into the output.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How tests are collected: codeflash's `test_framework`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum TestFramework {
    Pytest,
    Unittest,
}

impl TestFramework {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TestFramework::Pytest => "pytest",
            TestFramework::Unittest => "unittest",
        }
    }
}

/// codeflash's `TestType`, as far as discovery assigns it: from the test file's path text.
/// Travels as its integer value, as codeflash's enum does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum TestType {
    ExistingUnitTest = 1,
    ReplayTest = 4,
    ConcolicCoverageTest = 5,
}

impl TestType {
    /// The type the reference derives from the path text.
    #[must_use]
    pub fn for_path(path: &str) -> TestType {
        if path.contains("__replay_test") {
            TestType::ReplayTest
        } else if path.contains("test_concolic_coverage") {
            TestType::ConcolicCoverageTest
        } else {
            TestType::ExistingUnitTest
        }
    }
}

impl Serialize for TestType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(*self as u8)
    }
}

impl<'de> Deserialize<'de> for TestType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match u8::deserialize(deserializer)? {
            1 => Ok(TestType::ExistingUnitTest),
            4 => Ok(TestType::ReplayTest),
            5 => Ok(TestType::ConcolicCoverageTest),
            other => Err(serde::de::Error::custom(format!("unknown test type {other}"))),
        }
    }
}

/// One collected test, as the Jedi stage needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestItem {
    pub test_class: Option<String>,
    pub test_function: String,
    pub test_type: TestType,
}

/// One test file and the tests collected in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileTask {
    pub path: String,
    pub tests: Vec<TestItem>,
    /// Analyze from the reference's parso cache instead of the warm set's (`crate::jedi::eviction`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prime: Option<Prime>,
}

impl FileTask {
    #[must_use]
    pub fn new(path: impl Into<String>, tests: Vec<TestItem>) -> Self {
        FileTask { path: path.into(), tests, prime: None }
    }
}

/// parso's in-memory cache as the reference holds it before a file: its eviction size and every
/// tree's path, with whether it was used recently (an eviction keeps those).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prime {
    pub trigger: usize,
    pub trees: Vec<(String, bool)>,
    /// The model's clock, the Jedi stage's start (nanoseconds since the epoch): the primed child's
    /// parso reads the time from it, so that "used in the last 10 minutes" means there what it
    /// means in the model, however late in the run the child runs. Not part of the answer
    /// cache's key (`cache::answers`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_ns: Option<u64>,
}

/// One addition the reference would make to its map for a file. The Jedi helper sends it as a
/// JSON array in this field order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Add {
    /// The function's key in the map (its qualified name from the project root).
    pub key: String,
    pub test_class: Option<String>,
    pub test_function: String,
    pub test_type: TestType,
    pub line_no: u32,
    pub col_no: u32,
}

/// A reference whose `goto` gave several definitions; the reference (and we) took the first.
/// Field order is the output's key order and sort order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Ambiguity {
    /// Filled in by the merge: the Jedi helper answers for one file and leaves it out.
    #[serde(default)]
    pub test_file: String,
    pub line_no: u32,
    pub col_no: u32,
    pub name: String,
    /// Every definition, `path:line:col full_name`, in Jedi's order.
    pub candidates: Vec<String>,
}

/// The Jedi stage's answer for one file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FileOutcome {
    pub adds: Vec<Add>,
    pub ambiguous: Vec<Ambiguity>,
    pub error: Option<String>,
    /// Every module and stub file parso held when the file was done (what Jedi read for it, and
    /// the warm set): the answer cache's dependencies (`crate::cache::answers`). Not output.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read: Vec<String>,
    /// Of `read`, the trees the file used from the warm set (cache hits): with the trees it parsed
    /// itself, what it makes the reference's parso cache hold (`used`). From the worker only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hits: Vec<String>,
    /// Every tree the file parsed or used, sorted: its step in the model of the reference's parso
    /// cache (`crate::jedi::eviction`). Kept with a kept answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub used: Vec<String>,
    /// After a primed file: parso's cache as it left it, (path, used recently), sorted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trees_after: Option<Vec<(String, bool)>>,
}

impl FileOutcome {
    #[must_use]
    pub fn failed(message: impl Into<String>) -> Self {
        FileOutcome { error: Some(message.into()), ..FileOutcome::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_types_travel_as_codeflash_integers() {
        assert_eq!(serde_json::to_string(&TestType::ReplayTest).unwrap(), "4");
        assert_eq!(serde_json::from_str::<TestType>("5").unwrap(), TestType::ConcolicCoverageTest);
        assert!(serde_json::from_str::<TestType>("2").is_err());
    }

    #[test]
    fn the_helper_sends_adds_as_arrays() {
        let add: Add = serde_json::from_str(r#"["m.f", null, "test_a", 1, 3, 4]"#).unwrap();
        assert_eq!(add.key, "m.f");
        assert_eq!((add.test_type, add.line_no, add.col_no), (TestType::ExistingUnitTest, 3, 4));
    }

    #[test]
    fn test_type_from_the_path_text() {
        assert_eq!(TestType::for_path("/t/test_x__replay_test_0.py"), TestType::ReplayTest);
        assert_eq!(TestType::for_path("/t/test_concolic_coverage_x.py"), TestType::ConcolicCoverageTest);
        assert_eq!(TestType::for_path("/t/test_x.py"), TestType::ExistingUnitTest);
    }
}
