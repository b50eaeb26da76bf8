//! `${...}` and `$[...]` substitution: Asterisk's `pbx_substitute_variables_helper_full_location`
//! (main/pbx_variables.c), which every application argument goes through.
//!
//! The scan, as Asterisk does it:
//! - text is copied up to a `$` followed by `{` or `[`; any other `$` is copied (so `$${X}` gives `$` and the
//!   value of `X`), and a backslash escapes nothing;
//! - `${` runs to its matching `}` counting every `{` and `}` inside; a missing `}` logs
//!   `Error in extension logic (missing '}')` and the rest of the text is the name. Nested `${`/`$[` in the
//!   name are substituted first;
//! - the name is cut at the first `:` outside parentheses; what follows is read with `sscanf("%d:%d")` as
//!   offset and length (so an empty or non-numeric offset means the whole value, `1.5` means 1, and extra
//!   `:` parts are ignored); a `(` in the name makes it a function call;
//! - `$[` runs to its matching `]`, is substituted, then evaluated as an expression;
//! - nesting deeper than 15 substitutions logs an error and yields nothing.
//!
//! Buffers are modelled where Asterisk's fixed sizes show: an application's argument holds 8191 bytes, a
//! variable's value or a function's result 4095.

use super::cnum::{prefix_bytes, scan_offset_length};
use super::expression::evaluate_into;
use super::functions::Direction;
use super::{codes, Effects, FuncError, LogEntry, VarContext};
use crate::diag::LogLevel;
use memchr::memchr;

/// The size of an application's argument after substitution (`EXT_DATA_SIZE - 1`).
pub const APP_DATA_LIMIT: usize = 8191;

/// A variable's value or a function's result (`VAR_BUF_SIZE - 1`).
const VAR_LIMIT: usize = 4095;

/// Asterisk's `MAX_VARIABLE_SUB_RECURSE_DEPTH`.
const MAX_DEPTH: u8 = 15;

const SRC: &str = "pbx_variables.c";

/// The substituted text and the lines Asterisk logged while producing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Substituted {
    pub text: String,
    pub warnings: Vec<LogEntry>,
}

/// Whether `text` has anything to substitute (a `${` or a `$[`); when not, Asterisk copies it unchanged.
pub fn needs_substitution(text: &str) -> bool {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(off) = memchr(b'$', &b[from..]) {
        let p = from + off;
        if matches!(b.get(p + 1), Some(b'{') | Some(b'[')) {
            return true;
        }
        from = p + 1;
    }
    false
}

/// Substitutes an application argument for a channel.
pub fn substitute(input: &str, ctx: &mut dyn VarContext) -> Substituted {
    if !needs_substitution(input) {
        return Substituted {
            text: prefix_bytes(input, APP_DATA_LIMIT).to_owned(),
            warnings: Vec::new(),
        };
    }
    let mut fx = Effects::new();
    let mut text = String::with_capacity(input.len());
    substitute_into(input, ctx, &mut fx, &mut text, APP_DATA_LIMIT);
    Substituted {
        text,
        warnings: fx.log,
    }
}

/// Substitutes `input`, appending at most `limit` bytes to `out`; log lines go to `fx`. This is the entry
/// point for functions that substitute (`EVAL`): the nesting depth carries over through `fx`.
pub fn substitute_into(
    input: &str,
    ctx: &mut dyn VarContext,
    fx: &mut Effects,
    out: &mut String,
    limit: usize,
) {
    if fx.depth >= MAX_DEPTH {
        fx.asterisk(
            codes::RECURSION_DEPTH,
            LogLevel::Error,
            SRC,
            format!(
                "Exceeded maximum variable substitution recursion depth ({MAX_DEPTH}) - possible infinite recursion in dialplan?"
            ),
        );
        return;
    }
    fx.depth += 1;
    Scan {
        input,
        ctx,
        fx: &mut *fx,
        out,
        count: limit,
    }
    .run();
    fx.depth -= 1;
}

struct Scan<'a, 'c> {
    input: &'a str,
    ctx: &'c mut dyn VarContext,
    fx: &'c mut Effects,
    out: &'c mut String,
    /// Bytes still allowed in the output.
    count: usize,
}

/// Appends as much of `s` as fits in `count` bytes.
fn emit(out: &mut String, count: &mut usize, s: &str) {
    let part = prefix_bytes(s, *count);
    out.push_str(part);
    // A character that does not fit whole ends the output.
    *count = if part.len() < s.len() {
        0
    } else {
        *count - part.len()
    };
}

impl Scan<'_, '_> {
    fn emit(&mut self, s: &str) {
        emit(self.out, &mut self.count, s);
    }

