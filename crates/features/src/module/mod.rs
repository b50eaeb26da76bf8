//! The features module at run time: what Asterisk's bridging core does with features.conf while calls run.
//!
//! [`FeaturesModule`] is loaded into an [`Engine`] as a [`Module`] and becomes its [`BridgeFeatures`]:
//!
//! - **Permissions.** When Dial is answered, its letters (`t T h H k K x X w W`) and the calling channel's
//!   `${BRIDGE_FEATURES}` are OR-ed into each channel's own feature flags ([`channel_permissions`]), a
//!   per-channel store that outlives the Dial, as Asterisk's `bridge-dtmf-features` datastore does.
//! - **Hooks.** A channel joining a basic bridge is armed with [`arm_basic_bridge_hooks`]; a permitted,
//!   mapped feature without a handler (parkcall while res_parking is not loaded) refuses the join with
//!   Asterisk's ERROR, and the call ends right after answer. Otherwise the channel gets a [`DtmfHooks`]
//!   adapter around the [`crate::FeatureMatcher`] (see [`hooks`]).
//! - **Actions.** What a matched code runs: parkcall is whatever another module registered
//!   ([`FeaturesModule::register_action`]; res_parking does, as it registers its handler with Asterisk's
//!   core); disconnect is built in ([`actions`]); blind and attended transfer are [`transfer`] (a transfer
//!   to a parking extension goes through the parking provider's [`transfer::TransferPark`]); automixmon
//!   and applicationmap items are not simulated yet: pressing them produces a `features/not-simulated`
//!   diagnostic and the call goes on.
//! - **Explanations** ([`explain`]): a feature code pressed on a channel that was not armed with it (Dial
//!   without `k`), parking unavailable, codes shadowed by shorter ones.

pub mod actions;
pub mod explain;
pub mod hooks;
pub mod transfer;

use crate::config::{BuiltinFeature, FeaturesConfig};
use crate::hooks::{arm_basic_bridge_hooks, ArmRequest, Handlers};
use crate::permissions::{DialFeatures, FeaturePermissions};
use dialplan::diag::CodeInfo;
use dialplan::engine::{
    BridgeFeatures, BridgeId, ChannelId, DtmfHooks, Engine, FeatureAction, JoinRefused, Module,
};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The module name (Asterisk's features live in its core; this is dialsim's name for them).
pub const MODULE_NAME: &str = "features";

/// The codes this module emits (as `DialsimDiagnostic` events).
pub mod codes {
    use dialplan::diag::Code;
    pub const PARKCALL_NOT_ARMED: Code = Code("features/parkcall-not-armed");
    pub const FEATURE_NOT_ARMED: Code = Code("features/feature-not-armed");
    pub const PARKING_UNAVAILABLE: Code = Code("features/parking-unavailable");
    pub const NOT_SIMULATED: Code = Code("features/not-simulated");
    pub const SHADOWED_CODE: Code = Code("features/shadowed-code");
}

/// Every code this module emits.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: codes::PARKCALL_NOT_ARMED,
        summary: "the parkcall code was pressed on a channel without park permission (no Dial k/K); it went to the peer as DTMF",
    },
    CodeInfo {
        code: codes::FEATURE_NOT_ARMED,
        summary: "a configured feature code was pressed on a channel not permitted to use it; it went to the peer as DTMF",
    },
    CodeInfo {
        code: codes::PARKING_UNAVAILABLE,
        summary: "a channel permitted to park joined a bridge while res_parking is not loaded; Asterisk refuses the join and the call ends",
    },
    CodeInfo {
        code: codes::NOT_SIMULATED,
        summary: "a feature code matched whose feature dialsim does not simulate yet; the call goes on unchanged",
    },
    CodeInfo {
        code: codes::SHADOWED_CODE,
        summary: "a channel's feature code can never fire because a shorter code of the same channel is its prefix",
    },
];

/// The key of a channel's feature flags among its datastores (Asterisk's `bridge-dtmf-features`).
const PERMISSIONS_KEY: &str = "bridge-dtmf-features";
/// The key of the side the channel had in its last answered Dial (for explanations only).
const DIAL_SIDE_KEY: &str = "dialsim-dial-side";

