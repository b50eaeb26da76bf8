//! The options res_parking registers and how each one reads its value, as Asterisk's handlers do.
//!
//! Option names match case-insensitively; values are taken as the configuration parser left them (trimmed).
//! Each reader reproduces the C handler it stands for, including its quirks: `parkpos` is scanned like
//! `sscanf("%30d-%30d")`, the second numbers in seconds like `strtoul(…, 0)` (so `010` is octal 8),
//! booleans never fail (anything but a true word is false), `findslot` is case-sensitive.

use crate::config::{FeatureFlag, FindSlot, SpaceRange};

/// The only option of the `[general]` section.
pub const GENERAL_OPTION: &str = "parkeddynamic";

/// An option of a lot section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LotOption {
    Parkext,
    Context,
    Parkingtime,
    Comebacktoorigin,
    Comebackcontext,
    Comebackdialtime,
    Parkedmusicclass,
    ParkextExclusive,
    Parkinghints,
    Courtesytone,
    Parkpos,
    Findslot,
    Parkedplay,
    Parkedcalltransfers,
    Parkedcallreparking,
    Parkedcallhangup,
    Parkedcallrecording,
}

impl LotOption {
    /// Every lot option, in the order res_parking registers them.
    pub const ALL: [LotOption; 17] = [
        LotOption::Parkext,
        LotOption::Context,
        LotOption::Parkingtime,
        LotOption::Comebacktoorigin,
        LotOption::Comebackcontext,
        LotOption::Comebackdialtime,
        LotOption::Parkedmusicclass,
        LotOption::ParkextExclusive,
        LotOption::Parkinghints,
        LotOption::Courtesytone,
        LotOption::Parkpos,
        LotOption::Findslot,
        LotOption::Parkedplay,
        LotOption::Parkedcalltransfers,
        LotOption::Parkedcallreparking,
        LotOption::Parkedcallhangup,
        LotOption::Parkedcallrecording,
    ];

    /// The option's name as res_parking registers it.
    pub fn name(self) -> &'static str {
        match self {
            LotOption::Parkext => "parkext",
            LotOption::Context => "context",
            LotOption::Parkingtime => "parkingtime",
            LotOption::Comebacktoorigin => "comebacktoorigin",
            LotOption::Comebackcontext => "comebackcontext",
            LotOption::Comebackdialtime => "comebackdialtime",
            LotOption::Parkedmusicclass => "parkedmusicclass",
            LotOption::ParkextExclusive => "parkext_exclusive",
            LotOption::Parkinghints => "parkinghints",
            LotOption::Courtesytone => "courtesytone",
            LotOption::Parkpos => "parkpos",
            LotOption::Findslot => "findslot",
            LotOption::Parkedplay => "parkedplay",
            LotOption::Parkedcalltransfers => "parkedcalltransfers",
            LotOption::Parkedcallreparking => "parkedcallreparking",
            LotOption::Parkedcallhangup => "parkedcallhangup",
            LotOption::Parkedcallrecording => "parkedcallrecording",
        }
    }

    /// The option a key names; the configuration framework compares names ignoring ASCII case.
    pub fn from_key(key: &str) -> Option<LotOption> {
        LotOption::ALL
            .into_iter()
            .find(|o| o.name().eq_ignore_ascii_case(key))
    }
}

/// Whether `key` names the `[general]` option.
pub fn is_general_option(key: &str) -> bool {
    GENERAL_OPTION.eq_ignore_ascii_case(key)
}

/// A known option name close to `key` (a likely typo), for dialsim's hint.
pub fn closest_option(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    LotOption::ALL
        .iter()
        .map(|o| o.name())
        .chain(std::iter::once(GENERAL_OPTION))
        .map(|name| (edit_distance(&lower, name), name))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

/// Asterisk's `ast_true`: `yes true y t 1 on`, ignoring ASCII case.
pub fn ast_true(value: &str) -> bool {
    ["yes", "true", "y", "t", "1", "on"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(value))
}

/// Asterisk's `ast_false`: `no false n f 0 off`, ignoring ASCII case.
pub fn ast_false(value: &str) -> bool {
    ["no", "false", "n", "f", "0", "off"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(value))
}

/// Why a `parkpos` value was refused; each maps to res_parking's WARNING.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParkposError {
    /// Not two numbers joined by `-` (`Format for parking positions is a-b, where a and b are numbers`).
    NotNumbers,
    /// High below low, or a bound ≤ 0 (`Format for parking positions is a-b, where a <= b`).
    Order,
}

impl ParkposError {
    /// res_parking's WARNING text.
    pub fn asterisk_text(self) -> &'static str {
        match self {
            ParkposError::NotNumbers => {
                "Format for parking positions is a-b, where a and b are numbers"
            }
            ParkposError::Order => "Format for parking positions is a-b, where a <= b",
        }
    }
}

