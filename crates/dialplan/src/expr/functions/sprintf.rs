//! `SPRINTF(format,arg1[,arg2…])` (funcs/func_sprintf.c): C's `sprintf` for one format string, each
//! conversion taking the next argument (`diouxXc` as int, `eEfFgGaA` as double, `s` as text). An
//! unsupported conversion, a missing or non-numeric argument fails with Asterisk's error.

use super::util::{log, scan_double};
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::expr::cnum::scan_int;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Sprintf;

const SRC: &str = "func_sprintf.c";

/// One conversion specification: `%[flags][width][.precision][length]conv`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    pub left: bool,
    pub zero: bool,
    pub plus: bool,
    pub space: bool,
    pub alt: bool,
    pub width: usize,
    pub precision: Option<usize>,
    /// `h` (1) or `hh` (2): C's printf converts the int argument to `short` or `char` first.
    pub short: u8,
    pub conv: char,
}

/// Splits a format into literal text and specifications (the text of each spec kept for messages).
pub fn parse_format(format: &str) -> Vec<Result<String, (Spec, String)>> {
    let chars: Vec<char> = format.chars().collect();
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            lit.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut s = Spec::default();
        while i < chars.len() && "#0- +'I".contains(chars[i]) {
            match chars[i] {
                '-' => s.left = true,
                '0' => s.zero = true,
                '+' => s.plus = true,
                ' ' => s.space = true,
                '#' => s.alt = true,
                _ => {}
            }
            i += 1;
        }
        while i < chars.len() && chars[i].is_ascii_digit() {
            s.width = s
                .width
                .saturating_mul(10)
                .saturating_add(chars[i] as usize - '0' as usize);
            i += 1;
        }
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            let mut p = 0usize;
            while i < chars.len() && chars[i].is_ascii_digit() {
                p = p
                    .saturating_mul(10)
                    .saturating_add(chars[i] as usize - '0' as usize);
                i += 1;
            }
            s.precision = Some(p);
        }
        if i < chars.len() && "hl".contains(chars[i]) {
            let h = chars[i] == 'h';
            s.short = u8::from(h);
            if chars.get(i + 1) == Some(&chars[i]) {
                i += 1;
                s.short *= 2;
            }
            i += 1;
        } else if i < chars.len() && "Lqjzt".contains(chars[i]) {
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            break;
        };
        i += 1;
        if conv == '%' {
            lit.push('%');
            continue;
        }
        if !lit.is_empty() {
            out.push(Ok(std::mem::take(&mut lit)));
        }
        s.conv = conv;
        out.push(Err((s, chars[start..i].iter().collect())));
    }
    if !lit.is_empty() {
        out.push(Ok(lit));
    }
    out
}

fn pad(s: &Spec, body: String, numeric: bool) -> String {
    if body.chars().count() >= s.width {
        return body;
    }
    let fill = s.width - body.chars().count();
    if s.left {
        format!("{body}{}", " ".repeat(fill))
    } else if s.zero && numeric && !(s.precision.is_some() && "diouxX".contains(s.conv)) {
        let (sign, digits) = match body.chars().next() {
            Some(c @ ('-' | '+' | ' ')) => (c.to_string(), body[1..].to_string()),
            _ => (String::new(), body.clone()),
        };
        let (prefix, digits) = if digits.starts_with("0x") || digits.starts_with("0X") {
            (digits[..2].to_string(), digits[2..].to_string())
        } else {
            (String::new(), digits)
        };
        format!("{sign}{prefix}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{body}", " ".repeat(fill))
    }
}

fn sign(s: &Spec, negative: bool) -> &'static str {
    if negative {
        "-"
    } else if s.plus {
        "+"
    } else if s.space {
        " "
    } else {
        ""
    }
}

