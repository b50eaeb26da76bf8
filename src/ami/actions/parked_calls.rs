//! `ParkedCalls [ParkingLot]` (res_parking): a list of the parked calls. [res/parking/parking_manager.c ·
//! manager_parking_status]

use super::parkinglots::push_action_id;
use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};

pub const DEF: ActionDef = ActionDef {
    name: "ParkedCalls",
    privilege: &["call"],
    synopsis: "List parked calls.",
    run,
};

/// The list ack, one `ParkedCall` event per call (its `ActionID` last, no `Privilege`), then
/// `ParkedCallsComplete` with `ListItems` and `Total`. An unknown lot is an error.
fn run(ctx: &AmiContext<'_>, request: &Message) -> Reply {
    let Some(parking) = &ctx.modules.parking else {
        return crate::ami::unknown_action(request);
    };
    let lot = request.get("ParkingLot").filter(|l| !l.is_empty());
    let Some(calls) = parking.ami_parked_calls(ctx.engine, lot) else {
        return Reply::error(request, "Requested parking lot could not be found.");
    };
    let mut reply = Reply::list_ack(request, "Parked calls will follow");
    for call in &calls {
        let mut e = Message::new();
        e.push("Event", "ParkedCall");
        for (k, v) in &call.fields {
            e.push(k.to_string(), v.clone());
        }
        push_action_id(&mut e, request);
        reply.events.push(e);
    }
    let mut done = Reply::list_complete(request, "ParkedCallsComplete", calls.len());
    done.push("Total", calls.len().to_string());
    reply.events.push(done);
    reply
}
