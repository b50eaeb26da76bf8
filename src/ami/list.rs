//! The two blocks around a list action's events: `astman_send_listack` (`Response: Success`, `ActionID`,
//! `EventList: start`, `Message`) and `astman_send_list_complete` (`Event: …Complete`, `ActionID`,
//! `EventList: Complete`, `ListItems`).

use super::{Message, Reply};

/// The response of a list action, with no events yet.
pub fn list_ack(request: &Message, msg: &str) -> Reply {
    let mut m = Message::new();
    m.push("Response", "Success");
    if let Some(id) = request.get("ActionID").filter(|i| !i.is_empty()) {
        m.push("ActionID", id);
    }
    m.push("EventList", "start");
    m.push("Message", msg);
    Reply {
        response: m,
        events: Vec::new(),
    }
}

/// The closing event of a list of `count` items.
pub fn list_complete(request: &Message, event: &str, count: usize) -> Message {
    let mut m = Message::new();
    m.push("Event", event);
    if let Some(id) = request.get("ActionID").filter(|i| !i.is_empty()) {
        m.push("ActionID", id);
    }
    m.push("EventList", "Complete");
    m.push("ListItems", count.to_string());
    m
}
