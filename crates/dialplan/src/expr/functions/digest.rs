//! `MD5(data)` (funcs/func_md5.c over main/utils.c ast_md5_hash): the MD5 digest of the text as 32
//! lower-case hex digits; an empty argument warns and fails.

use super::util::log;
use super::Function;
use crate::diag::LogLevel;
use crate::expr::{Effects, FuncError, VarContext};
use ::md5::{Digest, Md5};
use std::fmt::Write;

pub struct Md5Fn;

impl Function for Md5Fn {
    fn name(&self) -> &'static str {
        "MD5"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        if args.is_empty() {
            log(
                fx,
                LogLevel::Warning,
                "func_md5.c",
                "Syntax: MD5(<data>) - missing argument!",
            );
            return Err(FuncError::Failed);
        }
        let digest = Md5::digest(args.as_bytes());
        let mut out = String::with_capacity(32);
        for b in digest {
            // Writing to a String cannot fail.
            let _ = write!(out, "{b:02x}");
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::testing::TestCtx;

    #[test]
    fn digests() {
        let mut ctx = TestCtx::new();
        let mut fx = Effects::new();
        assert_eq!(
            Md5Fn.read("hello", &mut ctx, &mut fx).ok().as_deref(),
            Some("5d41402abc4b2a76b9719d911017c592")
        );
        assert!(Md5Fn.read("", &mut ctx, &mut fx).is_err());
        assert_eq!(
            fx.console(),
            ["WARNING: func_md5.c: Syntax: MD5(<data>) - missing argument!"]
        );
    }
}
