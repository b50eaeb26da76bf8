//! `ISNULL(data)` (funcs/func_logic.c): `1` when the argument is empty, else `0`.

use super::util::flag;
use super::Function;
use crate::expr::{Effects, FuncError, VarContext};

pub struct IsNull;

impl Function for IsNull {
    fn name(&self) -> &'static str {
        "ISNULL"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(flag(args.is_empty()))
    }
}
