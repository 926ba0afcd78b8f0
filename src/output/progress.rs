//! Progress reporting through a small trait; the binary picks the renderer:
//! bars on a terminal (files done, failed, ETA), one line per phase when
//! stderr is not a terminal, nothing with `--quiet`; and, with `--progress-fd N`, JSON lines on
//! that file descriptor for programs (the Python package's progress callback), beside the former.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Collect,
    Filter,
    Jedi,
}

impl Phase {
    fn label(self) -> &'static str {
        match self {
            Phase::Collect => "collect",
            Phase::Filter => "filter",
            Phase::Jedi => "jedi",
        }
    }

    /// The phase's name on the JSON stream (`ProgressInfo.current_phase` of the Python package).
    fn stream_name(self) -> &'static str {
        match self {
            Phase::Collect => "collection",
            Phase::Filter => "import_analysis",
            Phase::Jedi => "jedi_processing",
        }
    }
}

pub trait Progress: Send + Sync {
    /// A phase begins; `total` files if known.
    fn start(&self, phase: Phase, total: Option<u64>);
    /// One file of the current phase is done.
    fn advance(&self, failed: bool);
    /// The phase is over; `summary` says what it produced.
    fn finish(&self, summary: &str);
    /// Collection is over: pytest's rootdir, if pytest reported one (the reference writes it back
    /// into codeflash's `TestConfig`; only the JSON stream carries it).
    fn collected(&self, _pytest_rootdir: Option<&str>) {}
}

/// `--quiet`.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: Phase, _: Option<u64>) {}
    fn advance(&self, _: bool) {}
    fn finish(&self, _: &str) {}
}

/// Not a terminal: one line per phase.
pub struct Lines {
    current: Mutex<Option<(Phase, Instant)>>,
}

impl Progress for Lines {
    fn start(&self, phase: Phase, _: Option<u64>) {
        *lock(&self.current) = Some((phase, Instant::now()));
    }
    fn advance(&self, _: bool) {}
    fn finish(&self, summary: &str) {
        if let Some((phase, started)) = lock(&self.current).take() {
            eprintln!("[{}] {summary} ({:.1}s)", phase.label(), started.elapsed().as_secs_f64());
        }
    }
}

/// A terminal: a bar per phase with done/failed counts and an ETA.
pub struct Bars {
    bar: Mutex<Option<ProgressBar>>,
    failed: AtomicU64,
}

impl Progress for Bars {
    fn start(&self, phase: Phase, total: Option<u64>) {
        self.failed.store(0, Ordering::Relaxed);
        let bar = match total {
            Some(total) => ProgressBar::new(total).with_style(
                ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} files {msg} (eta {eta})")
                    .expect("valid template")
                    .progress_chars("=> "),
            ),
            None => ProgressBar::new_spinner().with_style(ProgressStyle::with_template("{prefix:>8} {spinner} {elapsed}").expect("valid template")),
        };
        bar.set_prefix(phase.label());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        *lock(&self.bar) = Some(bar);
    }
    fn advance(&self, failed: bool) {
        if let Some(bar) = &*lock(&self.bar) {
            if failed {
                let failed = self.failed.fetch_add(1, Ordering::Relaxed) + 1;
                bar.set_message(format!("{failed} failed"));
            }
            bar.inc(1);
        }
    }
    fn finish(&self, summary: &str) {
        if let Some(bar) = lock(&self.bar).take() {
            let prefix = bar.prefix();
            bar.finish_and_clear();
            eprintln!("{prefix:>8} {summary} ({:.1}s)", bar.elapsed().as_secs_f64());
        }
    }
}

/// `--progress-fd N`: one JSON object per line, each written with one `write` call:
/// `{"event": "start"|"advance"|"finish", "phase", "total_files", "completed_files",
/// "failed_files", "elapsed_seconds"}` (and `"summary"` on finish), and once
/// `{"event": "collected", "pytest_rootdir"}`. A reader that went away costs nothing but the stream.
pub struct JsonLines {
    stream: Mutex<Stream>,
    started: Instant,
}

/// The descriptor and the current phase's counts, under one lock: a line is written with the counts
/// it reports.
struct Stream {
    out: std::fs::File,
    phase: Option<Phase>,
    total: Option<u64>,
    completed: u64,
    failed: u64,
}

impl JsonLines {
    #[must_use]
    pub fn new(out: std::fs::File) -> Self {
        let stream = Stream { out, phase: None, total: None, completed: 0, failed: 0 };
        JsonLines { stream: Mutex::new(stream), started: Instant::now() }
    }

    /// Write `line` (with `elapsed_seconds` added) in one `write` call.
    fn emit(&self, stream: &mut Stream, mut line: serde_json::Value) {
        use std::io::Write;
        if let Some(object) = line.as_object_mut() {
            object.insert("elapsed_seconds".into(), self.started.elapsed().as_secs_f64().into());
        }
        let mut text = line.to_string();
        text.push('\n');
        let _ = stream.out.write_all(text.as_bytes());
    }

