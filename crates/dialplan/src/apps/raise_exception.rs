//! `RaiseException(reason)` (main/pbx_builtins.c, pbx_builtin_raise_exception): records `reason` for
//! `EXCEPTION()` and continues at the `e` extension of the current context, priority 1. No `e` there: the
//! PBX treats `e` as an invalid extension (`i`, else the "no invalid handler" warning).

use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

pub struct RaiseException;

impl App for RaiseException {
    fn name(&self) -> &'static str {
        "RaiseException"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        engine.raise_exception(chan, data);
        // raise_exception(chan, reason, 0): priority 0, which the PBX loop's increment makes 1.
        engine.with_chan_mut(chan, |c| c.priority = 0);
        Exec::Done(AppResult::Continue)
    }
}
