//! `ExecIf(expr?app1(args)[:app2(args)])` (apps/app_exec.c): runs one application or the other, without an
//! `Executing` line of its own, and returns what it returns. The old form `ExecIf(expr,app,args)` still
//! works with a deprecation warning.

use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};
use crate::expr::args::{separate_args, ArgMode};
use crate::expr::check_condition;

pub struct ExecIf;

/// An application call written `App(args)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub app: String,
    pub args: String,
}

/// Splits `App(args)`: the args run to the last `)`.
pub fn split_call(s: &str) -> Call {
    match s.split_once('(') {
        Some((app, rest)) => Call {
            app: app.to_string(),
            args: rest.rfind(')').map_or(rest, |i| &rest[..i]).to_string(),
        },
        None => Call {
            app: s.to_string(),
            args: String::new(),
        },
    }
}

/// What ExecIf's argument says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// `expr?t[:f]`.
    Modern {
        condition: String,
        if_true: Option<Call>,
        if_false: Option<Call>,
    },
    /// `expr,app,args` (deprecated). A missing application or argument is `None`: app_exec.c prints
    /// those as glibc prints a NULL `%s`, `(null)`, where a present but empty one prints as nothing.
    Deprecated {
        condition: String,
        app: Option<String>,
        args: Option<String>,
    },
    /// `expr?` with nothing after.
    Usage,
}

pub fn parse(data: &str) -> Parsed {
    let comma = data.find(',');
    let question = data.find('?');
    let deprecated = match (comma, question) {
        (_, None) => true,
        (Some(c), Some(q)) => c < q,
        _ => false,
    };
    if deprecated {
        let a = separate_args(data, ',', ArgMode::Standard, 3);
        return Parsed::Deprecated {
            condition: a.first().cloned().unwrap_or_default(),
            app: a.get(1).cloned(),
            args: a.get(2).cloned(),
        };
    }
    let e = separate_args(data, '?', ArgMode::Raw, 2);
    let Some(rest) = e.get(1).filter(|r| !r.is_empty()) else {
        return Parsed::Usage;
    };
    let apps = separate_args(rest, ':', ArgMode::Raw, 2);
    Parsed::Modern {
        condition: e[0].clone(),
        if_true: apps.first().map(|s| split_call(s)),
        if_false: apps.get(1).map(|s| split_call(s)),
    }
}

/// Runs `app(args)` as `pbx_exec` does (no `Executing` line); unknown: `Could not find application!`,
/// naming the application as app_exec.c's execif_exec does: `(null)` when there is none at all (`None`,
/// the deprecated form without an application), nothing when it is empty (`ExecIf(1?:X())`).
pub fn run_app(engine: &Engine, chan: ChannelId, call: Option<&Call>) -> Exec {
    let name = call.map_or("", |c| c.app.as_str());
    match engine.find_app(name).filter(|_| !name.is_empty()) {
        Some(app) => {
            let args = call.map_or("", |c| c.args.as_str()).to_string();
            app.exec(engine, chan, &args)
        }
        None => {
            engine.log(LogLevel::Warning, "app_exec.c", || {
                format!(
                    "Could not find application! ({})",
                    call.map_or("(null)", |c| c.app.as_str())
                )
            });
            Exec::Done(AppResult::Hangup)
        }
    }
}

impl App for ExecIf {
    fn name(&self) -> &'static str {
        "ExecIf"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        match parse(data) {
            Parsed::Usage => {
                engine.log(LogLevel::Error, "app_exec.c", || {
                    "Usage: ExecIf(<expr>?<appiftrue>(<args>)[:<appiffalse>(<args)])".to_string()
                });
                Exec::Done(AppResult::Hangup)
            }
            Parsed::Deprecated {
                condition,
                app,
                args,
            } => {
                engine.log(LogLevel::Warning, "app_exec.c", || {
                    format!(
                        "Deprecated syntax found.  Please upgrade to using ExecIf(<expr>?{}({}))",
                        app.as_deref().unwrap_or("(null)"),
                        args.as_deref().unwrap_or("(null)")
                    )
                });
                if check_condition(&condition) {
                    let call = app.map(|app| Call {
                        app,
                        args: args.unwrap_or_default(),
                    });
                    run_app(engine, chan, call.as_ref())
                } else {
                    Exec::Done(AppResult::Continue)
                }
            }
            Parsed::Modern {
                condition,
                if_true,
                if_false,
            } => {
                if check_condition(&condition) {
                    run_app(engine, chan, if_true.as_ref())
                } else if if_false.as_ref().is_some_and(|f| !f.app.is_empty()) {
                    run_app(engine, chan, if_false.as_ref())
                } else {
                    Exec::Done(AppResult::Continue)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(
            parse("${X}?Set(A=1):NoOp(no)"),
            Parsed::Modern {
                condition: "${X}".into(),
                if_true: Some(Call {
                    app: "Set".into(),
                    args: "A=1".into()
                }),
                if_false: Some(Call {
                    app: "NoOp".into(),
                    args: "no".into()
                }),
            }
        );
        assert_eq!(
            parse("1,NoOp,x"),
            Parsed::Deprecated {
                condition: "1".into(),
                app: Some("NoOp".into()),
                args: Some("x".into()),
            }
        );
        // app_exec.c execif_exec: no `?` is the deprecated form; what is missing stays NULL.
        assert_eq!(
            parse("1"),
            Parsed::Deprecated {
                condition: "1".into(),
                app: None,
                args: None,
            }
        );
        assert_eq!(
            parse("1,NoOp"),
            Parsed::Deprecated {
                condition: "1".into(),
                app: Some("NoOp".into()),
                args: None,
            }
        );
        assert_eq!(parse("1?"), Parsed::Usage);
        assert_eq!(
            split_call("Hangup"),
            Call {
                app: "Hangup".into(),
                args: String::new()
            }
        );
    }
}
