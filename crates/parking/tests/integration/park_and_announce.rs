//! `ParkAndAnnounce()`'s announce call [res/parking/parking_applications.c · announce_to_dial,
//! inherit_channel_vars_from_id; main/channel.c · __ast_request_and_dial].
//!
//! The variables the call gets are a list built with `_PARKEDAT` first and each inheritable variable of the
//! parkee (walked newest first) put in front of it, so `ast_set_variables` sets them oldest first and
//! `_PARKEDAT` last, each with its `VarSet`. Then `ast_set_callerid` gives it the parkee's number and name
//! (`NewCallerid`) and the connected line is set to the same (`NewConnectedLine`), before the call.
//! A channel that cannot be requested logs NOTICE `Unable to request channel <tech>/<resource>` before
//! the WARNING `PARK: Unable to allocate announce channel.`

use crate::common;
use common::*;
use dialplan::engine::{Party, PhoneSpec};
use std::time::Duration;

const EXTENSIONS: &str = "\
[internal]
exten => 100,1,Set(_FIRST=1)
 same => n,Set(__SECOND=2)
 same => n,Set(PLAIN=3)
 same => n,ParkAndAnnounce(default,,PARKED,PJSIP/operator)
exten => 102,1,ParkAndAnnounce(default,,PARKED,PJSIP/nobody)
exten => 103,1,ParkAndAnnounce(default,,PARKED,PJSIP/carol)

[gone]
exten => s,1,Hangup()
";

const RES_PARKING: &str = "\
[default]
parkext => 700
parkpos => 701-709
context => parkedcalls
comebackcontext => gone
";

fn run(exten: &str) -> Vec<dialplan::engine::Event> {
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(RES_PARKING));
    let operator = PhoneSpec {
        answer_after: Some(Duration::from_secs(2)),
        ..phone("operator")
    };
    sim.devices(
        Devices::default()
            .phone("PJSIP/operator", vec![operator])
            .phone("PJSIP/carol", vec![phone("carol")]),
    );
    let bob = PhoneSpec {
        callerid: Some(Party::parse("\"Bob\" <2001>")),
        ..phone("bob")
    };
    let call = Call::new(0, "bob", bob, exten, "internal");
    sim.run(vec![call], vec![], Duration::from_secs(60)).events
}

#[test]
fn the_announce_call_gets_inherited_variables_then_parkedat_then_the_parkees_caller_id() {
    let ev = run("100");
    let op: Vec<String> = ev
        .iter()
        .filter_map(|e| e.fields())
        .filter(|f| {
            f.get("Channel")
                .is_some_and(|c| c.starts_with("PJSIP/operator"))
        })
        .map(|f| match (f.get("Variable"), f.get("Value")) {
            (Some(n), Some(v)) => format!("{} {n}={v}", f.name),
            _ => f.name.to_string(),
        })
        .take(6)
        .collect();
    assert_eq!(
        op,
        [
            "Newchannel",
            "VarSet FIRST=1",
            "VarSet __SECOND=2",
            "VarSet _PARKEDAT=701",
            "NewCallerid",
            "NewConnectedLine",
        ]
    );
    let connected = find_ami(&ev, "NewConnectedLine", None)
        .and_then(|e| e.fields())
        .expect("NewConnectedLine");
    assert_eq!(connected.get("ConnectedLineNum"), Some("2001"));
    assert_eq!(connected.get("ConnectedLineName"), Some("Bob"));
    assert_eq!(connected.get("CallerIDNum"), Some("2001"));
}

#[test]
fn an_announce_channel_that_cannot_be_requested_logs_the_notice_then_the_warning() {
    let text = console(&run("102"));
    let notice = text
        .find("NOTICE: channel.c: Unable to request channel PJSIP/nobody")
        .expect(&text);
    let warning = text
        .find("WARNING: parking_applications.c: PARK: Unable to allocate announce channel.")
        .expect(&text);
    assert!(notice < warning, "{text}");
}

/// Not answered within 30 s while ringing: hung up with cause 19 (`__ast_request_and_dial`: the last control
/// frame was RINGING), then the WARNING.
#[test]
fn an_unanswered_announce_call_is_hung_up_with_no_answer_after_30_s() {
    let ev = run("103");
    let hangup = find_ami(&ev, "Hangup", None)
        .filter(|e| {
            e.fields()
                .and_then(|f| f.get("Channel"))
                .is_some_and(|c| c.starts_with("PJSIP/carol"))
        })
        .expect("carol's Hangup");
    assert_eq!(hangup.fields().and_then(|f| f.get("Cause")), Some("19"));
    // bob sends no media: his answer waits the whole 500 ms, so he is parked at 0.5 s.
    assert_eq!(ms(hangup.time), 30_500);
    let text = console(&ev);
    assert!(
        text.contains("[00:00:30.500] WARNING: parking_applications.c: PARK: Unable to allocate announce channel."),
        "{text}"
    );
}
