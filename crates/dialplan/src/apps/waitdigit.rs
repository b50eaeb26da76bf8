//! `WaitDigit([seconds[,digits]])` (main/pbx_builtins.c, pbx_builtin_waitdigit): waits for one DTMF
//! digit among `digits` (default: any). Sets `WAITDIGITSTATUS` to `DTMF` (and `WAITDIGITRESULT` to the
//! digit), `TIMEOUT`, `ERROR` (the time does not parse; returns at once) or `CANCEL` (hang-up, −1).

use super::args::{arg, parse_timelen, standard_args};
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};
use std::time::Duration;

/// `AST_DIGIT_ANY`.
const ANY_DIGIT: &str = "0123456789#*ABCD";

pub struct WaitDigit;

impl App for WaitDigit {
    fn name(&self) -> &'static str {
        "WaitDigit"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let a = standard_args(data, 2);
        let Some(ms) = a.first().and_then(|t| parse_timelen(t, 1000.0)) else {
            engine.set_var(chan, "WAITDIGITSTATUS", Some("ERROR"));
            return Exec::Done(AppResult::Continue);
        };
        let digits = match arg(&a, 1) {
            "" => ANY_DIGIT.to_string(),
            d => d.to_string(),
        };
        let engine = engine.clone();
        Exec::Pending(Box::pin(async move {
            let wait = Duration::from_millis(ms as u64);
            match engine.wait_digit_in(chan, wait, &digits).await {
                Ok(Some(d)) => {
                    engine.set_var(chan, "WAITDIGITRESULT", Some(&d.to_string()));
                    engine.set_var(chan, "WAITDIGITSTATUS", Some("DTMF"));
                    AppResult::Continue
                }
                Ok(None) => {
                    engine.set_var(chan, "WAITDIGITSTATUS", Some("TIMEOUT"));
                    AppResult::Continue
                }
                Err(_) => {
                    engine.set_var(chan, "WAITDIGITSTATUS", Some("CANCEL"));
                    AppResult::Hangup
                }
            }
        }))
    }
}
