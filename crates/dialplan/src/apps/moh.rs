//! `MusicOnHold([class[,duration]])`, `StartMusicOnHold([class])`, `StopMusicOnHold()`
//! (res/res_musiconhold.c play_moh_exec, start_moh_exec, stop_moh_exec). The class is chosen as
//! `ast_moh_start` chooses it with `preferchannelclass=yes`: the channel's `CHANNEL(musicclass)`, the
//! requested class, then `default` (musiconhold.conf is not read, so every class exists). Music left
//! playing when the channel hangs up outside a bridge stops then, as the generator's release does in
//! `ast_hangup` (main/channel.c).

use super::bridgewait::moh_class_for;
use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};
use crate::expr::functions::split_args;
use std::time::Duration;

pub struct MusicOnHold;
pub struct StartMusicOnHold;
pub struct StopMusicOnHold;

/// `sscanf("%30d")`: blanks, a sign, digits.
fn scan_int(s: &str) -> Option<i64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits: String = t
        .chars()
        .take_while(char::is_ascii_digit)
        .take(29)
        .collect();
    if digits.is_empty() {
        return None;
    }
    let v: i64 = digits.bytes().fold(0i64, |a, b| {
        a.saturating_mul(10).saturating_add(i64::from(b - b'0'))
    });
    Some(if neg { -v } else { v })
}

impl App for MusicOnHold {
    fn name(&self) -> &'static str {
        "MusicOnHold"
    }

    /// Music for `duration` seconds, or until the channel hangs up.
    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let args = split_args(data, 2);
        let class = args.first().cloned().unwrap_or_default();
        let mut timeout_ms: i64 = -1;
        if let Some(d) = args.get(1).filter(|d| !d.is_empty()) {
            match scan_int(d) {
                Some(v) => timeout_ms = v.saturating_mul(1000),
                None => {
                    let d = d.clone();
                    engine.log(LogLevel::Warning, "res_musiconhold.c", || {
                        format!("Invalid MusicOnHold duration '{d}'. Will wait indefinitely.")
                    });
                }
            }
        }
        let class = moh_class_for(engine, chan, Some(&class));
        engine.moh_start(chan, &class);
        let engine = engine.clone();
        Exec::Pending(Box::pin(async move {
            let ended = if timeout_ms > 0 {
                engine
                    .sleep(chan, Duration::from_millis(timeout_ms as u64))
                    .await
            } else {
                loop {
                    if let Err(e) = engine.sleep(chan, Duration::from_secs(10)).await {
                        break Err(e);
                    }
                }
            };
            engine.moh_stop(chan);
            match ended {
                Ok(()) => AppResult::Continue,
                Err(_) => AppResult::Hangup,
            }
        }))
    }
}

impl App for StartMusicOnHold {
    fn name(&self) -> &'static str {
        "StartMusicOnHold"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let args = split_args(data, 1);
        let class = moh_class_for(engine, chan, args.first().map(String::as_str));
        engine.moh_start(chan, &class);
        Exec::Done(AppResult::Continue)
    }
}

impl App for StopMusicOnHold {
    fn name(&self) -> &'static str {
        "StopMusicOnHold"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, _data: &str) -> Exec {
        engine.moh_stop(chan);
        Exec::Done(AppResult::Continue)
    }
}
