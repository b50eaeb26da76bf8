//! The features.conf model: `[general]`, `[featuremap]`, `[applicationmap]` and feature groups, with
//! Asterisk 22's built-in defaults (`main/features_config.c`, the `DEFAULT_*` macros).
//!
//! The values are what Asterisk stores, not what the file says: integers are kept as the C `unsigned int`
//! fields hold them, DTMF codes of applicationmap items are cut to 10 characters, applicationmap items are
//! kept in Asterisk's container order (by name, ignoring case) and feature groups in the order Asterisk's
//! hash container lists them — so that `features show` and hook arming come out exactly as Asterisk's do.

use dialplan::source::Span;
use std::time::Duration;

/// Longest DTMF code Asterisk keeps for a builtin hook or an applicationmap item: the code is copied into
/// an 11-byte buffer (`AST_FEATURE_MAX_LEN`), so 10 characters survive.
pub const MAX_FEATURE_CODE_LEN: usize = 10;

/// Asterisk 22's built-in feature-digit timeout (`featuredigittimeout`, milliseconds).
pub const DEFAULT_FEATURE_DIGIT_TIMEOUT_MS: u32 = 1000;
/// Default `pickupexten`.
pub const DEFAULT_PICKUPEXTEN: &str = "*8";

/// Everything features.conf configures.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FeaturesConfig {
    pub general: General,
    pub featuremap: FeatureMap,
    /// `[applicationmap]` items, ordered by name ignoring case (Asterisk's sorted container); a later item
    /// with the same name (ignoring case) replaces an earlier one.
    pub applicationmap: Vec<ApplicationMapItem>,
    /// Feature groups in the order Asterisk lists them (its hash container's order, not file order).
    pub groups: Vec<FeatureGroup>,
}

impl FeaturesConfig {
    /// The applicationmap item called `name` (ignoring case, as Asterisk looks it up).
    pub fn application(&self, name: &str) -> Option<&ApplicationMapItem> {
        self.applicationmap
            .iter()
            .find(|item| item.name.eq_ignore_ascii_case(name))
    }

    /// The feature group called `name` (ignoring case).
    pub fn group(&self, name: &str) -> Option<&FeatureGroup> {
        self.groups
            .iter()
            .find(|g| g.name.eq_ignore_ascii_case(name))
    }
}

/// The `[general]` section. Field names are the option names.
///
/// Integer options are parsed by Asterisk as signed 32-bit numbers (C `strtol` rules: `0x` hex, leading-zero
/// octal) and stored in `unsigned int` fields, so `-1` is kept as `4294967295`; the fields mirror that.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct General {
    /// Milliseconds between digits of a feature code (default 1000).
    pub featuredigittimeout: u32,
    pub courtesytone: String,
    pub recordingfailsound: String,
    /// Seconds (default 3).
    pub transferdigittimeout: u32,
    /// Seconds (default 15).
    pub atxfernoanswertimeout: u32,
    pub atxferdropcall: bool,
    /// Seconds (default 10).
    pub atxferloopdelay: u32,
    pub atxfercallbackretries: u32,
    pub xfersound: String,
    pub xferfailsound: String,
    pub atxferabort: String,
    pub atxfercomplete: String,
    pub atxferthreeway: String,
    pub atxferswap: String,
    pub transferdialattempts: u32,
    pub transferretrysound: String,
    pub transferinvalidsound: String,
    pub transferannouncesound: String,
    pub pickupexten: String,
    pub pickupsound: String,
    pub pickupfailsound: String,
}

impl Default for General {
    fn default() -> Self {
        General {
            featuredigittimeout: DEFAULT_FEATURE_DIGIT_TIMEOUT_MS,
            courtesytone: String::new(),
            recordingfailsound: String::new(),
            transferdigittimeout: 3,
            atxfernoanswertimeout: 15,
            atxferdropcall: false,
            atxferloopdelay: 10,
            atxfercallbackretries: 2,
            xfersound: "beep".into(),
            xferfailsound: "beeperr".into(),
            atxferabort: "*1".into(),
            atxfercomplete: "*2".into(),
            atxferthreeway: "*3".into(),
            atxferswap: "*4".into(),
            transferdialattempts: 3,
            transferretrysound: "pbx-invalid".into(),
            transferinvalidsound: "privacy-incorrect".into(),
            transferannouncesound: "pbx-transfer".into(),
            pickupexten: DEFAULT_PICKUPEXTEN.into(),
            pickupsound: String::new(),
            pickupfailsound: String::new(),
        }
    }
}

impl General {
    /// `featuredigittimeout` as a duration.
    pub fn feature_digit_timeout(&self) -> Duration {
        Duration::from_millis(u64::from(self.featuredigittimeout))
    }
}

