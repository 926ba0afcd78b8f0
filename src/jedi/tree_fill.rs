//! The parse-tree store, filled ahead of the workers on every core (a step of the warm-up).
//!
//! Input: the project's interpreter and the Jedi stage's settings. Output: a [`TreeFill`], a
//! running `pyhelpers/tree_fill.py`, which lists the warm set as a worker does, takes the store's
//! fill lock and parses the missing trees in itself and in forked helpers, one per core, while
//! collection runs. A worker's own fill (one throw-away child, one core) waits on that lock and
//! then finds the trees, so a run with an empty store warms up about as many times faster as there
//! are cores. No answer can change: the workers' Python is untouched, a stored tree is the same
//! bytes whichever process parsed it, and a warm process that waited for a fill answers as one that
//! found the store full (README, "Cache"; `tests/tree_cache.rs`).

use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::process::cleanup;
use crate::pyhelpers;

use super::protocol::JediConfig;

/// Turns the filler off (any value but empty or `0`): each worker's own fill child parses what
/// is missing, one core each.
pub const OFF_ENV: &str = "CODEFLASH_DISCOVER_NO_TREE_FILL";

/// The filler, while it runs. [`TreeFill::finish`] waits for it (it is done by the time the
/// workers have warmed up: they wait for it); dropped unfinished (no file needed a worker, or
/// the run failed), it is killed, which can leave a temp file in the store's `tmp/`.
pub struct TreeFill(Child);

/// Start the filler for `config`'s store, or `None` where it is off, the settings have no store
/// or warm-up, or it cannot start (a debug line; the workers fill the store themselves).
pub fn start(python: &Path, config: &JediConfig) -> Option<TreeFill> {
    if std::env::var_os(OFF_ENV).is_some_and(|v| !v.is_empty() && v != "0") || !config.warm || config.tree_cache.is_none() {
        return None;
    }
    let settings = serde_json::to_string(config).ok()?;
    let mut command = Command::new(python);
    command.arg("-c").arg(pyhelpers::TREE_FILL).arg(pyhelpers::JEDI_WORKER).arg(settings);
    command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    cleanup::die_with_parent(&mut command);
    match command.spawn() {
        Ok(child) => {
            cleanup::register_child(child.id());
            Some(TreeFill(child))
        }
        Err(error) => {
            tracing::debug!("the tree filler did not start ({error}): each worker fills what it needs");
            None
        }
    }
}

impl TreeFill {
    /// Wait for the filler to end.
    pub fn finish(mut self) {
        match self.0.wait() {
            Ok(status) if !status.success() => {
                tracing::debug!("the tree filler ended with {status}: the workers filled what was missing");
            }
            Err(error) => tracing::debug!("cannot wait for the tree filler: {error}"),
            Ok(_) => {}
        }
    }
}

impl Drop for TreeFill {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
        cleanup::unregister_child(self.0.id());
    }
}