/// The side a channel had in the last Dial that bridged it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialSide {
    /// It ran the Dial (upper-case letters apply to it).
    Caller,
    /// It was dialled (lower-case letters apply to it).
    Callee,
}

/// The features module: a cheap handle (`Rc`) shared by the engine and the modules that register actions.
#[derive(Clone)]
pub struct FeaturesModule {
    inner: Rc<Inner>,
}

struct Inner {
    /// The configuration in force (a reload of features.conf replaces it).
    config: RefCell<Rc<FeaturesConfig>>,
    actions: RefCell<BTreeMap<BuiltinFeature, Rc<dyn FeatureAction>>>,
    /// The parking provider's side of transfers, once registered.
    transfer_park: RefCell<Option<Rc<dyn transfer::TransferPark>>>,
    /// Bridges with an attended transfer running (Asterisk's merge inhibition).
    in_transfer: RefCell<std::collections::BTreeSet<BridgeId>>,
    /// The same configuration, as `FEATURE()` and `FEATUREMAP()` read it.
    shared: std::sync::Arc<crate::functions::LoadedFeatures>,
}

impl FeaturesModule {
    /// The module running with `config` (the loaded features.conf, or Asterisk's defaults).
    pub fn new(config: FeaturesConfig) -> FeaturesModule {
        let shared = std::sync::Arc::new(crate::functions::LoadedFeatures::new(
            std::sync::Arc::new(config.clone()),
        ));
        FeaturesModule {
            inner: Rc::new(Inner {
                shared,
                config: RefCell::new(Rc::new(config)),
                actions: RefCell::new(BTreeMap::new()),
                transfer_park: RefCell::new(None),
                in_transfer: RefCell::new(Default::default()),
            }),
        }
    }

    /// The configuration in force now.
    pub fn config(&self) -> Rc<FeaturesConfig> {
        self.inner.config.borrow().clone()
    }

    /// A reload put `config` in force: channels joining a bridge from now on are armed with it (channels
    /// already in a bridge keep the hooks they were armed with, as in Asterisk).
    pub fn set_config(&self, config: FeaturesConfig) {
        self.inner.shared.set(std::sync::Arc::new(config.clone()));
        *self.inner.config.borrow_mut() = Rc::new(config);
    }

    /// Registers the handler of a builtin feature (`ast_bridge_features_register`); res_parking registers
    /// parkcall's. Replaces an earlier one.
    pub fn register_action(&self, feature: BuiltinFeature, action: Rc<dyn FeatureAction>) {
        self.inner.actions.borrow_mut().insert(feature, action);
    }

    /// Removes a registered handler (`ast_bridge_features_unregister`, a module unloading).
    pub fn unregister_action(&self, feature: BuiltinFeature) {
        self.inner.actions.borrow_mut().remove(&feature);
    }

    /// The registered handler of `feature`, if another module registered one.
    pub fn registered_action(&self, feature: BuiltinFeature) -> Option<Rc<dyn FeatureAction>> {
        self.inner.actions.borrow().get(&feature).cloned()
    }

    /// Registers the parking provider's side of transfers (res_parking does at load).
    pub fn register_transfer_park(&self, provider: Rc<dyn transfer::TransferPark>) {
        *self.inner.transfer_park.borrow_mut() = Some(provider);
    }

    /// The parking provider's side of transfers, if one registered.
    pub fn transfer_park(&self) -> Option<Rc<dyn transfer::TransferPark>> {
        self.inner.transfer_park.borrow().clone()
    }

    /// Whether an attended transfer runs on `bridge`.
    pub fn bridge_in_transfer(&self, bridge: BridgeId) -> bool {
        self.inner.in_transfer.borrow().contains(&bridge)
    }

    /// Marks (or unmarks) `bridge` as having an attended transfer running.
    pub fn set_bridge_in_transfer(&self, bridge: BridgeId, running: bool) {
        let mut set = self.inner.in_transfer.borrow_mut();
        if running {
            set.insert(bridge);
        } else {
            set.remove(&bridge);
        }
    }

