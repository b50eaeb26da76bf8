//! `LOCAL(var)`, `LOCAL_PEEK(n,var)` and `STACK_PEEK(n,which[,suppress])` (apps/app_stack.c): variables local
//! to the current Gosub frame, a peek at the value `n` frames up, and the return addresses on the stack.

use super::util::{engine_of, log};
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::expr::args::{separate_args, ArgMode};
use crate::expr::cnum::atoi;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Local;
pub struct LocalPeek;
pub struct StackPeek;

impl Function for Local {
    fn name(&self) -> &'static str {
        "LOCAL"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (e, chan) = engine_of(ctx, "LOCAL")?;
        let is_local = e
            .with_gosub(chan, false, |s| {
                s.frames.last().map(|f| f.locals.iter().any(|l| l == args))
            })
            .flatten();
        match is_local {
            None => Err(FuncError::Failed),
            Some(false) => Ok(String::new()),
            Some(true) => Ok(e.get_var(chan, args).unwrap_or_default()),
        }
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        let (e, chan) = engine_of(ctx, "LOCAL")?;
        if !e.has_gosub_stack(chan) {
            log(
                fx,
                LogLevel::Error,
                "app_stack.c",
                format!("Tried to set LOCAL({args}), but we aren't within a Gosub routine"),
            );
            return Err(FuncError::Failed);
        }
        e.frame_set_var(chan, args, value);
        Ok(())
    }
}

/// `LOCAL_PEEK(<n>,<varname>)`: both are needed.
const LOCAL_PEEK_RULE: super::ArgRule = super::ArgRule {
    refused: |a| {
        let a = separate_args(a, ',', ArgMode::Raw, 2);
        a.first().is_none_or(String::is_empty) || a.get(1).is_none_or(String::is_empty)
    },
    level: LogLevel::Error,
    source: "app_stack.c",
    log: "LOCAL_PEEK requires parameters n and varname",
    usage: "LOCAL_PEEK(<n>,<varname>)",
    needed: Some(2),
};

impl Function for LocalPeek {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&LOCAL_PEEK_RULE)
    }

    fn name(&self) -> &'static str {
        "LOCAL_PEEK"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = separate_args(args, ',', ArgMode::Raw, 2);
        let n = a.first().map_or("", String::as_str);
        let name = a.get(1).map_or("", String::as_str);
        if n.is_empty() || name.is_empty() {
            log(
                fx,
                LogLevel::Error,
                "app_stack.c",
                "LOCAL_PEEK requires parameters n and varname",
            );
            return Err(FuncError::Failed);
        }
        let n = atoi(n);
        let (e, chan) = engine_of(ctx, "LOCAL_PEEK")?;
        let v = e
            .with_chan(chan, |c| {
                let mut found = 0;
                c.vars
                    .iter()
                    .find(|v| {
                        if v.name() == name {
                            found += 1;
                            found > n
                        } else {
                            false
                        }
                    })
                    .map(|v| v.value().to_string())
            })
            .flatten();
        Ok(v.unwrap_or_default())
    }
}

/// `STACK_PEEK(<n>,<which>[,<suppress>])`: the first two are needed.
const STACK_PEEK_RULE: super::ArgRule = super::ArgRule {
    refused: |a| {
        let a = super::split_args(a, 3);
        a.first().is_none_or(String::is_empty) || a.get(1).is_none_or(String::is_empty)
    },
    level: LogLevel::Error,
    source: "app_stack.c",
    log: "STACK_PEEK requires parameters n and which",
    usage: "STACK_PEEK(<n>,<which>[,<suppress>])",
    needed: Some(2),
};

impl Function for StackPeek {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&STACK_PEEK_RULE)
    }

    fn name(&self) -> &'static str {
        "STACK_PEEK"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        const SRC: &str = "app_stack.c";
        let a = split_args(args, 3);
        let get = |i: usize| a.get(i).map_or("", String::as_str);
        if get(0).is_empty() || get(1).is_empty() {
            log(
                fx,
                LogLevel::Error,
                SRC,
                "STACK_PEEK requires parameters n and which",
            );
            return Err(FuncError::Failed);
        }
        let n = atoi(get(0));
        if n <= 0 {
            log(
                fx,
                LogLevel::Error,
                SRC,
                "STACK_PEEK must be called with a positive peek value",
            );
            return Err(FuncError::Failed);
        }
        let suppress = crate::expr::cond::ast_true(get(2));
        let (e, chan) = engine_of(ctx, "STACK_PEEK")?;
        let frame = e.with_gosub(chan, false, |s| {
            s.frames.iter().rev().nth(n as usize - 1).cloned()
        });
        let frame = match frame {
            None => {
                if !suppress {
                    log(
                        fx,
                        LogLevel::Error,
                        SRC,
                        "STACK_PEEK called on a channel without a gosub stack",
                    );
                }
                return Err(FuncError::Failed);
            }
            Some(None) => {
                if !suppress {
                    log(
                        fx,
                        LogLevel::Error,
                        SRC,
                        format!(
                            "Stack peek of '{}' is more stack frames than I have",
                            get(0)
                        ),
                    );
                }
                return Err(FuncError::Failed);
            }
            Some(Some(f)) => f,
        };
        let which = get(1).trim_start_matches(|c: char| (c as u32) < 33);
        Ok(match which.chars().next() {
            Some('l') => format!("{},{},{}", frame.context, frame.exten, frame.priority - 1),
            Some('c') => frame.context,
            Some('e') => frame.exten,
            Some('p') => (frame.priority - 1).to_string(),
            _ => {
                log(
                    fx,
                    LogLevel::Error,
                    SRC,
                    format!("Unknown argument '{which}' to STACK_PEEK"),
                );
                String::new()
            }
        })
    }
}
