//! The embedded Jedi worker (binary `codeflash-discover-worker`, feature `embed`): a child
//! process of the pool that embeds CPython as the target interpreter, warms it (Jedi imported,
//! Project built), then serves the line protocol on stdin/stdout until EOF, analyzing each file
//! in a child forked from that warm state (see [`session`]). Built once per CPython; `--describe`
//! says which interpreter build it serves (scripts/setup records it for the orchestrator).
//!
//! Input: `ToWorker` lines. Output: `FromWorker` lines, one `Done` (or
//! `Crashed`, when the file's child died) per file. It exits on stdin EOF, and
//! (Linux) when its parent dies.

use std::io::{BufRead, Write};

use anyhow::{bail, Context, Result};

use std::path::Path;

use crate::jedi::protocol::{FromWorker, ToWorker};
use crate::model::FileTask;

pub mod layout;
pub mod session;
pub mod zygote;

use self::session::JediSession;

/// What `--describe` prints: the interpreter build this worker embeds (from build.rs).
#[must_use]
pub fn describe() -> String {
    serde_json::json!({
        "python": env!("CFD_EMBEDDED_PYTHON"),
        "libpython": env!("CFD_EMBEDDED_LIBPYTHON"),
        "executable": env!("CFD_EMBEDDED_EXECUTABLE"),
    })
    .to_string()
}

/// Serve the pool: `python` is the interpreter the embedded CPython starts as.
pub fn run(python: &Path) -> Result<()> {
    exit_with_parent();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut stdout = std::io::stdout().lock();

    let Some(first) = lines.next() else { return Ok(()) };
    let ToWorker::Init(config) = serde_json::from_str(&first?).context("bad init message")? else {
        bail!("the first message to a worker must be init");
    };
    let session = match JediSession::start(python, &config) {
        Ok(session) => session,
        Err(error) => {
            send(&mut stdout, &FromWorker::Fatal { message: format!("{error:#}") })?;
            return Err(error);
        }
    };
    // One throw-away fork, so that the first real file starts from the same
    // state as every later one (anything the fork path sets up lazily is done).
    let _ = session.process_forked(&FileTask { path: String::new(), tests: Vec::new() });
    send(&mut stdout, &FromWorker::Ready { python: session.python_version.clone(), zygote: session.has_zygote() })?;

    for line in lines {
        let ToWorker::Task { id, files } = serde_json::from_str(&line?).context("bad task message")? else {
            bail!("init sent twice");
        };
        for (index, task) in files.iter().enumerate() {
            let message = match session.process_forked(task) {
                Ok(outcome) => FromWorker::Done { id, index, outcome },
                Err(died) => FromWorker::Crashed { id, index, status: died.0 },
            };
            send(&mut stdout, &message)?;
        }
    }
    Ok(())
}

fn send(out: &mut impl Write, message: &FromWorker) -> Result<()> {
    serde_json::to_writer(&mut *out, message)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// Die with the parent even if it is SIGKILLed (stdin EOF covers the rest).
fn exit_with_parent() {
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
}
