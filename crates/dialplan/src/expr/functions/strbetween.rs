//! `STRBETWEEN(varname,insert)` (funcs/func_strings.c): the variable's value with `insert` between every two
//! bytes. Exactly two arguments, the first not empty.

use super::util::{log, text, var_value};
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::expr::{Effects, FuncError, VarContext};

pub struct StrBetween;

impl Function for StrBetween {
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
        if a.len() != 2 || a[0].is_empty() {
            log(
                fx,
                LogLevel::Error,
                "func_strings.c",
                "Usage: STRBETWEEN(<varname>,<insert-string>)",
            );
            return Err(FuncError::Failed);
        }
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
