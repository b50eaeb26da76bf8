//! `Getvar`: a channel variable, a global, or a dialplan function's value (`action_getvar`).

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};

pub const DEF: ActionDef = ActionDef {
    name: "Getvar",
    privilege: &["call", "reporting"],
    synopsis: "Gets a channel variable or function value.",
    run,
};

/// `Variable:` and `Value:` after the ack; an unset variable has an empty value. Without a channel only
/// globals are read (dialsim has no dummy channel for functions: a function then reads as empty).
fn run(ctx: &AmiContext<'_>, m: &Message) -> Reply {
    let var = m.get("Variable").unwrap_or("");
    if var.is_empty() {
        return Reply::error(m, "No variable specified");
    }
    let chan_name = m.get("Channel").unwrap_or("");
    let chan = if chan_name.is_empty() {
        None
    } else {
        match ctx.engine.find_channel(chan_name) {
            Some(c) => Some(c),
            None => return Reply::error(m, "No such channel"),
        }
    };
    let value = match chan {
        Some(c) if var.ends_with(')') => ctx
            .engine
            .substitute(c, &format!("${{{var}}}"))
            .into_owned(),
        Some(c) => ctx.engine.lookup_var(c, var).unwrap_or_default(),
        None if var.ends_with(')') => String::new(),
        None => ctx.engine.global(var).unwrap_or_default(),
    };
    let mut r = Reply::success(m, None);
    r.response.push("Variable", var);
    r.response.push("Value", value);
    r
}
