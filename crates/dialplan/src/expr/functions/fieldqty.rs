//! `FIELDQTY(varname,delim)` (funcs/func_strings.c): how many fields the variable's value has. An empty value
//! has 0; without a delimiter argument the answer is 1.

use super::util::{encoded_char, fields, var_value};
use super::{split_args, Function};
use crate::expr::{Effects, FuncError, VarContext};

pub struct FieldQty;

impl Function for FieldQty {
    fn name(&self) -> &'static str {
        "FIELDQTY"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 2);
        let Some(delim) = a.get(1) else {
            return Ok(String::from("1"));
        };
        // An empty delimiter leaves C's delimiter set empty: the whole value is one field.
        let d = encoded_char(delim.as_bytes(), fx).map(|(c, _)| c);
        let value = var_value(ctx, fx, a.first().map_or("", String::as_str));
        let n = match (value.is_empty(), d) {
            (true, _) => 0,
            (false, None) | (false, Some(0)) => 1,
            (false, Some(d)) => fields(value.as_bytes(), d).count(),
        };
        Ok(n.to_string())
    }
}
