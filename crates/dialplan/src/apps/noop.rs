//! `NoOp([text])`: does nothing and returns 0 (`pbx_builtin_noop`). Its argument is still substituted, which
//! is why it is used to print values in the `Executing` line.

use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

pub struct NoOp;

impl App for NoOp {
    fn name(&self) -> &'static str {
        "NoOp"
    }

    fn exec(&self, _engine: &Engine, _chan: ChannelId, _args: &str) -> Exec {
        Exec::Done(AppResult::Continue)
    }
}
