//! `dialplan reload` (`pbx/pbx_config.c` · `handle_cli_dialplan_reload`): extensions.conf only, merged with
//! what the other modules registered; a command of pbx_config, so it exists only while pbx_config runs.

use super::{CliAnswer, CliContext};
use crate::reload::dialplan_reload;
use dialplan::engine::Engine;

pub(super) fn reload(engine: &Engine, ctx: &CliContext, command: &str) -> CliAnswer {
    if dialplan_reload(engine, ctx) {
        CliAnswer::Output("Dialplan reloaded.\n".to_string())
    } else {
        CliAnswer::Output(format!(
            "No such command '{command}' (type 'core show help dialplan' for other possible commands)\n"
        ))
    }
}
