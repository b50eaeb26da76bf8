//! Values of `$[...]` and Asterisk's operators on them (`op_*` in `main/ast_expr2.y`).
//!
//! A value is a number, a *numeric string* (a token such as `007` or a result such as `1.5` that has not been
//! used as a number yet; it prints as written) or a string. Operators convert their operands in place, as
//! Asterisk does: `$[007 | 1]` prints `7` because testing `007` for truth turned it into the number 7.

use super::num::{strtold, Num};
use super::regex::{Anchor, Regex};
use crate::diag::LogLevel;
use crate::expr::{codes, Effects};
use std::borrow::Cow;
use std::cmp::Ordering;

/// The C file Asterisk's operator warnings come from (as its log lines name it).
pub(crate) const SRC_Y: &str = "ast_expr2.y";

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val<'a> {
    Number(NumVal),
    NumStr(Cow<'a, str>),
    Str(Cow<'a, str>),
    /// A numeric string whose conversion overflowed: Asterisk freed its text (it prints as empty).
    Lost,
}

/// Wrapper so `Val` can derive `PartialEq` for tests (numbers compare by their printed form).
#[derive(Clone, Copy, Debug)]
pub(crate) struct NumVal(pub Num);

impl PartialEq for NumVal {
    fn eq(&self, other: &Self) -> bool {
        self.0.format() == other.0.format()
    }
}

impl<'a> Val<'a> {
    pub(crate) fn num(n: Num) -> Val<'a> {
        Val::Number(NumVal(n))
    }

    /// `make_str`: a numeric string when every byte is a digit or a dot.
    pub(crate) fn make_str(s: Cow<'a, str>) -> Val<'a> {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            Val::NumStr(s)
        } else {
            Val::Str(s)
        }
    }

    /// Appends the text Asterisk returns for a final value, at most `room` bytes of it.
    pub(crate) fn write_text(&self, out: &mut String, room: usize) {
        match self {
            Val::Number(n) => n.0.write(out, room),
            Val::NumStr(s) | Val::Str(s) => out.push_str(crate::expr::cnum::prefix_bytes(s, room)),
            Val::Lost => {}
        }
    }

    /// The number inside, after a successful [`to_number`]; anything else reads as 0.
    fn n(&self) -> Num {
        match self {
            Val::Number(n) => n.0,
            _ => Num::ZERO,
        }
    }

    fn text(&self) -> &str {
        match self {
            Val::NumStr(s) | Val::Str(s) => s,
            _ => "",
        }
    }

    fn is_string(&self) -> bool {
        matches!(self, Val::Str(_))
    }
}

/// `to_number`: converts a numeric string in place; strings are never numbers.
fn to_number<'a>(v: &mut Val<'a>, fx: &mut Effects) -> bool {
    match v {
        Val::Number(_) => true,
        Val::Str(_) | Val::Lost => false,
        Val::NumStr(s) => {
            let (n, erange) = strtold(s);
            if erange {
                fx.asterisk(
                    codes::NUMBER_RANGE,
                    LogLevel::Warning,
                    SRC_Y,
                    format!("Conversion of {s} to number under/overflowed!"),
                );
                *v = Val::Lost;
                return false;
            }
            *v = Val::num(n);
            true
        }
    }
}

/// `to_string`: numbers become their printed form (as plain strings).
fn to_string<'a>(v: &mut Val<'a>) {
    if let Val::Number(n) = v {
        *v = Val::Str(Cow::Owned(n.0.format()));
    }
}

/// `strip_quotes`: when the text starts and ends with `"`, every `"` in it goes.
fn strip_quotes<'a>(v: &mut Val<'a>) {
    if let Val::NumStr(s) | Val::Str(s) = v {
        if s.starts_with('"') && s.ends_with('"') {
            s.to_mut().retain(|c| c != '"');
        }
    }
}

/// `is_zero_or_null`: converts numeric strings in place.
fn is_zero_or_null<'a>(v: &mut Val<'a>, fx: &mut Effects) -> bool {
    match v {
        Val::Number(n) => n.0.is_zero(),
        Val::Lost => true,
        Val::NumStr(s) | Val::Str(s) => s.is_empty() || (to_number(v, fx) && v.n().is_zero()),
    }
}

fn warn(fx: &mut Effects, code: crate::diag::Code, text: &str) {
    fx.asterisk(code, LogLevel::Warning, SRC_Y, text);
}

fn non_numeric(fx: &mut Effects) {
    warn(fx, codes::NON_NUMERIC, "non-numeric argument");
}

fn overflow(fx: &mut Effects) {
    warn(fx, codes::OVERFLOW, "overflow");
}

