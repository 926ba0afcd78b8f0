//! Worker mode: the child process of the pool. Embeds CPython as the target
//! interpreter, then serves the line protocol on stdin/stdout until EOF.
//!
//! Input: `ToWorker` lines. Output: `FromWorker` lines, one `Done` per file.
//! It exits on stdin EOF, and (Linux) when its parent dies.

use std::io::{BufRead, Write};

use anyhow::{bail, Context, Result};

use crate::cli::WorkerArgs;
use crate::fault;
use crate::jedi::JediSession;
use crate::protocol::{FromWorker, ToWorker};

pub fn run(args: &WorkerArgs) -> Result<()> {
    exit_with_parent();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut stdout = std::io::stdout().lock();

    let Some(first) = lines.next() else { return Ok(()) };
    let ToWorker::Init(config) = serde_json::from_str(&first?).context("bad init message")? else {
        bail!("the first message to a worker must be init");
    };
    let session = match JediSession::start(&args.python, &config) {
        Ok(session) => session,
        Err(error) => {
            send(&mut stdout, &FromWorker::Fatal { message: format!("{error:#}") })?;
            return Err(error);
        }
    };
    send(&mut stdout, &FromWorker::Ready { python: session.python_version.clone() })?;

    for line in lines {
        let ToWorker::Task { id, files } = serde_json::from_str(&line?).context("bad task message")? else {
            bail!("init sent twice");
        };
        for (index, task) in files.iter().enumerate() {
            fault::maybe_fail_process(&task.path);
            let outcome = session.process(task);
            send(&mut stdout, &FromWorker::Done { id, index, outcome })?;
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
