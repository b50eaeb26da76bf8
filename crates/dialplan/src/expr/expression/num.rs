//! Numbers in `$[...]`: Asterisk computes them as C `long double` (x87 80-bit extended precision on the x86-64
//! machines Asterisk 22 runs on) and prints them with `%.18Lg`.
//!
//! An `f64` would print different digits (`$[1/3]` is `0.333333333333333333`, an `f64` gives
//! `…315`), so values are either a small exact integer (the fast path: every `$[${i}+1]` of a dialplan loop
//! stays in `i64`) or an 80-bit float computed with `rustc_apfloat`'s correctly rounded x87 arithmetic. Both
//! behave exactly like `long double`, including the sign of zero (`$[0 * -5]` is `-0`).

use rustc_apfloat::ieee::X87DoubleExtended as Ext;
use rustc_apfloat::{Float, Round, Status};
use std::cmp::Ordering;

/// A `long double` value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Num {
    /// An integer, exactly representable (every `i64` is), never negative zero.
    Int(i64),
    /// Any other value, including `-0`, fractions, huge values, infinities and NaN.
    Ext(X80),
}

/// The 80 bits of an x87 value, stored compactly (an apfloat value is three times larger and values are
/// moved around a lot while parsing).
#[derive(Clone, Copy, Debug)]
pub(crate) struct X80 {
    significand: u64,
    sign_exponent: u16,
}

impl X80 {
    fn new(x: Ext) -> X80 {
        let bits = x.to_bits();
        X80 {
            significand: bits as u64,
            sign_exponent: (bits >> 64) as u16,
        }
    }

    fn get(self) -> Ext {
        Ext::from_bits((u128::from(self.sign_exponent) << 64) | u128::from(self.significand))
    }
}

/// Integers below this print as plain digits under `%.18Lg`.
const PLAIN_LIMIT: u64 = 1_000_000_000_000_000_000;

impl Num {
    pub(crate) const ZERO: Num = Num::Int(0);

    /// `INT_MAX`, what a division by zero returns.
    pub(crate) const INT_MAX: Num = Num::Int(i32::MAX as i64);

    pub(crate) fn from_bool(b: bool) -> Num {
        Num::Int(i64::from(b))
    }

    fn ext(self) -> Ext {
        match self {
            Num::Int(i) => Ext::from_i128(i128::from(i)).value,
            Num::Ext(x) => x.get(),
        }
    }

    /// The value as an x87 float.
    pub(crate) fn to_ext(self) -> Ext {
        self.ext()
    }

    /// A value computed as an x87 float.
    pub(crate) fn from_ext_value(x: Ext) -> Num {
        Num::from_ext(x)
    }

    /// Keeps exact integers on the fast path.
    fn from_ext(x: Ext) -> Num {
        if x.is_finite() && !x.is_zero() {
            let mut exact = false;
            let r = x.to_i128_r(64, Round::TowardZero, &mut exact);
            if exact && r.status == Status::OK {
                if let Ok(i) = i64::try_from(r.value) {
                    return Num::Int(i);
                }
            }
        } else if x.is_zero() && !x.is_negative() {
            return Num::Int(0);
        }
        Num::Ext(X80::new(x))
    }

    /// x87 produces its "real indefinite" NaN (sign bit set, printed `-nan`) for invalid operations.
    fn from_status(r: rustc_apfloat::StatusAnd<Ext>) -> Num {
        if r.value.is_nan() && r.status.contains(Status::INVALID_OP) {
            return Num::Ext(X80::new(-Ext::qnan(None)));
        }
        Num::from_ext(r.value)
    }

    /// On the exact-integer fast path (arithmetic there never overflows).
    pub(crate) fn is_int(self) -> bool {
        matches!(self, Num::Int(_))
    }

    pub(crate) fn is_zero(self) -> bool {
        match self {
            Num::Int(i) => i == 0,
            Num::Ext(x) => x.get().is_zero(),
        }
    }