    /// Which builtins have a handler: every one but parkcall is Asterisk's own; parkcall only once a parking
    /// provider registered it.
    pub fn handlers(&self) -> Handlers {
        if self
            .inner
            .actions
            .borrow()
            .contains_key(&BuiltinFeature::ParkCall)
        {
            Handlers::all()
        } else {
            Handlers::all().without(BuiltinFeature::ParkCall)
        }
    }
}

/// A channel's feature flags (empty when it never had any).
pub fn channel_permissions(engine: &Engine, chan: ChannelId) -> FeaturePermissions {
    engine
        .with_chan(chan, |c| {
            c.datastores
                .get(PERMISSIONS_KEY)
                .and_then(|d| d.downcast_ref::<FeaturePermissions>())
                .copied()
        })
        .flatten()
        .unwrap_or(FeaturePermissions::NONE)
}

/// ORs `add` into a channel's feature flags (`ast_bridge_features_ds_append`).
pub fn add_channel_permissions(engine: &Engine, chan: ChannelId, add: FeaturePermissions) {
    let now = channel_permissions(engine, chan) | add;
    set_channel_permissions(engine, chan, now);
}

/// Replaces a channel's feature flags (`ast_bridge_features_ds_set`, `Set(CHANNEL(features)=…)`).
pub fn set_channel_permissions(engine: &Engine, chan: ChannelId, perms: FeaturePermissions) {
    engine.with_chan_mut(chan, |c| {
        c.datastores.insert(PERMISSIONS_KEY, Box::new(perms));
    });
}

/// The side the channel had in the last Dial that bridged it, if any.
pub fn dial_side(engine: &Engine, chan: ChannelId) -> Option<DialSide> {
    engine
        .with_chan(chan, |c| {
            c.datastores
                .get(DIAL_SIDE_KEY)
                .and_then(|d| d.downcast_ref::<DialSide>())
                .copied()
        })
        .flatten()
}

fn set_dial_side(engine: &Engine, chan: ChannelId, side: DialSide) {
    engine.with_chan_mut(chan, |c| {
        c.datastores.insert(DIAL_SIDE_KEY, Box::new(side));
    });
}

impl Module for FeaturesModule {
    fn name(&self) -> &str {
        MODULE_NAME
    }

    fn load(&self, engine: &Engine) -> Result<(), Vec<dialplan::diag::LogLine>> {
        engine.set_bridge_features(Rc::new(self.clone()));
        let config = self.inner.shared.clone();
        engine.register_function(Box::new(crate::functions::FeatureFn {
            config: config.clone(),
        }));
        engine.register_function(Box::new(crate::functions::FeatureMapFn { config }));
        Ok(())
    }
}

impl BridgeFeatures for FeaturesModule {
    fn dial_letters(&self, engine: &Engine, caller: ChannelId, callee: ChannelId, letters: &str) {
        let mut df = DialFeatures::from_dial_options(letters.chars());
        let bridge_features = engine
            .get_var(caller, "BRIDGE_FEATURES")
            .unwrap_or_default();
        for line in df.add_bridge_features(&bridge_features) {
            engine.log_line(line);
        }
        add_channel_permissions(engine, caller, df.caller);
        add_channel_permissions(engine, callee, df.callee);
        crate::functions::inherit(engine, caller, callee);
        set_dial_side(engine, caller, DialSide::Caller);
        set_dial_side(engine, callee, DialSide::Callee);
    }