/// The builtin DTMF features of a basic bridge, in the order Asterisk arms them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BuiltinFeature {
    BlindTransfer,
    AttendedTransfer,
    Disconnect,
    ParkCall,
    AutoMixMon,
}

impl BuiltinFeature {
    /// All builtin features, in arming order (blindxfer, atxfer, disconnect, parkcall, automixmon).
    pub const ALL: [BuiltinFeature; 5] = [
        BuiltinFeature::BlindTransfer,
        BuiltinFeature::AttendedTransfer,
        BuiltinFeature::Disconnect,
        BuiltinFeature::ParkCall,
        BuiltinFeature::AutoMixMon,
    ];

    /// The `[featuremap]` option name (`blindxfer`, `atxfer`, `disconnect`, `parkcall`, `automixmon`).
    pub fn option_name(self) -> &'static str {
        match self {
            BuiltinFeature::BlindTransfer => "blindxfer",
            BuiltinFeature::AttendedTransfer => "atxfer",
            BuiltinFeature::Disconnect => "disconnect",
            BuiltinFeature::ParkCall => "parkcall",
            BuiltinFeature::AutoMixMon => "automixmon",
        }
    }

    /// The label `features show` prints.
    pub fn label(self) -> &'static str {
        match self {
            BuiltinFeature::BlindTransfer => "Blind Transfer",
            BuiltinFeature::AttendedTransfer => "Attended Transfer",
            BuiltinFeature::Disconnect => "Disconnect Call",
            BuiltinFeature::ParkCall => "Park Call",
            BuiltinFeature::AutoMixMon => "One Touch MixMonitor",
        }
    }

    /// Asterisk's built-in code (`#` for blindxfer, `*` for disconnect, empty otherwise).
    pub fn default_code(self) -> &'static str {
        match self {
            BuiltinFeature::BlindTransfer => "#",
            BuiltinFeature::Disconnect => "*",
            BuiltinFeature::AttendedTransfer
            | BuiltinFeature::ParkCall
            | BuiltinFeature::AutoMixMon => "",
        }
    }

    /// The permission a channel needs for this feature to be armed.
    pub fn permission(self) -> crate::Permission {
        use crate::Permission;
        match self {
            BuiltinFeature::BlindTransfer | BuiltinFeature::AttendedTransfer => {
                Permission::Transfer
            }
            BuiltinFeature::Disconnect => Permission::Disconnect,
            BuiltinFeature::ParkCall => Permission::Park,
            BuiltinFeature::AutoMixMon => Permission::AutoMixMon,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One `[featuremap]` code and where it was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureCode {
    /// The code as configured (not cut to [`MAX_FEATURE_CODE_LEN`]; `features show` prints it whole).
    pub code: String,
    /// The line that set it; `None` for the built-in default.
    pub span: Option<Span>,
}

/// The `[featuremap]` section: one DTMF code per builtin feature; an empty code means "not mapped".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureMap {
    codes: [FeatureCode; 5],
}

impl Default for FeatureMap {
    fn default() -> Self {
        FeatureMap {
            codes: BuiltinFeature::ALL.map(|f| FeatureCode {
                code: f.default_code().to_string(),
                span: None,
            }),
        }
    }
}

impl FeatureMap {
    /// The configured code of `feature` (possibly empty).
    pub fn code(&self, feature: BuiltinFeature) -> &str {
        &self.codes[feature.index()].code
    }

    /// The code as a hook uses it: cut to [`MAX_FEATURE_CODE_LEN`] characters.
    pub fn hook_code(&self, feature: BuiltinFeature) -> &str {
        truncate_code(self.code(feature))
    }

    /// Where the code was set (`None`: built-in default).
    pub fn span(&self, feature: BuiltinFeature) -> Option<Span> {
        self.codes[feature.index()].span
    }

    /// Sets a code (what a `[featuremap]` line or `FEATUREMAP()` does).
    pub fn set(&mut self, feature: BuiltinFeature, code: impl Into<String>, span: Option<Span>) {
        self.codes[feature.index()] = FeatureCode {
            code: code.into(),
            span,
        };
    }
}

/// Which side an applicationmap item's application runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivateOn {
    /// `self` (or the old `caller`): the channel that pressed the code.
    Itself,
    /// `peer` (or the old `callee`): the other party.
    Peer,
}

/// One `[applicationmap]` item: `name => dtmf,activate_on,app[,app_data[,moh_class]]` or
/// `name => dtmf,activate_on,app(app_data)[,moh_class]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationMapItem {
    pub name: String,
    /// The code, cut to [`MAX_FEATURE_CODE_LEN`] characters as Asterisk stores it.
    pub dtmf: String,
    pub activate_on: ActivateOn,
    pub app: String,
    pub app_data: String,
    pub moh_class: String,
    pub span: Option<Span>,
}

