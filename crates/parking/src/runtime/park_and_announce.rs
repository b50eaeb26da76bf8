//! `ParkAndAnnounce([lot],[options],announce_template,dial)`: the channel parks itself silently and a new
//! call to `dial` hears where. [res/parking/parking_applications.c · park_and_announce_app_exec,
//! park_announce_update_cb, announce_to_dial]
//!
//! Errors, each returning −1: no arguments, no template, no dial string, a dial string without `/`. The lot
//! and options are read as `Park`'s (its `t`, `c`, `m`, `r`, `R`; the parkee never hears its space). Once
//! the call is parked (`ParkedCall`), `Tech/resource` is requested with the parkee's caller id, `_PARKEDAT`
//! and the parkee's inheritable variables, and given 30 s to answer (else WARNING `PARK: Unable to allocate
//! announce channel.`); it then hears the template — `:`-separated prompts, `PARKED` saying the space — and
//! is hung up. The parkee otherwise behaves as with `Park`.

use super::events::{publish, ParkingEvent};
use super::park::{
    channel_lot_name, find_lot, generate_parked_user, lot_bridge, transfer_dial_string, ParkRequest,
};
use super::park_app::{parse as parse_park, self_parker_name};
use super::say::say_digits;
use super::ParkingModule;
use dialplan::apps::args::{arg, standard_args};
use dialplan::diag::LogLevel;
use dialplan::engine::channel::{cause, FarEnd, Party};
use dialplan::engine::device::PhoneLink;
use dialplan::engine::media::Played;
use dialplan::engine::ops::{NewChannel, Waited};
use dialplan::engine::{
    App, AppResult, ChannelId, ChannelState, DeviceRequest, Engine, Exec, Interrupt, LeaveReason,
};
use std::time::Duration;

/// How long the announce call may ring.
pub const ANNOUNCE_ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// The `ParkAndAnnounce` application.
pub struct ParkAndAnnounce {
    pub(crate) module: ParkingModule,
}

/// ParkAndAnnounce's arguments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnnounceArgs {
    pub template: String,
    pub dial: String,
}

/// Checks the arguments as Asterisk does; `Err` is its ERROR text.
pub fn parse(data: &str) -> Result<AnnounceArgs, String> {
    if data.is_empty() {
        return Err("ParkAndAnnounce has required arguments. No arguments were provided.".into());
    }
    let a = standard_args(data, 5);
    let (template, dial) = (arg(&a, 2), arg(&a, 3));
    if template.is_empty() {
        return Err("ParkAndAnnounce requires the announce_template argument.".into());
    }
    if dial.is_empty() {
        return Err("ParkAndAnnounce requires the dial argument.".into());
    }
    if !dial.contains('/') {
        return Err(format!(
            "ParkAndAnnounce dial string '{dial}' is improperly formed."
        ));
    }
    Ok(AnnounceArgs {
        template: template.to_string(),
        dial: dial.to_string(),
    })
}

/// The template's items in order (`strsep` on `:`, empty items kept).
pub fn template_items(template: &str) -> Vec<&str> {
    template.split(':').collect()
}

impl App for ParkAndAnnounce {
    fn name(&self) -> &'static str {
        "ParkAndAnnounce"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, args: &str) -> Exec {
        let (module, engine, data) = (self.module.clone(), engine.clone(), args.to_string());
        Exec::Pending(Box::pin(async move {
            park_and_announce(&module, &engine, chan, &data).await
        }))
    }
}