pub(crate) fn op_or<'a>(mut a: Val<'a>, b: Val<'a>, fx: &mut Effects) -> Val<'a> {
    if is_zero_or_null(&mut a, fx) {
        b
    } else {
        a
    }
}

pub(crate) fn op_and<'a>(mut a: Val<'a>, mut b: Val<'a>, fx: &mut Effects) -> Val<'a> {
    if is_zero_or_null(&mut a, fx) || is_zero_or_null(&mut b, fx) {
        Val::num(Num::ZERO)
    } else {
        a
    }
}

/// The comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

impl Cmp {
    fn holds(self, ord: Option<Ordering>) -> bool {
        match self {
            Cmp::Eq => ord == Some(Ordering::Equal),
            Cmp::Ne => ord != Some(Ordering::Equal),
            Cmp::Lt => ord == Some(Ordering::Less),
            Cmp::Gt => ord == Some(Ordering::Greater),
            Cmp::Le => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
            Cmp::Ge => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
        }
    }
}

/// Strings compare as strings (`strcoll` in the C.UTF-8 locale Asterisk sets: byte order), quotes included;
/// otherwise both sides are numbers.
pub(crate) fn op_cmp<'a>(cmp: Cmp, mut a: Val<'a>, mut b: Val<'a>, fx: &mut Effects) -> Val<'a> {
    let ord = if a.is_string() || b.is_string() {
        to_string(&mut a);
        to_string(&mut b);
        Some(a.text().cmp(b.text()))
    } else {
        to_number(&mut a, fx);
        to_number(&mut b, fx);
        a.n().partial_cmp(b.n())
    };
    Val::num(Num::from_bool(cmp.holds(ord)))
}

/// `cond ? a :: b`: a string condition is true unless empty, `""` or `0`; otherwise its number decides.
pub(crate) fn op_cond<'a>(mut a: Val<'a>, b: Val<'a>, c: Val<'a>, fx: &mut Effects) -> Val<'a> {
    let truth = if a.is_string() {
        let s = a.text();
        !s.is_empty() && s != "\"\"" && s != "0"
    } else {
        to_number(&mut a, fx);
        !a.n().is_zero()
    };
    if truth {
        b
    } else {
        c
    }
}

fn plus_overflows(a: Num, b: Num, r: Num) -> bool {
    let sign = |n: Num| n.partial_cmp(Num::ZERO);
    let (gt, lt) = (Some(Ordering::Greater), Some(Ordering::Less));
    (sign(a) == gt && sign(b) == gt && matches!(sign(r), Some(Ordering::Less | Ordering::Equal)))
        || (sign(a) == lt
            && sign(b) == lt
            && matches!(sign(r), Some(Ordering::Greater | Ordering::Equal)))
}

/// `QUAD_MIN`, the special case of Asterisk's subtraction overflow check.
fn is_quad_min(n: Num) -> bool {
    n.num_eq(Num::Int(i64::MIN))
}

fn minus_overflows(a: Num, b: Num, r: Num) -> bool {
    if is_quad_min(b) {
        return a
            .partial_cmp(Num::ZERO)
            .is_some_and(|o| o != Ordering::Less);
    }
    plus_overflows(a, b.neg(), r)
}

pub(crate) fn op_plus<'a>(mut a: Val<'a>, mut b: Val<'a>, fx: &mut Effects) -> Val<'a> {
    if !to_number(&mut a, fx) {
        non_numeric(fx);
        return if to_number(&mut b, fx) {
            b
        } else {
            Val::num(Num::ZERO)
        };
    }
    if !to_number(&mut b, fx) {
        return a;
    }
    let (x, y) = (a.n(), b.n());
    let r = x.add(y);
    if !r.is_int() && plus_overflows(x, y, r) {
        overflow(fx);
    }
    Val::num(r)
}

pub(crate) fn op_minus<'a>(mut a: Val<'a>, mut b: Val<'a>, fx: &mut Effects) -> Val<'a> {
    if !to_number(&mut a, fx) {
        non_numeric(fx);
        return if to_number(&mut b, fx) {
            Val::num(Num::ZERO.sub(b.n()))
        } else {
            Val::num(Num::ZERO)
        };
    }
    if !to_number(&mut b, fx) {
        non_numeric(fx);
        return a;
    }
    let (x, y) = (a.n(), b.n());
    let r = x.sub(y);
    if !r.is_int() && minus_overflows(x, y, r) {
        overflow(fx);
    }
    Val::num(r)
}

pub(crate) fn op_negate<'a>(mut a: Val<'a>, fx: &mut Effects) -> Val<'a> {
    if !to_number(&mut a, fx) {
        non_numeric(fx);
        return Val::num(Num::ZERO);
    }
    let x = a.n();
    let r = x.neg();
    if minus_overflows(Num::ZERO, x, r) {
        overflow(fx);
    }
    Val::num(r)
}

