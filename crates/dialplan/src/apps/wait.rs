//! `Wait(seconds)` (`pbx_builtin_wait`): sleeps (fractions allowed), reading and dropping frames; −1 if
//! the channel hangs up meanwhile; an unreadable or non-positive time returns 0 at once.

use crate::engine::{App, AppResult, ChannelId, Engine, Exec};
use std::time::Duration;

use super::args::parse_timelen;

pub struct Wait;

/// The time to wait; `None` = return at once.
pub fn parse(data: &str) -> Option<Duration> {
    let ms = parse_timelen(data, 1000.0)?;
    (ms >= 1.0).then(|| Duration::from_millis(ms as u64))
}

impl App for Wait {
    fn name(&self) -> &'static str {
        "Wait"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let Some(d) = parse(data) else {
            return Exec::Done(AppResult::Continue);
        };
        let engine = engine.clone();
        Exec::Pending(Box::pin(async move {
            match engine.sleep(chan, d).await {
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
        assert_eq!(parse("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse("0.25"), Some(Duration::from_millis(250)));
        assert_eq!(parse("0"), None);
        assert_eq!(parse("-3"), None);
        assert_eq!(parse("soon"), None);
    }
}
