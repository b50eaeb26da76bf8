//! The AMI `Park` of a channel that is in no bridge (`manager_park_unbridged` → `ast_bridge_add_channel`):
//! the channel is yanked out of its dialplan (a `Surrogate/<name>` channel is made, the two swap
//! identities, the Surrogate ends the old dialplan) and the call is parked under its own name and unique id.

use crate::common;
use common::*;
use dialplan::engine::{Event, EventBody, PhoneSpec};
use parking::runtime::manager::{AmiError, AmiParkRequest};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

const EXTENSIONS: &str = "\
[internal]
exten => 400,1,Answer()
 same => n,Wait(60)
 same => n,NoOp(never reached)
exten => 500,1,Ringing()
 same => n,Wait(60)
exten => h,1,NoOp(h of ${CHANNEL})

[back]
exten => s,1,NoOp(back from ${PARKING_SPACE} to ${CHANNEL})
 same => n,Hangup()
";

const RES_PARKING: &str = "\
[default]
parkext => 700
parkpos => 701-701
context => parkedcalls
parkingtime => 10
comebacktoorigin => no
comebackcontext => back
";

fn quiet(hangup_after_s: Option<u64>) -> PhoneSpec {
    PhoneSpec {
        media: false,
        hangup_after: hangup_after_s.map(Duration::from_secs),
        ..PhoneSpec::default()
    }
}

/// Runs `calls`, and at each time the AMI `Park` of the request; returns the events and each answer.
fn run(
    calls: Vec<Call>,
    parks: Vec<(u64, AmiParkRequest)>,
    until_s: u64,
) -> (Vec<Event>, Vec<Result<(), AmiError>>) {
    let sim = build(EXTENSIONS, "[general]\n", Some(RES_PARKING));
    sim.devices(Devices::default());
    drive(&sim, calls, parks, until_s)
}

/// Runs the calls and the parks on `sim`'s virtual clock until `until_s`.
fn drive(
    sim: &Sim,
    calls: Vec<Call>,
    parks: Vec<(u64, AmiParkRequest)>,
    until_s: u64,
) -> (Vec<Event>, Vec<Result<(), AmiError>>) {
    let answers = Rc::new(RefCell::new(Vec::new()));
    let e = sim.engine.clone();
    let p = sim.parking.clone().expect("res_parking loads");
    let out = answers.clone();
    sim.engine
        .block_on(async move {
            for call in calls {
                call.spawn(&e);
            }
            for (at, req) in parks {
                let (e2, p2, out2) = (e.clone(), p.clone(), out.clone());
                e.spawn_local(async move {
                    e2.sleep_until(Duration::from_millis(at)).await;
                    out2.borrow_mut().push(p2.ami_park(&e2, &req));
                });
            }
            e.sleep_until(Duration::from_millis(1)).await;
            e.run_until(Duration::from_secs(until_s)).await;
        })
        .expect("runtime");
    let events = sim.events.borrow().clone();
    let answers = answers.borrow().clone();
    (events, answers)
}

fn park(channel: &str) -> AmiParkRequest {
    AmiParkRequest {
        channel: channel.to_string(),
        ..AmiParkRequest::default()
    }
}

fn field(ev: &Event, key: &str) -> String {
    match &ev.body {
        EventBody::Ami(f) => f.get(key).unwrap_or_default().to_string(),
        _ => String::new(),
    }
}

fn position(names: &[String], wanted: &str) -> usize {
    names
        .iter()
        .position(|n| n == wanted)
        .unwrap_or_else(|| panic!("no {wanted} in {names:#?}"))
}

#[test]
fn a_channel_running_dialplan_is_yanked_and_parked_under_its_own_name() {
    let (ev, answers) = run(
        vec![Call::new(0, "dave", quiet(None), "400", "internal")],
        vec![(3000, park("PJSIP/dave-00000000"))],
        5,
    );
    assert_eq!(answers, vec![Ok(())]);
    let names = ami_names(&ev);
    let surrogate = position(&names, "Newchannel Surrogate/PJSIP/dave-00000000");
    let parked = position(&names, "ParkedCall PJSIP/dave-00000000");
    let enter = position(&names, "BridgeEnter PJSIP/dave-00000000");
    let moh = position(&names, "MusicOnHoldStart PJSIP/dave-00000000");
    let gone = position(&names, "Hangup Surrogate/PJSIP/dave-00000000");
    assert!(position(&names, "BridgeCreate") < surrogate);
    assert!(surrogate < parked && parked < enter && enter < moh && moh < gone);
    // No rename is published, and the call itself is never hung up.
    assert!(!names.iter().any(|n| n.starts_with("Rename")));
    assert!(!names.contains(&"Hangup PJSIP/dave-00000000".to_string()));

    // The Surrogate is a new channel (state Down, no caller id, the yankee's place at priority 1, the
    // call's linked id); the parked call keeps the original unique id, at the next priority.
    let new = find_ami(&ev, "Newchannel", Some("Surrogate/PJSIP/dave-00000000")).unwrap();
    assert_eq!(field(new, "ChannelStateDesc"), "Down");
    assert_eq!(field(new, "CallerIDNum"), "<unknown>");
    assert_eq!(
        (
            field(new, "Context"),
            field(new, "Exten"),
            field(new, "Priority")
        ),
        ("internal".into(), "400".into(), "1".into())
    );
    assert_eq!(field(new, "Linkedid"), "1700000000.0");
    assert_ne!(field(new, "Uniqueid"), "1700000000.0");
    let pc = find_ami(&ev, "ParkedCall", Some("PJSIP/dave-00000000")).unwrap();
    assert_eq!(field(pc, "ParkeeUniqueid"), "1700000000.0");
    assert_eq!(field(pc, "ParkeePriority"), "3");
    assert_eq!(field(pc, "ParkeeChannelStateDesc"), "Up");
    assert_eq!(field(pc, "ParkerDialString"), "PJSIP/dave");
    assert_eq!(field(pc, "ParkingSpace"), "701");

    // The old dialplan ends on the Surrogate: its application returns, h runs there.
    let text = console(&ev);
    assert!(
        text.contains(
            "Spawn extension (internal, 400, 2) exited non-zero on 'Surrogate/PJSIP/dave-00000000'"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "NoOp(\"Surrogate/PJSIP/dave-00000000\", \"h of Surrogate/PJSIP/dave-00000000\")"
        ),
        "{text}"
    );
    assert!(!text.contains("never reached"), "{text}");
}

