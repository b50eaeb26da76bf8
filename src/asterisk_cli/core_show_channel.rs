//! `core show channel NAME` (main/cli.c `handle_showchan`): one channel's general data, its PBX position
//! and its variables (newest first, as Asterisk's list holds them), then its streams.
//!
//! What dialsim does not model is printed as Asterisk prints it for a plain audio call: formats are
//! `ulaw` without transcoding, no call/pickup groups, no hangup timer, no call identifier. Asterisk's
//! "CDR Variables" block is absent, as it is when CDRs are disabled (dialsim keeps no CDRs).

use super::CliAnswer;
use dialplan::engine::{Channel, Engine};
use std::fmt::Write;
use std::time::Duration;

pub const USAGE: &str = "Usage: core show channel <channel>
       Shows lots of information about the specified channel.
";

/// Answers `core show channel` with `args` (the words after it).
pub(super) fn show(engine: &Engine, args: &[&str]) -> CliAnswer {
    let [name] = args else {
        return CliAnswer::Output(USAGE.to_string());
    };
    // `ast_channel_get_by_name`: the exact name first, then a case-insensitive prefix of a name.
    let id = engine.find_channel(name).or_else(|| {
        engine.channel_ids().into_iter().find(|id| {
            engine.chan_name(*id).is_some_and(|n| {
                n.len() >= name.len() && n[..name.len()].eq_ignore_ascii_case(name)
            })
        })
    });
    let Some(id) = id else {
        return CliAnswer::Output(format!("{name} is not a known channel\n"));
    };
    let bridge = engine
        .bridge_of(id)
        .and_then(|b| engine.with_bridge(b, |b| b.uniqueid.to_string()));
    let now = engine.now();
    match engine.with_chan(id, |c| render(c, bridge.as_deref(), now)) {
        Some(text) => CliAnswer::Output(text),
        None => CliAnswer::Output(format!("{name} is not a known channel\n")),
    }
}

fn render(c: &Channel, bridge: Option<&str>, now: Duration) -> String {
    let secs = now.saturating_sub(c.created()).as_secs();
    let na = |v: &Option<String>| v.clone().unwrap_or_else(|| "(N/A)".to_string());
    let mut out = String::with_capacity(2048);
    let _ = write!(
        out,
        " -- General --\n\
         \x20          Name: {}\n\
         \x20          Type: {}\n\
         \x20      UniqueID: {}\n\
         \x20      LinkedID: {}\n\
         \x20     Caller ID: {}\n\
         \x20Caller ID Name: {}\n\
         Connected Line ID: {}\n\
         Connected Line ID Name: {}\n\
         Eff. Connected Line ID: {}\n\
         Eff. Connected Line ID Name: {}\n\
         \x20   DNID Digits: (N/A)\n\
         \x20      Language: {}\n\
         \x20         State: {} ({})\n\
         \x20 NativeFormats: (ulaw)\n\
         \x20   WriteFormat: ulaw\n\
         \x20    ReadFormat: ulaw\n\
         \x20WriteTranscode: No \n\
         \x20 ReadTranscode: No \n\
         \x20Time to Hangup: 0\n\
         \x20  Elapsed Time: {}h{}m{}s\n\
         \x20     Bridge ID: {}\n\
         \x20--   PBX   --\n\
         \x20       Context: {}\n\
         \x20     Extension: {}\n\
         \x20      Priority: {}\n\
         \x20    Call Group: 0\n\
         \x20  Pickup Group: 0\n\
         \x20   Application: {}\n\
         \x20          Data: {}\n\
         \x20Call Identifier: (None)\n",
        c.name,
        c.tech,
        c.uniqueid,
        c.linkedid,
        na(&c.caller.number),
        na(&c.caller.name),
        na(&c.connected.number),
        na(&c.connected.name),
        na(&c.connected.number),
        na(&c.connected.name),
        c.language,
        c.state.desc(),
        c.state.number(),
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60,
        bridge.unwrap_or("(Not bridged)"),
        c.context,
        c.exten,
        c.priority,
        if c.appl.is_empty() { "(N/A)" } else { &c.appl },
        if c.data.is_empty() {
            "(Empty)"
        } else {
            &c.data
        },
    );
    out.push_str("      Variables:\n");
    for v in c.vars.iter() {
        let _ = writeln!(out, "{}={}", v.name(), v.value());
    }
    out.push_str(" -- Streams --\n");
    // A PJSIP channel's stream is named after its type and position; a Local channel's after its type.
    let stream = if &*c.tech == "PJSIP" {
        "audio-0"
    } else {
        "audio"
    };
    let _ = write!(
        out,
        "Name: {stream}\n    Type: audio\n    State: sendrecv\n    Group: -1\n    Formats: (ulaw)\n    Metadata:\n"
    );
    out
}
