//! The transcendental builtins of `$[...]` (`COS`, `EXP`, `LOG`, `POW`, …), which Asterisk computes with the C
//! library's `long double` functions.
//!
//! Each is evaluated in IEEE quadruple precision (113-bit significand, `rustc_apfloat`'s `Quad`) and rounded
//! once to the 64-bit x87 significand, so the 18 printed digits match glibc's results (which are accurate to
//! within an ulp of the true value) except in the rarest rounding cases. Arguments of `SIN`/`COS`/`TAN` are
//! reduced with a two-part π/2, exact enough for arguments up to about 10^6.

use super::num::Num;
use rustc_apfloat::ieee::{Quad, X87DoubleExtended as Ext};
use rustc_apfloat::{Float, FloatConvert, Round};
use std::cmp::Ordering;

const PI: &str = "3.141592653589793238462643383279502884197";
const LN2: &str = "0.6931471805599453094172321214581765680755";
const LN10: &str = "2.302585092994045684017609798994768675690";

fn q(s: &str) -> Quad {
    Quad::from_str_r(s, Round::NearestTiesToEven)
        .map(|r| r.value)
        .unwrap_or(Quad::NAN)
}

fn qi(i: i64) -> Quad {
    Quad::from_i128(i128::from(i)).value
}

fn to_quad(x: Num) -> Quad {
    let mut loses = false;
    x.to_ext().convert(&mut loses).value
}

fn from_quad(x: Quad) -> Num {
    let mut loses = false;
    let e: Ext = x.convert_r(Round::NearestTiesToEven, &mut loses).value;
    Num::from_ext_value(e)
}

/// The NaN glibc's `logl`, `asinl`, `acosl`, `powl` return for arguments outside their domain (printed
/// `nan`, unlike the x87 instructions' negative NaN).
fn invalid() -> Num {
    Num::from_ext_value(Ext::qnan(None))
}

fn lt(a: Quad, b: Quad) -> bool {
    a.partial_cmp(&b) == Some(Ordering::Less)
}

fn abs(x: Quad) -> Quad {
    if x.is_negative() {
        -x
    } else {
        x
    }
}

/// Sum of a power series `Σ c_n x^n` given term by term: `next(term, n)` makes term n from term n−1.
fn series(first: Quad, next: impl Fn(Quad, i64) -> Quad) -> Quad {
    let mut sum = first;
    let mut term = first;
    for n in 1..200 {
        term = next(term, n);
        let new = (sum + term).value;
        if new == sum {
            break;
        }
        sum = new;
    }
    sum
}

fn exp_q(x: Quad) -> Quad {
    if x.is_nan() {
        return x;
    }
    if x.is_infinite() {
        return if x.is_negative() { Quad::ZERO } else { x };
    }
    if lt(qi(12_000), x) {
        return Quad::INFINITY;
    }
    if lt(x, qi(-12_000)) {
        return Quad::ZERO;
    }
    let ln2 = q(LN2);
    let k = (x / ln2)
        .value
        .round_to_integral(Round::NearestTiesToEven)
        .value;
    let r = (x - (k * ln2).value).value;
    let e = series(Quad::from_i128(1).value, |t, n| {
        ((t * r).value / qi(n)).value
    });
    let mut exact = false;
    let k = k.to_i128_r(32, Round::TowardZero, &mut exact).value as i32;
    e.scalbn_r(k, Round::NearestTiesToEven)
}

fn log_q(x: Quad) -> Quad {
    if x.is_nan() {
        return x;
    }
    if x.is_zero() {
        return -Quad::INFINITY;
    }
    if x.is_negative() {
        return Quad::NAN;
    }
    if x.is_infinite() {
        return x;
    }
    // x = m * 2^e with m in [1/√2, √2).
    let e = x.ilogb();
    let mut m = x.scalbn_r(-e, Round::NearestTiesToEven);
    let mut e = i64::from(e);
    if lt(q("1.414213562373095048801688724209698078570"), m) {
        m = m.scalbn_r(-1, Round::NearestTiesToEven);
        e += 1;
    }
    let one = qi(1);
    let s = ((m - one).value / (m + one).value).value;
    let s2 = (s * s).value;
    // atanh(s) = s + s³/3 + s⁵/5 + …
    let mut sum = s;
    let mut power = s;
    for k in 1..200 {
        power = (power * s2).value;
        let term = (power / qi(2 * k + 1)).value;
        let new = (sum + term).value;
        if new == sum {
            break;
        }
        sum = new;
    }
    let log_m = (sum * qi(2)).value;
    (log_m + (qi(e) * q(LN2)).value).value
}

