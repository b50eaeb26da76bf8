//! `Ringing()`: indicates ringing to the caller (`pbx_builtin_ringing`); returns 0. On a Local `;2` the
//! indication reaches `;1` (its dialler sees `is ringing`); a phone channel not yet up goes to state
//! Ringing.

use crate::engine::{App, AppResult, ChannelId, ChannelState, Control, Engine, Exec};

pub struct Ringing;

impl App for Ringing {
    fn name(&self) -> &'static str {
        "Ringing"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, _args: &str) -> Exec {
        let is_local = engine
            .with_chan(chan, |c| &*c.tech == "Local")
            .unwrap_or(false);
        if !is_local && engine.state(chan) == Some(ChannelState::Ring) {
            engine.set_state(chan, ChannelState::Ringing);
        }
        engine.indicate(chan, Control::Ringing);
        Exec::Done(AppResult::Continue)
    }
}
