//! What res_parking's AMI actions read and do (`Parkinglots`, `ParkedCalls`, `Park`), as values the
//! root package's AMI layer turns into Asterisk's response blocks and list events.
//! [res/parking/parking_manager.c · manager_parking_lot_list, manager_parking_status, manager_park,
//! manager_park_bridged, manager_park_unbridged]

use super::events::parked_call_body;
use super::lot::Idle;
use super::one_touch::park_peer;
use super::park::{find_lot, generate_parked_user, lot_bridge, transfer_dial_string, ParkRequest};
use super::say::say_digits;
use super::ParkingModule;
use crate::options::scan_c_int;
use dialplan::engine::{ChannelId, ChannelState, Engine, FeatureOutcome, Fields};

/// One lot as `Parkinglots` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LotSummary {
    pub name: String,
    pub start: u32,
    pub stop: u32,
    pub timeout: u32,
}

/// The `Park` action's headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AmiParkRequest {
    pub channel: String,
    /// `TimeoutChannel`, else `Channel2`.
    pub timeout_channel: String,
    pub announce_channel: String,
    pub timeout: String,
    pub parkinglot: String,
    pub parking_space: String,
}

/// Why `Park` answers with an error; the text is Asterisk's `Message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmiError(pub String);

impl ParkingModule {
    /// `Parkinglots`: every lot, in name order.
    pub fn ami_lots(&self) -> Vec<LotSummary> {
        let state = self.state();
        state
            .by_name
            .values()
            .map(|&i| {
                let c = &state.lots[i].cfg;
                LotSummary {
                    name: c.name.clone(),
                    start: c.parkpos.value.start,
                    stop: c.parkpos.value.stop,
                    timeout: c.parkingtime.value,
                }
            })
            .collect()
    }

    /// `ParkedCalls [ParkingLot]`: the body of one `ParkedCall` event per parked call (lots in name order,
    /// spaces ascending); `None` when the named lot does not exist.
    pub fn ami_parked_calls(&self, engine: &Engine, lot: Option<&str>) -> Option<Vec<Fields>> {
        let lots: Vec<usize> = match lot {
            Some(name) => vec![self.lot_index(name)?],
            None => self.state().by_name.values().copied().collect(),
        };
        let mut out = Vec::new();
        for idx in lots {
            let users: Vec<_> = {
                let state = self.state();
                state.lots[idx]
                    .spaces()
                    .values()
                    .filter_map(|c| state.users.get(c).cloned())
                    .collect()
            };
            let name = self.lot_cfg(idx).name.clone();
            for user in users {
                let mut f = Fields::new("ParkedCall", "call");
                parked_call_body(engine, &mut f, &user, &name, false);
                out.push(f);
            }
        }
        Some(out)
    }

    /// `Park`: checks the request as `manager_park` does, then parks. `Ok` is `Park successful`.
    pub fn ami_park(&self, engine: &Engine, req: &AmiParkRequest) -> Result<(), AmiError> {
        if req.channel.is_empty() {
            return Err(AmiError("Channel not specified".into()));
        }
        let mut timeout_override: Option<u32> = None;
        if !req.timeout.is_empty() {
            match scan_c_int(&req.timeout, 30) {
                Some((ms, _)) if ms >= 0 => {
                    let ms = ms as u32;
                    timeout_override = Some(if ms == 0 { 0 } else { (ms / 1000).max(1) });
                }
                _ => return Err(AmiError("Invalid Timeout value.".into())),
            }
        }
        let Some(chan) = engine.find_channel(&req.channel) else {
            return Err(AmiError(format!("Channel does not exist: {}", req.channel)));
        };
        if !req.timeout_channel.is_empty() {
            // `ast_bridge_set_transfer_variables` (blind).
            engine.set_var(chan, "BLINDTRANSFER", Some(&req.timeout_channel));
            engine.set_var(chan, "ATTENDEDTRANSFER", None);
        }
        if !req.parking_space.is_empty() {
            engine.set_var(chan, "PARKINGEXTEN", Some(&req.parking_space));
        }
        let bridge = engine.bridge_of(chan);
        let peer = bridge.and_then(|b| match engine.bridge_members(b).as_slice() {
            [a, p] if *a == chan => Some(*p),
            [p, a] if *a == chan => Some(*p),
            _ => None,
        });
        let peer_is_timeout_channel = peer.is_some_and(|p| {
            engine
                .chan_name(p)
                .is_some_and(|n| *n == *req.timeout_channel)
        });
        let announce = if req.announce_channel.is_empty()
            || (peer_is_timeout_channel && req.announce_channel == req.timeout_channel)
        {
            None
        } else {
            engine.find_channel(&req.announce_channel)
        };
        match (bridge, peer) {
            (Some(b), Some(parker)) if peer_is_timeout_channel => {
                // `manager_park_bridged`: the park runs as the peer's, who hears the space and leaves.
                let app_data = match timeout_override {
                    Some(t) => format!("{},t({t})", req.parkinglot),
                    None => req.parkinglot.clone(),
                };
                let (module, e) = (self.clone(), engine.clone());
                engine.spawn_local(async move {
                    let lot = super::park::channel_lot_name(&e, parker);
                    if let FeatureOutcome::Leave =
                        park_peer(&module, &e, b, parker, chan, lot, &app_data).await
                    {
                        e.bridge_kick(parker);
                    }
                    if let Some(a) = announce {
                        announce_space(&module, &e, a, chan).await;
                    }
                });
                Ok(())
            }
            _ => self.park_unbridged(engine, chan, req, timeout_override, announce),
        }
    }

