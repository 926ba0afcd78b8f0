//! Native import filter: decides, per test file, whether it may reference any
//! target function (codeflash's `analyze_imports_in_test_file`), so that only
//! those files go to the Jedi stage.
//!
//! Input: test file paths and the set of target qualified names.
//! Output: one [`FilterOutcome`] per file, computed in parallel, in input order.
//!
//! The answer is the reference's for every file it can analyze:
//! - the text is read as Python's text mode does ([`source`]); a missing file
//!   is kept (the reference catches `FileNotFoundError`);
//! - whatever CPython 3.11's `ast.parse` rejects is kept (the reference
//!   catches `SyntaxError`): ruff's parse errors and 3.11-unsupported syntax,
//!   a leading BOM (U+FEFF is a character once decoded as "utf-8"), NUL
//!   bytes, and CPython's tokenizer limits ([`limits`]);
//! - otherwise the reference's visitor is replayed on a CPython-shaped view
//!   of ruff's tree ([`shape`], [`visitor`]).
//!
//! Where the reference would not return at all we answer differently, on
//! purpose:
//! - bytes that are not UTF-8, or another OS error: the reference raises
//!   (`UnicodeDecodeError`, `IsADirectoryError`...) and codeflash stops; we
//!   answer [`FilterOutcome::KeepWithError`] with a message;
//! - nesting deep enough that CPython may raise `RecursionError` (AST
//!   construction, visitor) or `MemoryError` (parser stack): the point
//!   depends on the caller's Python stack depth, so we answer
//!   [`FilterOutcome::NeedsPythonFallback`] well before it, and the caller
//!   runs `pyhelpers/import_filter_port.py` ([`fallback`]).
//!
//! Parsing and walking run on threads with a 256 MiB stack. A tree deeper
//! than [`DEPTH_LIMIT`] is leaked rather than dropped, since dropping it
//! recurses once per level.

// Names like CPython and RecursionError read better without backticks.
#![allow(clippy::doc_markdown)]

pub mod depth;
pub mod limits;
pub mod shape;
pub mod source;
pub mod targets;
pub mod visitor;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ruff_python_ast::{Mod, PythonVersion, Stmt};
use ruff_python_parser::{parse_unchecked, Mode, ParseOptions, Parsed};

use self::limits::Nesting;
use self::source::ReadError;
use self::targets::Targets;
use self::visitor::{Analyzer, Walk};

/// What the filter decided for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterOutcome {
    /// Send the file to the Jedi stage.
    Keep,
    /// The file cannot reference any target.
    Drop,
    /// Keep the file, but report a diagnostic (e.g. non-UTF-8 bytes, where the
    /// reference would have crashed).
    KeepWithError(String),
    /// The Rust port cannot reproduce the reference here (e.g. the reference
    /// would hit RecursionError); ask the Python port.
    NeedsPythonFallback,
}

/// Deepest Python frame the replayed visitor may reach (`analyzer.visit` is
/// frame 1). CPython's default limit is 1000 frames in all, and the
/// reference runs some frames below `analyze_imports_in_test_file`.
pub const FRAME_LIMIT: usize = 600;
/// Deepest CPython-shaped tree we analyze natively. CPython's AST
/// construction fails at about 3000 levels less three per caller frame.
pub const DEPTH_LIMIT: usize = 1000;
/// Budget for the estimate of CPython's parser stack (it fails at 6000):
/// measured costs are at most about 37 rules per bracket level, 8 per
/// indentation level and 2 per other tree level; we charge 40, 10 and 3.
pub const PARSER_BUDGET: usize = 5000;

const STACK_SIZE: usize = 256 * 1024 * 1024;

/// Analyze one file against the targets.
#[must_use]
pub fn analyze_file(path: &Path, targets: &BTreeSet<String>) -> FilterOutcome {
    let digested = Targets::new(targets);
    pool().install(|| analyze_path(path, &digested, MEASURED_PYTHON))
}

/// The CPython whose limits the native filter reproduces exactly (measured on 3.11); for any
/// other target Python, files near a limit go to the fallback in that interpreter.
pub const MEASURED_PYTHON: PythonVersion = PythonVersion::PY311;

