//! `Progress()`: indicates call progress (early media) to the caller (`pbx_builtin_progress`); returns 0.

use crate::engine::{App, AppResult, ChannelId, Control, Engine, Exec};

pub struct Progress;

impl App for Progress {
    fn name(&self) -> &'static str {
        "Progress"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, _args: &str) -> Exec {
        engine.indicate(chan, Control::Progress);
        Exec::Done(AppResult::Continue)
    }
}