    fn run(&mut self) {
        let input = self.input;
        let b = input.as_bytes();
        let mut i = 0;
        while i < b.len() && self.count > 0 {
            let Some(off) = memchr(b'$', &b[i..]) else {
                self.emit(&input[i..]);
                return;
            };
            let p = i + off;
            match b.get(p + 1) {
                Some(b'{') => {
                    self.emit(&input[i..p]);
                    i = self.variable(p + 2);
                }
                Some(b'[') => {
                    self.emit(&input[i..p]);
                    i = self.expression(p + 2);
                }
                _ => {
                    self.emit(&input[i..=p]);
                    i = p + 1;
                }
            }
        }
    }

    /// The end of a `${…}` or `$[…]` starting at `start` (after the opener): the index after the closer (or
    /// the end), the length of the inside, whether it nests another substitution.
    fn find_end(&mut self, start: usize, open: u8, close: u8, other: u8) -> (usize, usize, bool) {
        let b = self.input.as_bytes();
        let mut vare = start;
        let mut brackets = 1;
        let mut needsub = false;
        while brackets > 0 && vare < b.len() {
            let c = b[vare];
            if c == b'$' {
                let next = b.get(vare + 1).copied();
                if next == Some(open) {
                    needsub = true;
                    brackets += 1;
                    vare += 1;
                } else if next == Some(other) {
                    needsub = true;
                    vare += 1;
                }
            } else if c == open {
                brackets += 1;
            } else if c == close {
                brackets -= 1;
            }
            vare += 1;
        }
        let vare = vare.min(b.len());
        let mut len = vare - start;
        if brackets > 0 {
            let text = format!("Error in extension logic (missing '{}')", char::from(close));
            self.fx
                .asterisk(codes::MISSING_BRACE, LogLevel::Warning, SRC, text);
        } else {
            len -= 1;
        }
        (vare, len, needsub)
    }

    /// Substitutes the inside of a `${…}` or `$[…]` when it nests another one.
    fn inner(&mut self, text: &str, needsub: bool) -> Option<String> {
        if !needsub {
            return None;
        }
        let mut sub = String::new();
        substitute_into(text, self.ctx, self.fx, &mut sub, VAR_LIMIT);
        Some(sub)
    }

    fn variable(&mut self, start: usize) -> usize {
        let (end, len, needsub) = self.find_end(start, b'{', b'}', b'[');
        let input = self.input;
        let raw = &input[start..start + len];
        let substituted = self.inner(raw, needsub);
        let full = substituted.as_deref().unwrap_or(raw);
        let (name, offset, length, is_function) = parse_variable_name(full);
        let value: Option<String> = if is_function {
            let (fname, fargs) = split_function(name, self.fx);
            match self.ctx.call_function(fname, fargs, self.fx) {
                Ok(mut v) => {
                    let keep = prefix_bytes(&v, VAR_LIMIT).len();
                    v.truncate(keep);
                    Some(v)
                }
                Err(e) => {
                    report_function_error(Some(e), fname, Direction::Read, self.fx);
                    None
                }
            }
        } else {
            if let Some(v) = self.ctx.get_var(name) {
                let part = substring(prefix_bytes(&v, VAR_LIMIT), offset, length);
                emit(self.out, &mut self.count, &part);
            }
            return end;
        };
        if let Some(v) = value {
            let part = substring(&v, offset, length);
            self.emit(&part);
        }
        end
    }

    fn expression(&mut self, start: usize) -> usize {
        let (end, len, needsub) = self.find_end(start, b'[', b']', b'{');
        let input = self.input;
        let raw = &input[start..start + len];
        let substituted = self.inner(raw, needsub);
        let expr = substituted.as_deref().unwrap_or(raw);
        // The result is written into the remaining space with its terminating NUL.
        let room = self.count.saturating_sub(1);
        let before = self.out.len();
        evaluate_into(expr, self.ctx, self.fx, self.out, room);
        self.count -= self.out.len() - before;
        end
    }
}

/// `parse_variable_name`: the name before the first `:` outside parentheses, the offset and length read after
/// it, and whether the name is a function call (it contains a `(`).
fn parse_variable_name(full: &str) -> (&str, i32, i32, bool) {
    let mut parens = 0i32;
    let mut is_function = false;
    let (mut offset, mut length) = (0, i32::MAX);
    for (i, c) in full.bytes().enumerate() {
        match c {
            b'(' => {
                is_function = true;
                parens += 1;
            }
            b')' => parens -= 1,
            b':' if parens == 0 => {
                scan_offset_length(&full[i + 1..], &mut offset, &mut length);
                return (&full[..i], offset, length, is_function);
            }
            _ => {}
        }
    }
    (full, offset, length, is_function)
}

