//! Process hygiene shared by the stages: what must not outlive a run (child processes, temp
//! folders, Ctrl-C: [`cleanup`]), and test-only fault injection into the Jedi stage ([`fault`]).

#[cfg(feature = "cli")]
pub mod cleanup;
pub mod fault;