    /// `manager_park_unbridged`: the channel itself parks (silently). `ast_bridge_add_channel` moves it
    /// from its bridge into the lot's; a channel in no bridge (running dialplan, or idle) is yanked: a new
    /// channel object takes over the call (the old one, now `Surrogate/<name>`, ends with its dialplan),
    /// is answered unless `BRIDGE_NOANSWER` is set, and is imparted into the lot.
    fn park_unbridged(
        &self,
        engine: &Engine,
        chan: ChannelId,
        req: &AmiParkRequest,
        timeout_override: Option<u32>,
        announce: Option<ChannelId>,
    ) -> Result<(), AmiError> {
        let failed = || AmiError("Park action failed\n".into());
        let lot_name = if req.parkinglot.is_empty() {
            super::park::channel_lot_name(engine, chan)
        } else {
            req.parkinglot.clone()
        };
        let Some(lot) = find_lot(self, engine, &lot_name, chan) else {
            engine.log(
                dialplan::diag::LogLevel::Error,
                "parking_applications.c",
                || format!("Could not find parking lot: '{lot_name}'"),
            );
            return Err(failed());
        };
        let parking_bridge = lot_bridge(self, engine, lot);
        let own_name = engine
            .chan_name(chan)
            .map(|n| n.to_string())
            .unwrap_or_default();
        let parker_dial_string = transfer_dial_string(engine, chan);
        engine.moh_stop(chan);
        let (parkee, how) = if engine.bridge_of(chan).is_some() {
            (chan, Entry::Move)
        } else {
            let Some(yanked) = engine.yank(chan) else {
                engine.log(dialplan::diag::LogLevel::Warning, "bridge.c", || {
                    format!("Could not gain control of channel {own_name}")
                });
                return Err(failed());
            };
            let no_answer = engine
                .get_var(yanked, "BRIDGE_NOANSWER")
                .is_some_and(|v| !v.is_empty());
            if !no_answer && engine.state(yanked) != Some(ChannelState::Up) {
                engine.raw_answer(yanked);
            }
            (yanked, Entry::Impart)
        };
        // A yanked channel the lot refuses is hung up (it has no PBX to go back to).
        let refused = |why: AmiError| {
            if how == Entry::Impart {
                engine.hangup(parkee);
            }
            Err(why)
        };
        let request = ParkRequest {
            lot,
            parkee,
            parker_channel_name: own_name,
            parker_dial_string,
            randomize: false,
            time_limit: timeout_override,
            comeback: None,
            idle: Idle::Music(self.lot_cfg(lot).parkedmusicclass.value.clone()),
            idle_at_once: true,
        };
        if generate_parked_user(self, engine, request).is_err() {
            return refused(failed());
        }
        let user = self.state().users.get(&parkee).cloned();
        if let Some(user) = user {
            super::events::publish(
                engine,
                super::events::ParkingEvent::Parked,
                &user,
                &self.lot_cfg(lot).name,
            );
        }
        let entered = match how {
            Entry::Move => engine.bridge_move(parkee, parking_bridge),
            Entry::Impart => engine.bridge_impart(parking_bridge, parkee),
        };
        if !entered {
            return refused(failed());
        }
        if let Some(a) = announce {
            let (module, e) = (self.clone(), engine.clone());
            engine.spawn_local(async move { announce_space(&module, &e, a, parkee).await });
        }
        Ok(())
    }
}

/// How the parkee gets into the lot's bridge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    /// From the bridge it is in (`bridge_move`).
    Move,
    /// A yanked channel, imparted with a bridge task of its own.
    Impart,
}

/// An `AnnounceChannel` in a bridge hears the space `parkee` got (`create_parked_subscription` without
/// hangup).
async fn announce_space(module: &ParkingModule, engine: &Engine, to: ChannelId, parkee: ChannelId) {
    let space = module.state().users.get(&parkee).map(|u| u.space);
    if let (Some(space), Some(_)) = (space, engine.bridge_of(to)) {
        let _ = say_digits(engine, to, space).await;
    }
}