    pub(crate) fn is_negative_strict(self) -> bool {
        match self {
            Num::Int(i) => i < 0,
            Num::Ext(x) => {
                let x = x.get();
                x.is_negative() && !x.is_zero() && !x.is_nan()
            }
        }
    }

    /// C's comparison operators: unordered (NaN) compares false to everything.
    pub(crate) fn partial_cmp(self, other: Num) -> Option<Ordering> {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            (a, b) => a.ext().partial_cmp(&b.ext()),
        }
    }

    pub(crate) fn num_eq(self, other: Num) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }

    pub(crate) fn add(self, other: Num) -> Num {
        if let (Num::Int(a), Num::Int(b)) = (self, other) {
            if let Some(r) = a.checked_add(b) {
                return Num::Int(r);
            }
        }
        Num::from_status(self.ext() + other.ext())
    }

    pub(crate) fn sub(self, other: Num) -> Num {
        if let (Num::Int(a), Num::Int(b)) = (self, other) {
            if let Some(r) = a.checked_sub(b) {
                return Num::Int(r);
            }
        }
        Num::from_status(self.ext() - other.ext())
    }

    pub(crate) fn mul(self, other: Num) -> Num {
        if let (Num::Int(a), Num::Int(b)) = (self, other) {
            if let Some(r) = a.checked_mul(b) {
                // 0 times a negative number is -0 in IEEE arithmetic.
                if r != 0 || (a >= 0 && b >= 0) {
                    return Num::Int(r);
                }
            }
        }
        Num::from_status(self.ext() * other.ext())
    }

    /// Division; the caller has handled a zero divisor as Asterisk does.
    pub(crate) fn div(self, other: Num) -> Num {
        if let (Num::Int(a), Num::Int(b)) = (self, other) {
            if b != 0 && a != 0 {
                if let (Some(q), Some(0)) = (a.checked_div(b), a.checked_rem(b)) {
                    return Num::Int(q);
                }
            }
        }
        Num::from_status(self.ext() / other.ext())
    }

    /// `fmodl`: the remainder has the dividend's sign.
    pub(crate) fn fmod(self, other: Num) -> Num {
        if let (Num::Int(a), Num::Int(b)) = (self, other) {
            if let Some(r) = a.checked_rem(b) {
                if r != 0 || a >= 0 {
                    return Num::Int(r);
                }
            }
        }
        Num::from_status(self.ext().c_fmod(other.ext()))
    }

    pub(crate) fn neg(self) -> Num {
        if let Num::Int(a) = self {
            if a != 0 {
                if let Some(r) = a.checked_neg() {
                    return Num::Int(r);
                }
            }
        }
        Num::Ext(X80::new(-self.ext()))
    }

    pub(crate) fn abs(self) -> Num {
        if self.is_negative_strict() {
            self.neg()
        } else {
            self
        }
    }

    /// Rounds to an integral value (`floorl`, `ceill`, `truncl`, `rintl`, `roundl`).
    pub(crate) fn round(self, mode: Round) -> Num {
        match self {
            Num::Int(_) => self,
            Num::Ext(x) => Num::from_ext(x.get().round_to_integral(mode).value),
        }
    }

    /// IEEE remainder (`remainderl`).
    pub(crate) fn ieee_rem(self, other: Num) -> Num {
        Num::from_status(self.ext().ieee_rem(other.ext()))
    }

    /// `sqrtl`, correctly rounded (as the x87 `fsqrt` instruction is).
    pub(crate) fn sqrt(self) -> Num {
        let x = self.ext();
        if x.is_nan() || x.is_zero() || (x.is_infinite() && !x.is_negative()) {
            return self;
        }
        if x.is_negative() {
            return Num::Ext(X80::new(-Ext::qnan(None)));
        }
        let (sig, exp) = decompose(x);
        // sqrt(sig * 2^exp) = sqrt(sig * 2^z) * 2^((exp - z) / 2), with z making the integer root 66 bits long
        // and exp - z even; the remainder of the digit-by-digit root is the sticky bit.
        let len = 64 - sig.leading_zeros() as i32;
        let mut z = 132 - len;
        if (exp - z) % 2 != 0 {
            z += 1;
        }
        let total = len + z + (len + z) % 2;
        let bit = |i: i32| -> u128 {
            // Bit i counted from the most significant end of a `total`-bit number.
            let from_low = total - 1 - i;
            let pos = from_low - z;
            if (0..64).contains(&pos) {
                u128::from((sig >> pos) & 1)
            } else {
                0
            }
        };
        let (mut root, mut rem) = (0u128, 0u128);
        let mut i = 0;
        while i < total {
            rem = (rem << 2) | (bit(i) << 1) | bit(i + 1);
            let trial = (root << 2) | 1;
            if rem >= trial {
                rem -= trial;
                root = (root << 1) | 1;
            } else {
                root <<= 1;
            }
            i += 2;
        }
        let sticky = u128::from(rem != 0);
        let value = Ext::from_u128_r((root << 1) | sticky, Round::NearestTiesToEven).value;
        Num::from_ext(scale2(value, (exp - z) / 2 - 1))
    }

    /// Appends `%.18Lg`, at most `room` bytes of it, without allocating for plain integers.
    pub(crate) fn write(self, out: &mut String, room: usize) {
        if let Num::Int(i) = self {
            if i.unsigned_abs() < PLAIN_LIMIT {
                let mut buf = [0u8; 20];
                let mut pos = buf.len();
                let mut v = i.unsigned_abs();
                loop {
                    pos -= 1;
                    buf[pos] = b'0' + (v % 10) as u8;
                    v /= 10;
                    if v == 0 {
                        break;
                    }
                }
                if i < 0 {
                    pos -= 1;
                    buf[pos] = b'-';
                }
                let digits = &buf[pos..];
                let n = digits.len().min(room);
                out.extend(digits[..n].iter().map(|&b| char::from(b)));
                return;
            }
        }
        let s = self.format();
        out.push_str(crate::expr::cnum::prefix_bytes(&s, room));
    }

    /// `%.18Lg`.
    pub(crate) fn format(self) -> String {
        match self {
            Num::Int(i) if i.unsigned_abs() < PLAIN_LIMIT => i.to_string(),
            other => format_g18(other.ext()),
        }
    }
}

