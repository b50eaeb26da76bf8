//! `PASSTHRU(text)` (funcs/func_strings.c): the text as it is.

use super::Function;
use crate::expr::{Effects, FuncError, VarContext};

pub struct PassThru;

impl Function for PassThru {
    fn name(&self) -> &'static str {
        "PASSTHRU"
    }

    fn read(
        &self,
        args: &str,
        _: &mut dyn VarContext,
        _: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(args.to_string())
    }
}
