//! `dialplan show [CONTEXT | EXTEN@CONTEXT]`.

use super::{failed, CliAnswer};
use dialplan::engine::Engine;
use dialplan::model::Dialplan;

/// `dialplan show`, with `CLI_FAILURE`'s trailer when the context or extension is unknown.
pub(super) fn show(engine: &Engine, what: Option<&str>, command: &str) -> CliAnswer {
    let plan = engine.plan();
    let Some(dp) = plan.as_any().downcast_ref::<Dialplan>() else {
        return CliAnswer::NotSimulated(
            "the dialplan of this run is not an extensions.conf model".into(),
        );
    };
    let (result, _log) = dialplan::model::show::show_dialplan_logged(dp, what);
    match result {
        Ok(text) => CliAnswer::Output(text),
        Err(text) => CliAnswer::Output(failed(text, command)),
    }
}
