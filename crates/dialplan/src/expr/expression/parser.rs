//! The `$[...]` parser: a shift-reduce parser that makes the same moves as the LALR(1) automaton bison
//! builds from `main/ast_expr2.y`.
//!
//! The grammar is ambiguous and bison resolves it with operator precedence; it also uses *default
//! reductions*, which decide what a syntax error leaves behind: a state whose only possible move is a
//! reduction reduces whatever the next token is, so an error is noticed only in a state that can merely shift.
//! The states matter, not their numbers, and this grammar has few kinds:
//!
//! - *operand expected* (after an operator, `(`, `?`, `::`, a function's `(`): shifts a token, `(`, `-`, `!`;
//!   an error here lists `'-' or '!' or '(' or '<token>'`. At the very start, the empty expression is reduced
//!   instead (so `$[)]` is empty); after a `,` in an argument list an empty argument is;
//! - *after a complete expression*: shifts an operator that binds tighter than the rule to its left, else
//!   reduces; with nothing to its left it becomes the result (`start: expr`), and anything but the end is then
//!   an error `expecting $end` that keeps the result;
//! - `( expr . )`, `expr ? expr .` and `NAME ( args . )` can only shift: errors there leave no result (the
//!   expression returns `0`).
//!
//! Semantic actions run at each reduction, in bison's order, so warnings come out in Asterisk's order.
//! The stack is explicit, so deep nesting cannot overflow Rust's stack; like bison, the parser gives up
//! with `memory exhausted` when its stack reaches 10,000 states.

use super::call::call_function;
use super::lexer::{Kind, Lexer, Tok};
use super::regex::Anchor;
use super::value::{self, Cmp, Val};
use crate::diag::LogLevel;
use crate::expr::{codes, Effects, VarContext};
use smallvec::SmallVec;
use std::borrow::Cow;

/// bison's `YYMAXDEPTH`: the parse fails when its state stack reaches this size.
const MAX_DEPTH: usize = 10_000;

/// The C file Asterisk's syntax errors come from.
const SRC_FL: &str = "ast_expr2.fl";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bin {
    Or,
    And,
    Cmp(Cmp),
    Plus,
    Minus,
    Mult,
    Div,
    Mod,
    Colon,
    EqTilde,
    TildeTilde,
}

impl Bin {
    fn from_kind(k: Kind) -> Option<Bin> {
        Some(match k {
            Kind::Or => Bin::Or,
            Kind::And => Bin::And,
            Kind::Eq => Bin::Cmp(Cmp::Eq),
            Kind::Ne => Bin::Cmp(Cmp::Ne),
            Kind::Lt => Bin::Cmp(Cmp::Lt),
            Kind::Gt => Bin::Cmp(Cmp::Gt),
            Kind::Le => Bin::Cmp(Cmp::Le),
            Kind::Ge => Bin::Cmp(Cmp::Ge),
            Kind::Plus => Bin::Plus,
            Kind::Minus => Bin::Minus,
            Kind::Mult => Bin::Mult,
            Kind::Div => Bin::Div,
            Kind::Mod => Bin::Mod,
            Kind::Colon => Bin::Colon,
            Kind::EqTilde => Bin::EqTilde,
            Kind::TildeTilde => Bin::TildeTilde,
            _ => return None,
        })
    }

    /// Precedence levels as declared in the grammar (higher binds tighter); all are left-associative.
    fn prec(self) -> u8 {
        match self {
            Bin::Or => PREC_OR,
            Bin::And => 4,
            Bin::Cmp(_) => 5,
            Bin::Plus | Bin::Minus => 6,
            Bin::Mult | Bin::Div | Bin::Mod => 7,
            Bin::Colon | Bin::EqTilde | Bin::TildeTilde => PREC_REGEX,
        }
    }
}

/// `?` and `::`.
const PREC_COND: u8 = 2;
const PREC_OR: u8 = 3;
/// Unary `-` and `!`.
const PREC_UNARY: u8 = 8;
const PREC_REGEX: u8 = 9;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unary {
    Neg,
    Not,
}

