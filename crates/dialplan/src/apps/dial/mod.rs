//! `Dial(Tech/resource[&Tech/resource…][,timeout[,options[,URL]]])` (`apps/app_dial.c · dial_exec_full`,
//! `wait_for_answer`).
//!
//! The flow, as Asterisk runs it: reset the `DIAL…` variables; request a channel per item (`Local/…` is the
//! engine's own; any other technology is asked of the [`crate::engine::DeviceProvider`], which may first
//! rewrite the item for an emulated device); set each callee up (`DIALEDPEERNUMBER`, inherited variables,
//! caller id and connected line, `AppDial`); call them (`DialBegin`, `Called …`); wait for an answer
//! reading their control frames (`is ringing`, `is busy`, `answered`, timeouts, the caller hanging up);
//! then set `DIALSTATUS`/`DIALEDPEERNAME`/`DIALEDPEERNUMBER`, publish `DialEnd`, hand the feature letters
//! to the features module, answer the caller, and bridge both in a basic bridge until it ends, setting
//! `ANSWEREDTIME`/`DIALEDTIME`.
//!
//! Returns 0 for NOANSWER, BUSY, CONGESTION, CHANUNAVAIL; −1 for CANCEL, INVALIDARGS and after an answered
//! call's bridge ends — unless `g` and the caller is still up, or the caller left the bridge by async goto
//! (0, the PBX continues there).

pub mod extras;
pub mod limit;
pub mod options;

use crate::diag::LogLevel;
use crate::engine::ami::DialEvent;
use crate::engine::channel::{cause, FarEnd};
use crate::engine::ops::{NewChannel, Waited};
use crate::engine::{
    App, AppResult, BridgeKind, ChannelId, ChannelState, Control, DeviceRequest, Engine, Exec,
    Frame, Interrupt, LeaveReason, Party,
};
use options::{parse, parse_timeouts, split_item, Peer};
use std::rc::Rc;
use std::time::Duration;

pub struct Dial;

impl App for Dial {
    fn name(&self) -> &'static str {
        "Dial"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let engine = engine.clone();
        let data = data.to_string();
        Exec::Pending(Box::pin(async move { dial(engine, chan, data).await }))
    }
}

/// The variables Dial resets first, in Asterisk's order.
const RESET_VARS: [&str; 11] = [
    "DIALSTATUS",
    "DIALEDPEERNUMBER",
    "DIALEDPEERNAME",
    "ANSWEREDTIME",
    "ANSWEREDTIME_MS",
    "DIALEDTIME",
    "DIALEDTIME_MS",
    "RINGTIME",
    "RINGTIME_MS",
    "PROGRESSTIME",
    "PROGRESSTIME_MS",
];

/// One outgoing call.
struct Out {
    chan: ChannelId,
    peer: Peer,
    going: bool,
}

/// `struct cause_args`.
#[derive(Default)]
struct Causes {
    busy: u32,
    congestion: u32,
    nochan: u32,
}

impl Causes {
    /// `handle_cause`.
    fn count(&mut self, c: i32) {
        match c {
            cause::USER_BUSY => self.busy += 1,
            cause::CONGESTION => self.congestion += 1,
            cause::NO_ANSWER | cause::NORMAL_CLEARING => {}
            _ => self.nochan += 1,
        }
    }

    fn total(&self) -> u32 {
        self.busy + self.congestion + self.nochan
    }
}

enum Waited2 {
    Answered(usize),
    /// Nobody answered; `hangup`: the caller hung up (or was interrupted) ⇒ −1.
    NoAnswer {
        hangup: bool,
    },
}

