//! What every way into a lot shares: the lot a channel uses, the lot's bridge, generating the parked user
//! (space, parker, limit) and arming its timeout. [res/parking/parking_applications.c ·
//! park_common_setup2, setup_park_common_datastore; res/parking/parking_bridge.c · bridge_parking_push,
//! generate_parked_user; res/res_parking.c · find_channel_parking_lot_name]

use super::bridge::LotBridge;
use super::lot::{Idle, ParkedUser, Resolution};
use super::{timeout, ParkingModule};
use crate::park_dial::parker_dial_string;
use crate::slots::{parse_parkingexten, random_preferred, SlotPolicy};
use dialplan::diag::LogLevel;
use dialplan::engine::{BridgeId, BridgeKind, ChannelId, Engine};
use std::rc::Rc;
use std::time::Duration;

/// `find_channel_parking_lot_name`: `PARKINGLOT`, else the channel's own parking lot
/// (`CHANNEL(parkinglot)`), else `default`.
pub fn channel_lot_name(engine: &Engine, chan: ChannelId) -> String {
    if let Some(name) = engine.get_var(chan, "PARKINGLOT").filter(|n| !n.is_empty()) {
        return name;
    }
    engine
        .with_chan(chan, |c| c.parkinglot().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| crate::config::DEFAULT_LOT.to_string())
}

/// Finds a lot by name for `who`; an unknown name creates a dynamic lot when `parkeddynamic=yes` (from
/// `who`'s `PARKINGDYN…` variables). `None`: the caller logs Asterisk's failure.
pub fn find_lot(
    module: &ParkingModule,
    engine: &Engine,
    name: &str,
    who: ChannelId,
) -> Option<usize> {
    module
        .lot_index(name)
        .or_else(|| super::dynamic::create_dynamic_lot(module, engine, name, who))
}

/// The lot's holding bridge, made (`BridgeCreate`) at its first use (`parking_lot_get_bridge`).
pub fn lot_bridge(module: &ParkingModule, engine: &Engine, lot: usize) -> BridgeId {
    if let Some(b) = module.state().lots[lot].bridge {
        return b;
    }
    let name = module.lot_cfg(lot).name.clone();
    let delegate = Rc::new(LotBridge {
        module: module.clone(),
    });
    let id = engine.create_bridge(BridgeKind::Holding, "Parking", &name, Some(delegate));
    module.state_mut().lots[lot].bridge = Some(id);
    id
}

/// The parker's dial string res_parking records at setup from the parkee's transfer variables
/// (`ATTENDEDTRANSFER` first, then `BLINDTRANSFER`), with Asterisk's verbose-4 line; `None` when neither
/// is set.
pub fn transfer_dial_string(engine: &Engine, parkee: ChannelId) -> Option<String> {
    let attended = engine
        .get_var(parkee, "ATTENDEDTRANSFER")
        .filter(|v| !v.is_empty());
    let (value, from) = match attended {
        Some(v) => (v, "ATTENDEDTRANSFER"),
        None => (
            engine
                .get_var(parkee, "BLINDTRANSFER")
                .filter(|v| !v.is_empty())?,
            "BLINDTRANSFER",
        ),
    };
    let dial = parker_dial_string(&value).to_string();
    let shown = dial.clone();
    engine.verbose(4, "parking_applications.c", || {
        format!("Setting Parker dial string to {shown} from {from} value")
    });
    Some(dial)
}

/// Everything `generate_parked_user` needs.
#[derive(Clone, Debug)]
pub struct ParkRequest {
    pub lot: usize,
    pub parkee: ChannelId,
    /// The name of the channel that parks (its dial string is the parker's unless `parker_dial_string`).
    pub parker_channel_name: String,
    pub parker_dial_string: Option<String>,
    /// Park's `R`.
    pub randomize: bool,
    /// Park's `t(…)`; `None`: the lot's `parkingtime`.
    pub time_limit: Option<u32>,
    /// Park's `c(…)`.
    pub comeback: Option<String>,
    pub idle: Idle,
    /// Music/ringing at once (false: after the parkee's own announcement).
    pub idle_at_once: bool,
}

/// Parking failed; Asterisk's lines were logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParkFailed;

