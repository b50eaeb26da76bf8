//! `MATH(<number1><op><number2>[,type])` (funcs/func_math.c): one binary operation on doubles, the result
//! as `float` (`%f`, the default), `int`, `hex` or `char`; comparisons give `TRUE`/`FALSE`.
//!
//! The operator is found by searching the text after an optional leading `-` in Asterisk's order: `*`, `/`,
//! `%`, `^`, `AND`, `XOR`, `OR`, `>`/`>=`/`>>`, `<`/`<=`/`<<`, `==`, `+`, `-`. Division by zero or a negative
//! divisor gives 0 (Asterisk's own rule), `%` works on ints.

use super::util::{c_f, c_int, log, scan_double};
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Math;

/// MATH's operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Add,
    Div,
    Mul,
    Sub,
    Mod,
    Pow,
    Shl,
    Shr,
    And,
    Xor,
    Or,
    Gt,
    Lt,
    Ge,
    Le,
    Eq,
}

/// The result format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Float,
    Int,
    Hex,
    Char,
}

/// A parsed MATH expression: the (sign-carrying) first operand text, operator, second operand text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<'a> {
    pub negative: bool,
    pub left: &'a str,
    pub op: Option<Op>,
    pub right: Option<&'a str>,
}

/// Finds the operator as Asterisk does.
pub fn parse_expr(text: &str) -> Parsed<'_> {
    let (negative, v) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let at = |pat: &str| v.find(pat);
    let split = |i: usize, op: Op, oplen: usize| Parsed {
        negative,
        left: &v[..i],
        op: Some(op),
        right: Some(&v[i + oplen..]),
    };
    for (pat, op, len) in [
        ("*", Op::Mul, 1),
        ("/", Op::Div, 1),
        ("%", Op::Mod, 1),
        ("^", Op::Pow, 1),
        ("AND", Op::And, 3),
        ("XOR", Op::Xor, 3),
        ("OR", Op::Or, 2),
    ] {
        if let Some(i) = at(pat) {
            return split(i, op, len);
        }
    }
    if let Some(i) = at(">") {
        return match v.as_bytes().get(i + 1) {
            Some(b'=') => split(i, Op::Ge, 2),
            Some(b'>') => split(i, Op::Shr, 2),
            _ => split(i, Op::Gt, 1),
        };
    }
    if let Some(i) = at("<") {
        return match v.as_bytes().get(i + 1) {
            Some(b'=') => split(i, Op::Le, 2),
            Some(b'<') => split(i, Op::Shl, 2),
            _ => split(i, Op::Lt, 1),
        };
    }
    if let Some(i) = at("=") {
        if v.as_bytes().get(i + 1) == Some(&b'=') {
            return split(i, Op::Eq, 2);
        }
        return Parsed {
            negative,
            left: &v[..i],
            op: None,
            right: None,
        };
    }
    if let Some(i) = at("+") {
        return split(i, Op::Add, 1);
    }
    if let Some(i) = at("-") {
        return split(i, Op::Sub, 1);
    }
    Parsed {
        negative,
        left: v,
        op: None,
        right: None,
    }
}

/// The result type argument.
pub fn parse_kind(s: &str) -> Option<Kind> {
    Some(match s.to_ascii_lowercase().as_str() {
        "float" | "f" => Kind::Float,
        "int" | "i" => Kind::Int,
        "hex" | "h" => Kind::Hex,
        "char" | "c" => Kind::Char,
        _ => return None,
    })
}