async fn dial(engine: Engine, chan: ChannelId, data: String) -> AppResult {
    for v in RESET_VARS {
        engine.set_var(chan, v, Some(""));
    }
    if engine.interrupt(chan).is_some() {
        engine.verbose(3, "app_dial.c", || {
            "Caller hung up before dial.".to_string()
        });
        engine.set_var(chan, "DIALSTATUS", Some("CANCEL"));
        return AppResult::Hangup;
    }
    let args = parse(&data);
    let Ok(limit) = extras::duration_setup(&engine, chan, &args.options) else {
        return AppResult::Hangup;
    };
    extras::predial_caller(&engine, chan, &args.options).await;
    let mut status: &'static str = "INVALIDARGS";
    let mut num = Causes::default();
    let mut outs: Vec<Out> = Vec::new();
    let mut num_dialed = 0;
    let linkedid = engine.with_chan(chan, |c| c.linkedid.clone());
    let n_items = args.items.len();
    for (idx, item) in args.items.iter().enumerate() {
        num_dialed += 1;
        let Some(mut peer) = split_item(item) else {
            engine.log(LogLevel::Warning, "app_dial.c", || {
                "Dial argument takes format (technology/resource)".to_string()
            });
            return finish(&engine, chan, &mut outs, status, AppResult::Hangup, false);
        };
        if let Some(rw) = rewrite(&engine, chan, &peer) {
            peer = rw;
        }
        match request(&engine, &peer, linkedid.clone()) {
            Ok(tc) => {
                setup_callee(&engine, chan, tc, &peer);
                outs.push(Out {
                    chan: tc,
                    peer,
                    going: false,
                });
            }
            Err(c) => {
                let tech = peer.tech.clone();
                engine.log(LogLevel::Notice, "app_dial.c", || {
                    format!(
                        "Unable to create channel of type '{tech}' (cause {c} - {})",
                        cause::text(c)
                    )
                });
                num.count(c);
                if idx + 1 == n_items {
                    engine.set_hangupcause(chan, c);
                }
            }
        }
    }
    if num_dialed == 0 {
        engine.verbose(3, "app_dial.c", || {
            "No devices or endpoints to dial (technology/resource)".to_string()
        });
        return finish(
            &engine,
            chan,
            &mut outs,
            "CHANUNAVAIL",
            AppResult::Continue,
            false,
        );
    }
    let callees: Vec<ChannelId> = outs.iter().map(|o| o.chan).collect();
    extras::predial_callees(&engine, chan, &callees, &args.options).await;
    // Start every call.
    let mut i = 0;
    while i < outs.len() {
        let tc = outs[i].chan;
        let ok = engine.call(tc);
        if !ok {
            let iface = outs[i].peer.interface();
            engine.verbose(3, "app_dial.c", || format!("Couldn't call {iface}"));
            let c = engine.hangupcause(tc);
            if c != 0 {
                engine.set_hangupcause(chan, c);
            }
            engine.hangup(tc);
            outs.remove(i);
            continue;
        }
        engine.publish_dial(Some(chan), tc, DialEvent::Begin(&outs[i].peer.number));
        let iface = outs[i].peer.interface();
        engine.verbose(3, "app_dial.c", || format!("Called {iface}"));
        outs[i].going = true;
        i += 1;
        if engine.state(tc) == Some(ChannelState::Up) {
            break;
        }
    }
    let timeouts = parse_timeouts(&args.timeout_text);
    // `moh` in dial_exec_full: music started for `m` and not yet stopped.
    let mut moh = false;
    for w in &timeouts.warnings {
        let w = w.clone();
        engine.log(LogLevel::Warning, "app_dial.c", || w);
    }
    if outs.is_empty() {
        status = "CHANUNAVAIL";
    } else {
        status = "NOANSWER";
        if args.options.music {
            // `m[(class)]`: music on hold, then progress, before waiting [apps/app_dial.c ·
            // dial_exec_full; res/res_musiconhold.c · moh_post_start].
            let class = dial_moh_class(&engine, chan, args.options.music_class.as_deref());
            engine.moh_start(chan, &class);
            moh = true;
            engine.indicate(chan, Control::Progress);
        } else if args.options.ringback {
            engine.indicate(chan, Control::Ringing);
        }
    }
    let waited = wait_for_answer(
        &engine,
        chan,
        &mut outs,
        timeouts.answer,
        &mut num,
        &mut status,
        &args.options,
    )
    .await;
    let peer_idx = match waited {
        Waited2::NoAnswer { hangup } => {
            let res = if hangup {
                AppResult::Hangup
            } else {
                AppResult::Continue
            };
            stop_moh(&engine, chan, &mut moh);
            // `out:`: `c`, or a caller itself hung up as answered elsewhere, passes answered elsewhere
            // on to the callees still ringing (ahead of a cancel's cause) [apps/app_dial.c ·
            // dial_exec_full].
            if args.options.cancel_elsewhere
                || engine.hangupcause(chan) == cause::ANSWERED_ELSEWHERE
            {
                for o in outs.iter().filter(|o| engine.is_alive(o.chan)) {
                    engine.set_hangupcause(o.chan, cause::ANSWERED_ELSEWHERE);
                }
            }
            return finish(&engine, chan, &mut outs, status, res, args.options.go_on);
        }
        Waited2::Answered(i) => i,
    };
    if args.options.caller_answer && engine.state(chan) != Some(ChannelState::Up) {
        // `a`: ast_answer on the caller first, before the other callees are hung up, `U()`, `G()` or
        // `D()` [apps/app_dial.c · dial_exec_full]; its result is not looked at.
        let _ = engine.answer(chan, Duration::ZERO).await;
    }
    let peer = outs[peer_idx].chan;
    // Everybody else: answered elsewhere, or `Q()`'s cause.
    let others = others_cause(&engine, args.options.others_cause.as_deref());
    for (j, o) in outs.iter().enumerate() {
        if j != peer_idx && engine.is_alive(o.chan) {
            engine.set_hangupcause(o.chan, others);
            engine.hangup(o.chan);
        }
    }
    let peer_name = engine
        .chan_name(peer)
        .map(|n| n.to_string())
        .unwrap_or_default();
    let number = engine
        .chan_var(peer, "DIALEDPEERNUMBER")
        .filter(|n| !n.is_empty());
    status = "ANSWER";
    engine.set_var(chan, "DIALSTATUS", Some(status));
    engine.set_var(chan, "DIALEDPEERNAME", Some(&peer_name));
    engine.set_var(chan, "DIALEDPEERNUMBER", number.as_deref());
    outs.retain(|o| o.chan == peer);

    if let Some(dest) = &args.options.goto {
        // G(): caller and callee go into the dialplan; nobody is answered or bridged.
        let _ = crate::apps::goto::explicit(&engine, chan, dest);
        if let Some((ctx, exten, prio)) =
            engine.with_chan(chan, |c| (c.context.clone(), c.exten.clone(), c.priority))
        {
            engine.set_location(peer, &ctx, &exten, prio + 2);
        }
        engine.set_notify(peer, Rc::new(crate::engine::notify::Notify::new()));
        engine.set_reading(peer, false);
        engine.spawn_pbx(peer);
        engine.publish_dial(Some(chan), peer, DialEvent::End("ANSWER"));
        return AppResult::Continue;
    }
    if let extras::GosubOutcome::Stop {
        status: new_status,
        go_on,
        dial_end,
    } = extras::callee_gosub(&engine, chan, peer, &args.options).await
    {
        engine.publish_dial(Some(chan), peer, DialEvent::End(&dial_end));
        if engine.interrupt(chan) != Some(Interrupt::Hangup) && !engine.is_alive(peer) {
            let c = engine.hangupcause(peer);
            engine.set_hangupcause(chan, c);
        }
        extras::set_callee_go_on(&engine, chan, peer, &args.options);
        if engine.is_alive(peer) {
            if let Some(context) = engine.take_after_h(peer) {
                // `e`: ast_bridge_setup_after_goto runs the callee's `h` here, on the caller's
                // thread, and the callee is then hung up [apps/app_dial.c · dial_exec_full].
                Box::pin(engine.run_h_in(peer, &context)).await;
                engine.hangup(peer);
            } else if engine.setup_after_goto(peer) {
                engine.set_notify(peer, Rc::new(crate::engine::notify::Notify::new()));
                engine.set_reading(peer, false);
                engine.spawn_pbx(peer);
            } else {
                engine.hangup(peer);
            }
        }
        // `out:`: the caller's music (`m`) stops before DIALSTATUS is set.
        stop_moh(&engine, chan, &mut moh);
        let final_status = new_status.unwrap_or_else(|| status.to_string());
        engine.set_reading(chan, false);
        engine.set_var(chan, "DIALSTATUS", Some(&final_status));
        let go_on = go_on || args.options.go_on;
        return if go_on && engine.interrupt(chan).is_none() {
            AppResult::Continue
        } else {
            AppResult::Hangup
        };
    }
    engine.publish_dial(Some(chan), peer, DialEvent::End("ANSWER"));
    extras::arm_limit(&engine, peer, &limit);
    let mut failed = false;
    if let Some(d) = &args.options.dtmf_called {
        let d2 = d.clone();
        engine.verbose(3, "app_dial.c", || {
            format!("Sending DTMF '{d2}' to the called party.")
        });
        failed |= engine
            .send_dtmf(peer, d, Duration::from_millis(250), Duration::ZERO)
            .await
            .is_err();
    }
    if let Some(d) = &args.options.dtmf_calling {
        let d2 = d.clone();
        engine.verbose(3, "app_dial.c", || {
            format!("Sending DTMF '{d2}' to the calling party.")
        });
        failed |= engine
            .send_dtmf(chan, d, Duration::from_millis(250), Duration::ZERO)
            .await
            .is_err();
    }
    if failed || !engine.is_alive(peer) || engine.interrupt(chan).is_some() {
        if engine.is_alive(peer) {
            engine.hangup(peer);
        }
        // Then `out:` stops the caller's music.
        stop_moh(&engine, chan, &mut moh);
        return finish(
            &engine,
            chan,
            &mut Vec::new(),
            status,
            AppResult::Hangup,
            false,
        );
    }
    // Always called, even without letters: the features module also reads `BRIDGE_FEATURES` on the caller
    // (`pre_bridge_setup` does that for every bridged Dial).
    if let Some(features) = engine.bridge_features() {
        features.dial_letters(&engine, chan, peer, &args.options.features);
    }
    // The caller's music stops once the bridge features are set up, just before the bridge.
    stop_moh(&engine, chan, &mut moh);
    extras::set_callee_go_on(&engine, chan, peer, &args.options);
    extras::arm_bridge_limit(&engine, chan, peer, &limit);
    let why = bridge_call(&engine, chan, peer).await;
    engine.clear_interval_hooks(chan);
    // end_bridge_callback, which ast_bridge_call_with_flags runs only when the bridge returns -1: a caller
    // sent elsewhere by an async goto (a parking timeout, a Redirect, a blind transfer) gets no
    // ANSWEREDTIME/DIALEDTIME [main/features.c · ast_bridge_call_with_flags].
    let now = engine.now();
    let durations = (why != LeaveReason::AsyncGoto)
        .then(|| engine.with_chan(chan, |c| (c.answered_at, c.created())))
        .flatten();
    if let Some((up, created)) = durations {
        let answered = up.map_or(0, |u| now.saturating_sub(u).as_millis() as u64);
        set_duration_var(&engine, chan, "ANSWEREDTIME", answered);
        set_duration_var(
            &engine,
            chan,
            "DIALEDTIME",
            now.saturating_sub(created).as_millis() as u64,
        );
    }
    let res = if why == LeaveReason::AsyncGoto {
        AppResult::Continue
    } else {
        AppResult::Hangup
    };
    finish(
        &engine,
        chan,
        &mut Vec::new(),
        status,
        res,
        args.options.go_on,
    )
}

