//! `ENV(name)` (funcs/func_env.c env_read/env_write) over the simulation's own environment: empty at the
//! start (the host's environment is never read, so runs do not depend on where they happen), changed
//! only by writing `ENV`.

use super::util::engine_of;
use super::Function;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Env;

impl Function for Env {
    fn name(&self) -> &'static str {
        "ENV"
    }

    /// An unset name reads as empty (the read always succeeds).
    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (e, _) = engine_of(ctx, "ENV")?;
        Ok(e.env_var(args).unwrap_or_default())
    }

    /// A name starting with `AST_` is left alone; an empty value unsets (setenv/unsetenv).
    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<(), FuncError> {
        // setenv refuses a name with '='.
        if args.is_empty() || args.starts_with("AST_") || args.contains('=') {
            return Ok(());
        }
        let (e, _) = engine_of(ctx, "ENV")?;
        e.set_env_var(args, (!value.is_empty()).then_some(value));
        Ok(())
    }
}
