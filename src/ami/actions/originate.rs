//! `Originate`: a call from a channel (`Local/…` or a device) to an extension or an application, as
//! `action_originate` and `fast_originate` (main/manager.c) place it.
//!
//! The channel is requested and called; once it answers it runs `Context`/`Exten`/`Priority` (or the
//! `Application` with `Data`, then hangs up). With `Async: true` the answer is `Originate successfully
//! queued` at once and an `OriginateResponse` event reports the outcome; without it the server answers when
//! the call is answered or fails ([`run_waiting`]).

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use dialplan::engine::channel::FarEnd;
use dialplan::engine::device::PhoneLink;
use dialplan::engine::ops::{NewChannel, Waited};
use dialplan::engine::{
    ChannelId, ChannelState, Control, DeviceRequest, Engine, Exec, Frame, Interrupt, Party,
};
use std::time::Duration;

pub const DEF: ActionDef = ActionDef {
    name: "Originate",
    privilege: &["originate"],
    synopsis: "Originate a call.",
    run,
};

/// A validated request.
#[derive(Clone, Debug)]
pub struct Originate {
    tech: String,
    data: String,
    target: Target,
    timeout: Duration,
    caller: Party,
    vars: Vec<(String, String)>,
    action_id: Option<String>,
    is_async: bool,
}

#[derive(Clone, Debug)]
enum Target {
    Exten {
        context: String,
        exten: String,
        priority: i32,
    },
    App {
        app: String,
        data: String,
    },
}

/// How the call went: `reason` is the last control frame seen (4 answered, 5 busy, 8 congestion, 3 ringing,
/// 1 hung up, 0 nothing).
struct Outcome {
    chan: Option<ChannelId>,
    reason: i32,
}

fn run(ctx: &AmiContext<'_>, m: &Message) -> Reply {
    match parse(ctx.engine, m) {
        Ok(o) => {
            start(ctx.engine, o);
            Reply::success(m, Some("Originate successfully queued"))
        }
        Err(r) => r,
    }
}

/// Whether this request is answered only when the call is answered (`Async` not true).
pub fn waits(m: &Message) -> bool {
    !m.get("Async").is_some_and(crate::serve::perms::is_true)
}

/// Runs a synchronous `Originate`: the reply once the call is answered or has failed.
pub async fn run_waiting(engine: Engine, m: Message) -> Reply {
    match parse(&engine, &m) {
        Ok(o) => {
            let outcome = place(&engine, &o).await;
            if outcome.reason == 4 {
                Reply::success(&m, Some("Originate successfully queued"))
            } else {
                Reply::error(&m, "Originate failed")
            }
        }
        Err(r) => r,
    }
}

/// Checks the request as `action_originate` does, with its error texts and order.
pub fn parse(engine: &Engine, m: &Message) -> Result<Originate, Reply> {
    let get = |k: &str| m.get(k).unwrap_or("");
    let name = get("Channel");
    if name.is_empty() {
        return Err(Reply::error(m, "Channel not specified"));
    }
    let (context, exten) = (get("Context"), get("Exten"));
    let mut priority = 0;
    let prio_text = get("Priority");
    if !prio_text.is_empty() {
        match scan_int(prio_text) {
            Some(p) => priority = p,
            None => {
                let label = engine.plan().label(context, exten, prio_text, None);
                match label {
                    Some(p) if p >= 1 => priority = p,
                    _ => return Err(Reply::error(m, "Invalid priority")),
                }
            }
        }
    }
    let mut timeout = Duration::from_millis(30_000);
    let to_text = get("Timeout");
    if !to_text.is_empty() {
        match scan_int(to_text) {
            Some(t) => timeout = Duration::from_millis(t.max(0) as u64),
            None => return Err(Reply::error(m, "Invalid timeout")),
        }
    }
    let Some((tech, data)) = name.split_once('/') else {
        return Err(Reply::error(m, "Invalid channel"));
    };
    let caller = Party::parse(get("CallerID"));
    let app = get("Application");
    if priority != 0
        && !engine
            .plan()
            .exists(context, exten, priority, caller.number.as_deref())
    {
        return Err(Reply::error(m, "Extension does not exist."));
    }
    let target = if !app.is_empty() {
        Target::App {
            app: app.to_string(),
            data: get("Data").to_string(),
        }
    } else if priority != 0 {
        Target::Exten {
            context: context.to_string(),
            exten: exten.to_string(),
            priority,
        }
    } else {
        return Err(Reply::error(
            m,
            "Originate with 'Exten' requires 'Context' and 'Priority'",
        ));
    };
    Ok(Originate {
        tech: tech.to_string(),
        data: data.to_string(),
        target,
        timeout,
        caller,
        vars: variables(m),
        action_id: m
            .get("ActionID")
            .filter(|a| !a.is_empty())
            .map(str::to_string),
        is_async: !waits(m),
    })
}

