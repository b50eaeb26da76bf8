//! `Read(variable[,filename[&filename2…]][,maxdigits][,options][,attempts][,timeout])` (apps/app_read.c):
//! plays the prompts (a digit interrupts them) and reads digits into the variable until the terminator
//! (`#`, or `t(chars)`), `maxdigits`, or a timeout. `READSTATUS` is `OK`, `TIMEOUT`, `HANGUP`, `SKIPPED`
//! or `ERROR`. Timeouts default to the channel's response timeout before the first digit and its digit
//! timeout between digits (`TIMEOUT()`); between several prompts the first-digit wait is 50 ms.
//! Options: `s` skip when not up, `n` read without answering, `i` the filename is an indication (dialsim
//! plays no tone), `t(chars)` terminators, `e` keep the terminator when nothing else was entered.

use super::args::{arg, standard_args};
use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, ChannelState, Engine, Exec};
use crate::expr::cnum::atoi;
use std::time::Duration;

pub struct Read;

/// Parsed arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Args {
    pub variable: String,
    pub files: Vec<String>,
    /// 1–255; `None` when not given or out of range (255).
    pub maxdigits: Option<usize>,
    pub skip: bool,
    pub noanswer: bool,
    pub indication: bool,
    pub keep_terminator: bool,
    pub terminator: String,
    pub attempts: i32,
    /// Milliseconds; 0 = the channel's timeouts.
    pub timeout_ms: i64,
}

pub fn parse(data: &str) -> Args {
    let a = standard_args(data, 6);
    let opts = arg(&a, 3);
    let terminator = match opts.find('t') {
        None => "#".to_string(),
        Some(i) => match opts[i + 1..].strip_prefix('(') {
            Some(r) => r.split(')').next().unwrap_or("").to_string(),
            None => String::new(),
        },
    };
    let attempts = if arg(&a, 4).is_empty() {
        1
    } else {
        atoi(arg(&a, 4)).max(1)
    };
    let timeout = crate::expr::functions::util::scan_double(arg(&a, 5)).unwrap_or(0.0);
    let maxdigits = match atoi(arg(&a, 2)) {
        n @ 1..=255 => Some(n as usize),
        _ => None,
    };
    // Option letters outside the t(...) argument.
    let letters: String = {
        let mut out = String::new();
        let mut depth = 0;
        for c in opts.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out
    };
    Args {
        variable: arg(&a, 0).to_string(),
        files: arg(&a, 1)
            .split('&')
            .map(|f| f.trim().to_string())
            .collect(),
        maxdigits,
        skip: letters.contains('s'),
        noanswer: letters.contains('n'),
        indication: letters.contains('i'),
        keep_terminator: letters.contains('e'),
        terminator,
        attempts,
        timeout_ms: if timeout > 0.0 {
            (timeout * 1000.0) as i64
        } else {
            0
        },
    }
}

/// `enum ast_getdata_result`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GetData {
    Failed,
    Complete,
    Timeout,
    EmptyEndTerminated,
}

/// How `ast_readstring_full` reads: the prompt playing (if any), the most digits, the timeouts between
/// digits (`to`) and for the first one (`fto`), the terminators.
struct ReadSpec<'a> {
    prompt: Option<Duration>,
    max: usize,
    to: Duration,
    fto: Duration,
    enders: &'a str,
}

/// `ast_readstring_full` after the prompt started (or with none playing).
async fn read_string(
    engine: &Engine,
    chan: ChannelId,
    out: &mut String,
    spec: ReadSpec<'_>,
) -> GetData {
    let ReadSpec {
        prompt,
        max,
        to,
        fto,
        enders,
    } = spec;
    let mut wait = fto;
    let mut playing = prompt;
    loop {
        let d = if let Some(len) = playing.take() {
            let r = engine.wait_digit_in(chan, len, "0123456789*#ABCD").await;
            engine.with_chan_mut(chan, |c| c.playing = None);
            match r {
                Ok(Some(d)) => Ok(Some(d)),
                Ok(None) => engine.wait_for_digit(chan, wait).await,
                Err(e) => Err(e),
            }
        } else {
            engine.wait_for_digit(chan, wait).await
        };
        let d = match d {
            Err(_) => return GetData::Failed,
            Ok(None) => return GetData::Timeout,
            Ok(Some(d)) => d,
        };
        let ender = enders.contains(d);
        if ender && out.is_empty() {
            return GetData::EmptyEndTerminated;
        }
        if !ender {
            out.push(d);
        }
        if ender || out.len() >= max {
            return GetData::Complete;
        }
        wait = to;
    }
}

