//! Option letters an application does not define, and option arguments it cannot read.
//!
//! Dial, Park, ParkAndAnnounce, Read, BackGround, BridgeWait and WaitExten read their options with Asterisk's
//! `ast_app_parse_options` (main/app.c): each letter may take an argument in `(…)`. A letter the
//! application does not define makes it log `Unrecognized option: '<c>'` and is otherwise ignored (with
//! any argument it had); an argument whose `)` is missing makes it log `Missing closing parenthesis for
//! argument '<c>' in string '<rest>'` and stop reading options there. Dial then gives up
//! (`DIALSTATUS=INVALIDARGS`, the call ends); the others go on with the letters read so far.
//! ParkedCall has no options.
//!
//! Options only known at run time (any `$` in them) are not checked.

use super::apps::AppKind;
use super::args::nth_arg;
use super::dial::DialArgs;
use super::walk::Step;
use super::{MALFORMED_OPTION, UNKNOWN_OPTION};
use dialplan::diag::{Diagnostic, LogLevel, LogLine};
use dialplan::model::Priority;

/// One option letter and its argument, as `ast_app_parse_options` reads them.
pub(super) struct Letter<'a> {
    pub letter: u8,
    pub arg: Option<&'a str>,
}

/// An argument whose `(` is never closed: the letter and the text after its `(`.
pub(super) struct Unclosed<'a> {
    pub letter: u8,
    pub rest: &'a str,
}

/// The letters of an option string; reading stops after an unclosed argument.
pub(super) fn letters(text: &str) -> Letters<'_> {
    Letters { text, at: 0 }
}

pub(super) struct Letters<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Letters<'a> {
    type Item = Result<Letter<'a>, Unclosed<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.text.as_bytes();
        let letter = *b.get(self.at)?;
        self.at += 1;
        if b.get(self.at) != Some(&b'(') {
            return Some(Ok(Letter { letter, arg: None }));
        }
        let start = self.at + 1;
        let mut depth = 1usize;
        let mut i = start;
        while i < b.len() {
            match b[i] {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                // A backslash hides the next character from the count.
                b'\\' => i += 1,
                _ => {}
            }
            i += 1;
        }
        if i >= b.len() {
            // Asterisk then looks for any later `)`; there is none past the end either.
            self.at = b.len();
            return Some(Err(Unclosed {
                letter,
                rest: &self.text[start.min(b.len())..],
            }));
        }
        self.at = i + 1;
        Some(Ok(Letter {
            letter,
            arg: Some(&self.text[start..i]),
        }))
    }
}

/// An application's option table.
struct Table {
    kind: AppKind,
    app: &'static str,
    /// The argument holding the options (0-based).
    position: usize,
    letters: &'static str,
    /// The letters as a set of ASCII codes (bit `c` for letter `c`).
    defined: u128,
    /// The C file whose option table this is.
    source: &'static str,
}

impl Table {
    const fn new(
        kind: AppKind,
        app: &'static str,
        position: usize,
        letters: &'static str,
        source: &'static str,
    ) -> Table {
        let b = letters.as_bytes();
        let mut defined = 0u128;
        let mut i = 0;
        while i < b.len() {
            defined |= 1 << (b[i] & 0x7f);
            i += 1;
        }
        Table {
            kind,
            app,
            position,
            letters,
            defined,
            source,
        }
    }

    /// Whether the application defines the option letter `c`.
    fn defines(&self, c: u8) -> bool {
        c < 128 && self.defined & (1 << c) != 0
    }
}

const TABLES: &[Table] = &[
    Table::new(
        AppKind::Dial,
        "Dial",
        2,
        "AabBCcdDEefFgGhHiIjkKLmnNoOpPQrRSstTuUwWxXz",
        "app_dial.c",
    ),
    Table::new(AppKind::Park, "Park", 1, "rRsctm", "parking_applications.c"),
    Table::new(
        AppKind::ParkAndAnnounce,
        "ParkAndAnnounce",
        1,
        "rRsctm",
        "parking_applications.c",
    ),
    Table::new(AppKind::Read, "Read", 3, "sinte", "app_read.c"),
    Table::new(
        AppKind::BackGround,
        "BackGround",
        1,
        "snmp",
        "pbx_builtins.c",
    ),
    Table::new(
        AppKind::BridgeWait,
        "BridgeWait",
        2,
        "emSn",
        "app_bridgewait.c",
    ),
    Table::new(AppKind::WaitExten, "WaitExten", 1, "md", "pbx_builtins.c"),
];

