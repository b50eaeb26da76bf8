//! `Reload` (`main/manager.c` · `action_reload`): `ast_module_reload` of the `Module` header's module, or
//! of every module without one, through the same reload as the CLI's `module reload` (see
//! [`crate::reload`]). A module dialsim does not simulate is not found.

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use crate::reload::{module_reload, ReloadResult};

pub const DEF: ActionDef = ActionDef {
    name: "Reload",
    privilege: &["system", "config"],
    synopsis: "Send a reload event.",
    run,
};

fn run(ctx: &AmiContext<'_>, m: &Message) -> Reply {
    let module = m.get("Module").filter(|v| !v.is_empty());
    match module_reload(ctx.engine, ctx.modules, module) {
        ReloadResult::NotFound => Reply::error(m, "No such module"),
        ReloadResult::Error => Reply::error(m, "An unknown error occurred"),
        ReloadResult::Uninitialized => Reply::error(m, "Module not initialized"),
        ReloadResult::Success => Reply::success(m, Some("Module Reloaded")),
    }
}
