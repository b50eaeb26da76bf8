//! `Hangup`: hangs up a channel by name. [main/manager.c · action_hangup, ast_manager_hangup_helper]
//!
//! `Cause` (0–127) becomes the channel's hangup cause; a bad one is logged and ignored. The `/regex/` form
//! is not simulated (answered with a note and an error).

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use dialplan::diag::LogLevel;

pub const DEF: ActionDef = ActionDef {
    name: "Hangup",
    privilege: &["system", "call"],
    synopsis: "Hangup channel.",
    run,
};

/// The session dialsim's scenario actions come from, as Asterisk names a manager session in its log.
pub const SESSION_USER: &str = "dialsim";
pub const SESSION_ADDR: &str = "127.0.0.1";

fn run(ctx: &AmiContext<'_>, request: &Message) -> Reply {
    let engine = ctx.engine;
    let name = request.get("Channel").unwrap_or_default();
    if name.is_empty() {
        return Reply::error(request, "No channel specified");
    }
    let mut cause = 0;
    if let Some(text) = request.get("Cause").filter(|c| !c.is_empty()) {
        match text.parse::<i64>() {
            Ok(n) if (0..=127).contains(&n) => cause = n as i32,
            _ => engine.log(LogLevel::Notice, "manager.c", || {
                format!("Invalid 'Cause: {text}' in manager action Hangup")
            }),
        }
    }
    if name.starts_with('/') {
        engine.explain(
            crate::ami::codes::NOT_SIMULATED,
            None,
            &format!("the AMI Hangup of channels matching '{name}' is not simulated"),
            Some("name one channel"),
        );
        return Reply::error(
            request,
            "Regex format invalid, Channel param should be /regex/",
        );
    }
    let Some(chan) = engine.find_channel(name) else {
        engine.log(LogLevel::Notice, "manager.c", || {
            format!("Request to hangup non-existent channel: {name}")
        });
        return Reply::error(request, "No such channel");
    };
    let shown = engine
        .chan_name(chan)
        .map(|n| n.to_string())
        .unwrap_or_default();
    engine.verbose(3, "manager.c", || {
        format!("Manager '{SESSION_USER}' from {SESSION_ADDR}, hanging up channel: {shown}")
    });
    if cause > 0 {
        engine.set_hangupcause(chan, cause);
    }
    engine.soft_hangup(chan);
    Reply::success(request, Some("Channel Hungup"))
}
