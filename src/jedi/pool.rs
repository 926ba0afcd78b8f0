//! The worker pool of the Jedi stage: N worker processes (the [`WorkerProgram`] chosen for the
//! project's interpreter: embedded CPython, or our script in the interpreter itself), fed tasks
//! of `chunk_size` files from a crossbeam channel, one driver thread per worker. The embedded
//! program's workers are all forked from one [`WarmProcess`] (warmed once, its memory shared);
//! the subprocess program's are started one by one.
//!
//! Faults are contained: a worker that dies mid-file is replaced and the file
//! retried (up to [`MAX_ATTEMPTS`] tries, then it is an error entry); a file
//! that runs past its timeout gets its worker killed and replaced and is an
//! error entry; after [`CRASH_THRESHOLD`] crashes the pool stops and what is
//! left runs sequentially (unless `--no-fallback`, which fails the run).
//! When available memory runs low, a driver retires its worker instead of handing it another
//! file, down to one worker ([`memory`]).
//! Outcomes are stored by file index, so the merge is independent of timing.
//!
//! Input: the file tasks and a [`PoolConfig`]. Output: [`PoolRun`].

use std::collections::{BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use serde::Serialize;

use crate::jedi::memory;
use crate::jedi::program::WorkerProgram;
use crate::jedi::protocol::{FromWorker, JediConfig, ToWorker};
use crate::model::{FileOutcome, FileTask};
use crate::output::progress::Progress;
use crate::process::cleanup;

/// Tries per file before it is recorded as an error.
pub const MAX_ATTEMPTS: u32 = 3;
/// Worker crashes in one run after which the pool gives up on isolation.
pub const CRASH_THRESHOLD: usize = 6;
/// How long a fresh worker may take to start CPython, import Jedi and warm up. With a cold tree
/// cache the warm-up parses (and stores) every module of the project first: up to 64 MiB of
/// source (`WARM_LIMIT_BYTES` in jedi_worker.py), minutes on a large project.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Debug, Clone)]
pub struct PoolConfig {
    pub jobs: usize,
    pub chunk_size: usize,
    pub timeout_per_file: Duration,
    pub fallback: bool,
    pub program: WorkerProgram,
}

/// What the pool did, for `--stats` and the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PoolCounters {
    pub workers: usize,
    pub retries: usize,
    pub timeouts: usize,
    pub crashes: usize,
    /// Workers retired because available memory ran low.
    pub retired_for_memory: usize,
    pub fell_back_to_sequential: bool,
    /// Warm processes started (embedded program): 1, unless one died and was started again.
    pub warm_processes: usize,
    /// Workers whose children got Jedi's compiled subprocess from a zygote
    /// (`jedi::embedded::zygote`), replacements included.
    pub compiled_zygotes: usize,
}

/// The pool's answer.
#[derive(Debug, Default)]
pub struct PoolRun {
    /// By file index; `None` where the pool stopped before the file (fallback).
    pub outcomes: Vec<Option<FileOutcome>>,
    pub counters: PoolCounters,
}

struct Shared {
    outcomes: Vec<Option<FileOutcome>>,
    attempts: Vec<u32>,
    remaining: usize,
    counters: PoolCounters,
    stop: bool,
    failure: Option<String>,
}

impl Shared {
    fn done(&self) -> bool {
        self.stop || self.remaining == 0
    }
}

/// Told of every outcome as it arrives; answers with tasks to run next, ahead of the queue (the
/// primed files of `jedi::eviction`, sent as soon as the files before them are known).
pub trait FollowUp: Sync {
    /// Task `index` is done: below the caller's file count one of its files, above it the
    /// follow-ups in the order they were given.
    fn finished(&self, index: usize, outcome: &FileOutcome) -> Vec<FileTask>;
}

/// No follow-ups.
pub struct NoFollowUp;

impl FollowUp for NoFollowUp {
    fn finished(&self, _: usize, _: &FileOutcome) -> Vec<FileTask> {
        Vec::new()
    }
}

