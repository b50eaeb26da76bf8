//! `TRIM(string)`, `LTRIM(string)`, `RTRIM(string)` (funcs/func_strings.c): white space (C `isspace`)
//! removed at both ends, the left or the right. An empty argument fails.

use super::Function;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Trim;
pub struct LTrim;
pub struct RTrim;

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

macro_rules! trim_fn {
    ($ty:ident, $name:literal, $how:expr) => {
        impl Function for $ty {
            fn name(&self) -> &'static str {
                $name
            }

            fn read(
                &self,
                args: &str,
                _ctx: &mut dyn VarContext,
                _fx: &mut Effects,
            ) -> Result<String, FuncError> {
                if args.is_empty() {
                    return Err(FuncError::Failed);
                }
                let how: fn(&str) -> &str = $how;
                Ok(how(args).to_string())
            }
        }
    };
}

trim_fn!(Trim, "TRIM", |s| s.trim_matches(is_space));
trim_fn!(LTrim, "LTRIM", |s| s.trim_start_matches(is_space));
trim_fn!(RTrim, "RTRIM", |s| s.trim_end_matches(is_space));
