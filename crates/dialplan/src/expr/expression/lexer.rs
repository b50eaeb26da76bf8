//! The `$[...]` lexer: a hand-written model of Asterisk's flex scanner (`main/ast_expr2.fl`).
//!
//! flex picks the longest match among its rules (the earlier rule on a tie) and has three start conditions;
//! this scanner reproduces both, byte by byte:
//!
//! - operators are tokens with or without spaces around them (`3--2` is `3 - -2`);
//! - a *token* is a run of letters, digits and `.';\_^#@`, bytes ≥ 0x80, or `$` followed by anything but `{`;
//!   it is a numeric string only when the whole run is `[0-9]+(\.[0-9]+)?` (so `1e3`, `0x10`, `1.` are text);
//! - `"..."` is one token, quotes included;
//! - `${...}` (left in the text when a variable's value contains one) is gathered with the text that follows
//!   it up to a space or operator character; when such a character comes right after the `}`, flex's `unput`
//!   gives it back to be read again and, as a side effect, the token's text runs to the end of the input
//!   (`${x} = ${x}` compares `${x} = ${x}` with `${x}`);
//! - a character no rule matches (a lone `~`, `[`, `]`, `{`, `}`, an unclosed `"`, a final `$`) is skipped
//!   (flex echoes it to the process's standard output, which is not a log line).

use super::value::Val;
use std::borrow::Cow;

/// The token kinds, in the order of Asterisk's token numbers (`yytname`), which is the order bison lists
/// expected tokens in its error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    End,
    Comma,
    ColonColon,
    Cond,
    Or,
    And,
    Ne,
    Le,
    Ge,
    Lt,
    Gt,
    Eq,
    Minus,
    Plus,
    Mod,
    Div,
    Mult,
    Compl,
    TildeTilde,
    EqTilde,
    Colon,
    Lp,
    Rp,
    Token,
}

impl Kind {
    /// The name bison prints, after Asterisk's `expr2_token_subst` rewrote it. That rewrite matches names by
    /// prefix, so `TOK_EQTILDE` comes out as `'='TILDE`, and `TOK_TILDETILDE`, missing from its table, stays.
    pub(crate) fn error_name(self) -> &'static str {
        match self {
            Kind::End => "$end",
            Kind::Comma => "','",
            Kind::ColonColon => "'::'",
            Kind::Cond => "'?'",
            Kind::Or => "'|'",
            Kind::And => "'&'",
            Kind::Ne => "'!='",
            Kind::Le => "'<='",
            Kind::Ge => "'>='",
            Kind::Lt => "'<'",
            Kind::Gt => "'>'",
            Kind::Eq => "'='",
            Kind::Minus => "'-'",
            Kind::Plus => "'+'",
            Kind::Mod => "'%'",
            Kind::Div => "'/'",
            Kind::Mult => "'*'",
            Kind::Compl => "'!'",
            Kind::TildeTilde => "TOK_TILDETILDE",
            Kind::EqTilde => "'='TILDE",
            Kind::Colon => "':'",
            Kind::Lp => "'('",
            Kind::Rp => "')'",
            Kind::Token => "'<token>'",
        }
    }
}

/// One token: its kind, where its text starts (the column of the caret in a syntax error) and, for a
/// [`Kind::Token`], its value.
#[derive(Debug)]
pub(crate) struct Tok<'a> {
    pub kind: Kind,
    pub start: usize,
    pub val: Option<Val<'a>>,
}

pub(crate) struct Lexer<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
}

/// Bytes of a plain token besides `$x` pairs: `[a-zA-Z0-9\.';\\_^#@]` and `[\x80-\xff]`.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(b, b'.' | b'\'' | b';' | b'\\' | b'_' | b'^' | b'#' | b'@')
        || b >= 0x80
}

