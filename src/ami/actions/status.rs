//! `Status`: one `Status` event per channel (or the one named), then `StatusComplete` (`action_status`).
//!
//! Media formats are not simulated: every channel reports `ulaw` without translation.

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use dialplan::engine::ami::{push_channel, Prefix};
use dialplan::engine::{ChannelId, Engine, Fields};

pub const DEF: ActionDef = ActionDef {
    name: "Status",
    privilege: &["system", "call", "reporting"],
    synopsis: "List channel status.",
    run,
};

fn run(ctx: &AmiContext<'_>, m: &Message) -> Reply {
    let e = ctx.engine;
    let name = m.get("Channel").unwrap_or("");
    let chans: Vec<ChannelId> = if name.is_empty() {
        e.channel_ids()
    } else {
        match e.find_channel(name) {
            Some(c) => vec![c],
            None => return Reply::error(m, "No such channel"),
        }
    };
    let wanted: Vec<&str> = m
        .get("Variables")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    let all_vars = m
        .get("AllVariables")
        .is_some_and(crate::serve::perms::is_true);
    let mut r = Reply::list_ack(m, "Channel status will follow");
    for id in chans {
        if let Some(ev) = status(e, id, &wanted, all_vars, m.get("ActionID")) {
            r.events.push(ev);
        }
    }
    let n = r.events.len();
    let mut done = Reply::list_complete(m, "StatusComplete", n);
    done.push("Items", n.to_string());
    r.events.push(done);
    r
}

fn status(
    e: &Engine,
    id: ChannelId,
    wanted: &[&str],
    all_vars: bool,
    action_id: Option<&str>,
) -> Option<Message> {
    let now = e.now();
    let (f, tech, appl, data, secs, bridge, connected, vars) = e.with_chan(id, |c| {
        let mut f = Fields::new("Status", "call");
        push_channel(&mut f, Prefix::NONE, c);
        let bridge = c
            .bridge
            .and_then(|b| e.with_bridge(b, |br| br.uniqueid.to_string()))
            .unwrap_or_default();
        let vars: Vec<(String, String)> = if all_vars {
            c.vars
                .iter()
                .map(|v| (v.name().to_string(), v.value().to_string()))
                .collect()
        } else {
            Vec::new()
        };
        (
            f,
            c.tech.to_string(),
            c.appl.to_string(),
            c.data.to_string(),
            now.saturating_sub(c.created()).as_secs(),
            bridge,
            c.connected.clone(),
            vars,
        )
    })?;
    let mut ev = Message::new();
    ev.push("Event", "Status");
    ev.push("Privilege", "Call");
    for (k, v) in f.fields {
        ev.push(k.to_string(), v);
    }
    ev.push("Type", tech);
    ev.push("DNID", "");
    ev.push("EffectiveConnectedLineNum", connected.number_or_unknown());
    ev.push("EffectiveConnectedLineName", connected.name_or_unknown());
    ev.push("TimeToHangup", "0");
    ev.push("BridgeID", bridge);
    ev.push("Application", appl);
    ev.push("Data", data);
    ev.push("Nativeformats", "(ulaw)");
    ev.push("Readformat", "ulaw");
    ev.push("Readtrans", "");
    ev.push("Writeformat", "ulaw");
    ev.push("Writetrans", "");
    ev.push("Callgroup", "0");
    ev.push("Pickupgroup", "0");
    ev.push("Seconds", secs.to_string());
    for v in wanted {
        let value = if v.ends_with(')') {
            e.substitute(id, &format!("${{{v}}}")).into_owned()
        } else {
            e.lookup_var(id, v).unwrap_or_default()
        };
        ev.push("Variable", format!("{v}={value}"));
    }
    for (k, v) in vars {
        ev.push("Variable", format!("{k}={v}"));
    }
    if let Some(aid) = action_id.filter(|a| !a.is_empty()) {
        ev.push("ActionID", aid);
    }
    Some(ev)
}
