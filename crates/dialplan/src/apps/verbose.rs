//! `Verbose([level,]message)` (`app_verbose.c`): prints the message as a verbose line of that level
//! (0–4, default 0); an unreadable level warns `'%s' is not a verboser number` and uses 0.

use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

use super::args::{arg, standard_args};

pub struct Verbose;

/// Parsed arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    pub level: u8,
    pub message: String,
    /// The level text when it was not a number (Asterisk warns).
    pub bad_level: Option<String>,
}

/// `None` for empty data (nothing printed).
pub fn parse(data: &str) -> Option<Args> {
    if data.is_empty() {
        return None;
    }
    let a = standard_args(data, 2);
    let (level, message) = if a.len() == 1 {
        ("0", arg(&a, 0))
    } else {
        (arg(&a, 0), arg(&a, 1))
    };
    let digits: String = level
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    match digits.parse::<u64>() {
        Ok(n) => Some(Args {
            level: n.min(4) as u8,
            message: message.to_string(),
            bad_level: None,
        }),
        Err(_) => Some(Args {
            level: 0,
            message: message.to_string(),
            bad_level: Some(level.to_string()),
        }),
    }
}

impl App for Verbose {
    fn name(&self) -> &'static str {
        "Verbose"
    }

    fn exec(&self, engine: &Engine, _chan: ChannelId, data: &str) -> Exec {
        if let Some(a) = parse(data) {
            if let Some(bad) = &a.bad_level {
                engine.log(LogLevel::Warning, "app_verbose.c", || {
                    format!("'{bad}' is not a verboser number")
                });
            }
            engine.verbose(a.level, "app_verbose.c", || a.message.clone());
        }
        Exec::Done(AppResult::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse(""), None);
        let a = parse("hello").unwrap();
        assert_eq!((a.level, a.message.as_str()), (0, "hello"));
        let a = parse("3,hi there").unwrap();
        assert_eq!((a.level, a.message.as_str()), (3, "hi there"));
        let a = parse("9,x").unwrap();
        assert_eq!(a.level, 4);
        let a = parse("loud,x").unwrap();
        assert_eq!(a.bad_level.as_deref(), Some("loud"));
    }
}