/// `(sin r, cos r)` for |r| ≤ π/4.
fn sin_cos_small(r: Quad) -> (Quad, Quad) {
    let r2 = (r * r).value;
    let sin = series(r, |t, n| {
        (((-t * r2).value / qi(2 * n)).value / qi(2 * n + 1)).value
    });
    let cos = series(qi(1), |t, n| {
        (((-t * r2).value / qi(2 * n - 1)).value / qi(2 * n)).value
    });
    (sin, cos)
}

/// `(sin x, cos x)` with reduction by π/2.
fn sin_cos(x: Quad) -> (Quad, Quad) {
    if x.is_nan() || x.is_infinite() {
        return (Quad::NAN, Quad::NAN);
    }
    let half_pi = (q(PI) / qi(2)).value;
    let k = (x / half_pi)
        .value
        .round_to_integral(Round::NearestTiesToEven)
        .value;
    // Cody–Waite: π/2 = HI + LO with HI short enough that k·HI is exact, so the reduction keeps its
    // precision near multiples of π/2 (where tan is huge).
    let hi = Quad::from_u128(0x0324_3f6a_8885_a308_d313_198a)
        .value
        .scalbn(-89);
    let lo = q("2.903855973979360333879556990387591995385e-28");
    let r = ((x - (k * hi).value).value - (k * lo).value).value;
    let (s, c) = sin_cos_small(r);
    let mut exact = false;
    let quadrant = k
        .to_i128_r(128, Round::TowardZero, &mut exact)
        .value
        .rem_euclid(4);
    match quadrant {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    }
}

/// Square root in quad precision (Newton's method from the `f64` root).
fn sqrt_q(x: Quad) -> Quad {
    if x.is_zero() || x.is_nan() || (x.is_infinite() && !x.is_negative()) {
        return x;
    }
    if x.is_negative() {
        return Quad::NAN;
    }
    let approx: f64 = {
        let mut loses = false;
        let d: rustc_apfloat::ieee::Double = x.convert(&mut loses).value;
        f64::from_bits(d.to_bits() as u64).sqrt()
    };
    let mut y: Quad = {
        let d = rustc_apfloat::ieee::Double::from_bits(u128::from(approx.to_bits()));
        let mut loses = false;
        d.convert(&mut loses).value
    };
    let half = q("0.5");
    for _ in 0..4 {
        y = ((y + (x / y).value).value * half).value;
    }
    y
}

fn atan_q(x: Quad) -> Quad {
    if x.is_nan() {
        return x;
    }
    let half_pi = (q(PI) / qi(2)).value;
    if x.is_infinite() {
        return if x.is_negative() { -half_pi } else { half_pi };
    }
    let negative = x.is_negative();
    let mut t = abs(x);
    let mut offset = Quad::ZERO;
    if lt(qi(1), t) {
        t = (qi(1) / t).value;
        offset = half_pi;
    }
    // Two halvings: atan(t) = 2·atan(t / (1 + √(1 + t²))).
    let one = qi(1);
    for _ in 0..2 {
        let root = sqrt_q((one + (t * t).value).value);
        t = (t / (one + root).value).value;
    }
    let t2 = (t * t).value;
    let mut sum = t;
    let mut power = t;
    for k in 1..200 {
        power = (-power * t2).value;
        let term = (power / qi(2 * k + 1)).value;
        let new = (sum + term).value;
        if new == sum {
            break;
        }
        sum = new;
    }
    let mut a = (sum * qi(4)).value;
    if !offset.is_zero() {
        a = (offset - a).value;
    }
    if negative {
        -a
    } else {
        a
    }
}

