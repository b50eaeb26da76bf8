//! `REGEX("regex" string)` (funcs/func_strings.c): `1` when the POSIX extended regular expression matches
//! anywhere in the string, else `0`. The argument is split on `"` (so the pattern must be quoted); one blank
//! after the closing quote is skipped. A bad pattern logs glibc's `regerror` text.

use super::util::{flag, log};
use super::Function;
use crate::diag::LogLevel;
use crate::expr::args::{separate_args, ArgMode};
use crate::expr::expression::regex::{Anchor, Regex};
use crate::expr::{Effects, FuncError, VarContext};

pub struct RegexFn;

/// The pattern and subject of a REGEX call, or `None` when the quoting is wrong.
pub fn parse(args: &str) -> Option<(String, String)> {
    let a = separate_args(args, '"', ArgMode::Standard, 3);
    if a.len() != 3 {
        return None;
    }
    let s = &a[2];
    let subject = s.strip_prefix([' ', '\t']).unwrap_or(s);
    Some((a[1].clone(), subject.to_string()))
}

impl Function for RegexFn {
    fn name(&self) -> &'static str {
        "REGEX"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let Some((pattern, subject)) = parse(args) else {
            log(
                fx,
                LogLevel::Error,
                "func_strings.c",
                "Unexpected arguments: should have been in the form '\"<regex>\" <string>'",
            );
            return Err(FuncError::Failed);
        };
        match Regex::new(&pattern) {
            Ok(re) => Ok(flag(re.find(&subject, Anchor::Anywhere).is_some())),
            Err(e) => {
                // Asterisk logs the argument as its split left it: up to the first quote.
                let shown = args.split('"').next().unwrap_or("");
                log(
                    fx,
                    LogLevel::Warning,
                    "func_strings.c",
                    format!("Malformed input REGEX({shown}): {}", e.message()),
                );
                Err(FuncError::Failed)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn parses() {
        assert_eq!(
            parse("\"^1[0-9]+$\" 1234"),
            Some(("^1[0-9]+$".to_string(), "1234".to_string()))
        );
        assert_eq!(parse("^1 1234"), None);
        assert_eq!(parse("\"a\"b"), Some(("a".to_string(), "b".to_string())));
    }
}