/// One run of the pool, as its driver threads share it.
struct Run<'a> {
    config: &'a PoolConfig,
    jedi: &'a JediConfig,
    /// The caller's files, then the follow-ups (by index, in that order).
    files: &'a [FileTask],
    follow_ups: Mutex<Vec<FileTask>>,
    /// Chunks of task indices; retries go to the back.
    queue: Sender<Vec<usize>>,
    tasks: Receiver<Vec<usize>>,
    /// Follow-ups, taken before the queue.
    urgent: (Sender<Vec<usize>>, Receiver<Vec<usize>>),
    shared: Mutex<Shared>,
    warm: Mutex<Option<WarmProcess>>,
    progress: &'a dyn Progress,
    follow_up: &'a dyn FollowUp,
}

impl Run<'_> {
    fn task(&self, index: usize) -> FileTask {
        self.files.get(index).cloned().unwrap_or_else(|| lock(&self.follow_ups)[index - self.files.len()].clone())
    }

    fn path(&self, index: usize) -> String {
        self.task(index).path
    }

    /// Task `index`'s outcome (the first one counts); the follow-ups it brings are queued first.
    fn finish(&self, state: &mut Shared, index: usize, outcome: FileOutcome) {
        if state.outcomes[index].is_some() {
            return;
        }
        if index < self.files.len() {
            self.progress.advance(outcome.error.is_some());
        }
        for task in self.follow_up.finished(index, &outcome) {
            let mut follow_ups = lock(&self.follow_ups);
            follow_ups.push(task);
            state.outcomes.push(None);
            state.attempts.push(0);
            state.remaining += 1;
            self.urgent.0.send(vec![self.files.len() + follow_ups.len() - 1]).expect("queue open");
        }
        state.outcomes[index] = Some(outcome);
        state.remaining -= 1;
    }

    /// The next chunk: a follow-up first, else from the queue (None after a short wait).
    fn next_chunk(&self) -> Result<Vec<usize>, RecvTimeoutError> {
        if let Ok(chunk) = self.urgent.1.try_recv() {
            return Ok(chunk);
        }
        self.tasks.recv_timeout(Duration::from_millis(50))
    }
}

/// How a worker process came to be.
enum Process {
    /// Started by the pool (the subprocess program).
    Spawned(Child),
    /// Forked by the embedded program's warm process ([`WarmProcess`]): not ours to reap.
    Forked(u32),
}

impl Process {
    fn pid(&self) -> u32 {
        match self {
            Process::Spawned(child) => child.id(),
            Process::Forked(pid) => *pid,
        }
    }
}

/// A live worker process.
pub struct Worker {
    process: Process,
    input: Box<dyn Write + Send>,
    lines: Receiver<String>,
    ready: bool,
    /// Said in its `Ready` (a zygote serves its children); taken once, when counted.
    zygote: Option<bool>,
    /// The trees its children hold before their file (`FromWorker::Ready`), for `used`.
    warm_trees: Option<Arc<BTreeSet<String>>>,
}

impl Worker {
    fn spawn(config: &PoolConfig, jedi: &JediConfig) -> Result<Worker> {
        Worker::launch(config, jedi)?.into_ready()
    }

