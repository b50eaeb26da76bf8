//! The `res_parking.conf` model: the `[general]` options and one [`LotConfig`] per parking lot.
//!
//! Every option keeps the value res_parking would use and, when the file set it, the span of the line that
//! did, so diagnostics and `parking show` explanations can point at the configuration. Defaults are the ones
//! res_parking registers with the configuration framework (`res/res_parking.c` · `load_module`).

use dialplan::source::Span;
use std::fmt;

/// The lot res_parking adds when the file has no section of that name, and the lot a channel uses by default.
pub const DEFAULT_LOT: &str = "default";
/// The `parkext` of the lot res_parking adds by itself (a user-written `[default]` does not get it).
pub const DEFAULT_PARKEXT: &str = "700";
/// The registrar of the shared `Park()` extensions and of `park-dial`; lots use `res_parking/<lot>`.
pub const BASE_REGISTRAR: &str = "res_parking";
/// The context res_parking writes comeback `Dial` extensions into at a timeout.
pub const PARK_DIAL_CONTEXT: &str = "park-dial";
/// The application of a lot's parking extension.
pub const PARK_APPLICATION: &str = "Park";
/// The application of a lot's parking-space extensions.
pub const PARKED_CALL_APPLICATION: &str = "ParkedCall";

/// An option's value and where it was set; `span` is `None` when the default applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    /// The `key => value` line that set the value (the last one, when several did).
    pub span: Option<Span>,
}

impl<T> Setting<T> {
    /// A default value, set by no line.
    pub fn default_value(value: T) -> Self {
        Setting { value, span: None }
    }

    /// Whether a line of the file set this option.
    pub fn is_set(&self) -> bool {
        self.span.is_some()
    }
}

/// The parsed `res_parking.conf`, as res_parking keeps it after a successful load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParkingConfig {
    pub general: General,
    /// Every lot, in name order (byte order, as `parking show` lists them). Includes the implicit `default`.
    pub lots: Vec<LotConfig>,
}

impl ParkingConfig {
    /// The lot with exactly this name (lot names are case-sensitive).
    pub fn lot(&self, name: &str) -> Option<&LotConfig> {
        self.lots
            .binary_search_by(|lot| lot.name.as_str().cmp(name))
            .ok()
            .and_then(|i| self.lots.get(i))
    }

    /// The lots in the order res_parking walks its configuration container when it registers their
    /// extensions: Asterisk keeps lot configurations in a 37-bucket hash table keyed by name, so the walk goes
    /// bucket by bucket and, within a bucket, in the order the lots were first defined. The order decides which
    /// lot reports a conflict between two lots.
    pub fn registration_order(&self) -> Vec<&LotConfig> {
        let mut lots: Vec<&LotConfig> = self.lots.iter().collect();
        lots.sort_by_key(|lot| (config_bucket(&lot.name), lot.definition_order));
        lots
    }
}

/// `[general]`: only `parkeddynamic`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct General {
    /// `parkeddynamic` (default `no`): unknown lot names create lots on the fly.
    pub parkeddynamic: Setting<bool>,
}

impl Default for General {
    fn default() -> Self {
        General {
            parkeddynamic: Setting::default_value(false),
        }
    }
}

/// Where a lot came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LotOrigin {
    /// One or more sections of the file (same-name sections merge into one lot).
    Configured,
    /// The `default` lot res_parking adds when the file has no `[default]` section.
    Implicit,
}

