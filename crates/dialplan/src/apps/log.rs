//! `Log(level,message)` (apps/app_verbose.c): logs the message at ERROR, WARNING, NOTICE, DEBUG, VERBOSE or
//! DTMF level; the console shows the dialplan location (`Ext. <exten>:<priority> @ <context>`) where other
//! lines show their C file. DEBUG and DTMF lines are not shown on dialsim's console (as with Asterisk's
//! default logger settings). An unknown level logs `Unknown log level`.

use super::args::{arg, standard_args};
use crate::diag::{LogLevel, LogLine};
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

pub struct Log;

/// What a Log level name means on dialsim's console.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Shown(LogLevel),
    /// DEBUG and DTMF: logged, but not on the console.
    Hidden,
    Unknown,
}

pub fn level(name: &str) -> Level {
    match name.to_ascii_uppercase().as_str() {
        "ERROR" => Level::Shown(LogLevel::Error),
        "WARNING" => Level::Shown(LogLevel::Warning),
        "NOTICE" => Level::Shown(LogLevel::Notice),
        "VERBOSE" => Level::Shown(LogLevel::Verbose(1)),
        "DEBUG" | "DTMF" => Level::Hidden,
        _ => Level::Unknown,
    }
}

impl App for Log {
    fn name(&self) -> &'static str {
        "Log"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        if data.is_empty() {
            return Exec::Done(AppResult::Continue);
        }
        let a = standard_args(data, 2);
        match level(arg(&a, 0)) {
            Level::Unknown => {
                let l = arg(&a, 0).to_string();
                engine.log(LogLevel::Error, "app_verbose.c", || {
                    format!("Unknown log level: '{l}'")
                });
            }
            Level::Hidden => {}
            Level::Shown(lvl) => {
                if let Some((ctx, exten, prio)) =
                    engine.with_chan(chan, |c| (c.context.clone(), c.exten.clone(), c.priority))
                {
                    let at = format!("Ext. {exten}:{prio} @ {ctx}");
                    engine.log_line(LogLine::at(lvl, "app_verbose.c", at, arg(&a, 1)));
                }
            }
        }
        Exec::Done(AppResult::Continue)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn levels() {
        use super::Level;
        assert!(matches!(super::level("warning"), Level::Shown(_)));
        assert_eq!(super::level("DEBUG"), Level::Hidden);
        assert_eq!(super::level("LOUD"), Level::Unknown);
    }
}
