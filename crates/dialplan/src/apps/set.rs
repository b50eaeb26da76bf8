//! `Set(name=value)` (`pbx_builtin_setvar`): everything after the first `=` is the value. A name starting
//! with `_` or `__` makes the variable inheritable; a name ending in `)` writes a dialplan function; no `=`
//! warns `Set requires an '=' to be a valid assignment.`; a space in the name warns too. Always 0.

use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

pub struct Set;

/// Parsed arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args<'a> {
    pub name: &'a str,
    pub value: &'a str,
}

/// Why Set did nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// `Set requires one variable name/value pair.`
    Empty,
    /// `Set requires an '=' to be a valid assignment.`
    NoEquals,
}

pub fn parse(data: &str) -> Result<Args<'_>, ParseError> {
    if data.is_empty() {
        return Err(ParseError::Empty);
    }
    let (name, value) = data.split_once('=').ok_or(ParseError::NoEquals)?;
    Ok(Args { name, value })
}

impl App for Set {
    fn name(&self) -> &'static str {
        "Set"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        match parse(data) {
            Err(ParseError::Empty) => {
                engine.log(LogLevel::Warning, "pbx_variables.c", || {
                    "Set requires one variable name/value pair.".to_string()
                });
            }
            Err(ParseError::NoEquals) => {
                engine.log(LogLevel::Warning, "pbx_variables.c", || {
                    "Set requires an '=' to be a valid assignment.".to_string()
                });
            }
            Ok(a) => {
                if a.name.contains(' ') {
                    engine.log(LogLevel::Warning, "pbx_variables.c", || {
                        format!(
                            "Please avoid unnecessary spaces on variables as it may lead to unexpected results ('{}' set to '{}').",
                            a.name, a.value
                        )
                    });
                }
                engine.setvar_helper(chan, a.name, a.value);
            }
        }
        Exec::Done(AppResult::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse(""), Err(ParseError::Empty));
        assert_eq!(parse("X"), Err(ParseError::NoEquals));
        let a = parse("X=a=b").unwrap();
        assert_eq!((a.name, a.value), ("X", "a=b"));
        let a = parse("__Y=").unwrap();
        assert_eq!((a.name, a.value), ("__Y", ""));
    }
}
