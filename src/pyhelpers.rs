//! The Python that runs inside the Jedi workers (embedded or subprocess), the collection
//! subprocess and the filter's fallback, compiled into the binary so that one file is all there is to ship.

pub const JEDI_WORKER: &str = include_str!("../pyhelpers/jedi_worker.py");
/// The embedded worker's zygote (Jedi's compiled subprocess, forked per file) and, loaded in each
/// forked child, what hands Jedi a listener from it (`jedi::embedded::zygote`).
pub const COMPILED_ZYGOTE: &str = include_str!("../pyhelpers/compiled_zygote.py");
pub const COMPILED_CLIENT: &str = include_str!("../pyhelpers/compiled_client.py");
pub const WORKER_MAIN: &str = include_str!("../pyhelpers/worker_main.py");
/// parso's cache in a forked child, for the model of the reference's (`jedi::eviction`).
pub const PARSO_CACHE: &str = include_str!("../pyhelpers/parso_cache.py");
/// Fills the parse-tree store ahead of the workers (`jedi::tree_fill`).
pub const TREE_FILL: &str = include_str!("../pyhelpers/tree_fill.py");
pub const COLLECT_PYTEST: &str = include_str!("../pyhelpers/collect_pytest.py");
pub const COLLECT_UNITTEST: &str = include_str!("../pyhelpers/collect_unittest.py");
/// Written beside the collection helpers as `_codeflash_discover_reads.py` (they import it).
pub const RECORD_READS: &str = include_str!("../pyhelpers/record_reads.py");
pub const RECORD_READS_MODULE: &str = "_codeflash_discover_reads.py";
pub const PROBE: &str = include_str!("../pyhelpers/probe.py");
pub const IMPORT_FILTER_PORT: &str = include_str!("../pyhelpers/import_filter_port.py");
pub const FILTER_FALLBACK: &str = include_str!("../pyhelpers/filter_fallback.py");