/// `ast_app_getdata_terminator`.
async fn get_data(
    engine: &Engine,
    chan: ChannelId,
    args: &Args,
    out: &mut String,
    max: usize,
) -> GetData {
    out.clear();
    let t = engine.timeouts(chan);
    let ms = |v: i64| Duration::from_millis(v.max(0) as u64);
    let mut res = GetData::Failed;
    let n = args.files.len();
    for (i, front) in args.files.iter().enumerate() {
        let mut prompt = None;
        if !front.is_empty() {
            match engine.start_prompt(chan, front) {
                Ok(Some(len)) => prompt = Some(len),
                Ok(None) => continue,
                Err(_) => return GetData::Failed,
            }
        }
        let (to, fto) = if i + 1 == n {
            if args.timeout_ms > 0 {
                (ms(args.timeout_ms), ms(args.timeout_ms))
            } else {
                (ms(t.digit_ms), ms(t.response_ms))
            }
        } else {
            (ms(t.digit_ms), Duration::from_millis(50))
        };
        let spec = ReadSpec {
            prompt,
            max,
            to,
            fto,
            enders: &args.terminator,
        };
        res = read_string(engine, chan, out, spec).await;
        if res == GetData::EmptyEndTerminated || !out.is_empty() {
            return res;
        }
    }
    res
}

impl App for Read {
    fn name(&self) -> &'static str {
        "Read"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        engine.set_var(chan, "READSTATUS", Some("ERROR"));
        if data.is_empty() {
            engine.log(LogLevel::Warning, "app_read.c", || {
                "Read requires an argument (variable)".to_string()
            });
            return Exec::Done(AppResult::Continue);
        }
        let args = parse(data);
        if let Some(m) = args.maxdigits {
            engine.verbose(3, "app_read.c", || {
                format!("Accepting a maximum of {m} digits.")
            });
        }
        if args.variable.is_empty() {
            engine.log(LogLevel::Warning, "app_read.c", || {
                "Invalid! Usage: Read(variable[,filename][,maxdigits][,option][,attempts][,timeout])\n".to_string()
            });
            return Exec::Done(AppResult::Continue);
        }
        let engine = engine.clone();
        Exec::Pending(Box::pin(async move {
            let max = args.maxdigits.unwrap_or(255);
            let mut status = "ERROR";
            if engine.state(chan) != Some(ChannelState::Up) {
                if args.skip {
                    engine.set_var(chan, &args.variable, Some(""));
                    engine.set_var(chan, "READSTATUS", Some("SKIPPED"));
                    return AppResult::Continue;
                }
                if !args.noanswer && engine.answer(chan, Duration::ZERO).await.is_err() {
                    engine.set_var(chan, "READSTATUS", Some("HANGUP"));
                    return AppResult::Continue;
                }
            }
            let mut tries = args.attempts;
            let mut tmp = String::new();
            let mut hung = false;
            let mut effective = args.clone();
            if args.indication {
                // The filename names a tone, not a prompt: dialsim plays nothing.
                effective.files = vec![String::new()];
            }
            while tries > 0 && !hung {
                let r = get_data(&engine, chan, &effective, &mut tmp, max).await;
                match r {
                    GetData::Complete => status = "OK",
                    GetData::EmptyEndTerminated => {
                        if args.keep_terminator {
                            tmp = args.terminator.clone();
                        }
                        status = "OK";
                    }
                    GetData::Timeout => status = "TIMEOUT",
                    GetData::Failed => {}
                }
                engine.set_var(chan, &args.variable, Some(&tmp));
                if r == GetData::Failed {
                    engine.verbose(3, "app_read.c", || "User disconnected".to_string());
                    hung = true;
                } else if !tmp.is_empty() {
                    let t = tmp.clone();
                    engine.verbose(3, "app_read.c", || format!("User entered '{t}'"));
                    tries = 0;
                } else {
                    tries -= 1;
                    if tries > 0 {
                        engine.verbose(3, "app_read.c", || {
                            format!(
                                "User entered nothing, {tries} chance{} left",
                                if tries != 1 { "s" } else { "" }
                            )
                        });
                    } else {
                        engine.verbose(3, "app_read.c", || "User entered nothing.".to_string());
                    }
                }
            }
            if engine.interrupt(chan).is_some() {
                status = "HANGUP";
            }
            engine.set_var(chan, "READSTATUS", Some(status));
            AppResult::Continue
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        let a = parse("PIN,enter-pin,4,,3,5");
        assert_eq!(a.variable, "PIN");
        assert_eq!(a.files, ["enter-pin"]);
        assert_eq!(a.maxdigits, Some(4));
        assert_eq!((a.attempts, a.timeout_ms), (3, 5000));
        assert_eq!(a.terminator, "#");
        let a = parse("X,,0,st(*)");
        assert_eq!(a.maxdigits, None);
        assert!(a.skip);
        assert_eq!(a.terminator, "*");
        assert_eq!(parse("X,,,t").terminator, "");
    }
}
