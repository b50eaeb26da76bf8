//! Helpers the functions share: Asterisk's escape decoding (`ast_get_encoded_char`, `ast_get_encoded_str`),
//! reading a variable by name the way functions do (`${name}` substituted), logging a usage line, and the
//! `1`/`0` answer of the yes-or-no functions.

use crate::diag::LogLevel;
use crate::expr::subst::substitute_into;
use crate::expr::{codes, Effects, VarContext};

/// A function's result buffer (`VAR_BUF_SIZE - 1`).
pub(crate) const RESULT_LIMIT: usize = 4095;

/// `ast_get_encoded_char`: the first (possibly escaped) byte of `s` and how many bytes it took: `\n`, `\r`,
/// `\t`, `\xHH`, `\0ooo`, `\c` → `c`. `None` for an empty text or a bad `\x` (which Asterisk logs).
pub(crate) fn encoded_char(s: &[u8], fx: &mut Effects) -> Option<(u8, usize)> {
    let first = *s.first()?;
    if first != b'\\' {
        return Some((first, 1));
    }
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    match at(1) {
        b'n' => Some((b'\n', 2)),
        b'r' => Some((b'\r', 2)),
        b't' => Some((b'\t', 2)),
        b'x' => {
            let Some(h) = hex(at(2)) else {
                let c = at(2);
                fx.asterisk(
                    codes::FUNC_USAGE,
                    LogLevel::Error,
                    "app.c",
                    format!(
                        "Illegal character '{}' in hexadecimal string",
                        if c == 0 {
                            String::new()
                        } else {
                            char::from(c).to_string()
                        }
                    ),
                );
                return None;
            };
            match hex(at(3)) {
                Some(l) => Some(((h << 4) | l, 4)),
                None => Some((h, 3)),
            }
        }
        b'0' => {
            let mut v: u8 = 0;
            let mut i = 2;
            while (b'0'..=b'7').contains(&at(i)) {
                v = v.wrapping_shl(3).wrapping_add(at(i) - b'0');
                i += 1;
            }
            Some((v, i))
        }
        0 => Some((0, 2)),
        c => Some((c, 2)),
    }
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

/// `ast_get_encoded_str`: every escape of `s` decoded (a NUL ends the text, as in C).
pub(crate) fn encoded_str(s: &[u8], fx: &mut Effects) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match encoded_char(&s[i..], fx) {
            Some((0, _)) | None => break,
            Some((c, used)) => {
                out.push(c);
                i += used;
            }
        }
    }
    out
}

/// The value of the variable (or function call) `name`, as `ast_str_substitute_variables` gives it for
/// `${name}`.
pub(crate) fn var_value(ctx: &mut dyn VarContext, fx: &mut Effects, name: &str) -> String {
    let expr = format!("${{{name}}}");
    let mut out = String::new();
    substitute_into(&expr, ctx, fx, &mut out, usize::MAX);
    out
}

/// Logs one of a function's own lines.
pub(crate) fn log(fx: &mut Effects, level: LogLevel, file: &'static str, text: impl Into<String>) {
    fx.asterisk(codes::FUNC_USAGE, level, file, text);
}

/// The engine and channel behind `ctx`, for functions that need more than variables; outside a simulation
/// they are not simulated.
pub(crate) fn engine_of(
    ctx: &dyn VarContext,
    function: &str,
) -> Result<(crate::engine::Engine, crate::engine::ChannelId), crate::expr::FuncError> {
    ctx.engine().map(|(e, c)| (e.clone(), c)).ok_or_else(|| {
        crate::expr::FuncError::NotSimulated(format!(
            "{function}() needs a channel of a running simulation"
        ))
    })
}

/// Bytes back to text (a byte-level edit may split a character; it becomes U+FFFD, as a terminal would
/// show it).
pub(crate) fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `strsep` on one delimiter byte: the fields of `s`.
pub(crate) fn fields(s: &[u8], delim: u8) -> impl Iterator<Item = &[u8]> {
    s.split(move |&b| b == delim)
}

/// `sscanf("%f")` / `strtod` on the start of `s`: the longest leading decimal number, 0 when there is none.
pub(crate) fn leading_float(s: &str) -> f64 {
    scan_double(s).unwrap_or(0.0)
}

