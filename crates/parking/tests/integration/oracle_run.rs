//! The oracle run (real Asterisk 22.10.1, `shared/reference/oracle-example-1/`) reproduced: one call from
//! `PJSIP/outside` to `5555001@from-outside`, alice emulated by `Local/alice@parking-example/n` with `k`;
//! alice presses `#72`, the caller is parked at 701 while alice hears "seven zero one", alice's `;2`
//! retrieves 701 during that announcement, and the call collapses when the announcement ends.
//!
//! The real caller was `Local/5555001@from-outside-00000000;2`; here it is `PJSIP/outside-00000000`, and
//! alice's pair is numbered 00000000 instead of 00000001 (no Local caller pair before it).

use crate::common;
use common::*;
use dialplan::engine::{Event, EventBody};
use std::time::Duration;

fn run() -> Run {
    let sim = oracle();
    sim.run(
        vec![Call::new(
            0,
            "outside",
            outside_caller(),
            "5555001",
            "from-outside",
        )],
        vec![],
        Duration::from_secs(3600),
    )
}

const OUTSIDE: &str = "PJSIP/outside-00000000";
const ALICE1: &str = "Local/alice@parking-example-00000000;1";
const ALICE2: &str = "Local/alice@parking-example-00000000;2";

/// One expected AMI event: name, the field that identifies it and its value, the oracle's time in ms
/// after the call started (receive time minus 27.731 s).
struct Expect(&'static str, &'static str, &'static str, u64);

/// Checks that `expected` appear in `events` in this order (other events may lie between), each within
/// 10 ms of the oracle's time.
fn assert_subsequence(events: &[Event], expected: &[Expect]) {
    let mut i = 0;
    for Expect(name, key, value, at) in expected {
        let found = events[i..].iter().position(|e| match &e.body {
            EventBody::Ami(f) => f.name == *name && (key.is_empty() || f.get(key) == Some(value)),
            _ => false,
        });
        let Some(pos) = found else {
            panic!(
                "{name} {key}={value} not found in order after event {i}\n{}",
                render(events)
            );
        };
        let t = ms(events[i + pos].time);
        assert!(
            t.abs_diff(*at) <= 10,
            "{name} {key}={value} at {t} ms, the oracle had {at} ms"
        );
        i += pos + 1;
    }
}

#[test]
fn parking_and_retrieval_follow_the_oracle_ami_order_and_times() {
    let r = run();
    let parked = [
        Expect("DTMFEnd", "Digit", "2", 2806),
        Expect("BridgeCreate", "BridgeType", "parking", 2807),
        Expect("VarSet", "Value", ALICE1, 2807),
        Expect("ParkedCall", "ParkeeChannel", OUTSIDE, 2807),
        Expect("BridgeLeave", "Channel", OUTSIDE, 2807),
        Expect("BridgeEnter", "BridgeType", "parking", 2807),
        Expect("VarSet", "Variable", "BLINDTRANSFER", 2807),
        Expect("VarSet", "Variable", "BRIDGEPEER", 2807),
        Expect("MusicOnHoldStart", "Channel", OUTSIDE, 2807),
        Expect("Newexten", "Application", "Goto", 3558),
        Expect("Newexten", "Application", "ParkedCall", 3558),
        Expect("BridgeCreate", "BridgeType", "basic", 3558),
        Expect("MusicOnHoldStop", "Channel", OUTSIDE, 3558),
        Expect("UnParkedCall", "RetrieverChannel", ALICE2, 3558),
        Expect("BridgeLeave", "BridgeType", "parking", 3558),
        Expect("BridgeEnter", "Channel", OUTSIDE, 3558),
        Expect("BridgeEnter", "Channel", ALICE2, 3558),
        Expect("VarSet", "Value", ALICE2, 3558),
        Expect("VarSet", "Value", OUTSIDE, 3558),
        // The retriever's join exchanges connected lines: alice's ;2 now shows the parked caller.
        Expect("NewConnectedLine", "Channel", ALICE2, 3558),
    ];
    let collapse = [
        // ;1's caller id was changed silently by ;2's connected-line update; its next snapshot (the
        // bridge leave) announces it.
        Expect("NewCallerid", "Channel", ALICE1, 5407),
        Expect("BridgeLeave", "Channel", ALICE1, 5407),
        Expect("HangupRequest", "Channel", ALICE2, 5407),
        Expect("Hangup", "Channel", ALICE1, 5407),
        Expect("BridgeLeave", "Channel", ALICE2, 5407),
        Expect("SoftHangupRequest", "Channel", ALICE2, 5407),
        Expect("Hangup", "Channel", ALICE2, 5407),
        // The first bridge lives on, held by ;1's bridge-channel, until the Local pair is gone.
        Expect("BridgeDestroy", "", "", 5407),
        Expect("BridgeLeave", "Channel", OUTSIDE, 5407),
        Expect("BridgeDestroy", "", "", 5407),
        Expect("VarSet", "Variable", "DIALSTATUS", 5407),
        Expect("Hangup", "Channel", OUTSIDE, 5407),
    ];
    // One sequence: the collapse is looked for after the retrieval.
    let all: Vec<Expect> = parked.into_iter().chain(collapse).collect();
    assert_subsequence(&r.events, &all);
}

#[test]
fn connected_line_and_caller_id_updates_carry_the_oracle_fields() {
    let r = run();
    let events: Vec<&dialplan::engine::Fields> =
        r.events.iter().filter_map(Event::fields).collect();
    let colp = events
        .iter()
        .find(|f| {
            f.name == "NewConnectedLine"
                && f.get("Channel") == Some(ALICE2)
                && f.get("Context") == Some("parkedcalls")
        })
        .expect("NewConnectedLine on ;2 at retrieval");
    assert_eq!(colp.get("CallerIDNum"), Some("5550100"));
    assert_eq!(colp.get("ConnectedLineNum"), Some("5550100"));
    assert_eq!(colp.get("ConnectedLineName"), Some("Outside Caller"));
    let pos = events
        .iter()
        .position(|f| {
            f.name == "NewCallerid"
                && f.get("Channel") == Some(ALICE1)
                && f.get("CallerIDNum") == Some("5550100")
        })
        .expect("NewCallerid on ;1");
    let cid = events[pos];
    assert_eq!(cid.get("ConnectedLineNum"), Some("5550100"));
    assert_eq!(cid.get("Context"), Some("parking-example"));
    assert_eq!(
        cid.get("CID-CallingPres"),
        Some("0 (Presentation Allowed, Not Screened)")
    );
    // The VarSet just before still shows the cached snapshot's caller id, as in the oracle.
    let before = events[pos - 1];
    assert_eq!(before.name, "VarSet");
    assert_eq!(before.get("Variable"), Some("BRIDGEPEER"));
    assert_eq!(before.get("CallerIDNum"), Some("5555001"));
    // The bridge the call started in is destroyed after ;2's hangup, the retrieval bridge after
    // the caller leaves it.
    let uid_of_first = events
        .iter()
        .find(|f| f.name == "BridgeEnter" && f.get("Channel") == Some(ALICE1))
        .and_then(|f| f.get("BridgeUniqueid"))
        .expect("first bridge");
    let destroy = events
        .iter()
        .position(|f| f.name == "BridgeDestroy" && f.get("BridgeUniqueid") == Some(uid_of_first))
        .expect("destroyed");
    let hangup2 = events
        .iter()
        .position(|f| f.name == "Hangup" && f.get("Channel") == Some(ALICE2))
        .expect("hangup ;2");
    assert_eq!(destroy, hangup2 + 1);
}

#[test]
fn parking_event_fields() {
    let r = run();
    let parked = find_ami(&r.events, "ParkedCall", Some(OUTSIDE))
        .and_then(Event::fields)
        .expect("parked");
    let keys: Vec<&str> = parked.fields.iter().map(|(k, _)| &**k).collect();
    assert_eq!(
        keys,
        [
            "ParkeeChannel",
            "ParkeeChannelState",
            "ParkeeChannelStateDesc",
            "ParkeeCallerIDNum",
            "ParkeeCallerIDName",
            "ParkeeConnectedLineNum",
            "ParkeeConnectedLineName",
            "ParkeeLanguage",
            "ParkeeAccountCode",
            "ParkeeContext",
            "ParkeeExten",
            "ParkeePriority",
            "ParkeeUniqueid",
            "ParkeeLinkedid",
            "ParkerDialString",
            "Parkinglot",
            "ParkingSpace",
            "ParkingTimeout",
            "ParkingDuration",
        ]
    );
    assert_eq!(parked.get("ParkeeChannelState"), Some("6"));
    assert_eq!(parked.get("ParkeeCallerIDNum"), Some("5550100"));
    assert_eq!(parked.get("ParkeeContext"), Some("from-outside"));
    assert_eq!(parked.get("ParkeeExten"), Some("5555001"));
    assert_eq!(parked.get("ParkeePriority"), Some("2"));
    assert_eq!(
        parked.get("ParkerDialString"),
        Some("Local/alice@parking-example")
    );
    assert_eq!(parked.get("Parkinglot"), Some("default"));
    assert_eq!(parked.get("ParkingSpace"), Some("701"));
    assert_eq!(parked.get("ParkingTimeout"), Some("300"));
    assert_eq!(parked.get("ParkingDuration"), Some("0"));

    let unparked = find_ami(&r.events, "UnParkedCall", Some(OUTSIDE))
        .and_then(Event::fields)
        .expect("unparked");
    assert_eq!(unparked.get("RetrieverChannel"), Some(ALICE2));
    assert_eq!(unparked.get("RetrieverContext"), Some("parkedcalls"));
    assert_eq!(unparked.get("RetrieverExten"), Some("701"));
    assert_eq!(unparked.get("RetrieverPriority"), Some("1"));
    assert_eq!(unparked.get("ParkingTimeout"), Some("299"));
    assert_eq!(unparked.get("ParkingDuration"), Some("1"));
    let moh = find_ami(&r.events, "MusicOnHoldStart", Some(OUTSIDE))
        .and_then(Event::fields)
        .expect("moh");
    assert_eq!(moh.get("Class"), Some("default"));
}

#[test]
fn console_lines_and_times_follow_the_oracle() {
    let r = run();
    // (text, ms after the call started in the oracle's console log)
    let expected: Vec<(String, u64)> = [
        (
            "Executing [alice@parking-example:4] SendDTMF(".to_string(),
            1903,
        ),
        (
            format!("Channel {OUTSIDE} left 'simple_bridge' basic-bridge"),
            2806,
        ),
        (
            format!("Parking '{OUTSIDE}' in 'default' at space 701"),
            2806,
        ),
        (
            format!("Channel {OUTSIDE} joined 'holding_bridge' parking-bridge"),
            2806,
        ),
        (
            format!("Started music on hold, class 'default', on channel '{OUTSIDE}'"),
            2806,
        ),
        (
            format!("<{ALICE1}> Playing 'digits/7.slin' (language 'en')"),
            2807,
        ),
        (
            "Executing [alice@parking-example:5] Goto(".to_string(),
            3557,
        ),
        (
            "Executing [701@parkedcalls:1] ParkedCall(".to_string(),
            3557,
        ),
        (
            format!("Channel {OUTSIDE} left 'holding_bridge' parking-bridge"),
            3557,
        ),
        (format!("Stopped music on hold on {OUTSIDE}"), 3557),
        (
            format!("<{ALICE1}> Playing 'digits/0.slin' (language 'en')"),
            3625,
        ),
        (
            format!("<{ALICE1}> Playing 'digits/1.slin' (language 'en')"),
            4497,
        ),
        (
            format!("Channel {ALICE1} left 'simple_bridge' basic-bridge"),
            5406,
        ),
        (
            format!("Channel {ALICE2} left 'simple_bridge' basic-bridge"),
            5407,
        ),
        (
            "Spawn extension (parkedcalls, 701, 1) exited non-zero".to_string(),
            5407,
        ),
        (
            "Spawn extension (from-outside, 5555001, 2) exited non-zero".to_string(),
            5407,
        ),
    ]
    .into_iter()
    .collect();
    let lines: Vec<(u64, String)> = r
        .events
        .iter()
        .filter_map(|e| e.log().map(|l| (ms(e.time), l.text.clone())))
        .collect();
    let mut from = 0;
    for (text, at) in &expected {
        let pos = lines[from..]
            .iter()
            .position(|(_, l)| l.contains(&**text))
            .unwrap_or_else(|| panic!("'{text}' missing or out of order\n{}", console(&r.events)));
        let t = lines[from + pos].0;
        assert!(
            t.abs_diff(*at) <= 10,
            "'{text}' at {t} ms, the oracle had {at} ms"
        );
        from += pos + 1;
    }
    // vm-goodbye and the Hangup after Dial never run.
    assert!(!lines.iter().any(|(_, l)| l.contains("vm-goodbye")));
    // Nothing is left parked, no explanation was needed.
    assert!(
        diagnostic_codes(&r.events).is_empty(),
        "{:?}",
        diagnostic_codes(&r.events)
    );
}

#[test]
fn console_trace() {
    insta::assert_snapshot!(console(&run().events));
}

#[test]
fn event_trace() {
    insta::assert_snapshot!(render(&run().events));
}

#[test]
fn two_runs_are_identical() {
    assert_eq!(render(&run().events), render(&run().events));
}