/// The `out:` part of `dial_exec_full`: remaining callees hung up, `DIALSTATUS` set, `g` applied.
fn finish(
    engine: &Engine,
    chan: ChannelId,
    outs: &mut Vec<Out>,
    status: &str,
    res: AppResult,
    go_on: bool,
) -> AppResult {
    for o in outs.drain(..) {
        if engine.is_alive(o.chan) {
            engine.hangup(o.chan);
        }
    }
    engine.set_reading(chan, false);
    engine.set_var(chan, "DIALSTATUS", Some(status));
    if go_on && engine.interrupt(chan).is_none() {
        return AppResult::Continue;
    }
    res
}

/// The cause the callees that did not answer are hung up with: `Q(cause)` read as a cause name, `NONE`
/// (0) or a number not below 0; anything else warns and, like no `Q`, gives answered elsewhere (26)
/// [apps/app_dial.c · dial_exec_full; main/channel.c · ast_str2cause].
fn others_cause(engine: &Engine, written: Option<&str>) -> i32 {
    let Some(text) = written else {
        return cause::ANSWERED_ELSEWHERE;
    };
    if let Some(c) = cause::from_name(text).filter(|&c| c > 0) {
        return c;
    }
    if text.eq_ignore_ascii_case("NONE") {
        return 0;
    }
    // sscanf's `%d`: blanks, at most one sign, then a digit.
    let t = text.trim_start();
    let numeric = t
        .strip_prefix(['+', '-'])
        .unwrap_or(t)
        .starts_with(|c: char| c.is_ascii_digit());
    let n = crate::apps::args::atoi(text);
    if numeric && (0..=i64::from(i32::MAX)).contains(&n) {
        return n as i32;
    }
    let text = text.to_string();
    engine.log(LogLevel::Warning, "app_dial.c", || {
        format!("Invalid cause given to Dial(...Q(<cause>)): \"{text}\"")
    });
    cause::ANSWERED_ELSEWHERE
}

