//! `Set(PUSH(varname[,delim])=value)` and `Set(UNSHIFT(varname[,delim])=value)` (funcs/func_strings.c):
//! append (PUSH) or prepend (UNSHIFT) an item to the list in the variable. Write-only.

use super::shift::End;
use super::util::{encoded_char, log, var_value};
use super::{set_variable, split_args, Function};
use crate::diag::LogLevel;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Push;
pub struct Unshift;

fn unshift_push(
    cmd: &str,
    end: End,
    args: &str,
    value: &str,
    ctx: &mut dyn VarContext,
    fx: &mut Effects,
) -> Result<(), FuncError> {
    let a = split_args(args, 2);
    let var = a.first().map_or("", String::as_str);
    if var.is_empty() {
        log(
            fx,
            LogLevel::Warning,
            "func_strings.c",
            format!("{cmd} requires a variable name"),
        );
        return Err(FuncError::Failed);
    }
    let delim = a
        .get(1)
        .filter(|d| !d.is_empty())
        .and_then(|d| encoded_char(d.as_bytes(), fx))
        .map_or(',', |(c, _)| char::from(c));
    // At most two leading underscores are the inheritance prefix.
    let mut stripped = var;
    for _ in 0..2 {
        stripped = stripped.strip_prefix('_').unwrap_or(stripped);
    }
    let previous = var_value(ctx, fx, stripped);
    let new = if previous.is_empty() {
        value.to_string()
    } else if end == End::Front {
        format!("{value}{delim}{previous}")
    } else {
        format!("{previous}{delim}{value}")
    };
    set_variable(ctx, var, Some(&new), fx);
    Ok(())
}

impl Function for Push {
    fn name(&self) -> &'static str {
        "PUSH"
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        unshift_push("PUSH", End::Back, args, value, ctx, fx)
    }
}

impl Function for Unshift {
    fn name(&self) -> &'static str {
        "UNSHIFT"
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        unshift_push("UNSHIFT", End::Front, args, value, ctx, fx)
    }
}
