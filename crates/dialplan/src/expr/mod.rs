//! Variable substitution, dialplan functions and `$[...]` expressions, as Asterisk 22 does them.
//!
//! Every application argument in a dialplan passes through [`substitute`] before the application sees it, so
//! this module reproduces Asterisk's behaviour to the character, including its quirks:
//!
//! - [`subst`]: `${NAME}`, `${NAME:offset:length}`, `${FUNC(args)}`, `$[...]`, nesting, the missing-brace
//!   warning (`main/pbx_variables.c`);
//! - [`expression`]: the `$[...]` language: lexer, LR parser, operators, `long double` arithmetic, POSIX regex
//!   (`main/ast_expr2.fl`, `main/ast_expr2.y`);
//! - [`functions`]: the [`Function`] trait, the [`FunctionRegistry`]
//!   and the built-in functions, one file each;
//! - [`args`]: the standard application argument splitting (`main/app.c`);
//! - [`cond`]: the dialplan truth rule (`pbx_checkcondition`).
//!
//! Nothing here prints: Asterisk's log lines come back as [`LogEntry`] values, in the order Asterisk would log
//! them, for the engine to render as console lines.
//!
//! [`VarContext`] is the seam to the engine: it answers variable look-ups and dialplan function calls for one
//! channel. Functions are plugged in through a [`FunctionRegistry`] that the
//! engine's context delegates to.

pub mod args;
pub(crate) mod cnum;
pub mod cond;
pub mod expression;
pub mod functions;
pub mod subst;

#[cfg(test)]
pub(crate) mod testing;

pub use args::{separate_args, ArgMode};
pub use cond::check_condition;
pub use expression::{evaluate, evaluate_in, ExprResult, PosixRegex};
pub use functions::{Function, FunctionRegistry};
pub use subst::{substitute, substitute_into, Substituted};

use crate::diag::{Code, CodeInfo, LogLevel, LogLine};
use std::borrow::Cow;

/// Who says a [`LogEntry`]: Asterisk itself, or dialsim about something it does not simulate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A line real Asterisk 22 logs, reproduced verbatim.
    Asterisk,
    /// dialsim's own note (a part of Asterisk that dialsim does not model); real Asterisk logs nothing here.
    Dialsim,
}

/// One line logged while substituting or evaluating.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// dialsim's stable code for this kind of line.
    pub code: Code,
    /// The line: for [`Origin::Asterisk`], exactly as Asterisk logs it (level, C file, text without the final
    /// newline).
    pub line: LogLine,
    pub origin: Origin,
}

/// What an evaluation produces besides its text: the log lines, in order, and the substitution nesting depth
/// that Asterisk keeps per thread (so that `EVAL` inside `EVAL` counts towards the same limit).
#[derive(Clone, Debug, Default)]
pub struct Effects {
    pub log: Vec<LogEntry>,
    depth: u8,
}

impl Effects {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a line Asterisk logs.
    pub fn asterisk(
        &mut self,
        code: Code,
        level: LogLevel,
        source: &'static str,
        text: impl Into<String>,
    ) {
        self.log.push(LogEntry {
            code,
            line: LogLine::new(level, source, text),
            origin: Origin::Asterisk,
        });
    }

    /// Records dialsim's own note.
    pub fn dialsim(&mut self, code: Code, text: impl Into<String>) {
        self.log.push(LogEntry {
            code,
            line: LogLine::new(LogLevel::Warning, "dialsim", text),
            origin: Origin::Dialsim,
        });
    }

    /// The lines logged so far, as Asterisk's console shows them.
    pub fn console(&self) -> Vec<String> {
        self.log.iter().map(|e| e.line.console()).collect()
    }
}

/// Why a dialplan function call produced no value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FuncError {
    /// No function of that name (names are case-sensitive): ERROR `Function %s not registered`.
    NotRegistered,
    /// The function has no read callback: ERROR `Function %s cannot be read`.
    CannotRead,
    /// The function has no write callback: ERROR `Function %s cannot be written to`.
    CannotWrite,
    /// The function returned an error (−1); it has logged its own lines, if any.
    Failed,
    /// Real Asterisk would answer, but dialsim does not simulate this part; the text says what.
    NotSimulated(String),
}

/// The engine's side of substitution, for one channel.
///
/// `get_var` answers `${NAME}` (built-ins such as `EXTEN`, `CONTEXT`, `PRIORITY`, `CHANNEL`, `UNIQUEID`, `EPOCH`,
/// then channel variables, then globals — the engine decides). The name is given exactly as written:
/// `${_X}` asks for `_X`, which Asterisk never finds because it stores `Set(_X=1)` as `X`.
///
/// `call_function`/`write_function` run dialplan functions; an engine usually delegates them to a
/// [`FunctionRegistry`], passing itself as the context. The remaining methods
/// are the channel state that the built-in functions read and write.
pub trait VarContext {
    /// The value of a variable, or `None` when it is unset.
    fn get_var(&self, name: &str) -> Option<Cow<'_, str>>;

    /// Reads a dialplan function: `name` as written before the `(`, `args` the raw text inside the parentheses.
    fn call_function(
        &mut self,
        name: &str,
        args: &str,
        fx: &mut Effects,
    ) -> Result<String, FuncError>;

    /// Writes a dialplan function (`Set(NAME(args)=value)`).
    fn write_function(
        &mut self,
        name: &str,
        args: &str,
        value: &str,
        fx: &mut Effects,
    ) -> Result<(), FuncError>;