#[test]
fn a_ringing_channel_is_answered_first_unless_bridge_noanswer() {
    let (ev, _) = run(
        vec![Call::new(0, "carol", quiet(None), "500", "internal")],
        vec![(2000, park("PJSIP/carol-00000000"))],
        4,
    );
    let names = ami_names(&ev);
    let up = names
        .iter()
        .rposition(|n| n == "Newstate PJSIP/carol-00000000")
        .unwrap();
    assert!(up < position(&names, "ParkedCall PJSIP/carol-00000000"));
    let pc = find_ami(&ev, "ParkedCall", None).unwrap();
    assert_eq!(field(pc, "ParkeeChannelStateDesc"), "Up");

    let (ev, _) = run(
        vec![Call::new(0, "carol", quiet(None), "500", "internal").var("BRIDGE_NOANSWER", "1")],
        vec![(2000, park("PJSIP/carol-00000000"))],
        4,
    );
    let pc = find_ami(&ev, "ParkedCall", None).unwrap();
    assert_eq!(field(pc, "ParkeeChannelStateDesc"), "Ringing");
}

#[test]
fn the_yanked_call_times_out_to_its_comeback_and_the_phone_still_hangs_it_up() {
    let (ev, _) = run(
        vec![Call::new(0, "dave", quiet(Some(30)), "400", "internal")],
        vec![(
            2000,
            AmiParkRequest {
                timeout: "4000".into(),
                ..park("PJSIP/dave-00000000")
            },
        )],
        60,
    );
    let out = find_ami(&ev, "ParkedCallTimeOut", None).unwrap();
    assert_eq!(ms(out.time), 6000);
    let text = console(&ev);
    assert!(
        text.contains("NoOp(\"PJSIP/dave-00000000\", \"back from 701 to PJSIP/dave-00000000\")"),
        "{text}"
    );

    // Parked forever, the phone's own hangup (scheduled before the yank) reaches the new channel.
    let (ev, _) = run(
        vec![Call::new(0, "dave", quiet(Some(8)), "400", "internal")],
        vec![(
            2000,
            AmiParkRequest {
                timeout: "0".into(),
                ..park("PJSIP/dave-00000000")
            },
        )],
        60,
    );
    let give_up = find_ami(&ev, "ParkedCallGiveUp", None).unwrap();
    assert_eq!(field(give_up, "ParkeeChannel"), "PJSIP/dave-00000000");
    // Up at 0 s (Answer), so the phone hangs up at 8 s.
    assert_eq!(ms(give_up.time), 8000);
}

#[test]
fn a_full_lot_fails_after_the_yank_and_the_yanked_call_is_hung_up() {
    let (ev, answers) = run(
        vec![
            Call::new(0, "dave", quiet(None), "400", "internal"),
            Call::new(0, "erin", quiet(None), "400", "internal"),
        ],
        vec![
            (2000, park("PJSIP/dave-00000000")),
            (3000, park("PJSIP/erin-00000001")),
        ],
        5,
    );
    assert_eq!(
        answers,
        vec![Ok(()), Err(AmiError("Park action failed\n".into()))]
    );
    let names = ami_names(&ev);
    assert!(names.contains(&"Newchannel Surrogate/PJSIP/erin-00000001".to_string()));
    assert!(names.contains(&"Hangup PJSIP/erin-00000001".to_string()));
    assert!(names.contains(&"Hangup Surrogate/PJSIP/erin-00000001".to_string()));
    assert!(console(&ev).contains("All full."), "{}", console(&ev));
}

#[test]
fn a_bridged_channel_is_moved_not_yanked() {
    const EXT: &str = "[internal]\nexten => 100,1,Dial(PJSIP/alice)\n";
    let sim = build(EXT, "[general]\n", Some(RES_PARKING));
    sim.devices(Devices::default().phone(
        "PJSIP/alice",
        vec![PhoneSpec {
            answer_after: Some(Duration::from_secs(1)),
            media: false,
            ..PhoneSpec::default()
        }],
    ));
    let (events, answers) = drive(
        &sim,
        vec![Call::new(0, "bob", quiet(None), "100", "internal")],
        vec![(3000, park("PJSIP/bob-00000000"))],
        5,
    );
    assert_eq!(answers, vec![Ok(())]);
    let names = ami_names(&events);
    assert!(!names.iter().any(|n| n.contains("Surrogate")), "{names:#?}");
    assert!(names.contains(&"ParkedCall PJSIP/bob-00000000".to_string()));
}
