//! `DELETE(var)`, `VARIABLE_EXISTS(var)` (funcs/func_logic.c), `GLOBAL_DELETE(var)`, `GLOBAL_EXISTS(var)`
//! (funcs/func_global.c) and `IMPORT(channel,var)` (funcs/func_logic.c).

use super::util::{engine_of, flag};
use super::{set_variable, split_args, Function};
use crate::expr::{Effects, FuncError, VarContext};

pub struct Delete;
pub struct VariableExists;
pub struct GlobalDelete;
pub struct GlobalExists;
pub struct Import;

impl Function for Delete {
    fn name(&self) -> &'static str {
        "DELETE"
    }

    fn write(
        &self,
        args: &str,
        _: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        set_variable(ctx, args, None, fx);
        Ok(())
    }
}

impl Function for VariableExists {
    fn name(&self) -> &'static str {
        "VARIABLE_EXISTS"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(flag(ctx.get_var(args).is_some()))
    }
}

impl Function for GlobalDelete {
    fn name(&self) -> &'static str {
        "GLOBAL_DELETE"
    }

    fn write(
        &self,
        args: &str,
        _: &str,
        ctx: &mut dyn VarContext,
        _: &mut Effects,
    ) -> Result<(), FuncError> {
        ctx.set_global(args, None);
        Ok(())
    }
}

impl Function for GlobalExists {
    fn name(&self) -> &'static str {
        "GLOBAL_EXISTS"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(flag(ctx.get_global(args).is_some()))
    }
}

impl Function for Import {
    fn name(&self) -> &'static str {
        "IMPORT"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 2);
        let (Some(chan_name), Some(var)) = (a.first(), a.get(1)) else {
            return Ok(String::new());
        };
        if var.is_empty() {
            return Ok(String::new());
        }
        let (e, _) = engine_of(ctx, "IMPORT")?;
        let Some(other) = e.channel_ids().into_iter().find(|&c| {
            e.chan_name(c)
                .is_some_and(|n| n.eq_ignore_ascii_case(chan_name))
        }) else {
            return Ok(String::new());
        };
        Ok(e.substitute(other, &format!("${{{var}}}")).into_owned())
    }
}
