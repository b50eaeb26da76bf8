//! `DB(family/key)`, `DB_EXISTS`, `DB_DELETE`, `DB_KEYS`, `DB_KEYCOUNT` (funcs/func_db.c) on the engine's
//! in-memory AstDB. The argument splits at the first `/` into family and key; reading a value that exists
//! sets `DB_RESULT`.

use super::util::{engine_of, log};
use super::{set_variable, Function};
use crate::diag::LogLevel;
use crate::expr::args::{separate_args, ArgMode};
use crate::expr::{Effects, FuncError, VarContext};

pub struct Db;
pub struct DbExists;
pub struct DbDelete;
pub struct DbKeys;
pub struct DbKeyCount;

const SRC: &str = "func_db.c";

/// `family/key` split as `AST_NONSTANDARD_APP_ARGS(args, parse, '/')` does; `None` without a `/`.
pub fn family_key(args: &str) -> Option<(String, String)> {
    let mut a = separate_args(args, '/', ArgMode::Standard, 2).into_iter();
    let family = a.next()?;
    let key = a.next()?;
    Some((family, key))
}

fn parse_or_warn(args: &str, usage: &str, fx: &mut Effects) -> Result<(String, String), FuncError> {
    match family_key(args).filter(|_| !args.is_empty()) {
        Some(fk) => Ok(fk),
        None => {
            log(fx, LogLevel::Warning, SRC, usage);
            Err(FuncError::Failed)
        }
    }
}

/// `DB(<family>/<key>)`: without a `/` (or empty) it is refused.
const DB_RULE: super::ArgRule = super::ArgRule {
    refused: |a| a.is_empty() || family_key(a).is_none(),
    level: LogLevel::Warning,
    source: SRC,
    log: "DB requires an argument, DB(<family>/<key>)",
    usage: "DB(<family>/<key>)",
    needed: None,
};

impl Function for Db {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&DB_RULE)
    }

    fn name(&self) -> &'static str {
        "DB"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (f, k) = parse_or_warn(args, "DB requires an argument, DB(<family>/<key>)", fx)?;
        let (e, _) = engine_of(ctx, "DB")?;
        let value = e.astdb().get(&f, &k).map(str::to_string);
        match value {
            Some(v) => {
                set_variable(ctx, "DB_RESULT", Some(&v), fx);
                Ok(v)
            }
            None => Ok(String::new()),
        }
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        if args.is_empty() {
            log(
                fx,
                LogLevel::Warning,
                SRC,
                "DB requires an argument, DB(<family>/<key>)=<value>",
            );
            return Err(FuncError::Failed);
        }
        let (f, k) = parse_or_warn(
            args,
            "DB requires an argument, DB(<family>/<key>)=value",
            fx,
        )?;
        if k.is_empty() || k.starts_with('/') || k.ends_with('/') || k.contains("//") {
            log(
                fx,
                LogLevel::Warning,
                SRC,
                format!("DB: key '{k}' seems malformed"),
            );
        }
        let (e, _) = engine_of(ctx, "DB")?;
        e.astdb().put(&f, &k, value);
        Ok(())
    }
}

/// `DB_EXISTS(<family>/<key>)`: without a `/` (or empty) it is refused.
const DB_EXISTS_RULE: super::ArgRule = super::ArgRule {
    refused: |a| a.is_empty() || family_key(a).is_none(),
    level: LogLevel::Warning,
    source: SRC,
    log: "DB_EXISTS requires an argument, DB(<family>/<key>)",
    usage: "DB_EXISTS(<family>/<key>)",
    needed: None,
};

impl Function for DbExists {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&DB_EXISTS_RULE)
    }

    fn name(&self) -> &'static str {
        "DB_EXISTS"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (f, k) = parse_or_warn(
            args,
            "DB_EXISTS requires an argument, DB(<family>/<key>)",
            fx,
        )?;
        let (e, _) = engine_of(ctx, "DB_EXISTS")?;
        let value = e.astdb().get(&f, &k).map(str::to_string);
        match value {
            Some(v) => {
                set_variable(ctx, "DB_RESULT", Some(&v), fx);
                Ok(String::from("1"))
            }
            None => Ok(String::from("0")),
        }
    }
}

fn db_delete(args: &str, ctx: &mut dyn VarContext, fx: &mut Effects) -> Result<String, FuncError> {
    let (f, k) = parse_or_warn(
        args,
        "DB_DELETE requires an argument, DB_DELETE(<family>/<key>)",
        fx,
    )?;
    let (e, _) = engine_of(ctx, "DB_DELETE")?;
    let value = {
        let mut db = e.astdb();
        let v = db.get(&f, &k).map(str::to_string);
        if v.is_some() {
            db.del(&f, &k);
        }
        v.unwrap_or_default()
    };
    set_variable(ctx, "DB_RESULT", Some(&value), fx);
    Ok(value)
}

/// `DB_DELETE(<family>/<key>)`: without a `/` (or empty) it is refused.
const DB_DELETE_RULE: super::ArgRule = super::ArgRule {
    refused: |a| a.is_empty() || family_key(a).is_none(),
    level: LogLevel::Warning,
    source: SRC,
    log: "DB_DELETE requires an argument, DB_DELETE(<family>/<key>)",
    usage: "DB_DELETE(<family>/<key>)",
    needed: None,
};

impl Function for DbDelete {
    fn arg_rule(&self) -> Option<&'static super::ArgRule> {
        Some(&DB_DELETE_RULE)
    }

    fn name(&self) -> &'static str {
        "DB_DELETE"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        db_delete(args, ctx, fx)
    }

    fn write(
        &self,
        args: &str,
        _value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        db_delete(args, ctx, fx).map(|_| ())
    }
}

/// The distinct next path components under `prefix` (surrounding slashes ignored), in key order.
fn components(e: &crate::engine::Engine, prefix: &str) -> Vec<String> {
    let prefix = prefix.trim_matches('/');
    let db = e.astdb();
    let mut out: Vec<String> = Vec::new();
    for (key, _) in db.tree(prefix) {
        let rest = &key[prefix.len() + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let cur = rest.split('/').next().unwrap_or("");
        if out.last().is_some_and(|l| l.eq_ignore_ascii_case(cur)) {
            continue;
        }
        out.push(cur.to_string());
    }
    out
}

impl Function for DbKeys {
    fn name(&self) -> &'static str {
        "DB_KEYS"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (e, _) = engine_of(ctx, "DB_KEYS")?;
        let keys: Vec<String> = components(&e, args)
            .into_iter()
            .map(|k| k.replace(',', "\\,"))
            .collect();
        Ok(keys.join(","))
    }
}

impl Function for DbKeyCount {
    fn name(&self) -> &'static str {
        "DB_KEYCOUNT"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (e, _) = engine_of(ctx, "DB_KEYCOUNT")?;
        Ok(components(&e, args).len().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::family_key;

    #[test]
    fn splits() {
        assert_eq!(family_key("cf/1001"), Some(("cf".into(), "1001".into())));
        assert_eq!(family_key("cf/a/b"), Some(("cf".into(), "a/b".into())));
        assert_eq!(family_key("cf"), None);
    }
}