/// Analyze many files in parallel for the target `python`, results in input order.
///
/// For a target other than [`MEASURED_PYTHON`], every file the reference's `ast.parse` might
/// treat differently goes to the Python fallback, which runs in the target interpreter and so
/// answers as it does: syntax that version lacks (ruff's per-version check), any syntax error,
/// BOM or NUL, and deep nesting (each version has its own parser and recursion limits).
#[must_use]
pub fn analyze_files(paths: &[PathBuf], targets: &BTreeSet<String>, python: PythonVersion) -> Vec<FilterOutcome> {
    use rayon::prelude::*;
    let digested = Targets::new(targets);
    pool().install(|| paths.par_iter().map(|p| analyze_path(p, &digested, python)).collect())
}

/// Analyze source text as if read from a file (already newline-normalised).
#[must_use]
pub fn analyze_source(text: &str, targets: &BTreeSet<String>) -> FilterOutcome {
    let digested = Targets::new(targets);
    pool().install(|| analyze_text(text, &digested, None, MEASURED_PYTHON))
}

/// One `visit_*` call of the reference, for comparing visit order:
/// method name (`"visit_Call"`...), line (1-based) and UTF-8 byte column.
pub type TraceEvent = (String, usize, usize);

/// The `visit_*` calls the reference makes on `text`, in order, and the
/// outcome. Used by the visit-order check.
#[must_use]
pub fn trace_source(text: &str, targets: &BTreeSet<String>) -> (FilterOutcome, Vec<TraceEvent>) {
    let digested = Targets::new(targets);
    pool().install(|| {
        let mut events = Vec::new();
        let outcome = analyze_text(text, &digested, Some(&mut events), MEASURED_PYTHON);
        let events = events
            .into_iter()
            .map(|e: visitor::VisitEvent| {
                let (line, col) = source::line_col(text, e.offset.to_usize());
                (format!("visit_{}", e.kind.class_name()), line, col)
            })
            .collect();
        (outcome, events)
    })
}

/// Threads with stacks big enough for deep trees.
fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(STACK_SIZE)
            .thread_name(|i| format!("import-filter-{i}"))
            .build()
            .expect("cannot start the import filter's threads")
    })
}

fn analyze_path(path: &Path, targets: &Targets, python: PythonVersion) -> FilterOutcome {
    match source::read_source(path) {
        Ok(text) => analyze_text(&text, targets, None, python),
        Err(ReadError::NotFound) => FilterOutcome::Keep,
        Err(ReadError::Io(message) | ReadError::NotUtf8(message)) => {
            FilterOutcome::KeepWithError(message)
        }
    }
}

fn analyze_text(
    text: &str,
    targets: &Targets,
    trace: Option<&mut Vec<visitor::VisitEvent>>,
    python: PythonVersion,
) -> FilterOutcome {
    // CPython: "invalid non-printable character U+FEFF" and "source code
    // string cannot contain null bytes", both SyntaxError.
    if text.starts_with('\u{feff}') || text.contains('\0') {
        return if python == MEASURED_PYTHON { FilterOutcome::Keep } else { FilterOutcome::NeedsPythonFallback };
    }
    let options = ParseOptions::from(Mode::Module).with_target_version(python);
    let parsed = parse_unchecked(text, options);
    let outcome = if python == MEASURED_PYTHON || !near_a_limit(text, &parsed) {
        decide(text, &parsed, targets, trace)
    } else {
        FilterOutcome::NeedsPythonFallback
    };
    if outcome == FilterOutcome::NeedsPythonFallback {
        // Possibly very deep: dropping would recurse once per level.
        std::mem::forget(parsed);
    }
    outcome
}

/// For targets other than [`MEASURED_PYTHON`]: could this version's `ast.parse` (or the
/// reference's visitor) fail on the file? Generous on purpose: the fallback is exact.
fn near_a_limit(text: &str, parsed: &Parsed<Mod>) -> bool {
    let Mod::Module(module) = parsed.syntax() else { return true };
    let nesting = Nesting::of_tokens(parsed.tokens());
    parsed.has_syntax_errors()
        || nesting.brackets > limits::MAX_BRACKET_LEVEL / 4
        || nesting.indent > limits::MAX_INDENT / 4
        || !limits::tabs_consistent(text, parsed.tokens())
        || depth::tree_depth(&module.body, DEPTH_LIMIT) > DEPTH_LIMIT / 10
}

