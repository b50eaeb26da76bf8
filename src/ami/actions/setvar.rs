//! `Setvar`: sets a channel variable (or a dialplan function), or a global without `Channel`
//! (`action_setvar`).

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};

pub const DEF: ActionDef = ActionDef {
    name: "Setvar",
    privilege: &["call"],
    synopsis: "Sets a channel variable or function value.",
    run,
};

fn run(ctx: &AmiContext<'_>, m: &Message) -> Reply {
    let var = m.get("Variable").unwrap_or("");
    if var.is_empty() {
        return Reply::error(m, "No variable specified");
    }
    let value = m.get("Value").unwrap_or("");
    let chan_name = m.get("Channel").unwrap_or("");
    if chan_name.is_empty() {
        ctx.engine.set_global(var, Some(value));
    } else {
        match ctx.engine.find_channel(chan_name) {
            Some(c) => ctx.engine.setvar_helper(c, var, value),
            None => return Reply::error(m, "No such channel"),
        }
    }
    Reply::success(m, Some("Variable Set"))
}