    fn join(
        &self,
        engine: &Engine,
        _bridge: BridgeId,
        chan: ChannelId,
    ) -> Result<Option<Box<dyn DtmfHooks>>, JoinRefused> {
        let Some(name) = engine.chan_name(chan) else {
            return Ok(None);
        };
        // A transferer whose attended transfer runs has only the transfer keys.
        if let Some(keys) = transfer::attended::transferer_hooks(engine, chan) {
            return Ok(Some(Box::new(hooks::ChannelHooks::new(
                self.clone(),
                keys,
                self.config().general.feature_digit_timeout(),
                None,
            ))));
        }
        let permissions = channel_permissions(engine, chan);
        let dynamic = engine.get_var(chan, "DYNAMIC_FEATURES").unwrap_or_default();
        let handlers = self.handlers();
        let config = self.config();
        let config = &*config;
        // `FEATUREMAP()`/`FEATURE()` may have given the channel codes and a digit timeout of its own.
        let featuremap = crate::functions::channel_featuremap(engine, chan, config);
        let digit_timeout = crate::functions::channel_digit_timeout(engine, chan, config);
        let armed = arm_basic_bridge_hooks(&ArmRequest {
            channel: &name,
            permissions,
            featuremap: &featuremap,
            config,
            dynamic_features: &dynamic,
            handlers,
        });
        // The lines are published here (not handed back in the refusal) so the explanation follows them.
        for line in armed.logs {
            engine.log_line(line);
        }
        if let Some(feature) = armed.failed {
            explain::join_refused(engine, chan, config, feature);
            return Err(JoinRefused { log: Vec::new() });
        }
        for s in armed.hooks.shadowed() {
            explain::shadowed(engine, chan, s.hook, s.by);
        }
        let watch = explain::UnarmedWatch::for_channel(config, &armed.hooks, permissions, handlers);
        if armed.hooks.is_empty() && watch.is_none() {
            return Ok(None);
        }
        Ok(Some(Box::new(hooks::ChannelHooks::new(
            self.clone(),
            armed.hooks,
            digit_timeout,
            watch,
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permissions::Permission;
    use dialplan::engine::{ChannelState, EngineConfig, TablePlan};

    #[test]
    fn every_code_is_listed_once() {
        let all = [
            codes::PARKCALL_NOT_ARMED,
            codes::FEATURE_NOT_ARMED,
            codes::PARKING_UNAVAILABLE,
            codes::NOT_SIMULATED,
            codes::SHADOWED_CODE,
        ];
        assert_eq!(CODES.len(), all.len());
        for code in all {
            assert_eq!(
                CODES.iter().filter(|c| c.code == code).count(),
                1,
                "{}",
                code.0
            );
            assert!(code.0.starts_with("features/"));
        }
    }

    #[test]
    fn parkcall_has_a_handler_only_once_registered() {
        let m = FeaturesModule::new(FeaturesConfig::default());
        assert!(!m.handlers().has(BuiltinFeature::ParkCall));
        assert!(m.handlers().has(BuiltinFeature::Disconnect));
        m.register_action(
            BuiltinFeature::ParkCall,
            actions::builtin_action(BuiltinFeature::ParkCall, "#72"),
        );
        assert!(m.handlers().has(BuiltinFeature::ParkCall));
        m.unregister_action(BuiltinFeature::ParkCall);
        assert!(m.registered_action(BuiltinFeature::ParkCall).is_none());
    }

    #[test]
    fn permissions_are_ored_per_channel() {
        let engine = Engine::new(EngineConfig::default(), Box::new(TablePlan::new()));
        let a = engine.create_channel(dialplan::engine::ops::NewChannel::new(
            "PJSIP/a-00000000".into(),
            "PJSIP",
            ChannelState::Up,
        ));
        let b = engine.create_channel(dialplan::engine::ops::NewChannel::new(
            "PJSIP/b-00000001".into(),
            "PJSIP",
            ChannelState::Up,
        ));
        let m = FeaturesModule::new(FeaturesConfig::default());
        assert_eq!(channel_permissions(&engine, a), FeaturePermissions::NONE);
        m.dial_letters(&engine, a, b, "kT");
        assert_eq!(channel_permissions(&engine, a).letters(), "T");
        assert_eq!(channel_permissions(&engine, b).letters(), "K");
        assert_eq!(dial_side(&engine, a), Some(DialSide::Caller));
        assert_eq!(dial_side(&engine, b), Some(DialSide::Callee));
        // A later Dial without letters keeps them; BRIDGE_FEATURES adds to them.
        engine.set_var(a, "BRIDGE_FEATURES", Some("H"));
        m.dial_letters(&engine, a, b, "");
        assert_eq!(channel_permissions(&engine, a).letters(), "TH");
        assert!(channel_permissions(&engine, b).contains(Permission::Park));
        set_channel_permissions(&engine, a, FeaturePermissions::NONE);
        assert!(channel_permissions(&engine, a).is_empty());
    }
}