/// The class Dial's `m` plays: `m(class)` sets the caller's class for the start, so that class wins;
/// plain `m` takes the caller's own class, else `default` (`ast_moh_start` with `preferchannelclass=yes`)
/// [apps/app_dial.c · dial_exec_full; res/res_musiconhold.c · local_ast_moh_start].
fn dial_moh_class(engine: &Engine, chan: ChannelId, written: Option<&str>) -> String {
    if let Some(class) = written {
        return class.to_string();
    }
    let own = engine
        .with_chan(chan, |c| c.musicclass().to_string())
        .unwrap_or_default();
    if own.is_empty() {
        "default".to_string()
    } else {
        own
    }
}

/// `if (moh) { moh = 0; ast_moh_stop(chan); }`: stops the music Dial's `m` started, once.
fn stop_moh(engine: &Engine, chan: ChannelId, moh: &mut bool) {
    if std::mem::take(moh) {
        engine.moh_stop(chan);
    }
}

fn set_duration_var(engine: &Engine, chan: ChannelId, base: &str, ms: u64) {
    use crate::engine::numtext::dec;
    engine.set_var(chan, base, Some(&dec(ms / 1000)));
    let mut name = String::with_capacity(base.len() + 3);
    name.push_str(base);
    name.push_str("_MS");
    engine.set_var(chan, &name, Some(&dec(ms)));
}

