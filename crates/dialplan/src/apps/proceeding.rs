//! `Proceeding()`: indicates that the call is proceeding (`pbx_builtin_proceeding`); returns 0.

use crate::engine::{App, AppResult, ChannelId, Control, Engine, Exec};

pub struct Proceeding;

impl App for Proceeding {
    fn name(&self) -> &'static str {
        "Proceeding"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, _args: &str) -> Exec {
        engine.indicate(chan, Control::Proceeding);
        Exec::Done(AppResult::Continue)
    }
}
