//! `RAND([min][,max])` (funcs/func_rand.c): a number in `[min, max]` (defaults 0 and 2147483647, swapped
//! when reversed), from the engine's seeded generator so runs repeat.

use super::util::engine_of;
use super::{split_args, Function};
use crate::expr::cnum::scan_int;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Rand;

/// The range RAND draws from.
pub fn range(args: &str) -> (i32, i32) {
    let a = split_args(args, 2);
    let num = |i: usize, dflt: i32| {
        a.get(i)
            .filter(|s| !s.is_empty())
            .and_then(|s| scan_int(s))
            .map_or(dflt, |(n, _)| n)
    };
    let (lo, hi) = (num(0, 0), num(1, i32::MAX));
    if hi < lo {
        (hi, lo)
    } else {
        (lo, hi)
    }
}

impl Function for Rand {
    fn name(&self) -> &'static str {
        "RAND"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (lo, hi) = range(args);
        let (e, _) = engine_of(ctx, "RAND")?;
        // ast_random() is a long in [0, RAND_MAX]; C's `%` on the int range.
        let r = (e.random_u64() >> 33) as i64;
        let span = i64::from(hi) - i64::from(lo) + 1;
        let v = i64::from(lo) + r % span.max(1);
        Ok((v as i32).to_string())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ranges() {
        assert_eq!(super::range(""), (0, i32::MAX));
        assert_eq!(super::range("1,8"), (1, 8));
        assert_eq!(super::range("8,1"), (1, 8));
        assert_eq!(super::range("x,5"), (0, 5));
    }
}