    /// Start the process and send it `init`; it warms up on its own from there.
    /// Call from a thread that outlives the worker (`PR_SET_PDEATHSIG` follows the
    /// thread that spawned it).
    fn launch(config: &PoolConfig, jedi: &JediConfig) -> Result<Worker> {
        let mut command = config.program.command();
        command
            // Same start every time: string hashes fixed, and (below) addresses not randomised,
            // so every worker's warm state, and every child forked from it, is the same.
            .env("PYTHONHASHSEED", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cleanup::die_with_parent(&mut command);
        cleanup::no_address_randomization(&mut command);
        let mut child = command.spawn().context("cannot start a worker process")?;
        cleanup::register_child(child.id());
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let pid = child.id();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                tracing::debug!(worker = pid, "{line}");
            }
        });
        let mut worker = Worker::new(Process::Spawned(child), Box::new(stdin), stdout);
        if let Err(error) = worker.send(&ToWorker::Init(jedi.clone())) {
            worker.kill();
            return Err(error);
        }
        Ok(worker)
    }

    /// A worker reading its lines from `output` on a thread of its own.
    fn new(process: Process, input: Box<dyn Write + Send>, output: impl Read + Send + 'static) -> Worker {
        let (sender, lines) = crossbeam_channel::unbounded();
        std::thread::spawn(move || {
            for line in BufReader::new(output).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Worker { process, input, lines, ready: false, zygote: None, warm_trees: None }
    }

    /// The worker once it is warm (at once if it already was); one that does not get
    /// there (startup timeout, fatal error) is killed.
    fn into_ready(mut self) -> Result<Worker> {
        if self.ready {
            return Ok(self);
        }
        let failure = match self.receive(STARTUP_TIMEOUT) {
            Ok(FromWorker::Ready { zygote, warm_trees, .. }) => {
                self.ready = true;
                self.zygote = Some(zygote);
                if let Some(trees) = warm_trees {
                    self.warm_trees = Some(Arc::new(trees));
                }
                return Ok(self);
            }
            Ok(FromWorker::Fatal { message }) => anyhow::anyhow!("a worker could not start: {message}"),
            Ok(other) => anyhow::anyhow!("a worker sent {other:?} before it was ready"),
            Err(failure) => anyhow::anyhow!("a worker did not start: {failure}"),
        };
        self.kill();
        Err(failure)
    }

    fn send(&mut self, message: &ToWorker) -> Result<()> {
        let mut line = serde_json::to_vec(message)?;
        line.push(b'\n');
        self.input.write_all(&line)?;
        self.input.flush()?;
        Ok(())
    }

    /// The next message, or an error saying why none came (timeout or death).
    fn receive(&mut self, timeout: Duration) -> Result<FromWorker, WorkerFailure> {
        match self.lines.recv_timeout(timeout) {
            Ok(line) => serde_json::from_str(&line).map_err(|e| WorkerFailure::Died(format!("sent a malformed line ({e})"))),
            Err(RecvTimeoutError::Timeout) => Err(WorkerFailure::TimedOut),
            Err(RecvTimeoutError::Disconnected) => Err(WorkerFailure::Died(match &mut self.process {
                Process::Spawned(child) => child.wait().map_or_else(|e| e.to_string(), |s| s.to_string()),
                Process::Forked(_) => "its connection closed".to_owned(),
            })),
        }
    }

    fn kill(mut self) {
        match &mut self.process {
            Process::Spawned(child) => {
                let _ = child.kill();
                let _ = child.wait();
            }
            Process::Forked(pid) => kill_forked(*pid),
        }
        cleanup::unregister_child(self.process.pid());
    }

    /// Close its input (the worker exits on EOF) and reap it (when it is ours to reap).
    fn close(self) {
        let Worker { mut process, input, .. } = self;
        drop(input);
        if let Process::Spawned(child) = &mut process {
            let _ = child.wait();
        }
        cleanup::unregister_child(process.pid());
    }
}

/// The embedded program's warm process: started once per run (again only if it dies), warmed
/// once, and every worker of the pool forked from it (`jedi::embedded`): one copy of the warm
/// set in memory, one warm-up's work, for any number of workers.
pub struct WarmProcess {
    process: Worker,
    /// Where the forked workers' sockets are made (private to this run).
    sockets: tempfile::TempDir,
    made: usize,
    /// Sockets of `Fork` requests sent whose `Forked` is not read yet, oldest first.
    requested: VecDeque<PathBuf>,
    /// Its warm set, from its `Ready`: every forked worker's too.
    warm_trees: Option<Arc<BTreeSet<String>>>,
}

impl WarmProcess {
    /// Start it and send `init`; it warms up on its own from there.
    fn launch(config: &PoolConfig, jedi: &JediConfig) -> Result<WarmProcess> {
        let sockets = cleanup::make_temp_dir(socket_dir).context("cannot make a folder for the workers' sockets")?;
        let process = Worker::launch(config, jedi)?;
        Ok(WarmProcess { process, sockets, made: 0, requested: VecDeque::new(), warm_trees: None })
    }

    /// Ask for one more worker now (it is forked as soon as the warm process is ready).
    fn request(&mut self) -> Result<()> {
        self.made += 1;
        let socket = self.sockets.path().join(format!("w{:06}", self.made)); // one length: the warm process's memory at each fork is the same
        self.process.send(&ToWorker::Fork { socket: socket.to_string_lossy().into_owned() })?;
        self.requested.push_back(socket);
        Ok(())
    }

    /// The next forked worker (requested earlier, or now), connected; its `Ready` is still to come.
    fn fork(&mut self) -> Result<Worker> {
        if self.requested.is_empty() {
            self.request()?;
        }
        let socket = self.requested.pop_front().expect("one requested");
        let pid = loop {
            match self.process.receive(STARTUP_TIMEOUT) {
                Ok(FromWorker::Ready { warm_trees, .. }) => {
                    // warmed up; the `Forked` follows
                    self.warm_trees = warm_trees.map(Arc::new);
                }
                Ok(FromWorker::Forked { pid }) => break pid,
                Ok(FromWorker::Fatal { message }) => bail!("the warm process: {message}"),
                Ok(other) => bail!("the warm process sent {other:?}"),
                Err(failure) => bail!("the warm process did not answer: {failure}"),
            }
        };
        cleanup::register_child(pid);
        let stream = UnixStream::connect(&socket).with_context(|| format!("cannot connect to the worker forked as {pid}"));
        let _ = std::fs::remove_file(&socket);
        let stream = stream.inspect_err(|_| {
            kill_forked(pid);
            cleanup::unregister_child(pid);
        })?;
        let output = stream.try_clone().context("cannot read from a forked worker")?;
        let mut worker = Worker::new(Process::Forked(pid), Box::new(stream), output);
        worker.warm_trees.clone_from(&self.warm_trees);
        Ok(worker)
    }

    /// Close its input: it exits, and takes any worker still connected to nothing with it.
    fn close(self) {
        self.process.close();
    }
}

/// SIGKILL a worker the warm process forked (the warm process reaps it).
fn kill_forked(pid: u32) {
    // SAFETY: plain kill(2).
    unsafe { libc::kill(i32::try_from(pid).unwrap_or(i32::MAX), libc::SIGKILL) };
}

/// A private folder for the workers' sockets, with a path short enough for one (108 bytes).
fn socket_dir() -> std::io::Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new().prefix("cfd-workers-").tempdir()?;
    if dir.path().as_os_str().len() < 90 {
        return Ok(dir);
    }
    tempfile::Builder::new().prefix("cfd-workers-").tempdir_in("/tmp")
}

