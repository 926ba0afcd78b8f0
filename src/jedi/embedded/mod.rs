//! The embedded Jedi worker (binary `codeflash-discover-worker`, feature `embed`): CPython
//! embedded as the target interpreter, warmed once (Jedi imported, Project built, the warm set
//! loaded), then the pool's workers forked from that one warm process.
//!
//! The process the pool starts is the *warm process*: it reads `Init`, warms up, answers
//! `Ready`, then answers each `Fork { socket }` by forking a worker that serves the pool on that
//! Unix socket, and `Forked { pid }`. Every worker is a plain copy of the warm process (forked
//! without running any Python), so its pages stay shared with it, and each worker's files are
//! analysed in children forked from exactly the state one warm process per worker had before:
//! one copy of the warm set for any `-j`, and answers that do not depend on which worker ran a
//! file. A worker starts its own compiled-subprocess zygote, then serves `Task` lines until EOF,
//! one child per file (see [`session`]).
//!
//! Input: `ToWorker` lines (the warm process on stdin, each worker on its socket). Output:
//! `FromWorker` lines: `Ready`/`Forked`/`Fatal` from the warm process; `Ready`, then one `Done`
//! (or `Crashed`, when the file's child died) per file from each worker. Both exit on EOF and
//! (Linux) when their parent dies.

use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;

use anyhow::{bail, Context, Result};

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

/// Be the warm process: `python` is the interpreter the embedded CPython starts as.
pub fn run(python: &Path) -> Result<()> {
    exit_with_parent();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut stdout = std::io::stdout().lock();

    let Some(first) = lines.next() else { return Ok(()) };
    let ToWorker::Init(config) = serde_json::from_str(&first?).context("bad init message")? else {
        bail!("the first message to a worker must be init");
    };
    let mut session = match JediSession::start(python, &config) {
        Ok(session) => session,
        Err(error) => {
            send(&mut stdout, &FromWorker::Fatal { message: format!("{error:#}") })?;
            return Err(error);
        }
    };
    // One throw-away fork, so that the first real file starts from the same state as every
    // later one (anything the fork path sets up lazily is done).
    // Its trees are the warm set: what every child holds before its file.
    let warm_trees = session.process_forked(&FileTask::new(String::new(), Vec::new())).ok().map(|outcome| outcome.read.into_iter().collect());
    send(&mut stdout, &FromWorker::Ready { python: session.python_version.clone(), zygote: false, warm_trees })?;

    for line in lines {
        let ToWorker::Fork { socket } = serde_json::from_str(&line?).context("bad message to the warm process")? else {
            bail!("the warm process takes only fork requests after init");
        };
        reap_workers();
        let answer = match fork_worker(&mut session, Path::new(&socket)) {
            Ok(pid) => FromWorker::Forked { pid },
            Err(error) => FromWorker::Fatal { message: format!("cannot fork a worker: {error:#}") },
        };
        send(&mut stdout, &answer)?;
    }
    reap_workers();
    Ok(())
}

/// Listen on `socket`, then fork a worker that serves the first connection to it. The fork
/// runs no Python (no at-fork hooks): this process is single-threaded and idle, so the worker
/// is an exact copy of it, and its children start from the same state as this process's would.
fn fork_worker(session: &mut JediSession, socket: &Path) -> Result<u32> {
    let listener = UnixListener::bind(socket).with_context(|| format!("cannot listen on {}", socket.display()))?;
    let warm = unsafe { libc::getpid() };
    // SAFETY: this process has one thread, which holds no lock (nothing runs between messages).
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        let code = match serve_forked(session, &listener, socket, warm) {
            Ok(()) => 0,
            Err(error) => {
                eprintln!("codeflash-discover-worker: worker error: {error:#}");
                1
            }
        };
        // Leave without running the warm process's destructors (its streams, its session).
        unsafe { libc::_exit(code) }
    }
    if pid < 0 {
        return Err(std::io::Error::last_os_error()).context("fork");
    }
    Ok(u32::try_from(pid).unwrap_or_default())
}

/// The forked worker: take the pool's connection, start this worker's zygote, say `Ready`,
/// then analyse each file of each `Task` in a child of its own.
fn serve_forked(session: &mut JediSession, listener: &UnixListener, socket: &Path, warm: libc::pid_t) -> Result<()> {
    exit_with_parent();
    // The warm process may have died between the fork and the line above.
    if unsafe { libc::getppid() } != warm {
        bail!("the warm process is gone");
    }
    let (stream, _) = listener.accept().context("accepting the pool's connection")?;
    let _ = std::fs::remove_file(socket);
    // The connection replaces the warm process's stdin and stdout (so the warm process sees its
    // own pipes close when it ends, and anything a child prints goes where a worker's did);
    // fresh buffers, never the warm process's.
    for fd in [0, 1] {
        if unsafe { libc::dup2(stream.as_raw_fd(), fd) } < 0 {
            return Err(std::io::Error::last_os_error()).context("dup2");
        }
    }
    drop(stream);
    let input = BufReader::new(unsafe { std::fs::File::from_raw_fd(0) });
    let mut output = unsafe { UnixStream::from_raw_fd(1) };
    session.start_zygote();
    send(&mut output, &FromWorker::Ready { python: session.python_version.clone(), zygote: session.has_zygote(), warm_trees: None })?;
    for line in input.lines() {
        let ToWorker::Task { id, files } = serde_json::from_str(&line?).context("bad task message")? else {
            bail!("a worker takes only tasks");
        };
        for (index, task) in files.iter().enumerate() {
            let message = match session.process_forked(task) {
                Ok(outcome) => FromWorker::Done { id, index, outcome },
                Err(died) => FromWorker::Crashed { id, index, status: died.0 },
            };
            send(&mut output, &message)?;
        }
    }
    Ok(())
}

/// Collect the workers that ended (the pool sees them go through their sockets).
fn reap_workers() {
    let mut status = 0;
    while unsafe { libc::waitpid(-1, &raw mut status, libc::WNOHANG) } > 0 {}
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
