//! `features`: features.conf, who may use which DTMF feature, and the bridge DTMF feature matcher — the
//! parts of Asterisk 22's `main/features_config.c`, `main/features.c`, `main/bridge_basic.c` and
//! `main/bridge_channel.c` that decide what a key press in a bridged call does.
//!
//! The pieces, in the order a call meets them:
//!
//! 1. **Configuration** ([`load()`], [`FeaturesConfig`]): features.conf read with Asterisk's strict rules —
//!    one bad line and Asterisk drops the whole file for built-in defaults. [`show_features`] renders
//!    `features show`.
//! 2. **Permissions** ([`DialFeatures`], [`FeaturePermissions`]): Dial's `t T h H k K x X` (and the inert
//!    `w W`) plus `${BRIDGE_FEATURES}` give each side feature flags, OR-ed into the channel's own flags,
//!    which outlive the Dial.
//! 3. **Hooks** ([`arm_basic_bridge_hooks`], [`HookSet`]): when a channel joins a basic bridge, each
//!    permitted builtin feature with a non-empty code, then its `${DYNAMIC_FEATURES}` items, become DTMF
//!    hooks of *that channel*.
//! 4. **Matching** ([`FeatureMatcher`]): a pure state machine on a virtual clock turning the channel's DTMF
//!    into pass-through, swallowed digits, matched features, timeouts and digit streams to the peers.
//!    (Before the answer, Dial's `H` has its own simpler check: [`RingingDisconnect`].)
//!
//! 5. **Run time** ([`module`]): [`FeaturesModule`] plugs all of this into the dialplan engine (permissions
//!    from Dial, hooks on joining a basic bridge, the actions matched codes run, explanations).
//!
//! [`explain_unarmed`] and [`HookSet::shadowed`] serve the explain layer: a feature code pressed on a channel
//! without the permission, and codes that can never fire because a shorter code shadows them.

mod appmap;
pub mod config;
pub mod functions;
pub mod hooks;
pub mod load;
pub mod matcher;
pub mod module;
pub mod permissions;
pub mod ringing;
pub mod show;
#[cfg(test)]
mod testutil;
pub mod transfer;

pub use config::{
    ActivateOn, ApplicationMapItem, BuiltinFeature, FeatureGroup, FeatureGroupItem, FeatureMap,
    FeaturesConfig, General,
};
pub use hooks::{
    arm_basic_bridge_hooks, dynamic_features, explain_unarmed, ArmRequest, ArmedHooks,
    DynamicFeature, DynamicFeatures, Feature, Handlers, Hook, HookSet, Shadowed,
};
pub use load::{load, DefaultsReason, FeaturesLoad, LoadOutcome, CODES};
pub use matcher::{stream_timeline, DtmfAction, FeatureMatcher, StreamEdge};
pub use module::FeaturesModule;
pub use permissions::{DialFeatures, FeaturePermissions, Permission};
pub use ringing::{RingingDisconnect, RingingDtmf};
pub use show::show_features;
