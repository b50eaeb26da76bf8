//! `TOUPPER(string)` and `TOLOWER(string)` (funcs/func_strings.c): C `toupper`/`tolower`, so only ASCII
//! letters change.

use super::Function;
use crate::expr::{Effects, FuncError, VarContext};

pub struct ToUpper;
pub struct ToLower;

impl Function for ToUpper {
    fn name(&self) -> &'static str {
        "TOUPPER"
    }

    fn read(
        &self,
        args: &str,
        _: &mut dyn VarContext,
        _: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(args.to_ascii_uppercase())
    }
}

impl Function for ToLower {
    fn name(&self) -> &'static str {
        "TOLOWER"
    }

    fn read(
        &self,
        args: &str,
        _: &mut dyn VarContext,
        _: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(args.to_ascii_lowercase())
    }
}
