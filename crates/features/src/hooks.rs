//! The DTMF hooks a channel gets when it joins a basic bridge.
//!
//! A channel's hooks are its own: DTMF pressed by A is only ever checked against A's hooks. They come from
//! the channel's feature flags ([`FeaturePermissions`]) and the featuremap — blindxfer, atxfer, disconnect,
//! parkcall, automixmon, each only when permitted and mapped to a non-empty code — followed by the
//! applicationmap items `${DYNAMIC_FEATURES}` names. Asterisk keeps them in a list sorted by code (ignoring
//! case) where an equal code replaces the earlier hook; [`HookSet`] is that list.
//! [main/bridge_basic.c · setup_bridge_features_builtin, builtin_features_helper, setup_bridge_features_dynamic;
//! main/features_config.c · ast_get_chan_applicationmap; main/bridge.c · ast_bridge_dtmf_hook,
//! bridge_dtmf_hook_sort]

use crate::config::{
    insert_sorted_replace, truncate_code, ActivateOn, BuiltinFeature, FeatureMap, FeaturesConfig,
};
use crate::permissions::FeaturePermissions;
use dialplan::diag::{LogLevel, LogLine};

/// Longest code a hook holds (`MAXIMUM_DTMF_FEATURE_STRING` − 1); also the most digits a channel collects.
pub const MAX_HOOK_CODE_LEN: usize = 11;

/// What a hook does when its code is matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Feature {
    Builtin(BuiltinFeature),
    Dynamic(DynamicFeature),
    /// A transferer's key while its attended transfer runs (`atxferabort`, `atxfercomplete`, …).
    Atxfer(crate::module::transfer::attended::AtxferKey),
}

/// An applicationmap item as armed on a channel: run `app(app_data)` on the side `activate_on` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DynamicFeature {
    /// The applicationmap item name (set as `DYNAMIC_FEATURENAME` when it runs).
    pub name: String,
    pub app: String,
    pub app_data: String,
    /// Music on hold for the other party while the application runs; empty for none.
    pub moh_class: String,
    pub activate_on: ActivateOn,
}

/// A DTMF code and the feature it triggers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hook {
    pub code: String,
    pub feature: Feature,
}

/// One channel's DTMF hooks, sorted by code ignoring case, codes unique (ignoring case).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HookSet {
    hooks: Vec<Hook>,
}

/// A hook that can never fire because another code on the same channel is a proper prefix of its code and
/// fires first (e.g. blindxfer `#` shadows parkcall `#72`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shadowed<'a> {
    pub hook: &'a Hook,
    pub by: &'a Hook,
}

impl HookSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a hook as `ast_bridge_dtmf_hook` does: the code is cut to [`MAX_HOOK_CODE_LEN`] characters, a
    /// hook with the same code (ignoring case) is replaced. An empty code can never match, so it is not kept.
    pub fn insert(&mut self, code: &str, feature: Feature) {
        let code = cut(code, MAX_HOOK_CODE_LEN);
        if code.is_empty() {
            return;
        }
        insert_sorted_replace(
            &mut self.hooks,
            Hook {
                code: code.to_string(),
                feature,
            },
            |h| h.code.as_str(),
        );
    }

    /// Removes the hooks running `feature` (what a hook callback asking to be removed does).
    pub fn remove(&mut self, feature: &Feature) {
        self.hooks.retain(|h| &h.feature != feature);
    }

    /// The hooks in match order.
    pub fn hooks(&self) -> &[Hook] {
        &self.hooks
    }

    pub fn is_empty(&self) -> bool {
        self.hooks.is_empty()
    }

    /// The first hook, in sort order, whose code starts with `digits` (ignoring case): how Asterisk looks a
    /// collected digit string up. An exact code always sorts before its longer extensions.
    pub fn find_prefix(&self, digits: &str) -> Option<&Hook> {
        self.hooks
            .iter()
            .find(|h| starts_with_ignore_case(&h.code, digits))
    }

    /// Hooks that can never fire: a shorter code of this channel is a prefix of theirs.
    pub fn shadowed(&self) -> Vec<Shadowed<'_>> {
        let mut out = Vec::new();
        for hook in &self.hooks {
            let by = self.hooks.iter().find(|other| {
                other.code.len() < hook.code.len()
                    && starts_with_ignore_case(&hook.code, &other.code)
            });
            if let Some(by) = by {
                out.push(Shadowed { hook, by });
            }
        }
        out
    }
}

/// Which builtin features have a handler registered with the bridging core. Parking registers parkcall's
/// handler, so it is missing when res_parking declined to load; the others are always there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Handlers(u8);

impl Handlers {
    /// Every builtin feature has a handler.
    pub fn all() -> Handlers {
        Handlers(0x1f)
    }

