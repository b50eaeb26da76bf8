//! Which party may use which builtin feature: Dial's option letters, `${BRIDGE_FEATURES}`, and the
//! per-channel feature flags they are OR-ed into.
//!
//! Asterisk keeps a channel's feature flags in a datastore (`bridge-dtmf-features`) that outlives the Dial
//! that set them: every bridge call ORs the new flags in (`ast_bridge_features_ds_append`), so a channel that
//! once had `K` keeps it in later basic bridges. `CHANNEL(features)=...` replaces them instead.
//! [main/features.c · pre_bridge_setup, set_bridge_features_on_config; main/bridge_basic.c ·
//! bridge_features_ds_set_full; apps/app_dial.c · dial_exec_full]

use dialplan::diag::{LogLevel, LogLine};
use std::fmt;
use std::ops::{BitOr, BitOrAssign};

/// One feature permission, as Asterisk's `AST_FEATURE_*` flags name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// `t`/`T`: arms blindxfer and atxfer.
    Transfer,
    /// `k`/`K`: arms parkcall.
    Park,
    /// `h`/`H`: arms disconnect.
    Disconnect,
    /// `w`/`W`: one-touch Monitor. Asterisk 22 still accepts and stores the flag, but no hook uses it
    /// (`automon` is gone from features.conf), so it arms nothing.
    AutoMon,
    /// `x`/`X`: arms automixmon.
    AutoMixMon,
}

impl Permission {
    /// In the order `CHANNEL(features)` prints them (`T K H W X`).
    pub const ALL: [Permission; 5] = [
        Permission::Transfer,
        Permission::Park,
        Permission::Disconnect,
        Permission::AutoMon,
        Permission::AutoMixMon,
    ];

    /// The upper-case letter (the caller's Dial option; `CHANNEL(features)` uses it for the channel itself).
    pub fn letter(self) -> char {
        match self {
            Permission::Transfer => 'T',
            Permission::Park => 'K',
            Permission::Disconnect => 'H',
            Permission::AutoMon => 'W',
            Permission::AutoMixMon => 'X',
        }
    }

    /// The permission named by a feature letter of either case.
    pub fn from_letter(letter: char) -> Option<Permission> {
        match letter.to_ascii_uppercase() {
            'T' => Some(Permission::Transfer),
            'K' => Some(Permission::Park),
            'H' => Some(Permission::Disconnect),
            'W' => Some(Permission::AutoMon),
            'X' => Some(Permission::AutoMixMon),
            _ => None,
        }
    }

    fn bit(self) -> u8 {
        match self {
            Permission::Transfer => 1,
            Permission::Park => 2,
            Permission::Disconnect => 4,
            Permission::AutoMon => 8,
            Permission::AutoMixMon => 16,
        }
    }
}

/// A set of [`Permission`]s: one channel's feature flags.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FeaturePermissions(u8);

impl FeaturePermissions {
    /// No permission at all (also what a channel without the datastore has).
    pub const NONE: FeaturePermissions = FeaturePermissions(0);

    /// This set plus `permission`.
    pub fn with(self, permission: Permission) -> Self {
        FeaturePermissions(self.0 | permission.bit())
    }

    pub fn contains(self, permission: Permission) -> bool {
        self.0 & permission.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The permissions in `T K H W X` order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .into_iter()
            .filter(move |p| self.contains(*p))
    }

    /// What `${CHANNEL(features)}` reads: the upper-case letters in `T K H W X` order.
    pub fn letters(self) -> String {
        self.iter().map(Permission::letter).collect()
    }

    /// `Set(CHANNEL(features)=...)`: the new flags, which **replace** the channel's (not OR-ed), and the
    /// warnings Asterisk logs. Lower-case letters reject the whole string (the channel keeps its flags).
    /// [main/bridge_basic.c · build_dtmf_features]
    pub fn from_channel_features(
        value: &str,
    ) -> Result<(FeaturePermissions, Vec<LogLine>), LogLine> {
        let mut perms = FeaturePermissions::NONE;
        let mut missing = String::new();
        for c in value.chars() {
            if !c.is_ascii_uppercase() {
                return Err(LogLine::new(
                    LogLevel::Error,
                    "bridge_basic.c",
                    format!(
                        "Features string '{value}' rejected because it contains non-uppercase feature."
                    ),
                ));
            }
            match Permission::from_letter(c) {
                Some(p) => perms = perms.with(p),
                None => missing.push(c),
            }
        }
        let mut logs = Vec::new();
        if !missing.is_empty() {
            logs.push(LogLine::new(
                LogLevel::Warning,
                "bridge_basic.c",
                format!("Features '{missing}' from features string '{value}' can not be applied."),
            ));
        }
        Ok((perms, logs))
    }
}