/// `!`: true (1) for zero, the empty string, `0`, and any string `atoi` reads as 0 (`!abc` and `!0.5` are 1).
pub(crate) fn op_compl<'a>(a: Val<'a>) -> Val<'a> {
    let v1 = match &a {
        Val::Number(n) => !n.0.is_zero(),
        Val::Lost => false,
        Val::NumStr(s) | Val::Str(s) => {
            if s.is_empty() || s == "0" {
                false
            } else {
                crate::expr::cnum::atoi(s) != 0
            }
        }
    };
    Val::num(Num::from_bool(!v1))
}

pub(crate) fn op_times<'a>(mut a: Val<'a>, mut b: Val<'a>, fx: &mut Effects) -> Val<'a> {
    if !to_number(&mut a, fx) || !to_number(&mut b, fx) {
        non_numeric(fx);
        return Val::num(Num::ZERO);
    }
    let (x, y) = (a.n(), b.n());
    let r = x.mul(y);
    if !x.is_zero() && !r.div(x).num_eq(y) {
        overflow(fx);
    }
    Val::num(r)
}

pub(crate) fn op_div<'a>(mut a: Val<'a>, mut b: Val<'a>, fx: &mut Effects) -> Val<'a> {
    if !to_number(&mut a, fx) {
        non_numeric(fx);
        return Val::num(Num::ZERO);
    }
    if !to_number(&mut b, fx) {
        non_numeric(fx);
        return Val::num(Num::INT_MAX);
    }
    let (x, y) = (a.n(), b.n());
    if y.is_zero() {
        warn(fx, codes::DIVISION_BY_ZERO, "division by zero");
        return Val::num(Num::INT_MAX);
    }
    let r = x.div(y);
    if is_quad_min(x) && y.num_eq(Num::Int(-1)) {
        overflow(fx);
    }
    Val::num(r)
}

pub(crate) fn op_rem<'a>(mut a: Val<'a>, mut b: Val<'a>, fx: &mut Effects) -> Val<'a> {
    if !to_number(&mut a, fx) || !to_number(&mut b, fx) {
        non_numeric(fx);
        return Val::num(Num::ZERO);
    }
    if b.n().is_zero() {
        warn(fx, codes::DIVISION_BY_ZERO, "div by zero");
        return b;
    }
    Val::num(a.n().fmod(b.n()))
}

/// `:` (anchored at the start) and `=~` (anywhere): quotes stripped from both sides; with a group the first
/// group's text, else the match length.
pub(crate) fn op_regex<'a>(
    anchor: Anchor,
    mut a: Val<'a>,
    mut b: Val<'a>,
    fx: &mut Effects,
) -> Val<'a> {
    to_string(&mut a);
    to_string(&mut b);
    strip_quotes(&mut a);
    strip_quotes(&mut b);
    let re = match Regex::new(b.text()) {
        Ok(re) => re,
        Err(e) => {
            warn(
                fx,
                codes::REGEX_ERROR,
                &format!("regcomp() error : {}", e.message()),
            );
            return Val::make_str(Cow::Borrowed(""));
        }
    };
    let subject = a.text();
    match re.find(subject, anchor) {
        Some(m) => match m.group1 {
            Some((s, e)) => Val::make_str(Cow::Owned(subject[s..e].to_owned())),
            None => Val::num(Num::Int((m.end - m.start) as i64)),
        },
        None => {
            if re.groups() == 0 {
                Val::num(Num::ZERO)
            } else {
                Val::make_str(Cow::Borrowed(""))
            }
        }
    }
}

/// `~~`: concatenation, quotes stripped.
pub(crate) fn op_concat<'a>(mut a: Val<'a>, mut b: Val<'a>) -> Val<'a> {
    to_string(&mut a);
    to_string(&mut b);
    strip_quotes(&mut a);
    strip_quotes(&mut b);
    let mut s = String::with_capacity(a.text().len() + b.text().len());
    s.push_str(a.text());
    s.push_str(b.text());
    Val::make_str(Cow::Owned(s))
}

/// A function argument as Asterisk joins them into one string (numbers printed with `%.18Lg`).
pub(crate) fn arg_text<'a>(v: &Val<'a>) -> String {
    match v {
        Val::Number(n) => n.0.format(),
        Val::NumStr(s) | Val::Str(s) => s.to_string(),
        Val::Lost => String::new(),
    }
}

/// The number a math builtin reads from its argument (`to_number`, then the number; a string reads as 0).
pub(crate) fn arg_number<'a>(v: &mut Val<'a>, fx: &mut Effects) -> Num {
    to_number(v, fx);
    v.n()
}
