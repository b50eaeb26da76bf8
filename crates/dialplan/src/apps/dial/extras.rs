//! Dial's options that run dialplan or arm timers around the call (`apps/app_dial.c`, `main/features.c ·
//! ast_bridge_timelimit`): `B()` and `b()` pre-dial handlers, the `U()` callee subroutine with its
//! `GOSUB_RESULT`, `F`/`F()` for the callee after the bridge, and the call limits `S()` and `L()`.
//! `L()`'s hooks inside the bridge live in `limit.rs`.

use super::limit::BridgeLimit;
use super::options::{callee_gosub_args, parse_limit, Options};
use crate::diag::LogLevel;
use crate::engine::after_bridge::AfterGoOn;
use crate::engine::sub::{expand_sub_args, OnHangup};
use crate::engine::{AppResult, ChannelId, Engine};
use std::time::Duration;

/// The limit armed when the call is answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallLimit {
    None,
    /// `S(x)` or the plain form of `L(x)`: the callee's absolute timeout (`whentohangup`).
    HangupCallee(Duration),
    /// `L(x:y:z)` with a warning or sounds: interval hooks on both sides of the bridge ([`super::limit`]).
    Bridge(BridgeLimit),
}

/// `S()` or `L()` was refused: Dial ends at once with −1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadLimit;

/// `S()` and `L()` read before dialling. `Err`: Dial ends at once with −1 (`S(0)` sets
/// `DIALSTATUS=INVALIDARGS` first).
pub fn duration_setup(
    engine: &Engine,
    chan: ChannelId,
    o: &Options,
) -> Result<CallLimit, BadLimit> {
    let mut limit = CallLimit::None;
    if let Some(s) = &o.duration_stop {
        let secs = crate::expr::cnum::atoi(s);
        if secs == 0 {
            engine.log(LogLevel::Warning, "app_dial.c", || {
                format!("Dial does not accept S({s})")
            });
            engine.set_var(chan, "DIALSTATUS", Some("INVALIDARGS"));
            return Err(BadLimit);
        }
        let secs_f = f64::from(secs);
        engine.verbose(3, "app_dial.c", || {
            format!("Setting call duration limit to {secs_f:.3} seconds.")
        });
        // A negative value is a time in the past: the callee is hung up as soon as it is set.
        limit = CallLimit::HangupCallee(Duration::from_secs(u64::try_from(secs).unwrap_or(0)));
    }
    if let Some(l) = &o.duration_limit {
        let Some(lim) = parse_limit(l) else {
            let first = l.split(':').next().unwrap_or("").to_string();
            engine.log(LogLevel::Warning, "features.c", || {
                format!("Bridge does not accept L({first})")
            });
            return Err(BadLimit);
        };
        let var = |n: &str| engine.get_var(chan, n);
        let truthy = |v: Option<String>| v.map(|v| crate::expr::cond::ast_true(&v));
        let mut to_caller = truthy(var("LIMIT_PLAYAUDIO_CALLER")).unwrap_or(true);
        let to_callee = truthy(var("LIMIT_PLAYAUDIO_CALLEE")).unwrap_or(false);
        if !to_caller && !to_callee {
            to_caller = true;
        }
        let start = var("LIMIT_CONNECT_FILE").filter(|v| !v.is_empty());
        let end = var("LIMIT_TIMEOUT_FILE").filter(|v| !v.is_empty());
        if lim.play_warning == 0 && start.is_none() && end.is_none() {
            let ms = lim.timelimit;
            let secs = ms as f64 / 1000.0;
            engine.verbose(3, "features.c", || {
                format!("Setting call duration limit to {secs:.3} seconds.")
            });
            limit = CallLimit::HangupCallee(Duration::from_millis(u64::try_from(ms).unwrap_or(0)));
        } else {
            let yn = |b: bool| if b { "yes" } else { "no" };
            let lines = [
                "Limit Data for this call:".to_string(),
                format!(
                    "timelimit      = {} ms ({:.3} s)",
                    lim.timelimit,
                    lim.timelimit as f64 / 1000.0
                ),
                format!(
                    "play_warning   = {} ms ({:.3} s)",
                    lim.play_warning,
                    lim.play_warning as f64 / 1000.0
                ),
                format!("play_to_caller = {}", yn(to_caller)),
                format!("play_to_callee = {}", yn(to_callee)),
                format!(
                    "warning_freq   = {} ms ({:.3} s)",
                    lim.warning_freq,
                    lim.warning_freq as f64 / 1000.0
                ),
                format!("start_sound    = {}", start.clone().unwrap_or_default()),
                format!(
                    "warning_sound  = {}",
                    var("LIMIT_WARNING_FILE")
                        .filter(|v| !v.is_empty())
                        .unwrap_or_else(|| "timeleft".to_string())
                ),
                format!("end_sound      = {}", end.clone().unwrap_or_default()),
            ];
            for l in lines {
                engine.verbose(4, "features.c", || l);
            }
            limit = CallLimit::Bridge(BridgeLimit {
                limit: lim,
                to_caller,
                to_callee,
                connect_sound: start.unwrap_or_default(),
                warning_sound: var("LIMIT_WARNING_FILE")
                    .filter(|v| !v.is_empty())
                    .unwrap_or_else(|| "timeleft".to_string()),
                end_sound: end.unwrap_or_default(),
            });
        }
    }
    Ok(limit)
}

/// `B()`: the caller's pre-dial handler, run before any callee is requested.
pub async fn predial_caller(engine: &Engine, chan: ChannelId, o: &Options) {
    if let Some(sub) = &o.predial_caller {
        engine.run_sub(chan, sub, OnHangup::Stop).await;
    }
}

