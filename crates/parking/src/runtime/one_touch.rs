//! One-touch parking: the parkcall feature res_parking registers with the bridging core.
//!
//! The lot is the **parker's** (`PARKINGLOT` → `CHANNEL(parkinglot)` → `default`); the park is a blind
//! transfer to `<parkext>@<context>` of that lot, which must exist at priority 1 running `Park`. No parkext,
//! no such extension, or a parker alone in its bridge: nothing happens (Asterisk is silent; dialsim
//! explains). With two parties the peer gets `BLINDTRANSFER=<parker's name>` and moves into the lot's
//! bridge (`ParkedCall`, `Parking … at space`, music on hold at once); the parker hears the space as digits
//! and then leaves its bridge (a dialled channel is then hung up; a Dial caller's Dial returns −1).
//! A failed park leaves the peer where it was and the parker hears `pbx-parkingfailed`.
//! [res/parking/parking_bridge_features.c · feature_park_call, parking_park_call,
//! parking_blind_transfer_park, parking_park_bridge_channel, parker_parked_call_message_response,
//! say_parking_space]

use super::events::{publish, ParkingEvent};
use super::lot::Idle;
use super::park::{
    channel_lot_name, find_lot, generate_parked_user, log_unknown_lot_for_dtmf, lot_bridge,
    transfer_dial_string, ParkRequest,
};
use super::park_app::parse as parse_park;
use super::say::say_digits;
use super::{codes, ParkingModule};
use crate::config::PARK_APPLICATION;
use dialplan::diag::LogLevel;
use dialplan::engine::{
    BridgeId, ChannelId, Engine, FeatureAction, FeatureOutcome, LocalBoxFuture,
};

/// The parkcall feature action.
pub struct ParkCall {
    pub(crate) module: ParkingModule,
}

impl FeatureAction for ParkCall {
    fn name(&self) -> &str {
        "parkcall"
    }

    fn run(
        &self,
        engine: Engine,
        bridge: BridgeId,
        chan: ChannelId,
    ) -> LocalBoxFuture<FeatureOutcome> {
        let module = self.module.clone();
        Box::pin(async move { park_call(&module, &engine, bridge, chan).await })
    }
}

