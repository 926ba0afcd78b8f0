//! The worker's zygote: Jedi's compiled subprocess started once per worker, then forked once
//! per file instead of started afresh in every file's child.
//!
//! Jedi inspects compiled modules (builtins, `math`, extension modules) in a subprocess of the
//! project's interpreter; each file's child (forked from the warm session, which runs none)
//! starts its own, as a fresh one per file (README, "Parity"). That start (an interpreter, `site`,
//! the jedi and parso imports) cost more than the analysis on small test files. The zygote
//! (`pyhelpers/compiled_zygote.py`) runs Jedi's subprocess script up to its last line, once,
//! then forks a listener for each request: the state a fresh subprocess reaches before it
//! listens. In the child, `pyhelpers/compiled_client.py` answers Jedi's own start of the
//! subprocess with such a listener when the command and environment are the ones the zygote was
//! started with; otherwise, or when the zygote cannot answer, Jedi starts its subprocess itself.
//!
//! Input: how Jedi starts its subprocess (from `jedi_worker.init`). Output: a [`Zygote`] the
//! worker holds; in each child, [`Zygote::attach`].
//!
//! `CODEFLASH_DISCOVER_NO_ZYGOTE=1` leaves every start to Jedi (diagnostics, and the A/B
//! benchmark `scripts/bench/zygote_ab.sh`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{bail, Context, Result};
use pyo3::prelude::*;
use pyo3::types::{PyCFunction, PyDict, PyTuple};
use serde::Deserialize;

use crate::{embed, pyhelpers};

pub const NO_ZYGOTE_ENV: &str = "CODEFLASH_DISCOVER_NO_ZYGOTE";

/// How long a child waits for the zygote's answer before it lets Jedi start the subprocess.
const ANSWER_TIMEOUT_SECS: libc::time_t = 10;

/// How Jedi starts its compiled subprocess: the command (executable, its script, parso's
/// folder, the host's version) and the environment (`None`: inherited).
#[derive(Debug, Clone, Deserialize)]
pub struct SubprocessStart {
    pub args: Vec<String>,
    pub env: Option<BTreeMap<String, String>>,
}

/// A running zygote and the worker's end of the socket its requests go through. Every forked
/// child inherits that end; a worker's children run one at a time, so their requests never mix
/// (a nonce tells a late answer to an abandoned request apart).
pub struct Zygote {
    child: Child,
    socket: OwnedFd,
    start: SubprocessStart,
}

