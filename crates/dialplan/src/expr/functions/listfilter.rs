//! `LISTFILTER(varname,delim,value)` (funcs/func_strings.c): the variable's list without the fields equal
//! to `value`. The delimiter may be several characters (escapes decoded; empty means `,`). An empty
//! variable fails.

use super::util::{encoded_str, var_value};
use super::{split_args, Function};
use crate::expr::{Effects, FuncError, VarContext};

pub struct ListFilter;

/// Removes the fields of `list` equal to `value` (Asterisk's scan, including its quirks with adjacent
/// delimiters).
pub fn filter_list(list: &str, delim: &str, value: &str) -> String {
    if !list.contains(value) {
        return list.to_string();
    }
    let delim = if delim.is_empty() { "," } else { delim };
    let mut out = String::with_capacity(list.len());
    let mut first = true;
    for field in list.split(delim) {
        if field == value {
            continue;
        }
        if !first {
            out.push_str(delim);
        }
        out.push_str(field);
        first = false;
    }
    out
}

/// `LISTFILTER(<listname>,<delimiter>,<fieldvalue>)`: fewer than 3 arguments are refused.
const LISTFILTER_RULE: super::ArgRule = super::ArgRule {
    refused: |a| super::split_args(a, 3).len() < 3,
    level: crate::diag::LogLevel::Error,
    source: "func_strings.c",
    log: "Usage: LISTFILTER(<listname>,<delimiter>,<fieldvalue>)",
    usage: "LISTFILTER(<listname>,<delimiter>,<fieldvalue>)",
    needed: Some(3),
};

impl Function for ListFilter {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&LISTFILTER_RULE)
    }

    fn name(&self) -> &'static str {
        "LISTFILTER"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 3);
        LISTFILTER_RULE.apply(args, fx)?;
        let list = var_value(ctx, fx, &a[0]);
        if list.is_empty() {
            return Err(FuncError::Failed);
        }
        let delim = super::util::text(encoded_str(a[1].as_bytes(), fx));
        Ok(filter_list(&list, &delim, &a[2]))
    }
}

#[cfg(test)]
mod tests {
    use super::filter_list;

    #[test]
    fn filters() {
        assert_eq!(filter_list("a,b,c,b", ",", "b"), "a,c");
        assert_eq!(filter_list("a,b,c", ",", "x"), "a,b,c");
        assert_eq!(filter_list("b", ",", "b"), "");
        assert_eq!(filter_list("a--b--c", "--", "b"), "a--c");
        assert_eq!(filter_list("a,bb,b", "", "b"), "a,bb");
    }
}
