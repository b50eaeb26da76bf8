//! `parking show [LOT]`.

use super::{CliAnswer, CliContext};
use dialplan::engine::Engine;

/// What `parking show` with more than one lot prints: res_parking's handler writes an empty line, then
/// returns `CLI_SHOWUSAGE`, and the CLI prints the usage, which has no final newline
/// [res/parking/parking_ui.c · handle_show_parking_lot_cmd; main/cli.c · ast_cli_command_full].
pub const USAGE: &str =
    "\nUsage: parking show [name]\n\tShows a list of parking lots or details of a specific parking lot.";

/// `parking show [LOT]`, its usage for more words, or res_parking's absence when the module declined to
/// load.
pub(super) fn show(engine: &Engine, ctx: &CliContext, words: &[&str], command: &str) -> CliAnswer {
    let line = words.join(" ");
    let Some(parking) = &ctx.parking else {
        return CliAnswer::Output(parking::show::parking_show_unavailable(&line));
    };
    if words.len() > 3 {
        return CliAnswer::Output(USAGE.to_string());
    }
    // An unknown lot is "Could not find parking lot '…'" and still CLI_SUCCESS.
    match parking.cli(engine, &line) {
        Some(text) => CliAnswer::Output(text),
        None => CliAnswer::NotSimulated(format!("the CLI command '{command}' is not simulated")),
    }
}
