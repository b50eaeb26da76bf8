//! One logical line of a `.conf` file, classified: the fast, hand-written twin of the pest grammar.
//!
//! [`classify`] answers exactly what `conf.pest` answers (see [`super::grammar::classify_with_grammar`]); the
//! differential property test at the bottom holds them together. It exists because it runs at memchr speed
//! with no allocation, on every line of a multi-megabyte dialplan.

use memchr::memchr;

/// A byte range `(start, end)` within the line.
pub type Range = (u32, u32);

/// The operator of an item line, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemOp {
    /// `=`
    Assign,
    /// `=>`
    Arrow,
    /// `+=`: append to the last same-name item of the section
    Append,
}

/// What a (comment-free, trimmed, non-empty) line is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// `[name](options)trailing`; `options` is the text between the parentheses.
    Section {
        name: Range,
        options: Option<Range>,
        trailing: Range,
    },
    /// `[name](...` with no `)`.
    UnclosedParen { name: Range },
    /// `[...` with no `]`.
    UnclosedBracket,
    /// `#name arg`; `arg` without its enclosing quotes.
    Directive { name: Range, arg: Option<Range> },
    /// `key op value`. `key` is untrimmed and starts after the `\` when `escaped`; `value` is untrimmed.
    Item {
        key: Range,
        escaped: bool,
        op: ItemOp,
        value: Range,
    },
    /// `\` followed by a blank or by nothing.
    BadEscape,
    /// No `=` in the line.
    NoEquals,
}

/// Asterisk's notion of a blank: any byte below 33 (`ast_skip_blanks`, `ast_trim_blanks`).
pub fn is_blank(b: u8) -> bool {
    b < 33
}

/// Trims Asterisk blanks at both ends; returns the byte range kept within `s`.
#[inline]
pub fn trim_range(s: &[u8], start: usize, end: usize) -> (usize, usize) {
    let mut a = start;
    let mut b = end;
    while a < b && is_blank(s[a]) {
        a += 1;
    }
    while b > a && is_blank(s[b - 1]) {
        b -= 1;
    }
    (a, b)
}

/// Trims Asterisk blanks at the end only: `start` is known not to be a blank (or `start == end`).
#[inline]
pub fn trim_end_range(s: &[u8], start: usize, end: usize) -> usize {
    let mut b = end;
    while b > start && is_blank(s[b - 1]) {
        b -= 1;
    }
    b
}

/// Trims Asterisk blanks at the start only: `end - 1` is known not to be a blank (or `start == end`).
#[inline]
pub fn trim_start_range(s: &[u8], start: usize, end: usize) -> usize {
    let mut a = start;
    while a < end && is_blank(s[a]) {
        a += 1;
    }
    a
}

/// Classifies a line. Precondition: `line` is non-empty, trimmed of blanks at both ends, without `\n`.
/// (Inlined into the loader's `process_line`, item lines and all: it runs on every line, and its answer
/// then needs no trip through memory; the rare headers and directives stay out of line.)
#[inline]
pub fn classify(line: &[u8]) -> LineKind {
    let b = line;
    match b.first() {
        Some(b'[') => header(b),
        Some(b'#') => directive(b),
        _ => item(b),
    }
}

fn r(a: usize, b: usize) -> Range {
    (a as u32, b as u32)
}

#[inline(never)]
fn header(b: &[u8]) -> LineKind {
    let Some(close) = memchr(b']', b) else {
        return LineKind::UnclosedBracket;
    };
    let name = r(1, close);
    if b.get(close + 1) != Some(&b'(') {
        return LineKind::Section {
            name,
            options: None,
            trailing: r(close + 1, b.len()),
        };
    }
    let open = close + 2;
    match memchr(b')', &b[open..]) {
        None => LineKind::UnclosedParen { name },
        Some(p) => LineKind::Section {
            name,
            options: Some(r(open, open + p)),
            trailing: r(open + p + 1, b.len()),
        },
    }
}

