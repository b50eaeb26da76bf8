//! The explain layer of the features module: `DialsimDiagnostic` events for what surprises users.
//!
//! - A configured feature code pressed on a channel that was not armed with it (typically `#72` with a Dial
//!   that has no `k`): the digits reached the peer as ordinary DTMF ([`UnarmedWatch`]).
//! - A channel permitted to park joining a bridge while no parking provider is loaded ([`join_refused`]).
//! - A code that can never fire because a shorter code of the same channel is its prefix ([`shadowed`]).

use super::{codes, dial_side, DialSide};
use crate::config::{BuiltinFeature, FeatureMap, FeaturesConfig};
use crate::hooks::{explain_unarmed, Feature, Handlers, Hook, HookSet, MAX_HOOK_CODE_LEN};
use crate::permissions::FeaturePermissions;
use dialplan::engine::{ChannelId, Engine};
use std::time::Duration;

/// Watches the digits a channel passes to its peer for a configured feature code it is not armed with.
///
/// Only codes written in features.conf count (Asterisk's built-in `#` and `*` are ordinary keys for most
/// callers); digits more than `featuredigittimeout` apart do not form a code, as they would not in Asterisk.
#[derive(Clone, Debug)]
pub struct UnarmedWatch {
    /// The configured codes of the builtins the channel is not armed with; the others are emptied.
    codes: FeatureMap,
    permissions: FeaturePermissions,
    handlers: Handlers,
    digit_timeout: Duration,
    digits: String,
    last: Option<Duration>,
}

impl UnarmedWatch {
    /// The watch for a channel armed with `hooks`, or `None` when no configured code is missing from them.
    pub fn for_channel(
        config: &FeaturesConfig,
        hooks: &HookSet,
        permissions: FeaturePermissions,
        handlers: Handlers,
    ) -> Option<UnarmedWatch> {
        let mut codes = config.featuremap.clone();
        let mut any = false;
        for feature in BuiltinFeature::ALL {
            let armed = hooks
                .hooks()
                .iter()
                .any(|h| h.feature == Feature::Builtin(feature));
            let configured = config.featuremap.span(feature).is_some();
            let code = config.featuremap.hook_code(feature).to_string();
            if armed || !configured || code.is_empty() {
                codes.set(feature, "", None);
            } else {
                codes.set(feature, code, None);
                any = true;
            }
        }
        any.then(|| UnarmedWatch {
            codes,
            permissions,
            handlers,
            digit_timeout: config.general.feature_digit_timeout(),
            digits: String::new(),
            last: None,
        })
    }

    /// A digit (DTMF END) passed to the peer untouched.
    pub fn passed(&mut self, engine: &Engine, chan: ChannelId, digit: char) {
        let now = engine.now();
        if self
            .last
            .is_some_and(|l| now.saturating_sub(l) > self.digit_timeout)
        {
            self.digits.clear();
        }
        self.last = Some(now);
        if self.digits.chars().count() >= MAX_HOOK_CODE_LEN {
            self.digits.remove(0);
        }
        self.digits.push(digit);
        let Some(feature) = explain_unarmed(&self.codes, &self.digits) else {
            return;
        };
        let code = self.codes.hook_code(feature).to_string();
        self.digits.clear();
        not_armed(
            engine,
            chan,
            feature,
            &code,
            self.permissions,
            self.handlers,
        );
    }
}

