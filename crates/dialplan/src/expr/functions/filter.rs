//! `FILTER(allowed-chars,string)` (funcs/func_strings.c): keeps the bytes of `string` that are in the allowed
//! set. The set takes escapes and ranges `a-z` (a range that wraps warns); arguments are split raw (quotes
//! kept), and a set starting with `"` warns.

use super::util::{encoded_char, log, text, RESULT_LIMIT};
use super::Function;
use crate::diag::LogLevel;
use crate::expr::args::{separate_args, ArgMode};
use crate::expr::{Effects, FuncError, VarContext};

pub struct Filter;

/// The allowed bytes of a FILTER set, or `None` when an escape is malformed.
pub fn allowed_set(
    spec: &[u8],
    whole: &str,
    string: &str,
    fx: &mut Effects,
) -> Option<[bool; 256]> {
    let mut set = [false; 256];
    let mut i = 0;
    while i < spec.len() {
        let (c1, used) = encoded_char(&spec[i..], fx)?;
        i += used;
        if spec.get(i) == Some(&b'-') {
            let (c2, used2) = match encoded_char(&spec[i + 1..], fx) {
                Some(x) => x,
                None => (c1, 0),
            };
            i += used2 + 1;
            if c2 < c1 {
                log(
                    fx,
                    LogLevel::Warning,
                    "func_strings.c",
                    format!(
                        "Range wrapping in FILTER({whole},{string}).  This may not be what you want."
                    ),
                );
            }
            let mut ac = c1;
            while ac != c2 {
                set[usize::from(ac)] = true;
                ac = ac.wrapping_add(1);
            }
            set[usize::from(ac)] = true;
        } else {
            set[usize::from(c1)] = true;
        }
    }
    set[0] = false;
    Some(set)
}

/// `FILTER(<allowed-chars>,<string>)`: without the second argument it is refused.
const FILTER_RULE: super::ArgRule = super::ArgRule {
    refused: |a| separate_args(a, ',', ArgMode::Raw, 2).len() < 2,
    level: LogLevel::Error,
    source: "func_strings.c",
    log: "Usage: FILTER(<allowed-chars>,<string>)",
    usage: "FILTER(<allowed-chars>,<string>)",
    needed: Some(2),
};

impl Function for Filter {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&FILTER_RULE)
    }

    fn name(&self) -> &'static str {
        "FILTER"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = separate_args(args, ',', ArgMode::Raw, 2);
        let (Some(allowed), Some(string)) = (a.first(), a.get(1)) else {
            log(
                fx,
                LogLevel::Error,
                "func_strings.c",
                "Usage: FILTER(<allowed-chars>,<string>)",
            );
            return Err(FuncError::Failed);
        };
        if allowed.starts_with('"') {
            log(
                fx,
                LogLevel::Warning,
                "func_strings.c",
                "FILTER allowed characters includes the quote (\") character.  This may not be what you want.",
            );
        }
        // Asterisk logs the argument text as modified by its split: the allowed part alone.
        let set = allowed_set(allowed.as_bytes(), allowed, string, fx).ok_or(FuncError::Failed)?;
        let out: Vec<u8> = string
            .bytes()
            .filter(|&b| set[usize::from(b)])
            .take(RESULT_LIMIT)
            .collect();
        Ok(text(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets() {
        let mut fx = Effects::new();
        let s = allowed_set(b"0-9", "0-9", "", &mut fx).unwrap();
        assert!(s[usize::from(b'5')] && !s[usize::from(b'a')]);
        let s = allowed_set(b"\\x41-C", "", "", &mut fx).unwrap();
        assert!(s[usize::from(b'B')] && !s[usize::from(b'D')]);
        assert!(fx.log.is_empty());
        let _ = allowed_set(b"9-0", "9-0", "x", &mut fx).unwrap();
        assert_eq!(
            fx.console(),
            ["WARNING: func_strings.c: Range wrapping in FILTER(9-0,x).  This may not be what you want."]
        );
    }
}
