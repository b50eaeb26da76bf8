//! One-touch parking beyond the oracle run: no permission (the explanation), the caller's `K`, res_parking
//! not loaded, a lot without parkext, a full lot, `parking show` during a run, a parkee hanging up.

use crate::common;
use common::*;
use dialplan::engine::{PhoneAction, PhoneActionKind, PhoneSpec};
use std::time::Duration;

fn outside() -> Call {
    Call::new(0, "outside", outside_caller(), "5555001", "from-outside")
}

fn presses(after_ms: u64, keys: &str) -> PhoneAction {
    PhoneAction {
        after: Duration::from_millis(after_ms),
        kind: PhoneActionKind::Dtmf(keys.into()),
    }
}

#[test]
fn without_k_the_digits_pass_and_dialsim_explains() {
    let ext = ORACLE_EXTENSIONS.replace(
        "Dial(Local/alice@parking-example/n,,k)",
        "Dial(Local/alice@parking-example/n)",
    );
    let sim = build(&ext, ORACLE_FEATURES, Some(ORACLE_RES_PARKING));
    let r = sim.run(vec![outside()], vec![], Duration::from_secs(3600));
    let ev = &r.events;
    assert!(find_ami(ev, "ParkedCall", None).is_none());
    let diag = ev
        .iter()
        .filter_map(|e| e.fields())
        .find(|f| {
            f.name == "DialsimDiagnostic" && f.get("Code") == Some("features/parkcall-not-armed")
        })
        .expect("explained");
    assert_eq!(
        diag.get("Channel"),
        Some("Local/alice@parking-example-00000000;1")
    );
    assert_eq!(
        diag.get("Message"),
        Some("'#72' pressed on 'Local/alice@parking-example-00000000;1' is the parkcall code, but this channel may not park calls: the digits went to the other party as ordinary DTMF")
    );
    assert!(diag
        .get("Help")
        .is_some_and(|h| h.contains("add 'k' to that Dial's options")));
    // The explanation comes with the last digit, at 2.804 s.
    let at = ev
        .iter()
        .find(|e| {
            e.fields()
                .is_some_and(|f| f.get("Code") == Some("features/parkcall-not-armed"))
        })
        .map(|e| ms(e.time));
    assert_eq!(at, Some(2804));
    // Then Goto(parkedcalls,701,1) finds nothing parked: pbx-invalidpark, −1, explained.
    assert!(log_time(ev, "Playing 'pbx-invalidpark.slin'").is_some());
    assert!(diagnostic_codes(ev).contains(&"parking/empty-space".to_string()));
    assert!(log_time(ev, "Spawn extension (parkedcalls, 701, 1) exited non-zero").is_some());
    insta::assert_snapshot!(render(ev));
}

#[test]
fn without_res_parking_k_ends_the_call_at_answer() {
    let ext = ORACLE_EXTENSIONS.replace("include => parkedcalls\n", "");
    let sim = build(&ext, ORACLE_FEATURES, None);
    assert!(sim.parking.is_none());
    let r = sim.run(vec![outside()], vec![], Duration::from_secs(3600));
    let ev = &r.events;
    let err = "Channel Local/alice@parking-example-00000000;1: Requested DTMF feature parkcall not available.";
    let line = ev
        .iter()
        .find_map(|e| e.log().filter(|l| l.text == err))
        .expect("ERROR line");
    assert_eq!(line.level, dialplan::diag::LogLevel::Error);
    assert_eq!(line.source, "bridge_basic.c");
    assert!(diagnostic_codes(ev).contains(&"features/parking-unavailable".to_string()));
    // Nobody joins a bridge; the caller's Dial ends and the call is over right after the answer.
    assert!(log_time(ev, "joined 'simple_bridge'").is_none());
    assert!(
        log_time(
            ev,
            "Spawn extension (from-outside, 5555001, 2) exited non-zero"
        )
        .map(ms)
            == Some(0)
    );
    assert!(
        find_ami(ev, "Hangup", Some("PJSIP/outside-00000000")).is_some_and(|e| ms(e.time) <= 500)
    );
}

