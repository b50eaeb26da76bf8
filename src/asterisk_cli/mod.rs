//! Asterisk's CLI commands, answered from a running engine's state exactly as Asterisk's CLI would answer at
//! that moment. A scenario's `[[actions]]` (`cli = "parking show default"`) and every other front end that
//! takes CLI words use this one dispatcher.
//!
//! One file per command: [`dialplan_show`] (`dialplan show [CONTEXT | EXTEN@CONTEXT]`), [`parking_show`]
//! (`parking show [LOT]`), [`features_show`] (`features show`), [`core_show_channels`] (`core show channels
//! [concise|verbose|count]`), [`core_show_channel`] (`core show channel NAME`), [`core_show_hints`] (`core
//! show hints`), [`core_set_verbose`] (a console's own state, so the console answers it with
//! [`core_set_verbose::set`]), [`module_reload`] (`module reload [MODULE …]`, `core reload`) and
//! [`dialplan_reload`] (`dialplan reload`), which reload the configuration folder (see [`crate::reload`]). Anything else is answered by a dialsim note saying that the command is not
//! simulated (never by invented output).

pub mod core_set_verbose;
mod core_show_channel;
mod core_show_channels;
pub mod core_show_hints;
mod dialplan_reload;
mod dialplan_show;
mod features_show;
pub mod module_reload;
mod parking_show;

use dialplan::engine::Engine;
use features::FeaturesModule;
use parking::ParkingModule;
use std::cell::RefCell;

/// What the CLI commands need besides the engine: the loaded modules and what a reload reads.
pub struct CliContext {
    pub features: FeaturesModule,
    /// `None` when res_parking declined to load.
    pub parking: Option<ParkingModule>,
    /// The configuration folder and what its files held (see [`crate::reload`]).
    pub running: RefCell<crate::reload::Running>,
}

/// The answer to a CLI command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CliAnswer {
    /// What Asterisk's CLI prints.
    Output(String),
    /// dialsim does not simulate this command; the text says so.
    NotSimulated(String),
}

/// The commands dialsim answers, for messages.
pub const KNOWN: &str =
    "dialplan show, parking show, features show, core show channels, core show channel, core show hints, core show hint, module reload, core reload, dialplan reload";

/// Answers `command` from the engine's state.
pub fn execute(engine: &Engine, ctx: &CliContext, command: &str) -> CliAnswer {
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        ["dialplan", "show", rest @ ..] if rest.len() <= 1 => {
            dialplan_show::show(engine, rest.first().copied(), command)
        }
        ["parking", "show", ..] => parking_show::show(engine, ctx, &words, command),
        ["features", "show"] => features_show::show(ctx),
        ["core", "show", "channels", rest @ ..] => core_show_channels::show(engine, rest),
        ["core", "show", "channel", rest @ ..] => core_show_channel::show(engine, rest),
        ["core", "set", "verbose", ..] => CliAnswer::NotSimulated(format!(
            "'{command}' changes a console's verbosity; a scenario's trace keeps the --verbose level"
        )),
        ["core", "show", "hints"] => core_show_hints::show(engine, ctx),
        ["core", "show", "hint", prefix, ..] => core_show_hints::show_one(engine, ctx, prefix),
        ["core", "show", "hint"] => CliAnswer::Output(core_show_hints::HINT_USAGE.to_string()),
        ["module", "reload", names @ ..] => module_reload::module(engine, ctx, names),
        ["core", "reload"] => module_reload::core(engine, ctx),
        ["dialplan", "reload"] => dialplan_reload::reload(engine, ctx, command),
        _ => CliAnswer::NotSimulated(format!(
            "the CLI command '{command}' is not simulated; dialsim answers: {KNOWN}"
        )),
    }
}

/// A command that returned `CLI_FAILURE`: Asterisk adds `Command '…' failed.`.
pub(crate) fn failed(mut text: String, command: &str) -> String {
    if !text.contains("' failed.") {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!("Command '{command}' failed.\n"));
    }
    text
}
