//! The C library's number parsing as Asterisk uses it (`sscanf("%30d")`, `atoi`) and C-string truncation, so
//! that `${X:1.5}`, `GotoIf(0x1?…)` and `!abc` come out as they do in Asterisk (glibc semantics).

/// C `isspace` in the C locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// `sscanf(s, "%30d", &v)`: skips white space, reads an optional sign and digits (at most 30 characters
/// counting the sign), and returns the value with the rest of the text, or `None` when no digit was read.
/// Out-of-range values behave as glibc's: clamped to the `long` range, then truncated to `int`.
pub(crate) fn scan_int(s: &str) -> Option<(i32, &str)> {
    scan_int_width(s, 30)
}

/// `sscanf(s, "%<width>d")`: like [`scan_int`] with another field width.
pub(crate) fn scan_int_width(s: &str, width: usize) -> Option<(i32, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_c_space(b[i]) {
        i += 1;
    }
    let start = i;
    let width_end = (start + width).min(b.len());
    let mut negative = false;
    if i < width_end && (b[i] == b'+' || b[i] == b'-') {
        negative = b[i] == b'-';
        i += 1;
    }
    let digits_start = i;
    let mut value: i64 = 0;
    let mut overflow = false;
    while i < width_end && b[i].is_ascii_digit() {
        let d = i64::from(b[i] - b'0');
        match value.checked_mul(10).and_then(|v| v.checked_add(d)) {
            Some(v) => value = v,
            None => overflow = true,
        }
        i += 1;
    }
    if i == digits_start {
        return None;
    }
    let long = if overflow {
        if negative {
            i64::MIN
        } else {
            i64::MAX
        }
    } else if negative {
        -value
    } else {
        value
    };
    // Storing a `long` into an `int` keeps the low 32 bits.
    Some((long as i32, &s[i..]))
}

/// `sscanf(s, "%30d:%30d", &offset, &length)` as `parse_variable_name` uses it: each value is only replaced
/// when it was read.
pub(crate) fn scan_offset_length(s: &str, offset: &mut i32, length: &mut i32) {
    if let Some((o, rest)) = scan_int(s) {
        *offset = o;
        if let Some(rest) = rest.strip_prefix(':') {
            if let Some((l, _)) = scan_int(rest) {
                *length = l;
            }
        }
    }
}

/// `sscanf(s, "%30ld")`: the value (clamped to `long`) and the rest of the text.
pub(crate) fn scan_long(s: &str) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_c_space(b[i]) {
        i += 1;
    }
    let width_end = (i + 30).min(b.len());
    let negative = i < width_end && b[i] == b'-';
    if i < width_end && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = i;
    let mut v: i64 = 0;
    while i < width_end && b[i].is_ascii_digit() {
        v = v.saturating_mul(10).saturating_add(i64::from(b[i] - b'0'));
        i += 1;
    }
    if i == digits {
        return None;
    }
    Some((if negative { -v } else { v }, &s[i..]))
}

/// C `atoi`: like `%d` without a width limit; 0 when there is no number.
pub(crate) fn atoi(s: &str) -> i32 {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_c_space(b[i]) {
        i += 1;
    }
    let mut negative = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        negative = b[i] == b'-';
        i += 1;
    }
    let mut value: i64 = 0;
    let mut overflow = false;
    while i < b.len() && b[i].is_ascii_digit() {
        let d = i64::from(b[i] - b'0');
        match value.checked_mul(10).and_then(|v| v.checked_add(d)) {
            Some(v) => value = v,
            None => overflow = true,
        }
        i += 1;
    }
    let long = match (overflow, negative) {
        (true, true) => i64::MIN,
        (true, false) => i64::MAX,
        (false, true) => -value,
        (false, false) => value,
    };
    long as i32
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary (C copies bytes; a Rust
/// string cannot hold half a character, so a cut inside one drops the whole character).
pub(crate) fn prefix_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Asterisk's "blank": any byte below 33 (space and control characters).
pub(crate) fn is_blank(c: char) -> bool {
    (c as u32) < 33
}

/// `ast_strip`: removes blanks at both ends.
pub(crate) fn strip(s: &str) -> &str {
    s.trim_matches(is_blank)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanf_percent_d() {
        assert_eq!(scan_int("12abc"), Some((12, "abc")));
        assert_eq!(scan_int("  -3:4"), Some((-3, ":4")));
        assert_eq!(scan_int("+7"), Some((7, "")));
        assert_eq!(scan_int("abc"), None);
        assert_eq!(scan_int("-"), None);
        assert_eq!(scan_int(""), None);
        assert_eq!(scan_int("1.5"), Some((1, ".5")));
        assert_eq!(scan_int("0x1"), Some((0, "x1")));
        // Wider than 30 characters: the rest stays unread.
        let long = "1".repeat(35);
        assert_eq!(scan_int(&long).map(|(_, r)| r.len()), Some(5));
        // Out of int range: the low 32 bits of the clamped long.
        assert_eq!(scan_int("4294967297"), Some((1, "")));
        assert_eq!(scan_int("99999999999999999999"), Some((-1, "")));
    }

    #[test]
    fn offset_and_length() {
        let (mut o, mut l) = (0, i32::MAX);
        scan_offset_length("1.5:2", &mut o, &mut l);
        assert_eq!((o, l), (1, i32::MAX));
        let (mut o, mut l) = (0, i32::MAX);
        scan_offset_length("2:x", &mut o, &mut l);
        assert_eq!((o, l), (2, i32::MAX));
        let (mut o, mut l) = (0, i32::MAX);
        scan_offset_length(":3", &mut o, &mut l);
        assert_eq!((o, l), (0, i32::MAX));
        let (mut o, mut l) = (0, i32::MAX);
        scan_offset_length("-2:-1:9", &mut o, &mut l);
        assert_eq!((o, l), (-2, -1));
    }

    #[test]
    fn c_atoi() {
        assert_eq!(atoi("abc"), 0);
        assert_eq!(atoi(" 5x"), 5);
        assert_eq!(atoi("-0.5"), 0);
    }

    #[test]
    fn truncation_keeps_whole_characters() {
        assert_eq!(prefix_bytes("héllo", 2), "h");
        assert_eq!(prefix_bytes("héllo", 3), "hé");
        assert_eq!(prefix_bytes("abc", 10), "abc");
    }
}
