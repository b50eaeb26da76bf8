//! `Background(file[&file…][,options[,langoverride[,context]]])` (main/pbx_builtins.c): plays prompts while
//! listening for DTMF. A digit stops the playback; when that single digit is a whole extension of the
//! context (and nothing longer could match) the channel goes there, otherwise the digit starts the PBX's
//! extension collection. Options: `s` skip when not up, `n` do not answer, `p` play without listening,
//! `m` match only digits that can start an extension (dialsim listens to every digit).
//! `BACKGROUNDSTATUS` is `FAILED` when a file is missing.

use super::args::{arg, standard_args};
use super::playback::{before_playing, BeforePlaying};
use crate::diag::LogLevel;
use crate::engine::lang::Heard;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

pub struct Background;

/// Parsed arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    pub files: Vec<String>,
    pub skip: bool,
    pub noanswer: bool,
    pub playback: bool,
    pub context: Option<String>,
}

pub fn parse(data: &str) -> Option<Args> {
    if data.is_empty() {
        return None;
    }
    let a = standard_args(data, 4);
    let opts = arg(&a, 1);
    let (skip, noanswer, playback) = if opts.eq_ignore_ascii_case("skip") {
        (true, false, false)
    } else if opts.eq_ignore_ascii_case("noanswer") {
        (false, true, false)
    } else {
        (opts.contains('s'), opts.contains('n'), opts.contains('p'))
    };
    Some(Args {
        files: arg(&a, 0)
            .trim()
            .split('&')
            .map(|f| f.trim().to_string())
            .filter(|f| !f.is_empty())
            .collect(),
        skip,
        noanswer,
        playback,
        context: Some(arg(&a, 3).to_string()).filter(|c| !c.is_empty()),
    })
}

impl App for Background {
    fn name(&self) -> &'static str {
        "BackGround"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let Some(args) = parse(data) else {
            engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                "Background requires an argument (filename)".to_string()
            });
            return Exec::Done(AppResult::Hangup);
        };
        let engine = engine.clone();
        let data = data.to_string();
        Exec::Pending(Box::pin(async move {
            let mut failed = false;
            let mut res = AppResult::Continue;
            let before = before_playing(&engine, chan, args.skip, args.noanswer).await;
            if before == BeforePlaying::HungUp {
                res = AppResult::Hangup;
            }
            let stop = if args.playback {
                ""
            } else {
                "0123456789*#ABCD"
            };
            if before == BeforePlaying::Play {
                for f in &args.files {
                    match engine.play_until_digit(chan, f, stop).await {
                        Ok(Heard::Done) => {}
                        Ok(Heard::Missing) => {
                            let name = engine.chan_name(chan).unwrap_or_default();
                            engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                                format!("ast_streamfile failed on {name} for {data}")
                            });
                            failed = true;
                            break;
                        }
                        Ok(Heard::Digit(d)) => {
                            res = AppResult::Digit(d);
                            break;
                        }
                        Err(_) => {
                            res = AppResult::Hangup;
                            break;
                        }
                    }
                }
            }
            if let AppResult::Digit(d) = res {
                let Some((cur, cid)) =
                    engine.with_chan(chan, |c| (c.context.clone(), c.caller.number.clone()))
                else {
                    return AppResult::Hangup;
                };
                let ctx = args.context.clone().unwrap_or(cur);
                let exten = d.to_string();
                let plan = engine.plan();
                let whole = plan.exists(&ctx, &exten, 1, cid.as_deref())
                    && !plan.match_more(&ctx, &exten, cid.as_deref());
                drop(plan);
                if whole {
                    engine.with_chan_mut(chan, |c| {
                        c.exten = exten;
                        c.context = ctx;
                        c.priority = 0;
                    });
                    res = AppResult::Continue;
                }
            }
            engine.set_var(
                chan,
                "BACKGROUNDSTATUS",
                Some(if failed { "FAILED" } else { "SUCCESS" }),
            );
            res
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse(""), None);
        let a = parse("menu&options,n,,ivr").unwrap();
        assert_eq!(a.files, ["menu", "options"]);
        assert!(a.noanswer && !a.skip);
        assert_eq!(a.context.as_deref(), Some("ivr"));
        assert!(parse("x,skip").unwrap().skip);
    }
}
