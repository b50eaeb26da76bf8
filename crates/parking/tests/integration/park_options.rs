//! Every option of `Park()`, the lot argument, `PARKINGEXTEN`, a full lot, the return values, and the parker
//! identity rules (`BLINDTRANSFER`, `ATTENDEDTRANSFER`, the channel itself).

use crate::common;
use common::*;
use dialplan::engine::Event;
use std::time::Duration;

const EXTENSIONS: &str = "\
[internal]
exten => 720,1,Park(,r)
exten => 721,1,Park(,R)
exten => 722,1,Park(,m(jazz))
exten => 723,1,Park(sales)
exten => 724,1,Park()
 same => n,NoOp(Park returned 0)
exten => 725,1,Park(,sc(back,s,1)t(5))
exten => 726,1,Park(,st(0))
exten => 727,1,Park(,t)
 same => n,NoOp(after)
exten => 728,1,Park(,st(-3))
exten => 729,1,Park(,x)
exten => 730,1,Set(CHANNEL(musicclass)=own)
 same => n,Park(sales,m(jazz))

[back]
exten => s,1,NoOp(back at ${PARKING_SPACE} of ${PARKEDLOT} from ${PARKER})
 same => n,Hangup()

[gone]
exten => s,1,Hangup()
";

const RES_PARKING: &str = "\
[default]
parkext => 700
parkpos => 701-703
context => parkedcalls
parkingtime => 20
comebacktoorigin => no
comebackcontext => gone

[sales]
parkext => 800
parkpos => 801-809
context => salesparking
parkedmusicclass => sales-moh
parkingtime => 20
comebacktoorigin => no
comebackcontext => gone
";

fn run(calls: Vec<Call>, until_s: u64) -> Vec<Event> {
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(RES_PARKING));
    sim.run(calls, vec![], Duration::from_secs(until_s)).events
}

fn call(at_ms: u64, who: &str, exten: &str) -> Call {
    Call::new(at_ms, who, phone(who), exten, "internal")
}

/// A field of the `ParkedCall` event of `chan`.
fn field_of(ev: &[Event], chan: &str, key: &str) -> String {
    find_ami(ev, "ParkedCall", Some(chan))
        .and_then(|e| e.fields())
        .and_then(|f| f.get(key))
        .unwrap_or_default()
        .to_string()
}

fn parked(ev: &[Event]) -> Vec<(String, String, String, String)> {
    ev.iter()
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "ParkedCall")
        .map(|f| {
            let g = |k| f.get(k).unwrap_or_default().to_string();
            (
                g("ParkeeChannel"),
                g("Parkinglot"),
                g("ParkingSpace"),
                g("ParkerDialString"),
            )
        })
        .collect()
}

#[test]
fn r_rings_instead_of_music() {
    let ev = run(vec![call(0, "bob", "720")], 30);
    assert!(log_time(&ev, "Started music on hold").is_none());
    insta::assert_snapshot!(render(&ev));
}

/// musiconhold.conf's `preferchannelclass` defaults to yes: the channel's own class beats `m()` and the
/// lot's `parkedmusicclass` (res_musiconhold.c, `local_ast_moh_start`).
#[test]
fn the_channels_own_music_class_wins_over_m_and_the_lot() {
    let ev = run(vec![call(0, "bob", "730")], 5);
    assert!(
        log_time(
            &ev,
            "Started music on hold, class 'own', on channel 'PJSIP/bob-00000000'"
        )
        .is_some(),
        "{}",
        render(&ev)
    );
}

#[test]
fn capital_r_takes_a_random_space_from_the_seed_and_repeats() {
    let a = parked(&run(
        vec![call(0, "bob", "721"), call(0, "carol", "721")],
        5,
    ));
    let b = parked(&run(
        vec![call(0, "bob", "721"), call(0, "carol", "721")],
        5,
    ));
    assert_eq!(a, b);
    assert_eq!(a.len(), 2);
    for (_, _, space, _) in &a {
        assert!(["701", "702", "703"].contains(&space.as_str()), "{space}");
    }
    assert_ne!(a[0].2, a[1].2);
}

