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
mod case;
mod channel;
mod codec;
mod connectedline;
mod cut;
mod db;
mod devstate;
mod dialplan_exists;
mod digest;
mod env;
mod eval;
mod exception;
mod exists;
mod fieldnum;
mod fieldqty;
mod filter;
mod global;
mod group;
mod hash;
mod if_;
mod iftime;
mod isnull;
mod keypadhash;
mod len;
mod listfilter;
mod local;
mod math;
mod minmax;
mod passthru;
mod push;
mod quote;
mod rand;
mod regex;
mod replace;
mod set;
mod shared;
mod shift;
mod sprintf;
mod strbetween;
mod strftime;
mod strptime;
mod strreplace;
mod timeout;
mod trim;
pub(crate) mod util;
mod uuid;
mod varfuncs;
mod version;

pub use callerid::{parse_caller_id, CallerId, CallerIdFn};
pub use case::{ToLower, ToUpper};
pub use channel::{ChannelFn, ChannelItem};
pub use codec::{Codec, CodecFn};
pub use connectedline::ConnectedLine;
pub use cut::{Cut, Sort};
pub use db::{Db, DbDelete, DbExists, DbKeyCount, DbKeys};
pub use devstate::{DeviceStateFn, ExtensionStateFn, HintFn};
pub use dialplan_exists::{DialplanExists, ValidExten};
pub use digest::Md5Fn;
pub use env::Env;
pub use eval::Eval;
pub use exception::ExceptionFn;
pub use exists::Exists;
pub use fieldnum::FieldNum;
pub use fieldqty::FieldQty;
pub use filter::Filter;
pub use global::Global;
pub use group::{Group, GroupCount, GroupList, GroupMatchCount};
pub use hash::{Array, Hash, HashKeys};
pub use if_::If;
pub use iftime::IfTime;
pub use isnull::IsNull;
pub use keypadhash::KeypadHash;
pub use len::Len;
pub use listfilter::ListFilter;
pub use local::{Local, LocalPeek, StackPeek};
pub use math::Math;
pub use minmax::{Abs, Dec, DigitSum, Inc, Max, Min};
pub use passthru::PassThru;
pub use push::{Push, Unshift};
pub use quote::{CsvQuote, Quote};
pub use rand::Rand;
pub use regex::RegexFn;
pub use replace::Replace;
pub use set::Set;
pub use shared::Shared;
pub use shift::{Pop, Shift};
pub use sprintf::Sprintf;
pub use strbetween::StrBetween;
pub use strftime::StrFtime;
pub use strptime::StrPtime;
pub use strreplace::StrReplace;
pub use timeout::Timeout;
pub use trim::{LTrim, RTrim, Trim};
pub use uuid::Uuid;
pub use varfuncs::{Delete, GlobalDelete, GlobalExists, Import, VariableExists};
pub use version::{Version, ASTERISK_VERSION};

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

    /// The check Asterisk makes on the argument text alone before anything else (too few arguments, an
    /// empty one it needs), shared by `read` and `dialsim check`. The default: none.
    fn arg_rule(&self) -> Option<&'static ArgRule> {
        None
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

/// A check of a function's argument text that Asterisk makes before doing anything: when `refused`
/// holds, it logs `log` and the function returns nothing.
#[derive(Debug)]
pub struct ArgRule {
    /// Whether the (substituted) argument text is refused.
    pub refused: fn(&str) -> bool,
    pub level: crate::diag::LogLevel,
    /// Asterisk's C file.
    pub source: &'static str,
    /// Asterisk's line, verbatim.
    pub log: &'static str,
    /// The correct form, for explanations.
    pub usage: &'static str,
    /// The fewest arguments (as the function splits them at `,`) it needs, when the rule is a count.
    pub needed: Option<usize>,
}

impl ArgRule {
    /// In `read`/`write`: Asterisk's line and failure when the arguments are refused.
    pub(crate) fn apply(&self, args: &str, fx: &mut Effects) -> Result<(), FuncError> {
        if (self.refused)(args) {
            util::log(fx, self.level, self.source, self.log);
            return Err(FuncError::Failed);
        }
        Ok(())
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
        r.register(Box::new(ConnectedLine));
        r.register(Box::new(ChannelFn));
        r.register(Box::new(Cut));
        r.register(Box::new(Sort));
        r.register(Box::new(FieldQty));
        r.register(Box::new(FieldNum));
        r.register(Box::new(ListFilter));
        r.register(Box::new(Filter));
        r.register(Box::new(Replace));
        r.register(Box::new(StrReplace));
        r.register(Box::new(StrBetween));
        r.register(Box::new(Trim));
        r.register(Box::new(LTrim));
        r.register(Box::new(RTrim));
        r.register(Box::new(RegexFn));
        r.register(Box::new(Hash));
        r.register(Box::new(HashKeys));
        r.register(Box::new(Array));
        r.register(Box::new(Quote));
        r.register(Box::new(CsvQuote));
        r.register(Box::new(KeypadHash));
        r.register(Box::new(ToUpper));
        r.register(Box::new(ToLower));
        r.register(Box::new(Shift));
        r.register(Box::new(Pop));
        r.register(Box::new(Push));
        r.register(Box::new(Unshift));
        r.register(Box::new(PassThru));
        r.register(Box::new(Math));
        r.register(Box::new(Inc));
        r.register(Box::new(Dec));
        r.register(Box::new(Min));
        r.register(Box::new(Max));
        r.register(Box::new(Abs));
        r.register(Box::new(DigitSum));
        r.register(Box::new(Db));
        r.register(Box::new(DbExists));
        r.register(Box::new(DbDelete));
        r.register(Box::new(DbKeys));
        r.register(Box::new(DbKeyCount));
        r.register(Box::new(DialplanExists));
        r.register(Box::new(ValidExten));
        r.register(Box::new(ExceptionFn));
        r.register(Box::new(IfTime));
        r.register(Box::new(Local));
        r.register(Box::new(LocalPeek));
        r.register(Box::new(StackPeek));
        r.register(Box::new(Rand));
        r.register(Box::new(Sprintf));
        r.register(Box::new(StrFtime));
        r.register(Box::new(StrPtime));
        r.register(Box::new(Timeout));
        r.register(Box::new(Uuid));
        r.register(Box::new(Delete));
        r.register(Box::new(VariableExists));
        r.register(Box::new(GlobalDelete));
        r.register(Box::new(GlobalExists));
        r.register(Box::new(Import));
        r.register(Box::new(CodecFn(Codec::Base64Encode)));
        r.register(Box::new(CodecFn(Codec::Base64Decode)));
        r.register(Box::new(CodecFn(Codec::UriEncode)));
        r.register(Box::new(CodecFn(Codec::UriDecode)));
        r.register(Box::new(Md5Fn));
        r.register(Box::new(DeviceStateFn));
        r.register(Box::new(ExtensionStateFn));
        r.register(Box::new(HintFn));
        r.register(Box::new(Group));
        r.register(Box::new(GroupCount));
        r.register(Box::new(GroupMatchCount));
        r.register(Box::new(GroupList));
        r.register(Box::new(Env));
        r.register(Box::new(Version));
        r.register(Box::new(Shared));
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
