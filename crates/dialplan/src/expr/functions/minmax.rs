//! `MIN(a,b)`, `MAX(a,b)`, `ABS(n)`, `DIGIT_SUM(n)`, `INC(var)`, `DEC(var)` (funcs/func_math.c). Whole
//! results print as integers, others with `%f`.

use super::util::{c_f, c_int, log, scan_double};
use super::{set_variable, split_args, Function};
use crate::diag::LogLevel;
use crate::expr::cnum::scan_int;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Min;
pub struct Max;
pub struct Abs;
pub struct DigitSum;
pub struct Inc;
pub struct Dec;

const SRC: &str = "func_math.c";

fn number_text(x: f64) -> String {
    if f64::from(c_int(x)) == x {
        c_int(x).to_string()
    } else {
        c_f(x)
    }
}

fn min_max(args: &str, fx: &mut Effects, pick_max: bool) -> Result<String, FuncError> {
    let a = split_args(args, 2);
    let n1 = a.first().map_or("", String::as_str);
    let n2 = a.get(1).map_or("", String::as_str);
    if n1.is_empty() && n2.is_empty() {
        // Asterisk's line has no newline; the logger prints it as is.
        log(fx, LogLevel::Error, SRC, "Missing argument for number(s).");
        return Err(FuncError::Failed);
    }
    let parse = |s: &str, fx: &mut Effects| {
        scan_double(s).ok_or_else(|| {
            log(
                fx,
                LogLevel::Warning,
                SRC,
                format!("'{s}' is not a valid number"),
            );
            FuncError::Failed
        })
    };
    let x = if n1.is_empty() {
        None
    } else {
        Some(parse(n1, fx)?)
    };
    let y = if n2.is_empty() {
        x.unwrap_or(0.0)
    } else {
        parse(n2, fx)?
    };
    let r = match x {
        None => y,
        Some(x) if pick_max => {
            if x < y {
                y
            } else {
                x
            }
        }
        Some(x) => {
            if x > y {
                y
            } else {
                x
            }
        }
    };
    Ok(number_text(r))
}

impl Function for Min {
    fn name(&self) -> &'static str {
        "MIN"
    }

    fn read(
        &self,
        args: &str,
        _: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        min_max(args, fx, false)
    }
}

impl Function for Max {
    fn name(&self) -> &'static str {
        "MAX"
    }

    fn read(
        &self,
        args: &str,
        _: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        min_max(args, fx, true)
    }
}

impl Function for Abs {
    fn name(&self) -> &'static str {
        "ABS"
    }

    fn read(
        &self,
        args: &str,
        _: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 1);
        let n = a.first().map_or("", String::as_str);
        match scan_double(n).filter(|_| !n.is_empty()) {
            Some(x) => Ok(number_text(x.abs())),
            None => {
                log(
                    fx,
                    LogLevel::Warning,
                    SRC,
                    format!(
                        "Bad or missing argument for number: {}",
                        if a.is_empty() { "(null)" } else { n }
                    ),
                );
                Err(FuncError::Failed)
            }
        }
    }
}

impl Function for DigitSum {
    fn name(&self) -> &'static str {
        "DIGIT_SUM"
    }

    fn read(
        &self,
        args: &str,
        _: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        if args.is_empty() {
            log(fx, LogLevel::Warning, SRC, "Missing argument for number");
            return Err(FuncError::Failed);
        }
        let sum: u32 = args
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| u32::from(b - b'0'))
            .sum();
        Ok(sum.to_string())
    }
}

fn crement(
    cmd: &str,
    step: i32,
    var: &str,
    ctx: &mut dyn VarContext,
    fx: &mut Effects,
) -> Result<String, FuncError> {
    if var.is_empty() {
        log(
            fx,
            LogLevel::Warning,
            SRC,
            format!("Syntax: {cmd}(<data>) - missing argument!"),
        );
        return Err(FuncError::Failed);
    }
    let Some(value) = ctx.get_var(var).map(|v| v.into_owned()) else {
        log(
            fx,
            LogLevel::Notice,
            SRC,
            format!("Failed to obtain variable {var}, bailing out"),
        );
        return Err(FuncError::Failed);
    };
    if value.is_empty() {
        log(
            fx,
            LogLevel::Notice,
            SRC,
            format!("Variable {var} doesn't exist - are you sure you wrote it correctly?"),
        );
        return Err(FuncError::Failed);
    }
    let n = match scan_int(&value) {
        Some((n, "")) => n,
        _ => {
            log(
                fx,
                LogLevel::Notice,
                SRC,
                format!("The content of ${{{var}}} is not a numeric value - bailing out!"),
            );
            return Err(FuncError::Failed);
        }
    };
    let n = n.wrapping_add(step).to_string();
    set_variable(ctx, var, Some(&n), fx);
    Ok(n)
}

impl Function for Inc {
    fn name(&self) -> &'static str {
        "INC"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        crement("INC", 1, args, ctx, fx)
    }
}

impl Function for Dec {
    fn name(&self) -> &'static str {
        "DEC"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        crement("DEC", -1, args, ctx, fx)
    }
}