/// `%e` body for a non-negative finite value.
fn exp_form(v: f64, prec: usize, upper: bool) -> String {
    let s = format!("{v:.prec$e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let e = if upper { 'E' } else { 'e' };
    format!(
        "{mant}{e}{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

/// `%a` body for a non-negative finite value, as glibc prints it: `0x1.8p+1`; without a precision the
/// fraction's trailing zeros go, with one it is rounded to that many hex digits (ties to even; a carry
/// makes the leading digit 2, which glibc does not renormalise).
fn hex_form(v: f64, precision: Option<usize>, alt: bool, upper: bool) -> String {
    let bits = v.to_bits();
    let exp_bits = (bits >> 52) & 0x7ff;
    let mut frac = bits & ((1u64 << 52) - 1);
    let (mut lead, exp) = match (v == 0.0, exp_bits) {
        (true, _) => (0u64, 0i64),
        (false, 0) => (0, -1022),
        (false, e) => (1, e as i64 - 1023),
    };
    let digits = match precision {
        None => format!("{frac:013x}").trim_end_matches('0').to_string(),
        Some(p) if p >= 13 => format!("{frac:013x}{}", "0".repeat(p - 13)),
        Some(p) => {
            let shift = 4 * (13 - p) as u32;
            let rem = frac & ((1u64 << shift) - 1);
            frac >>= shift;
            let half = 1u64 << (shift - 1);
            // The last kept digit decides a tie; with no fraction digits that is the leading one.
            let odd = if p == 0 { lead & 1 == 1 } else { frac & 1 == 1 };
            if rem > half || (rem == half && odd) {
                frac += 1;
                if p == 0 || frac >> (4 * p) != 0 {
                    lead += 1;
                    frac = 0;
                }
            }
            if p == 0 {
                String::new()
            } else {
                format!("{frac:0p$x}")
            }
        }
    };
    let point = if digits.is_empty() && !alt { "" } else { "." };
    let text = format!(
        "0x{lead}{point}{digits}p{}{}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    );
    if upper {
        text.to_ascii_uppercase()
    } else {
        text
    }
}

/// Formats an int conversion.
pub fn format_int(s: &Spec, v: i32) -> String {
    // `%hd`/`%hhd` print the value converted to short/signed char, `%hu`/`%hhx`… to their unsigned types.
    let signed = matches!(s.conv, 'd' | 'i');
    let v = match (s.short, signed) {
        (1, true) => i32::from(v as i16),
        (2, true) => i32::from(v as i8),
        (1, false) => i32::from(v as u16),
        (2, false) => i32::from(v as u8),
        _ => v,
    };
    let mut digits = match s.conv {
        'd' | 'i' => v.unsigned_abs().to_string(),
        'o' => format!("{:o}", v as u32),
        'u' => (v as u32).to_string(),
        'x' => format!("{:x}", v as u32),
        'X' => format!("{:X}", v as u32),
        'c' => return pad(s, char::from(v as u8).to_string(), false),
        _ => String::new(),
    };
    if let Some(p) = s.precision {
        if p == 0 && v == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    if s.alt && v != 0 {
        match s.conv {
            'o' if !digits.starts_with('0') => digits.insert(0, '0'),
            'x' => digits.insert_str(0, "0x"),
            'X' => digits.insert_str(0, "0X"),
            _ => {}
        }
    }
    let body = format!("{}{digits}", if signed { sign(s, v < 0) } else { "" });
    pad(s, body, true)
}

/// Formats a double conversion.
pub fn format_double(s: &Spec, v: f64) -> String {
    let upper = s.conv.is_ascii_uppercase();
    let neg = v.is_sign_negative();
    let a = v.abs();
    let body = if a.is_nan() {
        if upper { "NAN" } else { "nan" }.to_string()
    } else if a.is_infinite() {
        if upper { "INF" } else { "inf" }.to_string()
    } else {
        let prec = s.precision.unwrap_or(6);
        match s.conv.to_ascii_lowercase() {
            'f' => format!("{a:.prec$}"),
            'e' => exp_form(a, prec, upper),
            'g' => {
                let p = if prec == 0 { 1 } else { prec };
                let exp = if a == 0.0 {
                    0
                } else {
                    let e = exp_form(a, p - 1, false);
                    e.rsplit_once('e')
                        .and_then(|(_, x)| x.parse::<i32>().ok())
                        .unwrap_or(0)
                };
                let mut t = if exp < -4 || exp >= p as i32 {
                    exp_form(a, p - 1, upper)
                } else {
                    format!("{a:.*}", (p as i32 - 1 - exp).max(0) as usize)
                };
                if !s.alt {
                    let (m, e) = match t.find(['e', 'E']) {
                        Some(i) => (t[..i].to_string(), t[i..].to_string()),
                        None => (t.clone(), String::new()),
                    };
                    let m = if m.contains('.') {
                        m.trim_end_matches('0').trim_end_matches('.').to_string()
                    } else {
                        m
                    };
                    t = format!("{m}{e}");
                }
                t
            }
            _ => hex_form(a, s.precision, s.alt, upper),
        }
    };
    let numeric = a.is_finite();
    pad(s, format!("{}{body}", sign(s, neg)), numeric)
}

impl Function for Sprintf {
    fn name(&self) -> &'static str {
        "SPRINTF"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 101);
        let format = a.first().map_or("", String::as_str);
        let mut vals = a.iter().skip(1);
        let mut out = String::new();
        for part in parse_format(format) {
            match part {
                Ok(lit) => out.push_str(&lit),
                Err((spec, text)) => {
                    match spec.conv {
                        'd' | 'i' | 'o' | 'u' | 'x' | 'X' | 'c' => {
                            let Some(v) = vals.next() else {
                                log(
                                    fx,
                                    LogLevel::Error,
                                    SRC,
                                    "SPRINTF() has more format specifiers than arguments!",
                                );
                                return Err(FuncError::Failed);
                            };
                            let Some((n, _)) = scan_int(v) else {
                                log(
                                fx,
                                LogLevel::Error,
                                SRC,
                                format!("Argument '{v}' is not an integer number for format '{text}'"),
                            );
                                return Err(FuncError::Failed);
                            };
                            out.push_str(&format_int(&spec, n));
                        }
                        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'a' | 'A' => {
                            let Some(v) = vals.next() else {
                                log(
                                    fx,
                                    LogLevel::Error,
                                    SRC,
                                    "SPRINTF() has more format specifiers than arguments!",
                                );
                                return Err(FuncError::Failed);
                            };
                            let Some(d) = scan_double(v) else {
                                log(
                                fx,
                                LogLevel::Error,
                                SRC,
                                format!("Argument '{v}' is not a floating point number for format '{text}'"),
                            );
                                return Err(FuncError::Failed);
                            };
                            out.push_str(&format_double(&spec, d));
                        }
                        's' => {
                            let v = vals.next().map_or("(null)", String::as_str);
                            let v = match spec.precision {
                                Some(p) => v.chars().take(p).collect(),
                                None => v.to_string(),
                            };
                            out.push_str(&pad(&spec, v, false));
                        }
                        _ => {
                            let v = vals.next().map_or("(null)", String::as_str);
                            log(
                                fx,
                                LogLevel::Error,
                                SRC,
                                format!("Format type not supported: '{text}' with argument '{v}'"),
                            );
                            return Err(FuncError::Failed);
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(fmt: &str) -> Spec {
        match parse_format(fmt).into_iter().next() {
            Some(Err((s, _))) => s,
            _ => panic!("no spec in {fmt}"),
        }
    }

    #[test]
    fn ints() {
        assert_eq!(format_int(&one("%05d"), 42), "00042");
        assert_eq!(format_int(&one("%-4d|"), 7), "7   ");
        assert_eq!(format_int(&one("%+d"), 7), "+7");
        assert_eq!(format_int(&one("%x"), 255), "ff");
        assert_eq!(format_int(&one("%#X"), 255), "0XFF");
        assert_eq!(format_int(&one("%.3d"), 5), "005");
        assert_eq!(format_int(&one("%c"), 65), "A");
    }

    #[test]
    fn doubles() {
        assert_eq!(format_double(&one("%.2f"), 1.23456), "1.23");
        assert_eq!(format_double(&one("%8.3f"), -1.23456), "  -1.235");
        assert_eq!(format_double(&one("%e"), 1234.5), "1.234500e+03");
        assert_eq!(format_double(&one("%g"), 0.0001), "0.0001");
        assert_eq!(format_double(&one("%g"), 1234567.0), "1.23457e+06");
        assert_eq!(format_double(&one("%g"), 100.0), "100");
        assert_eq!(format_double(&one("%010.2f"), -1.5), "-000001.50");
    }

    /// Printed by glibc 2.36's snprintf with the same format and value.
    #[test]
    fn like_glibc() {
        let d = |f: &str, v: f64| format_double(&one(f), v);
        assert_eq!(d("%a", 1.0), "0x1p+0");
        assert_eq!(d("%a", 0.5), "0x1p-1");
        assert_eq!(d("%a", 255.5), "0x1.ffp+7");
        assert_eq!(d("%a", 0.1), "0x1.999999999999ap-4");
        assert_eq!(d("%a", 1e-310), "0x0.012688b70e62bp-1022");
        assert_eq!(d("%.2a", 1e-310), "0x0.01p-1022");
        assert_eq!(d("%.0a", 2.5), "0x1p+1");
        assert_eq!(d("%.0a", 0.5), "0x1p-1");
        assert_eq!(d("%a", 0.0), "0x0p+0");
        assert_eq!(d("%a", -2.0), "-0x1p+1");
        assert_eq!(d("%.0a", 1.5), "0x2p+0");
        assert_eq!(d("%.1a", 0.1), "0x1.ap-4");
        assert_eq!(d("%#.0a", 1.0), "0x1.p+0");
        assert_eq!(d("%A", 10.0), "0X1.4P+3");
        assert_eq!(d("%12a", 1.0), "      0x1p+0");
        assert_eq!(d("%012a", 1.0), "0x0000001p+0");
        assert_eq!(d("%.15a", 1.0), "0x1.000000000000000p+0");
        assert_eq!(d("%+f", f64::NAN), "+nan");
        assert_eq!(d("%5.1f", -f64::NAN), " -nan");
        assert_eq!(d("%05f", f64::NAN), "  nan");
        assert_eq!(d("%E", -f64::NAN), "-NAN");
        let i = |f: &str, v: i32| format_int(&one(f), v);
        assert_eq!(i("%hhd", 300), "44");
        assert_eq!(i("%hd", 70000), "4464");
        assert_eq!(i("%hhu", -1), "255");
        assert_eq!(i("%hx", -1), "ffff");
        assert_eq!(i("%hho", 511), "377");
        assert_eq!(i("%hhc", 321), "A");
    }
}
