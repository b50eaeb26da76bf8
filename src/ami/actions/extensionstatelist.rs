//! `ExtensionStateList`: every hint's current state, one `ExtensionStatus` event each, in the order
//! `core show hints` lists them, pattern hints left out. [main/extension_state.c ·
//! action_extensionstatelist]

use super::extensionstate::hint_status;
use super::parkinglots::push_action_id;
use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use crate::asterisk_cli::core_show_hints::ordered;
use parking::runtime::devstate::engine_hints;

pub const DEF: ActionDef = ActionDef {
    name: "ExtensionStateList",
    privilege: &["call", "reporting"],
    synopsis: "List the current known extension states.",
    run,
};

fn run(ctx: &AmiContext<'_>, request: &Message) -> Reply {
    let hints = ordered(engine_hints(ctx.engine));
    if hints.is_empty() {
        return Reply::error(request, "No dialplan hints are available");
    }
    let mut reply = Reply::list_ack(request, "Extension Statuses will follow");
    let mut count = 0;
    for hint in hints.iter().filter(|h| !h.is_pattern()) {
        count += 1;
        let status = hint_status(ctx, hint);
        let mut e = Message::new();
        e.push("Event", "ExtensionStatus");
        push_action_id(&mut e, request);
        e.push("Exten", hint.exten.clone());
        e.push("Context", hint.context.clone());
        e.push("Hint", hint.devices.clone());
        e.push("Status", status.to_string());
        e.push("StatusText", super::extensionstate::state_text(status));
        reply.events.push(e);
    }
    reply.events.push(Reply::list_complete(
        request,
        "ExtensionStateListComplete",
        count,
    ));
    reply
}