#[derive(Debug)]
enum WorkerFailure {
    TimedOut,
    Died(String),
}

impl std::fmt::Display for WorkerFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WorkerFailure::TimedOut => f.write_str("timed out"),
            WorkerFailure::Died(status) => write!(f, "worker died ({status})"),
        }
    }
}

impl From<anyhow::Error> for WorkerFailure {
    fn from(error: anyhow::Error) -> Self {
        WorkerFailure::Died(format!("{error:#}"))
    }
}

/// The default worker count: cores, bounded by available memory.
#[must_use]
pub fn default_jobs() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let by_memory =
        memory::available_bytes().map_or(cores, |bytes| usize::try_from(bytes / memory::WORKER_BUDGET_BYTES).unwrap_or(cores));
    cores.min(by_memory).max(1)
}

/// Workers started before the pool runs, warming up while the caller does other work
/// (collection): the warm process with a fork requested per worker (embedded program), or the
/// workers themselves (subprocess program).
#[derive(Default)]
pub struct Prestarted {
    warm: Option<WarmProcess>,
    workers: Vec<Worker>,
}

/// Start `config.jobs` workers now (see [`Prestarted`]). Call from the thread that will call
/// [`run`].
#[must_use]
pub fn prestart(config: &PoolConfig, jedi: &JediConfig) -> Prestarted {
    if config.program.forks_workers() {
        let warm = WarmProcess::launch(config, jedi).and_then(|mut warm| {
            for _ in 0..config.jobs {
                warm.request()?;
            }
            Ok(warm)
        });
        return Prestarted { warm: warm.map_err(|e| tracing::warn!("could not prestart the warm process: {e:#}")).ok(), workers: Vec::new() };
    }
    let workers = (0..config.jobs)
        .filter_map(|_| Worker::launch(config, jedi).map_err(|e| tracing::warn!("could not prestart a worker: {e:#}")).ok())
        .collect();
    Prestarted { warm: None, workers }
}

