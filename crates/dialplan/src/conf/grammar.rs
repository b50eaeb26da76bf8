//! The pest grammar of one `.conf` line (`conf.pest`), and its reading into a [`LineKind`].
//!
//! The grammar is the specification of the line syntax and is tested rule by rule below. The loader's hot path
//! uses the hand-written [`super::line::classify`] instead (pest allocates per parse, which costs more than the
//! whole line is worth on a 10 MB dialplan); a differential property test in `line.rs` holds the two to the same
//! answer on arbitrary lines.

use super::line::{ItemOp, LineKind};
use pest::iterators::Pair;
use pest::Parser;
use pest_derive::Parser;

/// The pest parser generated from `conf.pest`.
#[derive(Parser)]
#[grammar = "conf/conf.pest"]
pub struct ConfGrammar;

/// Classifies one line with the grammar. `line` must satisfy the grammar's precondition (non-empty, trimmed of
/// Asterisk blanks at both ends, no `\n`); `None` means it did not, which is a bug in the caller.
pub fn classify_with_grammar(line: &str) -> Option<LineKind> {
    let mut pairs = ConfGrammar::parse(Rule::line, line).ok()?;
    let pair = pairs.next()?;
    let span = |p: &Pair<Rule>| (p.as_span().start() as u32, p.as_span().end() as u32);
    let kind = match pair.as_rule() {
        Rule::section => {
            let mut name = (0, 0);
            let mut options = None;
            let mut trailing = (0, 0);
            for inner in pair.into_inner() {
                match inner.as_rule() {
                    Rule::section_name => name = span(&inner),
                    Rule::options => options = Some(span(&inner)),
                    Rule::trailing => trailing = span(&inner),
                    _ => {}
                }
            }
            LineKind::Section {
                name,
                options,
                trailing,
            }
        }
        Rule::unclosed_paren => {
            let name = pair
                .into_inner()
                .find(|p| p.as_rule() == Rule::section_name)
                .map(|p| span(&p))?;
            LineKind::UnclosedParen { name }
        }
        Rule::unclosed_bracket => LineKind::UnclosedBracket,
        Rule::directive => {
            let mut name = (0, 0);
            let mut arg = None;
            for inner in pair.into_inner() {
                match inner.as_rule() {
                    Rule::directive_name => name = span(&inner),
                    Rule::bare_arg => arg = Some(span(&inner)),
                    Rule::lone_quote | Rule::dq_arg | Rule::angle_arg => {
                        arg = inner.into_inner().next().map(|p| span(&p));
                    }
                    _ => {}
                }
            }
            LineKind::Directive { name, arg }
        }
        Rule::bad_escape => LineKind::BadEscape,
        Rule::item => {
            let start = pair.as_span().start() as u32;
            let mut key_start = start;
            let mut key_end = start;
            let mut escaped = false;
            let mut op = ItemOp::Assign;
            let mut value = (0, 0);
            for inner in pair.into_inner() {
                match inner.as_rule() {
                    Rule::escape => {
                        escaped = true;
                        key_start = span(&inner).0 + 1;
                    }
                    Rule::item_name => key_end = span(&inner).1,
                    Rule::append => op = ItemOp::Append,
                    Rule::arrow => op = ItemOp::Arrow,
                    Rule::assign => op = ItemOp::Assign,
                    Rule::value => value = span(&inner),
                    _ => {}
                }
            }
            LineKind::Item {
                key: (key_start, key_end),
                escaped,
                op,
                value,
            }
        }
        Rule::no_equals => LineKind::NoEquals,
        _ => return None,
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pest::{consumes_to, parses_to};

    /// Whether `rule` matches the whole of `input`.
    fn full(rule: Rule, input: &str) -> bool {
        match ConfGrammar::parse(rule, input) {
            Ok(pairs) => pairs.last().map(|p| p.as_span().end()) == Some(input.len()),
            Err(_) => false,
        }
    }

    #[test]
    fn rule_section() {
        parses_to! { parser: ConfGrammar, input: "[general]", rule: Rule::section,
        tokens: [ section(0, 9, [ section_name(1, 8), trailing(9, 9) ]) ] };
        parses_to! { parser: ConfGrammar, input: "[t](!,a b)x", rule: Rule::section,
        tokens: [ section(0, 11, [ section_name(1, 2), options(4, 9, [option(4, 5), option(6, 9)]),
            trailing(10, 11) ]) ] };
        parses_to! { parser: ConfGrammar, input: "[ a ] (!)", rule: Rule::section,
        tokens: [ section(0, 9, [ section_name(1, 4), trailing(5, 9) ]) ] };
        assert!(full(Rule::section, "[]"));
        assert!(full(Rule::section, "[a]junk"));
        assert!(!full(Rule::section, "[a"));
        assert!(!full(Rule::section, "[a](!"));
        assert!(!full(Rule::section, "a]"));
    }

    #[test]
    fn rule_section_name() {
        parses_to! { parser: ConfGrammar, input: " my ctx ]", rule: Rule::section_name,
        tokens: [ section_name(0, 8) ] };
        assert!(full(Rule::section_name, ""));
        assert!(!full(Rule::section_name, "a]b"));
    }

    #[test]
    fn rule_options_and_option() {
        parses_to! { parser: ConfGrammar, input: "!,+,tpl", rule: Rule::options,
        tokens: [ options(0, 7, [ option(0, 1), option(2, 3), option(4, 7) ]) ] };
        parses_to! { parser: ConfGrammar, input: "", rule: Rule::options,
        tokens: [ options(0, 0, [ option(0, 0) ]) ] };
        assert!(full(Rule::option, " tpl"));
        assert!(!full(Rule::option, "a,b"));
        assert!(!full(Rule::option, "a)"));
    }

    #[test]
    fn rule_trailing() {
        assert!(full(Rule::trailing, " (!) ; x"));
        assert!(full(Rule::trailing, ""));
        assert!(!full(Rule::trailing, "a\nb"));
    }

    #[test]
    fn rule_unclosed_paren() {
        parses_to! { parser: ConfGrammar, input: "[a](!,tpl", rule: Rule::unclosed_paren,
        tokens: [ unclosed_paren(0, 9, [ section_name(1, 2) ]) ] };
        assert!(!full(Rule::unclosed_paren, "[a](!)"));
        assert!(!full(Rule::unclosed_paren, "[a] (!"));
    }

    #[test]
    fn rule_unclosed_bracket() {
        parses_to! { parser: ConfGrammar, input: "[general", rule: Rule::unclosed_bracket,
        tokens: [ unclosed_bracket(0, 8) ] };
        assert!(full(Rule::unclosed_bracket, "["));
        assert!(!full(Rule::unclosed_bracket, "[a]"));
        assert!(!full(Rule::unclosed_bracket, "a"));
    }

    #[test]
    fn rule_directive() {
        parses_to! { parser: ConfGrammar, input: "#include a.conf", rule: Rule::directive,
        tokens: [ directive(0, 15, [ directive_name(1, 8), bare_arg(9, 15) ]) ] };
        parses_to! { parser: ConfGrammar, input: "#tryinclude \t\"x y.conf\"", rule: Rule::directive,
        tokens: [ directive(0, 23, [ directive_name(1, 11), dq_arg(13, 23, [ arg_text_dq(14, 22) ]) ]) ] };
        parses_to! { parser: ConfGrammar, input: "#exec <cmd>", rule: Rule::directive,
        tokens: [ directive(0, 11, [ directive_name(1, 5), angle_arg(6, 11, [ arg_text_angle(7, 10) ]) ]) ] };
        parses_to! { parser: ConfGrammar, input: "#", rule: Rule::directive,
        tokens: [ directive(0, 1, [ directive_name(1, 1) ]) ] };
        assert!(!full(Rule::directive, "include a"));
    }

    #[test]
    fn rule_directive_name() {
        assert!(full(Rule::directive_name, "include\"x\""));
        assert!(!full(Rule::directive_name, "include x"));
        assert!(!full(Rule::directive_name, "a\tb"));
    }

    #[test]
    fn rule_directive_args() {
        parses_to! { parser: ConfGrammar, input: "\"", rule: Rule::lone_quote,
        tokens: [ lone_quote(0, 1, [ empty(1, 1) ]) ] };
        parses_to! { parser: ConfGrammar, input: "\"a\"b\"", rule: Rule::dq_arg,
        tokens: [ dq_arg(0, 5, [ arg_text_dq(1, 4) ]) ] };
        parses_to! { parser: ConfGrammar, input: "\"\"", rule: Rule::dq_arg,
        tokens: [ dq_arg(0, 2, [ arg_text_dq(1, 1) ]) ] };
        parses_to! { parser: ConfGrammar, input: "<a>", rule: Rule::angle_arg,
        tokens: [ angle_arg(0, 3, [ arg_text_angle(1, 2) ]) ] };
        assert!(full(Rule::arg_text_dq, "a\"b"));
        assert!(full(Rule::arg_text_angle, "a>b"));
        assert!(full(Rule::empty, ""));
        assert!(!full(Rule::lone_quote, "<"));
        assert!(!full(Rule::dq_arg, "\"abc"));
        assert!(!full(Rule::dq_arg, "abc\""));
        assert!(!full(Rule::angle_arg, "<abc"));
        assert!(!full(Rule::angle_arg, "<abc\""));
        assert!(full(Rule::bare_arg, "\"abc"));
        assert!(!full(Rule::bare_arg, ""));
    }

    #[test]
    fn rule_bad_escape() {
        assert!(full(Rule::bad_escape, "\\"));
        assert!(full(Rule::bad_escape, "\\ x = 1"));
        assert!(full(Rule::bad_escape, "\\\tx"));
        assert!(!full(Rule::bad_escape, "\\x = 1"));
        assert!(!full(Rule::bad_escape, "x = 1"));
    }

    #[test]
    fn rule_item() {
        parses_to! { parser: ConfGrammar, input: "exten => 1,1,NoOp()", rule: Rule::item,
        tokens: [ item(0, 19, [ item_name(0, 6), arrow(6, 8), value(8, 19) ]) ] };
        parses_to! { parser: ConfGrammar, input: "a+=b", rule: Rule::item,
        tokens: [ item(0, 4, [ item_name(0, 1), append(1, 3), value(3, 4) ]) ] };
        parses_to! { parser: ConfGrammar, input: "\\;x=1", rule: Rule::item,
        tokens: [ item(0, 5, [ escape(0, 2, [ escaped(1, 2) ]), item_name(2, 3), assign(3, 4), value(4, 5) ]) ] };
        parses_to! { parser: ConfGrammar, input: "\\+=x", rule: Rule::item,
        tokens: [ item(0, 4, [ escape(0, 2, [ escaped(1, 2) ]), item_name(2, 2), assign(2, 3), value(3, 4) ]) ] };
        parses_to! { parser: ConfGrammar, input: "a=>>b", rule: Rule::item,
        tokens: [ item(0, 5, [ item_name(0, 1), arrow(1, 3), value(3, 5) ]) ] };
        assert!(full(Rule::item, "=x"));
        assert!(!full(Rule::item, "truetext1[general]"));
        assert!(!full(Rule::item, "\\="));
    }

    #[test]
    fn rule_escape_and_escaped() {
        assert!(full(Rule::escape, "\\="));
        assert!(!full(Rule::escape, "\\"));
        assert!(full(Rule::escaped, "é"));
        assert!(!full(Rule::escaped, "ab"));
    }

    #[test]
    fn rule_item_name() {
        parses_to! { parser: ConfGrammar, input: "a+b=c", rule: Rule::item_name,
        tokens: [ item_name(0, 3) ] };
        parses_to! { parser: ConfGrammar, input: "a++=c", rule: Rule::item_name,
        tokens: [ item_name(0, 2) ] };
        assert!(!full(Rule::item_name, "a=b"));
    }

    #[test]
    fn rule_ops() {
        assert!(full(Rule::append, "+="));
        assert!(full(Rule::arrow, "=>"));
        assert!(full(Rule::assign, "="));
        assert!(!full(Rule::append, "=+"));
        assert!(!full(Rule::arrow, "="));
        assert!(!full(Rule::assign, ">"));
    }

    #[test]
    fn rule_value() {
        assert!(full(Rule::value, ""));
        assert!(full(Rule::value, " 1,n,Set(A=;)"));
        assert!(!full(Rule::value, "a\nb"));
    }

    #[test]
    fn rule_no_equals() {
        assert!(full(Rule::no_equals, "truetext1[general]"));
        assert!(!full(Rule::no_equals, ""));
    }

    #[test]
    fn rule_line_classifies_every_kind() {
        let cases: &[(&str, LineKind)] = &[
            (
                "[a](!)",
                LineKind::Section {
                    name: (1, 2),
                    options: Some((4, 5)),
                    trailing: (6, 6),
                },
            ),
            ("[a](!", LineKind::UnclosedParen { name: (1, 2) }),
            ("[a", LineKind::UnclosedBracket),
            (
                "#include \"b\"",
                LineKind::Directive {
                    name: (1, 8),
                    arg: Some((10, 11)),
                },
            ),
            ("\\ x", LineKind::BadEscape),
            (
                "\\[x]=1",
                LineKind::Item {
                    key: (1, 4),
                    escaped: true,
                    op: ItemOp::Assign,
                    value: (5, 6),
                },
            ),
            ("truetext1[general]", LineKind::NoEquals),
        ];
        for (input, want) in cases {
            assert_eq!(classify_with_grammar(input).as_ref(), Some(want), "{input}");
        }
        assert_eq!(classify_with_grammar(""), None);
    }
}