/// Reads `parkpos` like `sscanf(value, "%30d-%30d")` followed by res_parking's checks: leading blanks before
/// each number are skipped, the `-` must follow the first number at once (so `701 - 709` fails), text after
/// the second number is ignored, leading zeros vanish (`0701` is 701).
pub fn parse_parkpos(value: &str) -> Result<SpaceRange, ParkposError> {
    let (low, rest) = scan_c_int(value, 30).ok_or(ParkposError::NotNumbers)?;
    let rest = rest.strip_prefix('-').ok_or(ParkposError::NotNumbers)?;
    let (high, _) = scan_c_int(rest, 30).ok_or(ParkposError::NotNumbers)?;
    if high < low || low <= 0 || high <= 0 {
        return Err(ParkposError::Order);
    }
    // Both are positive here, so the conversions cannot fail.
    match (u32::try_from(low), u32::try_from(high)) {
        (Ok(start), Ok(stop)) => Ok(SpaceRange { start, stop }),
        _ => Err(ParkposError::Order),
    }
}

/// Reads an unsigned 32-bit option (`parkingtime`, `comebackdialtime`) like Asterisk's `ast_parse_arg` with
/// `PARSE_UINT32`: empty fails; after leading blanks a `-` fails; then `strtoul(value, &end, 0)` must use the
/// whole value (`0x` prefix = hex, leading `0` = octal) and fit in 32 bits.
pub fn parse_uint32(value: &str) -> Option<u32> {
    if value.is_empty() {
        return None;
    }
    // ast_skip_blanks skips every byte below 33.
    let s = value.trim_start_matches(|c: char| (c as u32) < 33);
    if s.starts_with('-') {
        return None;
    }
    if s.is_empty() {
        // strtoul converts nothing and leaves the end pointer on the terminator: no error, value 0.
        return Some(0);
    }
    let unsigned = s.strip_prefix('+').unwrap_or(s);
    let (radix, digits) = if let Some(hex) = unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
        .filter(|h| h.starts_with(|c: char| c.is_ascii_hexdigit()))
    {
        (16, hex)
    } else if unsigned.starts_with('0') {
        (8, unsigned)
    } else {
        (10, unsigned)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        // Either nothing converted (end pointer on the first character) or junk follows the number.
        return None;
    }
    // Anything beyond u32 is refused (strtoul's overflow and the explicit UINT32_MAX check alike).
    u32::from_str_radix(digits, radix).ok()
}

/// Reads `findslot`: only the exact lower-case words `first` and `next`.
pub fn parse_findslot(value: &str) -> Option<FindSlot> {
    match value {
        "first" => Some(FindSlot::First),
        "next" => Some(FindSlot::Next),
        _ => None,
    }
}

/// Reads `parkedplay` / `parkedcall*`: a false word, or `caller` / `callee` / `both` ignoring case.
pub fn parse_feature_flag(value: &str) -> Option<FeatureFlag> {
    if ast_false(value) {
        Some(FeatureFlag::No)
    } else if value.eq_ignore_ascii_case("both") {
        Some(FeatureFlag::Both)
    } else if value.eq_ignore_ascii_case("caller") {
        Some(FeatureFlag::Caller)
    } else if value.eq_ignore_ascii_case("callee") {
        Some(FeatureFlag::Callee)
    } else {
        None
    }
}

