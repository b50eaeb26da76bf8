//! Dial's `L(x:y:z)` inside the bridge (`main/features.c · bridge_config_set_limits`,
//! `bridges/bridge_builtin_interval_features.c`): each side of the call gets interval hooks on its bridge
//! features when the bridge is set up.
//!
//! - Both sides: at the limit, the side plays its end sound (`LIMIT_TIMEOUT_FILE`, if it hears the sounds)
//!   and leaves; the first to leave dissolves the bridge.
//! - A side that hears the sounds (`LIMIT_PLAYAUDIO_CALLER`, default yes; `LIMIT_PLAYAUDIO_CALLEE`, default
//!   no): `LIMIT_CONNECT_FILE` 1 ms after the set-up; the warning `y` ms before the limit, then every `z` ms
//!   (`LIMIT_WARNING_FILE`, or `timeleft`: "vm-youhave", the minutes — only from 2 minutes up — with
//!   "queue-minutes", the seconds with "queue-seconds", from the time left in whole seconds).
//!
//! Each side hears only its own prompts (they are played to that channel, as `ast_stream_and_wait` does);
//! while a prompt plays, the channel's bridge loop does nothing else.

use super::options::Limit;
use crate::apps::say::number_prompts;
use crate::engine::channel::cause;
use crate::engine::{BridgeId, ChannelId, Engine, IntervalHook, IntervalNext, LocalBoxFuture};
use std::rc::Rc;
use std::time::Duration;

/// `L()` with a warning or a sound: the numbers and what each side hears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BridgeLimit {
    pub limit: Limit,
    pub to_caller: bool,
    pub to_callee: bool,
    /// `LIMIT_CONNECT_FILE` (empty: none).
    pub connect_sound: String,
    /// `LIMIT_WARNING_FILE`, default `timeleft`.
    pub warning_sound: String,
    /// `LIMIT_TIMEOUT_FILE` (empty: none).
    pub end_sound: String,
}

/// Arms the hooks of both sides (the caller's first, as Asterisk sets them up).
pub fn arm(engine: &Engine, chan: ChannelId, peer: ChannelId, l: &BridgeLimit) {
    for (side, hears) in [(chan, l.to_caller), (peer, l.to_callee)] {
        arm_side(engine, side, l, hears);
    }
}

/// The prompts the `timeleft` warning plays with `remaining_s` whole seconds left (nothing at 0).
pub fn timeleft_prompts(remaining_s: u32) -> Vec<String> {
    if remaining_s == 0 {
        return Vec::new();
    }
    let (min, sec) = if remaining_s / 60 > 1 {
        (remaining_s / 60, remaining_s % 60)
    } else {
        (0, remaining_s)
    };
    let mut out = vec!["vm-youhave".to_string()];
    for (n, unit) in [(min, "queue-minutes"), (sec, "queue-seconds")] {
        if n > 0 {
            out.extend(number_prompts(n as i32).unwrap_or_default());
            out.push(unit.to_string());
        }
    }
    out
}

/// One side's copy of the limits (`struct ast_bridge_features_limits`, unsigned milliseconds).
struct Side {
    quitting: Duration,
    end_sound: String,
    connect_sound: String,
    warning_sound: String,
    frequency: u32,
}

#[derive(Clone, Copy)]
enum Kind {
    Duration,
    Connect,
    Warning,
}

struct LimitHook {
    kind: Kind,
    side: Rc<Side>,
}

fn arm_side(engine: &Engine, chan: ChannelId, l: &BridgeLimit, hears: bool) {
    // The C fields are unsigned: a negative limit becomes a very long one.
    let duration = l.limit.timelimit as u32;
    let (warning, side) = if hears {
        (
            l.limit.play_warning as u32,
            Side {
                quitting: engine.now() + ms(duration),
                end_sound: l.end_sound.clone(),
                connect_sound: l.connect_sound.clone(),
                warning_sound: l.warning_sound.clone(),
                frequency: l.limit.warning_freq as u32,
            },
        )
    } else {
        (
            0,
            Side {
                quitting: engine.now() + ms(duration),
                end_sound: String::new(),
                connect_sound: String::new(),
                warning_sound: String::new(),
                frequency: 0,
            },
        )
    };
    if duration == 0 {
        return;
    }
    let side = Rc::new(side);
    let hook = |kind| {
        Rc::new(LimitHook {
            kind,
            side: side.clone(),
        })
    };
    engine.add_interval_hook(chan, ms(duration), hook(Kind::Duration));
    if !side.connect_sound.is_empty() {
        engine.add_interval_hook(chan, ms(1), hook(Kind::Connect));
    }
    if warning > 0 && warning < duration {
        engine.add_interval_hook(chan, ms(duration - warning), hook(Kind::Warning));
    }
}

fn ms(v: u32) -> Duration {
    Duration::from_millis(u64::from(v))
}

impl IntervalHook for LimitHook {
    fn fire(
        &self,
        engine: Engine,
        _bridge: BridgeId,
        chan: ChannelId,
    ) -> LocalBoxFuture<IntervalNext> {
        let kind = self.kind;
        let side = self.side.clone();
        Box::pin(async move {
            match kind {
                Kind::Duration => {
                    if !side.end_sound.is_empty() {
                        let _ = engine.play(chan, &side.end_sound).await;
                    }
                    if engine.hangupcause(chan) <= 0 {
                        engine.set_hangupcause(chan, cause::NORMAL_CLEARING);
                    }
                    IntervalNext::Leave
                }
                Kind::Connect => {
                    playback(&engine, chan, &side, &side.connect_sound).await;
                    IntervalNext::Remove
                }
                Kind::Warning => {
                    playback(&engine, chan, &side, &side.warning_sound).await;
                    if side.frequency > 0 {
                        IntervalNext::Repeat(ms(side.frequency))
                    } else {
                        IntervalNext::Remove
                    }
                }
            }
        })
    }
}

/// `limits_interval_playback`: `timeleft` is said from the time left; anything else is a file.
async fn playback(engine: &Engine, chan: ChannelId, side: &Side, file: &str) {
    let files = if file.eq_ignore_ascii_case("timeleft") {
        // Whole seconds, as C's integer division of the signed difference stored unsigned.
        let left_ms = side.quitting.as_millis() as i64 - engine.now().as_millis() as i64;
        timeleft_prompts((left_ms / 1000) as u32)
    } else {
        vec![file.to_string()]
    };
    for f in files {
        if engine.play(chan, &f).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeleft() {
        assert_eq!(
            timeleft_prompts(5),
            ["vm-youhave", "digits/5", "queue-seconds"]
        );
        // Minutes only from two minutes up: 90 s is "90 seconds".
        assert_eq!(
            timeleft_prompts(90),
            ["vm-youhave", "digits/90", "queue-seconds"]
        );
        assert_eq!(
            timeleft_prompts(125),
            [
                "vm-youhave",
                "digits/2",
                "queue-minutes",
                "digits/5",
                "queue-seconds"
            ]
        );
        assert_eq!(
            timeleft_prompts(180),
            ["vm-youhave", "digits/3", "queue-minutes"]
        );
        assert!(timeleft_prompts(0).is_empty());
    }
}
