//! `Playback(file[&file…][,options])` (`apps/app_playback.c`).
//!
//! Options are matched as substrings: `skip` (do nothing if the channel is not up), `noanswer`, `say`,
//! `mix` (say-style input is not simulated: the text is played as a file name). A channel not up is
//! answered first (with Answer's media wait). Each file plays for its catalogue duration with Asterisk's
//! `Playing` line; a missing file logs Asterisk's warnings plus `Playback failed on %s for %s` and the next
//! file plays. `PLAYBACKSTATUS` is `FAILED` if any file failed, else `SUCCESS`. Returns 0, or −1 when the
//! channel hangs up; no argument warns `Playback requires an argument (filename)` and returns −1.

use crate::diag::LogLevel;
use crate::engine::media::Played;
use crate::engine::{App, AppResult, ChannelId, ChannelState, Engine, Exec};
use std::time::Duration;

use super::args::{arg, standard_args};

pub struct Playback;

/// Parsed arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    pub files: Vec<String>,
    pub skip: bool,
    pub noanswer: bool,
    pub say: bool,
    pub mix: bool,
}

/// Why Playback refuses to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// `Playback requires an argument (filename)`.
    Empty,
}

pub fn parse(data: &str) -> Result<Args, ParseError> {
    if data.is_empty() {
        return Err(ParseError::Empty);
    }
    let a = standard_args(data, 2);
    let opts = arg(&a, 1).to_ascii_lowercase();
    let files = arg(&a, 0)
        .split('&')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect();
    Ok(Args {
        files,
        skip: opts.contains("skip"),
        noanswer: opts.contains("noanswer"),
        say: opts.contains("say"),
        mix: opts.contains("mix"),
    })
}

impl App for Playback {
    fn name(&self) -> &'static str {
        "Playback"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let args = match parse(data) {
            Ok(a) => a,
            Err(ParseError::Empty) => {
                engine.log(LogLevel::Warning, "app_playback.c", || {
                    "Playback requires an argument (filename)".to_string()
                });
                return Exec::Done(AppResult::Hangup);
            }
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
            if before == BeforePlaying::Play {
                for file in &args.files {
                    match engine.play(chan, file).await {
                        Ok(Played::Done) => {}
                        Ok(Played::Missing) => {
                            let name = engine.chan_name(chan).unwrap_or_default();
                            if engine.interrupt(chan).is_none() {
                                engine.log(LogLevel::Warning, "app_playback.c", || {
                                    format!("Playback failed on {name} for {data}")
                                });
                            }
                            failed = true;
                        }
                        Err(_) => {
                            res = AppResult::Hangup;
                            break;
                        }
                    }
                }
            }
            engine.set_var(
                chan,
                "PLAYBACKSTATUS",
                Some(if failed { "FAILED" } else { "SUCCESS" }),
            );
            res
        }))
    }
}

/// What Playback and BackGround do before their first file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BeforePlaying {
    Play,
    /// Not up and `skip` given: nothing is played, and that is no failure.
    Skip,
    /// The answer failed: the channel hung up.
    HungUp,
}

/// A channel that is not up is answered first, unless the options say `skip` (play nothing) or
/// `noanswer` (play into the unanswered channel), as `app_playback.c` and `pbx_builtins.c` both do.
pub(crate) async fn before_playing(
    engine: &Engine,
    chan: ChannelId,
    skip: bool,
    noanswer: bool,
) -> BeforePlaying {
    if engine.state(chan) == Some(ChannelState::Up) {
        BeforePlaying::Play
    } else if skip {
        BeforePlaying::Skip
    } else if noanswer {
        BeforePlaying::Play
    } else if engine.answer(chan, Duration::ZERO).await.is_err() {
        BeforePlaying::HungUp
    } else {
        BeforePlaying::Play
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse(""), Err(ParseError::Empty));
        let a = parse("hello-world").unwrap();
        assert_eq!(a.files, ["hello-world"]);
        let a = parse("a&b & c,noanswer").unwrap();
        assert_eq!(a.files, ["a", "b", "c"]);
        assert!(a.noanswer && !a.skip);
        let a = parse("x,SKIP").unwrap();
        assert!(a.skip);
    }
}