    /// Sets (or with `None` deletes) a channel variable, as `pbx_builtin_setvar_helper` does on a channel:
    /// the name may carry the `_`/`__` inheritance prefix.
    fn set_var(&mut self, name: &str, value: Option<&str>);

    /// A global variable.
    fn get_global(&self, name: &str) -> Option<Cow<'_, str>>;

    /// Sets (or deletes) a global variable; the caller logs any `Setting global variable` line.
    fn set_global(&mut self, name: &str, value: Option<&str>);

    /// The channel's caller id, or `None` when there is no channel.
    fn caller_id(&self) -> Option<functions::CallerId>;

    /// Replaces the channel's caller id.
    fn set_caller_id(&mut self, id: functions::CallerId);

    /// A `CHANNEL(item)` value, or `None` when the simulation does not have it.
    fn channel_item(&self, item: functions::ChannelItem) -> Option<String>;

    /// Writes a `CHANNEL(item)`; `false` when the simulation does not support writing it.
    fn set_channel_item(&mut self, item: functions::ChannelItem, value: &str) -> bool;

    /// The engine and channel behind this context, for the functions that need more than variables (the
    /// AstDB, the dialplan, the Gosub stack, the virtual clock). `None` outside an engine.
    fn engine(&self) -> Option<(&crate::engine::Engine, crate::engine::ChannelId)> {
        None
    }

    /// The channel's variable names (inheritance prefix stripped), newest first, as Asterisk's list holds
    /// them; what `HASHKEYS` walks.
    fn var_names(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Every diagnostic code this module emits.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: codes::MISSING_BRACE,
        summary: "a `${` or `$[` is not closed; Asterisk substitutes up to the end of the text",
    },
    CodeInfo {
        code: codes::RECURSION_DEPTH,
        summary: "variable substitution nested deeper than Asterisk's limit of 15",
    },
    CodeInfo {
        code: codes::SYNTAX_ERROR,
        summary: "a `$[...]` expression does not parse; Asterisk keeps what it parsed so far",
    },
    CodeInfo {
        code: codes::NON_NUMERIC,
        summary: "an arithmetic operand in `$[...]` is not a number and counts as 0",
    },
    CodeInfo {
        code: codes::OVERFLOW,
        summary: "arithmetic in `$[...]` overflowed",
    },
    CodeInfo {
        code: codes::DIVISION_BY_ZERO,
        summary: "division or remainder by zero in `$[...]`",
    },
    CodeInfo {
        code: codes::NUMBER_RANGE,
        summary: "a number in `$[...]` is too large or too small for a long double",
    },
    CodeInfo {
        code: codes::REGEX_ERROR,
        summary: "the pattern of `:` or `=~` is not a valid POSIX extended regular expression",
    },
    CodeInfo {
        code: codes::EXPR_FUNCTION,
        summary: "a function call inside `$[...]` failed",
    },
    CodeInfo {
        code: codes::EXPR_FUNCTION_ARGS,
        summary: "Asterisk's notice about the argument buffer of a function called inside `$[...]`",
    },
    CodeInfo {
        code: codes::FUNC_NOT_REGISTERED,
        summary: "no dialplan function of that name (names are case-sensitive)",
    },
    CodeInfo {
        code: codes::FUNC_CANNOT_READ,
        summary: "the dialplan function cannot be read",
    },
    CodeInfo {
        code: codes::FUNC_CANNOT_WRITE,
        summary: "the dialplan function cannot be written to",
    },
    CodeInfo {
        code: codes::FUNC_MISSING_PAREN,
        summary: "a function call lacks its closing parenthesis",
    },
    CodeInfo {
        code: codes::FUNC_USAGE,
        summary: "a dialplan function was called with arguments it rejects",
    },
    CodeInfo {
        code: codes::SETTING_GLOBAL,
        summary: "Asterisk's verbose line when a dialplan function sets a global variable",
    },
    CodeInfo {
        code: codes::FUNC_NOT_SIMULATED,
        summary:
            "real Asterisk would answer this function call, but dialsim does not simulate that part",
    },
];

/// The codes, by name.
pub mod codes {
    use crate::diag::Code;

    pub const MISSING_BRACE: Code = Code("subst/missing-brace");
    pub const RECURSION_DEPTH: Code = Code("subst/recursion-depth");
    pub const SYNTAX_ERROR: Code = Code("expr/syntax-error");
    pub const NON_NUMERIC: Code = Code("expr/non-numeric");
    pub const OVERFLOW: Code = Code("expr/overflow");
    pub const DIVISION_BY_ZERO: Code = Code("expr/division-by-zero");
    pub const NUMBER_RANGE: Code = Code("expr/number-range");
    pub const REGEX_ERROR: Code = Code("expr/regex-error");
    pub const EXPR_FUNCTION: Code = Code("expr/function-error");
    pub const EXPR_FUNCTION_ARGS: Code = Code("expr/function-args");
    pub const FUNC_NOT_REGISTERED: Code = Code("func/not-registered");
    pub const FUNC_CANNOT_READ: Code = Code("func/cannot-read");
    pub const FUNC_CANNOT_WRITE: Code = Code("func/cannot-write");
    pub const FUNC_MISSING_PAREN: Code = Code("func/missing-paren");
    pub const FUNC_USAGE: Code = Code("func/usage");
    pub const FUNC_NOT_SIMULATED: Code = Code("func/not-simulated");
    pub const SETTING_GLOBAL: Code = Code("func/setting-global");
}

#[cfg(test)]
mod tests;
