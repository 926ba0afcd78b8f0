//! What must not outlive the run: child processes and temp directories.
//! Ctrl-C / SIGTERM (ctrlc) kills every registered child, removes every
//! registered temp directory and exits with 130. Children also die with us
//! on SIGKILL (stdin EOF, and `PR_SET_PDEATHSIG` set before exec).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

static CHILDREN: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static TEMP_DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Install the Ctrl-C / SIGTERM handler (once, in the main process).
pub fn install_handler() -> anyhow::Result<()> {
    ctrlc::set_handler(|| {
        INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
        kill_children();
        remove_temp_dirs();
        eprintln!("codeflash-discover: interrupted");
        unsafe { libc::_exit(i32::from(crate::error::EXIT_INTERRUPTED)) };
    })?;
    Ok(())
}

/// After a Ctrl-C / SIGTERM the handler is cleaning up and will exit with 130:
/// the main thread must not finish first with another exit code.
pub fn wait_if_interrupted() {
    if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    }
}

pub fn register_child(pid: u32) {
    CHILDREN.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(pid);
}

pub fn unregister_child(pid: u32) {
    CHILDREN.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&pid);
}

pub fn register_temp_dir(path: PathBuf) {
    TEMP_DIRS.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(path);
}

/// Make a temp directory with `make` and register it, unless the run is being interrupted: under
/// the registry's lock, so a directory made while the handler cleans up is either removed by it
/// or never made (a worker replaced during Ctrl-C would otherwise leave one behind).
pub fn make_temp_dir(make: impl FnOnce() -> std::io::Result<tempfile::TempDir>) -> anyhow::Result<tempfile::TempDir> {
    let mut dirs = TEMP_DIRS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        anyhow::bail!("interrupted");
    }
    let dir = make()?;
    dirs.push(dir.path().to_path_buf());
    Ok(dir)
}

fn kill_children() {
    let children = CHILDREN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for &pid in children.iter() {
        if let Ok(pid) = i32::try_from(pid) {
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
    for &pid in children.iter() {
        if let Ok(pid) = i32::try_from(pid) {
            unsafe { libc::waitpid(pid, std::ptr::null_mut(), 0) };
        }
    }
}

fn remove_temp_dirs() {
    for dir in TEMP_DIRS.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Make a child die with this process (Linux), even on SIGKILL.
pub fn die_with_parent(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }
}

/// Run a short-lived helper to completion as a child of this run: it dies with us
/// ([`die_with_parent`]), Ctrl-C kills it (registered meanwhile), and `input`, if any, is
/// written to its stdin (then closed). Its stdout and stderr are captured.
pub fn run_to_completion(command: &mut Command, input: Option<&[u8]>) -> std::io::Result<std::process::Output> {
    use std::io::Write;
    use std::process::Stdio;
    command.stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() }).stdout(Stdio::piped()).stderr(Stdio::piped());
    die_with_parent(command);
    let mut child = command.spawn()?;
    let pid = child.id();
    register_child(pid);
    // A helper that exits without reading its input is reported by its status, not by the write.
    let written = child.stdin.take().map_or(Ok(()), |mut stdin| input.map_or(Ok(()), |bytes| stdin.write_all(bytes)));
    let output = child.wait_with_output();
    unregister_child(pid);
    let output = output?;
    if output.status.success() {
        written?;
    }
    Ok(output)
}

/// Start a child with address-space randomisation off (Linux `personality`),
/// so that its memory layout, and so the iteration order of Python's
/// identity-hashed sets, is the same run after run. Where the kernel refuses,
/// the child starts as usual.
pub fn no_address_randomization(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        const ADDR_NO_RANDOMIZE: libc::c_ulong = 0x0004_0000;
        unsafe {
            command.pre_exec(|| {
                let current = libc::personality(0xffff_ffff);
                if current != -1 {
                    #[allow(clippy::cast_sign_loss)]
                    libc::personality(current as libc::c_ulong | ADDR_NO_RANDOMIZE);
                }
                Ok(())
            });
        }
    }
}
