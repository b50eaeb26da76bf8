//! The features' own actions: disconnect, and a stand-in for the features dialsim does not simulate yet.
//! (Blind and attended transfer are `super::transfer`.)
//! (parkcall is registered by the parking module.)

use super::codes;
use crate::config::BuiltinFeature;
use crate::hooks::DynamicFeature;
use dialplan::engine::channel::cause;
use dialplan::engine::{
    BridgeId, ChannelId, Engine, FeatureAction, FeatureOutcome, LocalBoxFuture,
};
use std::rc::Rc;

/// The action Asterisk's core runs for a builtin feature (parkcall excepted: its handler is the parking
/// module's).
pub fn builtin_action(feature: BuiltinFeature, code: &str) -> Rc<dyn FeatureAction> {
    match feature {
        BuiltinFeature::Disconnect => Rc::new(Disconnect),
        other => Rc::new(NotSimulated::builtin(other, code)),
    }
}

/// `disconnect` (`feature_hangup`): the channel that pressed the code leaves the bridge with
/// `NORMAL_CLEARING`, and the basic bridge dissolves, so the other party leaves too: a dialled channel is
/// hung up, a Dial caller's Dial returns −1.
pub struct Disconnect;

impl FeatureAction for Disconnect {
    fn name(&self) -> &str {
        "disconnect"
    }

    fn run(
        &self,
        engine: Engine,
        bridge: BridgeId,
        chan: ChannelId,
    ) -> LocalBoxFuture<FeatureOutcome> {
        Box::pin(async move {
            engine.set_hangupcause(chan, cause::NORMAL_CLEARING);
            for other in engine.bridge_members(bridge) {
                if other != chan {
                    engine.bridge_kick(other);
                }
            }
            FeatureOutcome::Leave
        })
    }
}

/// A feature whose behaviour dialsim does not simulate yet (automixmon, applicationmap items; blind and
/// attended transfer are [`super::transfer`], this stand-in is only their fallback): the code is consumed as in Asterisk, a `features/not-simulated` diagnostic says so,
/// and the channel stays in the call.
pub struct NotSimulated {
    what: String,
    asterisk_would: String,
}

impl NotSimulated {
    pub fn builtin(feature: BuiltinFeature, code: &str) -> NotSimulated {
        let asterisk_would = match feature {
            BuiltinFeature::BlindTransfer => {
                "Asterisk would start a blind transfer: the peer hears music on hold, the channel hears \
                 'pbx-transfer' and dials the destination"
            }
            BuiltinFeature::AttendedTransfer => {
                "Asterisk would start an attended transfer: the peer is held while the channel dials the \
                 transfer target"
            }
            BuiltinFeature::AutoMixMon => "Asterisk would start or stop recording the call with MixMonitor",
            BuiltinFeature::ParkCall => "Asterisk would park the peer, but no parking provider is loaded",
            BuiltinFeature::Disconnect => "Asterisk would hang up",
        };
        NotSimulated {
            what: format!(
                "{} ('{}', {})",
                feature.label(),
                code,
                feature.option_name()
            ),
            asterisk_would: asterisk_would.to_string(),
        }
    }

    pub fn dynamic(feature: &DynamicFeature, code: &str) -> NotSimulated {
        NotSimulated {
            what: format!("applicationmap item '{}' ('{}')", feature.name, code),
            asterisk_would: format!(
                "Asterisk would run {}({}) on the {} side",
                feature.app,
                feature.app_data,
                match feature.activate_on {
                    crate::config::ActivateOn::Itself => "pressing",
                    crate::config::ActivateOn::Peer => "other",
                }
            ),
        }
    }
}

impl FeatureAction for NotSimulated {
    fn name(&self) -> &str {
        &self.what
    }

    fn run(
        &self,
        engine: Engine,
        _bridge: BridgeId,
        chan: ChannelId,
    ) -> LocalBoxFuture<FeatureOutcome> {
        let message = format!(
            "{} matched, but dialsim does not simulate this feature yet",
            self.what
        );
        let help = format!("{}; dialsim leaves the call as it is", self.asterisk_would);
        Box::pin(async move {
            engine.explain(codes::NOT_SIMULATED, Some(chan), &message, Some(&help));
            FeatureOutcome::Stay
        })
    }
}