/// `sig * 2^exp` for a finite non-zero value.
fn decompose(x: Ext) -> (u64, i32) {
    let bits = x.to_bits();
    let sig = bits as u64;
    let biased = ((bits >> 64) & 0x7fff) as i32;
    // Denormals use the minimum exponent.
    let e = if biased == 0 { 1 } else { biased };
    (sig, e - 16383 - 63)
}

fn scale2(x: Ext, e: i32) -> Ext {
    x.scalbn_r(e, Round::NearestTiesToEven)
}

/// `%.18Lg` of an 80-bit value.
fn format_g18(x: Ext) -> String {
    let negative = x.is_negative();
    let sign = if negative { "-" } else { "" };
    if x.is_nan() {
        return format!("{sign}nan");
    }
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    if x.is_zero() {
        return format!("{sign}0");
    }
    let (sig, exp) = decompose(x);
    let (digits, point) = exact_decimal(sig, exp);
    format!("{sign}{}", g_format(&digits, point, 18))
}

/// The exact decimal expansion of `sig * 2^exp`: its digits (no leading zeros) and the decimal exponent of the
/// first digit.
fn exact_decimal(mut sig: u64, mut exp: i32) -> (Vec<u8>, i32) {
    let tz = sig.trailing_zeros().min(63);
    sig >>= tz;
    exp += tz as i32;
    let mut big = BigDec::from_u64(sig);
    let mut frac_digits = 0i32;
    if exp >= 0 {
        let mut e = exp;
        while e > 0 {
            let k = e.min(30);
            big.mul_small(1u64 << k);
            e -= k;
        }
    } else {
        // sig / 2^n = sig * 5^n / 10^n
        let mut n = -exp;
        frac_digits = n;
        while n > 0 {
            let k = n.min(13);
            big.mul_small(5u64.pow(k as u32));
            n -= k;
        }
    }
    let digits = big.digits();
    let point = digits.len() as i32 - 1 - frac_digits;
    (digits, point)
}

