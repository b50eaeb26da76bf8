//! `STRREPLACE(varname,find[,replace[,max]])` (funcs/func_strings.c): replaces occurrences of `find` in the
//! variable (all of them, or the first `max` when `max` > 0).

use super::util::{log, var_value};
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::expr::cnum::atoi;
use crate::expr::{Effects, FuncError, VarContext};

pub struct StrReplace;

/// Replaces up to `max` occurrences (`None`: all) of `find` in `s`.
pub fn replace_n(s: &str, find: &str, with: &str, max: Option<usize>) -> String {
    match max {
        None => s.replace(find, with),
        Some(n) => s.replacen(find, with, n),
    }
}

/// `STRREPLACE(<varname>,<find-string>[,<replace-string>,[<max-replacements>]])`: fewer than 2 arguments are refused.
const STRREPLACE_RULE: super::ArgRule = super::ArgRule {
    refused: |a| super::split_args(a, 5).len() < 2,
    level: crate::diag::LogLevel::Error,
    source: "func_strings.c",
    log: "Usage: STRREPLACE(<varname>,<find-string>[,<replace-string>,[<max-replacements>]])",
    usage: "STRREPLACE(<varname>,<find-string>[,<replace-string>,[<max-replacements>]])",
    needed: Some(2),
};

impl Function for StrReplace {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&STRREPLACE_RULE)
    }

    fn name(&self) -> &'static str {
        "STRREPLACE"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 5);
        STRREPLACE_RULE.apply(args, fx)?;
        if a[0].is_empty() {
            return Err(FuncError::Failed);
        }
        if a[1].is_empty() {
            log(
                fx,
                LogLevel::Error,
                "func_strings.c",
                "No <find-string> specified",
            );
            return Err(FuncError::Failed);
        }
        let value = var_value(ctx, fx, &a[0]);
        let max = a
            .get(3)
            .map(|m| atoi(m))
            .filter(|&m| m > 0)
            .map(|m| m as usize);
        let with = a.get(2).map_or("", String::as_str);
        Ok(replace_n(&value, &a[1], with, max))
    }
}

#[cfg(test)]
mod tests {
    use super::replace_n;

    #[test]
    fn replaces() {
        assert_eq!(replace_n("a-b-c", "-", "+", None), "a+b+c");
        assert_eq!(replace_n("a-b-c", "-", "", Some(1)), "ab-c");
        assert_eq!(replace_n("aaaa", "aa", "b", None), "bb");
    }
}
