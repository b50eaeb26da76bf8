//! `Hangup`: hangs up a channel by name, or every channel whose name a `/regex/` (POSIX extended) matches.
//! [main/manager.c · action_hangup, ast_manager_hangup_helper; main/utils.c ·
//! ast_regex_string_to_regex_pattern]
//!
//! `Cause` (0–127) becomes the channel's hangup cause; a bad one is logged and ignored. The regex form
//! answers as a list: `Channels hung up will follow`, one `ChannelHungup` event per channel hung up, then
//! `ChannelsHungupListComplete`. Channels are tried newest first, the order `core show channels` lists them.

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use dialplan::diag::LogLevel;
use dialplan::engine::{ChannelId, Engine};
use dialplan::expr::PosixRegex;

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
    if let Some(pattern) = name.strip_prefix('/') {
        return hangup_matching(engine, request, name, pattern, cause);
    }
    let Some(chan) = engine.find_channel(name) else {
        engine.log(LogLevel::Notice, "manager.c", || {
            format!("Request to hangup non-existent channel: {name}")
        });
        return Reply::error(request, "No such channel");
    };
    hang_up(engine, chan, cause);
    Reply::success(request, Some("Channel Hungup"))
}

/// The `/regex/` form: `pattern` is the text after the leading `/`.
fn hangup_matching(
    engine: &Engine,
    request: &Message,
    name: &str,
    pattern: &str,
    cause: i32,
) -> Reply {
    let Some(pattern) = pattern.strip_suffix('/').filter(|_| name.len() > 1) else {
        return Reply::error(
            request,
            "Regex format invalid, Channel param should be /regex/",
        );
    };
    let Some(regex) = PosixRegex::new(pattern) else {
        return Reply::error(request, &format!("Regex compile failed on: {name}"));
    };
    let mut reply = Reply::list_ack(request, "Channels hung up will follow");
    let mut matched = 0;
    for chan in engine.channel_ids().into_iter().rev() {
        let Some(shown) = engine.chan_name(chan).map(|n| n.to_string()) else {
            continue;
        };
        if !regex.is_match(&shown) {
            continue;
        }
        hang_up(engine, chan, cause);
        matched += 1;
        let mut event = Message::new();
        event.push("Event", "ChannelHungup");
        event.push("Channel", shown);
        if let Some(id) = request.get("ActionID").filter(|id| !id.is_empty()) {
            event.push("ActionID", id);
        }
        reply.events.push(event);
    }
    reply.events.push(Reply::list_complete(
        request,
        "ChannelsHungupListComplete",
        matched,
    ));
    reply
}

/// The manager's verbose line, the cause, and the soft hangup.
fn hang_up(engine: &Engine, chan: ChannelId, cause: i32) {
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
    // ast_channel_softhangup_withcause_locked: ast_softhangup_nolock, which publishes nothing; the
    // SoftHangupRequest comes when the channel's PBX ends.
    engine.soft_hangup_quiet(chan);
}

#[cfg(test)]
mod tests {
    use crate::sim::Simulation;

    #[test]
    fn a_regex_hangs_up_every_matching_channel_newest_first() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("dialplan-examples/parking/reload");
        let scenario = r#"
[[calls]]
from = "PJSIP/bob"
to = "700@internal"

[[calls]]
at = "1s"
from = "PJSIP/carol"
to = "700@internal"

[[calls]]
at = "2s"
from = "PJSIP/dave"
to = "700@internal"

[[actions]]
at = "5s"
ami = { Action = "Hangup", Channel = "/^PJSIP/(bob|carol)-/", ActionID = "h" }
"#;
        let run = Simulation::from_toml("x.toml", scenario, &dir)
            .unwrap()
            .run()
            .unwrap();
        let reply = run
            .events_named("DialsimAmi")
            .find_map(|e| e.fields().and_then(|f| f.get("Reply")).map(str::to_string))
            .unwrap();
        assert_eq!(
            reply,
            "Response: Success\r\nActionID: h\r\nEventList: start\r\nMessage: Channels hung up will follow\r\n\r\n\
             Event: ChannelHungup\r\nChannel: PJSIP/carol-00000001\r\nActionID: h\r\n\r\n\
             Event: ChannelHungup\r\nChannel: PJSIP/bob-00000000\r\nActionID: h\r\n\r\n\
             Event: ChannelsHungupListComplete\r\nActionID: h\r\nEventList: Complete\r\nListItems: 2\r\n\r\n"
        );
        run.assert(
            "[[expect]]\nlog = \"Manager 'dialsim' from 127.0.0.1, hanging up channel: PJSIP/carol-00000001\"\n\
             [[expect]]\nevent = \"ParkedCallGiveUp\"\nfields = { ParkeeChannel = \"PJSIP/dave\" }\nnever = true\n",
        );
    }
}
