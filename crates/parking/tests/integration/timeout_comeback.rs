//! Timeouts and the comeback: the page's second and third examples as their prose intends (lot options in
//! `[default]`, `k` on the Dial), with a real phone that does not answer the comeback call, and with the
//! Local emulation of alice.

use crate::common;
use common::*;
use dialplan::engine::{PhoneAction, PhoneActionKind, PhoneSpec};
use std::time::Duration;

const RES_PARKING_ORIGIN: &str = "\
[general]

[default]
parkext => 700
parkpos => 701-709
context => parkedcalls
parkingtime => 300
findslot => next
comebackdialtime=20
comebacktoorigin=yes
";

const RES_PARKING_CONTEXT: &str = "\
[general]

[default]
parkext => 700
parkpos => 701-709
context => parkedcalls
parkingtime => 300
findslot => next
comebacktoorigin=no
comebackcontext=parkedcallstimeout
";

/// Example 2 with a real phone for alice: she answers after 1 s and presses #72 2 s later.
const EXTENSIONS_PHONE: &str = "\
[parking-example]
include => parkedcalls

[from-outside]
exten => 5555001,1,NoOp(Route to a local extension.)
 same => n,Dial(PJSIP/alice,,k)
 same => n,Hangup()

[park-dial]
exten => t,1,NoOp(End of the line for a timed-out parked call.)
 same => n,Playback(vm-goodbye)
 same => n,Hangup()
";

/// Example 2 with alice emulated by her extension.
const EXTENSIONS_LOCAL: &str = "\
[parking-example]
include => parkedcalls

