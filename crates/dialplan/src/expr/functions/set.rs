//! `SET(name=value)` (funcs/func_logic.c): sets a variable (or writes a function) and returns the value.

use super::{set_variable, Function};
use crate::diag::LogLevel;
use crate::expr::cnum::strip;
use crate::expr::{codes, Effects, FuncError, VarContext};

pub struct Set;

impl Function for Set {
    fn name(&self) -> &'static str {
        "SET"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (name, value) = match args.split_once('=') {
            Some((n, v)) if !n.is_empty() => (strip(n), strip(v)),
            _ => {
                fx.asterisk(
                    codes::FUNC_USAGE,
                    LogLevel::Warning,
                    "func_logic.c",
                    "Syntax SET(<varname>=[<value>])",
                );
                return Err(FuncError::Failed);
            }
        };
        set_variable(ctx, name, Some(value), fx);
        Ok(value.to_owned())
    }
}
