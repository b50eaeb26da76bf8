//! `WaitExten([seconds][,options])` (main/pbx_builtins.c): waits for the caller to start dialling an
//! extension. A digit starts the PBX's extension collection; on timeout the next priority runs if there is
//! one, else `t`, else `e` (`RESPONSETIMEOUT`), else the call ends. The default wait is the channel's
//! response timeout. Option `m[(class)]` plays music on hold while waiting.

use super::args::{arg, parse_timelen, standard_args};
use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};
use std::time::Duration;

pub struct WaitExten;

/// Parsed arguments: the wait in milliseconds (`None`: the response timeout) and the music class
/// (`Some("")`: default).
#[derive(Clone, Debug, PartialEq)]
pub struct Args {
    pub ms: Option<u64>,
    pub moh: Option<String>,
}

pub fn parse(data: &str) -> Args {
    let a = standard_args(data, 2);
    // ast_app_parse_timelen in seconds by default (`500ms`, `1m` and `2h` too); nothing positive: the
    // response timeout.
    let ms = parse_timelen(arg(&a, 0), 1000.0)
        .filter(|ms| *ms >= 1.0)
        .map(|ms| ms as u64);
    let opts = arg(&a, 1);
    let moh = opts.find('m').map(|i| {
        let rest = &opts[i + 1..];
        match rest.strip_prefix('(') {
            Some(r) => r.split(')').next().unwrap_or("").to_string(),
            None => String::new(),
        }
    });
    Args { ms, moh }
}

impl App for WaitExten {
    fn name(&self) -> &'static str {
        "WaitExten"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let args = parse(data);
        let engine = engine.clone();
        Exec::Pending(Box::pin(async move {
            if let Some(class) = &args.moh {
                if class.is_empty() {
                    engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                        "The 'm' option has been specified for WaitExten without a class."
                            .to_string()
                    });
                }
                engine.moh_start(chan, if class.is_empty() { "default" } else { class });
            }
            let wait = match args.ms {
                Some(ms) => Duration::from_millis(ms),
                None => Duration::from_millis(engine.timeouts(chan).response_ms.max(0) as u64),
            };
            let got = engine.wait_for_digit(chan, wait).await;
            if args.moh.is_some() {
                engine.moh_stop(chan);
            }
            match got {
                Ok(Some(d)) => AppResult::Digit(d),
                Err(_) => AppResult::Hangup,
                Ok(None) => {
                    let (Some(name), Some((ctx, exten, prio, cid))) =
                        (engine.chan_name(chan), engine.position(chan))
                    else {
                        return AppResult::Hangup;
                    };
                    let plan = engine.plan();
                    let next = plan.exists(&ctx, &exten, prio + 1, cid.as_deref());
                    let t = plan.exists(&ctx, "t", 1, cid.as_deref());
                    let e = plan.exists(&ctx, "e", 1, cid.as_deref());
                    drop(plan);
                    if next {
                        engine.verbose(3, "pbx_builtins.c", || {
                            format!("Timeout on {name}, continuing...")
                        });
                        AppResult::Continue
                    } else if t {
                        engine.verbose(3, "pbx_builtins.c", || {
                            format!("Timeout on {name}, going to 't'")
                        });
                        engine.set_location(chan, &ctx, "t", 0);
                        AppResult::Continue
                    } else if e {
                        engine.raise_exception(chan, "RESPONSETIMEOUT");
                        engine.with_chan_mut(chan, |c| c.priority = 0);
                        AppResult::Continue
                    } else {
                        engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                            format!("Timeout but no rule 't' or 'e' in context '{ctx}'")
                        });
                        AppResult::Hangup
                    }
                }
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse("").ms, None);
        assert_eq!(parse("5").ms, Some(5000));
        assert_eq!(parse("0.5").ms, Some(500));
        // main/pbx_builtins.c pbx_builtin_waitexten reads the time with ast_app_parse_timelen.
        assert_eq!(parse("500ms").ms, Some(500));
        assert_eq!(parse("1m").ms, Some(60_000));
        assert_eq!(parse("2sec").ms, None);
        assert_eq!(parse("0").ms, None);
        assert_eq!(parse("2.5,m(jazz)").moh.as_deref(), Some("jazz"));
        assert_eq!(parse(",m").moh.as_deref(), Some(""));
    }
}
