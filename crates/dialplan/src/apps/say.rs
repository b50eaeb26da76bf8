//! `SayDigits(digits)`, `SayNumber(number[,gender])`, `SayAlpha(string)`, `SayPhonetic(string)`
//! (main/pbx_builtins.c, main/say.c, English): each plays a sequence of prompts from the catalogue. A
//! character without a prompt in the catalogue is skipped, as Asterisk skips files that do not exist. The
//! prompts can be interrupted by a digit only when `SAY_DTMF_INTERRUPT` is true.

use crate::diag::LogLevel;
use crate::engine::lang::Heard;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

pub struct SayDigits;
pub struct SayNumber;
pub struct SayAlpha;
pub struct SayPhonetic;
pub struct SayAlphaCase;
pub struct SayOrdinal;
pub struct SayMoney;

/// `enum ast_say_case_sensitivity`: which letters SayAlphaCase announces the case of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseSensitivity {
    None,
    Upper,
    Lower,
    All,
}

fn punctuation(c: char) -> Option<&'static str> {
    Some(match c {
        '*' => "digits/star",
        '#' => "digits/pound",
        '!' => "letters/exclaimation-point",
        '@' => "letters/at",
        '$' => "letters/dollar",
        '-' => "letters/dash",
        '.' => "letters/dot",
        '=' => "letters/equals",
        '+' => "letters/plus",
        '/' => "letters/slash",
        ' ' => "letters/space",
        _ => return None,
    })
}

/// SayDigits' prompts (before the existence filter).
pub fn digit_prompts(s: &str) -> Vec<String> {
    s.chars()
        .filter_map(|c| match c {
            '*' => Some("digits/star".to_string()),
            '#' => Some("digits/pound".to_string()),
            '-' => Some("digits/minus".to_string()),
            '0'..='9' => Some(format!("digits/{c}")),
            _ => None,
        })
        .collect()
}

/// SayAlpha's prompts: each candidate, then the `letters/ascii<N>` fallback.
pub fn alpha_prompts(s: &str) -> Vec<(String, String)> {
    alpha_case_prompts(s, CaseSensitivity::None)
}

/// `ast_get_character_str` (main/say.c): each character's candidate prompt and its `letters/ascii<N>`
/// fallback; with case sensitivity, an announced letter is preceded by `uppercase`/`lowercase` (whose
/// fallback is the letter's ascii prompt).
pub fn alpha_case_prompts(s: &str, case: CaseSensitivity) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for b in s.bytes() {
        let c = char::from(b);
        let ascii = format!("letters/ascii{}", b as i8);
        let announce = match case {
            CaseSensitivity::None => None,
            CaseSensitivity::Upper => c.is_ascii_uppercase().then_some("uppercase"),
            CaseSensitivity::Lower => c.is_ascii_lowercase().then_some("lowercase"),
            CaseSensitivity::All => {
                if c.is_ascii_uppercase() {
                    Some("uppercase")
                } else if c.is_ascii_lowercase() {
                    Some("lowercase")
                } else {
                    None
                }
            }
        };
        if let Some(a) = announce.filter(|_| punctuation(c).is_none()) {
            out.push((a.to_string(), ascii.clone()));
        }
        let main = match punctuation(c) {
            Some(p) => p.to_string(),
            None if c.is_ascii_digit() => format!("digits/{c}"),
            None => format!("letters/{}", c.to_ascii_lowercase()),
        };
        out.push((main, ascii));
    }
    out
}

/// `get_ordinal_str_en` (main/say.c): the prompts that say `n` as an ordinal (none for 0), and whether
/// it was too big (Asterisk's "is too big for me" warning; what was gathered before still plays).
pub fn ordinal_prompts(n: i32) -> (Vec<String>, bool) {
    let mut out: Vec<String> = Vec::new();
    let mut num = i64::from(n);
    let mut hundred = false;
    while num != 0 || hundred {
        if num < 0 {
            out.push("digits/minus".to_string());
            num = if n == i32::MIN { 0 } else { -num };
        } else if hundred {
            out.push(
                if num % 100 == 0 {
                    "digits/h-hundred"
                } else {
                    "digits/hundred"
                }
                .to_string(),
            );
            hundred = false;
        } else if num < 20 {
            out.push(format!("digits/h-{num}"));
            num = 0;
        } else if num < 100 {
            let base = num / 10 * 10;
            out.push(if base == num {
                format!("digits/h-{base}")
            } else {
                format!("digits/{base}")
            });
            num %= 10;
        } else if num < 1000 {
            out.push(format!("digits/{}", num / 100));
            hundred = true;
            num %= 100;
        } else {
            let (unit, plain, ordinal) = if num < 1_000_000 {
                (1000, "digits/thousand", "digits/h-thousand")
            } else if num < 1_000_000_000 {
                (1_000_000, "digits/million", "digits/h-million")
            } else if num < i64::from(i32::MAX) {
                (1_000_000_000, "digits/billion", "digits/h-billion")
            } else {
                return (out, true);
            };
            out.extend(number_prompts((num / unit) as i32).unwrap_or_default());
            num %= unit;
            out.push(if num == 0 { ordinal } else { plain }.to_string());
        }
    }
    (out, false)
}