/// One parking lot's configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LotConfig {
    /// The section name, exactly as written.
    pub name: String,
    pub origin: LotOrigin,
    /// The header of every section that configured the lot, in file order (empty for the implicit lot).
    pub sections: Vec<Span>,
    /// Position among the lots in order of first definition (the implicit lot comes last).
    pub definition_order: usize,
    /// `context` (default `parkedcalls`): where the generated extensions go.
    pub context: Setting<String>,
    /// `parkext` (default empty): the extension running `Park`; empty ⇒ no generated extensions at all.
    pub parkext: Setting<String>,
    /// `parkext_exclusive` (default `no`).
    pub parkext_exclusive: Setting<bool>,
    /// `parkpos` (default `701-750`).
    pub parkpos: Setting<SpaceRange>,
    /// `parkinghints` (default `no`): a `park:<space>@<context>` hint per space.
    pub parkinghints: Setting<bool>,
    /// `parkingtime` in seconds (default 45; 0 = never time out).
    pub parkingtime: Setting<u32>,
    /// `parkedmusicclass` (default empty: the channel's class).
    pub parkedmusicclass: Setting<String>,
    /// `comebacktoorigin` (default `yes`).
    pub comebacktoorigin: Setting<bool>,
    /// `comebackdialtime` in seconds (default 30): the timeout of the generated `park-dial` Dial.
    pub comebackdialtime: Setting<u32>,
    /// `comebackcontext` (default `parkedcallstimeout`), used when `comebacktoorigin=no`.
    pub comebackcontext: Setting<String>,
    /// `courtesytone` (default empty: none).
    pub courtesytone: Setting<String>,
    /// `parkedplay` (default `caller`): who hears the courtesy tone at retrieval.
    pub parkedplay: Setting<FeatureFlag>,
    /// `parkedcalltransfers` (default `no`).
    pub parkedcalltransfers: Setting<FeatureFlag>,
    /// `parkedcallreparking` (default `no`).
    pub parkedcallreparking: Setting<FeatureFlag>,
    /// `parkedcallhangup` (default `no`).
    pub parkedcallhangup: Setting<FeatureFlag>,
    /// `parkedcallrecording` (default `no`).
    pub parkedcallrecording: Setting<FeatureFlag>,
    /// `findslot` (default `first`).
    pub findslot: Setting<FindSlot>,
}

impl LotConfig {
    /// A lot with every option at its default, as the configuration framework creates it for a new section.
    pub fn with_defaults(name: &str, origin: LotOrigin, definition_order: usize) -> Self {
        LotConfig {
            name: name.to_string(),
            origin,
            sections: Vec::new(),
            definition_order,
            context: Setting::default_value("parkedcalls".to_string()),
            parkext: Setting::default_value(String::new()),
            parkext_exclusive: Setting::default_value(false),
            parkpos: Setting::default_value(SpaceRange {
                start: 701,
                stop: 750,
            }),
            parkinghints: Setting::default_value(false),
            parkingtime: Setting::default_value(45),
            parkedmusicclass: Setting::default_value(String::new()),
            comebacktoorigin: Setting::default_value(true),
            comebackdialtime: Setting::default_value(30),
            comebackcontext: Setting::default_value("parkedcallstimeout".to_string()),
            courtesytone: Setting::default_value(String::new()),
            parkedplay: Setting::default_value(FeatureFlag::Caller),
            parkedcalltransfers: Setting::default_value(FeatureFlag::No),
            parkedcallreparking: Setting::default_value(FeatureFlag::No),
            parkedcallhangup: Setting::default_value(FeatureFlag::No),
            parkedcallrecording: Setting::default_value(FeatureFlag::No),
            findslot: Setting::default_value(FindSlot::First),
        }
    }

    /// The registrar of this lot's `ParkedCall` extensions and hints (and of `Park` when exclusive).
    pub fn registrar(&self) -> String {
        format!("{BASE_REGISTRAR}/{}", self.name)
    }

    /// The value of `BRIDGE_FEATURES` res_parking sets on a parkee whose time ran out: `t`, `k`, `h`, `x` for
    /// each of parkedcalltransfers/reparking/hangup/recording that includes the caller (lower case, because
    /// the called-back party is the callee of the comeback Dial).
    pub fn comeback_bridge_features(&self) -> String {
        [
            (&self.parkedcalltransfers, 't'),
            (&self.parkedcallreparking, 'k'),
            (&self.parkedcallhangup, 'h'),
            (&self.parkedcallrecording, 'x'),
        ]
        .iter()
        .filter(|(flag, _)| flag.value.includes_caller())
        .map(|(_, letter)| *letter)
        .collect()
    }
}

