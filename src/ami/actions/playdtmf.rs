//! `PlayDTMF` (app_senddtmf.c): a digit sent out on a channel, or with `Receive: true` arriving on it as
//! if its far end had pressed it.

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use std::time::Duration;

pub const DEF: ActionDef = ActionDef {
    name: "PlayDTMF",
    privilege: &["call"],
    synopsis: "Play DTMF signal on a specific channel.",
    run,
};

fn run(ctx: &AmiContext<'_>, m: &Message) -> Reply {
    let e = ctx.engine;
    let Some(chan) = e.find_channel(m.get("Channel").unwrap_or("")) else {
        return Reply::error(m, "Channel not found");
    };
    let Some(digit) = m.get("Digit").and_then(|d| d.chars().next()) else {
        return Reply::error(m, "No digit specified");
    };
    let mut ms = 0u64;
    if let Some(d) = m.get("Duration").filter(|d| !d.is_empty()) {
        let digits: String = d
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        match digits.parse::<u64>() {
            Ok(n) => ms = n,
            Err(_) => return Reply::error(m, "Could not convert Duration parameter"),
        }
    }
    let receive = m.get("Receive").is_some_and(crate::serve::perms::is_true);
    let e2 = e.clone();
    let text = digit.to_string();
    if receive {
        e.spawn_local(async move { e2.phone_keys(chan, &text).await });
    } else {
        e.spawn_local(async move {
            let _ = e2
                .send_dtmf(chan, &text, Duration::ZERO, Duration::from_millis(ms))
                .await;
        });
    }
    Reply::success(m, Some("DTMF successfully queued"))
}