impl Zygote {
    /// Start the zygote and wait for its "ready" line.
    pub fn start(start: SubprocessStart) -> Result<Zygote> {
        let Some((executable, rest)) = start.args.split_first() else { bail!("no command") };
        let (ours, theirs) = socket_pair()?;
        let timeout = libc::timeval { tv_sec: ANSWER_TIMEOUT_SECS, tv_usec: 0 };
        // SAFETY: a valid socket and a timeval of the size given.
        let set = unsafe {
            libc::setsockopt(
                ours.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&raw const timeout).cast(),
                libc::socklen_t::try_from(std::mem::size_of::<libc::timeval>()).unwrap_or(16),
            )
        };
        if set != 0 {
            return Err(std::io::Error::last_os_error()).context("cannot set the socket's timeout");
        }
        let mut command = Command::new(executable);
        command.arg("-c").arg(pyhelpers::COMPILED_ZYGOTE).args(rest);
        if let Some(env) = &start.env {
            command.env_clear().envs(env);
        }
        command.stdin(Stdio::from(theirs)).stdout(Stdio::piped()).stderr(Stdio::inherit());
        // SAFETY: prctl is async-signal-safe; the zygote dies with this worker.
        unsafe {
            command.pre_exec(|| {
                #[cfg(target_os = "linux")]
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let mut child = command.spawn().with_context(|| format!("cannot start {executable}"))?;
        drop(command); // closes our copy of the zygote's end
        let mut line = String::new();
        let read = child.stdout.take().map(|out| BufReader::new(out).read_line(&mut line));
        if line != "ready\n" {
            let _ = child.kill();
            let status = child.wait().map_or_else(|e| e.to_string(), |s| s.to_string());
            bail!("the zygote did not start ({status}{})", read.and_then(Result::err).map(|e| format!(", {e}")).unwrap_or_default());
        }
        Ok(Zygote { child, socket: ours, start })
    }

    /// In a forked child, before its file: Jedi's start of the compiled subprocess is answered
    /// by a listener from this zygote (`pyhelpers/compiled_client.py`).
    pub fn attach(&self, py: Python<'_>) -> PyResult<()> {
        let socket = self.socket.as_raw_fd();
        let request = PyCFunction::new_closure(
            py,
            None,
            None,
            move |_: &Bound<'_, PyTuple>, _: Option<&Bound<'_, PyDict>>| -> Option<(i32, i32, i32, u32)> {
                match request_listener(socket) {
                    Ok(listener) => Some(listener),
                    Err(error) => {
                        tracing::debug!("the zygote gave no listener ({error}): Jedi starts its subprocess");
                        None
                    }
                }
            },
        )?;
        let client = embed::load_helper(py, "_cfd_compiled_client", pyhelpers::COMPILED_CLIENT)?;
        client.call_method1("attach", (request, self.start.args.clone(), self.start.env.clone()))?;
        Ok(())
    }
}

impl Zygote {
    /// Fault injection (`kill-zygote`, `process::fault`), from a forked child: the zygote dies
    /// (its socket end closes once the kernel has it gone), so this request and every later one
    /// fail and Jedi starts its subprocess itself.
    pub fn kill_for_fault(&self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: plain kill(2) of our worker's own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
}

impl Drop for Zygote {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Is the zygote turned off (`CODEFLASH_DISCOVER_NO_ZYGOTE=1`)?
#[must_use]
pub fn disabled() -> bool {
    std::env::var_os(NO_ZYGOTE_ENV).is_some_and(|v| v == "1")
}

fn socket_pair() -> Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: fds has room for the two descriptors.
    if unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC, 0, fds.as_mut_ptr()) } != 0 {
        return Err(std::io::Error::last_os_error()).context("cannot create a socket pair");
    }
    // SAFETY: both were just created and are owned by no one else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

fn pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: fds has room for the two descriptors.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both were just created and are owned by no one else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Ask the zygote for a listener: three pipes, whose far ends the zygote puts on the listener's
/// stdin, stdout and stderr. Answers our ends of them (as Popen's) and the listener's pid.
fn request_listener(socket: RawFd) -> std::io::Result<(i32, i32, i32, u32)> {
    static SENT: AtomicU32 = AtomicU32::new(0);
    let (stdin_read, stdin_write) = pipe()?;
    let (stdout_read, stdout_write) = pipe()?;
    let (stderr_read, stderr_write) = pipe()?;
    let mut nonce = [0u8; 8];
    nonce[..4].copy_from_slice(&std::process::id().to_le_bytes());
    nonce[4..].copy_from_slice(&SENT.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    send_fds(socket, &nonce, &[stdin_read.as_raw_fd(), stdout_write.as_raw_fd(), stderr_write.as_raw_fd()])?;
    // The listener holds the far ends now: ours must go, so that it sees EOF when we do.
    drop((stdin_read, stdout_write, stderr_write));
    loop {
        let mut answer = [0u8; 12];
        // SAFETY: answer has room for the length given.
        let got = unsafe { libc::recv(socket, answer.as_mut_ptr().cast(), answer.len(), 0) };
        if got < 0 {
            let error = std::io::Error::last_os_error();
            if error.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(error);
        }
        if got == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the zygote is gone"));
        }
        if got == 12 && answer[..8] == nonce {
            let pid = u32::from_le_bytes([answer[8], answer[9], answer[10], answer[11]]);
            if pid == 0 {
                return Err(std::io::Error::other("the zygote could not fork"));
            }
            return Ok((stdin_write.into_raw_fd(), stdout_read.into_raw_fd(), stderr_read.into_raw_fd(), pid));
        }
        // An answer to a request an earlier child abandoned: not ours.
    }
}

/// One SEQPACKET message: `payload`, with `fds` attached (SCM_RIGHTS).
fn send_fds(socket: RawFd, payload: &[u8], fds: &[RawFd]) -> std::io::Result<()> {
    let fds_len = std::mem::size_of_val(fds);
    let fds_len_u32 = u32::try_from(fds_len).map_err(std::io::Error::other)?;
    // SAFETY: CMSG_SPACE only computes a size.
    let space = unsafe { libc::CMSG_SPACE(fds_len_u32) } as usize;
    let mut control = vec![0u8; space];
    let mut iov = libc::iovec { iov_base: payload.as_ptr().cast_mut().cast(), iov_len: payload.len() };
    // SAFETY: msghdr is plain data; every pointer set below outlives the sendmsg call.
    let mut message: libc::msghdr = unsafe { std::mem::zeroed() };
    message.msg_iov = &raw mut iov;
    message.msg_iovlen = 1;
    message.msg_control = control.as_mut_ptr().cast();
    message.msg_controllen = space as _;
    // SAFETY: the control buffer has CMSG_SPACE(fds_len) bytes, room for one header and the fds.
    unsafe {
        let header = libc::CMSG_FIRSTHDR(&raw const message);
        (*header).cmsg_level = libc::SOL_SOCKET;
        (*header).cmsg_type = libc::SCM_RIGHTS;
        (*header).cmsg_len = libc::CMSG_LEN(fds_len_u32) as _;
        std::ptr::copy_nonoverlapping(fds.as_ptr().cast::<u8>(), libc::CMSG_DATA(header), fds_len);
    }
    loop {
        // SAFETY: message is fully initialised above.
        let sent = unsafe { libc::sendmsg(socket, &raw const message, libc::MSG_NOSIGNAL) };
        if sent >= 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}
