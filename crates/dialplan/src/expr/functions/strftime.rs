//! `STRFTIME([epoch][,timezone[,format]])` (funcs/func_strings.c): formats a time (default: now on the
//! virtual clock) with C's `strftime` (default format `%c`) in `timezone` (default: the local zone, the
//! scenario's; a name that does not read is GMT, as `ast_localtime` falls back).

use super::util::{engine_of, log};
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::expr::{Effects, FuncError, VarContext};
use crate::timing::strftime;

pub struct StrFtime;

/// `ast_get_timeval`: `sec[.usec]` as a time, or `None` (use now).
pub fn parse_epoch(s: &str) -> Option<(i64, u32)> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let v: f64 = super::util::scan_double(s)?;
    if !v.is_finite() {
        return None;
    }
    let secs = v.floor();
    Some((secs as i64, ((v - secs) * 1e6) as u32))
}

impl Function for StrFtime {
    fn name(&self) -> &'static str {
        "STRFTIME"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 3);
        let get = |i: usize| a.get(i).map_or("", String::as_str);
        let local = ctx.engine().map(|(e, _)| e.time_zone().clone());
        let (secs, usec) = match parse_epoch(get(0)) {
            Some(t) => t,
            None => engine_of(ctx, "STRFTIME")?.0.wall_clock(),
        };
        let zone = local.unwrap_or_default().resolve(get(1));
        let format = a.get(2).map_or("%c", String::as_str);
        let out = strftime(format, &zone.localtime(secs, usec));
        if out.is_empty() {
            log(
                fx,
                LogLevel::Warning,
                "func_strings.c",
                "C function strftime() output nothing?!!",
            );
        }
        Ok(out)
    }
}