    /// These handlers without `feature`'s.
    pub fn without(self, feature: BuiltinFeature) -> Handlers {
        Handlers(self.0 & !bit(feature))
    }

    pub fn has(self, feature: BuiltinFeature) -> bool {
        self.0 & bit(feature) != 0
    }
}

impl Default for Handlers {
    fn default() -> Self {
        Handlers::all()
    }
}

fn bit(feature: BuiltinFeature) -> u8 {
    1 << (feature as u8)
}

/// The applicationmap items `${DYNAMIC_FEATURES}` selects for a channel, in the order Asterisk arms them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DynamicFeatures {
    /// Hooks ordered by item name ignoring case (duplicates kept, in the order named).
    pub hooks: Vec<Hook>,
    /// `Unknown DYNAMIC_FEATURES item '%s' on channel %s.` for each name that is neither a group nor an item.
    pub warnings: Vec<LogLine>,
}

/// Resolves `${DYNAMIC_FEATURES}` (`#`-separated names; each a feature group — all its items, with the
/// group's code overrides — or an applicationmap item). Asterisk does this when a channel joins a basic
/// bridge, and also once for the calling channel before a bridge call when not both sides have builtin
/// feature flags (which logs the warnings a second time).
pub fn dynamic_features(cfg: &FeaturesConfig, value: &str, channel: &str) -> DynamicFeatures {
    let mut out = DynamicFeatures::default();
    if value.is_empty() {
        return out;
    }
    let mut named: Vec<Hook> = Vec::new();
    for name in value.split('#') {
        if let Some(group) = cfg.group(name) {
            for item in &group.items {
                // Groups are only kept when every item exists (the file is refused otherwise).
                // Without an override Asterisk links the item itself (its own spelling of the name); with
                // one it makes a copy under the group's spelling.
                if let Some(app) = cfg.application(&item.name) {
                    if item.dtmf_override.is_empty() {
                        named.push(dynamic_hook(&app.name, &app.dtmf, app));
                    } else {
                        let code = truncate_code(&item.dtmf_override);
                        named.push(dynamic_hook(&item.name, code, app));
                    }
                }
            }
        } else if let Some(app) = cfg.application(name) {
            named.push(dynamic_hook(&app.name, &app.dtmf, app));
        } else {
            out.warnings.push(LogLine::new(
                LogLevel::Warning,
                "features_config.c",
                format!("Unknown DYNAMIC_FEATURES item '{name}' on channel {channel}."),
            ));
        }
    }
    // A sorted container that allows duplicates: stable sort by name, ignoring case.
    named.sort_by_key(|h| match &h.feature {
        Feature::Dynamic(d) => d.name.to_ascii_lowercase(),
        Feature::Builtin(_) | Feature::Atxfer(_) => String::new(),
    });
    out.hooks = named;
    out
}

fn dynamic_hook(name: &str, code: &str, app: &crate::config::ApplicationMapItem) -> Hook {
    Hook {
        code: code.to_string(),
        feature: Feature::Dynamic(DynamicFeature {
            name: name.to_string(),
            app: app.app.clone(),
            app_data: app.app_data.clone(),
            moh_class: app.moh_class.clone(),
            activate_on: app.activate_on,
        }),
    }
}

/// What a channel joining a basic bridge is armed with.
#[derive(Clone, Copy, Debug)]
pub struct ArmRequest<'a> {
    /// The channel's name, for Asterisk's messages.
    pub channel: &'a str,
    /// The channel's feature flags (its datastore; empty when it has none).
    pub permissions: FeaturePermissions,
    /// The featuremap in force for the channel (the global one, or its `FEATUREMAP()` overrides).
    pub featuremap: &'a FeatureMap,
    /// The loaded configuration (applicationmap and groups).
    pub config: &'a FeaturesConfig,
    /// The channel's `${DYNAMIC_FEATURES}`.
    pub dynamic_features: &'a str,
    pub handlers: Handlers,
}

/// The result of arming a channel's hooks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArmedHooks {
    pub hooks: HookSet,
    /// Asterisk's log lines, in its order: ERROR `Channel %s: Requested DTMF feature %s not available.` for
    /// a permitted, mapped builtin without a handler, then the `DYNAMIC_FEATURES` warnings.
    pub logs: Vec<LogLine>,
    /// A builtin could not be armed: Asterisk's push into the bridge fails and the channel is kicked out
    /// (the call ends right after answer).
    pub failed: Option<BuiltinFeature>,
}