/// Stop workers that will not be used.
pub fn discard(prestarted: Prestarted) {
    for worker in prestarted.workers {
        worker.kill();
    }
    if let Some(warm) = prestarted.warm {
        warm.process.kill();
    }
}

/// Run the files through the pool; `prestarted` workers (same config) are used first, and
/// `follow_up` hears of every outcome (its follow-up tasks run in the same pool, ahead of the rest;
/// their outcomes reach it alone).
pub fn run(
    config: &PoolConfig,
    jedi: &JediConfig,
    files: &[FileTask],
    progress: &dyn Progress,
    prestarted: Prestarted,
    follow_up: &dyn FollowUp,
) -> Result<PoolRun> {
    let jobs = config.jobs.min(files.len()).max(1);
    let Prestarted { warm, workers } = prestarted;
    let prestarted_warm = usize::from(warm.is_some());
    let mut workers = workers.into_iter();
    let mut handed: Vec<Option<Worker>> = (0..jobs).map(|_| workers.next()).collect();
    discard(Prestarted { warm: None, workers: workers.collect() });
    // Every driver leaves only when all are done: a warm process (re)started by one must live
    // until the last worker forked from it is done (`PR_SET_PDEATHSIG` follows the thread).
    let leave_together = std::sync::Barrier::new(jobs);
    let (queue, tasks) = crossbeam_channel::unbounded::<Vec<usize>>();
    for chunk in schedule(files, jobs).chunks(config.chunk_size.max(1)) {
        queue.send(chunk.to_vec()).expect("queue open");
    }
    let run = Run {
        config,
        jedi,
        files,
        follow_ups: Mutex::new(Vec::new()),
        queue,
        tasks,
        urgent: crossbeam_channel::unbounded(),
        shared: Mutex::new(Shared {
            outcomes: vec![None; files.len()],
            attempts: vec![0; files.len()],
            remaining: files.len(),
            counters: PoolCounters { workers: jobs, warm_processes: prestarted_warm, ..PoolCounters::default() },
            stop: false,
            failure: None,
        }),
        warm: Mutex::new(warm),
        progress,
        follow_up,
    };
    std::thread::scope(|scope| {
        for (slot, first) in handed.iter_mut().enumerate() {
            let first = first.take();
            let (run, leave_together) = (&run, &leave_together);
            scope.spawn(move || {
                drive(slot, first, run);
                leave_together.wait();
            });
        }
    });
    if let Some(warm) = run.warm.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
        warm.close();
    }
    let mut shared = run.shared.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(failure) = shared.failure {
        bail!(failure);
    }
    shared.outcomes.truncate(files.len()); // the follow-ups' went to `follow_up`
    Ok(PoolRun { outcomes: shared.outcomes, counters: shared.counters })
}