fn decide(
    text: &str,
    parsed: &Parsed<Mod>,
    targets: &Targets,
    trace: Option<&mut Vec<visitor::VisitEvent>>,
) -> FilterOutcome {
    let body: &[Stmt] = match parsed.syntax() {
        Mod::Module(module) => &module.body,
        Mod::Expression(_) => return FilterOutcome::Keep,
    };
    let nesting = Nesting::of_tokens(parsed.tokens());
    let depth = depth::tree_depth(body, DEPTH_LIMIT);
    if parsed.has_syntax_errors()
        || nesting.tokenizer_rejects()
        || !limits::tabs_consistent(text, parsed.tokens())
    {
        // A SyntaxError, unless CPython's parser or AST construction gives
        // up first. Brackets are left out of the estimate here: CPython's
        // tokenizer stops at 200 before they exhaust the parser alone.
        if depth > DEPTH_LIMIT || 10 * nesting.indent + 3 * depth > PARSER_BUDGET / 2 {
            return FilterOutcome::NeedsPythonFallback;
        }
        return FilterOutcome::Keep;
    }
    if depth > DEPTH_LIMIT || 40 * nesting.brackets + 10 * nesting.indent + 3 * depth > PARSER_BUDGET
    {
        return FilterOutcome::NeedsPythonFallback;
    }
    let mut analyzer = Analyzer::new(targets, FRAME_LIMIT);
    if trace.is_some() {
        analyzer = analyzer.with_trace();
    }
    let walk = analyzer.run(body);
    if let Some(trace) = trace {
        *trace = analyzer.into_trace();
    }
    match walk {
        Walk::Found => FilterOutcome::Keep,
        Walk::TooDeep => FilterOutcome::NeedsPythonFallback,
        Walk::NotFound { has_dynamic_imports } => {
            if has_dynamic_imports && targets.any_in_source(text) {
                FilterOutcome::Keep
            } else {
                FilterOutcome::Drop
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(src: &str, targets: &[&str]) -> FilterOutcome {
        let targets = targets.iter().map(|t| (*t).to_owned()).collect();
        analyze_source(src, &targets)
    }

    #[test]
    fn imports() {
        assert_eq!(answer("import a.b\n", &["a.b.c"]), FilterOutcome::Keep);
        assert_eq!(answer("import a.b as c\n", &["a.b.c"]), FilterOutcome::Drop);
        assert_eq!(answer("from m import K\n", &["K.meth"]), FilterOutcome::Keep);
        assert_eq!(answer("from m import K as J\n", &["K.meth"]), FilterOutcome::Drop);
        assert_eq!(answer("from m import f\n", &["m.f"]), FilterOutcome::Keep);
        assert_eq!(answer("from . import f\n", &["f"]), FilterOutcome::Drop);
    }

    #[test]
    fn functions_are_popped_last_in_first_out() {
        let use_first = "def a():\n    o.meth()\ndef b():\n    from m import K as J\n    o = J()\n";
        let use_last = "def b():\n    from m import K as J\n    o = J()\ndef a():\n    o.meth()\n";
        assert_eq!(answer(use_first, &["K.meth"]), FilterOutcome::Keep);
        assert_eq!(answer(use_last, &["K.meth"]), FilterOutcome::Drop);
    }

    #[test]
    fn module_imports_come_before_function_bodies() {
        let src = "def t():\n    x = mod.func()\nimport mod\n";
        assert_eq!(answer(src, &["func"]), FilterOutcome::Keep);
        // but an expression statement is pushed, so the import is late for it
        let src = "mod.func()\nimport mod\n";
        assert_eq!(answer(src, &["func"]), FilterOutcome::Keep);
        let src = "x = mod.func()\nimport mod\n";
        assert_eq!(answer(src, &["func"]), FilterOutcome::Drop);
    }

    #[test]
    fn dynamic_imports_search_the_text() {
        assert_eq!(answer("__import__('x')\n# pkg.f\n", &["pkg.f"]), FilterOutcome::Keep);
        assert_eq!(answer("import importlib\n# pkg.f\n", &["pkg.f"]), FilterOutcome::Keep);
        assert_eq!(answer("import os\n# pkg.f\n", &["pkg.f"]), FilterOutcome::Drop);
    }

    #[test]
    fn wildcard_imports() {
        let src = "from pkg.mod import *\nf()\n";
        assert_eq!(answer(src, &["pkg.mod.f"]), FilterOutcome::Keep);
        assert_eq!(answer(src, &["pkg.other.f"]), FilterOutcome::Drop);
    }

    #[test]
    fn trace_reports_visits_in_reference_order() {
        let targets = BTreeSet::new();
        let (outcome, events) = trace_source("def f():\n    g()\nimport os\n", &targets);
        assert_eq!(outcome, FilterOutcome::Drop);
        let names: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(names, ["visit_Import", "visit_Call", "visit_Name"]);
        assert_eq!((events[1].1, events[1].2), (2, 4));
    }
}
