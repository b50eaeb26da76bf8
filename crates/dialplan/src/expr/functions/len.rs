//! `LEN(string)` (funcs/func_strings.c): the length of the text in bytes.

use super::Function;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Len;

impl Function for Len {
    fn name(&self) -> &'static str {
        "LEN"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(args.len().to_string())
    }
}