exten => alice,1,NoOp(Handles calls to alice.)
 same => n,Answer()
 same => n,Playback(hello-world)
 same => n,SendDTMF(#72w)
 same => n,Wait(300)
 same => n,Hangup()

[from-outside]
exten => 5555001,1,NoOp(Route to a local extension.)
 same => n,Dial(Local/alice@parking-example/n,,k)
 same => n,Hangup()

[parkedcallstimeout]
exten => s,1,NoOp(This is all that happens to parked calls if they time out.)
 same => n,Playback(vm-goodbye)
 same => n,Hangup()
";

fn alice_parks() -> PhoneSpec {
    PhoneSpec {
        answer_after: Some(Duration::from_secs(1)),
        media: true,
        actions: vec![PhoneAction {
            after: Duration::from_secs(2),
            kind: PhoneActionKind::Dtmf("#72".into()),
        }],
        ..PhoneSpec::default()
    }
}

fn alice_does_not_answer() -> PhoneSpec {
    PhoneSpec {
        answer_after: None,
        media: true,
        ..PhoneSpec::default()
    }
}

fn outside() -> Call {
    Call::new(0, "outside", outside_caller(), "5555001", "from-outside")
}

#[test]
fn comeback_to_origin_rings_the_parker_for_comebackdialtime_then_falls_through() {
    let sim = build(EXTENSIONS_PHONE, ORACLE_FEATURES, Some(RES_PARKING_ORIGIN));
    sim.devices(
        Devices::default().phone("PJSIP/alice", vec![alice_parks(), alice_does_not_answer()]),
    );
    let r = sim.run(vec![outside()], vec![], Duration::from_secs(3600));
    let ev = &r.events;
    // alice answers at 1 s; #72 ends at 3.9 s (100 ms lead, 100 ms tones, 250 ms gaps).
    let parked = log_time(
        ev,
        "Parking 'PJSIP/outside-00000000' in 'default' at space 701",
    )
    .expect("parked");
    assert_eq!(ms(parked), 3900);
    let p = find_ami(ev, "ParkedCall", None)
        .and_then(|e| e.fields())
        .expect("ParkedCall");
    assert_eq!(p.get("ParkerDialString"), Some("PJSIP/alice"));
    // The parker hears 7-0-1 and is hung up (a dialled channel leaving its bridge).
    assert!(log_time(ev, "<PJSIP/alice-00000001> Playing 'digits/1.slin'").is_some());
    let hangup = find_ami(ev, "Hangup", Some("PJSIP/alice-00000001")).expect("alice hung up");
    assert_eq!(ms(hangup.time), 3900 + 820 + 875 + 911);

    // 300 s later: the timeout.
    let t = find_ami(ev, "ParkedCallTimeOut", None).expect("timeout");
    assert_eq!(ms(t.time), 303_900);
    // §8: the first Newexten at the destination still carries the app the caller was parked in (its
    // Dial), while the console shows the real step.
    let newextens: Vec<(String, String, String)> = ev
        .iter()
        .filter(|e| e.time >= t.time)
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "Newexten" && f.get("Channel") == Some("PJSIP/outside-00000000"))
        .map(|f| {
            (
                f.get("Context").unwrap_or("").to_string(),
                f.get("Application").unwrap_or("").to_string(),
                f.get("AppData").unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        newextens[0],
        (
            "park-dial".to_string(),
            "Dial".to_string(),
            "PJSIP/alice,,k".to_string()
        )
    );
    assert!(log_time(
        ev,
        "Executing [PJSIP_alice@park-dial:1] Dial(\"PJSIP/outside-00000000\", \"PJSIP/alice,20\")"
    )
    .is_some());
    let vars: Vec<(String, String)> = ev
        .iter()
        .filter(|e| e.time == t.time)
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "VarSet" && f.get("Channel") == Some("PJSIP/outside-00000000"))
        .map(|f| {
            (
                f.get("Variable").unwrap_or("").to_string(),
                f.get("Value").unwrap_or("").to_string(),
            )
        })
        .take(5)
        .collect();
    let expect = [
        ("PARKING_SPACE", "701"),
        ("PARKEDLOT", "default"),
        ("PARKER", "PJSIP/alice"),
        ("PARKER_FLAT", "PJSIP_alice"),
        ("BRIDGE_FEATURES", ""),
    ];
    assert_eq!(
        vars,
        expect.map(|(a, b)| (a.to_string(), b.to_string())).to_vec()
    );
    let comeback = log_time(
        ev,
        "Executing [PJSIP_alice@park-dial:1] Dial(\"PJSIP/outside-00000000\", \"PJSIP/alice,20\") in new stack",
    )
    .expect("comeback dial");
    assert_eq!(ms(comeback), 303_900);
    assert_eq!(
        log_time(ev, "Nobody picked up in 20000 ms").map(ms),
        Some(323_900)
    );
    assert_eq!(
        log_time(
            ev,
            "Auto fallthrough, channel 'PJSIP/outside-00000000' status is 'NOANSWER'"
        )
        .map(ms),
        Some(323_900)
    );
    // The page's `t` never runs, and dialsim says why.
    assert!(log_time(ev, "End of the line").is_none());
    assert!(diagnostic_codes(ev).contains(&"parking/park-dial-t-unreachable".to_string()));
    // The caller's first Dial returned 0: no "exited non-zero" for priority 2.
    assert!(log_time(ev, "Spawn extension (from-outside, 5555001, 2)").is_none());
    insta::assert_snapshot!(console(ev));
}

#[test]
fn comeback_to_origin_with_the_local_emulation_replays_alice() {
    let ext = EXTENSIONS_LOCAL.replace("[parkedcallstimeout]", "[unused]");
    let sim = build(&ext, ORACLE_FEATURES, Some(RES_PARKING_ORIGIN));
    let r = sim.run(vec![outside()], vec![], Duration::from_secs(3600));
    let ev = &r.events;
    assert_eq!(log_time(ev, "at space 701").map(ms), Some(2804));
    // alice's Wait(300) ends early: her ;1 was hung up after the announcement.
    assert!(
        find_ami(ev, "Hangup", Some("Local/alice@parking-example-00000000;2"))
            .is_some_and(|e| ms(e.time) == 5410)
    );
    let t = find_ami(ev, "ParkedCallTimeOut", None).expect("timeout");
    assert_eq!(ms(t.time), 302_804);
    assert!(log_time(
        ev,
        "Executing [Local_alice@parking-example@park-dial:1] Dial(\"PJSIP/outside-00000000\", \"Local/alice@parking-example,20\")"
    )
    .is_some());
    // The comeback Dial has no k: alice's #72 now reaches the caller, and dialsim explains.
    assert!(diagnostic_codes(ev).contains(&"features/parkcall-not-armed".to_string()));
    assert_eq!(
        find_ami(ev, "ParkedCall", None).map(|e| ms(e.time)),
        Some(2804)
    );
    assert_eq!(ev.iter().filter(|e| e.name() == "ParkedCall").count(), 1);
    insta::assert_snapshot!(console(ev));
}

#[test]
fn comeback_context_falls_back_to_s_with_the_verbose_2_line() {
    let sim = build(EXTENSIONS_LOCAL, ORACLE_FEATURES, Some(RES_PARKING_CONTEXT));
    let r = sim.run(vec![outside()], vec![], Duration::from_secs(3600));
    let ev = &r.events;
    let line = "Could not start PJSIP/outside-00000000 at parkedcallstimeout,Local_alice@parking-example,1. Using 's@parkedcallstimeout' instead.";
    let at = log_time(ev, line).expect("fallback line");
    assert_eq!(ms(at), 302_804);
    let l = ev
        .iter()
        .find_map(|e| e.log().filter(|l| l.text == line))
        .expect("line");
    assert_eq!(l.level, dialplan::diag::LogLevel::Verbose(2));
    // The fallback lines come before the channel leaves the holding bridge.
    let left = log_time(ev, "Channel PJSIP/outside-00000000 left 'holding_bridge'").expect("left");
    assert!(
        ev.iter()
            .position(|e| e.log().is_some_and(|l| l.text == line))
            < ev.iter().position(|e| e.time == left
                && e.log()
                    .is_some_and(|l| l.text.contains("left 'holding_bridge'")))
    );
    assert!(log_time(ev, "Executing [s@parkedcallstimeout:1] NoOp(").is_some());
    assert!(log_time(
        ev,
        "Executing [s@parkedcallstimeout:2] Playback(\"PJSIP/outside-00000000\", \"vm-goodbye\")"
    )
    .is_some());
    assert!(log_time(ev, "Executing [s@parkedcallstimeout:3] Hangup(").is_some());
    // park-dial is written even with comebacktoorigin=no.
    assert!(sim
        .engine
        .plan()
        .exists("park-dial", "Local_alice@parking-example", 1, None));
    let step = sim
        .engine
        .plan()
        .step("park-dial", "Local_alice@parking-example", 1, None)
        .map(|s| (s.app.to_string(), s.data.to_string()));
    assert_eq!(
        step,
        Some((
            "Dial".to_string(),
            "Local/alice@parking-example,30".to_string()
        ))
    );
    insta::assert_snapshot!(console(ev));
}

#[test]
fn comeback_context_with_the_flat_extension_goes_there() {
    let ext = format!("{EXTENSIONS_LOCAL}exten => Local_alice@parking-example,1,NoOp(back to reception)\n same => n,Hangup()\n");
    let sim = build(&ext, ORACLE_FEATURES, Some(RES_PARKING_CONTEXT));
    let r = sim.run(vec![outside()], vec![], Duration::from_secs(3600));
    let ev = &r.events;
    assert!(log_time(ev, "Could not start").is_none());
    assert_eq!(
        log_time(
            ev,
            "Executing [Local_alice@parking-example@parkedcallstimeout:1] NoOp("
        )
        .map(ms),
        Some(302_804)
    );
}

#[test]
fn without_a_comeback_context_the_call_goes_to_s_at_default() {
    let ext = EXTENSIONS_LOCAL.replace("[parkedcallstimeout]", "[default]");
    let sim = build(&ext, ORACLE_FEATURES, Some(RES_PARKING_CONTEXT));
    let r = sim.run(vec![outside()], vec![], Duration::from_secs(3600));
    let ev = &r.events;
    assert!(log_time(
        ev,
        "Can not start PJSIP/outside-00000000 at parkedcallstimeout,Local_alice@parking-example,1 and exten 's@parkedcallstimeout' does not exist. Using 's@default'"
    )
    .is_some());
    assert!(log_time(ev, "Executing [s@default:1] NoOp(").is_some());
}