/// Scans one `%<width>d` conversion as glibc's `sscanf` does: skips white space, takes an optional sign and
/// decimal digits (at most `width` characters, the sign included), converts with `strtol` (saturating at the
/// 64-bit limits) and stores the result into an `int` (keeping the low 32 bits). Returns the value and the
/// rest of the input, or `None` when no digit could be read.
pub(crate) fn scan_c_int(input: &str, width: usize) -> Option<(i32, &str)> {
    let s = input.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let bytes = s.as_bytes();
    let mut pos = 0;
    let mut negative = false;
    if let Some(&sign @ (b'-' | b'+')) = bytes.first() {
        negative = sign == b'-';
        pos = 1;
    }
    let digits_start = pos;
    while pos < width && bytes.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    if pos == digits_start {
        return None;
    }
    let magnitude = s[digits_start..pos].bytes().try_fold(0i64, |acc, d| {
        acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
    });
    let wide = match (magnitude, negative) {
        (Some(m), false) => m,
        (Some(m), true) => -m,
        (None, false) => i64::MAX,
        (None, true) => i64::MIN,
    };
    // Storing a long into an int keeps the low 32 bits.
    Some((wide as i32, &s[pos..]))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(start: u32, stop: u32) -> Result<SpaceRange, ParkposError> {
        Ok(SpaceRange { start, stop })
    }

    #[test]
    fn parkpos_like_sscanf() {
        assert_eq!(parse_parkpos("701-709"), range(701, 709));
        assert_eq!(parse_parkpos("0701-0709"), range(701, 709));
        assert_eq!(parse_parkpos("+701-709"), range(701, 709));
        assert_eq!(parse_parkpos("701- 709"), range(701, 709));
        assert_eq!(parse_parkpos("701-709junk"), range(701, 709));
        assert_eq!(parse_parkpos("5-5"), range(5, 5));
        assert_eq!(parse_parkpos("701 - 709"), Err(ParkposError::NotNumbers));
        assert_eq!(parse_parkpos("701 -709"), Err(ParkposError::NotNumbers));
        assert_eq!(parse_parkpos("701"), Err(ParkposError::NotNumbers));
        assert_eq!(parse_parkpos("701-"), Err(ParkposError::NotNumbers));
        assert_eq!(parse_parkpos(""), Err(ParkposError::NotNumbers));
        assert_eq!(parse_parkpos("a-b"), Err(ParkposError::NotNumbers));
        assert_eq!(parse_parkpos("701to709"), Err(ParkposError::NotNumbers));
        assert_eq!(parse_parkpos("709-701"), Err(ParkposError::Order));
        assert_eq!(parse_parkpos("0-10"), Err(ParkposError::Order));
        assert_eq!(parse_parkpos("-5-10"), Err(ParkposError::Order));
        assert_eq!(parse_parkpos("701--709"), Err(ParkposError::Order));
        // 2^32 + 5 stored into an int is 5.
        assert_eq!(parse_parkpos("1-4294967301"), range(1, 5));
        // Saturated at LONG_MAX, whose low 32 bits are -1.
        assert_eq!(
            parse_parkpos("1-99999999999999999999"),
            Err(ParkposError::Order)
        );
        // The 31st digit is left over and is not the '-'.
        assert_eq!(
            parse_parkpos("0000000000000000000000000000001-5"),
            Err(ParkposError::NotNumbers)
        );
    }

    #[test]
    fn uint32_like_ast_parse_arg() {
        assert_eq!(parse_uint32("300"), Some(300));
        assert_eq!(parse_uint32("0"), Some(0));
        assert_eq!(parse_uint32("+20"), Some(20));
        assert_eq!(parse_uint32("0x10"), Some(16));
        assert_eq!(parse_uint32("010"), Some(8));
        assert_eq!(parse_uint32("4294967295"), Some(u32::MAX));
        assert_eq!(parse_uint32("4294967296"), None);
        assert_eq!(parse_uint32("-1"), None);
        assert_eq!(parse_uint32("-0"), None);
        assert_eq!(parse_uint32(""), None);
        assert_eq!(parse_uint32("08"), None);
        assert_eq!(parse_uint32("0x"), None);
        assert_eq!(parse_uint32("30s"), None);
        assert_eq!(parse_uint32("1.5"), None);
        assert_eq!(parse_uint32("+-5"), None);
        assert_eq!(parse_uint32("abc"), None);
    }

    #[test]
    fn booleans_and_flags() {
        for t in ["yes", "YES", "true", "y", "T", "1", "On"] {
            assert!(ast_true(t), "{t}");
        }
        for f in ["no", "2", "", "enabled", "ja"] {
            assert!(!ast_true(f), "{f}");
        }
        assert!(ast_false("Off") && ast_false("f") && !ast_false("yes"));
        assert_eq!(parse_feature_flag("no"), Some(FeatureFlag::No));
        assert_eq!(parse_feature_flag("0"), Some(FeatureFlag::No));
        assert_eq!(parse_feature_flag("CALLER"), Some(FeatureFlag::Caller));
        assert_eq!(parse_feature_flag("callee"), Some(FeatureFlag::Callee));
        assert_eq!(parse_feature_flag("Both"), Some(FeatureFlag::Both));
        assert_eq!(parse_feature_flag("parked"), None);
        assert_eq!(parse_feature_flag("yes"), None);
        assert_eq!(parse_feature_flag(""), None);
        assert_eq!(parse_findslot("first"), Some(FindSlot::First));
        assert_eq!(parse_findslot("next"), Some(FindSlot::Next));
        assert_eq!(parse_findslot("NEXT"), None);
        assert_eq!(parse_findslot("First"), None);
    }

    #[test]
    fn option_names_ignore_case() {
        assert_eq!(LotOption::from_key("ParkExt"), Some(LotOption::Parkext));
        assert_eq!(
            LotOption::from_key("PARKEXT_EXCLUSIVE"),
            Some(LotOption::ParkextExclusive)
        );
        assert_eq!(LotOption::from_key("parkeddynamic"), None);
        assert!(is_general_option("ParkedDynamic"));
        assert_eq!(closest_option("parkingtim"), Some("parkingtime"));
        assert_eq!(closest_option("parkinglot"), None);
    }
}
