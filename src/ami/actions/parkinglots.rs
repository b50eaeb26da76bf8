//! `Parkinglots` (res_parking): a list of every lot. [res/parking/parking_manager.c ·
//! manager_parking_lot_list]

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};

pub const DEF: ActionDef = ActionDef {
    name: "Parkinglots",
    privilege: &["call"],
    synopsis: "Get a list of parking lots",
    run,
};

/// The list ack, one `Parkinglot` event per lot (name order), then `ParkinglotsComplete`.
fn run(ctx: &AmiContext<'_>, request: &Message) -> Reply {
    let Some(parking) = &ctx.modules.parking else {
        return crate::ami::unknown_action(request);
    };
    let mut reply = Reply::list_ack(request, "Parking lots will follow");
    let lots = parking.ami_lots();
    for lot in &lots {
        let mut e = Message::new();
        e.push("Event", "Parkinglot");
        push_action_id(&mut e, request);
        e.push("Name", lot.name.clone());
        e.push("StartSpace", lot.start.to_string());
        e.push("StopSpace", lot.stop.to_string());
        e.push("Timeout", lot.timeout.to_string());
        reply.events.push(e);
    }
    reply.events.push(Reply::list_complete(
        request,
        "ParkinglotsComplete",
        lots.len(),
    ));
    reply
}

pub(super) fn push_action_id(m: &mut Message, request: &Message) {
    if let Some(id) = request.get("ActionID").filter(|id| !id.is_empty()) {
        m.push("ActionID", id);
    }
}