/// An emulated device: the provider rewrites the item, and the trace says so.
fn rewrite(engine: &Engine, chan: ChannelId, peer: &Peer) -> Option<Peer> {
    let provider = engine.device_provider()?;
    let rw = provider.rewrite(engine, &peer.tech, &peer.number)?;
    let to = Peer {
        tech: rw.tech.clone(),
        number: rw.resource.clone(),
    };
    let (from, to_text) = (peer.interface(), to.interface());
    engine.dialsim("DialsimDialRewrite", |f| {
        if let Some(n) = engine.chan_name(chan) {
            f.push("Channel", &*n);
        }
        f.push("DialString", from.clone());
        f.push("RewrittenTo", to_text.clone());
        if let Some(note) = &rw.note {
            f.push("Note", note.clone());
        }
    });
    engine.explain(
        crate::engine::codes::DIAL_REWRITE,
        Some(chan),
        &format!("'{from}' is an emulated device: dialled as '{to_text}'"),
        rw.note.as_deref(),
    );
    Some(to)
}

/// `ast_request`: a Local pair (its `;1`), or a phone through the device provider.
fn request(engine: &Engine, peer: &Peer, linkedid: Option<Rc<str>>) -> Result<ChannelId, i32> {
    if peer.tech.eq_ignore_ascii_case("Local") {
        let (one, _two) = engine.request_local(&peer.number, linkedid);
        return Ok(one);
    }
    let tech = canonical_tech(&peer.tech);
    let resource = peer.number.split('/').next().unwrap_or_default();
    let endpoint = resource.rsplit('@').next().unwrap_or(resource).to_string();
    let answer = match engine.device_provider() {
        Some(p) => p.request(engine, &tech, resource),
        None if tech == "PJSIP" => DeviceRequest::Unavailable {
            cause: cause::NO_ROUTE_DESTINATION,
            log: vec![crate::diag::LogLine::new(
                LogLevel::Error,
                "chan_pjsip.c",
                format!("Unable to create PJSIP channel - endpoint '{endpoint}' was not found"),
            )],
            explain: None,
        },
        None => DeviceRequest::Unavailable {
            cause: 66,
            log: vec![crate::diag::LogLine::new(
                LogLevel::Warning,
                "channel.c",
                format!("No channel type registered for '{tech}'"),
            )],
            explain: None,
        },
    };
    match answer {
        DeviceRequest::Phone(spec) => {
            let name = engine.next_channel_name(&tech, &endpoint);
            let mut nc = NewChannel::new(name, &tech, ChannelState::Down);
            nc.linkedid = linkedid;
            nc.caller = spec.callerid.clone().unwrap_or_default();
            nc.far = FarEnd::Device(crate::engine::device::PhoneLink::new(spec));
            Ok(engine.create_channel(nc))
        }
        DeviceRequest::Unavailable {
            cause,
            log,
            explain,
        } => {
            for l in log {
                engine.log_line(l);
            }
            if let Some(e) = explain {
                engine.explain(crate::engine::codes::UNDECLARED_DEVICE, None, &e, None);
            }
            Err(cause)
        }
    }
}

