//! `Park` (res_parking): parks a channel. [res/parking/parking_manager.c · manager_park]
//!
//! `Channel` is parked. With `TimeoutChannel` (alias `Channel2`) naming its bridge peer, the peer parks it
//! as with one-touch parking (it hears the space and leaves, and is the parker); otherwise the channel parks
//! itself silently and `AnnounceChannel`, if bridged, hears the space; a channel in no bridge is first
//! yanked out of its dialplan (a `Surrogate/<name>` takes over the old dialplan and ends it). `Timeout` is in
//! milliseconds (whole seconds, at least 1; 0: no limit), `ParkingSpace` becomes `PARKINGEXTEN`.

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use parking::runtime::manager::AmiParkRequest;

pub const DEF: ActionDef = ActionDef {
    name: "Park",
    privilege: &["call"],
    synopsis: "Park a channel.",
    run,
};

fn run(ctx: &AmiContext<'_>, request: &Message) -> Reply {
    let Some(parking) = &ctx.modules.parking else {
        return crate::ami::unknown_action(request);
    };
    let h = |k: &str| request.get(k).unwrap_or_default().to_string();
    let timeout_channel = match h("TimeoutChannel") {
        t if t.is_empty() => h("Channel2"),
        t => t,
    };
    let req = AmiParkRequest {
        channel: h("Channel"),
        timeout_channel,
        announce_channel: h("AnnounceChannel"),
        timeout: h("Timeout"),
        parkinglot: h("Parkinglot"),
        parking_space: h("ParkingSpace"),
    };
    match parking.ami_park(ctx.engine, &req) {
        Ok(()) => Reply::success(request, Some("Park successful\n")),
        Err(e) => Reply::error(request, &e.0),
    }
}