/// `b()`: each callee's pre-dial handler, run after every callee is set up and before any is called; the
/// omitted context and extension are the caller's.
pub async fn predial_callees(engine: &Engine, chan: ChannelId, callees: &[ChannelId], o: &Options) {
    let Some(sub) = &o.predial_callee else {
        return;
    };
    if callees.is_empty() {
        return;
    }
    let Some((ctx, exten)) = engine.with_chan(chan, |c| (c.context.clone(), c.exten.clone()))
    else {
        return;
    };
    let (expanded, unclosed) = expand_sub_args(sub, &ctx, &exten);
    if unclosed {
        engine.log(LogLevel::Warning, "app_stack.c", || {
            format!("Ouch.  No closing paren: '{sub}'?")
        });
    }
    for &c in callees {
        engine.run_sub(c, &expanded, OnHangup::Stop).await;
    }
}

/// What `U()` decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GosubOutcome {
    /// Bridge the call as usual.
    Bridge,
    /// Do not bridge: `status` replaces `DIALSTATUS` when set; `go_on` makes the caller continue in the
    /// dialplan (as `g` does); `dial_end` is the `DialEnd` status to publish.
    Stop {
        status: Option<String>,
        go_on: bool,
        dial_end: String,
    },
}

/// `U(x[^arg…])`: runs the subroutine on the answered callee (the caller waits) and reads the callee's
/// `GOSUB_RESULT`: `BUSY`, `CONGESTION`, `CHANUNAVAIL` (that status, caller continues), `CONTINUE`
/// (caller continues), `ABORT` (both ends hang up unless `g`), `GOTO:[[context^]exten^]priority` (the
/// caller continues there). `GOSUB_RETVAL` is copied to the caller.
pub async fn callee_gosub(
    engine: &Engine,
    chan: ChannelId,
    peer: ChannelId,
    o: &Options,
) -> GosubOutcome {
    let Some(arg) = &o.callee_gosub else {
        return GosubOutcome::Bridge;
    };
    let ctx = arg.split(',').next().unwrap_or("");
    let cid = engine
        .with_chan(peer, |c| c.caller.number.clone())
        .flatten();
    let exten_s = {
        let plan = engine.plan();
        if !plan.exists(ctx, "s", 1, cid.as_deref()) && plan.exists(ctx, "~~s~~", 1, cid.as_deref())
        {
            "~~s~~"
        } else {
            "s"
        }
    };
    let args = callee_gosub_args(arg, exten_s);
    // The callee runs dialplan of its own now: it stops being read by the dial loop.
    engine.set_notify(peer, std::rc::Rc::new(crate::engine::notify::Notify::new()));
    engine.set_reading(peer, false);
    let res = engine.run_sub(peer, &args, OnHangup::Stop).await;
    if res != AppResult::Continue {
        return GosubOutcome::Bridge;
    }
    let Some(result) = engine.get_var(peer, "GOSUB_RESULT") else {
        return GosubOutcome::Bridge;
    };
    if let Some(rv) = engine.get_var(peer, "GOSUB_RETVAL") {
        engine.set_var(chan, "GOSUB_RETVAL", Some(&rv));
    }
    let stop = |status: Option<&str>, go_on: bool| GosubOutcome::Stop {
        status: status.map(str::to_string),
        go_on,
        dial_end: result.clone(),
    };
    if ["BUSY", "CONGESTION", "CHANUNAVAIL"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(&result))
    {
        stop(Some(&result), true)
    } else if result.eq_ignore_ascii_case("CONTINUE") {
        stop(None, true)
    } else if result.eq_ignore_ascii_case("ABORT") {
        stop(None, false)
    } else if result.len() >= 5 && result[..5].eq_ignore_ascii_case("GOTO:") {
        let dest = result[5..].replace('^', ",");
        let ok = crate::apps::goto::parseable(engine, chan, &dest).is_ok();
        stop(None, ok)
    } else {
        GosubOutcome::Bridge
    }
}

/// `setup_peer_after_bridge_goto` for `F`: the callee continues after the bridge at the caller's next
/// priority, or at `F()`'s location.
pub fn set_callee_go_on(engine: &Engine, chan: ChannelId, peer: ChannelId, o: &Options) {
    // `e` first: `setup_peer_after_bridge_goto` stores the caller's context for the callee's `h`, and
    // then ignores `F` [apps/app_dial.c · setup_peer_after_bridge_goto; main/bridge_after.c ·
    // ast_bridge_set_after_h].
    if o.peer_h {
        if let Some(context) = engine.with_chan(chan, |c| c.context.clone()) {
            engine.set_after_h(peer, context);
        }
        return;
    }
    let Some(go) = &o.callee_go_on else {
        return;
    };
    let Some((context, exten, priority)) =
        engine.with_chan(chan, |c| (c.context.clone(), c.exten.clone(), c.priority))
    else {
        return;
    };
    engine.set_after_go_on(
        peer,
        AfterGoOn {
            context,
            exten,
            priority,
            parseable: go.clone(),
        },
    );
}

/// Arms `S()` (and the plain `L(x)`) when the call is answered: the callee's absolute timeout.
pub fn arm_limit(engine: &Engine, peer: ChannelId, limit: &CallLimit) {
    if let CallLimit::HangupCallee(d) = limit {
        let at = engine.now() + *d;
        engine.set_absolute_timeout(peer, Some(at));
    }
}

/// Arms `L()`'s bridge hooks when the bridge is set up (`pre_bridge_setup`, after `D()`'s digits).
pub fn arm_bridge_limit(engine: &Engine, chan: ChannelId, peer: ChannelId, limit: &CallLimit) {
    if let CallLimit::Bridge(l) = limit {
        super::limit::arm(engine, chan, peer, l);
    }
}