/// The driver names Asterisk uses in channel names.
fn canonical_tech(tech: &str) -> String {
    for known in ["PJSIP", "SIP", "IAX2", "DAHDI", "Local"] {
        if tech.eq_ignore_ascii_case(known) {
            return known.to_string();
        }
    }
    tech.to_string()
}

/// Sets a requested callee up as `dial_exec_full` does, then publishes one snapshot update
/// (`Newexten`, `NewCallerid`, `NewConnectedLine`).
fn setup_callee(engine: &Engine, chan: ChannelId, tc: ChannelId, peer: &Peer) {
    engine.set_var(tc, "DIALEDPEERNUMBER", Some(&peer.number));
    engine.inherit_variables(chan, tc);
    let Some((exten, caller, connected, moh)) = engine.with_chan(chan, |c| {
        (
            c.exten.clone(),
            c.caller.clone(),
            c.connected.clone(),
            c.musicclass().to_string(),
        )
    }) else {
        return;
    };
    let before = engine.with_chan(tc, |c| (c.caller.clone(), c.connected.clone()));
    engine.with_chan_mut(tc, |c| {
        c.appl = Rc::from("AppDial");
        c.data = Rc::from("(Outgoing Line)");
        let no_number = c.caller.number.as_deref().is_none_or(str::is_empty);
        let no_name = c.caller.name.as_deref().is_none_or(str::is_empty);
        let conn_name = connected.name.clone().filter(|n| !n.is_empty());
        if no_number {
            // The dialplan extension stands in for a caller id the driver did not preset.
            c.caller = Party {
                number: Some(exten.clone()),
                name: conn_name,
            };
        } else if no_name && conn_name.is_some() {
            c.caller.name = conn_name;
        }
        c.connected = caller.clone();
        if c.musicclass().is_empty() {
            c.set_musicclass(moh.clone());
        }
        c.exten = exten.clone();
    });
    engine.newexten(tc);
    let after = engine.with_chan(tc, |c| (c.caller.clone(), c.connected.clone()));
    if let (Some(b), Some(a)) = (before, after) {
        if a.0 != b.0 {
            engine.chan_event("NewCallerid", "call", tc, |f| {
                f.push("CID-CallingPres", "0 (Presentation Allowed, Not Screened)");
            });
        }
        if a.1 != b.1 {
            engine.chan_event("NewConnectedLine", "call", tc, |_| {});
        }
    }
}

fn set_ms_var(engine: &Engine, chan: ChannelId, base: &str, since: Duration) {
    let ms = engine.now().saturating_sub(since).as_millis() as u64;
    set_duration_var(engine, chan, base, ms);
}

