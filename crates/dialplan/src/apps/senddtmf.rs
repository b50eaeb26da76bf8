//! `SendDTMF(digits[,timeout_ms[,duration_ms[,channel[,options]]]])` (`apps/app_senddtmf.c`,
//! `main/app.c · dtmf_stream`).
//!
//! The digits go out of the target channel (default: the one running the app) toward its far end — from a
//! Local `;2` they arrive as DTMF on `;1`. Timing: 100 ms of silence, then per digit a tone of
//! max(duration, 100 ms) and a gap of `timeout_ms` (default and ≤ 0: 250 ms); `w` waits 500 ms, `W` 1 s.
//! Illegal characters warn and are skipped. Returns 0, or −1 if the channel hangs up meanwhile; missing
//! digits warn and return 0.

use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};
use std::time::Duration;

use super::args::{arg, parse_timelen, standard_args};

pub struct SendDtmf;

/// Parsed arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    pub digits: String,
    /// The gap between digits.
    pub between: Duration,
    /// The tone length asked for (raised to 100 ms when sending).
    pub duration: Duration,
    /// Another channel to send on.
    pub channel: Option<String>,
    /// Option `a`: answer the target first.
    pub answer: bool,
}

/// Why SendDTMF does nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// `SendDTMF requires an argument`.
    Empty,
    /// `The digits argument is required (0-9,*#,a-d,A-D,wfF)`.
    NoDigits,
}

pub fn parse(data: &str) -> Result<Args, ParseError> {
    if data.is_empty() {
        return Err(ParseError::Empty);
    }
    let a = standard_args(data, 5);
    let digits = arg(&a, 0);
    if digits.is_empty() {
        return Err(ParseError::NoDigits);
    }
    let ms = |s: &str| {
        if s.is_empty() {
            0.0
        } else {
            parse_timelen(s, 1.0).unwrap_or(0.0)
        }
    };
    let between = ms(arg(&a, 1));
    Ok(Args {
        digits: digits.to_string(),
        between: Duration::from_millis(if between <= 0.0 { 250 } else { between as u64 }),
        duration: Duration::from_millis(ms(arg(&a, 2)) as u64),
        channel: Some(arg(&a, 3))
            .filter(|c| !c.is_empty())
            .map(str::to_string),
        answer: arg(&a, 4).contains('a'),
    })
}

impl App for SendDtmf {
    fn name(&self) -> &'static str {
        "SendDTMF"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let args = match parse(data) {
            Ok(a) => a,
            Err(e) => {
                let text = match e {
                    ParseError::Empty => "SendDTMF requires an argument",
                    ParseError::NoDigits => "The digits argument is required (0-9,*#,a-d,A-D,wfF)",
                };
                engine.log(LogLevel::Warning, "app_senddtmf.c", || text.to_string());
                return Exec::Done(AppResult::Continue);
            }
        };
        let target = match &args.channel {
            None => chan,
            Some(name) => match engine.find_channel(name) {
                Some(t) => t,
                None => {
                    let name = name.clone();
                    engine.log(LogLevel::Warning, "app_senddtmf.c", || {
                        format!("No such channel: {name}")
                    });
                    return Exec::Done(AppResult::Continue);
                }
            },
        };
        let engine = engine.clone();
        Exec::Pending(Box::pin(async move {
            if args.answer {
                engine.raw_answer(target);
            }
            let r = engine
                .send_dtmf(target, &args.digits, args.between, args.duration)
                .await;
            if target != chan {
                return AppResult::Continue;
            }
            match r {
                Ok(()) => AppResult::Continue,
                Err(_) => AppResult::Hangup,
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse(""), Err(ParseError::Empty));
        assert_eq!(parse(",300"), Err(ParseError::NoDigits));
        let a = parse("#72w").unwrap();
        assert_eq!(a.digits, "#72w");
        assert_eq!(a.between, Duration::from_millis(250));
        assert_eq!(a.duration, Duration::ZERO);
        let a = parse("123,500,200").unwrap();
        assert_eq!(a.between, Duration::from_millis(500));
        assert_eq!(a.duration, Duration::from_millis(200));
        let a = parse("1,0").unwrap();
        assert_eq!(a.between, Duration::from_millis(250));
    }
}
