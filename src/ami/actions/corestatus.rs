//! `CoreStatus`: start-up and reload times and the call counts (`action_corestatus`). Times are the
//! engine's clock (its time 0 is the start-up), in UTC.

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use crate::scenario::clock::format_utc;

pub const DEF: ActionDef = ActionDef {
    name: "CoreStatus",
    privilege: &["system", "reporting"],
    synopsis: "Show PBX core status variables.",
    run,
};

fn run(ctx: &AmiContext<'_>, m: &Message) -> Reply {
    let start = format_utc(ctx.engine.config().epoch);
    let (date, time) = start.split_once(' ').unwrap_or((&start, ""));
    let mut r = Reply::success(m, None);
    r.response.push("CoreStartupDate", date);
    r.response.push("CoreStartupTime", time);
    r.response.push("CoreReloadDate", date);
    r.response.push("CoreReloadTime", time);
    r.response
        .push("CoreCurrentCalls", ctx.engine.live_channels().to_string());
    // The engine does not count PBX starts (Asterisk's processed calls); the channel count stands in.
    r.response
        .push("CoreProcessedCalls", ctx.engine.live_channels().to_string());
    r
}