/// `wait_for_answer`.
async fn wait_for_answer(
    engine: &Engine,
    chan: ChannelId,
    outs: &mut [Out],
    answer_timeout: Option<Duration>,
    num: &mut Causes,
    status: &mut &'static str,
    opts: &options::Options,
) -> Waited2 {
    let Some(notify) = engine.notify_of(chan) else {
        return Waited2::NoAnswer { hangup: true };
    };
    for o in outs.iter() {
        engine.set_notify(o.chan, notify.clone());
        engine.set_reading(o.chan, true);
    }
    engine.set_reading(chan, true);
    let prestart = num.total();
    let deadline = answer_timeout.map(|d| engine.now() + d);
    let mut sent_ring = false;
    let mut sent_progress = false;
    let mut sentringing = false;
    // `single` in wait_for_answer: exactly one callee.
    let single = outs.len() == 1;
    loop {
        if !outs.iter().any(|o| o.going) {
            let numlines = prestart + outs.len() as u32;
            if numlines == num.total() {
                let (b, c, n) = (num.busy, num.congestion, num.nochan);
                engine.verbose(2, "app_dial.c", || {
                    format!("Everyone is busy/congested at this time ({numlines}:{b}/{c}/{n})")
                });
                if num.busy > 0 {
                    *status = "BUSY";
                } else if num.congestion > 0 {
                    *status = "CONGESTION";
                } else if num.nochan > 0 {
                    *status = "CHANUNAVAIL";
                }
            } else {
                let (b, c, n) = (num.busy, num.congestion, num.nochan);
                engine.verbose(3, "app_dial.c", || {
                    format!("No one is available to answer at this time ({numlines}:{b}/{c}/{n})")
                });
            }
            return Waited2::NoAnswer { hangup: false };
        }
        for idx in 0..outs.len() {
            if !outs[idx].going {
                continue;
            }
            let c = outs[idx].chan;
            loop {
                if engine.state(c) == Some(ChannelState::Up) {
                    answered(engine, chan, c);
                    for (j, o) in outs.iter().enumerate() {
                        if j != idx && o.going {
                            engine.publish_dial(Some(chan), o.chan, DialEvent::End("CANCEL"));
                        }
                    }
                    return Waited2::Answered(idx);
                }
                if !engine.is_alive(c) || engine.interrupt(c) == Some(Interrupt::Hangup) {
                    let cc = engine.hangupcause(c);
                    engine.set_hangupcause(chan, cc);
                    engine.publish_dial(Some(chan), c, DialEvent::End(cause::dial_status(cc)));
                    engine.hangup(c);
                    outs[idx].going = false;
                    num.count(cc);
                    break;
                }
                let Some(frame) = engine.read_frame(c) else {
                    break;
                };
                match frame {
                    Frame::Control(Control::Busy) | Frame::Control(Control::Congestion) => {
                        let busy = frame == Frame::Control(Control::Busy);
                        let name = engine.chan_name(c).unwrap_or_default();
                        engine.verbose(3, "app_dial.c", || {
                            if busy {
                                format!("{name} is busy")
                            } else {
                                format!("{name} is circuit-busy")
                            }
                        });
                        let cc = engine.hangupcause(c);
                        engine.set_hangupcause(chan, cc);
                        engine.publish_dial(
                            Some(chan),
                            c,
                            DialEvent::End(if busy { "BUSY" } else { "CONGESTION" }),
                        );
                        engine.hangup(c);
                        outs[idx].going = false;
                        num.count(if busy {
                            cause::USER_BUSY
                        } else {
                            cause::CONGESTION
                        });
                        break;
                    }
                    Frame::Control(Control::Ringing) => {
                        let name = engine.chan_name(c).unwrap_or_default();
                        engine.verbose(3, "app_dial.c", || format!("{name} is ringing"));
                        // No ringing over `m`'s music or `r(tone)`'s tones.
                        let entertained =
                            opts.music || (opts.ringback && opts.ringback_tone.is_some());
                        if !sentringing && !entertained {
                            engine.indicate(chan, Control::Ringing);
                            sentringing = true;
                        }
                        if !sent_ring {
                            let created =
                                engine.with_chan(c, |ch| ch.created()).unwrap_or_default();
                            set_ms_var(engine, chan, "RINGTIME", created);
                            sent_ring = true;
                        }
                        engine.publish_dial(Some(chan), c, DialEvent::State("RINGING"));
                    }
                    Frame::Control(Control::Progress) => {
                        let (name, in_name) = (
                            engine.chan_name(c).unwrap_or_default(),
                            engine.chan_name(chan).unwrap_or_default(),
                        );
                        engine.verbose(3, "app_dial.c", || {
                            format!("{name} is making progress passing it to {in_name}")
                        });
                        // Progress reaches the caller unless `r` rings it; with several callees only
                        // while no ringing was sent.
                        if !opts.ringback && (single || !sentringing) {
                            engine.indicate(chan, Control::Progress);
                        }
                        if !sent_progress {
                            let created =
                                engine.with_chan(c, |ch| ch.created()).unwrap_or_default();
                            set_ms_var(engine, chan, "PROGRESSTIME", created);
                            sent_progress = true;
                        }
                        engine.publish_dial(Some(chan), c, DialEvent::State("PROGRESS"));
                    }
                    Frame::Control(Control::Proceeding) => {
                        let (name, in_name) = (
                            engine.chan_name(c).unwrap_or_default(),
                            engine.chan_name(chan).unwrap_or_default(),
                        );
                        engine.verbose(3, "app_dial.c", || {
                            format!("{name} is proceeding passing it to {in_name}")
                        });
                        engine.indicate(chan, Control::Proceeding);
                        engine.publish_dial(Some(chan), c, DialEvent::State("PROCEEDING"));
                    }
                    // Answer is seen through the state (read_frame made the channel Up).
                    _ => {}
                }
            }
        }
        if engine.interrupt(chan).is_some() {
            *status = "CANCEL";
            for o in outs.iter().filter(|o| o.going) {
                engine.publish_dial(Some(chan), o.chan, DialEvent::End("CANCEL"));
            }
            let cancel_cause = match engine.hangupcause(chan) {
                0 => cause::NORMAL_CLEARING,
                c => c,
            };
            for o in outs.iter_mut() {
                if engine.is_alive(o.chan) {
                    engine.set_hangupcause(o.chan, cancel_cause);
                }
            }
            return Waited2::NoAnswer { hangup: true };
        }
        while engine.read_frame(chan).is_some() {}
        if engine.wait(chan, deadline).await == Waited::Timeout {
            if let Some(t) = answer_timeout {
                let ms = t.as_millis();
                engine.verbose(3, "app_dial.c", || format!("Nobody picked up in {ms} ms"));
            }
            for o in outs.iter().filter(|o| o.going) {
                engine.publish_dial(Some(chan), o.chan, DialEvent::End("NOANSWER"));
            }
            return Waited2::NoAnswer { hangup: false };
        }
    }
}

