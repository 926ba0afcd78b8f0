//! Command-line arguments (clap derive). Discovery is both the default and the
//! explicit `discover` subcommand; `filter` runs the import filter alone. (The pool's workers are
//! another binary, `codeflash-discover-worker`, or the project's own Python: see `jedi::program`.)

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::model::TestFramework;

#[derive(Debug, Parser)]
#[command(
    name = "codeflash-discover",
    version,
    about = "Which existing tests call which project functions: codeflash's test discovery, fast and exact",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub discover: DiscoverArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Discover which tests call which functions (the default).
    Discover(DiscoverArgs),
    /// Run only the import filter: print {"<file>": true|false}.
    Filter(FilterArgs),
    /// Show or empty what is kept between runs (README, "Cache").
    Cache(CacheArgs),
}

#[derive(Debug, Clone, Default, Args)]
#[allow(clippy::struct_excessive_bools)] // command-line switches
pub struct DiscoverArgs {
    /// Project root, an explicit override (default: as codeflash derives it from the nearest pyproject.toml's
    /// [tool.codeflash] module-root: the module root itself when the pyproject sits in it, else its parent,
    /// e.g. `src` for module-root = "src/pkg"). Config files are then searched from this folder.
    #[arg(long, value_name = "DIR")]
    pub project_root: Option<PathBuf>,
    /// Tests root (default: [tool.codeflash] tests-root, resolved against that pyproject's folder).
    #[arg(long, value_name = "DIR")]
    pub tests_root: Option<PathBuf>,
    /// Test discovery strategy. Default pytest, whatever [tool.codeflash] test-framework says: codeflash
    /// 0.20.6 always discovers Python tests with pytest. `unittest` runs codeflash's unittest strategy,
    /// which codeflash still contains but never reaches; only this flag selects it.
    #[arg(long, value_enum)]
    pub test_framework: Option<TestFramework>,
    /// A function to optimize, FILE::QUALNAME (`func` or `Class.method`). Repeatable.
    #[arg(long = "function", value_name = "FILE::QUALNAME")]
    pub functions: Vec<String>,
    /// JSON list of {"file": ..., "qualified_name": ...}.
    #[arg(long, value_name = "FILE")]
    pub functions_file: Option<PathBuf>,
    /// Only consider these test files (codeflash's discover_only_these_tests). Repeatable.
    #[arg(long = "only-tests", value_name = "FILE")]
    pub only_tests: Vec<PathBuf>,
    /// Python interpreter of the project's environment (default: $VIRTUAL_ENV/bin/python, else python3 on PATH).
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// Write the JSON result here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// No summary or progress on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Collect as the reference does: every test module, with pytest's assert rewriting. By
    /// default, with functions given, pytest skips the test modules the import filter rejects (they
    /// cannot reference the functions) instead of importing them (README, "Filter before
    /// collection"), and imports the others with `--assert=plain` (README, "Collection without
    /// assert rewriting").
    #[arg(long, visible_alias = "collect-as-reference")]
    pub collect_all: bool,
    /// Also write progress as JSON lines to this open file descriptor (for programs: the Python
    /// package's progress callback reads it). README, "Python package".
    #[arg(long, value_name = "FD")]
    pub progress_fd: Option<i32>,
    /// Add run statistics (files per phase, workers, retries, timings) to the JSON; timings make it vary run to run.
    #[arg(long)]
    pub stats: bool,
    /// Where to keep what runs reuse (collections, Jedi answers, parse trees; README, "Cache").
    /// Default: $CODEFLASH_DISCOVER_CACHE_DIR, else $XDG_CACHE_HOME/codeflash-discover, else ~/.cache/codeflash-discover.
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache_dir: Option<PathBuf>,
    /// Neither read nor write the kept cache (a store in the run's temp folder is used instead; README, "Cache").
    #[arg(long)]
    pub no_cache: bool,
    /// Recompute the collection and every Jedi answer, and keep the new ones (parse trees are still
    /// reused: they cannot change an answer). For a project whose tests depend on something the
    /// cache cannot see (README, "Cache").
    #[arg(long, env = "CODEFLASH_DISCOVER_REFRESH", value_parser = clap::builder::FalseyValueParser::new())]
    pub refresh: bool,
    #[command(flatten)]
    pub parallel: ParallelArgs,
}

/// How the Jedi stage runs (the pool's configuration).
#[derive(Debug, Clone, Default, Args)]
pub struct ParallelArgs {
    /// Worker processes for the Jedi stage (default: available cores, bounded by memory and by the number of files).
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// One worker, files in order (the same answer as any -j; no parallelism).
    #[arg(long, conflicts_with = "jobs")]
    pub sequential: bool,
    /// Test files per task sent to a worker.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub chunk_size: u16,
    /// Seconds a worker may spend on one file before it is killed and the file recorded as an error.
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    pub timeout_per_file: u64,
    /// Fail instead of falling back to sequential processing after repeated worker crashes.
    #[arg(long)]
    pub no_fallback: bool,
    /// Which Jedi worker: `embedded` (CPython embedded through pyo3, built by scripts/setup for the
    /// project's interpreter), `subprocess` (the project's own python running our worker script:
    /// any CPython), or `auto`: embedded where one was built for this interpreter, else subprocess.
    #[arg(long, value_enum, default_value_t = WorkerChoice::Auto)]
    pub worker: WorkerChoice,
}

/// `--worker`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum WorkerChoice {
    #[default]
    Auto,
    Embedded,
    Subprocess,
}

#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// A target qualified name (`func`, `Class.method`, `module.func`). Repeatable.
    #[arg(long = "target", value_name = "NAME", required = true)]
    pub targets: Vec<String>,
    /// Test files to analyze.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Python interpreter for the fallback port (default as for discover).
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// Say how each answer was reached ("keep", "drop", "error: ...", "fallback:" prefix).
    #[arg(long, hide = true, conflicts_with = "trace")]
    pub detail: bool,
    /// Print the native visitor's visit events per file (visit-order check).
    #[arg(long, hide = true)]
    pub trace: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub action: CacheAction,
    /// The cache root (default as for discover).
    #[arg(long, value_name = "DIR", global = true)]
    pub cache_dir: Option<PathBuf>,
}

/// `cache info|clean`.
#[derive(Debug, Clone, Copy, Subcommand)]
pub enum CacheAction {
    /// Where the cache is and how much it holds.
    Info,
    /// Remove what the cache holds (the next run parses everything again).
    Clean,
}
