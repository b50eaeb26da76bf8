//! `PlayTones(tonelist)` and `StopPlayTones()` (apps/app_playtones.c). dialsim does not generate audio: the
//! tones are accepted (an empty list logs `Nothing to play` and fails, as in Asterisk) and stopping always
//! succeeds.

use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

pub struct Playtones;
pub struct StopPlaytones;

impl App for Playtones {
    fn name(&self) -> &'static str {
        "PlayTones"
    }

    fn exec(&self, engine: &Engine, _chan: ChannelId, data: &str) -> Exec {
        if data.is_empty() {
            engine.log(LogLevel::Notice, "app_playtones.c", || {
                "Nothing to play".to_string()
            });
            return Exec::Done(AppResult::Hangup);
        }
        Exec::Done(AppResult::Continue)
    }
}

impl App for StopPlaytones {
    fn name(&self) -> &'static str {
        "StopPlayTones"
    }

    fn exec(&self, _engine: &Engine, _chan: ChannelId, _data: &str) -> Exec {
        Exec::Done(AppResult::Continue)
    }
}
