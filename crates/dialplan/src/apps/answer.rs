//! `Answer([delay[,i]])` (`pbx_builtin_answer`, `__ast_answer`): answers a channel not yet up; if it was
//! ringing (Ring/Ringing) it then waits for the first media frame, at most max(delay, 500 ms) — with a
//! delay, the whole delay. Option `i` answers without waiting. Returns 0, or −1 on hangup.

use crate::engine::{App, AppResult, ChannelId, ChannelState, Engine, Exec};
use std::time::Duration;

use super::args::{arg, atoi, standard_args};

pub struct Answer;

/// Parsed arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    /// The delay in ms as written (`atoi` of the whole data, as Asterisk does); 0 when absent.
    pub delay_ms: u64,
    /// Option `i`: raw answer, no waiting.
    pub raw: bool,
}

/// Never fails: Asterisk ignores what it cannot read.
pub fn parse(data: &str) -> Args {
    if data.is_empty() {
        return Args {
            delay_ms: 0,
            raw: false,
        };
    }
    let a = standard_args(data, 2);
    let delay = if arg(&a, 0).is_empty() {
        0
    } else {
        atoi(data).max(0) as u64
    };
    Args {
        delay_ms: delay,
        raw: arg(&a, 1) == "i",
    }
}

impl App for Answer {
    fn name(&self) -> &'static str {
        "Answer"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let a = parse(data);
        if engine.state(chan) == Some(ChannelState::Up) {
            // Already up: nothing to answer and no media wait (Asterisk ignores the delay then).
            return Exec::Done(AppResult::Continue);
        }
        if a.raw {
            engine.raw_answer(chan);
            return Exec::Done(AppResult::Continue);
        }
        let engine = engine.clone();
        Exec::Pending(Box::pin(async move {
            match engine.answer(chan, Duration::from_millis(a.delay_ms)).await {
                Ok(()) => AppResult::Continue,
                Err(_) => AppResult::Hangup,
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(
            parse(""),
            Args {
                delay_ms: 0,
                raw: false
            }
        );
        assert_eq!(
            parse("1500"),
            Args {
                delay_ms: 1500,
                raw: false
            }
        );
        assert_eq!(
            parse("-5"),
            Args {
                delay_ms: 0,
                raw: false
            }
        );
        assert_eq!(
            parse(",i"),
            Args {
                delay_ms: 0,
                raw: true
            }
        );
        assert_eq!(
            parse("abc"),
            Args {
                delay_ms: 0,
                raw: false
            }
        );
    }
}