fn asin_q(x: Quad) -> Quad {
    let one = qi(1);
    if lt(one, abs(x)) || x.is_nan() {
        return Quad::NAN;
    }
    if abs(x) == one {
        let half_pi = (q(PI) / qi(2)).value;
        return if x.is_negative() { -half_pi } else { half_pi };
    }
    let root = sqrt_q((one - (x * x).value).value);
    atan_q((x / root).value)
}

fn atan2_q(y: Quad, x: Quad) -> Quad {
    let pi = q(PI);
    if x.is_zero() {
        if y.is_zero() {
            return if x.is_negative() { pi.copy_sign(y) } else { y };
        }
        let half_pi = (pi / qi(2)).value;
        return if y.is_negative() { -half_pi } else { half_pi };
    }
    let base = atan_q((y / x).value);
    if !x.is_negative() {
        base
    } else if y.is_negative() {
        (base - pi).value
    } else {
        (base + pi).value
    }
}

fn is_integral(x: Quad) -> bool {
    x.is_finite() && x.round_to_integral(Round::TowardZero).value == x
}

fn pow_q(x: Quad, y: Quad) -> Quad {
    if y.is_zero() {
        return qi(1);
    }
    if x.is_nan() || y.is_nan() {
        return Quad::NAN;
    }
    if x.is_zero() {
        return if y.is_negative() {
            Quad::INFINITY
        } else {
            Quad::ZERO
        };
    }
    if x.is_negative() {
        if !is_integral(y) {
            return Quad::NAN;
        }
        let magnitude = exp_q((y * log_q(-x)).value);
        let half = (y / qi(2)).value;
        return if is_integral(half) {
            magnitude
        } else {
            -magnitude
        };
    }
    exp_q((y * log_q(x)).value)
}

/// A unary builtin by name.
pub(crate) fn unary(name: &str) -> Option<fn(Num) -> Num> {
    Some(match name {
        "COS" => |x| from_quad(sin_cos(to_quad(x)).1),
        "SIN" => |x| from_quad(sin_cos(to_quad(x)).0),
        "TAN" => |x| {
            let (s, c) = sin_cos(to_quad(x));
            from_quad((s / c).value)
        },
        "ACOS" => |x| {
            let v = to_quad(x);
            if lt(qi(1), abs(v)) || v.is_nan() {
                return invalid();
            }
            from_quad(((q(PI) / qi(2)).value - asin_q(v)).value)
        },
        "ASIN" => |x| checked(asin_q(to_quad(x))),
        "ATAN" => |x| from_quad(atan_q(to_quad(x))),
        "EXP" => |x| from_quad(exp_q(to_quad(x))),
        "EXP2" => |x| from_quad(exp_q((to_quad(x) * q(LN2)).value)),
        "EXP10" => |x| from_quad(exp_q((to_quad(x) * q(LN10)).value)),
        "LOG" => |x| checked(log_q(to_quad(x))),
        "LOG2" => |x| checked((log_q(to_quad(x)) / q(LN2)).value),
        "LOG10" => |x| checked((log_q(to_quad(x)) / q(LN10)).value),
        _ => return None,
    })
}

/// `ATAN2(y, x)` and `POW(x, y)`.
pub(crate) fn atan2(y: Num, x: Num) -> Num {
    from_quad(atan2_q(to_quad(y), to_quad(x)))
}

pub(crate) fn pow(x: Num, y: Num) -> Num {
    let r = pow_q(to_quad(x), to_quad(y));
    if r.is_nan() {
        // `powl` of a negative number to a fractional power gives x87's negative NaN.
        return Num::from_ext_value(-Ext::qnan(None));
    }
    from_quad(r)
}

/// A NaN produced from a valid number is an invalid operation: x87's negative NaN.
fn checked(v: Quad) -> Num {
    if v.is_nan() {
        invalid()
    } else {
        from_quad(v)
    }
}
