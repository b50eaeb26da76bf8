//! `SET(name=value)` (funcs/func_logic.c): sets a variable (or writes a function) and returns the value.

use super::{set_variable, Function};
use crate::diag::LogLevel;
use crate::expr::cnum::strip;
use crate::expr::{codes, Effects, FuncError, VarContext};

pub struct Set;

/// `SET(<varname>=[<value>])`: without `=` or a name before it, refused.
const SET_RULE: super::ArgRule = super::ArgRule {
    refused: |a| a.split_once('=').is_none_or(|(n, _)| n.is_empty()),
    level: LogLevel::Warning,
    source: "func_logic.c",
    log: "Syntax SET(<varname>=[<value>])",
    usage: "SET(<varname>=[<value>])",
    needed: None,
};

impl Function for Set {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&SET_RULE)
    }

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