/// `ast_get_money_en_dollars_str` (main/say.c): the prompts that say an amount of dollars and cents,
/// read as `sscanf` reads `%d.%02u` (or `.%02u`); `None` for an empty text.
pub fn money_prompts(s: &str) -> Option<Vec<String>> {
    if s.is_empty() {
        return None;
    }
    let (dollars, cents) = if let Some(rest) = s.strip_prefix('.') {
        match scan_unsigned2(rest) {
            Some((c, _)) if rest.bytes().next().is_some_and(|b| b.is_ascii_digit()) => (0i32, c),
            Some(_) => (0, 0),
            None => (0, 0),
        }
    } else {
        match scan_int(s) {
            None => (0, 0),
            Some((d, after)) => match after.strip_prefix('.').and_then(scan_unsigned2) {
                Some((c, _)) => {
                    let period_digit = s
                        .find('.')
                        .and_then(|i| s.as_bytes().get(i + 1))
                        .is_some_and(u8::is_ascii_digit);
                    (d, if period_digit { c } else { 0 })
                }
                None => (d, 0),
            },
        }
    };
    // C: `dollars * 100 + cents` in unsigned arithmetic, stored in an int.
    let amt = (dollars as u32).wrapping_mul(100).wrapping_add(cents) as i32;
    let mut out = Vec::new();
    if amt >= 100 {
        out.extend(number_prompts(amt / 100).unwrap_or_default());
        out.push(
            if amt < 200 {
                if cents > 0 {
                    "letters/dollar_"
                } else {
                    "letters/dollar"
                }
            } else {
                "dollars"
            }
            .to_string(),
        );
        if cents > 0 {
            out.push("and".to_string());
        }
    }
    if cents > 0 {
        out.extend(number_prompts(cents as i32).unwrap_or_default());
        out.push(if cents == 1 { "cent" } else { "cents" }.to_string());
    } else if amt == 0 {
        out.push("digits/0".to_string());
        out.push("cents".to_string());
    }
    Some(out)
}

/// `sscanf("%d")`: blanks, a sign, digits; the value (wrapped to an int) and the rest.
fn scan_int(s: &str) -> Option<(i32, &str)> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let mut v: i64 = 0;
    for b in t[..digits].bytes() {
        v = v.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    let v = if neg { -v } else { v };
    Some((
        v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
        &t[digits..],
    ))
}

/// `sscanf("%02u")`: blanks, then at most two characters of a sign and digits.
fn scan_unsigned2(s: &str) -> Option<(u32, &str)> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, sign) = match t.as_bytes().first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let digits = t[sign..]
        .bytes()
        .take(2 - sign)
        .take_while(u8::is_ascii_digit)
        .count();
    if digits == 0 {
        return None;
    }
    let v: u32 = t[sign..sign + digits]
        .bytes()
        .fold(0, |a, b| a * 10 + u32::from(b - b'0'));
    Some((if neg { v.wrapping_neg() } else { v }, &t[sign + digits..]))
}

/// SayPhonetic's prompts.
pub fn phonetic_prompts(s: &str) -> Vec<String> {
    s.chars()
        .map(|c| match punctuation(c) {
            Some(p) => p.to_string(),
            None if ('0'..='8').contains(&c) => format!("digits/{c}"),
            None => format!("phonetic/{}_p", c.to_ascii_lowercase()),
        })
        .collect()
}

