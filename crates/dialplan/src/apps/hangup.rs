//! `Hangup([cause])` (`pbx_builtin_hangup`): sets the hangup cause — a cause name (matched
//! case-insensitively, `NORMAL_CLEARING`, `USER_BUSY`, …) or a positive number; otherwise the channel's
//! cause, or 16 — and always returns −1.

use crate::diag::LogLevel;
use crate::engine::channel::cause;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

pub struct Hangup;

/// The cause the argument names; `Err` carries the text Asterisk warns about.
pub fn parse(data: &str) -> Result<Option<i32>, String> {
    if data.is_empty() {
        return Ok(None);
    }
    if let Some(c) = cause::from_name(data).filter(|&c| c > 0) {
        return Ok(Some(c));
    }
    let n = super::args::atoi(data);
    let numeric = data
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
    if numeric && n > 0 && n <= i64::from(i32::MAX) {
        return Ok(Some(n as i32));
    }
    Err(data.to_string())
}

impl App for Hangup {
    fn name(&self) -> &'static str {
        "Hangup"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let wanted = match parse(data) {
            Ok(c) => c,
            Err(text) => {
                engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                    format!("Invalid cause given to Hangup(): \"{text}\"")
                });
                None
            }
        };
        let cause = match wanted {
            Some(c) => c,
            None => match engine.hangupcause(chan) {
                c if c > 0 => c,
                _ => cause::NORMAL_CLEARING,
            },
        };
        engine.set_hangupcause(chan, cause);
        // ast_softhangup_nolock: the flag, without a SoftHangupRequest event.
        engine.with_chan_mut(chan, |c| c.softhangup = true);
        Exec::Done(AppResult::Hangup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("USER_BUSY"), Ok(Some(17)));
        assert_eq!(parse("normal_clearing"), Ok(Some(16)));
        assert_eq!(parse("21"), Ok(Some(21)));
        assert_eq!(parse("0"), Err("0".to_string()));
        assert_eq!(parse("bogus"), Err("bogus".to_string()));
    }
}