/// `%.{p}g` of the value `0.d1d2… × 10^(point+1)` (i.e. `d1.d2… × 10^point`), rounding half to even as glibc does.
fn g_format(digits: &[u8], point: i32, p: usize) -> String {
    let mut d: Vec<u8> = digits.iter().take(p).copied().collect();
    let mut point = point;
    if digits.len() > p {
        let next = digits[p];
        let rest_nonzero = digits[p + 1..].iter().any(|&c| c != 0);
        let last_odd = d.last().is_some_and(|&c| c % 2 == 1);
        if next > 5 || (next == 5 && (rest_nonzero || last_odd)) {
            let mut i = d.len();
            loop {
                if i == 0 {
                    d.insert(0, 1);
                    d.truncate(p);
                    point += 1;
                    break;
                }
                i -= 1;
                if d[i] == 9 {
                    d[i] = 0;
                } else {
                    d[i] += 1;
                    break;
                }
            }
        }
    }
    while d.len() > 1 && d.last() == Some(&0) {
        d.pop();
    }
    let text = |ds: &[u8]| ds.iter().map(|&c| char::from(b'0' + c)).collect::<String>();
    if point < -4 || point >= p as i32 {
        let mut s = text(&d[..1]);
        if d.len() > 1 {
            s.push('.');
            s.push_str(&text(&d[1..]));
        }
        let esign = if point < 0 { '-' } else { '+' };
        s.push_str(&format!("e{esign}{:02}", point.unsigned_abs()));
        s
    } else if point < 0 {
        format!("0.{}{}", "0".repeat((-point - 1) as usize), text(&d))
    } else {
        let int_len = point as usize + 1;
        if d.len() <= int_len {
            format!("{}{}", text(&d), "0".repeat(int_len - d.len()))
        } else {
            format!("{}.{}", text(&d[..int_len]), text(&d[int_len..]))
        }
    }
}

/// A non-negative integer in base 10^9, little-endian.
struct BigDec {
    limbs: Vec<u64>,
}

const LIMB: u64 = 1_000_000_000;

impl BigDec {
    fn from_u64(v: u64) -> Self {
        let mut limbs = Vec::new();
        let mut v = v;
        while v > 0 {
            limbs.push(v % LIMB);
            v /= LIMB;
        }
        BigDec { limbs }
    }

    /// Multiplies by `m < 2^34`.
    fn mul_small(&mut self, m: u64) {
        let mut carry = 0u64;
        for limb in &mut self.limbs {
            let v = *limb * m + carry;
            *limb = v % LIMB;
            carry = v / LIMB;
        }
        while carry > 0 {
            self.limbs.push(carry % LIMB);
            carry /= LIMB;
        }
    }

    fn digits(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.limbs.len() * 9);
        for (i, limb) in self.limbs.iter().rev().enumerate() {
            let s = if i == 0 {
                limb.to_string()
            } else {
                format!("{limb:09}")
            };
            out.extend(s.bytes().map(|b| b - b'0'));
        }
        if out.is_empty() {
            out.push(0);
        }
        out
    }
}

