//! `EXISTS(data)` (funcs/func_logic.c): `1` when the argument is not empty, else `0`.

use super::util::flag;
use super::Function;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Exists;

impl Function for Exists {
    fn name(&self) -> &'static str {
        "EXISTS"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(flag(!args.is_empty()))
    }
}
