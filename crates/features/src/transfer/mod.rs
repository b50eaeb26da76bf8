//! Transfers as pure state machines (no engine): how the transferer dials the target
//! ([`digits`], Asterisk's `grab_transfer` + `ast_app_dtget`) and how an attended transfer moves between its
//! states on each stimulus ([`atxfer`], the monitor of `main/bridge_basic.c`). The engine side — who hears
//! what, which channel moves where — is [`crate::module::transfer`].

pub mod atxfer;
pub mod digits;

pub use atxfer::{
    AtxferConfig, AtxferState, DropCall, Effect, Side, Stimulus, Timer, TimerStart, Transition,
};
pub use digits::{Attempt, Collect, DialAttempts, TargetDigits};
