//! `EVAL(text)` (funcs/func_strings.c): substitutes the text once more.

use super::Function;
use crate::expr::subst::substitute_into;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Eval;

/// `ast_func_read` gives functions a 4096-byte buffer; EVAL substitutes into all but its last byte.
const EVAL_LIMIT: usize = 4095;

/// `EVAL(<string>)`: an empty argument is refused.
const EVAL_RULE: super::ArgRule = super::ArgRule {
    refused: str::is_empty,
    level: crate::diag::LogLevel::Warning,
    source: "func_strings.c",
    log: "EVAL requires an argument: EVAL(<string>)",
    usage: "EVAL(<string>)",
    needed: None,
};

impl Function for Eval {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&EVAL_RULE)
    }

    fn name(&self) -> &'static str {
        "EVAL"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        EVAL_RULE.apply(args, fx)?;
        let mut out = String::new();
        substitute_into(args, ctx, fx, &mut out, EVAL_LIMIT);
        Ok(out)
    }
}
