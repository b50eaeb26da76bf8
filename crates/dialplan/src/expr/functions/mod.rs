//! Dialplan functions (`${LEN(x)}`, `Set(GLOBAL(x)=1)`): the [`Function`] trait, the [`FunctionRegistry`]
//! that maps case-sensitive names to functions, and the built-in functions, one file each.
//!
//! A function receives the raw text between its parentheses; [`split_args`] and
//! [`crate::expr::separate_args`] split it the way Asterisk's functions do. The channel state a function
//! needs (variables, caller id, channel fields) comes through the [`VarContext`].
//!
//! An engine's [`VarContext::call_function`] typically looks like
//! `let registry = self.registry; registry.read(name, args, self, fx)` — the registry is borrowed separately
//! from the channel state, so the context can pass itself to the function.

mod callerid;
mod channel;
mod eval;
mod exists;
mod global;
mod if_;
mod isnull;
mod len;
mod set;

pub use callerid::{parse_caller_id, CallerId, CallerIdFn};
pub use channel::{ChannelFn, ChannelItem};
pub use eval::Eval;
pub use exists::Exists;
pub use global::Global;
pub use if_::If;
pub use isnull::IsNull;
pub use len::Len;
pub use set::Set;

use super::args::{separate_args, ArgMode};
use super::{Effects, FuncError, VarContext};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A dialplan function. `read` and `write` get the raw argument text (what is between the parentheses).
pub trait Function: Send + Sync {
    /// The function's name, as the dialplan must spell it (case-sensitive).
    fn name(&self) -> &'static str;

    /// `${NAME(args)}`. The default: the function cannot be read.
    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let _ = (args, ctx, fx);
        Err(FuncError::CannotRead)
    }

    /// `Set(NAME(args)=value)`. The default: the function cannot be written to.
    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        let _ = (args, value, ctx, fx);
        Err(FuncError::CannotWrite)
    }
}

/// Functions by name. Deterministic: a sorted map.
#[derive(Default)]
pub struct FunctionRegistry {
    functions: BTreeMap<&'static str, Box<dyn Function>>,
}

impl std::fmt::Debug for FunctionRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.functions.keys()).finish()
    }
}

impl FunctionRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// The functions this module implements.
    pub fn with_builtins() -> Self {
        let mut r = Self::new();
        r.register(Box::new(Len));
        r.register(Box::new(IsNull));
        r.register(Box::new(Exists));
        r.register(Box::new(If));
        r.register(Box::new(Set));
        r.register(Box::new(Global));
        r.register(Box::new(Eval));
        r.register(Box::new(CallerIdFn));
        r.register(Box::new(ChannelFn));
        r
    }

    /// Adds (or replaces) a function.
    pub fn register(&mut self, f: Box<dyn Function>) {
        self.functions.insert(f.name(), f);
    }

    pub fn get(&self, name: &str) -> Option<&dyn Function> {
        self.functions.get(name).map(|f| f.as_ref())
    }

    /// The registered names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.functions.keys().copied()
    }

    /// Reads function `name` for `ctx`.
    pub fn read(
        &self,
        name: &str,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        match self.get(name) {
            Some(f) => f.read(args, ctx, fx),
            None => Err(FuncError::NotRegistered),
        }
    }

    /// Writes function `name` for `ctx`.
    pub fn write(
        &self,
        name: &str,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        match self.get(name) {
            Some(f) => f.write(args, value, ctx, fx),
            None => Err(FuncError::NotRegistered),
        }
    }
}

/// Splits a function's arguments the standard way (`AST_STANDARD_APP_ARGS`): on `,` outside `()`, `[]` and
/// quotes, quotes removed, `\x` → `x`, into at most `max` fields (the last keeps the rest as written).
pub fn split_args(args: &str, max: usize) -> Vec<String> {
    separate_args(args, ',', ArgMode::Standard, max)
}

/// A context with no channel and no functions: what [`crate::expr::evaluate`] runs with.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoFunctions;

impl VarContext for NoFunctions {
    fn get_var(&self, _name: &str) -> Option<Cow<'_, str>> {
        None
    }

    fn call_function(
        &mut self,
        _name: &str,
        _args: &str,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        Err(FuncError::NotRegistered)
    }

    fn write_function(
        &mut self,
        _name: &str,
        _args: &str,
        _value: &str,
        _fx: &mut Effects,
    ) -> Result<(), FuncError> {
        Err(FuncError::NotRegistered)
    }

    fn set_var(&mut self, _name: &str, _value: Option<&str>) {}

    fn get_global(&self, _name: &str) -> Option<Cow<'_, str>> {
        None
    }

    fn set_global(&mut self, _name: &str, _value: Option<&str>) {}

    fn caller_id(&self) -> Option<CallerId> {
        None
    }

    fn set_caller_id(&mut self, _id: CallerId) {}

    fn channel_item(&self, _item: ChannelItem) -> Option<String> {
        None
    }

    fn set_channel_item(&mut self, _item: ChannelItem, _value: &str) -> bool {
        false
    }
}

/// Sets a variable or, when the name ends with `)`, writes a function — Asterisk's
/// `pbx_builtin_setvar_helper`, which `Set()` and `SET()` use.
pub fn set_variable(ctx: &mut dyn VarContext, name: &str, value: Option<&str>, fx: &mut Effects) {
    if name.ends_with(')') {
        let (fname, fargs) = super::subst::split_function(name, fx);
        let result = ctx.write_function(fname, fargs, value.unwrap_or(""), fx);
        super::subst::report_function_error(result.err(), fname, Direction::Write, fx);
    } else {
        ctx.set_var(name, value);
    }
}

/// Whether a function call reads or writes (for its error message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Read,
    Write,
}

#[cfg(test)]
mod tests;
