//! Ctrl-C, SIGTERM and SIGKILL of the orchestrator leave no child process
//! (workers, Jedi's own subprocesses, collection) and, where we get to run
//! cleanup, no temp files behind.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{binary, fixture_copy, python};

/// Every process whose parent chain leads to `root`.
fn descendants(root: u32) -> Vec<u32> {
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Some(parent) = parent_of(pid) else { continue };
        parents.push((pid, parent));
    }
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(parents.iter().filter(|(_, ppid)| *ppid == parent).map(|(pid, _)| *pid));
        i += 1;
    }
    found.remove(0);
    found
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // pid (comm) state ppid ...: comm may hold spaces, so parse after the last ')'.
    stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()
}

/// Those of `tree` whose parent is `root`.
fn descendants_at_depth_one(root: u32, tree: &[u32]) -> Vec<u32> {
    tree.iter().copied().filter(|&pid| parent_of(pid) == Some(root)).collect()
}

/// A worker process: the embedded program (its own binary) or the subprocess one
/// (`python -c <worker_main.py>`), not the tree filler, whose command line names the helper too.
fn is_worker(pid: u32) -> bool {
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else { return false };
    let argv: Vec<String> = cmdline.split(|&b| b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
    argv[0].ends_with("/codeflash-discover-worker") || (argv.len() > 2 && argv[1] == "-c" && argv[2] == codeflash_discover::pyhelpers::WORKER_MAIN)
}

fn alive(pid: u32) -> bool {
    // A zombie is dead for our purpose (its parent has not reaped it yet).
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().next()).is_some_and(|state| state != "Z")
    })
}

/// Start a discovery that hangs in the Jedi stage, and wait until its workers run.
#[allow(clippy::zombie_processes)] // the caller waits on it
fn start_hanging_run(root: &Path, tmp: &Path, worker: &str) -> (Child, Vec<u32>) {
    let child = Command::new(binary())
        .env("CODEFLASH_DISCOVER_REFRESH", "1")
        .arg("--python")
        .arg(python())
        .arg("--project-root")
        .arg(root)
        .args(["--quiet", "-j", "2", "--worker", worker])
        .env("CODEFLASH_DISCOVER_FAULT", "hang:/")
        .env("TMPDIR", tmp)
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let tree = descendants(child.id());
        if tree.iter().filter(|pid| is_worker(**pid)).count() >= 2 {
            std::thread::sleep(Duration::from_millis(1500)); // let them reach the hanging file
            let tree = descendants(child.id());
            let direct = descendants_at_depth_one(child.id(), &tree);
            let direct_workers = direct.iter().filter(|pid| is_worker(**pid)).count();
            // Embedded: one warm process, both workers forked from it (README, "How it works");
            // subprocess: each worker started on its own.
            assert_eq!(direct_workers, if worker == "embedded" { 1 } else { 2 }, "{worker}: worker processes the orchestrator started");
            return (child, tree);
        }
        assert!(Instant::now() < deadline, "workers did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn assert_all_gone(pids: &[u32]) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while pids.iter().any(|&pid| alive(pid)) {
        assert!(Instant::now() < deadline, "left behind: {:?}", pids.iter().filter(|&&p| alive(p)).collect::<Vec<_>>());
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn interrupt_and_check(signal: i32, worker: &str) {
    let (_dir, root) = fixture_copy("pytest_basics");
    let tmp = tempfile::tempdir().unwrap();
    let (mut child, tree) = start_hanging_run(&root, tmp.path(), worker);
    assert!(!tree.is_empty());
    unsafe { libc::kill(i32::try_from(child.id()).unwrap(), signal) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "exit code after signal {signal}");
    assert_all_gone(&tree);
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.path()).collect();
    assert!(left.is_empty(), "temp files left behind: {left:?}");
}

#[test]
fn ctrl_c_stops_children_removes_temp_files_and_exits_130() {
    interrupt_and_check(libc::SIGINT, "embedded");
}

#[test]
fn ctrl_c_with_subprocess_workers_stops_them_and_their_children() {
    interrupt_and_check(libc::SIGINT, "subprocess");
}

#[test]
fn sigterm_stops_children_removes_temp_files_and_exits_130() {
    interrupt_and_check(libc::SIGTERM, "embedded");
}

#[test]
fn children_exit_on_their_own_when_the_orchestrator_is_killed() {
    for worker in ["embedded", "subprocess"] {
        let (_dir, root) = fixture_copy("pytest_basics");
        let tmp = tempfile::tempdir().unwrap();
        let (mut child, tree) = start_hanging_run(&root, tmp.path(), worker);
        child.kill().unwrap(); // SIGKILL: no cleanup code runs in the orchestrator
        child.wait().unwrap();
        assert_all_gone(&tree);
    }
}