/// `sscanf(s, "%30lf")`: the leading decimal number (`inf`/`nan` included), `None` when there is none.
pub(crate) fn scan_double(s: &str) -> Option<f64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let t = super::super::cnum::prefix_bytes(t, 30);
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let negative = t.starts_with('-');
    let lower = unsigned.get(..3).map(str::to_ascii_lowercase);
    if lower.as_deref() == Some("inf") {
        return Some(if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if lower.as_deref() == Some("nan") {
        // glibc keeps the sign: `-nan` prints back as `-nan`.
        return Some(if negative { -f64::NAN } else { f64::NAN });
    }
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'x' | b'X')) {
        let hex = scan_hex_float(&b[i + 2..])?;
        return Some(if negative { -hex } else { hex });
    }
    let mut digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    let mut end = i;
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp_start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            end = j;
        }
    }
    t[..end].parse().ok()
}

/// The rest of a hexadecimal floating-point number after `0x` (glibc's scanf reads them for `%lf`):
/// hex digits with an optional point, then an optional binary exponent `p[±]digits`. `None` without a
/// digit (glibc's scanf then fails: it cannot take back the `0x`).
fn scan_hex_float(b: &[u8]) -> Option<f64> {
    let mut i = 0;
    let mut value = 0.0f64;
    let mut digits = 0;
    let mut scale = 0i32;
    while let Some(d) = b.get(i).and_then(|c| (*c as char).to_digit(16)) {
        value = value * 16.0 + f64::from(d);
        digits += 1;
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while let Some(d) = b.get(i).and_then(|c| (*c as char).to_digit(16)) {
            value = value * 16.0 + f64::from(d);
            scale -= 4;
            digits += 1;
            i += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'p' | b'P')) {
        let mut j = i + 1;
        let mut negative = false;
        if let Some(&c @ (b'+' | b'-')) = b.get(j) {
            negative = c == b'-';
            j += 1;
        }
        let mut exp: i32 = 0;
        let start = j;
        while let Some(d) = b.get(j).filter(|c| c.is_ascii_digit()) {
            exp = exp.saturating_mul(10).saturating_add(i32::from(d - b'0'));
            j += 1;
        }
        if j > start {
            scale = scale.saturating_add(if negative { -exp } else { exp });
        }
    }
    Some(value * 2f64.powi(scale))
}

/// C's `(int)` of a double as x86 does it: out of range (or NaN) gives `INT_MIN`.
pub(crate) fn c_int(x: f64) -> i32 {
    if x.is_nan() || x >= 2_147_483_648.0 || x <= -2_147_483_649.0 {
        i32::MIN
    } else {
        x as i32
    }
}

/// C's `%f`.
pub(crate) fn c_f(x: f64) -> String {
    if x.is_nan() {
        if x.is_sign_negative() { "-nan" } else { "nan" }.to_string()
    } else if x.is_infinite() {
        if x < 0.0 { "-inf" } else { "inf" }.to_string()
    } else {
        format!("{x:.6}")
    }
}

/// The answer of a yes-or-no function (`ISNULL`, `EXISTS`, `REGEX`, …): `1` or `0`.
pub(crate) fn flag(yes: bool) -> String {
    String::from(if yes { "1" } else { "0" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let mut fx = Effects::new();
        assert_eq!(encoded_char(b"", &mut fx), None);
        assert_eq!(encoded_char(b",x", &mut fx), Some((b',', 1)));
        assert_eq!(encoded_char(b"\\n", &mut fx), Some((b'\n', 2)));
        assert_eq!(encoded_char(b"\\x41z", &mut fx), Some((0x41, 4)));
        assert_eq!(encoded_char(b"\\x4z", &mut fx), Some((4, 3)));
        assert_eq!(encoded_char(b"\\0101", &mut fx), Some((0o101, 5)));
        assert_eq!(encoded_char(b"\\|", &mut fx), Some((b'|', 2)));
        assert!(fx.log.is_empty());
        assert_eq!(encoded_char(b"\\xg", &mut fx), None);
        assert_eq!(
            fx.console(),
            ["ERROR: app.c: Illegal character 'g' in hexadecimal string"]
        );
        assert_eq!(encoded_str(b"a\\tb\\x2C", &mut fx), b"a\tb,");
    }

    /// Each value is what glibc 2.36's `sscanf(s, "%30lf")` read.
    #[test]
    fn scanf_reads_hex_floats() {
        assert_eq!(scan_double("0x10"), Some(16.0));
        assert_eq!(scan_double("0x1p4"), Some(16.0));
        assert_eq!(scan_double("0X.8"), Some(0.5));
        assert_eq!(scan_double("-0x1A"), Some(-26.0));
        assert_eq!(scan_double("  0x10z"), Some(16.0));
        assert_eq!(scan_double("0x1p"), Some(1.0));
        assert_eq!(scan_double("0x"), None);
        assert_eq!(scan_double("0xg"), None);
        assert_eq!(scan_double("1e"), Some(1.0));
    }
}
