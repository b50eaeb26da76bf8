//! A lot's holding bridge personality (`res/parking/parking_bridge.c`): the `Parking … at space` line when a
//! parkee enters, its music on hold, and what its leaving means (retrieved, timed out, or gave up).

use super::events::{moh_stop_event, moh_stop_line, publish, ParkingEvent};
use super::lot::Resolution;
use super::park::{lot_name, start_idle};
use super::ParkingModule;
use crate::config::{FeatureFlag, LotConfig};
use dialplan::engine::{BridgeDelegate, BridgeId, ChannelId, Engine, LeaveReason};
use features::module::add_channel_permissions;
use features::{FeaturePermissions, Permission};

/// The delegate of every lot's holding bridge.
pub struct LotBridge {
    pub(crate) module: ParkingModule,
}

impl BridgeDelegate for LotBridge {
    fn entering(&self, engine: &Engine, _bridge: BridgeId, chan: ChannelId) {
        let found = {
            let state = self.module.state();
            state.users.get(&chan).map(|u| (u.lot, u.space))
        };
        let Some((lot, space)) = found else {
            return;
        };
        let Some(name) = engine.chan_name(chan) else {
            return;
        };
        let lot = lot_name(&self.module, lot).to_string();
        engine.verbose(3, "parking_bridge.c", || {
            format!("Parking '{name}' in '{lot}' at space {space}")
        });
    }

    fn swapping(&self, engine: &Engine, _bridge: BridgeId, chan: ChannelId, swap: ChannelId) {
        super::transfer::take_over(&self.module, engine, swap, chan);
    }

    fn entered(&self, engine: &Engine, _bridge: BridgeId, chan: ChannelId) {
        let found = {
            let state = self.module.state();
            state.users.get(&chan).map(|u| (u.lot, u.space))
        };
        if let Some((lot, space)) = found {
            let context = self.module.lot_cfg(lot).context.value.clone();
            self.module.notify_metermaids(engine, space, &context, true);
        }
        let at_once = self
            .module
            .state()
            .users
            .get(&chan)
            .is_some_and(|u| u.idle_at_once);
        if at_once {
            start_idle(&self.module, engine, chan);
        }
    }

    /// Between the `left` line and `BridgeLeave`: the holding technology stops the music
    /// (`MusicOnHoldStop`, `Stopped music on hold on …`), then the parking class's pull publishes
    /// `ParkedCallGiveUp` (a call that left unresolved: it hung up or was redirected) or
    /// `ParkedCallTimeOut`. A retrieval's `UnParkedCall` was published by `ParkedCall` already.
    /// [res/parking/parking_bridge.c · bridge_parking_pull; bridges/bridge_holding.c · holding_bridge_leave]
    fn leaving(&self, engine: &Engine, _bridge: BridgeId, chan: ChannelId) {
        if self.module.state_mut().swapped_out_music.remove(&chan) {
            moh_stop_event(engine, chan);
            moh_stop_line(engine, chan);
            return;
        }
        let user = {
            let mut state = self.module.state_mut();
            state.users.get_mut(&chan).map(|u| {
                if u.resolution == Resolution::Unset {
                    u.resolution = Resolution::Abandon;
                }
                let music = u.moh_playing.take();
                let stop_published = std::mem::replace(&mut u.moh_stop_published, true);
                (u.clone(), music.is_some(), stop_published)
            })
        };
        let Some((user, music, stop_published)) = user else {
            return;
        };
        if music {
            if !stop_published {
                moh_stop_event(engine, chan);
            }
            moh_stop_line(engine, chan);
        }
        let lot = lot_name(&self.module, user.lot).to_string();
        match user.resolution {
            Resolution::Unset | Resolution::Abandon => {
                publish(engine, ParkingEvent::GiveUp, &user, &lot);
            }
            Resolution::Timeout => publish(engine, ParkingEvent::TimeOut, &user, &lot),
            Resolution::Answered => {}
        }
    }

    fn left(&self, engine: &Engine, _bridge: BridgeId, chan: ChannelId, _why: LeaveReason) {
        let Some(user) = self.module.state_mut().users.remove(&chan) else {
            return;
        };
        let cfg = &self.module.lot_cfg(user.lot);
        self.module
            .notify_metermaids(engine, user.space, &cfg.context.value, false);
        match user.resolution {
            Resolution::Unset | Resolution::Abandon => {
                self.module.state_mut().lots[user.lot].release(&user);
            }
            Resolution::Answered => {
                add_channel_permissions(engine, chan, retrieval_features(cfg, Side::Callee));
                if cfg.parkedplay.value.includes_callee() && !cfg.courtesytone.value.is_empty() {
                    play_courtesy_tone(&self.module, engine, chan, cfg.courtesytone.value.clone());
                }
            }
            Resolution::Timeout => {
                add_channel_permissions(engine, chan, retrieval_features(cfg, Side::Callee));
                self.module.state_mut().lots[user.lot].release(&user);
            }
        }
        // A lot a reload disabled vanishes with its last call, and its bridge once that call is out.
        self.module.remove_if_unused(engine, user.lot);
        self.module.destroy_bridge_if_vanished(engine, user.lot);
    }
}

/// Which party a `parkedcall*` option is applied to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The retriever (`caller`).
    Caller,
    /// The parked channel (`callee`).
    Callee,
}

/// `parked_call_retrieve_enable_features`: the feature flags a lot's `parkedcall*` options give `side`.
pub fn retrieval_features(cfg: &LotConfig, side: Side) -> FeaturePermissions {
    let applies = |flag: FeatureFlag| match side {
        Side::Caller => flag.includes_caller(),
        Side::Callee => flag.includes_callee(),
    };
    let mut perms = FeaturePermissions::NONE;
    for (flag, permission) in [
        (cfg.parkedcalltransfers.value, Permission::Transfer),
        (cfg.parkedcallreparking.value, Permission::Park),
        (cfg.parkedcallhangup.value, Permission::Disconnect),
        (cfg.parkedcallrecording.value, Permission::AutoMixMon),
    ] {
        if applies(flag) {
            perms = perms.with(permission);
        }
    }
    perms
}

/// The retrieved parkee hears the courtesy tone (`parkedplay` callee/both): queued behind its own
/// announcement if that is still playing, else at once, in its new bridge.
fn play_courtesy_tone(module: &ParkingModule, engine: &Engine, chan: ChannelId, tone: String) {
    {
        let mut state = module.state_mut();
        if state.announcing.contains(&chan) {
            state.tone_after_announcement.insert(chan, tone);
            return;
        }
    }
    let e = engine.clone();
    engine.spawn_local(async move {
        let _ = e.play(chan, &tone).await;
    });
}
