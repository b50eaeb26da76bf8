//! `ParkedCall([lot[,space]])`: retrieves a parked call. [res/parking/parking_applications.c ·
//! parked_call_app_exec; res/parking/parking_controller.c · parking_lot_retrieve_parked_user]
//!
//! The channel is answered if needed. The lot is the argument, else the channel's own. No space ⇒ the lowest
//! occupied one. An unknown lot or a bad space logs Asterisk's ERROR and plays `pbx-invalidpark`; an empty
//! space plays `pbx-invalidpark` without a word (dialsim explains). Otherwise the parkee leaves the lot's
//! bridge (`UnParkedCall` with the `Retriever*` block; its music stops) for a new basic bridge, the retriever
//! gets the `parkedcall*` features meant for the caller side, hears the courtesy tone if `parkedplay` says so,
//! and joins. `ParkedCall` always returns −1 afterwards.

use super::bridge::{retrieval_features, Side};
use super::events::{moh_stop_event, publish, ParkingEvent};
use super::lot::Resolution;
use super::park::channel_lot_name;
use super::{codes, ParkingModule};
use crate::options::scan_c_int;
use dialplan::apps::args::{arg, standard_args};
use dialplan::diag::LogLevel;
use dialplan::engine::{App, AppResult, BridgeKind, ChannelId, ChannelState, Engine, Exec};
use features::module::add_channel_permissions;
use std::time::Duration;

/// The `ParkedCall` application.
pub struct ParkedCall {
    pub(crate) module: ParkingModule,
}

/// ParkedCall's arguments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParkedCallArgs {
    pub lot: Option<String>,
    /// The space as written (checked when the application runs).
    pub space: Option<String>,
}

pub fn parse(data: &str) -> ParkedCallArgs {
    let a = standard_args(data, 3);
    let some = |s: &str| Some(s).filter(|s| !s.is_empty()).map(str::to_string);
    ParkedCallArgs {
        lot: some(arg(&a, 0)),
        space: some(arg(&a, 1)),
    }
}

/// A space argument Asterisk refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidSpace;

/// Which space a written space names: `Ok(None)` for "the lowest occupied"; `Err` when Asterisk refuses it
/// (`sscanf("%d")` fails or the number is negative; 0 is accepted and never occupied).
pub fn target_space(space: Option<&str>) -> Result<Option<u32>, InvalidSpace> {
    match space {
        None => Ok(None),
        Some(text) => match scan_c_int(text, usize::MAX) {
            Some((n, _)) if n >= 0 => Ok(u32::try_from(n).ok()),
            _ => Err(InvalidSpace),
        },
    }
}

impl App for ParkedCall {
    fn name(&self) -> &'static str {
        "ParkedCall"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, args: &str) -> Exec {
        let (module, engine, data) = (self.module.clone(), engine.clone(), args.to_string());
        Exec::Pending(Box::pin(async move {
            parked_call(&module, &engine, chan, &data).await
        }))
    }
}