/// Arms the hooks of a channel joining a basic bridge, as Asterisk's basic-bridge personality does.
pub fn arm_basic_bridge_hooks(req: &ArmRequest<'_>) -> ArmedHooks {
    let mut armed = ArmedHooks::default();
    for feature in BuiltinFeature::ALL {
        let code = req.featuremap.hook_code(feature);
        if !req.permissions.contains(feature.permission()) || code.is_empty() {
            continue;
        }
        if req.handlers.has(feature) {
            armed.hooks.insert(code, Feature::Builtin(feature));
        } else {
            armed.logs.push(LogLine::new(
                LogLevel::Error,
                "bridge_basic.c",
                format!(
                    "Channel {}: Requested DTMF feature {} not available.",
                    req.channel,
                    feature.option_name()
                ),
            ));
            armed.failed.get_or_insert(feature);
        }
    }
    let dynamic = dynamic_features(req.config, req.dynamic_features, req.channel);
    for hook in dynamic.hooks {
        armed.hooks.insert(&hook.code, hook.feature);
    }
    armed.logs.extend(dynamic.warnings);
    armed
}

/// For the explain layer: the builtin feature whose featuremap code the DTMF `digits` end with (ignoring
/// case; the longest such code, then arming order), whether or not the channel may use it. Call it with the
/// digits a channel sent that were *not* intercepted: a hit means the user pressed a feature code the
/// channel was not armed with (no `k`/`K`, say).
pub fn explain_unarmed(featuremap: &FeatureMap, digits: &str) -> Option<BuiltinFeature> {
    let mut best: Option<(usize, BuiltinFeature)> = None;
    for feature in BuiltinFeature::ALL {
        let code = featuremap.hook_code(feature);
        if code.is_empty() || !ends_with_ignore_case(digits, code) {
            continue;
        }
        if best.is_none_or(|(len, _)| code.len() > len) {
            best = Some((code.len(), feature));
        }
    }
    best.map(|(_, f)| f)
}

fn cut(code: &str, max: usize) -> &str {
    if code.len() <= max {
        return code;
    }
    let mut end = max;
    while !code.is_char_boundary(end) {
        end -= 1;
    }
    &code[..end]
}