/// `get_number_str_en`: the prompts that say `n`; `None` when it is too big.
pub fn number_prompts(n: i32) -> Option<Vec<String>> {
    if n == 0 {
        return Some(vec!["digits/0".to_string()]);
    }
    let mut out = Vec::new();
    let mut num = i64::from(n);
    let mut hundred = false;
    while num != 0 || hundred {
        if num < 0 {
            out.push("digits/minus".to_string());
            num = if n == i32::MIN { 0 } else { -num };
        } else if hundred {
            out.push("digits/hundred".to_string());
            hundred = false;
        } else if num < 20 {
            out.push(format!("digits/{num}"));
            num = 0;
        } else if num < 100 {
            out.push(format!("digits/{}", num / 10 * 10));
            num %= 10;
        } else if num < 1000 {
            out.push(format!("digits/{}", num / 100));
            hundred = true;
            num %= 100;
        } else {
            let (unit, word) = if num < 1_000_000 {
                (1000, "digits/thousand")
            } else if num < 1_000_000_000 {
                (1_000_000, "digits/million")
            } else if num < i64::from(i32::MAX) {
                (1_000_000_000, "digits/billion")
            } else {
                return None;
            };
            out.extend(number_prompts((num / unit) as i32)?);
            out.push(word.to_string());
            num %= unit;
        }
    }
    Some(out)
}

/// What a say does with a prompt that does not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OnMissing {
    /// `say_filenames`: stop with -1 (after Asterisk's warnings).
    Stop,
    /// `ast_say_number_full_en`: go on with the next prompt, silently.
    Skip,
}

/// `say_filenames` (main/say.c): plays each file in turn; a missing one stops with -1 or is skipped, as
/// `missing` says; a digit of `AST_DIGIT_ANY` (when interrupting) stops with the digit.
async fn say_filenames(
    engine: &Engine,
    chan: ChannelId,
    files: Vec<String>,
    interrupt: bool,
    missing: OnMissing,
) -> SayEnd {
    let stop = if interrupt { "0123456789*#ABCD" } else { "" };
    for f in files {
        if missing == OnMissing::Skip && engine.prompts().get(&f).is_none() {
            continue;
        }
        match engine.play_until_digit(chan, &f, stop).await {
            Ok(Heard::Digit(d)) => return SayEnd::Said(AppResult::Digit(d)),
            Ok(Heard::Missing) => return SayEnd::Missing,
            Ok(Heard::Done) => {}
            Err(_) => return SayEnd::Said(AppResult::Hangup),
        }
    }
    SayEnd::Said(AppResult::Continue)
}

/// How `say_filenames` ended: -1 for a file that does not exist, or what the playing gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SayEnd {
    Missing,
    Said(AppResult),
}

impl SayEnd {
    /// The application's return: a missing file is -1.
    fn result(self) -> AppResult {
        match self {
            SayEnd::Missing => AppResult::Hangup,
            SayEnd::Said(r) => r,
        }
    }
}

/// The existing files of `ast_get_character_str`'s candidates (each, else its ascii fallback).
fn existing_alpha(engine: &Engine, candidates: Vec<(String, String)>) -> Vec<String> {
    let p = engine.prompts();
    candidates
        .into_iter()
        .filter_map(|(main, ascii)| {
            if p.get(&main).is_some() {
                Some(main)
            } else {
                p.get(&ascii).is_some().then_some(ascii)
            }
        })
        .collect()
}

/// SayNumber's and SayOrdinal's `number[,gender]` as pbx_builtins.c reads them (the first 255 characters):
/// the number and its value, or what the application does instead — hang up without an argument or with a
/// gender other than `f`, `m`, `c`, `n`; go on when the number does not parse.
fn number_args(engine: &Engine, app: &str, data: &str) -> Result<(String, i32), Exec> {
    const SRC: &str = "pbx_builtins.c";
    if data.is_empty() {
        engine.log(LogLevel::Warning, SRC, || {
            format!("{app} requires an argument (number)")
        });
        return Err(Exec::Done(AppResult::Hangup));
    }
    let tmp: String = data.chars().take(255).collect();
    let mut parts = tmp.splitn(3, ',');
    let number = parts.next().unwrap_or("").to_string();
    let Ok(n) = number.trim().parse::<i32>() else {
        engine.log(LogLevel::Warning, SRC, || {
            format!("argument '{number}' to {app} could not be parsed as a number.")
        });
        return Err(Exec::Done(AppResult::Continue));
    };
    if let Some(g) = parts.next() {
        if !["f", "m", "c", "n"]
            .iter()
            .any(|o| o.eq_ignore_ascii_case(g))
        {
            engine.log(LogLevel::Warning, SRC, || {
                format!("{app} gender option is either 'f', 'm', 'c' or 'n'")
            });
            return Err(Exec::Done(AppResult::Hangup));
        }
    }
    Ok((number, n))
}

