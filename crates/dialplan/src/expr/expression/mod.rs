//! `$[...]` expressions: Asterisk's `ast_expr` (`main/ast_expr2.fl`, `main/ast_expr2.y`).
//!
//! Why hand-written and not pest: the language is defined by a flex scanner (longest match across rules,
//! three start conditions, `yymore`/`unput` tricks around `${`) and a bison LALR(1) parser whose *default
//! reductions* decide what a syntax error leaves behind and which tokens its message lists. A PEG describes
//! neither faithfully, so `lexer` models the scanner byte by byte and `parser` makes the moves of bison's
//! automaton with an explicit stack (which also gives bison's `memory exhausted` limit instead of a stack
//! overflow on deep nesting).
//!
//! - `lexer`: tokens; `parser`: precedence, reductions, errors;
//! - `value`: the operators' semantics (conversions in place, quotes, warnings);
//! - `num`: `long double` arithmetic and `%.18Lg`;
//! - `regex`: POSIX extended regular expressions for `:` and `=~`;
//! - `call`: function calls inside expressions.

mod call;
pub(crate) mod lexer;
mod math;
mod num;
pub(crate) mod parser;
pub(crate) mod regex;
pub use regex::PosixRegex;
mod value;

use super::functions::NoFunctions;
use super::{Effects, LogEntry, VarContext};

/// The value of an expression and the log lines evaluating it produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprResult {
    pub value: String,
    pub warnings: Vec<LogEntry>,
}

/// Evaluates an expression (the text between `$[` and `]`, already substituted) with no channel: function
/// calls inside it find no dialplan function.
pub fn evaluate(expr: &str) -> ExprResult {
    let mut fx = Effects::new();
    let value = evaluate_in(expr, &mut NoFunctions, &mut fx);
    ExprResult {
        value,
        warnings: fx.log,
    }
}

/// Evaluates an expression for a channel; dialplan functions called inside it go to `ctx`.
///
/// A parse that fails before producing a value returns `0`, as Asterisk does.
pub fn evaluate_in(expr: &str, ctx: &mut dyn VarContext, fx: &mut Effects) -> String {
    let mut out = String::new();
    evaluate_into(expr, ctx, fx, &mut out, usize::MAX);
    out
}

/// Evaluates an expression, appending at most `room` bytes of its value to `out`.
pub fn evaluate_into(
    expr: &str,
    ctx: &mut dyn VarContext,
    fx: &mut Effects,
    out: &mut String,
    room: usize,
) {
    match parser::parse(expr, ctx, fx) {
        Some(v) => v.write_text(out, room),
        None => out.push_str(super::cnum::prefix_bytes("0", room)),
    }
}

#[cfg(test)]
mod tests;
