//! `REPLACE(varname,find-chars[,replace-char])` (funcs/func_strings.c): every byte of the variable that is
//! one of `find-chars` becomes `replace-char`, or is removed when there is none. An empty variable fails.

use super::util::{encoded_char, encoded_str, log, text, var_value};
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Replace;

/// `REPLACE(<varname>,<search-chars>[,<replace-char>])`: fewer than 2 arguments are refused.
const REPLACE_RULE: super::ArgRule = super::ArgRule {
    refused: |a| super::split_args(a, 3).len() < 2,
    level: crate::diag::LogLevel::Error,
    source: "func_strings.c",
    log: "Usage: REPLACE(<varname>,<search-chars>[,<replace-char>])",
    usage: "REPLACE(<varname>,<search-chars>[,<replace-char>])",
    needed: Some(2),
};

impl Function for Replace {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&REPLACE_RULE)
    }

    fn name(&self) -> &'static str {
        "REPLACE"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 3);
        REPLACE_RULE.apply(args, fx)?;
        let mut find = encoded_str(a[1].as_bytes(), fx);
        find.truncate(255);
        let with = a
            .get(2)
            .and_then(|r| encoded_char(r.as_bytes(), fx))
            .map(|(c, _)| c)
            .filter(|&c| c != 0);
        if find.is_empty() || a[0].is_empty() {
            log(
                fx,
                LogLevel::Error,
                "func_strings.c",
                "The characters to search for and the variable name must not be empty.",
            );
            return Err(FuncError::Failed);
        }
        let value = var_value(ctx, fx, &a[0]);
        if value.is_empty() {
            return Err(FuncError::Failed);
        }
        let out: Vec<u8> = value
            .bytes()
            .filter_map(|b| match (find.contains(&b), with) {
                (false, _) => Some(b),
                (true, Some(w)) => Some(w),
                (true, None) => None,
            })
            .collect();
        Ok(text(out))
    }
}
