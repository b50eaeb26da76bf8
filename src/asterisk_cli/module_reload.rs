//! `module reload [MODULE …]` and `core reload` (`main/cli.c` · `handle_reload`, `handle_core_reload`):
//! the loader reloads the named modules, or every module; the lines the reload logs go to the log, and
//! the CLI prints one line per named module.

use super::{CliAnswer, CliContext};
use crate::reload::{module_reload, ReloadResult};
use dialplan::engine::Engine;

/// `module reload` with `names` (none: every module, printing nothing).
pub(super) fn module(engine: &Engine, ctx: &CliContext, names: &[&str]) -> CliAnswer {
    if names.is_empty() {
        module_reload(engine, ctx, None);
        return CliAnswer::Output(String::new());
    }
    let mut out = String::new();
    for name in names {
        out.push_str(&answer(module_reload(engine, ctx, Some(name)), name));
    }
    CliAnswer::Output(out)
}

/// `core reload`: every module; the CLI prints nothing.
pub(super) fn core(engine: &Engine, ctx: &CliContext) -> CliAnswer {
    module_reload(engine, ctx, None);
    CliAnswer::Output(String::new())
}

/// The CLI's line for one module's result.
pub fn answer(result: ReloadResult, name: &str) -> String {
    match result {
        ReloadResult::NotFound => format!("No such module '{name}'\n"),
        ReloadResult::Error => format!("The module '{name}' reported a reload failure\n"),
        ReloadResult::Uninitialized => format!(
            "The module '{name}' was not properly initialized. Before reloading the module, you must run \"module load {name}\" and fix whatever is preventing the module from being initialized.\n"
        ),
        ReloadResult::Success => format!("Module '{name}' reloaded successfully.\n"),
    }
}