#[derive(Debug)]
enum Sym<'a> {
    Expr(Val<'a>),
    /// A token not yet known to be a value or a function name.
    Token(Val<'a>),
    /// `NAME (`: two grammar symbols.
    FuncOpen(Val<'a>),
    Args(Vec<Val<'a>>),
    Comma,
    Bin(Bin),
    Unary(Unary),
    LParen,
    Cond,
    ColonColon,
}

impl Sym<'_> {
    fn size(&self) -> usize {
        match self {
            Sym::FuncOpen(_) => 2,
            _ => 1,
        }
    }
}

/// The expected-token lists bison prints.
const EXPECT_OPERAND: &[Kind] = &[Kind::Minus, Kind::Compl, Kind::Lp, Kind::Token];
const EXPECT_ARGS: &[Kind] = &[Kind::Comma, Kind::Rp];
const EXPECT_END: &[Kind] = &[Kind::End];
/// States with more than four possible tokens: bison then names none.
const EXPECT_MANY: &[Kind] = &[];

struct Parser<'a, 'c> {
    input: &'a str,
    lexer: Lexer<'a>,
    la: Tok<'a>,
    stack: SmallVec<[Sym<'a>; 16]>,
    /// Grammar symbols on the stack (bison's state stack holds one more).
    depth: usize,
    ctx: &'c mut dyn VarContext,
    fx: &'c mut Effects,
}

/// What the parse produced: `None` when it failed before reaching a result (Asterisk then returns `0`).
pub(crate) fn parse<'a>(
    input: &'a str,
    ctx: &mut dyn VarContext,
    fx: &mut Effects,
) -> Option<Val<'a>> {
    let mut lexer = Lexer::new(input);
    let la = lexer.next_token();
    let mut p = Parser {
        input,
        lexer,
        la,
        stack: SmallVec::new(),
        depth: 0,
        ctx,
        fx,
    };
    p.run()
}

enum Step<'a> {
    Continue,
    Done(Option<Val<'a>>),
}

impl<'a> Parser<'a, '_> {
    fn advance(&mut self) {
        self.la = self.lexer.next_token();
    }

    /// Pushes a symbol; `false` when bison's stack would be exhausted.
    fn push(&mut self, sym: Sym<'a>) -> bool {
        self.depth += sym.size();
        self.stack.push(sym);
        self.depth + 1 < MAX_DEPTH
    }

    fn pop(&mut self) -> Option<Sym<'a>> {
        let sym = self.stack.pop()?;
        self.depth -= sym.size();
        Some(sym)
    }

    fn pop_expr(&mut self) -> Val<'a> {
        match self.pop() {
            Some(Sym::Expr(v)) => v,
            _ => Val::Str(Cow::Borrowed("")),
        }
    }

    /// Shifts the lookahead as `sym`.
    fn shift(&mut self, sym: Sym<'a>) -> Step<'a> {
        if self.push(sym) {
            self.advance();
            Step::Continue
        } else {
            self.exhausted()
        }
    }

    /// Shifts a `)` that completes a rule (the rule is reduced right after); `false` when bison's stack is
    /// exhausted by it.
    fn shift_rp(&mut self) -> bool {
        if self.depth + 2 < MAX_DEPTH {
            self.advance();
            true
        } else {
            false
        }
    }

    /// bison's stack is full: the caret points at the token just shifted.
    fn exhausted(&mut self) -> Step<'a> {
        let column = self.la.start;
        self.error("memory exhausted", column);
        Step::Done(None)
    }

    /// Replaces the top of the stack by an expression (a reduction never grows the stack).
    fn reduced(&mut self, v: Val<'a>) -> Step<'a> {
        self.push(Sym::Expr(v));
        Step::Continue
    }

    fn run(&mut self) -> Option<Val<'a>> {
        loop {
            if let Step::Done(v) = self.step() {
                return v;
            }
        }
    }

    fn step(&mut self) -> Step<'a> {
        match self.stack.last() {
            None
            | Some(Sym::Bin(_))
            | Some(Sym::Unary(_))
            | Some(Sym::LParen)
            | Some(Sym::Cond)
            | Some(Sym::ColonColon)
            | Some(Sym::FuncOpen(_))
            | Some(Sym::Comma) => self.operand(),
            Some(Sym::Token(_)) => {
                let Some(Sym::Token(v)) = self.pop() else {
                    return Step::Continue;
                };
                if self.la.kind == Kind::Lp {
                    self.shift(Sym::FuncOpen(v))
                } else {
                    self.reduced(v)
                }
            }
            Some(Sym::Expr(_)) => self.after_expr(),
            Some(Sym::Args(_)) => self.after_args(),
        }
    }

    /// A state expecting an operand.
    fn operand(&mut self) -> Step<'a> {
        match self.la.kind {
            Kind::Token => {
                let v = self.la.val.take().unwrap_or(Val::Str(Cow::Borrowed("")));
                if !self.push(Sym::Token(v)) {
                    return self.exhausted();
                }
                self.advance();
                // With the next token known, `expr: TOKEN` is reduced at once unless a `(` makes the token a
                // function name (bison reads the same lookahead before deciding).
                if self.la.kind != Kind::Lp {
                    if let Some(Sym::Token(v)) = self.stack.pop() {
                        self.stack.push(Sym::Expr(v));
                    }
                }
                Step::Continue
            }
            Kind::Lp => self.shift(Sym::LParen),
            Kind::Minus => self.shift(Sym::Unary(Unary::Neg)),
            Kind::Compl => self.shift(Sym::Unary(Unary::Not)),
            _ => match self.stack.last() {
                // `start: /* empty */`
                None => self.accept(Val::Str(Cow::Borrowed(""))),
                // `arglist: arglist ','` — an empty argument.
                Some(Sym::Comma) => {
                    self.pop();
                    if let Some(Sym::Args(args)) = self.stack.last_mut() {
                        args.push(Val::Str(Cow::Borrowed("")));
                    }
                    Step::Continue
                }
                _ => {
                    self.syntax_error(EXPECT_OPERAND);
                    Step::Done(None)
                }
            },
        }
    }

    /// The result is known; only the end may follow.
    fn accept(&mut self, v: Val<'a>) -> Step<'a> {
        if self.la.kind != Kind::End {
            self.syntax_error(EXPECT_END);
        }
        Step::Done(Some(v))
    }

    fn after_expr(&mut self) -> Step<'a> {
        let la = self.la.kind;
        let la_bin = Bin::from_kind(la);
        let below = self.stack.len().checked_sub(2).map(|i| &self.stack[i]);
        match below {
            None => {
                if la_bin.is_some() || la == Kind::Cond {
                    return self.shift_operator();
                }
                let v = self.pop_expr();
                self.accept(v)
            }
            Some(Sym::Bin(op)) => {
                if la_bin.is_some_and(|b| b.prec() > op.prec()) {
                    return self.shift_operator();
                }
                let op = *op;
                let b = self.pop_expr();
                self.pop();
                let a = self.pop_expr();
                let v = self.binary(op, a, b);
                self.reduced(v)
            }
            Some(Sym::Unary(u)) => {
                if la_bin.is_some_and(|b| b.prec() > PREC_UNARY) {
                    return self.shift_operator();
                }
                let u = *u;
                let a = self.pop_expr();
                self.pop();
                let v = match u {
                    Unary::Neg => value::op_negate(a, self.fx),
                    Unary::Not => value::op_compl(a),
                };
                self.reduced(v)
            }
            Some(Sym::LParen) => {
                if la == Kind::Rp {
                    if !self.shift_rp() {
                        return self.exhausted();
                    }
                    let v = self.pop_expr();
                    self.pop();
                    return self.reduced(v);
                }
                if la_bin.is_some() || la == Kind::Cond {
                    return self.shift_operator();
                }
                self.syntax_error(EXPECT_MANY);
                Step::Done(None)
            }
            Some(Sym::Cond) => {
                if la == Kind::ColonColon {
                    return self.shift(Sym::ColonColon);
                }
                if la_bin.is_some() || la == Kind::Cond {
                    return self.shift_operator();
                }
                self.syntax_error(EXPECT_MANY);
                Step::Done(None)
            }
            Some(Sym::ColonColon) => {
                if la_bin.is_some_and(|b| b.prec() > PREC_COND) {
                    return self.shift_operator();
                }
                let c = self.pop_expr();
                self.pop();
                let b = self.pop_expr();
                self.pop();
                let a = self.pop_expr();
                let v = value::op_cond(a, b, c, self.fx);
                self.reduced(v)
            }
            Some(Sym::FuncOpen(_)) | Some(Sym::Comma) => {
                if la_bin.is_some() || la == Kind::Cond {
                    return self.shift_operator();
                }
                let v = self.pop_expr();
                if matches!(self.stack.last(), Some(Sym::Comma)) {
                    self.pop();
                    if let Some(Sym::Args(args)) = self.stack.last_mut() {
                        args.push(v);
                    }
                } else {
                    self.push(Sym::Args(vec![v]));
                }
                Step::Continue
            }
            Some(Sym::Expr(_)) | Some(Sym::Token(_)) | Some(Sym::Args(_)) => {
                // Not a state the grammar can reach.
                self.syntax_error(EXPECT_MANY);
                Step::Done(None)
            }
        }
    }

    /// `NAME ( arglist .`
    fn after_args(&mut self) -> Step<'a> {
        match self.la.kind {
            Kind::Comma => self.shift(Sym::Comma),
            Kind::Rp => {
                if !self.shift_rp() {
                    return self.exhausted();
                }
                let args = match self.pop() {
                    Some(Sym::Args(a)) => a,
                    _ => Vec::new(),
                };
                let name = match self.pop() {
                    Some(Sym::FuncOpen(n)) => n,
                    _ => Val::Str(Cow::Borrowed("")),
                };
                let v = call_function(name, args, self.ctx, self.fx);
                self.reduced(v)
            }
            _ => {
                self.syntax_error(EXPECT_ARGS);
                Step::Done(None)
            }
        }
    }

    /// Shifts the lookahead operator (binary, `?`).
    fn shift_operator(&mut self) -> Step<'a> {
        let sym = match Bin::from_kind(self.la.kind) {
            Some(b) => Sym::Bin(b),
            None => Sym::Cond,
        };
        self.shift(sym)
    }

    fn binary(&mut self, op: Bin, a: Val<'a>, b: Val<'a>) -> Val<'a> {
        let fx = &mut *self.fx;
        match op {
            Bin::Or => value::op_or(a, b, fx),
            Bin::And => value::op_and(a, b, fx),
            Bin::Cmp(c) => value::op_cmp(c, a, b, fx),
            Bin::Plus => value::op_plus(a, b, fx),
            Bin::Minus => value::op_minus(a, b, fx),
            Bin::Mult => value::op_times(a, b, fx),
            Bin::Div => value::op_div(a, b, fx),
            Bin::Mod => value::op_rem(a, b, fx),
            Bin::Colon => value::op_regex(Anchor::Start, a, b, fx),
            Bin::EqTilde => value::op_regex(Anchor::Anywhere, a, b, fx),
            Bin::TildeTilde => value::op_concat(a, b),
        }
    }

    /// bison's verbose message: `syntax error, unexpected X[, expecting A[ or B…]]`.
    fn syntax_error(&mut self, expected: &[Kind]) {
        let mut msg = format!("syntax error, unexpected {}", self.la.kind.error_name());
        for (i, k) in expected.iter().enumerate() {
            msg.push_str(if i == 0 { ", expecting " } else { " or " });
            msg.push_str(k.error_name());
        }
        let column = self.la.start;
        self.error(&msg, column);
    }

    /// `ast_yyerror`: the message, the input, and a caret under the token where the error was noticed.
    fn error(&mut self, msg: &str, column: usize) {
        let text = format!(
            "ast_yyerror():  syntax error: {msg}; Input:\n{}\n{}^",
            self.input,
            " ".repeat(column)
        );
        self.fx
            .asterisk(codes::SYNTAX_ERROR, LogLevel::Warning, SRC_FL, text);
        self.fx.asterisk(
            codes::SYNTAX_ERROR,
            LogLevel::Warning,
            SRC_FL,
            "If you have questions, please refer to https://docs.asterisk.org/Configuration/Dialplan/Variables/Channel-Variables/",
        );
    }
}
