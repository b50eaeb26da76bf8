//! `Gosub([[context,]exten,]priority[(arg1[,...][,argN])])`, `GosubIf(cond?label1(args)[:label2(args)])`,
//! `Return([value])` and `StackPop()` (apps/app_stack.c).
//!
//! Gosub jumps like Goto (without its `Goto (…)` line) after checking that the destination exists, pushes a
//! return address (the next priority) and sets `${ARG1}`…`${ARGn}` and `${ARGC}` local to the new frame
//! (a frame masks as many `ARGn` as the deepest caller had). Return pops the frame, deleting its locals so
//! the caller's values show again, jumps back and sets `GOSUB_RETVAL`. The arguments are split raw: quotes
//! and backslashes stay.

use super::goto;
use crate::diag::LogLevel;
use crate::engine::lang::GosubFrame;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};
use crate::expr::args::{separate_args, ArgMode};
use crate::expr::check_condition;

pub struct Gosub;
pub struct GosubIf;
pub struct Return;
pub struct StackPop;

const SRC: &str = "app_stack.c";

/// A Gosub target: the location text and the arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub label: String,
    pub args: Vec<String>,
    /// `(` without a closing `)`: Asterisk warns `Ouch.  No closing paren: '%s'?`.
    pub unclosed: bool,
}

/// Splits `label(args)`.
pub fn parse(data: &str) -> Target {
    match data.split_once('(') {
        None => Target {
            label: data.to_string(),
            args: Vec::new(),
            unclosed: false,
        },
        Some((label, rest)) => {
            let (inner, unclosed) = match rest.rfind(')') {
                Some(i) => (&rest[..i], false),
                None => (rest, true),
            };
            Target {
                label: label.to_string(),
                args: separate_args(inner, ',', ArgMode::Raw, 100),
                unclosed,
            }
        }
    }
}

/// GosubIf's parts: condition, true target, false target. `None` when there is no `?`.
pub fn parse_if(data: &str) -> Option<(String, Option<String>, Option<String>)> {
    let cond = separate_args(data, '?', ArgMode::Raw, 2);
    if cond.len() != 2 {
        return None;
    }
    let labels = separate_args(&cond[1], ':', ArgMode::Raw, 2);
    let mut it = labels.into_iter();
    Some((cond[0].clone(), it.next(), it.next()))
}

/// `gosub_exec`: the result Asterisk's application returns.
pub fn gosub(engine: &Engine, chan: ChannelId, data: &str) -> AppResult {
    if data.is_empty() {
        engine.log(LogLevel::Error, SRC, || {
            "Gosub requires an argument: Gosub([[context,]exten,]priority[(arg1[,...][,argN])])"
                .to_string()
        });
        return AppResult::Hangup;
    }
    let t = parse(data);
    if t.unclosed {
        engine.log(LogLevel::Warning, SRC, || {
            format!("Ouch.  No closing paren: '{data}'?")
        });
    }
    let Some((octx, oexten, oprio, cid)) = engine.position(chan) else {
        return AppResult::Hangup;
    };
    let restore = |e: &Engine| {
        e.with_chan_mut(chan, |c| {
            c.context.clone_from(&octx);
            c.exten.clone_from(&oexten);
            c.priority = oprio;
        });
    };
    if goto::parseable(engine, chan, &t.label).is_err() {
        engine.log(LogLevel::Error, SRC, || {
            format!("Gosub address is invalid: '{data}'")
        });
        restore(engine);
        return AppResult::Hangup;
    }
    let Some((dctx, dexten, stored)) =
        engine.with_chan(chan, |c| (c.context.clone(), c.exten.clone(), c.priority))
    else {
        return AppResult::Hangup;
    };
    let dprio = stored + 1;
    if !engine.plan().exists(&dctx, &dexten, dprio, cid.as_deref()) {
        engine.log(LogLevel::Error, SRC, || {
            format!(
                "Gosub attempted to reach non-existent destination '{dctx},{dexten},{dprio}' from '{octx},{oexten},{oprio}'"
            )
        });
        restore(engine);
        return AppResult::Hangup;
    }
    let argc = t.args.len();
    let pushed = engine.with_gosub(chan, true, |s| {
        let max = s.frames.last().map_or(0, |f| f.arguments).max(argc);
        s.frames.push(GosubFrame {
            context: octx.clone(),
            exten: oexten.clone(),
            priority: oprio + 1,
            in_subroutine: s.in_subroutine,
            arguments: max,
            locals: Vec::new(),
            special: false,
        });
        s.in_subroutine = true;
        max
    });
    let Some(max) = pushed else {
        return AppResult::Hangup;
    };
    for i in 0..max {
        let v = t.args.get(i).map_or("", String::as_str);
        engine.frame_set_var(chan, &format!("ARG{}", i + 1), v);
    }
    engine.frame_set_var(chan, "ARGC", &argc.to_string());
    AppResult::Continue
}