/// The characters that end the text after a `${...}`: `[-\t\r \n$():?%/+=*<>!|&]`.
fn ends_trail(b: u8) -> bool {
    matches!(
        b,
        b'-' | b'\t'
            | b'\r'
            | b' '
            | b'\n'
            | b'$'
            | b'('
            | b')'
            | b':'
            | b'?'
            | b'%'
            | b'/'
            | b'+'
            | b'='
            | b'*'
            | b'<'
            | b'>'
            | b'!'
            | b'|'
            | b'&'
    )
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Lexer {
            src: text.as_bytes(),
            text,
            pos: 0,
        }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.src.get(i).copied()
    }

    fn op(&mut self, kind: Kind, len: usize) -> Tok<'a> {
        let start = self.pos;
        self.pos += len;
        Tok {
            kind,
            start,
            val: None,
        }
    }

    /// A token's text. Token boundaries fall on ASCII bytes or the end, except where a token ends inside a
    /// multi-byte character (impossible: bytes ≥ 0x80 all belong to tokens), so slicing is safe; the fallback
    /// keeps it panic-free regardless.
    fn slice(&self, from: usize, to: usize) -> Cow<'a, str> {
        match self.text.get(from..to) {
            Some(s) => Cow::Borrowed(s),
            None => String::from_utf8_lossy(&self.src[from.min(to)..to]),
        }
    }

    fn token(&self, start: usize, end: usize, numeric: bool) -> Tok<'a> {
        let s = self.slice(start, end);
        Tok {
            kind: Kind::Token,
            start,
            val: Some(if numeric { Val::NumStr(s) } else { Val::Str(s) }),
        }
    }

    pub(crate) fn next_token(&mut self) -> Tok<'a> {
        loop {
            let Some(c) = self.at(self.pos) else {
                return Tok {
                    kind: Kind::End,
                    start: self.src.len(),
                    val: None,
                };
            };
            let n = self.at(self.pos + 1);
            return match c {
                b' ' | b'\t' | b'\r' | b'\n' => {
                    self.pos += 1;
                    continue;
                }
                b'|' => self.op(Kind::Or, if n == Some(b'|') { 2 } else { 1 }),
                b'&' => self.op(Kind::And, if n == Some(b'&') { 2 } else { 1 }),
                b'=' => match n {
                    Some(b'=') => self.op(Kind::Eq, 2),
                    Some(b'~') => self.op(Kind::EqTilde, 2),
                    _ => self.op(Kind::Eq, 1),
                },
                b'~' if n == Some(b'~') => self.op(Kind::TildeTilde, 2),
                b'>' => match n {
                    Some(b'=') => self.op(Kind::Ge, 2),
                    _ => self.op(Kind::Gt, 1),
                },
                b'<' => match n {
                    Some(b'=') => self.op(Kind::Le, 2),
                    _ => self.op(Kind::Lt, 1),
                },
                b'!' => match n {
                    Some(b'=') => self.op(Kind::Ne, 2),
                    _ => self.op(Kind::Compl, 1),
                },
                b'+' => self.op(Kind::Plus, 1),
                b',' => self.op(Kind::Comma, 1),
                b'-' => self.op(Kind::Minus, 1),
                b'*' => self.op(Kind::Mult, 1),
                b'/' => self.op(Kind::Div, 1),
                b'%' => self.op(Kind::Mod, 1),
                b'?' => self.op(Kind::Cond, 1),
                b':' => match n {
                    Some(b':') => self.op(Kind::ColonColon, 2),
                    _ => self.op(Kind::Colon, 1),
                },
                b'(' => self.op(Kind::Lp, 1),
                b')' => self.op(Kind::Rp, 1),
                b'"' => {
                    let start = self.pos;
                    match self.src[start + 1..].iter().position(|&b| b == b'"') {
                        Some(off) => {
                            let end = start + 1 + off + 1;
                            self.pos = end;
                            self.token(start, end, false)
                        }
                        None => {
                            self.pos += 1;
                            continue;
                        }
                    }
                }
                b'$' if n == Some(b'{') => {
                    let start = self.pos;
                    self.pos += 2;
                    match self.variable(start) {
                        Some(t) => t,
                        None => continue,
                    }
                }
                c if is_token_byte(c) || (c == b'$' && n.is_some()) => {
                    let start = self.pos;
                    let end = self.token_run(start);
                    if self.at(end) == Some(b'$') && self.at(end + 1) == Some(b'{') {
                        self.pos = end + 2;
                        match self.variable(start) {
                            Some(t) => t,
                            None => continue,
                        }
                    } else {
                        self.pos = end;
                        let numeric = self.number_len(start) == end - start;
                        self.token(start, end, numeric)
                    }
                }
                _ => {
                    self.pos += 1;
                    continue;
                }
            };
        }
    }

    /// The end of the run of token characters starting at `from`.
    fn token_run(&self, from: usize) -> usize {
        let mut q = from;
        loop {
            match self.at(q) {
                Some(b) if is_token_byte(b) => q += 1,
                Some(b'$') if self.at(q + 1).is_some_and(|b| b != b'{') => q += 2,
                _ => return q,
            }
        }
    }

    /// Length of `[0-9]+(\.[0-9]+)?` at `from` (0 when there is none).
    fn number_len(&self, from: usize) -> usize {
        let digits = |i: usize| {
            let mut j = i;
            while self.at(j).is_some_and(|b| b.is_ascii_digit()) {
                j += 1;
            }
            j
        };
        let int_end = digits(from);
        if int_end == from {
            return 0;
        }
        if self.at(int_end) == Some(b'.') {
            let frac_end = digits(int_end + 1);
            if frac_end > int_end + 1 {
                return frac_end - from;
            }
        }
        int_end - from
    }

    /// Inside `${`: gathers up to the matching `}`, then the trailing text. `None` when the input ends first
    /// (flex then ends the scan and the gathered text is lost).
    fn variable(&mut self, start: usize) -> Option<Tok<'a>> {
        let mut curly: i32 = 0;
        loop {
            // <var>: up to the next brace.
            loop {
                let rest = &self.src[self.pos..];
                let Some(off) = rest.iter().position(|&b| b == b'{' || b == b'}') else {
                    self.pos = self.src.len();
                    return None;
                };
                let brace = self.src[self.pos + off];
                self.pos += off + 1;
                if brace == b'}' {
                    curly -= 1;
                    if curly < 0 {
                        break;
                    }
                } else {
                    curly += 1;
                }
            }
            // <trail>: the text after the closing brace.
            let run_end = self.src[self.pos..]
                .iter()
                .position(|&b| ends_trail(b))
                .map_or(self.src.len(), |off| self.pos + off);
            if self.at(run_end) == Some(b'$') && self.at(run_end + 1) == Some(b'{') {
                self.pos = run_end + 2;
                curly = 0;
                continue;
            }
            if run_end > self.pos || run_end == self.src.len() {
                self.pos = run_end;
                return Some(self.token(start, run_end, false));
            }
            // An ending character right after the brace: flex's `unput` gives it back to be read again, and
            // in doing so removes the end mark of the token's text, which then runs to the end of the input.
            return Some(self.token(start, self.src.len(), false));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(s: &str) -> Vec<String> {
        let mut l = Lexer::new(s);
        let mut out = Vec::new();
        loop {
            let t = l.next_token();
            if t.kind == Kind::End {
                return out;
            }
            out.push(match t.val {
                Some(Val::NumStr(s)) => format!("#{s}"),
                Some(Val::Str(s)) => format!("'{s}'"),
                _ => format!("{:?}", t.kind),
            });
        }
    }

    #[test]
    fn operators_need_no_spaces() {
        assert_eq!(lex("3--2"), ["#3", "Minus", "Minus", "#2"]);
        assert_eq!(lex("a=~b"), ["'a'", "EqTilde", "'b'"]);
        assert_eq!(lex("a::b"), ["'a'", "ColonColon", "'b'"]);
        assert_eq!(lex("1||2&&3"), ["#1", "Or", "#2", "And", "#3"]);
    }

    #[test]
    fn what_counts_as_a_number() {
        assert_eq!(
            lex("007 1.5 1e3 0x10 1. .5"),
            ["#007", "#1.5", "'1e3'", "'0x10'", "'1.'", "'.5'"]
        );
    }

    #[test]
    fn quotes_and_dollars() {
        assert_eq!(lex("\"a b\" c"), ["'\"a b\"'", "'c'"]);
        assert_eq!(lex("\"abc"), ["'abc'"]);
        assert_eq!(lex("a$b $ x$"), ["'a$b'", "'$ x'"]);
        assert_eq!(lex("1 ~ 2"), ["#1", "#2"]);
    }

    #[test]
    fn variables_left_in_the_text() {
        assert_eq!(lex("${x}+1"), ["'${x}+1'", "Plus", "#1"]);
        assert_eq!(lex("${x} = ${x}"), ["'${x} = ${x}'", "Eq", "'${x}'"]);
        assert_eq!(lex("a${x}b${y}c d"), ["'a${x}b${y}c'", "'d'"]);
        assert_eq!(lex("${a{b}c}d e"), ["'${a{b}c}d'", "'e'"]);
        assert!(lex("${x").is_empty());
    }
}
