//! `TIMEOUT(absolute|digit|response)` (funcs/func_timeout.c): reads and sets the channel's absolute timeout
//! (seconds left, `0` when none) and the PBX's digit and response timeouts (seconds with three decimals).
//! Only the first letter of the argument counts.

use super::util::{engine_of, log, scan_double};
use super::Function;
use crate::diag::LogLevel;
use crate::expr::{Effects, FuncError, VarContext};
use crate::timing::strftime;
use std::time::Duration;

pub struct Timeout;

const SRC: &str = "func_timeout.c";

/// `sscanf(value, "%30ld%30lf")` as TIMEOUT reads it: milliseconds, or `None` for 0/negative/garbage.
pub fn parse_value(value: &str) -> i64 {
    let Some((sec, rest)) = crate::expr::cnum::scan_long(value) else {
        return 0;
    };
    if sec < 0 {
        return 0;
    }
    let frac = scan_double(rest).unwrap_or(0.0);
    sec * 1000 + ((frac * 1_000_000.0) as i64) / 1000
}

impl Function for Timeout {
    fn name(&self) -> &'static str {
        "TIMEOUT"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (e, chan) = engine_of(ctx, "TIMEOUT")?;
        let t = e.timeouts(chan);
        match args.chars().next() {
            Some('a' | 'A') => Ok(match t.hangup_at {
                None => String::from("0"),
                Some(at) => {
                    let left = at.as_millis() as i64 - e.now().as_millis() as i64;
                    format!("{:.3}", left as f64 / 1000.0)
                }
            }),
            Some('r' | 'R') => Ok(format!("{:.3}", t.response_ms as f64 / 1000.0)),
            Some('d' | 'D') => Ok(format!("{:.3}", t.digit_ms as f64 / 1000.0)),
            _ => {
                log(fx, LogLevel::Error, SRC, "Unknown timeout type specified.");
                Err(FuncError::Failed)
            }
        }
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        let (e, chan) = engine_of(ctx, "TIMEOUT")?;
        let ms = parse_value(value);
        match args.chars().next() {
            Some('a' | 'A') => {
                if ms == 0 {
                    e.set_absolute_timeout(chan, None);
                    fx.asterisk(
                        crate::expr::codes::FUNC_USAGE,
                        LogLevel::Verbose(3),
                        SRC,
                        "Channel hangup cancelled.",
                    );
                } else {
                    let at = e.now() + Duration::from_millis(ms as u64);
                    e.set_absolute_timeout(chan, Some(at));
                    let (secs, us) = e.wall_clock();
                    let when = secs * 1_000_000 + i64::from(us) + ms * 1000;
                    let tm = e.time_zone().localtime(
                        when.div_euclid(1_000_000),
                        when.rem_euclid(1_000_000) as u32,
                    );
                    let text = strftime("%Y-%m-%d %H:%M:%S.%3q %Z", &tm);
                    fx.asterisk(
                        crate::expr::codes::FUNC_USAGE,
                        LogLevel::Verbose(3),
                        SRC,
                        format!("Channel will hangup at {text}."),
                    );
                }
            }
            Some('r' | 'R') => {
                e.set_timeouts(chan, |t| t.response_ms = ms);
                fx.asterisk(
                    crate::expr::codes::FUNC_USAGE,
                    LogLevel::Verbose(3),
                    SRC,
                    format!("Response timeout set to {:.3}", ms as f64 / 1000.0),
                );
            }
            Some('d' | 'D') => {
                e.set_timeouts(chan, |t| t.digit_ms = ms);
                fx.asterisk(
                    crate::expr::codes::FUNC_USAGE,
                    LogLevel::Verbose(3),
                    SRC,
                    format!("Digit timeout set to {:.3}", ms as f64 / 1000.0),
                );
            }
            _ => log(fx, LogLevel::Error, SRC, "Unknown timeout type specified."),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn values() {
        assert_eq!(super::parse_value("5"), 5000);
        assert_eq!(super::parse_value("1.5"), 1500);
        assert_eq!(super::parse_value("-1"), 0);
        assert_eq!(super::parse_value("x"), 0);
    }
}