fn interruptible(engine: &Engine, chan: ChannelId) -> bool {
    engine
        .get_var(chan, "SAY_DTMF_INTERRUPT")
        .is_some_and(|v| crate::expr::cond::ast_true(&v))
}

/// Says `files` as main/say.c's `say_filenames` does and returns its result (a digit only when
/// `SAY_DTMF_INTERRUPT` is on; a missing prompt stops the say with -1).
fn say_all(engine: &Engine, chan: ChannelId, files: Vec<String>) -> Exec {
    let interrupt = interruptible(engine, chan);
    let engine = engine.clone();
    Exec::Pending(Box::pin(async move {
        say_filenames(&engine, chan, files, interrupt, OnMissing::Stop)
            .await
            .result()
    }))
}

/// SayNumber's English path (main/say.c `ast_say_number_full_en`): a prompt that does not exist is
/// skipped, not an error; the result is a digit only when interrupting.
fn run(engine: &Engine, chan: ChannelId, files: Vec<String>) -> Exec {
    let interrupt = interruptible(engine, chan);
    let engine = engine.clone();
    Exec::Pending(Box::pin(async move {
        let r = say_filenames(&engine, chan, files, interrupt, OnMissing::Skip)
            .await
            .result();
        if interrupt || r == AppResult::Hangup {
            r
        } else {
            AppResult::Continue
        }
    }))
}

impl App for SayDigits {
    fn name(&self) -> &'static str {
        "SayDigits"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        say_all(engine, chan, digit_prompts(data))
    }
}

impl App for SayAlpha {
    fn name(&self) -> &'static str {
        "SayAlpha"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let files = existing_alpha(engine, alpha_prompts(data));
        say_all(engine, chan, files)
    }
}

impl App for SayAlphaCase {
    fn name(&self) -> &'static str {
        "SayAlphaCase"
    }

    /// pbx_builtin_saycharacters_case: `options,characters`, one option of `a`, `l`, `n`, `u`.
    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        const SRC: &str = "pbx_builtins.c";
        if data.is_empty() {
            engine.log(LogLevel::Warning, SRC, || {
                "SayAlphaCase requires two arguments (options, characters)".to_string()
            });
            return Exec::Done(AppResult::Continue);
        }
        let args = crate::expr::functions::split_args(data, 2);
        let options = args.first().map(String::as_str).unwrap_or("");
        let characters = args.get(1).cloned().unwrap_or_default();
        if options.len() != 1 {
            engine.log(LogLevel::Warning, SRC, || {
                "SayAlphaCase options are mutually exclusive and required".to_string()
            });
            return Exec::Done(AppResult::Continue);
        }
        let case = match options {
            "a" => CaseSensitivity::All,
            "l" => CaseSensitivity::Lower,
            "n" => CaseSensitivity::None,
            "u" => CaseSensitivity::Upper,
            _ => {
                let o = options.to_string();
                engine.log(LogLevel::Warning, SRC, || format!("Invalid option: '{o}'"));
                return Exec::Done(AppResult::Continue);
            }
        };
        let files = existing_alpha(engine, alpha_case_prompts(&characters, case));
        say_all(engine, chan, files)
    }
}

impl App for SayOrdinal {
    fn name(&self) -> &'static str {
        "SayOrdinal"
    }

    /// pbx_builtin_sayordinal: `number[,gender]`; returns the say's result only when interrupting.
    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        const SRC: &str = "pbx_builtins.c";
        let (number, n) = match number_args(engine, "SayOrdinal", data) {
            Ok(parsed) => parsed,
            Err(done) => return done,
        };
        let (files, too_big) = ordinal_prompts(n);
        if too_big {
            engine.log(LogLevel::Warning, "say.c", || {
                format!("Number '{}' is too big for me", i32::MAX)
            });
        }
        let interrupt = interruptible(engine, chan);
        let engine = engine.clone();
        Exec::Pending(Box::pin(async move {
            let end = say_filenames(&engine, chan, files, interrupt, OnMissing::Stop).await;
            if end == SayEnd::Missing {
                engine.log(LogLevel::Warning, SRC, || {
                    format!("We were unable to say the number {number}, is it too large?")
                });
            }
            if interrupt {
                end.result()
            } else {
                AppResult::Continue
            }
        }))
    }
}

