//! `GotoIf(condition?[labeliftrue][:labeliffalse])` (`pbx_builtin_gotoif`): the branch chosen by the
//! dialplan truth rule (`pbx_checkcondition`: empty is false, a number is its value, other text is true);
//! an empty chosen branch continues with the next priority; otherwise as [`super::goto`].

use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

pub struct GotoIf;

/// Parsed arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args<'a> {
    pub condition: &'a str,
    pub if_true: Option<&'a str>,
    pub if_false: Option<&'a str>,
}

/// `None` for empty data (`Ignoring, since there is no variable to check`).
pub fn parse(data: &str) -> Option<Args<'_>> {
    if data.is_empty() {
        return None;
    }
    let (condition, rest) = match data.split_once('?') {
        Some((c, r)) => (c, Some(r)),
        None => (data, None),
    };
    let (t, f) = match rest {
        None => (None, None),
        Some(r) => match r.split_once(':') {
            Some((t, f)) => (Some(t), Some(f)),
            None => (Some(r), None),
        },
    };
    Some(Args {
        condition,
        if_true: t,
        if_false: f,
    })
}

/// `pbx_checkcondition` (from [`crate::expr`]).
pub use crate::expr::check_condition;

impl App for GotoIf {
    fn name(&self) -> &'static str {
        "GotoIf"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let Some(a) = parse(data) else {
            engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                "Ignoring, since there is no variable to check".to_string()
            });
            return Exec::Done(AppResult::Continue);
        };
        let branch = if check_condition(a.condition) {
            a.if_true
        } else {
            a.if_false
        };
        let Some(branch) = branch.filter(|b| !b.is_empty()) else {
            return Exec::Done(AppResult::Continue);
        };
        Exec::Done(match super::goto::explicit(engine, chan, branch) {
            Ok(()) => AppResult::Continue,
            Err(_) => AppResult::Hangup,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        let a = parse("1?yes:no").unwrap();
        assert_eq!(a.if_true, Some("yes"));
        assert_eq!(a.if_false, Some("no"));
        let a = parse("0?a,b,1").unwrap();
        assert_eq!(a.if_false, None);
        let a = parse("1").unwrap();
        assert_eq!(a.if_true, None);
        assert!(parse("").is_none());
        // Everything after the first ':' is the false branch.
        let a = parse("0?a:b:c").unwrap();
        assert_eq!(a.if_false, Some("b:c"));
    }

    #[test]
    fn truth_rule() {
        assert!(!check_condition(""));
        assert!(!check_condition("0"));
        assert!(check_condition("abc"));
        assert!(check_condition("1"));
        assert!(!check_condition("0.5"));
        assert!(check_condition("-1"));
    }
}