/// A callee answered: the `answered` line and the callee's dialplan position cleared.
fn answered(engine: &Engine, chan: ChannelId, c: ChannelId) {
    let (name, in_name) = (
        engine.chan_name(c).unwrap_or_default(),
        engine.chan_name(chan).unwrap_or_default(),
    );
    engine.verbose(3, "app_dial.c", || format!("{name} answered {in_name}"));
    engine.with_chan_mut(c, |ch| ch.exten.clear());
    engine.set_hangupcause(chan, cause::NORMAL_CLEARING);
    engine.set_hangupcause(c, cause::NORMAL_CLEARING);
}

/// `ast_bridge_call`: answers the caller, creates a basic bridge, imparts the callee and joins the caller.
async fn bridge_call(engine: &Engine, chan: ChannelId, peer: ChannelId) -> LeaveReason {
    engine.set_reading(peer, false);
    engine.set_reading(chan, false);
    engine.raw_answer(chan);
    let bridge = engine.create_bridge(BridgeKind::Basic, "", "", None);
    engine.newexten(peer);
    if !engine.bridge_impart(bridge, peer) {
        engine.hangup(peer);
        engine.destroy_bridge(bridge);
        return LeaveReason::Kicked;
    }
    if !engine.bridge_push(bridge, chan) {
        engine.bridge_kick(peer);
        return LeaveReason::Kicked;
    }
    engine.bridge_run(chan).await
}