#[test]
fn m_lot_class_and_channel_default_choose_the_music() {
    let ev = run(
        vec![
            call(0, "bob", "722"),
            call(0, "carol", "723"),
            call(0, "dave", "724"),
        ],
        5,
    );
    for line in [
        "Started music on hold, class 'jazz', on channel 'PJSIP/bob-00000000'",
        "Started music on hold, class 'sales-moh', on channel 'PJSIP/carol-00000001'",
        "Started music on hold, class 'default', on channel 'PJSIP/dave-00000002'",
    ] {
        assert!(log_time(&ev, line).is_some(), "{line}");
    }
    // The three answer waits began in call order and time out in it (each channel's thread times out its
    // own wait in Asterisk), so bob parks first: 701, carol 801 in sales, dave 702. The music starts when
    // each announcement ends, and "seven oh one" is longer than "seven oh two": dave's music starts first.
    let spaces: Vec<(String, String)> = parked(&ev).into_iter().map(|p| (p.0, p.2)).collect();
    assert_eq!(
        spaces,
        [
            ("PJSIP/bob-00000000".to_string(), "701".to_string()),
            ("PJSIP/carol-00000001".to_string(), "801".to_string()),
            ("PJSIP/dave-00000002".to_string(), "702".to_string()),
        ]
    );
    let classes: Vec<(&str, &str)> = ev
        .iter()
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "MusicOnHoldStart")
        .filter_map(|f| Some((f.get("Channel")?, f.get("Class")?)))
        .collect();
    assert_eq!(
        classes,
        [
            ("PJSIP/dave-00000002", "default"),
            ("PJSIP/carol-00000001", "sales-moh"),
            ("PJSIP/bob-00000000", "jazz"),
        ]
    );
}

#[test]
fn the_lot_argument_wins_over_parkinglot() {
    let ev = run(
        vec![
            call(0, "bob", "723").var("PARKINGLOT", "default"),
            call(0, "carol", "724").var("PARKINGLOT", "sales"),
            call(0, "dave", "724").var("PARKINGLOT", "nolot"),
        ],
        5,
    );
    assert_eq!(field_of(&ev, "PJSIP/bob-00000000", "Parkinglot"), "sales");
    assert_eq!(field_of(&ev, "PJSIP/carol-00000001", "Parkinglot"), "sales");
    assert_eq!(parked(&ev).len(), 2);
    assert!(log_time(&ev, "Could not find parking lot: 'nolot'").is_some());
}

#[test]
fn parkingexten_prefers_a_space_busy_moves_up_out_of_range_is_ignored_bad_fails() {
    let ev = run(
        vec![
            call(0, "a", "724").var("PARKINGEXTEN", "702"),
            call(1000, "b", "724").var("PARKINGEXTEN", "702"),
            call(2000, "c", "724").var("PARKINGEXTEN", "900"),
            call(3000, "d", "724").var("PARKINGEXTEN", "abc"),
        ],
        10,
    );
    let spaces: Vec<String> = parked(&ev).into_iter().map(|p| p.2).collect();
    assert_eq!(spaces, ["702", "703", "701"]);
    let warn = |t: &str| {
        ev.iter()
            .filter_map(Event::log)
            .find(|l| l.text == t)
            .map(|l| l.console())
    };
    assert_eq!(
        warn("Preferred parking spot 900 is out of bounds (701-703)").as_deref(),
        Some(
            "WARNING: parking_controller.c: Preferred parking spot 900 is out of bounds (701-703)"
        )
    );
    assert_eq!(
        warn("PARKINGEXTEN='abc' is not a valid parking space.").as_deref(),
        Some("WARNING: parking_bridge.c: PARKINGEXTEN='abc' is not a valid parking space.")
    );
    // The bad one hears pbx-parkingfailed and Park returns 0: the dialplan goes on.
    assert!(log_time(&ev, "<PJSIP/d-00000003> Playing 'pbx-parkingfailed.slin'").is_some());
    assert!(log_time(
        &ev,
        "Executing [724@internal:2] NoOp(\"PJSIP/d-00000003\", \"Park returned 0\")"
    )
    .is_some());
}

