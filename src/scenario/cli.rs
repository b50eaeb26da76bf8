//! The CLI commands a scenario's `[[actions]]` can print (`cli = "parking show default"`), answered from the
//! running engine's state exactly as Asterisk's CLI would answer at that moment.
//!
//! Known: `dialplan show [CONTEXT | EXTEN@CONTEXT]`, `parking show [LOT]`, `features show`. Anything else is
//! answered by a dialsim note saying that the command is not simulated (never by invented output).

use dialplan::engine::Engine;
use dialplan::model::Dialplan;
use features::FeaturesConfig;
use parking::ParkingModule;

/// What the CLI commands need besides the engine.
pub struct CliContext {
    pub features: FeaturesConfig,
    /// `None` when res_parking declined to load.
    pub parking: Option<ParkingModule>,
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
pub const KNOWN: &str = "dialplan show, parking show, features show";

/// Answers `command` from the engine's state.
pub fn execute(engine: &Engine, ctx: &CliContext, command: &str) -> CliAnswer {
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        ["dialplan", "show", rest @ ..] if rest.len() <= 1 => {
            let plan = engine.plan();
            let Some(dp) = plan.as_any().downcast_ref::<Dialplan>() else {
                return CliAnswer::NotSimulated(
                    "the dialplan of this run is not an extensions.conf model".into(),
                );
            };
            let (result, _log) =
                dialplan::model::show::show_dialplan_logged(dp, rest.first().copied());
            match result {
                Ok(text) => CliAnswer::Output(text),
                Err(text) => CliAnswer::Output(failed(text, command)),
            }
        }
        ["parking", "show", rest @ ..] if rest.len() <= 1 => {
            let line = words.join(" ");
            let Some(parking) = &ctx.parking else {
                return CliAnswer::Output(parking::show::parking_show_unavailable(&line));
            };
            // An unknown lot is "Could not find parking lot '…'" and still CLI_SUCCESS.
            match parking.cli(engine, &line) {
                Some(text) => CliAnswer::Output(text),
                None => {
                    CliAnswer::NotSimulated(format!("the CLI command '{command}' is not simulated"))
                }
            }
        }
        ["features", "show"] => CliAnswer::Output(features::show_features(&ctx.features)),
        _ => CliAnswer::NotSimulated(format!(
            "the CLI command '{command}' is not simulated; dialsim answers: {KNOWN}"
        )),
    }
}

/// A command that returned `CLI_FAILURE`: Asterisk adds `Command '…' failed.`.
fn failed(mut text: String, command: &str) -> String {
    if !text.contains("' failed.") {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!("Command '{command}' failed.\n"));
    }
    text
}
