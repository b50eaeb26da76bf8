//! `Goto([[context,]exten,]priority)` (`pbx_builtin_goto`, `pbx_parseable_goto`, `pbx_parse_location`,
//! `ast_explicit_goto`).
//!
//! Omitted parts keep the channel's current values (so do empty ones). The priority is a number, `+N`/`-N`
//! relative to the current priority, or a label looked up in the target; an unknown label warns
//! `Priority '%s' must be a number > 0, or valid label` and returns −1. A numeric target is not checked: the
//! PBX loop finds out. On success Goto prints `Goto (context,exten,priority)` and returns 0.

use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

pub struct Goto;

/// A parsed location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args<'a> {
    pub context: Option<&'a str>,
    pub exten: Option<&'a str>,
    /// The priority text after a `+`/`-` sign.
    pub priority: &'a str,
    /// 1 for `+N`, −1 for `-N`, 0 for absolute.
    pub mode: i32,
}

/// Why Goto refuses its argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// `Goto requires an argument ([[context,]extension,]priority)`.
    Empty,
}

pub fn parse(data: &str) -> Result<Args<'_>, ParseError> {
    if data.is_empty() {
        return Err(ParseError::Empty);
    }
    let mut parts = data.splitn(3, ',');
    let first = parts.next().unwrap_or_default();
    let second = parts.next();
    let third = parts.next();
    let (context, exten, pri) = match (second, third) {
        (None, _) => (None, None, first),
        (Some(e), None) => (None, Some(first), e),
        (Some(e), Some(p)) => (Some(first), Some(e), p),
    };
    let (mode, pri) = if let Some(rest) = pri.strip_prefix('+') {
        (1, rest)
    } else if let Some(rest) = pri.strip_prefix('-') {
        (-1, rest)
    } else {
        (0, pri)
    };
    Ok(Args {
        context: context.filter(|c| !c.is_empty()),
        exten: exten.filter(|e| !e.is_empty()),
        priority: pri,
        mode,
    })
}

/// `sscanf(pri, "%30d%1s")` succeeding with exactly one conversion: a number and nothing else but blanks.
pub fn numeric_priority(text: &str) -> Option<i32> {
    let t = text.trim_start();
    let end = t
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && (c == '+' || c == '-'))))
        .map_or(t.len(), |(i, _)| i);
    let n: i32 = t[..end].parse().ok()?;
    t[end..].trim().is_empty().then_some(n)
}

/// Why a Goto failed (Asterisk has logged its warning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GotoError {
    /// No argument.
    Empty,
    /// Neither a number nor a known label.
    BadPriority(String),
    /// The channel is gone.
    NoChannel,
}

/// `pbx_builtin_goto`: [`parseable`], then `Goto (context,exten,priority)`.
pub fn explicit(engine: &Engine, chan: ChannelId, data: &str) -> Result<(), GotoError> {
    let stored = parseable(engine, chan, data)?;
    if engine.bus().wants_log(LogLevel::Verbose(3)) {
        if let Some((ctx, exten)) = engine.with_chan(chan, |c| (c.context.clone(), c.exten.clone()))
        {
            engine.verbose(3, "pbx_builtins.c", || {
                format!("Goto ({ctx},{exten},{})", stored + 1)
            });
        }
    }
    Ok(())
}

/// `ast_parseable_goto` in its synchronous form (inside the PBX loop, so the stored priority is one less
/// than the target); an error after Asterisk's warning. Returns the stored priority.
pub fn parseable(engine: &Engine, chan: ChannelId, data: &str) -> Result<i32, GotoError> {
    let args = match parse(data) {
        Ok(a) => a,
        Err(ParseError::Empty) => {
            engine.log(LogLevel::Warning, "pbx.c", || {
                "Goto requires an argument ([[context,]extension,]priority)".to_string()
            });
            return Err(GotoError::Empty);
        }
    };
    let Some(cur_prio) = engine.with_chan(chan, |c| c.priority) else {
        return Err(GotoError::NoChannel);
    };
    let mut mode = args.mode;
    let ipri = match numeric_priority(args.priority) {
        Some(n) => n,
        None => {
            let Some((cur_ctx, cur_exten, cid)) = engine.with_chan(chan, |c| {
                (c.context.clone(), c.exten.clone(), c.caller.number.clone())
            }) else {
                return Err(GotoError::NoChannel);
            };
            let ctx = args.context.unwrap_or(&cur_ctx);
            let exten = args.exten.unwrap_or(&cur_exten);
            let found = engine
                .plan()
                .label(ctx, exten, args.priority, cid.as_deref());
            match found {
                Some(p) if p >= 1 => {
                    mode = 0;
                    p
                }
                _ => {
                    let p = args.priority.to_string();
                    engine.log(LogLevel::Warning, "pbx.c", || {
                        format!("Priority '{p}' must be a number > 0, or valid label")
                    });
                    return Err(GotoError::BadPriority(p));
                }
            }
        }
    };
    let target = if mode != 0 {
        cur_prio + ipri * mode
    } else {
        ipri
    };
    // ast_explicit_goto inside the PBX loop: the loop adds 1 after the application returns.
    let stored = if target > -1 { target - 1 } else { cur_prio };
    engine.with_chan_mut(chan, |c| {
        if let Some(ctx) = args.context {
            if c.context != ctx {
                c.context.clear();
                c.context.push_str(ctx);
            }
        }
        if let Some(exten) = args.exten {
            if c.exten != exten {
                c.exten.clear();
                c.exten.push_str(exten);
            }
        }
        c.priority = stored;
    });
    Ok(stored)
}

impl App for Goto {
    fn name(&self) -> &'static str {
        "Goto"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        Exec::Done(match explicit(engine, chan, data) {
            Ok(()) => AppResult::Continue,
            Err(_) => AppResult::Hangup,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms() {
        assert_eq!(parse(""), Err(ParseError::Empty));
        let a = parse("5").unwrap();
        assert_eq!(
            (a.context, a.exten, a.priority, a.mode),
            (None, None, "5", 0)
        );
        let a = parse("s,1").unwrap();
        assert_eq!((a.context, a.exten, a.priority), (None, Some("s"), "1"));
        let a = parse("parkedcalls,701,1").unwrap();
        assert_eq!(a.context, Some("parkedcalls"));
        assert_eq!(a.exten, Some("701"));
        let a = parse("+2").unwrap();
        assert_eq!((a.priority, a.mode), ("2", 1));
        let a = parse(",foo,1").unwrap();
        assert_eq!(a.context, None);
    }

    #[test]
    fn numeric_priorities() {
        assert_eq!(numeric_priority("3"), Some(3));
        assert_eq!(numeric_priority(" 3 "), Some(3));
        assert_eq!(numeric_priority("3x"), None);
        assert_eq!(numeric_priority("start"), None);
    }
}
