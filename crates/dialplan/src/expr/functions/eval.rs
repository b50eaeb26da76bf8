//! `EVAL(text)` (funcs/func_strings.c): substitutes the text once more.

use super::Function;
use crate::diag::LogLevel;
use crate::expr::subst::substitute_into;
use crate::expr::{codes, Effects, FuncError, VarContext};

pub struct Eval;

/// `ast_func_read` gives functions a 4096-byte buffer; EVAL substitutes into all but its last byte.
const EVAL_LIMIT: usize = 4095;

impl Function for Eval {
    fn name(&self) -> &'static str {
        "EVAL"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        if args.is_empty() {
            fx.asterisk(
                codes::FUNC_USAGE,
                LogLevel::Warning,
                "func_strings.c",
                "EVAL requires an argument: EVAL(<string>)",
            );
            return Err(FuncError::Failed);
        }
        let mut out = String::new();
        substitute_into(args, ctx, fx, &mut out, EVAL_LIMIT);
        Ok(out)
    }
}
