//! The Python that runs inside the embedded interpreter or the collection
//! subprocess, compiled into the binary so that one file is all there is to ship.

pub const JEDI_WORKER: &str = include_str!("../pyhelpers/jedi_worker.py");
pub const COLLECT_PYTEST: &str = include_str!("../pyhelpers/collect_pytest.py");
pub const COLLECT_UNITTEST: &str = include_str!("../pyhelpers/collect_unittest.py");
pub const PROBE: &str = include_str!("../pyhelpers/probe.py");
pub const IMPORT_FILTER_PORT: &str = include_str!("../pyhelpers/import_filter_port.py");
