//! `FIELDNUM(varname,delim,value)` (funcs/func_strings.c): the 1-based position of `value` among the
//! variable's fields (compared case-insensitively), 0 when absent.

use super::util::{encoded_char, fields, var_value};
use super::{split_args, Function};
use crate::expr::{Effects, FuncError, VarContext};

pub struct FieldNum;

/// `FIELDNUM(<listname>,<delimiter>,<fieldvalue>)`: fewer than 3 arguments are refused.
const FIELDNUM_RULE: super::ArgRule = super::ArgRule {
    refused: |a| super::split_args(a, 3).len() < 3,
    level: crate::diag::LogLevel::Error,
    source: "func_strings.c",
    log: "Usage: FIELDNUM(<listname>,<delimiter>,<fieldvalue>)",
    usage: "FIELDNUM(<listname>,<delimiter>,<fieldvalue>)",
    needed: Some(3),
};

impl Function for FieldNum {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&FIELDNUM_RULE)
    }

    fn name(&self) -> &'static str {
        "FIELDNUM"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 3);
        FIELDNUM_RULE.apply(args, fx)?;
        let value = var_value(ctx, fx, &a[0]);
        if value.is_empty() || a[1].is_empty() {
            return Ok(String::from("0"));
        }
        let Some((d, _)) = encoded_char(a[1].as_bytes(), fx) else {
            return Err(FuncError::Failed);
        };
        let want = a[2].as_bytes();
        let pos = if d == 0 {
            usize::from(value.as_bytes().eq_ignore_ascii_case(want))
        } else {
            fields(value.as_bytes(), d)
                .position(|f| f.eq_ignore_ascii_case(want))
                .map_or(0, |i| i + 1)
        };
        Ok(pos.to_string())
    }
}
