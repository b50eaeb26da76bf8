//! `FEATURE()` and `FEATUREMAP()` (main/features_config.c): per-channel copies of features.conf's
//! `[general]` and `[featuremap]`. The first read or write of either function on a channel copies the
//! loaded configuration into the channel (Asterisk's `FEATURE` datastore); later writes change only that
//! channel. What detects feature DTMF reads [`channel_featuremap`] and [`channel_general`], so a
//! `FEATUREMAP(parkcall)=*5` changes which code the channel's bridge hooks match.
//!
//! The functions are registered by [`crate::FeaturesModule`] when it loads (they need its configuration),
//! as Asterisk's core registers them with features.conf.

mod feature;
mod featuremap;

pub use feature::{general_get, general_set, FeatureFn, SetError};
pub use featuremap::{featuremap_get, featuremap_set, FeatureMapFn};

use crate::config::{FeatureMap, FeaturesConfig, General};
use dialplan::diag::LogLevel;
use dialplan::engine::{ChannelId, Engine};
use dialplan::expr::{Effects, FuncError};
use std::sync::Arc;

/// The configuration in force, shared between the features module and its two functions: the functions
/// must be `Send + Sync`, and a reload replaces what they copy into channels from then on.
#[derive(Debug)]
pub struct LoadedFeatures(std::sync::RwLock<Arc<FeaturesConfig>>);

impl LoadedFeatures {
    pub fn new(config: Arc<FeaturesConfig>) -> LoadedFeatures {
        LoadedFeatures(std::sync::RwLock::new(config))
    }

    /// The configuration in force now.
    pub fn get(&self) -> Arc<FeaturesConfig> {
        // A poisoned lock only means a panic elsewhere; the value itself is always whole.
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A reload put `config` in force.
    pub fn set(&self, config: Arc<FeaturesConfig>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = config;
    }
}

/// features_config.c's WARNING for an option or feature name `function` does not know; the read or write
/// fails.
fn invalid_argument(function: &str, args: &str, fx: &mut Effects) -> FuncError {
    fx.asterisk(
        dialplan::expr::codes::FUNC_USAGE,
        LogLevel::Warning,
        "features_config.c",
        format!("Invalid argument '{args}' to {function}()"),
    );
    FuncError::Failed
}

/// features_config.c's WARNING when `function` is used where there is no channel.
fn no_channel(function: &str, fx: &mut Effects) -> FuncError {
    fx.asterisk(
        dialplan::expr::codes::FUNC_USAGE,
        LogLevel::Warning,
        "features_config.c",
        format!("No channel was provided to {function} function."),
    );
    FuncError::Failed
}

/// The datastore key (Asterisk's `FEATURE` datastore).
const KEY: &str = "FEATURE";

/// A channel's own copy of the features configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelFeatures {
    pub general: General,
    pub featuremap: FeatureMap,
    /// `FEATURE(inherit)=yes`: channels this one dials get a copy.
    pub inherit: bool,
}

/// The channel's `[general]`: its own copy if `FEATURE()`/`FEATUREMAP()` made one, else the loaded one.
pub fn channel_general(engine: &Engine, chan: ChannelId, global: &FeaturesConfig) -> General {
    with_copy(engine, chan, |c| c.general.clone()).unwrap_or_else(|| global.general.clone())
}

/// The channel's `featuredigittimeout` (its own copy's, else the loaded one's), without copying the rest
/// of `[general]` (every bridge join asks).
pub fn channel_digit_timeout(
    engine: &Engine,
    chan: ChannelId,
    global: &FeaturesConfig,
) -> std::time::Duration {
    with_copy(engine, chan, |c| c.general.feature_digit_timeout())
        .unwrap_or_else(|| global.general.feature_digit_timeout())
}

/// The channel's `[featuremap]` (its own copy, else the loaded one): what its bridge hooks match.
pub fn channel_featuremap(engine: &Engine, chan: ChannelId, global: &FeaturesConfig) -> FeatureMap {
    with_copy(engine, chan, |c| c.featuremap.clone()).unwrap_or_else(|| global.featuremap.clone())
}

/// Gives `callee` a copy of `caller`'s configuration when the caller set `FEATURE(inherit)=yes`
/// (`ast_channel_datastore_inherit` when Dial creates the callee).
pub fn inherit(engine: &Engine, caller: ChannelId, callee: ChannelId) {
    let Some(copy) = with_copy(engine, caller, |c| c.clone()).filter(|c| c.inherit) else {
        return;
    };
    engine.with_chan_mut(callee, |c| {
        c.datastores.insert(KEY, Box::new(copy));
    });
}

fn with_copy<R>(
    engine: &Engine,
    chan: ChannelId,
    f: impl FnOnce(&ChannelFeatures) -> R,
) -> Option<R> {
    engine
        .with_chan(chan, |c| {
            c.datastores
                .get(KEY)
                .and_then(|d| d.downcast_ref::<ChannelFeatures>())
                .map(f)
        })
        .flatten()
}

/// `get_feature_ds`: runs `f` on the channel's copy, making it from `global` first. `None` without a
/// channel.
fn with_copy_mut<R>(
    engine: &Engine,
    chan: ChannelId,
    global: &FeaturesConfig,
    f: impl FnOnce(&mut ChannelFeatures) -> R,
) -> Option<R> {
    engine
        .with_chan_mut(chan, |c| {
            let ds = c.datastores.entry(KEY).or_insert_with(|| {
                Box::new(ChannelFeatures {
                    general: global.general.clone(),
                    featuremap: global.featuremap.clone(),
                    inherit: false,
                })
            });
            ds.downcast_mut::<ChannelFeatures>().map(f)
        })
        .flatten()
}
