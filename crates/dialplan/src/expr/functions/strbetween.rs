//! `STRBETWEEN(varname,insert)` (funcs/func_strings.c): the variable's value with `insert` between every two
//! bytes. Exactly two arguments, the first not empty.

use super::util::{text, var_value};
use super::{split_args, Function};
use crate::expr::{Effects, FuncError, VarContext};

pub struct StrBetween;

/// `STRBETWEEN(<varname>,<insert-string>)`: exactly two arguments, the first not empty.
const STRBETWEEN_RULE: super::ArgRule = super::ArgRule {
    refused: |a| {
        let a = super::split_args(a, 3);
        a.len() != 2 || a[0].is_empty()
    },
    level: crate::diag::LogLevel::Error,
    source: "func_strings.c",
    log: "Usage: STRBETWEEN(<varname>,<insert-string>)",
    usage: "STRBETWEEN(<varname>,<insert-string>)",
    needed: Some(2),
};

impl Function for StrBetween {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&STRBETWEEN_RULE)
    }

    fn name(&self) -> &'static str {
        "STRBETWEEN"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 3);
        STRBETWEEN_RULE.apply(args, fx)?;
        let value = var_value(ctx, fx, &a[0]);
        let b = value.as_bytes();
        let mut out = Vec::with_capacity(b.len() * (1 + a[1].len()));
        for (i, &c) in b.iter().enumerate() {
            out.push(c);
            if i + 1 < b.len() {
                out.extend_from_slice(a[1].as_bytes());
            }
        }
        Ok(text(out))
    }
}