async fn parked_call(
    module: &ParkingModule,
    engine: &Engine,
    chan: ChannelId,
    data: &str,
) -> AppResult {
    let args = parse(data);
    if engine.state(chan) != Some(ChannelState::Up)
        && engine.answer(chan, Duration::ZERO).await.is_err()
    {
        return AppResult::Hangup;
    }
    let lot_name = args
        .lot
        .clone()
        .unwrap_or_else(|| channel_lot_name(engine, chan));
    let Some(lot) = module.lot_index(&lot_name) else {
        engine.log(LogLevel::Error, "parking_applications.c", || {
            "Could not find the requested parking lot".to_string()
        });
        let _ = engine.play(chan, "pbx-invalidpark").await;
        return AppResult::Hangup;
    };
    let Ok(target) = target_space(args.space.as_deref()) else {
        let _ = engine.play(chan, "pbx-invalidpark").await;
        let text = args.space.clone().unwrap_or_default();
        engine.log(LogLevel::Error, "parking_applications.c", || {
            format!("value '{text}' for parking_space argument is invalid. Must be an integer greater than 0.")
        });
        return AppResult::Hangup;
    };
    let Some(parkee) = retrieve(module, lot, target, chan) else {
        let lot_name = module.lot_cfg(lot).name.clone();
        let which = match target {
            Some(space) => format!("space {space} of lot '{lot_name}' is empty"),
            None => format!("lot '{lot_name}' has no parked call"),
        };
        engine.explain(
            codes::EMPTY_SPACE,
            Some(chan),
            &format!("ParkedCall found nothing to retrieve: {which}; the caller hears pbx-invalidpark and is hung up"),
            Some("Asterisk logs nothing in this case; check which space the call was parked at (the 'Parking … at space' line) and that it was not retrieved or timed out already"),
        );
        let _ = engine.play(chan, "pbx-invalidpark").await;
        return AppResult::Hangup;
    };
    // A lot a reload disabled vanishes when its last call is retrieved.
    module.remove_if_unused(engine, lot);

    let bridge = engine.create_bridge(BridgeKind::Basic, "", "", None);
    let user = {
        let mut state = module.state_mut();
        state.users.get_mut(&parkee).map(|u| {
            if u.moh_playing.is_some() {
                u.moh_stop_published = true;
            }
            u.clone()
        })
    };
    if let Some(user) = &user {
        if user.moh_playing.is_some() {
            moh_stop_event(engine, parkee);
        }
        publish(
            engine,
            ParkingEvent::UnParked,
            user,
            &module.lot_cfg(lot).name,
        );
    }
    if !engine.bridge_move(parkee, bridge) {
        engine.destroy_bridge(bridge);
        return AppResult::Hangup;
    }
    let cfg = &module.lot_cfg(lot);
    add_channel_permissions(engine, chan, retrieval_features(cfg, Side::Caller));
    if cfg.parkedplay.value.includes_caller() && !cfg.courtesytone.value.is_empty() {
        let tone = cfg.courtesytone.value.clone();
        let _ = engine.play(chan, &tone).await;
    }
    if engine.bridge_push(bridge, chan) {
        // The retriever's join does not skip the connected-line exchange (Dial's bridge does).
        engine.bridge_connected_line_update(bridge);
        engine.bridge_run(chan).await;
    } else {
        engine.bridge_kick(parkee);
    }
    AppResult::Hangup
}

/// `parking_lot_retrieve_parked_user`: the parked channel at `target` (the lowest occupied space when
/// `None`), unless something else resolved it first; its space is freed now.
fn retrieve(
    module: &ParkingModule,
    lot: usize,
    target: Option<u32>,
    retriever: ChannelId,
) -> Option<ChannelId> {
    let mut state = module.state_mut();
    let state = &mut *state;
    let l = &mut state.lots[lot];
    let (space, chan) = match target {
        None => l.spaces().first_key_value().map(|(s, c)| (*s, *c))?,
        Some(s) => (s, *l.spaces().get(&s)?),
    };
    let user = state.users.get_mut(&chan)?;
    if user.resolution != Resolution::Unset {
        return None;
    }
    user.resolution = Resolution::Answered;
    user.retriever = Some(retriever);
    l.vacate(space);
    if let Some(key) = user.timeout_key.take() {
        l.timeouts.remove(&key);
    }
    Some(chan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        assert_eq!(parse(""), ParkedCallArgs::default());
        let a = parse("default,701");
        assert_eq!(a.lot.as_deref(), Some("default"));
        assert_eq!(a.space.as_deref(), Some("701"));
        assert_eq!(parse(",702").lot, None);
    }

    #[test]
    fn spaces() {
        assert_eq!(target_space(None), Ok(None));
        assert_eq!(target_space(Some("701")), Ok(Some(701)));
        assert_eq!(target_space(Some("701abc")), Ok(Some(701)));
        assert_eq!(target_space(Some("0")), Ok(Some(0)));
        assert_eq!(target_space(Some("-1")), Err(InvalidSpace));
        assert_eq!(target_space(Some("abc")), Err(InvalidSpace));
    }
}
