//! `BASE64_ENCODE(data)`, `BASE64_DECODE(data)` (funcs/func_base64.c over main/utils.c
//! ast_base64encode/ast_base64decode) and `URIENCODE(data)`, `URIDECODE(data)` (funcs/func_uri.c over
//! ast_uri_encode/ast_uri_decode with the `ast_uri_http` rules). Results are C strings: a decoded NUL
//! byte ends them.

use super::util::{log, text};
use super::Function;
use crate::diag::LogLevel;
use crate::expr::{Effects, FuncError, VarContext};

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Which of the four functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    Base64Encode,
    Base64Decode,
    UriEncode,
    UriDecode,
}

pub struct CodecFn(pub Codec);

impl Function for CodecFn {
    fn name(&self) -> &'static str {
        match self.0 {
            Codec::Base64Encode => "BASE64_ENCODE",
            Codec::Base64Decode => "BASE64_DECODE",
            Codec::UriEncode => "URIENCODE",
            Codec::UriDecode => "URIDECODE",
        }
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let data = args.as_bytes();
        match self.0 {
            Codec::Base64Encode | Codec::Base64Decode if data.is_empty() => {
                log(
                    fx,
                    LogLevel::Warning,
                    "func_base64.c",
                    format!("Syntax: {}(<data>) - missing argument!", self.name()),
                );
                Err(FuncError::Failed)
            }
            Codec::Base64Encode => Ok(text(base64_encode(data))),
            Codec::Base64Decode => Ok(text(until_nul(base64_decode(data)))),
            Codec::UriEncode => Ok(text(uri_encode(data))),
            Codec::UriDecode => Ok(text(until_nul(uri_decode(data)))),
        }
    }
}

/// The bytes before the first NUL (where the C string ends).
fn until_nul(mut v: Vec<u8>) -> Vec<u8> {
    if let Some(i) = v.iter().position(|&b| b == 0) {
        v.truncate(i);
    }
    v
}

/// Standard base64 with `=` padding, no line breaks.
pub fn base64_encode(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len().div_ceil(3) * 4);
    for chunk in src.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(BASE64[(n >> 18) as usize & 0x3f]);
        out.push(BASE64[(n >> 12) as usize & 0x3f]);
        out.push(if chunk.len() > 1 {
            BASE64[(n >> 6) as usize & 0x3f]
        } else {
            b'='
        });
        out.push(if chunk.len() > 2 {
            BASE64[n as usize & 0x3f]
        } else {
            b'='
        });
    }
    out
}

/// ast_base64decode: reads up to the end or the first `=`; a character outside the alphabet counts as
/// 63 (its table entry is −1, masked to six bits); left-over bits are dropped.
pub fn base64_decode(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len() * 3 / 4 + 1);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in src.iter().take_while(|&&c| c != b'=') {
        let v = BASE64
            .iter()
            .position(|&a| a == c)
            .map_or(0x3f, |p| p as u32);
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// ast_uri_encode with `ast_uri_http`: letters, digits and `-_.!~*'()` stay, every other byte is `%XX`.
pub fn uri_encode(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len() * 3);
    for &c in src {
        if c.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&c) {
            out.push(c);
        } else {
            out.extend_from_slice(format!("%{c:02X}").as_bytes());
        }
    }
    out
}

/// ast_uri_decode with `ast_uri_http`: `%` with two more characters that `sscanf("%2x")` reads as a
/// number becomes that byte (the two characters are consumed either way); anything else is copied.
pub fn uri_decode(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        if src[i] == b'%' && i + 2 < src.len() {
            if let Some(v) = scan_hex2(&src[i + 1..]) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(src[i]);
        i += 1;
    }
    out
}

/// `sscanf(s, "%2x", &v) == 1`: white space skipped, then at most two characters of an optionally
/// signed hexadecimal number (at least one digit); the low byte of the value.
fn scan_hex2(s: &[u8]) -> Option<u8> {
    let mut k = s
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        .count();
    let mut width = 2;
    let mut negative = false;
    if let Some(&c @ (b'+' | b'-')) = s.get(k) {
        negative = c == b'-';
        k += 1;
        width -= 1;
    }
    let mut value: u32 = 0;
    let mut digits = 0;
    while digits < width {
        let Some(d) = s.get(k).and_then(|c| (*c as char).to_digit(16)) else {
            break;
        };
        value = value * 16 + d;
        digits += 1;
        k += 1;
    }
    if digits == 0 {
        return None;
    }
    let v = if negative {
        value.wrapping_neg()
    } else {
        value
    };
    Some(v as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_both_ways() {
        assert_eq!(base64_encode(b"hello world"), b"aGVsbG8gd29ybGQ=");
        assert_eq!(base64_encode(b"ab"), b"YWI=");
        assert_eq!(base64_encode(b"a"), b"YQ==");
        assert_eq!(base64_decode(b"aGVsbG8gd29ybGQ="), b"hello world");
        // Stops at the first '='; junk counts as 63.
        assert_eq!(base64_decode(b"YQ==YWI="), b"a");
        assert_eq!(base64_decode(b"YW*"), [0x61, 0x6f]);
    }

    #[test]
    fn uri_both_ways() {
        assert_eq!(uri_encode(b"a b&c=d/~'()*"), b"a%20b%26c%3Dd%2F~'()*");
        assert_eq!(uri_decode(b"a%20b%2fc%zz%4"), b"a b/c%zz%4");
        assert_eq!(until_nul(uri_decode(b"ab%00cd")), b"ab");
        assert_eq!(uri_decode(b"%+41"), [0x04, b'1']);
    }
}