pub(crate) fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ApplicationMapItem, FeatureGroup, FeatureGroupItem};
    use crate::Permission;

    fn map(parkcall: &str, atxfer: &str) -> FeatureMap {
        let mut m = FeatureMap::default();
        m.set(BuiltinFeature::ParkCall, parkcall, None);
        m.set(BuiltinFeature::AttendedTransfer, atxfer, None);
        m
    }

    fn arm(perms: &str, fm: &FeatureMap, cfg: &FeaturesConfig, dynamic: &str) -> ArmedHooks {
        let (p, _) = FeaturePermissions::from_channel_features(perms).expect("valid");
        arm_basic_bridge_hooks(&ArmRequest {
            channel: "PJSIP/alice-00000001",
            permissions: p,
            featuremap: fm,
            config: cfg,
            dynamic_features: dynamic,
            handlers: Handlers::all(),
        })
    }

    fn codes(set: &HookSet) -> Vec<(&str, &Feature)> {
        set.hooks()
            .iter()
            .map(|h| (h.code.as_str(), &h.feature))
            .collect()
    }

    #[test]
    fn no_permission_no_hooks() {
        let cfg = FeaturesConfig::default();
        let armed = arm("", &map("#72", ""), &cfg, "");
        assert!(armed.hooks.is_empty());
        assert!(armed.logs.is_empty() && armed.failed.is_none());
    }

    #[test]
    fn k_arms_parkcall_only_when_mapped() {
        let cfg = FeaturesConfig::default();
        let armed = arm("K", &map("#72", ""), &cfg, "");
        assert_eq!(
            codes(&armed.hooks),
            vec![("#72", &Feature::Builtin(BuiltinFeature::ParkCall))]
        );
        let unmapped = arm("K", &map("", ""), &cfg, "");
        assert!(unmapped.hooks.is_empty());
    }

    #[test]
    fn t_arms_both_transfers_and_equal_codes_replace() {
        let cfg = FeaturesConfig::default();
        // atxfer mapped to "#" like blindxfer: the later (atxfer) replaces the earlier.
        let armed = arm("TH", &map("", "#"), &cfg, "");
        assert_eq!(
            codes(&armed.hooks),
            vec![
                ("#", &Feature::Builtin(BuiltinFeature::AttendedTransfer)),
                ("*", &Feature::Builtin(BuiltinFeature::Disconnect)),
            ]
        );
    }

    #[test]
    fn hooks_are_sorted_by_code_and_shadowing_is_reported() {
        let cfg = FeaturesConfig::default();
        let armed = arm("TK", &map("#72", "*2"), &cfg, "");
        assert_eq!(
            armed
                .hooks
                .hooks()
                .iter()
                .map(|h| h.code.as_str())
                .collect::<Vec<_>>(),
            vec!["#", "#72", "*2"]
        );
        let shadowed = armed.hooks.shadowed();
        assert_eq!(shadowed.len(), 1);
        assert_eq!(shadowed[0].hook.code, "#72");
        assert_eq!(shadowed[0].by.code, "#");
        assert_eq!(
            armed.hooks.find_prefix("#").map(|h| h.code.as_str()),
            Some("#")
        );
    }

    #[test]
    fn missing_parking_handler_fails_the_push() {
        let cfg = FeaturesConfig::default();
        let fm = map("#72", "");
        let armed = arm_basic_bridge_hooks(&ArmRequest {
            channel: "Local/alice@parking-example-00000000;1",
            permissions: FeaturePermissions::NONE.with(Permission::Park),
            featuremap: &fm,
            config: &cfg,
            dynamic_features: "",
            handlers: Handlers::all().without(BuiltinFeature::ParkCall),
        });
        assert_eq!(armed.failed, Some(BuiltinFeature::ParkCall));
        assert_eq!(
            armed.logs[0].console(),
            "ERROR: bridge_basic.c: Channel Local/alice@parking-example-00000000;1: Requested DTMF feature parkcall not available."
        );
    }

    fn app(name: &str, dtmf: &str) -> ApplicationMapItem {
        ApplicationMapItem {
            name: name.into(),
            dtmf: dtmf.into(),
            activate_on: ActivateOn::Itself,
            app: "Playback".into(),
            app_data: "tt-monkeys".into(),
            moh_class: String::new(),
            span: None,
        }
    }

    fn cfg_with_apps() -> FeaturesConfig {
        FeaturesConfig {
            applicationmap: vec![app("monkeys", "*9"), app("Zap", "#1")],
            groups: vec![FeatureGroup {
                name: "fun".into(),
                items: vec![FeatureGroupItem {
                    name: "monkeys".into(),
                    dtmf_override: "*7".into(),
                    span: None,
                }],
                span: None,
            }],
            ..FeaturesConfig::default()
        }
    }

    #[test]
    fn dynamic_features_resolve_groups_items_and_unknowns() {
        let cfg = cfg_with_apps();
        let dynamic = dynamic_features(&cfg, "zap#FUN#nope", "PJSIP/bob-00000002");
        let got: Vec<_> = dynamic.hooks.iter().map(|h| h.code.as_str()).collect();
        // Sorted by item name: monkeys (from the group, overridden to *7) before Zap.
        assert_eq!(got, vec!["*7", "#1"]);
        assert_eq!(
            dynamic.warnings[0].console(),
            "WARNING: features_config.c: Unknown DYNAMIC_FEATURES item 'nope' on channel PJSIP/bob-00000002."
        );
    }

    #[test]
    fn dynamic_hooks_come_after_builtins_and_replace_equal_codes() {
        let cfg = cfg_with_apps();
        // Zap's "#1" coexists with blindxfer "#" (which shadows it); a dynamic "*" would replace disconnect.
        let mut cfg2 = cfg.clone();
        cfg2.applicationmap.push(app("star", "*"));
        let armed = arm("TH", &FeatureMap::default(), &cfg2, "Zap#star");
        let got: Vec<_> = codes(&armed.hooks)
            .into_iter()
            .map(|(c, f)| (c.to_string(), matches!(f, Feature::Builtin(_))))
            .collect();
        assert_eq!(
            got,
            vec![
                ("#".to_string(), true),
                ("#1".to_string(), false),
                ("*".to_string(), false),
            ]
        );
    }

    #[test]
    fn explain_finds_the_unarmed_code_the_digits_end_with() {
        let fm = map("#72", "");
        assert_eq!(explain_unarmed(&fm, "#72"), Some(BuiltinFeature::ParkCall));
        assert_eq!(explain_unarmed(&fm, "5#72"), Some(BuiltinFeature::ParkCall));
        assert_eq!(
            explain_unarmed(&fm, "#"),
            Some(BuiltinFeature::BlindTransfer)
        );
        assert_eq!(explain_unarmed(&fm, "7"), None);
        assert_eq!(explain_unarmed(&FeatureMap::default(), "#72"), None);
    }

    #[test]
    fn codes_longer_than_eleven_are_cut() {
        let mut set = HookSet::new();
        set.insert(
            "123456789012345",
            Feature::Builtin(BuiltinFeature::ParkCall),
        );
        assert_eq!(set.hooks()[0].code, "12345678901");
        set.insert("", Feature::Builtin(BuiltinFeature::Disconnect));
        assert_eq!(set.hooks().len(), 1);
    }
}