/// The explanation of a configured code pressed on a channel not armed with it.
fn not_armed(
    engine: &Engine,
    chan: ChannelId,
    feature: BuiltinFeature,
    code: &str,
    permissions: FeaturePermissions,
    handlers: Handlers,
) {
    let name = engine
        .chan_name(chan)
        .map(|n| n.to_string())
        .unwrap_or_default();
    let side = dial_side(engine, chan);
    let permission = feature.permission();
    let lower = permission.letter().to_ascii_lowercase();
    let upper = permission.letter();
    if feature == BuiltinFeature::ParkCall {
        let message = format!(
            "'{code}' pressed on '{name}' is the parkcall code, but this channel may not park calls: the digits went to the other party as ordinary DTMF"
        );
        let mut help = match side {
            Some(DialSide::Callee) => format!(
                "the channel was dialled by a Dial without '{lower}'; add '{lower}' to that Dial's options (e.g. Dial(PJSIP/alice,,{lower})) so the called party may park the caller with '{code}' ('{upper}' does the same for the calling party)"
            ),
            Some(DialSide::Caller) => format!(
                "the channel ran a Dial without '{upper}'; add '{upper}' to its options (e.g. Dial(PJSIP/alice,,{upper})) or set BRIDGE_FEATURES={upper} before it, so the calling party may park the called one ('{lower}' is for the called party)"
            ),
            None => format!(
                "park permission comes from Dial's '{lower}' (called party) or '{upper}' (calling party), or from BRIDGE_FEATURES on the calling channel; this channel got none"
            ),
        };
        if !handlers.has(BuiltinFeature::ParkCall) {
            help.push_str("; besides, res_parking is not loaded, so with the permission Asterisk would refuse to bridge the channel and end the call right after answer");
        }
        engine.explain(codes::PARKCALL_NOT_ARMED, Some(chan), &message, Some(&help));
        return;
    }
    let message = format!(
        "'{code}' pressed on '{name}' is the {} code ({}), but this channel may not use it: the digits went to the other party as ordinary DTMF",
        feature.option_name(),
        feature.label()
    );
    let held = if permissions.contains(permission) {
        "the channel has the permission, but a shorter code shadows this one"
    } else {
        "the channel lacks the permission"
    };
    let help = format!(
        "{held}; Dial's '{lower}' gives it to the called party, '{upper}' to the calling party (or BRIDGE_FEATURES on the calling channel)"
    );
    engine.explain(codes::FEATURE_NOT_ARMED, Some(chan), &message, Some(&help));
}

/// A permitted, mapped feature has no handler: Asterisk refuses the channel's join into the basic bridge.
pub fn join_refused(
    engine: &Engine,
    chan: ChannelId,
    config: &FeaturesConfig,
    feature: BuiltinFeature,
) {
    let name = engine
        .chan_name(chan)
        .map(|n| n.to_string())
        .unwrap_or_default();
    let code = config.featuremap.hook_code(feature);
    if feature == BuiltinFeature::ParkCall {
        let message = format!(
            "'{name}' may park calls (Dial k/K or BRIDGE_FEATURES) and parkcall is mapped to '{code}', but res_parking is not loaded: Asterisk cannot arm the hook, refuses to bridge the channel, and the call ends right after answer"
        );
        let help = "make res_parking load (a lot option under [general] in res_parking.conf makes it decline), or drop k/K from the Dial, or remove parkcall from [featuremap]";
        engine.explain(codes::PARKING_UNAVAILABLE, Some(chan), &message, Some(help));
        return;
    }
    let message = format!(
        "'{name}' may use {} ('{code}') but nothing handles it: Asterisk refuses to bridge the channel",
        feature.option_name()
    );
    engine.explain(codes::PARKING_UNAVAILABLE, Some(chan), &message, None);
}

/// A hook that can never fire because a shorter code of the same channel is a prefix of its code.
pub fn shadowed(engine: &Engine, chan: ChannelId, hook: &Hook, by: &Hook) {
    let name = engine
        .chan_name(chan)
        .map(|n| n.to_string())
        .unwrap_or_default();
    let message = format!(
        "on '{name}' the {} code '{}' can never fire: the {} code '{}' is a prefix of it and fires first",
        feature_name(&hook.feature),
        hook.code,
        feature_name(&by.feature),
        by.code
    );
    let help = "Asterisk runs the first code that matches the digits pressed so far; give features codes that are not prefixes of each other (blindxfer '#' from t/T shadows parkcall '#72'), or do not give one channel both permissions";
    engine.explain(codes::SHADOWED_CODE, Some(chan), &message, Some(help));
}

fn feature_name(feature: &Feature) -> String {
    match feature {
        Feature::Builtin(f) => f.option_name().to_string(),
        Feature::Dynamic(d) => format!("applicationmap item '{}'", d.name),
        Feature::Atxfer(k) => k.option_name().to_string(),
    }
}
