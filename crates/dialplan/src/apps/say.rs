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
    s.bytes()
        .map(|b| {
            let c = char::from(b);
            let main = match punctuation(c) {
                Some(p) => p.to_string(),
                None if c.is_ascii_digit() => format!("digits/{c}"),
                None => format!("letters/{}", c.to_ascii_lowercase()),
            };
            (main, format!("letters/ascii{}", b as i8))
        })
        .collect()
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

/// Plays `files` (those the catalogue has); with `interrupt`, any digit stops and is returned.
async fn say(engine: &Engine, chan: ChannelId, files: Vec<String>, interrupt: bool) -> AppResult {
    let stop = if interrupt { "0123456789*#ABCD" } else { "" };
    for f in files {
        if engine.prompts().get(&f).is_none() {
            continue;
        }
        match engine.play_until_digit(chan, &f, stop).await {
            Ok(Heard::Digit(d)) => return AppResult::Digit(d),
            Ok(_) => {}
            Err(_) => return AppResult::Hangup,
        }
    }
    AppResult::Continue
}

fn interruptible(engine: &Engine, chan: ChannelId) -> bool {
    engine
        .get_var(chan, "SAY_DTMF_INTERRUPT")
        .is_some_and(|v| crate::expr::cond::ast_true(&v))
}

fn run(engine: &Engine, chan: ChannelId, files: Vec<String>) -> Exec {
    let interrupt = interruptible(engine, chan);
    let engine = engine.clone();
    Exec::Pending(Box::pin(async move {
        let r = say(&engine, chan, files, interrupt).await;
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
        run(engine, chan, digit_prompts(data))
    }
}

impl App for SayAlpha {
    fn name(&self) -> &'static str {
        "SayAlpha"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let files = {
            let p = engine.prompts();
            alpha_prompts(data)
                .into_iter()
                .filter_map(|(main, ascii)| {
                    if p.get(&main).is_some() {
                        Some(main)
                    } else {
                        p.get(&ascii).is_some().then_some(ascii)
                    }
                })
                .collect()
        };
        run(engine, chan, files)
    }
}

impl App for SayPhonetic {
    fn name(&self) -> &'static str {
        "SayPhonetic"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        run(engine, chan, phonetic_prompts(data))
    }
}

impl App for SayNumber {
    fn name(&self) -> &'static str {
        "SayNumber"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        if data.is_empty() {
            engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                "SayNumber requires an argument (number)".to_string()
            });
            return Exec::Done(AppResult::Hangup);
        }
        let tmp: String = data.chars().take(255).collect();
        let mut parts = tmp.splitn(3, ',');
        let number = parts.next().unwrap_or("");
        let Ok(n) = number.trim().parse::<i32>() else {
            engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                format!("argument '{number}' to SayNumber could not be parsed as a number.")
            });
            return Exec::Done(AppResult::Continue);
        };
        if let Some(g) = parts.next() {
            if !["f", "m", "c", "n"]
                .iter()
                .any(|o| o.eq_ignore_ascii_case(g))
            {
                engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                    "SayNumber gender option is either 'f', 'm', 'c' or 'n'".to_string()
                });
                return Exec::Done(AppResult::Hangup);
            }
        }
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
    }
}
