//! `SHIFT(varname[,delim])` and `POP(varname[,delim])` (funcs/func_strings.c): remove and return the first
//! (SHIFT) or last (POP) item of the list in the variable, writing the rest back. Default delimiter `,`.

use super::util::{encoded_char, text, var_value};
use super::{set_variable, split_args, ArgRule, Function};
use crate::diag::LogLevel;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Shift;
pub struct Pop;

/// Both need a variable name; func_strings.c warns with the function's own name when it is empty.
fn no_variable_name(args: &str) -> bool {
    split_args(args, 2).first().is_none_or(|v| v.is_empty())
}

const SHIFT_RULE: ArgRule = ArgRule {
    refused: no_variable_name,
    level: LogLevel::Warning,
    source: "func_strings.c",
    log: "SHIFT requires a variable name",
    usage: "SHIFT(<varname>[,<delimiter>])",
    needed: None,
};

const POP_RULE: ArgRule = ArgRule {
    refused: no_variable_name,
    level: LogLevel::Warning,
    source: "func_strings.c",
    log: "POP requires a variable name",
    usage: "POP(<varname>[,<delimiter>])",
    needed: None,
};

/// Which end of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Front,
    Back,
}

/// Splits `list` at its first (Front) or last (Back) delimiter: (taken item, rest).
pub fn take(list: &[u8], delim: u8, end: End) -> (Vec<u8>, Vec<u8>) {
    let pos = match end {
        End::Front => list.iter().position(|&b| b == delim),
        End::Back => list.iter().rposition(|&b| b == delim),
    };
    match (pos, end) {
        (None, _) => (list.to_vec(), Vec::new()),
        (Some(p), End::Front) => (list[..p].to_vec(), list[p + 1..].to_vec()),
        (Some(p), End::Back) => (list[p + 1..].to_vec(), list[..p].to_vec()),
    }
}

fn shift_pop(
    rule: &ArgRule,
    end: End,
    args: &str,
    ctx: &mut dyn VarContext,
    fx: &mut Effects,
) -> Result<String, FuncError> {
    rule.apply(args, fx)?;
    let a = split_args(args, 2);
    let var = a.first().map_or("", String::as_str);
    let before = var_value(ctx, fx, var);
    let delim = a
        .get(1)
        .filter(|d| !d.is_empty())
        .and_then(|d| encoded_char(d.as_bytes(), fx))
        .map_or(b',', |(c, _)| c);
    if before.is_empty() {
        return Err(FuncError::Failed);
    }
    let (item, rest) = take(before.as_bytes(), delim, end);
    let rest = text(rest);
    set_variable(ctx, var, Some(&rest), fx);
    Ok(text(item))
}

impl Function for Shift {
    fn arg_rule(&self) -> Option<&'static ArgRule> {
        Some(&SHIFT_RULE)
    }

    fn name(&self) -> &'static str {
        "SHIFT"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        shift_pop(&SHIFT_RULE, End::Front, args, ctx, fx)
    }
}

impl Function for Pop {
    fn arg_rule(&self) -> Option<&'static ArgRule> {
        Some(&POP_RULE)
    }

    fn name(&self) -> &'static str {
        "POP"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        shift_pop(&POP_RULE, End::Back, args, ctx, fx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes() {
        assert_eq!(
            take(b"a,b,c", b',', End::Front),
            (b"a".to_vec(), b"b,c".to_vec())
        );
        assert_eq!(
            take(b"a,b,c", b',', End::Back),
            (b"c".to_vec(), b"a,b".to_vec())
        );
        assert_eq!(take(b"a", b',', End::Back), (b"a".to_vec(), Vec::new()));
    }
}