async fn park_and_announce(
    module: &ParkingModule,
    engine: &Engine,
    chan: ChannelId,
    data: &str,
) -> AppResult {
    let announce = match parse(data) {
        Ok(a) => a,
        Err(text) => {
            engine.log(LogLevel::Error, "parking_applications.c", || text);
            return AppResult::Hangup;
        }
    };
    if engine.state(chan) != Some(ChannelState::Up)
        && engine.answer(chan, Duration::ZERO).await.is_err()
    {
        return AppResult::Hangup;
    }
    let args = parse_park(data);
    for line in &args.log {
        engine.log_line(line.clone());
    }
    let opts = &args.options;
    let lot_name = args
        .lot
        .clone()
        .unwrap_or_else(|| channel_lot_name(engine, chan));
    let Some(lot) = find_lot(module, engine, &lot_name, chan) else {
        engine.log(LogLevel::Error, "parking_applications.c", || {
            format!("Could not find parking lot: '{lot_name}'")
        });
        return AppResult::Continue;
    };
    let bridge = lot_bridge(module, engine, lot);
    let blind = engine.get_var(chan, "BLINDTRANSFER").unwrap_or_default();
    let parker_channel_name = self_parker_name(engine, chan, &blind);
    let request = ParkRequest {
        lot,
        parkee: chan,
        parker_channel_name,
        parker_dial_string: transfer_dial_string(engine, chan),
        randomize: opts.randomize,
        time_limit: opts.time_limit,
        comeback: opts.comeback.clone(),
        idle: opts.idle(module, lot),
        idle_at_once: true,
    };
    let Ok(space) = generate_parked_user(module, engine, request) else {
        return AppResult::Continue;
    };
    let user = module.state().users.get(&chan).cloned();
    if let Some(user) = user {
        publish(
            engine,
            ParkingEvent::Parked,
            &user,
            &module.lot_cfg(lot).name,
        );
    }
    // The subscription sees the ParkedCall message and calls `dial`.
    let e = engine.clone();
    engine.spawn_local(async move {
        announce_to_dial(&e, &announce, space, chan).await;
    });
    if !engine.bridge_push(bridge, chan) {
        return AppResult::Continue;
    }
    match engine.bridge_run(chan).await {
        LeaveReason::AsyncGoto => AppResult::Continue,
        _ => AppResult::Hangup,
    }
}

