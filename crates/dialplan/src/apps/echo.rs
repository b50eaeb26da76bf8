//! `Echo()` (apps/app_echo.c): sends the caller's media back until `#` is pressed (returns 0) or the call
//! hangs up (−1). dialsim models the timing, not the audio.

use crate::engine::{App, AppResult, ChannelId, Engine, Exec};
use std::time::Duration;

pub struct Echo;

impl App for Echo {
    fn name(&self) -> &'static str {
        "Echo"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, _data: &str) -> Exec {
        let engine = engine.clone();
        Exec::Pending(Box::pin(async move {
            loop {
                match engine
                    .wait_digit_in(chan, Duration::from_secs(3600), "#")
                    .await
                {
                    Ok(Some(_)) => return AppResult::Continue,
                    Ok(None) => {}
                    Err(_) => return AppResult::Hangup,
                }
            }
        }))
    }
}
