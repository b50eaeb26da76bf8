//! The AMI parking events (`res/parking/parking_manager.c`) and music on hold for parkees
//! (`res/res_musiconhold.c`).
//!
//! A parking event's body: the `Parkee*` snapshot, the `Retriever*` snapshot (UnParkedCall only),
//! `ParkerDialString`, `Parkinglot`, `ParkingSpace`, `ParkingTimeout` (start + limit − now, in whole
//! wall-clock seconds, printed unsigned: with no limit it wraps to a huge number once a second has passed)
//! and `ParkingDuration` (now − start). No `Parker*` fields: Asterisk never sends them.

use super::lot::ParkedUser;
use dialplan::diag::LogLevel;
use dialplan::engine::ami::Prefix;
use dialplan::engine::{ChannelId, Engine, Fields};

/// The kinds of parking event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParkingEvent {
    Parked,
    TimeOut,
    GiveUp,
    UnParked,
    /// A channel took a parked channel's place (an attended transfer to a parking extension completed).
    Swap,
}

impl ParkingEvent {
    pub fn name(self) -> &'static str {
        match self {
            ParkingEvent::Parked => "ParkedCall",
            ParkingEvent::TimeOut => "ParkedCallTimeOut",
            ParkingEvent::GiveUp => "ParkedCallGiveUp",
            ParkingEvent::UnParked => "UnParkedCall",
            ParkingEvent::Swap => "ParkedCallSwap",
        }
    }
}

/// Publishes one parking event for `user` of lot `lot_name`.
pub fn publish(engine: &Engine, what: ParkingEvent, user: &ParkedUser, lot_name: &str) {
    if !engine.bus().wants_ami() {
        return;
    }
    engine.ami(what.name(), "call", |f| {
        parked_call_body(engine, f, user, lot_name, what == ParkingEvent::UnParked);
    });
}

/// A parking event's body (also what the `ParkedCalls` action lists): the `Parkee*` block, the
/// `Retriever*` block when asked for and known, then the parking fields.
pub fn parked_call_body(
    engine: &Engine,
    f: &mut Fields,
    user: &ParkedUser,
    lot_name: &str,
    with_retriever: bool,
) {
    // Whole seconds of the virtual wall clock: the epoch is a whole number, so it cancels out.
    let start = user.start.as_secs() as i64;
    let now = engine.now().as_secs() as i64;
    let timeout = (start + i64::from(user.time_limit) - now) as u64;
    let duration = (now - start) as u64;
    engine.push_snapshot(f, Prefix::PARKEE, user.chan);
    point_at_pending_goto(engine, f, user.chan);
    if with_retriever {
        if let Some(r) = user.retriever {
            engine.push_snapshot(f, Prefix::RETRIEVER, r);
        }
    }
    f.push("ParkerDialString", user.parker_dial_string.clone());
    f.push("Parkinglot", lot_name.to_string());
    f.push("ParkingSpace", user.space.to_string());
    f.push("ParkingTimeout", timeout.to_string());
    f.push("ParkingDuration", duration.to_string());
}

/// The parkee's block is a fresh snapshot (`ast_channel_snapshot_create`), not the channel's last published
/// one, and `ast_async_goto` moves a bridged channel's context, extension and priority at once (its
/// priority lands on the target's: the PBX loop's `+1` is taken back). So a call that times out (or is
/// redirected) shows its destination in `ParkedCallTimeOut`/`ParkedCallGiveUp`, while the cached-snapshot
/// events around it (`MusicOnHoldStop`, `BridgeLeave`, the Dial's `VarSet`s) still show the old place.
/// dialsim applies the goto later, so the block is corrected from the pending goto.
/// [res/parking/parking_manager.c · parked_call_payload_from_parked_user; main/pbx.c · ast_async_goto;
/// main/channel_internal_api.c · ast_channel_context_set]
fn point_at_pending_goto(engine: &Engine, f: &mut Fields, chan: ChannelId) {
    let Some(to) = engine.pending_goto(chan) else {
        return;
    };
    for (key, value) in f.fields.iter_mut() {
        match key.as_ref() {
            "ParkeeContext" => value.clone_from(&to.context),
            "ParkeeExten" => value.clone_from(&to.exten),
            "ParkeePriority" => *value = to.priority.to_string(),
            _ => {}
        }
    }
}

/// The class `ast_moh_start` uses. musiconhold.conf's `preferchannelclass` defaults to yes, so a class set on
/// the channel (`CHANNEL(musicclass)`, inherited through Dial and Local channels) wins over the one the lot
/// or `Park`'s `m()` asks for; then `default`. (Every class is taken to exist: musiconhold.conf is not read.)
pub fn moh_class(engine: &Engine, chan: ChannelId, requested: &str) -> String {
    engine
        .with_chan(chan, |c| c.musicclass().to_string())
        .filter(|c| !c.is_empty())
        .or_else(|| (!requested.is_empty()).then(|| requested.to_string()))
        .unwrap_or_else(|| "default".to_string())
}

/// Music on hold starts on `chan`: the verbose line and `MusicOnHoldStart`.
pub fn moh_start(engine: &Engine, chan: ChannelId, class: &str) {
    if let Some(name) = engine.chan_name(chan) {
        engine.verbose(3, "res_musiconhold.c", || {
            format!("Started music on hold, class '{class}', on channel '{name}'")
        });
    }
    let class = class.to_string();
    engine.chan_event("MusicOnHoldStart", "call", chan, |f| {
        f.push("Class", class);
    });
}

/// `MusicOnHoldStop` for `chan`.
pub fn moh_stop_event(engine: &Engine, chan: ChannelId) {
    engine.chan_event("MusicOnHoldStop", "call", chan, |_| {});
}

/// The verbose line of music on hold stopping on `chan`.
pub fn moh_stop_line(engine: &Engine, chan: ChannelId) {
    if !engine.bus().wants_log(LogLevel::Verbose(3)) {
        return;
    }
    if let Some(name) = engine.chan_name(chan) {
        engine.verbose(3, "res_musiconhold.c", || {
            format!("Stopped music on hold on {name}")
        });
    }
}
