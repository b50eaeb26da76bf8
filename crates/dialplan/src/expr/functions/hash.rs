//! `HASH(name[,key])`, `HASHKEYS(name)` and `ARRAY(var1[,var2…])` (funcs/func_strings.c).
//!
//! A hash entry is the channel variable `~HASH~<name>~<key>~` (an inheritance prefix on the hash name moves
//! in front: `_h` stores `_~HASH~h~key~`). `HASHKEYS` lists the keys of a hash in the channel's variable
//! order (newest first). `HASH(name)` alone reads every value, comma-joined, and leaves the keys in
//! `~ODBCFIELDS~`, which `Set(HASH(name)=v1,v2)` then uses as the keys to write. `ARRAY(a,b)=1,2` sets
//! several variables at once; missing values set empty strings.

use super::util::{log, RESULT_LIMIT};
use super::{set_variable, split_args, Function};
use crate::diag::LogLevel;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Hash;
pub struct HashKeys;
pub struct Array;

/// The variable that holds `key` of hash `name`, with the inheritance prefix of `name` in front.
pub fn hash_var(name: &str, key: &str) -> String {
    if let Some(n) = name.strip_prefix("__") {
        format!("__~HASH~{n}~{key}~")
    } else if let Some(n) = name.strip_prefix('_') {
        format!("_~HASH~{n}~{key}~")
    } else {
        format!("~HASH~{name}~{key}~")
    }
}

/// The keys of hash `name` among `vars` (names newest first).
pub fn keys_of(name: &str, vars: &[String]) -> Vec<String> {
    let prefix = format!("~HASH~{name}~");
    vars.iter()
        .filter_map(|v| {
            let key = v.strip_prefix(&prefix)?;
            (v.len() > prefix.len() + 1 && key.ends_with('~'))
                .then(|| key[..key.len() - 1].to_string())
        })
        .collect()
}

fn keys_text(name: &str, ctx: &dyn VarContext) -> String {
    let mut s = keys_of(name, &ctx.var_names()).join(",");
    if s.len() > RESULT_LIMIT {
        s.truncate(super::super::cnum::prefix_bytes(&s, RESULT_LIMIT).len());
    }
    s
}

/// ARRAY's (and single-argument HASH's) assignment: `names` and `values` split the standard way.
fn assign(
    ctx: &mut dyn VarContext,
    fx: &mut Effects,
    names: &str,
    values: &str,
    hash: Option<&str>,
) {
    let names = split_args(names, 100);
    let values = split_args(values, 100);
    for (i, n) in names.iter().enumerate() {
        let value = values.get(i).map_or("", String::as_str);
        let var = match hash {
            // Asterisk's own quirk: a missing value is written without the inheritance prefix.
            Some(h) if i < values.len() => hash_var(h, n),
            Some(h) => format!("~HASH~{h}~{n}~"),
            None => n.clone(),
        };
        set_variable(ctx, &var, Some(value), fx);
    }
}

impl Function for Hash {
    fn name(&self) -> &'static str {
        "HASH"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 2);
        match a.len() {
            2 => Ok(ctx
                .get_var(&format!("~HASH~{}~{}~", a[0], a[1]))
                .map(|v| v.into_owned())
                .unwrap_or_default()),
            1 => {
                let cols = keys_text(&a[0], ctx);
                set_variable(ctx, "~ODBCFIELDS~", Some(&cols), fx);
                let mut out = Vec::new();
                for col in split_args(&cols, 100) {
                    let var = format!("~HASH~{}~{col}~", a[0]);
                    match ctx.get_var(&var) {
                        Some(v) => out.push(v.into_owned()),
                        None => {
                            log(
                                fx,
                                LogLevel::Warning,
                                "func_strings.c",
                                format!("No value found for '{var}'"),
                            );
                            return Err(FuncError::Failed);
                        }
                    }
                }
                Ok(out.join(","))
            }
            _ => Ok(String::new()),
        }
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        if !args.contains(',') {
            let Some(cols) = ctx.get_var("~ODBCFIELDS~").map(|c| c.into_owned()) else {
                return Err(FuncError::Failed);
            };
            assign(ctx, fx, &cols, value, Some(args));
            return Ok(());
        }
        let a = split_args(args, 2);
        let var = hash_var(&a[0], a.get(1).map_or("", String::as_str));
        set_variable(ctx, &var, Some(value), fx);
        Ok(())
    }
}

impl Function for HashKeys {
    fn name(&self) -> &'static str {
        "HASHKEYS"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(keys_text(args, ctx))
    }
}

impl Function for Array {
    fn name(&self) -> &'static str {
        "ARRAY"
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        assign(ctx, fx, args, value, None);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_keys() {
        assert_eq!(hash_var("h", "k"), "~HASH~h~k~");
        assert_eq!(hash_var("_h", "k"), "_~HASH~h~k~");
        assert_eq!(hash_var("__h", "k"), "__~HASH~h~k~");
        let vars = [
            "~HASH~h~b~".to_string(),
            "X".to_string(),
            "~HASH~h~a~".to_string(),
            "~HASH~hh~c~".to_string(),
            "~HASH~h~~".to_string(),
        ];
        assert_eq!(keys_of("h", &vars), ["b", "a"]);
    }
}