/// The order files are handed out. One worker keeps input order. With several, the large files
/// go first, largest first (size predicts time: one big file started last would finish last, the
/// others idle), then the rest in input order: a file the reference's parso cache evicts during
/// is analysed again once every file before it is known (`jedi::eviction`), and input order gets
/// there early, while other files still keep the workers busy. "Large" is over 1/32 of a
/// worker's share of the bytes, so no file left for the end is more than that. Every file is
/// analysed from the same warm state, so the order never changes an answer; the answers are
/// merged in input order.
fn schedule(files: &[FileTask], jobs: usize) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..files.len()).collect();
    if jobs > 1 {
        let sizes: Vec<u64> = files.iter().map(|f| std::fs::metadata(&f.path).map_or(0, |m| m.len())).collect();
        let large = sizes.iter().sum::<u64>() / (32 * jobs as u64);
        indices.sort_by_key(|&i| if sizes[i] > large { (0, std::cmp::Reverse(sizes[i]), i) } else { (1, std::cmp::Reverse(0), i) });
    }
    indices
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One driver thread: owns one worker slot for the whole run.
fn drive(slot: usize, first: Option<Worker>, run: &Run) {
    let mut worker: Option<Worker> = first;
    let mut next_id = 0u64;
    while !lock(&run.shared).done() {
        if memory::is_low() && retire(&run.shared) {
            tracing::warn!("available memory is low: worker {slot} retired, the others go on");
            break;
        }
        let chunk = match run.next_chunk() {
            Ok(chunk) => chunk,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let live = worker.take().and_then(|kept| kept.into_ready().map_err(|error| tracing::warn!("worker {slot}: {error:#}")).ok());
        let live = if let Some(live) = live { live } else {
            match start_worker(run) {
                Ok(live) => live,
                Err(error) => {
                    tracing::warn!("worker {slot}: {error:#}");
                    run.queue.send(chunk).expect("queue open");
                    record_crash(run, &format!("{error:#}"));
                    continue;
                }
            }
        };
        let mut live = live;
        if live.zygote.take() == Some(true) {
            lock(&run.shared).counters.compiled_zygotes += 1;
        }
        next_id += 1;
        worker = run_chunk(live, next_id, &chunk, run);
    }
    if let Some(live) = worker {
        live.close();
    }
}

/// A new worker, ready: forked from the warm process (the embedded program; the warm process is
/// started again first if there is none, or it died), else spawned.
fn start_worker(run: &Run) -> Result<Worker> {
    if !run.config.program.forks_workers() {
        return Worker::spawn(run.config, run.jedi);
    }
    let forked = {
        let mut warm = lock(&run.warm);
        let mut process = if let Some(process) = warm.take() {
            process
        } else {
            lock(&run.shared).counters.warm_processes += 1;
            WarmProcess::launch(run.config, run.jedi)?
        };
        let forked = process.fork();
        if forked.is_ok() {
            *warm = Some(process);
        } else {
            process.process.kill();
        }
        forked?
    };
    forked.into_ready()
}

/// Send one chunk and collect its answers. Returns the worker if it is still usable.
fn run_chunk(mut worker: Worker, id: u64, chunk: &[usize], run: &Run) -> Option<Worker> {
    let task = ToWorker::Task { id, files: chunk.iter().map(|&i| run.task(i)).collect() };
    let sent = worker.send(&task).map_err(WorkerFailure::from);
    let mut started = Instant::now();
    for (position, &index) in chunk.iter().enumerate() {
        let answer = match &sent {
            Ok(()) => worker.receive(run.config.timeout_per_file),
            Err(e) => Err(WorkerFailure::Died(e.to_string())),
        };
        let failure = match answer {
            Ok(FromWorker::Done { id: got, index: at, mut outcome }) if got == id && at == position => {
                outcome.used = used_trees(&outcome, worker.warm_trees.as_deref());
                outcome.hits = Vec::new();
                if matches!(worker.process, Process::Spawned(_)) {
                    outcome.read = Vec::new(); // the answer cache keeps only the embedded workers' answers
                }
                tracing::debug!(seconds = started.elapsed().as_secs_f64(), "done: {}", run.path(index));
                started = Instant::now();
                run.finish(&mut lock(&run.shared), index, outcome);
                continue;
            }
            Ok(FromWorker::Crashed { id: got, index: at, status }) if got == id && at == position => {
                // The file's child died; the worker is fine and goes on with the chunk.
                tracing::warn!("the child for {} died: {status}", run.path(index));
                if retry_or_give_up(run, index, &status) {
                    run.queue.send(vec![index]).expect("queue open");
                }
                record_crash(run, &status);
                continue;
            }
            Ok(other) => WorkerFailure::Died(format!("unexpected message {other:?}")),
            Err(failure) => failure,
        };
        // The worker is gone or stuck: replace it; the rest of the chunk goes back to the queue.
        worker.kill();
        let rest = chunk[position + 1..].to_vec();
        if !rest.is_empty() {
            run.queue.send(rest).expect("queue open");
        }
        match failure {
            WorkerFailure::TimedOut => {
                let mut state = lock(&run.shared);
                state.counters.timeouts += 1;
                let message = format!("timed out after {}s; its worker was replaced", run.config.timeout_per_file.as_secs());
                run.finish(&mut state, index, FileOutcome::failed(message));
            }
            WorkerFailure::Died(status) => {
                tracing::warn!("worker died on {}: {status}", run.path(index));
                if retry_or_give_up(run, index, &status) {
                    run.queue.send(vec![index]).expect("queue open");
                }
                record_crash(run, &status);
            }
        }
        return None;
    }
    Some(worker)
}

/// What the file made parso hold or use: its hits, and what it holds beyond the warm set (it
/// parsed those). Empty where the worker did not say its warm set or the child its trees.
fn used_trees(outcome: &FileOutcome, warm: Option<&BTreeSet<String>>) -> Vec<String> {
    let Some(warm) = warm.filter(|_| !outcome.read.is_empty()) else {
        return Vec::new();
    };
    let parsed = outcome.read.iter().filter(|path| !warm.contains(*path));
    parsed.chain(&outcome.hits).cloned().collect::<BTreeSet<_>>().into_iter().collect()
}

/// Retire one worker for memory, unless it is the last one.
fn retire(shared: &Mutex<Shared>) -> bool {
    let mut state = lock(shared);
    if state.counters.workers - state.counters.retired_for_memory <= 1 {
        return false;
    }
    state.counters.retired_for_memory += 1;
    true
}

/// Count a failed try of task `index`; true when it should be tried again.
fn retry_or_give_up(run: &Run, index: usize, status: &str) -> bool {
    let mut state = lock(&run.shared);
    state.attempts[index] += 1;
    if state.attempts[index] >= MAX_ATTEMPTS {
        let message = format!("its worker died on each of {MAX_ATTEMPTS} tries (last: {status})");
        run.finish(&mut state, index, FileOutcome::failed(message));
        false
    } else {
        state.counters.retries += 1;
        true
    }
}

fn record_crash(run: &Run, what: &str) {
    let mut state = lock(&run.shared);
    state.counters.crashes += 1;
    if state.counters.crashes >= CRASH_THRESHOLD && !state.stop {
        state.stop = true;
        if run.config.fallback {
            state.counters.fell_back_to_sequential = true;
        } else {
            state.failure = Some(format!("{} worker crashes (last: {what}); stopping (--no-fallback)", state.counters.crashes));
        }
    }
}

/// Files the pool left unprocessed (after a fallback), by index.
#[must_use]
pub fn unfinished(run: &PoolRun) -> Vec<usize> {
    run.outcomes.iter().enumerate().filter(|(_, o)| o.is_none()).map(|(i, _)| i).collect()
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_used_its_hits_and_what_it_holds_beyond_the_warm_set() {
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let outcome = FileOutcome { read: strings(&["/w/a.py", "/w/b.py", "/p/own.py", "/t/test_x.py"]), hits: strings(&["/w/b.py"]), ..FileOutcome::default() };
        let warm: BTreeSet<String> = strings(&["/w/a.py", "/w/b.py"]).into_iter().collect();
        assert_eq!(used_trees(&outcome, Some(&warm)), strings(&["/p/own.py", "/t/test_x.py", "/w/b.py"]));
        assert!(used_trees(&outcome, None).is_empty(), "no warm set said: nothing known");
        assert!(used_trees(&FileOutcome::default(), Some(&warm)).is_empty(), "no trees reported: nothing known");
    }

    #[test]
    fn several_workers_get_the_large_files_first_then_input_order_and_one_worker_keeps_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<FileTask> = [10, 300, 30, 2000, 0]
            .iter()
            .enumerate()
            .map(|(i, &size)| {
                let path = dir.path().join(format!("test_{i}.py"));
                std::fs::write(&path, "x".repeat(size)).unwrap();
                FileTask::new(path.to_string_lossy(), Vec::new())
            })
            .collect();
        let mut missing = files.clone();
        missing.push(FileTask::new(dir.path().join("gone.py").to_string_lossy(), Vec::new()));
        assert_eq!(schedule(&files, 1), [0, 1, 2, 3, 4]);
        assert_eq!(schedule(&files, 2), [3, 1, 0, 2, 4], "over 1/64 of the bytes: largest first; then input order, not size");
        assert_eq!(schedule(&missing, 4), [3, 1, 2, 0, 4, 5], "over 1/128: the 30 bytes too; an unreadable file counts as empty");
    }
}