/// Asterisk's `substring`: a negative offset counts from the end, a negative length drops that many bytes
/// from the end. Offsets are bytes, as in C.
fn substring(value: &str, offset: i32, length: i32) -> std::borrow::Cow<'_, str> {
    let lr = value.len() as i64;
    let (mut offset, length) = (i64::from(offset), i64::from(length));
    if offset == 0 && length >= lr {
        return std::borrow::Cow::Borrowed(value);
    }
    if offset < 0 {
        offset = (lr + offset).max(0);
    }
    if offset >= lr {
        return std::borrow::Cow::Borrowed("");
    }
    let end = if length >= 0 && length < lr - offset {
        offset + length
    } else if length < 0 {
        if lr > offset - length {
            lr + length
        } else {
            offset
        }
    } else {
        lr
    };
    match value.get(offset as usize..end as usize) {
        Some(s) => std::borrow::Cow::Borrowed(s),
        // A cut inside a multi-byte character: C copies the bytes; the broken character is replaced here.
        None => String::from_utf8_lossy(&value.as_bytes()[offset as usize..end as usize]),
    }
}

/// `func_args`: splits `NAME(args)` at the first `(` and the last `)`.
pub(crate) fn split_function<'a>(call: &'a str, fx: &mut Effects) -> (&'a str, &'a str) {
    const SRC_F: &str = "pbx_functions.c";
    let Some(open) = call.find('(') else {
        fx.asterisk(
            codes::FUNC_MISSING_PAREN,
            LogLevel::Warning,
            SRC_F,
            format!("Function '{call}' doesn't contain parentheses.  Assuming null argument."),
        );
        return (call, "");
    };
    let name = &call[..open];
    let rest = &call[open + 1..];
    match rest.rfind(')') {
        Some(close) => (name, &rest[..close]),
        None => {
            fx.asterisk(
                codes::FUNC_MISSING_PAREN,
                LogLevel::Warning,
                SRC_F,
                format!("Can't find trailing parenthesis for function '{name}({rest}'?"),
            );
            (name, rest)
        }
    }
}

/// The lines `ast_func_read`/`ast_func_write` log for a failed call.
pub(crate) fn report_function_error(
    err: Option<FuncError>,
    name: &str,
    dir: Direction,
    fx: &mut Effects,
) {
    const SRC_F: &str = "pbx_functions.c";
    match err {
        None | Some(FuncError::Failed) => {}
        Some(FuncError::NotRegistered) => fx.asterisk(
            codes::FUNC_NOT_REGISTERED,
            LogLevel::Error,
            SRC_F,
            format!("Function {name} not registered"),
        ),
        Some(FuncError::CannotRead) => fx.asterisk(
            codes::FUNC_CANNOT_READ,
            LogLevel::Error,
            SRC_F,
            format!("Function {name} cannot be read"),
        ),
        Some(FuncError::CannotWrite) => fx.asterisk(
            codes::FUNC_CANNOT_WRITE,
            LogLevel::Error,
            SRC_F,
            format!("Function {name} cannot be written to"),
        ),
        Some(FuncError::NotSimulated(what)) => {
            let verb = match dir {
                Direction::Read => "reading",
                Direction::Write => "writing",
            };
            fx.dialsim(
                codes::FUNC_NOT_SIMULATED,
                format!("{what} ({verb} gives nothing)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names_with_offsets() {
        assert_eq!(parse_variable_name("X"), ("X", 0, i32::MAX, false));
        assert_eq!(parse_variable_name("X:1:2"), ("X", 1, 2, false));
        assert_eq!(parse_variable_name("X::2"), ("X", 0, i32::MAX, false));
        assert_eq!(parse_variable_name("X:abc"), ("X", 0, i32::MAX, false));
        assert_eq!(
            parse_variable_name("CUT(a:b,:,1):1"),
            ("CUT(a:b,:,1)", 1, i32::MAX, true)
        );
        assert_eq!(parse_variable_name("A)B:1"), ("A)B:1", 0, i32::MAX, false));
    }

    #[test]
    fn substrings() {
        let s = |o, l| substring("abcdef", o, l).into_owned();
        assert_eq!(s(0, i32::MAX), "abcdef");
        assert_eq!(s(2, i32::MAX), "cdef");
        assert_eq!(s(2, 2), "cd");
        assert_eq!(s(-2, i32::MAX), "ef");
        assert_eq!(s(-10, 2), "ab");
        assert_eq!(s(1, -2), "bcd");
        assert_eq!(s(4, -2), "");
        assert_eq!(s(10, 1), "");
        assert_eq!(s(0, -1), "abcde");
        assert_eq!(s(0, 0), "");
        assert_eq!(s(-3, -1), "de");
    }

    #[test]
    fn finds_substitutions() {
        assert!(needs_substitution("a${b}"));
        assert!(needs_substitution("$$[1]"));
        assert!(!needs_substitution("a$b $ c$"));
    }
}
