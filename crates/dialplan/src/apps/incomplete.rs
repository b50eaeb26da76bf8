//! `Incomplete([n])` (main/pbx_builtins.c pbx_builtin_incomplete): answers the channel unless `n` is
//! given (and it is not up yet), indicates an incomplete number (which an answered channel ignores) and
//! returns `AST_PBX_INCOMPLETE`, so the PBX collects more digits of the current extension
//! ([`AppResult::Incomplete`]).

use crate::engine::{App, AppResult, ChannelId, ChannelState, Engine, Exec, Interrupt};
use std::time::Duration;

pub struct Incomplete;

impl App for Incomplete {
    fn name(&self) -> &'static str {
        "Incomplete"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let answer = !data.contains('n');
        if !engine.is_alive(chan) || engine.interrupt(chan) == Some(Interrupt::Hangup) {
            return Exec::Done(AppResult::Hangup);
        }
        if !answer || engine.state(chan) == Some(ChannelState::Up) {
            return Exec::Done(AppResult::Incomplete);
        }
        let engine = engine.clone();
        Exec::Pending(Box::pin(async move {
            // __ast_answer(chan, 0); its result is not checked.
            let _ = engine.answer(chan, Duration::ZERO).await;
            AppResult::Incomplete
        }))
    }
}
