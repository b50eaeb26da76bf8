//! `Congestion([timeout])` (`indicate_congestion`): congestion tone; a channel not yet up gets hangup cause
//! 34 and state Busy. Waits like [`super::busy`]; returns −1.

use crate::engine::{App, ChannelId, Engine, Exec};

pub struct Congestion;

pub use super::busy::parse;

impl App for Congestion {
    fn name(&self) -> &'static str {
        "Congestion"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let timeout = parse(data);
        let engine = engine.clone();
        Exec::Pending(Box::pin(async move {
            engine.indicate_congestion(chan, timeout).await
        }))
    }
}