/// Computes `a op b` and formats it.
pub fn compute(a: f64, op: Op, b: f64, kind: Kind) -> String {
    let (ia, ib) = (c_int(a), c_int(b));
    let truth = |t: bool| if t { "TRUE" } else { "FALSE" }.to_string();
    let v = match op {
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mul => a * b,
        Op::Div => {
            if b <= 0.0 {
                0.0
            } else {
                a / b
            }
        }
        Op::Mod => {
            if ib == 0 {
                0.0
            } else {
                f64::from(ia.wrapping_rem(ib))
            }
        }
        Op::Pow => a.powf(b),
        Op::Shl => f64::from(ia.wrapping_shl(ib as u32)),
        Op::Shr => f64::from(ia.wrapping_shr(ib as u32)),
        Op::And => f64::from(ia & ib),
        Op::Xor => f64::from(ia ^ ib),
        Op::Or => f64::from(ia | ib),
        Op::Gt => return truth(a > b),
        Op::Lt => return truth(a < b),
        Op::Ge => return truth(a >= b),
        Op::Le => return truth(a <= b),
        Op::Eq => return truth(a == b),
    };
    match kind {
        Kind::Float => c_f(v),
        Kind::Int => c_int(v).to_string(),
        Kind::Hex => format!("{:x}", c_int(v) as u32),
        Kind::Char => char::from(c_int(v) as u8).to_string(),
    }
}

/// `MATH(<number1><op><number2>[,<type_of_result>])`: an empty argument is refused.
const MATH_RULE: super::ArgRule = super::ArgRule {
    refused: |a| a.is_empty() || super::split_args(a, 2).is_empty(),
    level: crate::diag::LogLevel::Warning,
    source: "func_math.c",
    log: "Syntax: MATH(<number1><op><number 2>[,<type_of_result>]) - missing argument!",
    usage: "MATH(<number1><op><number2>[,<type_of_result>])",
    needed: None,
};

impl Function for Math {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&MATH_RULE)
    }

    fn name(&self) -> &'static str {
        "MATH"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        const SRC: &str = "func_math.c";
        let a = split_args(args, 2);
        MATH_RULE.apply(args, fx)?;
        let p = parse_expr(&a[0]);
        let kind = match a.get(1) {
            None => Kind::Float,
            Some(k) => match parse_kind(k) {
                Some(k) => k,
                None => {
                    log(
                        fx,
                        LogLevel::Warning,
                        SRC,
                        format!("Unknown type of result requested '{k}'."),
                    );
                    return Err(FuncError::Failed);
                }
            },
        };
        let (Some(op), Some(right)) = (p.op, p.right) else {
            log(
                fx,
                LogLevel::Warning,
                SRC,
                "Supply all the parameters - just this once, please",
            );
            return Err(FuncError::Failed);
        };
        let Some(mut x) = scan_double(p.left) else {
            log(
                fx,
                LogLevel::Warning,
                SRC,
                format!("'{}' is not a valid number", p.left),
            );
            return Err(FuncError::Failed);
        };
        let Some(y) = scan_double(right) else {
            log(
                fx,
                LogLevel::Warning,
                SRC,
                format!("'{right}' is not a valid number"),
            );
            return Err(FuncError::Failed);
        };
        if p.negative {
            x = -x;
        }
        Ok(compute(x, op, y, kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators() {
        let p = parse_expr("-3+-2");
        assert_eq!(
            (p.negative, p.left, p.op, p.right),
            (true, "3", Some(Op::Add), Some("-2"))
        );
        assert_eq!(parse_expr("4>=2").op, Some(Op::Ge));
        assert_eq!(parse_expr("1<<4").op, Some(Op::Shl));
        assert_eq!(parse_expr("6AND3").right, Some("3"));
        assert_eq!(parse_expr("1=2").op, None);
        assert_eq!(compute(3.0, Op::Add, 4.0, Kind::Float), "7.000000");
        assert_eq!(compute(7.0, Op::Div, 2.0, Kind::Int), "3");
        assert_eq!(compute(7.0, Op::Div, 0.0, Kind::Float), "0.000000");
        assert_eq!(compute(255.0, Op::Add, 0.0, Kind::Hex), "ff");
        assert_eq!(compute(65.0, Op::Add, 0.0, Kind::Char), "A");
        assert_eq!(compute(7.0, Op::Mod, 3.0, Kind::Int), "1");
        assert_eq!(compute(2.0, Op::Gt, 1.0, Kind::Int), "TRUE");
        assert_eq!(compute(2.0, Op::Pow, 10.0, Kind::Int), "1024");
    }
}