/// `announce_to_dial`.
async fn announce_to_dial(engine: &Engine, a: &AnnounceArgs, space: u32, parkee: ChannelId) {
    let (tech, resource) = a.dial.split_once('/').unwrap_or((a.dial.as_str(), ""));
    engine.verbose(3, "parking_applications.c", || {
        format!("Dial Tech,String: ({tech},{resource})")
    });
    let Some(dchan) = request_and_dial(engine, tech, resource, space, parkee).await else {
        engine.log(LogLevel::Warning, "parking_applications.c", || {
            "PARK: Unable to allocate announce channel.".to_string()
        });
        return;
    };
    let template = a.template.clone();
    engine.verbose(4, "parking_applications.c", || {
        format!("Announce Template: {template}")
    });
    for item in template_items(&a.template) {
        engine.verbose(4, "parking_applications.c", || format!("Announce:{item}"));
        if item == "PARKED" {
            if say_digits(engine, dchan, space).await.is_err() {
                break;
            }
        } else {
            match engine.play(dchan, item).await {
                Ok(Played::Missing) => {
                    let name = engine
                        .chan_name(dchan)
                        .map(|n| n.to_string())
                        .unwrap_or_default();
                    let item = item.to_string();
                    engine.log(LogLevel::Warning, "parking_applications.c", || {
                        format!("ast_streamfile of {item} failed on {name}")
                    });
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    }
    if engine.is_alive(dchan) {
        engine.hangup(dchan);
    }
}

/// `__ast_request_and_dial`: the channel, its caller id and variables, the call, and up to 30 s for the
/// answer; `None` when it cannot be had or does not answer (it is hung up then).
async fn request_and_dial(
    engine: &Engine,
    tech: &str,
    resource: &str,
    space: u32,
    parkee: ChannelId,
) -> Option<ChannelId> {
    let chan = if tech.eq_ignore_ascii_case("Local") {
        engine.request_local(resource, None).0
    } else {
        let provider = engine.device_provider()?;
        match provider.request(engine, tech, resource) {
            DeviceRequest::Phone(spec) => {
                let endpoint = resource.split('/').next().unwrap_or(resource);
                let name = engine.next_channel_name(tech, endpoint);
                let mut nc = NewChannel::new(name, tech, ChannelState::Down);
                nc.caller = spec.callerid.clone().unwrap_or_default();
                nc.far = FarEnd::Device(PhoneLink::new(spec));
                engine.create_channel(nc)
            }
            DeviceRequest::Unavailable { log, .. } => {
                for l in log {
                    engine.log_line(l);
                }
                unable(engine, "request", tech, resource);
                return None;
            }
        }
    };
    // The variable list is built as `inherit_channel_vars_from_id` does: each inheritable variable of the
    // parkee (walked newest first) is put in front of `_PARKEDAT`, so they are set oldest first and
    // `_PARKEDAT` last (`ast_set_variables`, each with its `VarSet`).
    let inherited = engine
        .with_chan(parkee, |c| c.vars.inheritable())
        .unwrap_or_default();
    for v in inherited.iter().rev() {
        engine.set_var(chan, v.full_name(), Some(v.value()));
    }
    engine.set_var(chan, "_PARKEDAT", Some(&space.to_string()));
    // `ast_set_callerid` with the parkee's number and name, then the connected line set to the same: each
    // publishes a snapshot, which makes `NewCallerid` / `NewConnectedLine` only when it changed.
    let cid = engine
        .with_chan(parkee, |c| c.caller.clone())
        .unwrap_or_default();
    let cid = Party {
        number: Some(cid.number.unwrap_or_default()),
        name: Some(cid.name.unwrap_or_default()),
    };
    let (caller, connected) = engine
        .with_chan(chan, |c| (c.caller.clone(), c.connected.clone()))
        .unwrap_or_default();
    if !same_party(&caller, &cid) {
        engine.set_caller(chan, cid.clone());
    }
    if !same_party(&connected, &cid) {
        engine.set_connected(chan, cid);
    }
    engine.set_reading(chan, true);
    let called = engine.call(chan);
    if !called {
        unable(engine, "call", tech, resource);
        engine.hangup(chan);
        return None;
    }
    let deadline = engine.now() + ANNOUNCE_ANSWER_TIMEOUT;
    loop {
        if !engine.is_alive(chan) || engine.interrupt(chan) == Some(Interrupt::Hangup) {
            if engine.is_alive(chan) {
                engine.hangup(chan);
            }
            return None;
        }
        while engine.read_frame(chan).is_some() {}
        if engine.state(chan) == Some(ChannelState::Up) {
            engine.set_reading(chan, false);
            return Some(chan);
        }
        if engine.wait(chan, Some(deadline)).await == Waited::Timeout {
            // Still ringing after the 30 s: "no answer".
            if engine.state(chan) == Some(ChannelState::Ringing) {
                engine.set_hangupcause(chan, cause::NO_ANSWER);
            }
            engine.hangup(chan);
            return None;
        }
    }
}

/// `__ast_request_and_dial`'s NOTICE when the channel cannot be requested or called.
fn unable(engine: &Engine, what: &'static str, tech: &str, resource: &str) {
    let (tech, resource) = (tech.to_string(), resource.to_string());
    engine.log(LogLevel::Notice, "channel.c", || {
        format!("Unable to {what} channel {tech}/{resource}")
    });
}

/// `ast_channel_snapshot_caller_id_equal` / `…_connected_line_equal`: number and name compared as strings,
/// a missing one being empty.
fn same_party(a: &Party, b: &Party) -> bool {
    let text = |s: &Option<String>| s.as_deref().unwrap_or("").to_string();
    text(&a.number) == text(&b.number) && text(&a.name) == text(&b.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_and_errors() {
        assert_eq!(
            parse(""),
            Err("ParkAndAnnounce has required arguments. No arguments were provided.".into())
        );
        assert_eq!(
            parse("default,,"),
            Err("ParkAndAnnounce requires the announce_template argument.".into())
        );
        assert_eq!(
            parse(",,pbx-transfer:PARKED"),
            Err("ParkAndAnnounce requires the dial argument.".into())
        );
        assert_eq!(
            parse(",,PARKED,alice"),
            Err("ParkAndAnnounce dial string 'alice' is improperly formed.".into())
        );
        assert_eq!(
            parse("sales,s,pbx-transfer:PARKED,PJSIP/alice"),
            Ok(AnnounceArgs {
                template: "pbx-transfer:PARKED".into(),
                dial: "PJSIP/alice".into()
            })
        );
        assert_eq!(template_items("a:PARKED:b"), ["a", "PARKED", "b"]);
    }
}