/// `parking_park_call` + `parking_blind_transfer_park` for a two-party bridge.
async fn park_call(
    module: &ParkingModule,
    engine: &Engine,
    bridge: BridgeId,
    parker: ChannelId,
) -> FeatureOutcome {
    let lot_name = channel_lot_name(engine, parker);
    let Some(lot) = find_lot(module, engine, &lot_name, parker) else {
        log_unknown_lot_for_dtmf(engine, parker, &lot_name);
        return FeatureOutcome::Stay;
    };
    let cfg = &module.lot_cfg(lot);
    let (context, parkext) = (cfg.context.value.clone(), cfg.parkext.value.clone());
    let parker_name = engine
        .chan_name(parker)
        .map(|n| n.to_string())
        .unwrap_or_default();
    if parkext.is_empty() {
        engine.explain(
            codes::ONE_TOUCH_NO_PARKEXT,
            Some(parker),
            &format!("the parkcall code did nothing: lot '{}' (the lot of '{parker_name}') has no parkext, and one-touch parking is a transfer to the lot's parkext", cfg.name),
            Some("give the lot a parkext (e.g. parkext => 700) in res_parking.conf; Asterisk does nothing here and says nothing"),
        );
        return FeatureOutcome::Stay;
    }
    let app_data = {
        let plan = engine.plan();
        plan.step(&context, &parkext, 1, None)
            .filter(|s| s.app.eq_ignore_ascii_case(PARK_APPLICATION))
            .map(|s| s.data.to_string())
    };
    let Some(app_data) = app_data else {
        engine.explain(
            codes::ONE_TOUCH_NOT_PARK,
            Some(parker),
            &format!("the parkcall code did nothing: '{parkext}@{context}' does not run Park at priority 1"),
            Some("one-touch parking needs the lot's parking extension as res_parking generates it; check that nothing else took that extension"),
        );
        return FeatureOutcome::Stay;
    };
    let members = engine.bridge_members(bridge);
    let parkee = match members.as_slice() {
        [a, b] if *a == parker => *b,
        [a, b] if *b == parker => *a,
        [_] | [] => {
            engine.explain(
                codes::ONE_TOUCH_ALONE,
                Some(parker),
                &format!("the parkcall code did nothing: '{parker_name}' is alone in its bridge, so there is nobody to park"),
                None,
            );
            return FeatureOutcome::Stay;
        }
        _ => {
            engine.explain(
                codes::ONE_TOUCH_MULTIPARTY,
                Some(parker),
                "the parkcall code was pressed in a bridge of more than two channels; Asterisk would park the whole bridge through a Local channel, which dialsim does not simulate yet",
                None,
            );
            return FeatureOutcome::Stay;
        }
    };

    // The peer's side (`parking_park_bridge_channel`): setup with the parkext's data, the parker's lot.
    let args = parse_park(&app_data);
    for line in &args.log {
        engine.log_line(line.clone());
    }
    let target_name = args.lot.clone().unwrap_or(lot_name);
    let Some(target) = find_lot(module, engine, &target_name, parker) else {
        engine.log(LogLevel::Error, "parking_applications.c", || {
            format!("Could not find parking lot: '{target_name}'")
        });
        return failed(engine, parker).await;
    };
    let parking_bridge = lot_bridge(module, engine, target);
    let dial_string = transfer_dial_string(engine, parkee);
    // `ast_bridge_set_transfer_variables` (blind): BLINDTRANSFER set, ATTENDEDTRANSFER erased.
    engine.set_var(parkee, "BLINDTRANSFER", Some(&parker_name));
    engine.set_var(parkee, "ATTENDEDTRANSFER", None);
    let opts = &args.options;
    let request = ParkRequest {
        lot: target,
        parkee,
        parker_channel_name: parker_name.clone(),
        parker_dial_string: dial_string,
        randomize: opts.randomize,
        time_limit: opts.time_limit,
        comeback: opts.comeback.clone(),
        idle: if opts.ringing {
            Idle::Ringing
        } else {
            Idle::Music(
                opts.musicclass
                    .clone()
                    .unwrap_or_else(|| module.lot_cfg(target).parkedmusicclass.value.clone()),
            )
        },
        idle_at_once: true,
    };
    let space = match generate_parked_user(module, engine, request) {
        Ok(space) => space,
        Err(_) => {
            // The peer is moved back into its bridge (it left and rejoins), and the park fails.
            engine.bridge_move(parkee, bridge);
            let parkee_name = engine
                .chan_name(parkee)
                .map(|n| n.to_string())
                .unwrap_or_default();
            engine.log(LogLevel::Error, "parking_bridge_features.c", || {
                format!("Failed to move {parkee_name} into the parking bridge.")
            });
            engine.log(LogLevel::Warning, "bridge_channel.c", || {
                format!("Error occurred while parking {parkee_name}")
            });
            return failed(engine, parker).await;
        }
    };
    let published = {
        let state = module.state();
        state.users.get(&parkee).cloned()
    };
    if let Some(user) = published {
        publish(
            engine,
            ParkingEvent::Parked,
            &user,
            &module.lot_cfg(target).name,
        );
    }
    if !engine.bridge_move(parkee, parking_bridge) {
        return failed(engine, parker).await;
    }
    // The parker hears the space, then leaves its bridge.
    match say_digits(engine, parker, space).await {
        Ok(()) => FeatureOutcome::Leave,
        Err(_) => FeatureOutcome::Stay,
    }
}

/// The parker hears that parking failed and stays in its call.
async fn failed(engine: &Engine, parker: ChannelId) -> FeatureOutcome {
    let _ = engine.play(parker, "pbx-parkingfailed").await;
    FeatureOutcome::Stay
}
