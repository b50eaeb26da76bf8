//! `STRPTIME(timestring,timezone,format)` (funcs/func_strings.c): the Unix time of a text read with C's
//! `strptime`, read as local time in `timezone` (default: the local zone, the scenario's) with `ast_mktime`.

use super::util::log;
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::expr::{Effects, FuncError, VarContext};
use crate::timing::strptime;

pub struct StrPtime;

impl Function for StrPtime {
    fn name(&self) -> &'static str {
        "STRPTIME"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
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
        let local = ctx
            .engine()
            .map(|(e, _)| e.time_zone().clone())
            .unwrap_or_default();
        match strptime(get(0), get(2)) {
            Some(tm) => Ok((local.resolve(get(1)).mktime(&tm) as i32).to_string()),
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
