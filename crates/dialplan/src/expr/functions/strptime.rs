//! `STRPTIME(timestring,timezone,format)` (funcs/func_strings.c): the Unix time of a text read with C's
//! `strptime`. Only UTC is modelled.

use super::strftime::is_utc;
use super::util::log;
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::expr::{codes, Effects, FuncError, VarContext};
use crate::timing::strptime;

pub struct StrPtime;

impl Function for StrPtime {
    fn name(&self) -> &'static str {
        "STRPTIME"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 3);
        let get = |i: usize| a.get(i).map_or("", String::as_str);
        if get(2).is_empty() {
            // Asterisk's line lacks its newline; the logger prints it as it is.
            log(
                fx,
                LogLevel::Error,
                "func_strings.c",
                "No format supplied to STRPTIME(<timestring>,<timezone>,<format>)",
            );
            return Err(FuncError::Failed);
        }
        if !is_utc(get(1)) {
            fx.dialsim(
                codes::FUNC_NOT_SIMULATED,
                format!("time zone '{}' is not simulated: STRPTIME uses UTC", get(1)),
            );
        }
        match strptime(get(0), get(2)) {
            Some(tm) => Ok((tm.to_unix() as i32).to_string()),
            None => {
                log(
                    fx,
                    LogLevel::Warning,
                    "func_strings.c",
                    "STRPTIME() found no time specified within the string",
                );
                Ok(String::new())
            }
        }
    }
}
