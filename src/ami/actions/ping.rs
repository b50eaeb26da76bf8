//! `Ping`: keeps a session alive and tells the client the server's time.

use super::ActionDef;
use crate::ami::{timestamp, AmiContext, Message, Reply};

pub const DEF: ActionDef = ActionDef {
    name: "Ping",
    privilege: &[],
    synopsis: "Keepalive command.",
    run,
};

/// `Response: Success`, `Ping: Pong` and the (virtual) time, with no `Message` header.
fn run(ctx: &AmiContext<'_>, request: &Message) -> Reply {
    let mut reply = Reply::success(request, None);
    reply.response.push("Ping", "Pong");
    reply.response.push("Timestamp", timestamp(ctx.engine));
    reply
}