    /// A progress line: `event` with the current phase's counts.
    fn report(&self, stream: &mut Stream, event: &str, summary: Option<&str>) {
        let mut line = serde_json::json!({
            "event": event,
            "phase": stream.phase.map(Phase::stream_name),
            "total_files": stream.total,
            "completed_files": stream.completed,
            "failed_files": stream.failed,
        });
        if let Some(summary) = summary {
            line["summary"] = summary.into();
        }
        self.emit(stream, line);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Progress for JsonLines {
    fn start(&self, phase: Phase, total: Option<u64>) {
        let mut stream = lock(&self.stream);
        (stream.phase, stream.total, stream.completed, stream.failed) = (Some(phase), total, 0, 0);
        self.report(&mut stream, "start", None);
    }
    fn advance(&self, failed: bool) {
        let mut stream = lock(&self.stream);
        stream.completed += 1;
        stream.failed += u64::from(failed);
        self.report(&mut stream, "advance", None);
    }
    fn finish(&self, summary: &str) {
        self.report(&mut lock(&self.stream), "finish", Some(summary));
    }
    fn collected(&self, pytest_rootdir: Option<&str>) {
        self.emit(&mut lock(&self.stream), serde_json::json!({"event": "collected", "pytest_rootdir": pytest_rootdir}));
    }
}

/// Two renderers at once (stderr's and the JSON stream).
pub struct Both(pub Box<dyn Progress>, pub Box<dyn Progress>);

impl Progress for Both {
    fn start(&self, phase: Phase, total: Option<u64>) {
        self.0.start(phase, total);
        self.1.start(phase, total);
    }
    fn advance(&self, failed: bool) {
        self.0.advance(failed);
        self.1.advance(failed);
    }
    fn finish(&self, summary: &str) {
        self.0.finish(summary);
        self.1.finish(summary);
    }
    fn collected(&self, pytest_rootdir: Option<&str>) {
        self.0.collected(pytest_rootdir);
        self.1.collected(pytest_rootdir);
    }
}

/// The file descriptor `--progress-fd` names, checked to be open for writing.
pub fn stream_from_fd(fd: i32) -> anyhow::Result<std::fs::File> {
    use std::os::fd::FromRawFd;
    // SAFETY: fcntl only reads the descriptor's flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if fd < 0 || flags < 0 {
        return Err(crate::error::user_error!("--progress-fd {fd}: not an open file descriptor"));
    }
    if flags & libc::O_ACCMODE == libc::O_RDONLY {
        return Err(crate::error::user_error!("--progress-fd {fd}: not open for writing"));
    }
    // SAFETY: the descriptor is open (checked above) and the caller gave it to us for this run;
    // nothing else in this process owns it.
    Ok(unsafe { std::fs::File::from_raw_fd(fd) })
}

/// The renderer for this run.
#[must_use]
pub fn for_stderr(quiet: bool) -> Box<dyn Progress> {
    if quiet {
        Box::new(Silent)
    } else if std::io::stderr().is_terminal() {
        Box::new(Bars { bar: Mutex::new(None), failed: AtomicU64::new(0) })
    } else {
        Box::new(Lines { current: Mutex::new(None) })
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Seek};
    use std::os::fd::IntoRawFd;

    use super::*;

    #[test]
    fn json_lines_counts_files_and_names_phases_as_the_python_package_does() {
        let file = tempfile::tempfile().unwrap();
        let progress = JsonLines::new(file.try_clone().unwrap());
        progress.start(Phase::Collect, None);
        progress.finish("3 tests in 1 file");
        progress.collected(Some("/root dir"));
        progress.start(Phase::Jedi, Some(2));
        progress.advance(false);
        progress.advance(true);
        progress.finish("2 files analyzed, 1 failed");
        let mut text = String::new();
        let mut file = file;
        file.rewind().unwrap();
        file.read_to_string(&mut text).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let brief: Vec<String> = lines
            .iter()
            .map(|l| format!("{} {} {} {} {}", l["event"], l["phase"], l["total_files"], l["completed_files"], l["failed_files"]))
            .collect();
        assert_eq!(
            brief,
            [
                r#""start" "collection" null 0 0"#,
                r#""finish" "collection" null 0 0"#,
                "\"collected\" null null null null",
                r#""start" "jedi_processing" 2 0 0"#,
                r#""advance" "jedi_processing" 2 1 0"#,
                r#""advance" "jedi_processing" 2 2 1"#,
                r#""finish" "jedi_processing" 2 2 1"#,
            ]
        );
        assert_eq!(lines[2]["pytest_rootdir"], "/root dir");
        assert_eq!(lines[6]["summary"], "2 files analyzed, 1 failed");
        assert!(lines.iter().all(|l| l["elapsed_seconds"].as_f64().is_some()));
    }

    #[test]
    fn a_closed_or_read_only_descriptor_is_a_usage_error() {
        assert!(stream_from_fd(987_654).is_err());
        let (read, _write) = std::io::pipe().unwrap();
        let fd = read.into_raw_fd();
        let error = stream_from_fd(fd).unwrap_err();
        assert!(error.to_string().contains("not open for writing"), "{error}");
        unsafe { libc::close(fd) };
    }
}
