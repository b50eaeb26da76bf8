//! `IFTIME(timespec?[true][:false])` (funcs/func_logic.c): the true or false text depending on whether the
//! virtual clock is inside the time specification (see [`crate::timing::TimeSpec`]). Surrounding double
//! quotes are stripped from the whole argument and from each branch.

use super::util::{engine_of, log};
use super::Function;
use crate::diag::LogLevel;
use crate::expr::cnum::strip;
use crate::expr::{Effects, FuncError, VarContext};
use crate::timing::TimeSpec;

pub struct IfTime;

/// `ast_strip_quoted(s, "\"", "\"")`.
pub fn strip_quoted(s: &str) -> &str {
    let s = strip(s);
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        &s[1..s.len() - 1]
    } else if s == "\"" {
        ""
    } else {
        s
    }
}

/// The parts of an IFTIME argument: spec, true branch, false branch.
pub fn parse(args: &str) -> Option<(&str, Option<&str>, Option<&str>)> {
    let data = strip_quoted(args);
    let (expr, rest) = match data.split_once('?') {
        Some((e, r)) => (e, Some(r)),
        None => (data, None),
    };
    let (t, f) = match rest {
        Some(r) => match r.split_once(':') {
            Some((t, f)) => (Some(t), Some(f)),
            None => (Some(r), None),
        },
        None => (None, None),
    };
    if expr.is_empty() || (t.is_none() && f.is_none()) {
        return None;
    }
    Some((expr, t, f))
}

/// `IFTIME(<timespec>?[<true>][:<false>])`: no time specification or no `?` is refused.
const IFTIME_RULE: super::ArgRule = super::ArgRule {
    refused: |a| parse(a).is_none(),
    level: crate::diag::LogLevel::Warning,
    source: "func_logic.c",
    log: "Syntax IFTIME(<timespec>?[<true>][:<false>])",
    usage: "IFTIME(<timespec>?[<true>][:<false>])",
    needed: None,
};

impl Function for IfTime {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&IFTIME_RULE)
    }

    fn name(&self) -> &'static str {
        "IFTIME"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        IFTIME_RULE.apply(args, fx)?;
        let Some((expr, t, f)) = parse(args) else {
            return Err(FuncError::Failed);
        };
        let mut lines = Vec::new();
        let spec = TimeSpec::parse(expr, &mut lines);
        for l in lines {
            fx.asterisk(
                crate::expr::codes::FUNC_USAGE,
                l.level,
                "pbx_timing.c",
                l.text,
            );
        }
        let Some(spec) = spec else {
            log(fx, LogLevel::Warning, "func_logic.c", "Invalid Time Spec.");
            return Err(FuncError::Failed);
        };
        let (e, _) = engine_of(ctx, "IFTIME")?;
        let branch = if e.check_timing(&spec) { t } else { f };
        Ok(branch.map(strip_quoted).unwrap_or("").to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        assert_eq!(
            parse("*,mon-fri,*,*?open:closed"),
            Some(("*,mon-fri,*,*", Some("open"), Some("closed")))
        );
        assert_eq!(parse("\"*?a\""), Some(("*", Some("a"), None)));
        assert_eq!(parse("*"), None);
        assert_eq!(parse("?a:b"), None);
    }
}