#[test]
fn without_res_parking_and_without_k_the_explanation_says_so() {
    let ext = ORACLE_EXTENSIONS
        .replace("include => parkedcalls\n", "")
        .replace(
            "Dial(Local/alice@parking-example/n,,k)",
            "Dial(Local/alice@parking-example/n)",
        );
    let sim = build(&ext, ORACLE_FEATURES, None);
    let r = sim.run(vec![outside()], vec![], Duration::from_secs(3600));
    let help = r
        .events
        .iter()
        .filter_map(|e| e.fields())
        .find(|f| f.get("Code") == Some("features/parkcall-not-armed"))
        .and_then(|f| f.get("Help").map(str::to_string))
        .expect("explained");
    assert!(help.contains("res_parking is not loaded"), "{help}");
}

#[test]
fn a_lot_without_parkext_does_nothing_and_dialsim_explains() {
    let res = "[general]\n\n[default]\nparkpos => 701-709\nparkingtime => 300\n";
    let ext = ORACLE_EXTENSIONS.replace("include => parkedcalls\n", "");
    let sim = build(&ext, ORACLE_FEATURES, Some(res));
    assert!(sim.parking.is_some());
    let r = sim.run(vec![outside()], vec![], Duration::from_secs(60));
    let ev = &r.events;
    assert!(find_ami(ev, "ParkedCall", None).is_none());
    assert!(diagnostic_codes(ev).contains(&"parking/one-touch-no-parkext".to_string()));
    // The code was consumed by the hook: nothing reached the caller.
    assert!(!ev.iter().any(|e| e.name() == "DTMFBegin"
        && e.fields().and_then(|f| f.get("Channel")) == Some("PJSIP/outside-00000000")));
}

#[test]
fn the_caller_parks_the_callee_with_capital_k_and_the_parkee_gets_a_new_pbx_at_timeout() {
    let ext = "\
[from-outside]
exten => 5555001,1,Dial(PJSIP/bob,,K)
 same => n,Hangup()

[park-dial]
";
    let res =
        "[default]\nparkext => 700\nparkpos => 701-709\nparkingtime => 10\ncomebackdialtime => 5\n";
    let sim = build(ext, ORACLE_FEATURES, Some(res));
    let bob = PhoneSpec {
        answer_after: Some(Duration::from_secs(1)),
        media: true,
        ..PhoneSpec::default()
    };
    let caller = PhoneSpec {
        actions: vec![presses(1000, "#72")],
        ..outside_caller()
    };
    sim.devices(
        Devices::default()
            .phone("PJSIP/bob", vec![bob])
            .phone("PJSIP/outside", vec![PhoneSpec::default()]),
    );
    let r = sim.run(
        vec![Call::new(0, "outside", caller, "5555001", "from-outside")],
        vec![],
        Duration::from_secs(60),
    );
    let ev = &r.events;
    // The caller is answered at 1 s (when bob answers); its keys start 1 s later: #72 ends at 2.9 s.
    assert_eq!(
        log_time(ev, "Parking 'PJSIP/bob-00000001' in 'default' at space 701").map(ms),
        Some(2900)
    );
    let p = find_ami(ev, "ParkedCall", None)
        .and_then(|e| e.fields())
        .expect("parked");
    assert_eq!(p.get("ParkerDialString"), Some("PJSIP/outside"));
    // The caller hears the space, leaves: its Dial returns -1.
    assert!(log_time(ev, "<PJSIP/outside-00000000> Playing 'digits/7.slin'").is_some());
    assert!(log_time(
        ev,
        "Spawn extension (from-outside, 5555001, 1) exited non-zero on 'PJSIP/outside-00000000'"
    )
    .is_some());
    // bob had no PBX: at the timeout he gets one at park-dial.
    assert_eq!(
        find_ami(ev, "ParkedCallTimeOut", None).map(|e| ms(e.time)),
        Some(12_900)
    );
    assert_eq!(
        log_time(ev, "Executing [PJSIP_outside@park-dial:1] Dial(\"PJSIP/bob-00000001\", \"PJSIP/outside,5\")").map(ms),
        Some(12_900)
    );
    insta::assert_snapshot!(console(ev));
}

