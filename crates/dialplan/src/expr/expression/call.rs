//! Function calls inside `$[...]` (`NAME(args)`, Asterisk's `op_func`): the math builtins of the expression
//! language, else a dialplan function through the [`VarContext`].
//!
//! The name must be upper case letters, digits and `_`. Arguments are evaluated expressions, joined with `,`
//! into one string for a dialplan function (which gets a 512-byte result buffer); a result made only of
//! `-0123456789.`, space and tab is a number.
//!
//! `ABS`, `FLOOR`, `CEIL`, `ROUND`, `RINT`, `TRUNC`, `SQRT` and `REMAINDER` are exact; the transcendental ones
//! are in [`super::math`].

use super::math;
use super::num::{strtold, Num};
use super::value::{arg_number, arg_text, Val, SRC_Y};
use crate::diag::LogLevel;
use crate::expr::cnum::prefix_bytes;
use crate::expr::{codes, Effects, FuncError, VarContext};
use rustc_apfloat::Round;
use std::borrow::Cow;

/// The result buffer `op_func` gives a dialplan function.
const WORKSPACE: usize = 512;

pub(crate) fn call_function<'a>(
    name: Val<'a>,
    mut args: Vec<Val<'a>>,
    ctx: &mut dyn VarContext,
    fx: &mut Effects,
) -> Val<'a> {
    let name = arg_text(&name);
    let zero = || Val::num(Num::ZERO);
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        fx.asterisk(
            codes::EXPR_FUNCTION,
            LogLevel::Error,
            SRC_Y,
            format!("Error! '{name}' is not possibly a function name!"),
        );
        return zero();
    }
    if let Some(v) = builtin(&name, &mut args, fx) {
        return v;
    }
    let argbuf = compose_args(&args);
    let mut inner = Effects {
        log: Vec::new(),
        depth: fx.depth,
    };
    let result = ctx.call_function(&name, &argbuf, &mut inner);
    let announce_args = |fx: &mut Effects| {
        let allocated: usize = args
            .iter()
            .map(|a| match a {
                Val::Number(_) => 25,
                other => arg_text(other).len(),
            })
            .sum::<usize>()
            + args.len().saturating_sub(1)
            + 1;
        fx.asterisk(
            codes::EXPR_FUNCTION_ARGS,
            LogLevel::Notice,
            SRC_Y,
            format!("argbuf allocated {allocated} bytes;"),
        );
        fx.asterisk(
            codes::EXPR_FUNCTION_ARGS,
            LogLevel::Notice,
            SRC_Y,
            format!("argbuf uses {} bytes;", argbuf.len()),
        );
    };
    let text = match result {
        Ok(text) => {
            announce_args(fx);
            fx.log.append(&mut inner.log);
            text
        }
        Err(FuncError::NotRegistered) => {
            fx.asterisk(
                codes::EXPR_FUNCTION,
                LogLevel::Warning,
                SRC_Y,
                format!("Hey! could not find func {name}."),
            );
            fx.asterisk(
                codes::EXPR_FUNCTION,
                LogLevel::Error,
                SRC_Y,
                format!("Error! '{name}' doesn't appear to be an available function!"),
            );
            return zero();
        }
        Err(FuncError::CannotRead) => {
            fx.asterisk(
                codes::EXPR_FUNCTION,
                LogLevel::Error,
                SRC_Y,
                format!("Error! Function '{name}' cannot be read!"),
            );
            return zero();
        }
        Err(FuncError::NotSimulated(what)) => {
            announce_args(fx);
            fx.log.append(&mut inner.log);
            fx.dialsim(codes::FUNC_NOT_SIMULATED, what);
            String::new()
        }
        Err(FuncError::Failed) | Err(FuncError::CannotWrite) => {
            // Asterisk ignores the function's return value and reads its buffer; dialsim's functions leave
            // it empty when they fail.
            announce_args(fx);
            fx.log.append(&mut inner.log);
            String::new()
        }
    };
    let text = prefix_bytes(&text, WORKSPACE - 1);
    if text.bytes().all(|b| b"-0123456789. \t".contains(&b)) {
        Val::num(strtold(text).0)
    } else {
        Val::make_str(Cow::Owned(text.to_owned()))
    }
}

/// The arguments joined with `,`, numbers printed with `%.18Lg`.
fn compose_args(args: &[Val<'_>]) -> String {
    let mut s = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&arg_text(a));
    }
    s
}

/// The expression language's own math functions; `None` for other names.
fn builtin<'a>(name: &str, args: &mut [Val<'a>], fx: &mut Effects) -> Option<Val<'a>> {
    let unary: Option<fn(Num) -> Num> = match name {
        "SQRT" => Some(Num::sqrt),
        "FLOOR" => Some(|x| x.round(Round::TowardNegative)),
        "CEIL" => Some(|x| x.round(Round::TowardPositive)),
        "ROUND" => Some(|x| x.round(Round::NearestTiesToAway)),
        "RINT" => Some(|x| x.round(Round::NearestTiesToEven)),
        "TRUNC" => Some(|x| x.round(Round::TowardZero)),
        "ABS" => Some(Num::abs),
        other => math::unary(other),
    };
    let binary: Option<fn(Num, Num) -> Num> = match name {
        "ATAN2" => Some(math::atan2),
        "POW" => Some(pow),
        "REMAINDER" => Some(Num::ieee_rem),
        _ => None,
    };
    if let Some(f) = unary {
        if let [a] = args {
            let x = arg_number(a, fx);
            return Some(Val::num(f(x)));
        }
        wrong_args(name, fx);
        return Some(Val::num(Num::ZERO));
    }
    if let Some(f) = binary {
        if let [a, b] = args {
            let x = arg_number(a, fx);
            let y = arg_number(b, fx);
            return Some(Val::num(f(x, y)));
        }
        wrong_args(name, fx);
        return Some(Val::num(Num::ZERO));
    }
    None
}

fn wrong_args(name: &str, fx: &mut Effects) {
    fx.asterisk(
        codes::EXPR_FUNCTION,
        LogLevel::Warning,
        SRC_Y,
        format!("Wrong args to {name}() function"),
    );
}

/// `powl`: exact for integer powers whose result fits, else in quad precision.
fn pow(x: Num, y: Num) -> Num {
    if let (Num::Int(_), Num::Int(e)) = (x, y) {
        if (0..=64).contains(&e) {
            let mut r = Num::Int(1);
            for _ in 0..e {
                r = r.mul(x);
            }
            if let Num::Int(_) = r {
                return r;
            }
        }
    }
    math::pow(x, y)
}
