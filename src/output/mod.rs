//! The output stage: per-file Jedi outcomes merged into the result ([`merge`]), the result as
//! sorted JSON and the human summary ([`report`]), and progress while the run goes ([`progress`]).

pub mod merge;
pub mod progress;
pub mod report;
