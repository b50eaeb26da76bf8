//! `GLOBAL(name)` (funcs/func_global.c): reads and writes global variables.

use super::Function;
use crate::diag::LogLevel;
use crate::expr::{codes, Effects, FuncError, VarContext};

pub struct Global;

impl Function for Global {
    fn name(&self) -> &'static str {
        "GLOBAL"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(ctx
            .get_global(args)
            .map(|v| v.into_owned())
            .unwrap_or_default())
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        ctx.set_global(args, Some(value));
        fx.asterisk(
            codes::SETTING_GLOBAL,
            LogLevel::Verbose(2),
            "pbx_variables.c",
            format!("Setting global variable '{args}' to '{value}'"),
        );
        Ok(())
    }
}
