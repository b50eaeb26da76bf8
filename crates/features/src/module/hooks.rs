//! The engine's [`DtmfHooks`] for one channel in a basic bridge: the [`FeatureMatcher`] with the channel's
//! hooks, its [`DtmfAction`]s turned into the engine's [`HookAction`]s (the feature timer runs on the virtual
//! clock), and a matched code turned into the action that runs it.

use super::actions::{builtin_action, NotSimulated};
use super::explain::UnarmedWatch;
use super::transfer::attended::{AttendedTransfer, AtxferKeyAction};
use super::transfer::blind::BlindTransfer;
use super::FeaturesModule;
use crate::config::BuiltinFeature;
use crate::hooks::{Feature, Hook, HookSet};
use crate::matcher::{DtmfAction, FeatureMatcher};
use dialplan::engine::{ChannelId, DtmfHooks, Engine, FeatureAction, HookAction};
use std::rc::Rc;
use std::time::Duration;

/// One channel's hooks for one stay in a basic bridge (fresh on every join, as Asterisk's state is).
pub struct ChannelHooks {
    module: FeaturesModule,
    matcher: FeatureMatcher,
    watch: Option<UnarmedWatch>,
}

impl ChannelHooks {
    pub fn new(
        module: FeaturesModule,
        hooks: HookSet,
        digit_timeout: Duration,
        watch: Option<UnarmedWatch>,
    ) -> ChannelHooks {
        ChannelHooks {
            module,
            matcher: FeatureMatcher::new(hooks, digit_timeout),
            watch,
        }
    }

    /// The matcher (its hooks and collection state), for tests and the explain layer.
    pub fn matcher(&self) -> &FeatureMatcher {
        &self.matcher
    }

    /// What runs when `hook` matches: a registered handler, the built-in one, or a "not simulated" note.
    fn action_for(&self, hook: &Hook) -> Rc<dyn FeatureAction> {
        match &hook.feature {
            Feature::Builtin(BuiltinFeature::BlindTransfer) => Rc::new(BlindTransfer {
                module: self.module.clone(),
            }),
            Feature::Builtin(BuiltinFeature::AttendedTransfer) => Rc::new(AttendedTransfer {
                module: self.module.clone(),
            }),
            Feature::Builtin(f) => self
                .module
                .registered_action(*f)
                .unwrap_or_else(|| builtin_action(*f, &hook.code)),
            Feature::Dynamic(d) => Rc::new(NotSimulated::dynamic(d, &hook.code)),
            Feature::Atxfer(key) => Rc::new(AtxferKeyAction { key: *key }),
        }
    }

    fn convert(
        &mut self,
        engine: &Engine,
        chan: ChannelId,
        actions: Vec<DtmfAction>,
        duration_ms: u32,
    ) -> Vec<HookAction> {
        let mut out = Vec::with_capacity(actions.len());
        for a in actions {
            match a {
                DtmfAction::PassThroughBegin(d) => out.push(HookAction::PassBegin(d)),
                DtmfAction::PassThroughEnd(d) => {
                    out.push(HookAction::PassEnd(d, duration_ms));
                    if let Some(w) = &mut self.watch {
                        w.passed(engine, chan, d);
                    }
                }
                DtmfAction::Swallow(_) => out.push(HookAction::Swallow),
                DtmfAction::ArmTimer(t) => out.push(HookAction::ArmTimer(t)),
                DtmfAction::CancelTimer => out.push(HookAction::CancelTimer),
                DtmfAction::Feature(hook) => out.push(HookAction::Run(self.action_for(&hook))),
                DtmfAction::FlushToPeers(digits) => out.push(HookAction::FlushToPeers(digits)),
            }
        }
        out
    }
}

impl DtmfHooks for ChannelHooks {
    fn begin(&mut self, engine: &Engine, chan: ChannelId, digit: char) -> Vec<HookAction> {
        let actions = self.matcher.on_dtmf_begin(digit);
        self.convert(engine, chan, actions, 0)
    }

    fn end(
        &mut self,
        engine: &Engine,
        chan: ChannelId,
        digit: char,
        duration_ms: u32,
    ) -> Vec<HookAction> {
        let actions = self.matcher.on_dtmf_end(digit, engine.now());
        self.convert(engine, chan, actions, duration_ms)
    }

    fn timer(&mut self, engine: &Engine, chan: ChannelId) -> Vec<HookAction> {
        let actions = self.matcher.on_timer(engine.now());
        self.convert(engine, chan, actions, 0)
    }

    fn leave(&mut self, engine: &Engine, chan: ChannelId) -> Vec<HookAction> {
        let actions = self.matcher.on_leave();
        self.convert(engine, chan, actions, 0)
    }
}
