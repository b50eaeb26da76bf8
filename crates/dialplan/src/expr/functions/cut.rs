//! `CUT(varname,char-delim,range-spec)` and `SORT(key:value,...)` (funcs/func_cut.c).
//!
//! CUT reads the *variable* named by its first argument, splits it on the (escape-decoded) delimiter — `-`
//! when the delimiter is empty — and keeps the fields of `range-spec`: `N`, `N-M`, `-M`, `N-`, joined by `&`.
//! Ranges go forward only: a range before the current field logs `We're already past the field you
//! wanted?` and yields nothing more for that range.

use super::util::{encoded_char, fields, leading_float, log, text, var_value};
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::expr::cnum::scan_int;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Cut;
pub struct Sort;

/// One field range of CUT, 1-based and inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldRange {
    pub start: i32,
    pub stop: i32,
}

/// Parses one `&`-separated part of CUT's range spec the way its `sscanf` chain does; `None` is a usage
/// error.
pub fn parse_range(spec: &str) -> Option<FieldRange> {
    // "%d-%d"
    if let Some((a, rest)) = scan_int(spec) {
        if let Some((b, _)) = rest.strip_prefix('-').and_then(scan_int) {
            return Some(FieldRange { start: a, stop: b });
        }
    }
    // "-%d"
    if let Some((b, _)) = spec.strip_prefix('-').and_then(scan_int) {
        return Some(FieldRange { start: 1, stop: b });
    }
    // "%d%c" with '-', then "%d"
    let (a, rest) = scan_int(spec)?;
    let stop = if rest.starts_with('-') { i32::MAX } else { a };
    Some(FieldRange { start: a, stop })
}

/// `CUT(<varname>,<char-delim>,<range-spec>)`: fewer than 3 arguments are refused.
const CUT_RULE: super::ArgRule = super::ArgRule {
    refused: |a| super::split_args(a, 3).len() < 3,
    level: crate::diag::LogLevel::Error,
    source: "func_cut.c",
    log: "Syntax: CUT(<varname>,<char-delim>,<range-spec>) - missing argument!",
    usage: "CUT(<varname>,<char-delim>,<range-spec>)",
    needed: Some(3),
};

impl Function for Cut {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&CUT_RULE)
    }

    fn name(&self) -> &'static str {
        "CUT"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 3);
        CUT_RULE.apply(args, fx)?;
        let value = var_value(ctx, fx, &a[0]);
        let delim = encoded_char(a[1].as_bytes(), fx).map_or(b'-', |(c, _)| c);
        let mut out: Vec<u8> = Vec::new();
        if value.is_empty() {
            return Ok(String::new());
        }
        let all: Vec<&[u8]> = fields(value.as_bytes(), delim).collect();
        let mut cur = 1i64; // the number of the next field
        let mut next = 0usize; // index into `all`
        let mut count = 0;
        for part in a[2].split('&') {
            if next >= all.len() {
                break;
            }
            let Some(r) = parse_range(part) else {
                log(
                    fx,
                    LogLevel::Error,
                    "func_cut.c",
                    "Usage: CUT(<varname>,<char-delim>,<range-spec>)",
                );
                return Err(FuncError::Failed);
            };
            while next < all.len() && cur < i64::from(r.start) {
                next += 1;
                cur += 1;
            }
            if cur > i64::from(r.start) {
                log(
                    fx,
                    LogLevel::Warning,
                    "func_cut.c",
                    "We're already past the field you wanted?",
                );
            }
            while next < all.len() && cur <= i64::from(r.stop) {
                if count > 0 {
                    out.push(delim);
                }
                out.extend_from_slice(all[next]);
                count += 1;
                next += 1;
                cur += 1;
            }
        }
        Ok(text(out))
    }
}

impl Function for Sort {
    fn name(&self) -> &'static str {
        "SORT"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let mut keys: Vec<(&str, f64)> = args
            .split(',')
            .filter_map(|p| {
                let (k, v) = p.split_once(':')?;
                Some((k, leading_float(v)))
            })
            .collect();
        // Asterisk's qsort is not stable; dialsim keeps equal values in their written order.
        keys.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal));
        Ok(keys.iter().map(|k| k.0).collect::<Vec<_>>().join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let r = |s: &str| parse_range(s).map(|r| (r.start, r.stop));
        assert_eq!(r("2"), Some((2, 2)));
        assert_eq!(r("2-4"), Some((2, 4)));
        assert_eq!(r("-3"), Some((1, 3)));
        assert_eq!(r("3-"), Some((3, i32::MAX)));
        assert_eq!(r("x"), None);
        assert_eq!(r("--3"), Some((1, -3)));
        assert_eq!(r(" -3"), Some((-3, -3)));
        assert_eq!(r("3 -"), Some((3, 3)));
        assert_eq!(r(""), None);
    }
}