impl App for Gosub {
    fn name(&self) -> &'static str {
        "Gosub"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        Exec::Done(gosub(engine, chan, data))
    }
}

impl App for GosubIf {
    fn name(&self) -> &'static str {
        "GosubIf"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let usage =
            || "GosubIf requires an argument: GosubIf(cond?label1(args):label2(args)".to_string();
        if data.is_empty() {
            engine.log(LogLevel::Warning, SRC, usage);
            return Exec::Done(AppResult::Continue);
        }
        let Some((cond, t, f)) = parse_if(data) else {
            engine.log(LogLevel::Warning, SRC, usage);
            return Exec::Done(AppResult::Continue);
        };
        let branch = if check_condition(&cond) { t } else { f };
        Exec::Done(match branch.filter(|b| !b.is_empty()) {
            Some(b) => gosub(engine, chan, &b),
            None => AppResult::Continue,
        })
    }
}

impl App for Return {
    fn name(&self) -> &'static str {
        "Return"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let popped = engine.with_gosub(chan, false, |s| {
            let f = s.frames.pop();
            if let Some(f) = &f {
                s.in_subroutine = f.in_subroutine;
            }
            f
        });
        let frame = match popped {
            None => {
                engine.log(LogLevel::Error, SRC, || {
                    "Return without Gosub: stack is unallocated".to_string()
                });
                return Exec::Done(AppResult::Hangup);
            }
            Some(None) => {
                engine.log(LogLevel::Error, SRC, || {
                    "Return without Gosub: stack is empty".to_string()
                });
                return Exec::Done(AppResult::Hangup);
            }
            Some(Some(f)) => f,
        };
        engine.with_chan_mut(chan, |c| {
            c.context.clone_from(&frame.context);
            c.exten.clone_from(&frame.exten);
            // Inside the PBX loop, which adds one after the application.
            c.priority = frame.priority - 1;
        });
        engine.release_frame(chan, &frame);
        engine.set_var(chan, "GOSUB_RETVAL", Some(data));
        // The end of a subroutine the core runs: −1 stops its loop.
        Exec::Done(if frame.special {
            AppResult::Hangup
        } else {
            AppResult::Continue
        })
    }
}

impl App for StackPop {
    fn name(&self) -> &'static str {
        "StackPop"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, _data: &str) -> Exec {
        match engine.with_gosub(chan, false, |s| s.frames.pop()) {
            None => engine.log(LogLevel::Warning, SRC, || {
                "StackPop called with no gosub stack allocated.".to_string()
            }),
            Some(Some(frame)) => engine.release_frame(chan, &frame),
            Some(None) => {}
        }
        Exec::Done(AppResult::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let t = parse("sub,s,1(a,\"b,c\",)");
        assert_eq!(t.label, "sub,s,1");
        assert_eq!(t.args, ["a", "\"b,c\"", ""]);
        assert!(!t.unclosed);
        let t = parse("start");
        assert!(t.args.is_empty());
        let t = parse("s,1(x");
        assert!(t.unclosed);
        assert_eq!(t.args, ["x"]);
        assert_eq!(
            parse_if("${X}?a(1):b(2)"),
            Some(("${X}".into(), Some("a(1)".into()), Some("b(2)".into())))
        );
        assert_eq!(parse_if("1"), None);
    }
}
