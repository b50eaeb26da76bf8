//! `parking show [LOT]`.

use super::{CliAnswer, CliContext};
use dialplan::engine::Engine;

/// `parking show`, or res_parking's absence when the module declined to load.
pub(super) fn show(engine: &Engine, ctx: &CliContext, words: &[&str], command: &str) -> CliAnswer {
    let line = words.join(" ");
    let Some(parking) = &ctx.parking else {
        return CliAnswer::Output(parking::show::parking_show_unavailable(&line));
    };
    // An unknown lot is "Could not find parking lot '…'" and still CLI_SUCCESS.
    match parking.cli(engine, &line) {
        Some(text) => CliAnswer::Output(text),
        None => CliAnswer::NotSimulated(format!("the CLI command '{command}' is not simulated")),
    }
}