/// A feature group: a section that is none of the known ones, listing applicationmap items by name with an
/// optional DTMF override each (`name => [dtmf]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureGroup {
    /// The name as first written (groups match names ignoring case).
    pub name: String,
    /// Items ordered by name ignoring case; a later item with the same name replaces an earlier one.
    pub items: Vec<FeatureGroupItem>,
    /// The header of the (first) section.
    pub span: Option<Span>,
}

/// One line of a feature group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureGroupItem {
    /// The applicationmap item it refers to.
    pub name: String,
    /// The group's own code for it; empty means the item's code.
    pub dtmf_override: String,
    pub span: Option<Span>,
}

/// Cuts a code to the length Asterisk keeps for hooks (byte-wise, as C does; never splits a character).
pub(crate) fn truncate_code(code: &str) -> &str {
    if code.len() <= MAX_FEATURE_CODE_LEN {
        return code;
    }
    let mut end = MAX_FEATURE_CODE_LEN;
    while !code.is_char_boundary(end) {
        end -= 1;
    }
    &code[..end]
}

/// Number of buckets of Asterisk's feature-group hash container.
const GROUP_BUCKETS: u32 = 11;

/// The bucket a feature group lands in: Asterisk's case-insensitive djb2 string hash
/// (`ast_str_case_hash`), restricted to a non-negative `int`, modulo the bucket count. Groups are listed
/// bucket by bucket, in insertion order within a bucket.
pub(crate) fn group_bucket(name: &str) -> u32 {
    let mut hash: u32 = 5381;
    for b in name.bytes() {
        hash = hash.wrapping_mul(33) ^ u32::from(b.to_ascii_lowercase());
    }
    (hash & 0x7fff_ffff) % GROUP_BUCKETS
}

/// Inserts into a vector kept sorted by a case-insensitive name, replacing an equal-named element in place
/// (Asterisk's sorted list containers with "replace duplicates").
pub(crate) fn insert_sorted_replace<T>(items: &mut Vec<T>, new: T, name: impl Fn(&T) -> &str) {
    let key = name(&new).to_ascii_lowercase();
    let pos = items.partition_point(|x| name(x).to_ascii_lowercase() < key);
    match items.get(pos) {
        Some(existing) if name(existing).eq_ignore_ascii_case(&key) => items[pos] = new,
        _ => items.insert(pos, new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_asterisk_22s() {
        let cfg = FeaturesConfig::default();
        assert_eq!(cfg.general.featuredigittimeout, 1000);
        assert_eq!(cfg.general.feature_digit_timeout(), Duration::from_secs(1));
        assert_eq!(cfg.general.transferdigittimeout, 3);
        assert_eq!(cfg.general.pickupexten, "*8");
        assert_eq!(cfg.general.transferannouncesound, "pbx-transfer");
        assert_eq!(cfg.featuremap.code(BuiltinFeature::BlindTransfer), "#");
        assert_eq!(cfg.featuremap.code(BuiltinFeature::Disconnect), "*");
        assert_eq!(cfg.featuremap.code(BuiltinFeature::ParkCall), "");
        assert_eq!(cfg.featuremap.code(BuiltinFeature::AttendedTransfer), "");
        assert_eq!(cfg.featuremap.code(BuiltinFeature::AutoMixMon), "");
        assert!(cfg.applicationmap.is_empty() && cfg.groups.is_empty());
    }

    #[test]
    fn codes_are_cut_to_ten_characters() {
        let mut map = FeatureMap::default();
        map.set(BuiltinFeature::ParkCall, "123456789012", None);
        assert_eq!(map.code(BuiltinFeature::ParkCall), "123456789012");
        assert_eq!(map.hook_code(BuiltinFeature::ParkCall), "1234567890");
    }

    #[test]
    fn group_buckets_follow_asterisks_hash() {
        // djb2 with xor over lower-cased bytes: "a" -> (5381*33) ^ 97 = 177604 -> 177604 % 11 = 9.
        assert_eq!(group_bucket("a"), 9);
        // Checked against a Python transcription of ast_str_case_hash.
        assert_eq!(group_bucket("other"), 7);
        assert_eq!(group_bucket("myGroup"), 9);
        assert_eq!(group_bucket("Sales"), group_bucket("sales"));
    }

    #[test]
    fn sorted_insert_replaces_equal_names() {
        let mut v: Vec<(String, u8)> = Vec::new();
        for (n, x) in [("b", 1), ("A", 2), ("c", 3), ("a", 4)] {
            insert_sorted_replace(&mut v, (n.to_string(), x), |e| &e.0);
        }
        assert_eq!(
            v,
            vec![
                ("a".to_string(), 4),
                ("b".to_string(), 1),
                ("c".to_string(), 3)
            ]
        );
    }
}
