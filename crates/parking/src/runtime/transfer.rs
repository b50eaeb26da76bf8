//! Transfers into parking: res_parking's side of the bridging core's transfers
//! [res/parking/parking_bridge_features.c · parking_is_exten_park, parking_blind_transfer_park;
//! res/parking/parking_bridge.c · bridge_parking_push (the swap branch)].
//!
//! - **Blind transfer** to `exten@context`: when that extension runs `Park` at priority 1 (a lot's parkext,
//!   or any extension of the dialplan running Park) and the transferer is in a two-party bridge, the peer is
//!   parked exactly as by one-touch parking ([`super::one_touch::park_peer`]): `BLINDTRANSFER` = the
//!   transferer, nothing announced to the parkee, music at once; the transferer hears the space and leaves.
//!   Anything else (another extension, a space, which runs `ParkedCall`) is an ordinary blind transfer.
//! - **Swap**: after an attended transfer to a parking extension completed, the Local channel that was
//!   parked is replaced by the transferee: it takes over the parked user (same space, same start, so the
//!   time left), gets the lot's music, and `ParkedCallSwap` is published; the Local channel leaves the lot
//!   without a `ParkedCallGiveUp`.

use super::events::{publish, ParkingEvent};
use super::lot::Resolution;
use super::one_touch::park_peer;
use super::park::{channel_lot_name, lot_name};
use super::ParkingModule;
use crate::config::PARK_APPLICATION;
use dialplan::engine::{BridgeId, ChannelId, Engine, FeatureOutcome, LocalBoxFuture};
use features::module::transfer::TransferPark;

/// What res_parking registers with the features module for transfers.
pub struct TransferParking {
    pub(crate) module: ParkingModule,
}

impl TransferPark for TransferParking {
    fn blind_transfer_park(
        &self,
        engine: &Engine,
        bridge: BridgeId,
        transferer: ChannelId,
        context: &str,
        exten: &str,
    ) -> Option<LocalBoxFuture<FeatureOutcome>> {
        if context.is_empty() || exten.is_empty() {
            return None;
        }
        let app_data = park_exten_data(engine, context, exten)?;
        let members = engine.bridge_members(bridge);
        let parkee = match members.as_slice() {
            [a, b] if *a == transferer => *b,
            [a, b] if *b == transferer => *a,
            // Alone: nothing to park. More than two: Asterisk parks the bridge through a Local channel,
            // which the features module reports as not simulated.
            _ => return None,
        };
        let (module, engine) = (self.module.clone(), engine.clone());
        Some(Box::pin(async move {
            let lot = channel_lot_name(&engine, transferer);
            park_peer(&module, &engine, bridge, transferer, parkee, lot, &app_data).await
        }))
    }

    fn swap(&self, engine: &Engine, parked: ChannelId, incoming: ChannelId) -> bool {
        swap(&self.module, engine, parked, incoming)
    }
}

/// `parking_is_exten_park`: the app data of `exten@context` priority 1 when it runs `Park`.
pub fn park_exten_data(engine: &Engine, context: &str, exten: &str) -> Option<String> {
    let plan = engine.plan();
    plan.step(context, exten, 1, None)
        .filter(|s| s.app.eq_ignore_ascii_case(PARK_APPLICATION))
        .map(|s| s.data.to_string())
}

/// `incoming` takes `parked`'s place in its lot: the Local channel optimization moves it into the lot's
/// bridge in `parked`'s place ([`Engine::local_optimize_swap`]), and the lot's bridge hands it the parked user
/// ([`take_over`]). `false` when `parked` is no longer parked.
pub fn swap(
    module: &ParkingModule,
    engine: &Engine,
    parked: ChannelId,
    incoming: ChannelId,
) -> bool {
    let still_parked = module
        .state()
        .users
        .get(&parked)
        .is_some_and(|u| u.resolution == Resolution::Unset);
    if !still_parked || engine.bridge_of(parked).is_none() {
        return false;
    }
    engine.local_optimize_swap(parked, incoming)
}

/// `bridge_parking_push` with a swap channel: `incoming` takes over `parked`'s parked user (same space,
/// same start, so the time left; no `Parking … at space` line) and `ParkedCallSwap` is published, before
/// `parked` is pulled — whose music then stops, with no event saying it gave up. `incoming`'s own music
/// starts once it is in ([`super::bridge::LotBridge`]'s `entered`).
pub(crate) fn take_over(
    module: &ParkingModule,
    engine: &Engine,
    parked: ChannelId,
    incoming: ChannelId,
) {
    let Some(mut user) = module.state_mut().users.remove(&parked) else {
        return;
    };
    if user.moh_playing.take().is_some() {
        module.state_mut().swapped_out_music.insert(parked);
    }
    user.chan = incoming;
    user.moh_stop_published = false;
    user.idle_at_once = true;
    let name = engine
        .chan_name(incoming)
        .map(|n| n.to_string())
        .unwrap_or_default();
    {
        let mut state = module.state_mut();
        state.lots[user.lot].occupy(user.space, incoming, &name);
        state.users.insert(incoming, user.clone());
    }
    let lot = lot_name(module, user.lot);
    publish(engine, ParkingEvent::Swap, &user, &lot);
}