#[test]
fn parking_show_lists_the_parked_call_during_the_run() {
    let ext = ORACLE_EXTENSIONS.replace("Goto(parkedcalls,701,1)", "Wait(1)");
    let sim = build(&ext, ORACLE_FEATURES, Some(ORACLE_RES_PARKING));
    let r = sim.run(
        vec![outside()],
        vec![(10_000, "parking show default"), (10_000, "parking show")],
        Duration::from_secs(20),
    );
    assert_eq!(r.cli.len(), 2);
    insta::assert_snapshot!(r.cli[0].2);
    assert!(r.cli[0].2.contains(
        "  Space               :  701\n  Channel             :  PJSIP/outside-00000000\n  Parker Dial String  :  Local/alice@parking-example\n"
    ));
    assert!(r.cli[1].2.starts_with("\nParking General Options\n"));
    let parking = sim.parking.as_ref().expect("loaded");
    assert_eq!(parking.parked_count(), 1);
}

#[test]
fn a_parkee_hanging_up_gives_up_its_space() {
    let ext = ORACLE_EXTENSIONS.replace("Goto(parkedcalls,701,1)", "Wait(1)");
    let sim = build(&ext, ORACLE_FEATURES, Some(ORACLE_RES_PARKING));
    let caller = PhoneSpec {
        hangup_after: Some(Duration::from_secs(10)),
        ..outside_caller()
    };
    let r = sim.run(
        vec![Call::new(0, "outside", caller, "5555001", "from-outside")],
        vec![(11_000, "parking show default")],
        Duration::from_secs(60),
    );
    let ev = &r.events;
    let gave_up = find_ami(ev, "ParkedCallGiveUp", None).expect("gave up");
    assert_eq!(ms(gave_up.time), 10_000);
    assert_eq!(
        gave_up.fields().and_then(|f| f.get("ParkingSpace")),
        Some("701")
    );
    assert!(
        log_time(ev, "Stopped music on hold on PJSIP/outside-00000000")
            .is_some_and(|t| ms(t) == 10_000)
    );
    assert!(r.cli[0]
        .2
        .ends_with("Parked Calls\n------------\n  (none)\n\n\n"));
    assert!(find_ami(ev, "ParkedCallTimeOut", None).is_none());
}

#[test]
fn a_full_lot_fails_the_park_and_the_parker_hears_parkingfailed() {
    // One space, taken by the first call; the second call's park fails.
    let ext = ORACLE_EXTENSIONS.replace("Goto(parkedcalls,701,1)", "Wait(1)");
    let res = ORACLE_RES_PARKING.replace("701-709", "701-701");
    let sim = build(&ext, ORACLE_FEATURES, Some(&res));
    let r = sim.run(
        vec![
            outside(),
            Call::new(
                10_000,
                "outside",
                outside_caller(),
                "5555001",
                "from-outside",
            ),
        ],
        vec![],
        Duration::from_secs(30),
    );
    let ev = &r.events;
    assert_eq!(ev.iter().filter(|e| e.name() == "ParkedCall").count(), 1);
    assert!(
        log_time(
            ev,
            "Failed to get parking space in lot 'default'. All full."
        )
        .map(ms)
            == Some(12_804)
    );
    assert!(log_time(
        ev,
        "Failed to move PJSIP/outside-00000001 into the parking bridge."
    )
    .is_some());
    assert!(log_time(ev, "Error occurred while parking PJSIP/outside-00000001").is_some());
    assert!(log_time(
        ev,
        "<Local/alice@parking-example-00000001;1> Playing 'pbx-parkingfailed.slin'"
    )
    .is_some());
}