/// Checks the options of one priority; `dial` holds the arguments of a `Dial`, split once for every check.
pub(super) fn check(step: &Step<'_>, dial: Option<&DialArgs<'_>>, out: &mut Vec<Diagnostic>) {
    let Some(table) = TABLES.iter().find(|t| t.kind == step.kind) else {
        return;
    };
    let options = match dial {
        Some(args) => args.plain(table.position),
        None => nth_arg(step.data, table.position),
    };
    let Some(options) = options else {
        return;
    };
    let (app, p) = (step.app, step.priority);
    let options = options.trim();
    if options.is_empty() || memchr::memchr2(b'$', b'"', options.as_bytes()).is_some() {
        return;
    }
    // BackGround also takes the words `skip` and `noanswer` in place of letters.
    if table.kind == AppKind::BackGround
        && (options.eq_ignore_ascii_case("skip") || options.eq_ignore_ascii_case("noanswer"))
    {
        return;
    }
    // The usual options, letters the application defines and no argument, say nothing (Park's `t` is
    // read below even without one).
    if !matches!(table.kind, AppKind::Park | AppKind::ParkAndAnnounce)
        && options.bytes().all(|c| c != b'(' && table.defines(c))
    {
        return;
    }
    let Some(span) = p.source() else { return };
    let mut unknown: Vec<u8> = Vec::new();
    for item in letters(options) {
        match item {
            Ok(Letter { letter, arg }) => {
                if !table.defines(letter) {
                    if !unknown.contains(&letter) {
                        unknown.push(letter);
                    }
                    continue;
                }
                if (table.kind == AppKind::Park || table.kind == AppKind::ParkAndAnnounce)
                    && letter == b't'
                {
                    park_timeout(p, arg, out);
                }
            }
            Err(Unclosed { letter, rest }) => {
                let consequence = if table.kind == AppKind::Dial {
                    "Dial then sets DIALSTATUS=INVALIDARGS and the call ends without dialling"
                } else {
                    "the option and every one after it are ignored"
                };
                out.push(
                    Diagnostic::warning(
                        MALFORMED_OPTION,
                        format!(
                            "{app} option '{}(' is never closed in '{options}'",
                            letter as char
                        ),
                    )
                    .with_span(span)
                    .with_label("missing ')'")
                    .with_help(format!(
                        "Asterisk logs \"Missing closing parenthesis for argument '{}' in string '{rest}'\"; \
                         {consequence}; add the ')'",
                        letter as char
                    ))
                    .with_log(LogLine::new(
                        LogLevel::Warning,
                        "app.c",
                        format!(
                            "Missing closing parenthesis for argument '{}' in string '{rest}'",
                            letter as char
                        ),
                    )),
                );
            }
        }
    }
    if unknown.is_empty() {
        return;
    }
    let list: Vec<String> = unknown
        .iter()
        .map(|c| format!("'{}'", *c as char))
        .collect();
    let (what, these, verb) = if unknown.len() == 1 {
        (format!("option {}", list[0]), "it", "does")
    } else {
        (format!("options {}", list.join(", ")), "them", "do")
    };
    let mut help = format!(
        "{} {} {verb} not exist in Asterisk 22 ({} defines {}): Asterisk logs \"Unrecognized option\" and ignores {these}; \
         remove or correct {these}",
        table.app,
        what,
        table.source,
        spaced(table.letters)
    );
    if table.kind == AppKind::Dial && unknown.contains(&b'M') {
        help.push_str(
            "; M(macro) went with app_macro in Asterisk 21: use U(context^arg) to run a subroutine on the called party",
        );
    }
    let mut d = Diagnostic::warning(
        UNKNOWN_OPTION,
        format!("{app} has no {what} (in '{options}')"),
    )
    .with_span(span)
    .with_label("unknown option")
    .with_help(help);
    for c in &unknown {
        d = d.with_log(LogLine::new(
            LogLevel::Warning,
            "app.c",
            format!("Unrecognized option: '{}'", *c as char),
        ));
    }
    out.push(d);
}

/// `a b c`: the letters with spaces between them.
fn spaced(letters: &str) -> String {
    let mut s = String::with_capacity(letters.len() * 2);
    for (i, c) in letters.chars().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push(c);
    }
    s
}

/// Park's `t(seconds)`: read with `sscanf("%d")` and refused when missing or negative, which makes Park
/// (and ParkAndAnnounce) drop the rest of its arguments (res_parking ignores the parse failure).
fn park_timeout(p: &Priority, arg: Option<&str>, out: &mut Vec<Diagnostic>) {
    let Some(span) = p.source() else { return };
    let value = arg.unwrap_or_default();
    let text = match leading_int(value) {
        _ if value.is_empty() => "No duration value provided for the timeout ('t') option.",
        Some(n) if n >= 0 => return,
        _ => "Duration value provided for timeout ('t') option must be 0 or greater.",
    };
    let what = match arg {
        None => String::from("option 't' has no number of seconds"),
        Some(v) => format!("option 't({v})' is not a number of seconds"),
    };
    out.push(
        Diagnostic::warning(MALFORMED_OPTION, format!("{} {what}", p.app()))
        .with_span(span)
        .with_label("not a timeout")
        .with_help(format!(
            "Asterisk logs \"{text}\" and stops reading {}'s arguments there: the call is still parked, but \
             every option and the lot name are ignored (the channel's PARKINGLOT or the default lot, with the lot's \
             own timeout); write the timeout in whole seconds, e.g. t(60)",
            p.app()
        ))
        .with_log(LogLine::new(LogLevel::Error, "parking_applications.c", text)),
    );
}

/// What C's `sscanf("%d")` reads at the start of `s` (leading blanks, a sign, digits).
fn leading_int(s: &str) -> Option<i64> {
    let t = s.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n = digits.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    let v: i64 = digits[..n.min(18)].parse().ok()?;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Vec<(char, Option<&str>, bool)> {
        letters(s)
            .map(|r| match r {
                Ok(l) => (l.letter as char, l.arg, true),
                Err(u) => (u.letter as char, Some(u.rest), false),
            })
            .collect()
    }

    #[test]
    fn letters_like_ast_app_parse_options() {
        assert_eq!(
            read("kU(sub^a(b))T"),
            [
                ('k', None, true),
                ('U', Some("sub^a(b)"), true),
                ('T', None, true)
            ]
        );
        assert_eq!(
            read("tL(600"),
            [('t', None, true), ('L', Some("600"), false)]
        );
        assert_eq!(read("c()"), [('c', Some(""), true)]);
    }

    #[test]
    fn sscanf_int() {
        assert_eq!(leading_int("60"), Some(60));
        assert_eq!(leading_int(" 10s"), Some(10));
        assert_eq!(leading_int("-1"), Some(-1));
        assert_eq!(leading_int("abc"), None);
    }
}
