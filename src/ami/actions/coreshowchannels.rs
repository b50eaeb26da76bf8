//! `CoreShowChannels`: one `CoreShowChannel` event per channel, then `CoreShowChannelsComplete`
//! (`action_coreshowchannels`). Channels come in creation order (Asterisk walks a hash container, whose
//! order no client can rely on).

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use dialplan::engine::ami::{push_channel, Prefix};
use dialplan::engine::Fields;

pub const DEF: ActionDef = ActionDef {
    name: "CoreShowChannels",
    privilege: &["system", "reporting"],
    synopsis: "List currently active channels.",
    run,
};

fn run(ctx: &AmiContext<'_>, m: &Message) -> Reply {
    let e = ctx.engine;
    let mut r = Reply::list_ack(m, "Channels will follow");
    let now = e.now();
    for id in e.channel_ids() {
        let block = e.with_chan(id, |c| {
            let mut f = Fields::new("CoreShowChannel", "call");
            push_channel(&mut f, Prefix::NONE, c);
            let secs = now.saturating_sub(c.created()).as_secs();
            let bridge = c
                .bridge
                .and_then(|b| e.with_bridge(b, |br| br.uniqueid.to_string()))
                .unwrap_or_default();
            (f, c.appl.to_string(), c.data.to_string(), secs, bridge)
        });
        let Some((f, appl, data, secs, bridge)) = block else {
            continue;
        };
        let mut ev = Message::new();
        ev.push("Event", "CoreShowChannel");
        if let Some(id) = m.get("ActionID").filter(|i| !i.is_empty()) {
            ev.push("ActionID", id);
        }
        for (k, v) in f.fields {
            ev.push(k.to_string(), v);
        }
        ev.push("Application", appl);
        ev.push("ApplicationData", data);
        ev.push(
            "Duration",
            format!(
                "{:02}:{:02}:{:02}",
                secs / 3600,
                secs % 3600 / 60,
                secs % 60
            ),
        );
        ev.push("BridgeId", bridge);
        r.events.push(ev);
    }
    let n = r.events.len();
    r.events
        .push(Reply::list_complete(m, "CoreShowChannelsComplete", n));
    r
}
