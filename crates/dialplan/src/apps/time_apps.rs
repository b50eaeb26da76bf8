//! `GotoIfTime(<times>,<weekdays>,<mdays>,<months>[,<tz>]?[labeliftrue][:labeliffalse])` and
//! `ExecIfTime(<times>,<weekdays>,<mdays>,<months>[,<tz>]?app[(args)])` (main/pbx_builtins.c), on the
//! virtual clock. GotoIfTime honours `${TESTTIME}` (Unix seconds) as Asterisk does.

use super::execif::{run_app, split_call};
use super::goto;
use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

pub struct GotoIfTime;
pub struct ExecIfTime;

/// GotoIfTime's parts: spec, true branch, false branch.
pub fn parse_goto(data: &str) -> (&str, Option<&str>, Option<&str>) {
    let (spec, rest) = match data.split_once('?') {
        Some((s, r)) => (s, Some(r)),
        None => (data, None),
    };
    let (t, f) = match rest {
        None => (None, None),
        Some(r) => match r.split_once(':') {
            Some((t, f)) => (Some(t), Some(f)),
            None => (Some(r), None),
        },
    };
    (spec, t, f)
}

impl App for GotoIfTime {
    fn name(&self) -> &'static str {
        "GotoIfTime"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        if data.is_empty() {
            engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                "GotoIfTime requires an argument:\n  <time range>,<days of week>,<days of month>,<months>[,<timezone>]?'labeliftrue':'labeliffalse'".to_string()
            });
            return Exec::Done(AppResult::Hangup);
        }
        let mut when = engine.wall_clock().0;
        if let Some(t) = engine.get_var(chan, "TESTTIME") {
            match crate::expr::cnum::scan_long(&t) {
                Some((secs, _)) => when = secs,
                None => {
                    engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                        "Using current time to evaluate".to_string()
                    });
                    engine.set_var(chan, "TESTTIME", None);
                }
            }
        }
        let (spec, t, f) = parse_goto(data);
        let inside = engine
            .build_timing(spec)
            .is_some_and(|s| s.matches_at(when, engine.time_zone()));
        let branch = if inside { t } else { f };
        Exec::Done(match branch.filter(|b| !b.is_empty()) {
            None => AppResult::Continue,
            Some(b) => match goto::explicit(engine, chan, b) {
                Ok(()) => AppResult::Continue,
                Err(_) => AppResult::Hangup,
            },
        })
    }
}

const EXEC_USAGE: &str = "ExecIfTime requires an argument:\n  <time range>,<days of week>,<days of month>,<months>[,<timezone>]?<appname>[(<appargs>)]";

impl App for ExecIfTime {
    fn name(&self) -> &'static str {
        "ExecIfTime"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let Some((spec, app)) = data.split_once('?').filter(|_| !data.is_empty()) else {
            engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                EXEC_USAGE.to_string()
            });
            return Exec::Done(AppResult::Hangup);
        };
        let Some(timing) = engine.build_timing(spec) else {
            engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                format!("Invalid Time Spec: {spec}\nCorrect usage: {EXEC_USAGE}")
            });
            return Exec::Done(AppResult::Hangup);
        };
        if !engine.check_timing(&timing) {
            return Exec::Done(AppResult::Continue);
        }
        if app.contains('(') && !app.contains(')') {
            engine.log(LogLevel::Warning, "pbx_builtins.c", || {
                "Failed to find closing parenthesis".to_string()
            });
        }
        let mut call = split_call(app);
        // ast_pbx_exec_application substitutes the arguments once more.
        call.args = engine.substitute(chan, &call.args).into_owned();
        match engine.find_app(&call.app) {
            Some(_) => run_app(engine, chan, Some(&call)),
            None => {
                engine.log(LogLevel::Warning, "pbx_app.c", || {
                    format!("Could not find application ({})", call.app)
                });
                Exec::Done(AppResult::Hangup)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn parts() {
        assert_eq!(
            super::parse_goto("09:00-17:00,mon-fri,*,*?open,s,1:closed,s,1"),
            (
                "09:00-17:00,mon-fri,*,*",
                Some("open,s,1"),
                Some("closed,s,1")
            )
        );
        assert_eq!(super::parse_goto("*,*,*,*"), ("*,*,*,*", None, None));
    }
}
