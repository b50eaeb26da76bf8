//! `UUID()` (funcs/func_uuid.c): a version 4 UUID, from the engine's seeded generator so runs repeat.

use super::util::engine_of;
use super::Function;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Uuid;

impl Function for Uuid {
    fn name(&self) -> &'static str {
        "UUID"
    }

    fn read(
        &self,
        _args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(engine_of(ctx, "UUID")?.0.random_uuid())
    }
}