impl App for SayMoney {
    fn name(&self) -> &'static str {
        "SayMoney"
    }

    /// pbx_builtin_saymoney: the amount in dollars and cents (English prompts).
    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let files = money_prompts(data).unwrap_or_default();
        say_all(engine, chan, files)
    }
}

impl App for SayPhonetic {
    fn name(&self) -> &'static str {
        "SayPhonetic"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        say_all(engine, chan, phonetic_prompts(data))
    }
}

impl App for SayNumber {
    fn name(&self) -> &'static str {
        "SayNumber"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let (number, n) = match number_args(engine, "SayNumber", data) {
            Ok(parsed) => parsed,
            Err(done) => return done,
        };
        match number_prompts(n) {
            Some(files) => run(engine, chan, files),
            None => {
                engine.log(LogLevel::Warning, "say.c", || {
                    format!("Number '{n}' is too big for me")
                });
                engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                    format!("We were unable to say the number {number}, is it too large?")
                });
                Exec::Done(AppResult::Continue)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences() {
        assert_eq!(
            digit_prompts("1*#-x"),
            ["digits/1", "digits/star", "digits/pound", "digits/minus"]
        );
        assert_eq!(
            number_prompts(1234).unwrap(),
            [
                "digits/1",
                "digits/thousand",
                "digits/2",
                "digits/hundred",
                "digits/30",
                "digits/4"
            ]
        );
        assert_eq!(number_prompts(-15).unwrap(), ["digits/minus", "digits/15"]);
        assert_eq!(
            number_prompts(2_000_000).unwrap(),
            ["digits/2", "digits/million"]
        );
        assert_eq!(number_prompts(0).unwrap(), ["digits/0"]);
        assert_eq!(phonetic_prompts("a9"), ["phonetic/a_p", "phonetic/9_p"]);
        assert_eq!(alpha_prompts("A1")[0].0, "letters/a");
        assert_eq!(alpha_prompts("~")[0].1, "letters/ascii126");
        // main/say.c ast_get_character_str: an announced letter is preceded by its case.
        let names = |v: Vec<(String, String)>| v.into_iter().map(|(m, _)| m).collect::<Vec<_>>();
        assert_eq!(
            names(alpha_case_prompts("aB1", CaseSensitivity::All)),
            [
                "lowercase",
                "letters/a",
                "uppercase",
                "letters/b",
                "digits/1"
            ]
        );
        assert_eq!(
            names(alpha_case_prompts("aB", CaseSensitivity::Upper)),
            ["letters/a", "uppercase", "letters/b"]
        );
        // get_ordinal_str_en.
        assert_eq!(ordinal_prompts(0), (Vec::<String>::new(), false));
        assert_eq!(ordinal_prompts(3).0, ["digits/h-3"]);
        assert_eq!(ordinal_prompts(40).0, ["digits/h-40"]);
        assert_eq!(ordinal_prompts(42).0, ["digits/40", "digits/h-2"]);
        assert_eq!(ordinal_prompts(300).0, ["digits/3", "digits/h-hundred"]);
        assert_eq!(
            ordinal_prompts(1001).0,
            ["digits/1", "digits/thousand", "digits/h-1"]
        );
        assert_eq!(ordinal_prompts(2000).0, ["digits/2", "digits/h-thousand"]);
        assert_eq!(ordinal_prompts(i32::MAX), (Vec::<String>::new(), true));
        // ast_get_money_en_dollars_str.
        assert_eq!(
            money_prompts("1.50").unwrap(),
            ["digits/1", "letters/dollar_", "and", "digits/50", "cents"]
        );
        assert_eq!(money_prompts("1").unwrap(), ["digits/1", "letters/dollar"]);
        assert_eq!(money_prompts("12").unwrap(), ["digits/12", "dollars"]);
        assert_eq!(money_prompts(".5").unwrap(), ["digits/5", "cents"]);
        assert_eq!(money_prompts("0.01").unwrap(), ["digits/1", "cent"]);
        assert_eq!(money_prompts("x").unwrap(), ["digits/0", "cents"]);
        assert_eq!(money_prompts("3. 5").unwrap(), ["digits/3", "dollars"]);
        assert_eq!(money_prompts(""), None);
    }
}
