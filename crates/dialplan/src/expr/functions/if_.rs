//! `IF(expr?[true][:false])` (funcs/func_logic.c).
//!
//! The condition is split off at the first `?` (quotes and backslashes processed in it), the rest at the first
//! `:` — everything after that `:` is the false branch, colons included. Both branches and the condition are
//! stripped of blanks; the condition follows the dialplan truth rule ([`check_condition`]). Without a `?`
//! branch list, or with an empty condition, the function fails (Asterisk logs only at debug level).

use super::Function;
use crate::expr::args::{separate_args, ArgMode};
use crate::expr::cnum::strip;
use crate::expr::{check_condition, Effects, FuncError, VarContext};

pub struct If;

impl Function for If {
    fn name(&self) -> &'static str {
        "IF"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let first = separate_args(args, '?', ArgMode::Standard, 2);
        let expr = first.first().map(String::as_str).unwrap_or("");
        let branches = match first.get(1) {
            Some(rest) => separate_args(rest, ':', ArgMode::Standard, 2),
            None => Vec::new(),
        };
        if expr.is_empty() || branches.is_empty() {
            return Err(FuncError::Failed);
        }
        let branch = if check_condition(strip(expr)) {
            branches.first()
        } else {
            branches.get(1)
        };
        Ok(branch.map(|b| strip(b).to_owned()).unwrap_or_default())
    }
}
