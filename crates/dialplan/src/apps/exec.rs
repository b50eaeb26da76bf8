//! `Exec(app(args))` and `TryExec(app(args))` (apps/app_exec.c): run another application without an
//! `Executing` line of its own. The inner arguments are substituted once more. `Exec` returns what the
//! application returns (an unknown one: WARNING `Could not find application (…)` and −1); `TryExec` always
//! returns 0 and reports in `TRYSTATUS`: `SUCCESS`, `FAILED` (the application returned non-zero) or
//! `NOAPP`.

use super::execif::split_call;
use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

/// Which of the two applications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    /// `Exec`: transparent.
    Exec,
    /// `TryExec`: never fails, sets `TRYSTATUS`.
    Try,
}

pub struct ExecApp(pub Flavour);

/// `app(args)` → the application name and its arguments (`None` without a `(`: exec_exec passes NULL,
/// which pbx_exec turns into an empty string).
pub fn parse(data: &str) -> (String, Option<String>) {
    let call = split_call(data);
    let args = data.contains('(').then_some(call.args);
    (call.app, args)
}

impl App for ExecApp {
    fn name(&self) -> &'static str {
        match self.0 {
            Flavour::Exec => "Exec",
            Flavour::Try => "TryExec",
        }
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        if data.is_empty() {
            return Exec::Done(AppResult::Continue);
        }
        let (name, args) = parse(data);
        let args = args.map_or_else(String::new, |a| engine.substitute(chan, &a).into_owned());
        let Some(app) = engine.find_app(&name) else {
            engine.log(LogLevel::Warning, "app_exec.c", || {
                format!("Could not find application ({name})")
            });
            return match self.0 {
                Flavour::Exec => Exec::Done(AppResult::Hangup),
                Flavour::Try => {
                    engine.set_var(chan, "TRYSTATUS", Some("NOAPP"));
                    Exec::Done(AppResult::Continue)
                }
            };
        };
        let inner = app.exec(engine, chan, &args);
        if self.0 == Flavour::Exec {
            return inner;
        }
        match inner {
            Exec::Done(res) => {
                set_status(engine, chan, res);
                Exec::Done(AppResult::Continue)
            }
            Exec::Pending(fut) => {
                let engine = engine.clone();
                Exec::Pending(Box::pin(async move {
                    let res = fut.await;
                    set_status(&engine, chan, res);
                    AppResult::Continue
                }))
            }
        }
    }
}

/// `TRYSTATUS` after the application returned `res` (any non-zero return is a failure).
fn set_status(engine: &Engine, chan: ChannelId, res: AppResult) {
    let status = if res == AppResult::Continue {
        "SUCCESS"
    } else {
        "FAILED"
    };
    engine.set_var(chan, "TRYSTATUS", Some(status));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_call() {
        assert_eq!(parse("NoOp(a,b)"), ("NoOp".into(), Some("a,b".into())));
        assert_eq!(parse("Hangup"), ("Hangup".into(), None));
        assert_eq!(parse("Set(X=(1))"), ("Set".into(), Some("X=(1)".into())));
    }
}