/// `generate_parked_user`: picks the space and records the parked user in its lot (with its timeout).
/// `Err` after Asterisk's log lines when no space can be had (or `PARKINGEXTEN` is bad).
pub fn generate_parked_user(
    module: &ParkingModule,
    engine: &Engine,
    req: ParkRequest,
) -> Result<u32, ParkFailed> {
    if module.state().lots[req.lot].mode == crate::show::LotMode::Disabled {
        engine.log(LogLevel::Notice, "parking_bridge.c", || {
            "Tried to park in a parking lot that is no longer able to be parked to.".to_string()
        });
        return Err(ParkFailed);
    }
    let cfg = &module.lot_cfg(req.lot);
    let policy = SlotPolicy {
        range: cfg.parkpos.value,
        findslot: cfg.findslot.value,
    };
    let preferred = if req.randomize {
        Some(random_preferred(policy.range, engine.random_u64()))
    } else {
        let value = engine
            .get_var(req.parkee, "PARKINGEXTEN")
            .unwrap_or_default();
        match parse_parkingexten(&value) {
            Ok(p) => p,
            Err(line) => {
                engine.log_line(line);
                return Err(ParkFailed);
            }
        }
    };
    let outcome = {
        let mut state = module.state_mut();
        let lot = &mut state.lots[req.lot];
        let mut cursor = lot.cursor;
        let outcome = cursor.take_in(&cfg.name, policy, preferred, lot.occupancy());
        lot.cursor = cursor;
        outcome
    };
    for line in outcome.log {
        engine.log_line(line);
    }
    let Some(space) = outcome.space else {
        return Err(ParkFailed);
    };
    let dial = match req.parker_dial_string {
        Some(d) => d,
        None if !req.parker_channel_name.is_empty() => {
            parker_dial_string(&req.parker_channel_name).to_string()
        }
        None => return Err(ParkFailed),
    };
    let start = engine.now();
    let time_limit = req.time_limit.unwrap_or(cfg.parkingtime.value);
    let user = ParkedUser {
        chan: req.parkee,
        lot: req.lot,
        space,
        parker_dial_string: dial,
        start,
        time_limit,
        resolution: Resolution::Unset,
        comeback: req.comeback,
        retriever: None,
        timeout_key: None,
        idle: req.idle,
        idle_at_once: req.idle_at_once,
        moh_playing: None,
        moh_stop_published: false,
    };
    {
        let mut state = module.state_mut();
        let name = engine
            .chan_name(req.parkee)
            .map(|n| n.to_string())
            .unwrap_or_default();
        state.lots[req.lot].occupy(space, req.parkee, &name);
        state.users.insert(req.parkee, user);
    }
    if time_limit > 0 {
        let deadline = start + Duration::from_secs(u64::from(time_limit));
        timeout::arm(module, engine, req.lot, req.parkee, deadline);
    }
    Ok(space)
}

/// The lot name of a parked user's lot.
pub fn lot_name(module: &ParkingModule, lot: usize) -> String {
    module.lot_cfg(lot).name.clone()
}

/// Starts what the parkee hears while parked (music on hold or ringing), if it is still parked there.
pub fn start_idle(module: &ParkingModule, engine: &Engine, chan: ChannelId) {
    let idle = {
        let state = module.state();
        match state.users.get(&chan) {
            Some(u) if u.resolution == Resolution::Unset && u.moh_playing.is_none() => {
                u.idle.clone()
            }
            _ => return,
        }
    };
    match idle {
        Idle::Music(requested) => {
            let class = super::events::moh_class(engine, chan, &requested);
            super::events::moh_start(engine, chan, &class);
            if let Some(u) = module.state_mut().users.get_mut(&chan) {
                u.moh_playing = Some(class);
            }
        }
        Idle::Ringing => engine.indicate(chan, dialplan::engine::Control::Ringing),
    }
}

/// Asterisk's WARNING when a one-touch park names an unknown lot.
pub fn log_unknown_lot_for_dtmf(engine: &Engine, parker: ChannelId, lot: &str) {
    let name = engine
        .chan_name(parker)
        .map(|n| n.to_string())
        .unwrap_or_default();
    engine.log(LogLevel::Warning, "parking_bridge_features.c", || {
        format!("Cannot Park {name}: lot {lot} unknown")
    });
}