#[inline(never)]
fn directive(b: &[u8]) -> LineKind {
    let name_end = b[1..]
        .iter()
        .position(|&c| is_blank(c))
        .map_or(b.len(), |p| p + 1);
    let name = r(1, name_end);
    let mut a = name_end;
    while a < b.len() && is_blank(b[a]) {
        a += 1;
    }
    if a >= b.len() {
        return LineKind::Directive { name, arg: None };
    }
    let end = b.len();
    let arg = match b[a] {
        b'"' if end - a == 1 => r(a + 1, a + 1),
        b'"' if b[end - 1] == b'"' => r(a + 1, end - 1),
        b'<' if end - a >= 2 && b[end - 1] == b'>' => r(a + 1, end - 1),
        _ => r(a, end),
    };
    LineKind::Directive {
        name,
        arg: Some(arg),
    }
}

#[inline]
fn item(b: &[u8]) -> LineKind {
    let (escaped, key_start, search_from) = if b[0] == b'\\' {
        if b.len() == 1 || is_blank(b[1]) {
            return LineKind::BadEscape;
        }
        (true, 1, 2)
    } else {
        (false, 0, 0)
    };
    let Some(i) = find_equals(b.get(search_from..).unwrap_or_default()) else {
        return LineKind::NoEquals;
    };
    let eq = search_from + i;
    let (key_end, op, value_start) = if eq > search_from && b[eq - 1] == b'+' {
        (eq - 1, ItemOp::Append, eq + 1)
    } else if b.get(eq + 1) == Some(&b'>') {
        (eq, ItemOp::Arrow, eq + 2)
    } else {
        (eq, ItemOp::Assign, eq + 1)
    };
    LineKind::Item {
        key: r(key_start, key_end),
        escaped,
        op,
        value: r(value_start, b.len()),
    }
}

/// The first `=` of `b`. An item's `=` is nearly always within its first bytes (`exten =>`, `same =>`,
/// `name=`): a plain loop over them costs less than setting up a vectorised search, which is kept for the
/// rest of a long line.
#[inline]
fn find_equals(b: &[u8]) -> Option<usize> {
    const HEAD: usize = 16;
    let head = b.len().min(HEAD);
    match b[..head].iter().position(|&c| c == b'=') {
        Some(i) => Some(i),
        None => memchr(b'=', &b[head..]).map(|i| head + i),
    }
}

#[cfg(test)]
mod tests {
    use super::super::grammar::classify_with_grammar;
    use super::*;
    use proptest::prelude::*;

    fn trimmed(s: &str) -> &str {
        let (a, b) = trim_range(s.as_bytes(), 0, s.len());
        &s[a..b]
    }

    #[test]
    fn examples_agree_with_the_grammar() {
        let lines = [
            "[general]",
            "[ a b ](!,tpl) junk",
            "[a](",
            "[a",
            "[]",
            "[a]()",
            "#include foo.conf",
            "#include \"foo bar.conf\"",
            "#include <x>",
            "#include \"",
            "#include <",
            "#tryinclude\t\t\"a\"b\"",
            "#exec",
            "#",
            "\\",
            "\\ a=1",
            "\\=a=1",
            "\\+=1",
            "\\++=1",
            "+=1",
            "a+=1",
            "a=>1",
            "a=>>1",
            "a+=>1",
            "exten => 1,1,Set(A=B)",
            "truetext1[general]",
            "=",
            "é=ü",
        ];
        for line in lines {
            assert_eq!(
                Some(classify(line.as_bytes())),
                classify_with_grammar(line),
                "line {line:?}"
            );
        }
    }

    fn line_strategy() -> impl Strategy<Value = String> {
        // Mostly the characters that mean something to the syntax, plus blanks and a multi-byte char.
        let alphabet = prop::sample::select(vec![
            '[', ']', '(', ')', ',', '!', '+', '=', '>', '<', '"', '#', '\\', ' ', '\t', '\u{1}',
            'a', 'b', 'é', ';',
        ]);
        prop::collection::vec(alphabet, 0..24).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn hand_classifier_equals_grammar(raw in line_strategy()) {
            let line = trimmed(&raw);
            prop_assume!(!line.is_empty());
            prop_assert_eq!(Some(classify(line.as_bytes())), classify_with_grammar(line));
        }

        #[test]
        fn hand_classifier_equals_grammar_any_text(raw in "\\PC{0,40}") {
            let line = trimmed(&raw);
            prop_assume!(!line.is_empty() && !line.contains('\n'));
            prop_assert_eq!(Some(classify(line.as_bytes())), classify_with_grammar(line));
        }
    }
}
