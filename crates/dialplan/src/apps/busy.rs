//! `Busy([timeout])` (`indicate_busy`): busy tone; a channel not yet up gets hangup cause 17 and state
//! Busy. Waits `timeout` seconds (absent, unreadable or negative: until the caller hangs up); returns −1.

use crate::engine::{App, ChannelId, Engine, Exec};
use std::time::Duration;

use super::args::leading_f64;

pub struct Busy;

/// `wait_for_hangup`'s argument: `None` = wait until hangup.
pub fn parse(data: &str) -> Option<Duration> {
    match leading_f64(data) {
        Some(s) if s >= 0.0 => Some(Duration::from_millis((s * 1000.0) as u64)),
        _ => None,
    }
}

impl App for Busy {
    fn name(&self) -> &'static str {
        "Busy"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let timeout = parse(data);
        let engine = engine.clone();
        Exec::Pending(Box::pin(async move {
            engine.indicate_busy(chan, timeout).await
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse("10"), Some(Duration::from_secs(10)));
        assert_eq!(parse("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(parse(""), None);
        assert_eq!(parse("-1"), None);
    }
}
