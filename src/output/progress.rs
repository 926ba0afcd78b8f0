//! Progress reporting through a small trait; the binary picks the renderer:
//! bars on a terminal (files done, failed, ETA), one line per phase when
//! stderr is not a terminal, nothing with `--quiet`.

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
}

pub trait Progress: Send + Sync {
    /// A phase begins; `total` files if known.
    fn start(&self, phase: Phase, total: Option<u64>);
    /// One file of the current phase is done.
    fn advance(&self, failed: bool);
    /// The phase is over; `summary` says what it produced.
    fn finish(&self, summary: &str);
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
        *self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some((phase, Instant::now()));
    }
    fn advance(&self, _: bool) {}
    fn finish(&self, summary: &str) {
        if let Some((phase, started)) = self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
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
        *self.bar.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(bar);
    }
    fn advance(&self, failed: bool) {
        if let Some(bar) = &*self.bar.lock().unwrap_or_else(std::sync::PoisonError::into_inner) {
            if failed {
                let failed = self.failed.fetch_add(1, Ordering::Relaxed) + 1;
                bar.set_message(format!("{failed} failed"));
            }
            bar.inc(1);
        }
    }
    fn finish(&self, summary: &str) {
        if let Some(bar) = self.bar.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
            let prefix = bar.prefix();
            bar.finish_and_clear();
            eprintln!("{prefix:>8} {summary} ({:.1}s)", bar.elapsed().as_secs_f64());
        }
    }
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
