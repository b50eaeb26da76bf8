//! `dialsim console [PATH]`: a scenario on the virtual clock, paused until told, driven one command at a
//! time. Everything it prints is the same event stream the other views show: Asterisk's console lines
//! (at the console's verbosity) and dialsim's tagged lines.
//!
//! - [`session`]: the [`Session`] (the engine, the [`dialplan::engine::stepper::Stepper`] that advances
//!   its clock, breakpoints) and every command;
//! - [`input`]: reading commands, from a terminal (rustyline: history, tab completion of commands,
//!   contexts, channels and devices) or from standard input (how it is scripted and tested).

pub mod input;
pub mod session;

pub use session::{Flow, Session};
