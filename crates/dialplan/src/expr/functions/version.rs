//! `VERSION([info])` (funcs/func_version.c acf_version_exec): the version of the Asterisk dialsim
//! follows (22.10.1, the reference installation's `core show version`), `ASTERISK_VERSION_NUM` as the
//! Makefile derives it from `.version` (`%01d%02d%02d`), and the build details of that installation.

use super::split_args;
use super::Function;
use crate::expr::{Effects, FuncError, VarContext};

/// The Asterisk version dialsim simulates (`ast_get_version`).
pub const ASTERISK_VERSION: &str = "22.10.1";

pub struct Version;

impl Function for Version {
    fn name(&self) -> &'static str {
        "VERSION"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let info = split_args(args, 1).into_iter().next().unwrap_or_default();
        // The build details of the reference installation: "built by root @ vm on a x86_64 running
        // Linux on 2026-11-26 12:32:54 UTC" (core show version). BUILD_KERNEL is not shown there.
        let answer = match info.to_ascii_uppercase().as_str() {
            "BUILD_KERNEL" => return Err(FuncError::NotSimulated(
                "VERSION(BUILD_KERNEL) is the kernel release of the host Asterisk was built on, \
                     which the simulation does not know"
                    .to_string(),
            )),
            "ASTERISK_VERSION_NUM" => "221001",
            "BUILD_USER" => "root",
            "BUILD_HOSTNAME" => "vm",
            "BUILD_MACHINE" => "x86_64",
            "BUILD_OS" => "Linux",
            "BUILD_DATE" => "2026-11-26 12:32:54 UTC",
            _ => ASTERISK_VERSION,
        };
        Ok(answer.to_string())
    }
}