#[test]
fn a_full_lot_fails_with_parkingfailed_and_returns_0() {
    let ev = run(
        vec![
            call(0, "a", "726"),
            call(0, "b", "726"),
            call(0, "c", "726"),
            call(1000, "d", "724"),
        ],
        10,
    );
    assert_eq!(parked(&ev).len(), 3);
    let full = ev
        .iter()
        .filter_map(Event::log)
        .find(|l| l.text.starts_with("Failed to get parking space"))
        .map(|l| l.console());
    assert_eq!(
        full.as_deref(),
        Some("NOTICE: parking_bridge.c: Failed to get parking space in lot 'default'. All full.")
    );
    assert!(log_time(&ev, "<PJSIP/d-00000003> Playing 'pbx-parkingfailed.slin'").is_some());
    assert!(log_time(&ev, "NoOp(\"PJSIP/d-00000003\", \"Park returned 0\")").is_some());
    assert!(log_time(&ev, "Spawn extension (internal, 724, 1)").is_none());
}

#[test]
fn t_and_c_options_and_their_errors() {
    let ev = run(
        vec![
            call(0, "a", "725"),
            call(0, "b", "726"),
            // The lot has three spaces: c and d come when a and c have left.
            call(6_000, "c", "727"),
            call(30_000, "d", "728"),
            call(0, "e", "729"),
        ],
        60,
    );
    // c(back,s,1) t(5): out after 5 s (+ the 500 ms answer wait), straight to back.
    let t = ev
        .iter()
        .find(|e| {
            e.name() == "ParkedCallTimeOut"
                && e.fields().and_then(|f| f.get("ParkeeChannel")) == Some("PJSIP/a-00000000")
        })
        .map(|e| ms(e.time));
    assert_eq!(t, Some(5_500));
    assert!(log_time(
        &ev,
        "NoOp(\"PJSIP/a-00000000\", \"back at 701 of default from PJSIP/a\")"
    )
    .is_some());
    // t(0): no limit at all, so b is still parked when the run ends; its ParkingTimeout is 0.
    let b = find_ami(&ev, "ParkedCall", Some("PJSIP/b-00000001")).and_then(|e| e.fields());
    assert_eq!(b.and_then(|f| f.get("ParkingTimeout")), Some("0"));
    assert!(find_ami(&ev, "ParkedCallTimeOut", Some("PJSIP/b-00000001")).is_none());
    // A bad t: Asterisk's errors; the park still happens with the lot's own limit (20 s).
    for line in [
        "ERROR: parking_applications.c: No duration value provided for the timeout ('t') option.",
        "ERROR: parking_applications.c: Duration value provided for timeout ('t') option must be 0 or greater.",
        "WARNING: app.c: Unrecognized option: 'x'",
    ] {
        assert!(
            ev.iter().filter_map(Event::log).any(|l| l.console() == line),
            "{line}"
        );
    }
    let c = find_ami(&ev, "ParkedCall", Some("PJSIP/c-00000003")).and_then(|e| e.fields());
    assert_eq!(c.and_then(|f| f.get("ParkingTimeout")), Some("20"));
    // Park returns 0 on a timeout: c's dialplan goes on at the comeback destination (gone), not at 727,2.
    assert!(log_time(&ev, "NoOp(\"PJSIP/c-00000003\", \"after\")").is_none());
}

#[test]
fn parker_identity_self_blindtransfer_attendedtransfer() {
    let ev = run(
        vec![
            call(0, "a", "724"),
            call(0, "b", "724").var("BLINDTRANSFER", "PJSIP/carl-0000000a"),
            call(0, "c", "724").var("ATTENDEDTRANSFER", "Local/x@ctx-00000001;1"),
        ],
        5,
    );
    assert_eq!(
        field_of(&ev, "PJSIP/a-00000000", "ParkerDialString"),
        "PJSIP/a"
    );
    assert_eq!(
        field_of(&ev, "PJSIP/b-00000001", "ParkerDialString"),
        "PJSIP/carl"
    );
    assert_eq!(
        field_of(&ev, "PJSIP/c-00000002", "ParkerDialString"),
        "Local/x@ctx"
    );
    // BLINDTRANSFER silences the announcement; the channel itself and ATTENDEDTRANSFER do not.
    assert!(log_time(&ev, "<PJSIP/a-00000000> Playing 'digits/").is_some());
    assert!(log_time(&ev, "<PJSIP/b-00000001> Playing 'digits/").is_none());
    assert!(log_time(&ev, "<PJSIP/c-00000002> Playing 'digits/").is_some());
    for line in [
        "Setting Parker dial string to PJSIP/carl from BLINDTRANSFER value",
        "Setting Parker dial string to Local/x@ctx from ATTENDEDTRANSFER value",
    ] {
        assert!(log_time(&ev, line).is_some(), "{line}");
    }
}
