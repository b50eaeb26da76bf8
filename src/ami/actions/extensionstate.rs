//! `ExtensionState`: the state of an extension's hint (`action_extensionstate`).
//!
//! A hint's devices are in use when a channel of theirs is up, ringing when one rings, idle otherwise
//! (dialsim has no registrations, so a phone is never `Unavailable`, and no hold state). A hint made only
//! of `park:` devices reports the state res_parking's spaces give it, as `core show hints` and
//! `ExtensionStatus` do (the action reads the same extension state, [main/manager.c ·
//! action_extensionstate; main/extension_state_legacy.c · ast_extension_state]).

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use dialplan::engine::{ChannelState, Engine};
use dialplan::model::Dialplan;
use parking::runtime::devstate::{ExtensionState, Hint};

pub const DEF: ActionDef = ActionDef {
    name: "ExtensionState",
    privilege: &["call", "reporting"],
    synopsis: "Check Extension Status.",
    run,
};

fn run(ctx: &AmiContext<'_>, m: &Message) -> Reply {
    let exten = m.get("Exten").unwrap_or("");
    if exten.is_empty() {
        return Reply::error(m, "Extension not specified");
    }
    let context = m
        .get("Context")
        .filter(|c| !c.is_empty())
        .unwrap_or("default");
    let found = find_hint(ctx.engine, context, exten);
    let status = found.as_ref().map_or(-1, |hint| hint_status(ctx, hint));
    let hint = found.map(|h| h.devices);
    let mut r = Reply::success(m, Some("Extension Status"));
    r.response.push("Exten", exten);
    r.response.push("Context", context);
    r.response.push("Hint", hint.unwrap_or_default());
    r.response.push("Status", status.to_string());
    r.response.push("StatusText", state_text(status));
    r
}

/// A hint's state as the extension-state store holds it: from the parking spaces for a hint made of
/// `park:` devices, else from its devices' channels.
pub(super) fn hint_status(ctx: &AmiContext<'_>, hint: &Hint) -> i32 {
    if !hint.modelled() {
        return state(ctx.engine, &hint.devices);
    }
    match &ctx.modules.parking {
        Some(parking) => parking.hint_state(hint).code(),
        // No res_parking, no `park` provider: the devices are invalid.
        None => ExtensionState::Unavailable.code(),
    }
}

/// The hint, following includes as `ast_get_hint` does (named by the context it was found in).
fn find_hint(engine: &Engine, context: &str, exten: &str) -> Option<Hint> {
    let plan = engine.plan();
    let dp = plan.as_any().downcast_ref::<Dialplan>()?;
    dp.find(context, exten, dialplan::model::PRIORITY_HINT, None)
        .map(|f| Hint {
            exten: f.extension.name().to_string(),
            context: f.context.name().to_string(),
            devices: f.priority.app().to_string(),
            registrar: f.priority.registrar().to_string(),
        })
}

/// `ast_extension_state` over the hint's `&`-separated devices.
fn state(engine: &Engine, devices: &str) -> i32 {
    let (mut inuse, mut ringing) = (false, false);
    for id in engine.channel_ids() {
        let Some((name, st)) = engine.with_chan(id, |c| (c.name.to_string(), c.state)) else {
            continue;
        };
        for dev in devices.split('&').map(str::trim).filter(|d| !d.is_empty()) {
            let prefix = format!("{dev}-");
            let ours = name
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(&prefix));
            if !ours {
                continue;
            }
            match st {
                ChannelState::Ringing | ChannelState::Ring => ringing = true,
                _ => inuse = true,
            }
        }
    }
    match (inuse, ringing) {
        (true, true) => 9,
        (true, false) => 1,
        (false, true) => 8,
        (false, false) => 0,
    }
}

pub(super) fn state_text(status: i32) -> &'static str {
    match status {
        0 => "Idle",
        1 => "InUse",
        2 => "Busy",
        4 => "Unavailable",
        8 => "Ringing",
        9 => "InUse&Ringing",
        16 => "Hold",
        17 => "InUse&Hold",
        _ => "Unknown",
    }
}