/// `sscanf("%30d")`: an optional sign and leading digits.
fn scan_int(text: &str) -> Option<i32> {
    let t = text.trim_start();
    let (sign, rest) = match t.strip_prefix('-') {
        Some(r) => (-1i64, r),
        None => (1, t.strip_prefix('+').unwrap_or(t)),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let n: i64 = digits.parse().unwrap_or(i64::from(i32::MAX));
    Some((sign * n).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
}

/// `Variable:` headers, each holding one or more `name=value` items separated by commas.
fn variables(m: &Message) -> Vec<(String, String)> {
    m.get_all("Variable")
        .flat_map(|v| v.split(','))
        .filter_map(|item| {
            let (k, v) = item.split_once('=')?;
            let k = k.trim();
            (!k.is_empty()).then(|| (k.to_string(), v.to_string()))
        })
        .collect()
}

/// Starts the call in the background; an `OriginateResponse` reports how it went.
pub fn start(engine: &Engine, o: Originate) {
    let e = engine.clone();
    engine.spawn_local(async move {
        let outcome = place(&e, &o).await;
        if o.is_async {
            respond(&e, &o, &outcome);
        }
    });
}

/// Requests, calls and waits for the channel; on answer sends it on to its target.
async fn place(engine: &Engine, o: &Originate) -> Outcome {
    let Some(chan) = request(engine, o) else {
        return Outcome {
            chan: None,
            reason: 0,
        };
    };
    engine.set_caller(chan, o.caller.clone());
    for (k, v) in &o.vars {
        engine.set_var(chan, k, Some(v));
    }
    engine.set_reading(chan, true);
    if !engine.call(chan) {
        engine.hangup(chan);
        return Outcome {
            chan: None,
            reason: 0,
        };
    }
    let deadline = engine.now() + o.timeout;
    let mut reason = 0;
    loop {
        if !engine.is_alive(chan) || engine.interrupt(chan) == Some(Interrupt::Hangup) {
            if engine.is_alive(chan) {
                engine.hangup(chan);
            }
            return Outcome {
                chan: Some(chan),
                reason: if reason == 0 { 1 } else { reason },
            };
        }
        while let Some(f) = engine.read_frame(chan) {
            match f {
                Frame::Control(Control::Ringing) => reason = 3,
                Frame::Control(Control::Busy) => reason = 5,
                Frame::Control(Control::Congestion) => reason = 8,
                Frame::Control(Control::Answer) => reason = 4,
                _ => {}
            }
        }
        if engine.state(chan) == Some(ChannelState::Up) {
            break;
        }
        if reason == 5 || reason == 8 {
            engine.hangup(chan);
            return Outcome {
                chan: Some(chan),
                reason,
            };
        }
        if engine.wait(chan, Some(deadline)).await == Waited::Timeout {
            engine.hangup(chan);
            return Outcome {
                chan: Some(chan),
                reason,
            };
        }
    }
    engine.set_reading(chan, false);
    match &o.target {
        Target::Exten {
            context,
            exten,
            priority,
        } => {
            engine.set_location(chan, context, exten, *priority);
            engine.spawn_pbx(chan);
        }
        Target::App { app, data } => {
            let (e, app, data) = (engine.clone(), app.clone(), data.clone());
            engine.spawn_local(async move {
                run_app(&e, chan, &app, &data).await;
                if e.is_alive(chan) {
                    e.hangup(chan);
                }
            });
        }
    }
    Outcome {
        chan: Some(chan),
        reason: 4,
    }
}

/// `ast_pbx_run_app`: the application alone, then the channel is hung up.
async fn run_app(engine: &Engine, chan: ChannelId, app: &str, data: &str) {
    let Some(a) = engine.find_app(app) else {
        return;
    };
    engine.with_chan_mut(chan, |c| {
        c.appl = app.into();
        c.data = data.into();
    });
    match a.exec(engine, chan, data) {
        Exec::Done(_) => {}
        Exec::Pending(fut) => {
            fut.await;
        }
    }
}

fn request(engine: &Engine, o: &Originate) -> Option<ChannelId> {
    if o.tech.eq_ignore_ascii_case("Local") {
        let (one, _two) = engine.request_local(&o.data, None);
        return Some(one);
    }
    let resource = o.data.split('/').next().unwrap_or_default();
    let endpoint = resource.rsplit('@').next().unwrap_or(resource).to_string();
    let tech = canonical_tech(&o.tech);
    match engine.device_provider()?.request(engine, &tech, resource) {
        DeviceRequest::Phone(spec) => {
            let name = engine.next_channel_name(&tech, &endpoint);
            let mut nc = NewChannel::new(name, &tech, ChannelState::Down);
            nc.caller = spec.callerid.clone().unwrap_or_default();
            nc.far = FarEnd::Device(PhoneLink::new(spec));
            Some(engine.create_channel(nc))
        }
        DeviceRequest::Unavailable { log, .. } => {
            for l in log {
                engine.log_line(l);
            }
            None
        }
    }
}

fn canonical_tech(tech: &str) -> String {
    for known in ["PJSIP", "SIP", "IAX2", "DAHDI"] {
        if tech.eq_ignore_ascii_case(known) {
            return known.to_string();
        }
    }
    tech.to_string()
}

/// The `OriginateResponse` event.
fn respond(engine: &Engine, o: &Originate, outcome: &Outcome) {
    let (name, uniqueid) = match outcome
        .chan
        .and_then(|c| engine.with_chan(c, |ch| (ch.name.to_string(), ch.uniqueid.to_string())))
    {
        Some(x) => x,
        None => (format!("{}/{}", o.tech, o.data), "<unknown>".to_string()),
    };
    let ok = outcome.reason == 4;
    let num = o
        .caller
        .number
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "<unknown>".into());
    let cname = o
        .caller
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "<unknown>".into());
    engine.ami("OriginateResponse", "call", |f| {
        if let Some(id) = &o.action_id {
            f.push("ActionID", id.clone());
        }
        f.push("Response", if ok { "Success" } else { "Failure" });
        f.push("Channel", name);
        match &o.target {
            Target::App { app, data } => {
                f.push("Application", app.clone());
                f.push("Data", data.clone());
            }
            Target::Exten { context, exten, .. } => {
                f.push("Context", context.clone());
                f.push("Exten", exten.clone());
            }
        }
        f.push("Reason", outcome.reason.to_string());
        f.push("Uniqueid", uniqueid);
        f.push("CallerIDNum", num);
        f.push("CallerIDName", cname);
    });
}
