//! `DIALPLAN_EXISTS(context[,exten[,priority]])` (funcs/func_dialplan.c): `1` when the context, the
//! extension (priority 1) or the priority (a number or a label) exists, matching the caller id of the
//! channel; `0` otherwise.

use super::util::{engine_of, flag, log};
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::expr::cnum::scan_int;
use crate::expr::{Effects, FuncError, VarContext};

pub struct DialplanExists;

/// What DIALPLAN_EXISTS asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    Context(String),
    Exten(String, String),
    Priority(String, String, i32),
    Label(String, String, String),
}

/// Reads the arguments; `None` when all are empty.
pub fn parse(args: &str) -> Option<Query> {
    let a = split_args(args, 3);
    let get = |i: usize| a.get(i).cloned().unwrap_or_default();
    let (c, e, p) = (get(0), get(1), get(2));
    if !p.is_empty() {
        return Some(match scan_int(&p) {
            Some((n, _)) if n > 0 => Query::Priority(c, e, n),
            _ => Query::Label(c, e, p),
        });
    }
    if !e.is_empty() {
        return Some(Query::Exten(c, e));
    }
    (!c.is_empty()).then_some(Query::Context(c))
}

/// `DIALPLAN_EXISTS(context[,extension[,priority]])`: an empty argument is refused.
const DIALPLAN_EXISTS_RULE: super::ArgRule = super::ArgRule {
    refused: str::is_empty,
    level: crate::diag::LogLevel::Error,
    source: "func_dialplan.c",
    log: "DIALPLAN_EXISTS() requires an argument",
    usage: "DIALPLAN_EXISTS(context[,extension[,priority]])",
    needed: None,
};

impl Function for DialplanExists {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&DIALPLAN_EXISTS_RULE)
    }

    fn name(&self) -> &'static str {
        "DIALPLAN_EXISTS"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        DIALPLAN_EXISTS_RULE.apply(args, fx)?;
        let Some(q) = parse(args) else {
            log(
                fx,
                LogLevel::Error,
                "func_dialplan.c",
                "Invalid arguments provided to DIALPLAN_EXISTS",
            );
            return Err(FuncError::Failed);
        };
        let (e, chan) = engine_of(ctx, "DIALPLAN_EXISTS")?;
        let cid = e.with_chan(chan, |c| c.caller.number.clone()).flatten();
        let cid = cid.as_deref();
        let plan = e.plan();
        let yes = match &q {
            Query::Context(c) => plan.has_context(c),
            Query::Exten(c, x) => plan.exists(c, x, 1, cid),
            Query::Priority(c, x, p) => plan.exists(c, x, *p, cid),
            Query::Label(c, x, l) => plan.label(c, x, l, cid).is_some_and(|p| p > 0),
        };
        Ok(flag(yes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries() {
        assert_eq!(parse("c"), Some(Query::Context("c".into())));
        assert_eq!(parse("c,100"), Some(Query::Exten("c".into(), "100".into())));
        assert_eq!(
            parse("c,100,2"),
            Some(Query::Priority("c".into(), "100".into(), 2))
        );
        assert_eq!(
            parse("c,100,start"),
            Some(Query::Label("c".into(), "100".into(), "start".into()))
        );
        assert_eq!(parse(",,"), None);
    }
}
