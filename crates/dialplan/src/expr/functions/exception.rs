//! `EXCEPTION(reason|context|exten|priority)` (main/pbx.c): what the last jump to the `e` extension
//! recorded. Fails when no exception happened or for another field.

use super::util::engine_of;
use super::Function;
use crate::expr::{Effects, FuncError, VarContext};

pub struct ExceptionFn;

impl Function for ExceptionFn {
    fn name(&self) -> &'static str {
        "EXCEPTION"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (e, chan) = engine_of(ctx, "EXCEPTION")?;
        let x = e.exception(chan).ok_or(FuncError::Failed)?;
        if args.eq_ignore_ascii_case("REASON") {
            Ok(x.reason)
        } else if args.eq_ignore_ascii_case("CONTEXT") {
            Ok(x.context)
        } else if args.len() >= 5 && args[..5].eq_ignore_ascii_case("EXTEN") {
            Ok(x.exten)
        } else if args.eq_ignore_ascii_case("PRIORITY") {
            Ok(x.priority.to_string())
        } else {
            Err(FuncError::Failed)
        }
    }
}
