//! Errors the user must act on, and the mapping of every outcome to an exit
//! code (the one place that decides it).

use std::fmt;

/// A problem with the inputs or the environment: one clear line, exit code 2.
#[derive(Debug)]
pub struct UserError(pub String);

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

/// Shorthand for returning a [`UserError`].
#[allow(unused_macros)] // the worker binary (feature `embed` alone) has no user errors
macro_rules! user_error {
    ($($arg:tt)*) => { anyhow::Error::new($crate::error::UserError(format!($($arg)*))) };
}
#[allow(unused_imports)]
pub(crate) use user_error;

pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
/// Ctrl-C / SIGTERM: the signal handler exits with it ([`crate::process::cleanup`]).
pub const EXIT_INTERRUPTED: u8 = 130;

/// The exit code for an error that ended the run.
#[must_use]
pub fn exit_code_for(error: &anyhow::Error) -> u8 {
    if error.downcast_ref::<UserError>().is_some() {
        EXIT_USAGE
    } else {
        EXIT_FAILURE
    }
}