impl BitOr for FeaturePermissions {
    type Output = FeaturePermissions;
    fn bitor(self, rhs: Self) -> Self {
        FeaturePermissions(self.0 | rhs.0)
    }
}

impl BitOrAssign for FeaturePermissions {
    fn bitor_assign(&mut self, rhs: Self) {
        self.0 |= rhs.0;
    }
}

impl FromIterator<Permission> for FeaturePermissions {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        iter.into_iter()
            .fold(FeaturePermissions::NONE, FeaturePermissions::with)
    }
}

impl fmt::Debug for FeaturePermissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FeaturePermissions({:?})", self.letters())
    }
}

/// The feature flags one bridge call hands to each side: Dial's letters plus `${BRIDGE_FEATURES}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DialFeatures {
    /// The calling channel (the one running Dial): upper-case letters.
    pub caller: FeaturePermissions,
    /// The called channel: lower-case letters.
    pub callee: FeaturePermissions,
}

impl DialFeatures {
    /// The feature flags of Dial's options `t T h H k K w W x X`. `letters` are the option letters Dial's own
    /// option parser found (arguments such as `L(...)` already set aside); letters that are not feature
    /// options are ignored. `w`/`W` are accepted and stored but arm nothing in Asterisk 22.
    pub fn from_dial_options(letters: impl IntoIterator<Item = char>) -> DialFeatures {
        let mut df = DialFeatures::default();
        for c in letters {
            if let Some(p) = Permission::from_letter(c) {
                *df.party_mut(c) |= FeaturePermissions::NONE.with(p);
            }
        }
        df
    }

    /// Adds the letters of `${BRIDGE_FEATURES}` (read on the calling channel when the bridge starts):
    /// upper case for the caller, anything else for the callee; a letter that is not `t k h w x` in either
    /// case gives Asterisk's WARNING `Skipping unknown feature code '%c'` (returned) and is skipped.
    pub fn add_bridge_features(&mut self, value: &str) -> Vec<LogLine> {
        let mut logs = Vec::new();
        for c in value.chars() {
            match Permission::from_letter(c) {
                Some(p) => *self.party_mut(c) |= FeaturePermissions::NONE.with(p),
                None => logs.push(LogLine::new(
                    LogLevel::Warning,
                    "features.c",
                    format!("Skipping unknown feature code '{c}'"),
                )),
            }
        }
        logs
    }

    fn party_mut(&mut self, letter: char) -> &mut FeaturePermissions {
        if letter.is_ascii_uppercase() {
            &mut self.caller
        } else {
            &mut self.callee
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dial_letters_split_caller_and_callee() {
        let df = DialFeatures::from_dial_options("kTgx".chars());
        assert_eq!(df.callee.letters(), "KX");
        assert_eq!(df.caller.letters(), "T");
        assert!(df.callee.contains(Permission::Park));
        assert!(!df.caller.contains(Permission::Park));
    }

    #[test]
    fn w_is_stored_but_is_only_automon() {
        let df = DialFeatures::from_dial_options("wW".chars());
        assert_eq!(df.caller.letters(), "W");
        assert_eq!(df.callee.letters(), "W");
    }

    #[test]
    fn bridge_features_add_and_warn() {
        let mut df = DialFeatures::from_dial_options("k".chars());
        let logs = df.add_bridge_features("Tz1h");
        assert_eq!(df.caller.letters(), "T");
        assert_eq!(df.callee.letters(), "KH");
        let texts: Vec<_> = logs.iter().map(LogLine::console).collect();
        assert_eq!(
            texts,
            vec![
                "WARNING: features.c: Skipping unknown feature code 'z'",
                "WARNING: features.c: Skipping unknown feature code '1'",
            ]
        );
    }

    #[test]
    fn permissions_are_ored_never_cleared() {
        let mut chan = FeaturePermissions::NONE.with(Permission::Park);
        chan |= DialFeatures::from_dial_options("t".chars()).callee;
        assert_eq!(chan.letters(), "TK");
        chan |= FeaturePermissions::NONE;
        assert_eq!(chan.letters(), "TK");
    }

    #[test]
    fn channel_features_replace_and_validate() {
        let (p, logs) = FeaturePermissions::from_channel_features("KXZ").expect("accepted");
        assert_eq!(p.letters(), "KX");
        assert_eq!(
            logs[0].console(),
            "WARNING: bridge_basic.c: Features 'Z' from features string 'KXZ' can not be applied."
        );
        let err = FeaturePermissions::from_channel_features("Kk").expect_err("rejected");
        assert_eq!(
            err.text,
            "Features string 'Kk' rejected because it contains non-uppercase feature."
        );
        assert_eq!(
            FeaturePermissions::from_channel_features("")
                .expect("empty is fine")
                .0,
            FeaturePermissions::NONE
        );
    }
}
