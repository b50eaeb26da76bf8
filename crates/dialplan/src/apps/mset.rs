//! `MSet(name1=value1[,name2=value2…])` (`pbx_builtin_setvar_multiple`): several variables at once. Pairs
//! are split the standard way (quotes removed), each at its first `=`; a pair without `=` is skipped with a
//! warning.

use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};
use crate::expr::args::{separate_args, ArgMode};

pub struct MSet;

/// One pair: `Ok((name, value))`, or `Err(name)` without `=`.
pub fn parse(data: &str) -> Vec<Result<(String, String), String>> {
    separate_args(data, ',', ArgMode::Standard, 99)
        .into_iter()
        .map(|pair| {
            let mut p = separate_args(&pair, '=', ArgMode::Standard, 2).into_iter();
            let name = p.next().unwrap_or_default();
            match p.next() {
                Some(v) => Ok((name, v)),
                None => Err(name),
            }
        })
        .collect()
}

impl App for MSet {
    fn name(&self) -> &'static str {
        "MSet"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        if data.is_empty() {
            engine.log(LogLevel::Warning, "pbx_variables.c", || {
                "MSet requires at least one variable name/value pair.".to_string()
            });
            return Exec::Done(AppResult::Continue);
        }
        for pair in parse(data) {
            match pair {
                Ok((name, value)) => {
                    engine.setvar_helper(chan, &name, &value);
                    if name.contains(' ') {
                        engine.log(LogLevel::Warning, "pbx_variables.c", || {
                            format!("Please avoid unnecessary spaces on variables as it may lead to unexpected results ('{name}' set to '{value}').")
                        });
                    }
                }
                Err(name) => {
                    if let Some((ctx, exten, prio)) =
                        engine.with_chan(chan, |c| (c.context.clone(), c.exten.clone(), c.priority))
                    {
                        // Asterisk's message lacks its closing parenthesis.
                        engine.log(LogLevel::Warning, "pbx_variables.c", || {
                            format!("MSet: ignoring entry '{name}' with no '=' (in {exten}@{ctx}:{prio}")
                        });
                    }
                }
            }
        }
        Exec::Done(AppResult::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs() {
        assert_eq!(
            parse("A=1,B=x=y,C,\"D=a,b\""),
            [
                Ok(("A".into(), "1".into())),
                Ok(("B".into(), "x=y".into())),
                Err("C".into()),
                Ok(("D".into(), "a,b".into())),
            ]
        );
    }
}