/// `strtold` on the strings Asterisk hands it: optional blanks, an optional sign, digits with at most one
/// decimal point. Returns the value and whether `errno` would be `ERANGE` (overflow or underflow).
pub(crate) fn strtold(s: &str) -> (Num, bool) {
    let b = s.as_bytes();
    // The common case: a short run of digits.
    if !b.is_empty() && b.len() <= 18 && b.iter().all(u8::is_ascii_digit) {
        let v = b.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
        return (Num::Int(v), false);
    }
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
        i += 1;
    }
    let mut negative = false;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        negative = b[i] == b'-';
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_part = &s[int_start..i];
    let mut frac_part = "";
    if i < b.len() && b[i] == b'.' {
        let fs = i + 1;
        let mut j = fs;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        frac_part = &s[fs..j];
    }
    if int_part.is_empty() && frac_part.is_empty() {
        // No conversion: 0, errno untouched.
        return (Num::ZERO, false);
    }
    let trimmed_int = int_part.trim_start_matches('0');
    let frac_zero = frac_part.bytes().all(|c| c == b'0');
    if frac_zero && trimmed_int.len() <= 18 {
        let v = trimmed_int
            .bytes()
            .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
        if negative {
            if v == 0 {
                return (Num::Ext(X80::new(-Ext::ZERO)), false);
            }
            return (Num::Int(-v), false);
        }
        return (Num::Int(v), false);
    }
    let mut text = String::with_capacity(int_part.len() + frac_part.len() + 3);
    if negative {
        text.push('-');
    }
    text.push_str(if int_part.is_empty() { "0" } else { int_part });
    if !frac_part.is_empty() {
        text.push('.');
        text.push_str(frac_part);
    }
    match Ext::from_str_r(&text, Round::NearestTiesToEven) {
        Ok(r) => {
            let erange = r.status.intersects(Status::OVERFLOW | Status::UNDERFLOW);
            (Num::from_ext(r.value), erange)
        }
        Err(_) => (Num::ZERO, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        strtold(s).0
    }

    #[test]
    fn formats_like_percent_18lg() {
        let cases = [
            (n("1").div(n("3")), "0.333333333333333333"),
            (n("10").div(n("3")), "3.33333333333333333"),
            (n("2").div(n("3")).mul(n("3")), "2"),
            (
                n("12345678901234567890").add(n("0")),
                "1.23456789012345679e+19",
            ),
            (n("123456789012345678"), "123456789012345678"),
            (n("1000000000000000000"), "1e+18"),
            (n("0.0001"), "0.0001"),
            (n("0.00001"), "1e-05"),
            (n("1.5"), "1.5"),
            (n("0").neg(), "-0"),
            (n("0").mul(n("5").neg()), "-0"),
            (n("5").neg().fmod(n("5")), "-0"),
            (n("7").neg().fmod(n("3")), "-1"),
            (n("7").fmod(n("3").neg()), "1"),
            (n("7.5").fmod(n("2")), "1.5"),
            (n("1").div(n("7")), "0.142857142857142857"),
        ];
        for (v, want) in cases {
            assert_eq!(v.format(), want);
        }
    }

    #[test]
    fn big_and_small_values() {
        let mut v = n("10");
        for _ in 0..40 {
            v = v.mul(n("10"));
        }
        assert_eq!(v.format(), "1e+41");
        let mut w = n("1");
        for _ in 0..30 {
            w = w.div(n("10"));
        }
        assert_eq!(w.format(), "1e-30");
    }

    #[test]
    fn strtold_prefixes() {
        assert_eq!(n("1.2.3").format(), "1.2");
        assert_eq!(n(".5").format(), "0.5");
        assert_eq!(n("5.").format(), "5");
        assert_eq!(n(" -12").format(), "-12");
        assert_eq!(n("-0").format(), "-0");
        assert_eq!(n("--5").format(), "0");
        assert_eq!(n("").format(), "0");
        assert!(!strtold("007").1);
        assert!(strtold(&"9".repeat(5000)).1);
    }

    #[test]
    fn sqrt_is_correctly_rounded() {
        assert_eq!(n("16").sqrt().format(), "4");
        assert_eq!(n("2").sqrt().format(), "1.41421356237309505");
        assert_eq!(n("0.25").sqrt().format(), "0.5");
    }
}
