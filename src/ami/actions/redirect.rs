//! `Redirect`: sends a channel (and optionally a second one) to a dialplan location by async goto.
//! [main/manager.c · action_redirect]

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use dialplan::engine::{ChannelId, Engine, Location};

pub const DEF: ActionDef = ActionDef {
    name: "Redirect",
    privilege: &["call"],
    synopsis: "Redirect (transfer) a call.",
    run,
};

/// `sscanf("%30d")`, else the priority as a label of `exten@context`; < 1 is invalid.
fn priority(engine: &Engine, context: &str, exten: &str, text: &str) -> i64 {
    let t = text.trim_start();
    let digits: String = t
        .char_indices()
        .take_while(|&(i, c)| c.is_ascii_digit() || (i == 0 && (c == '-' || c == '+')))
        .map(|(_, c)| c)
        .collect();
    match digits.parse::<i64>() {
        Ok(n) => n,
        Err(_) => engine
            .plan()
            .label(context, exten, text, None)
            .map_or(0, i64::from),
    }
}

fn goto(engine: &Engine, chan: ChannelId, context: &str, exten: &str, prio: i64) {
    let prio = i32::try_from(prio).unwrap_or(1);
    engine.async_goto(chan, Location::new(context, exten, prio));
}

fn run(ctx: &AmiContext<'_>, request: &Message) -> Reply {
    let engine = ctx.engine;
    let h = |k: &str| request.get(k).unwrap_or_default();
    let (name, name2) = (h("Channel"), h("ExtraChannel"));
    let (exten, exten2) = (h("Exten"), h("ExtraExten"));
    let (context, context2) = (h("Context"), h("ExtraContext"));
    let (prio_text, prio2_text) = (h("Priority"), h("ExtraPriority"));
    for (value, what) in [
        (name, "Channel"),
        (context, "Context"),
        (exten, "Exten"),
        (prio_text, "Priority"),
    ] {
        if value.is_empty() {
            return Reply::error(request, &format!("{what} not specified"));
        }
    }
    let prio = priority(engine, context, exten, prio_text);
    if prio < 1 {
        return Reply::error(request, "Priority is invalid");
    }
    let mut prio2 = 0;
    if !name2.is_empty() && !context2.is_empty() {
        if exten2.is_empty() {
            return Reply::error(request, "ExtraExten not specified");
        }
        if prio2_text.is_empty() {
            return Reply::error(request, "ExtraPriority not specified");
        }
        prio2 = priority(engine, context2, exten2, prio2_text);
        if prio2 < 1 {
            return Reply::error(request, "ExtraPriority is invalid");
        }
    }
    let Some(chan) = engine.find_channel(name) else {
        return Reply::error(request, &format!("Channel does not exist: {name}"));
    };
    if engine.interrupt(chan).is_some() {
        return Reply::error(request, "Redirect failed, channel not up.");
    }
    if name2.is_empty() {
        goto(engine, chan, context, exten, prio);
        return Reply::success(request, Some("Redirect successful"));
    }
    let Some(chan2) = engine.find_channel(name2) else {
        return Reply::error(request, &format!("ExtraChannel does not exist: {name2}"));
    };
    if engine.interrupt(chan2).is_some() {
        return Reply::error(request, "Redirect failed, extra channel not up.");
    }
    goto(engine, chan, context, exten, prio);
    if context2.is_empty() {
        goto(engine, chan2, context, exten, prio);
    } else {
        goto(engine, chan2, context2, exten2, prio2);
    }
    Reply::success(request, Some("Dual Redirect successful"))
}