/// `parkpos`: the inclusive range of parking spaces, `0 < start <= stop`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpaceRange {
    pub start: u32,
    pub stop: u32,
}

impl SpaceRange {
    /// How many spaces the range holds.
    pub fn len(&self) -> u64 {
        u64::from(self.stop) - u64::from(self.start) + 1
    }

    /// Never true for a validated range; present for API symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        self.stop < self.start
    }

    pub fn contains(&self, space: u32) -> bool {
        (self.start..=self.stop).contains(&space)
    }
}

impl fmt::Display for SpaceRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.stop)
    }
}

/// `findslot`: where the search for a free space starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindSlot {
    /// Always the lowest free space.
    First,
    /// The space after the last one handed out, wrapping around.
    Next,
}

/// Who may use a parked-call feature (or hears the courtesy tone): the values of `parkedplay` and
/// `parkedcall*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeatureFlag {
    No,
    /// The retriever (at retrieval); the called-back party at a timeout.
    Caller,
    /// The parked channel.
    Callee,
    Both,
}

impl FeatureFlag {
    pub fn includes_caller(self) -> bool {
        matches!(self, FeatureFlag::Caller | FeatureFlag::Both)
    }

    pub fn includes_callee(self) -> bool {
        matches!(self, FeatureFlag::Callee | FeatureFlag::Both)
    }
}

/// The bucket of a lot name in res_parking's configuration hash table (37 buckets, Asterisk's string hash:
/// djb2 with xor over the bytes, then the sign bit cleared).
fn config_bucket(name: &str) -> u32 {
    const BUCKETS: u32 = 37;
    let hash = name
        .bytes()
        .fold(5381u32, |h, b| h.wrapping_mul(33) ^ u32::from(b));
    (hash & 0x7fff_ffff) % BUCKETS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_res_parking_defaults() {
        let lot = LotConfig::with_defaults("default", LotOrigin::Configured, 0);
        assert_eq!(lot.context.value, "parkedcalls");
        assert_eq!(lot.parkext.value, "");
        assert_eq!(lot.parkpos.value.to_string(), "701-750");
        assert_eq!(lot.parkingtime.value, 45);
        assert_eq!(lot.comebackdialtime.value, 30);
        assert_eq!(lot.comebackcontext.value, "parkedcallstimeout");
        assert!(lot.comebacktoorigin.value);
        assert_eq!(lot.parkedplay.value, FeatureFlag::Caller);
        assert_eq!(lot.findslot.value, FindSlot::First);
        assert_eq!(lot.registrar(), "res_parking/default");
        assert_eq!(lot.comeback_bridge_features(), "");
    }

    #[test]
    fn bridge_features_letters_in_asterisk_order() {
        let mut lot = LotConfig::with_defaults("x", LotOrigin::Configured, 0);
        lot.parkedcallrecording.value = FeatureFlag::Both;
        lot.parkedcalltransfers.value = FeatureFlag::Caller;
        lot.parkedcallhangup.value = FeatureFlag::Callee;
        lot.parkedcallreparking.value = FeatureFlag::Caller;
        assert_eq!(lot.comeback_bridge_features(), "tkx");
    }

    #[test]
    fn bucket_matches_asterisk_string_hash() {
        // Values computed independently from Asterisk's ast_str_hash (djb2-xor, 31 bits) modulo 37.
        assert_eq!(config_bucket("default"), 35);
        assert_eq!(config_bucket("sales"), 28);
        assert_eq!(config_bucket("a"), 4);
        assert_eq!(config_bucket("parkinglot_sales"), 22);
        assert_eq!(config_bucket(""), 5381 % 37);
    }
}
