//! `Park()` and `ParkedCall()` as applications, and the slot search over several parks in one run.

use crate::common;
use common::*;
use std::time::Duration;

const EXTENSIONS: &str = "\
[internal]
include => parkedcalls
exten => 800,1,ParkedCall(default,705)
exten => 801,1,ParkedCall()
exten => 802,1,ParkedCall(default,abc)
exten => 803,1,ParkedCall(nolot,701)
exten => 810,1,Park(,s)
exten => 811,1,Park(nolot)
";

const RES_PARKING: &str = "\
[default]
parkext => 700
parkpos => 701-709
context => parkedcalls
parkingtime => 60
comebacktoorigin => no
";

fn sim() -> Sim {
    build(EXTENSIONS, ORACLE_FEATURES, Some(RES_PARKING))
}

#[test]
fn parked_call_on_an_empty_space_plays_invalidpark_and_hangs_up_silently() {
    let s = sim();
    let r = s.run(
        vec![Call::new(0, "bob", phone("bob"), "800", "internal")],
        vec![],
        Duration::from_secs(60),
    );
    let ev = &r.events;
    // Answered, 500 ms for the first media frame (none comes), then 4.955 s of pbx-invalidpark.
    assert_eq!(
        log_time(ev, "<PJSIP/bob-00000000> Playing 'pbx-invalidpark.slin'").map(ms),
        Some(500)
    );
    assert_eq!(
        log_time(ev, "Spawn extension (internal, 800, 1) exited non-zero").map(ms),
        Some(5455)
    );
    // Asterisk logs nothing itself (no ERROR/WARNING); dialsim explains.
    assert!(!ev.iter().any(|e| e
        .log()
        .is_some_and(|l| !matches!(l.level, dialplan::diag::LogLevel::Verbose(_)))));
    assert_eq!(diagnostic_codes(ev), ["parking/empty-space"]);
}

#[test]
fn parked_call_errors_log_asterisk_lines() {
    let s = sim();
    let r = s.run(
        vec![
            Call::new(0, "bob", phone("bob"), "802", "internal"),
            Call::new(0, "carol", phone("carol"), "803", "internal"),
            Call::new(0, "dave", phone("dave"), "801", "internal"),
        ],
        vec![],
        Duration::from_secs(60),
    );
    let ev = &r.events;
    let line =
        "value 'abc' for parking_space argument is invalid. Must be an integer greater than 0.";
    let l = ev
        .iter()
        .find_map(|e| e.log().filter(|l| l.text == line))
        .expect("bad space");
    assert_eq!(l.level, dialplan::diag::LogLevel::Error);
    // The bad space is logged after the prompt; the unknown lot before it.
    assert_eq!(log_time(ev, line).map(ms), Some(500 + 4955));
    assert_eq!(
        log_time(ev, "Could not find the requested parking lot").map(ms),
        Some(500)
    );
    // No space and nothing parked: the lowest occupied space does not exist.
    assert!(log_time(ev, "Spawn extension (internal, 801, 1) exited non-zero").is_some());
    assert!(diagnostic_codes(ev).contains(&"parking/empty-space".to_string()));
}

#[test]
fn park_app_parks_itself_hears_its_space_then_music_and_is_retrieved() {
    let s = sim();
    let r = s.run(
        vec![
            Call::new(0, "bob", phone("bob"), "700", "internal"),
            Call::new(10_000, "carol", phone("carol"), "701", "internal"),
        ],
        vec![],
        Duration::from_secs(120),
    );
    let ev = &r.events;
    // Park answers (500 ms wait), parks bob at 701 and says the space to him before music starts.
    assert_eq!(
        log_time(ev, "Parking 'PJSIP/bob-00000000' in 'default' at space 701").map(ms),
        Some(500)
    );
    let p = find_ami(ev, "ParkedCall", None)
        .and_then(|e| e.fields())
        .expect("parked");
    assert_eq!(p.get("ParkerDialString"), Some("PJSIP/bob"));
    assert_eq!(
        log_time(ev, "<PJSIP/bob-00000000> Playing 'digits/7.slin'").map(ms),
        Some(500)
    );
    assert_eq!(
        log_time(
            ev,
            "Started music on hold, class 'default', on channel 'PJSIP/bob-00000000'"
        )
        .map(ms),
        Some(500 + 820 + 875 + 911)
    );
    // carol retrieves 701 at 10.5 s.
    let u = find_ami(ev, "UnParkedCall", None).expect("retrieved");
    assert_eq!(ms(u.time), 10_500);
    assert_eq!(
        u.fields().and_then(|f| f.get("RetrieverChannel")),
        Some("PJSIP/carol-00000001")
    );
    assert!(find_ami(ev, "ParkedCallTimeOut", None).is_none());
    insta::assert_snapshot!(console(ev));
}

#[test]
fn park_app_silent_and_unknown_lot() {
    let s = sim();
    let r = s.run(
        vec![
            Call::new(0, "bob", phone("bob"), "810", "internal"),
            Call::new(0, "carol", phone("carol"), "811", "internal"),
        ],
        vec![],
        Duration::from_secs(30),
    );
    let ev = &r.events;
    // s: no announcement, music at once.
    assert!(log_time(ev, "<PJSIP/bob-00000000> Playing 'digits/").is_none());
    assert_eq!(
        log_time(
            ev,
            "Started music on hold, class 'default', on channel 'PJSIP/bob-00000000'"
        )
        .map(ms),
        Some(500)
    );
    // An unknown lot: Asterisk's ERROR, pbx-parkingfailed, and Park returns 0 (autofallthrough then ends it).
    assert!(log_time(ev, "Could not find parking lot: 'nolot'").is_some());
    assert!(log_time(
        ev,
        "<PJSIP/carol-00000001> Playing 'pbx-parkingfailed.slin'"
    )
    .is_some());
    assert!(log_time(ev, "Spawn extension (internal, 811, 1)").is_none());
}

/// alice parks each caller at once; the parked calls time out after 5 s into a context that hangs up.
const SLOT_EXTENSIONS: &str = "\
[parking-example]
exten => alice,1,Answer()
 same => n,SendDTMF(#72)
 same => n,Wait(10)

[from-outside]
exten => 5555001,1,Dial(Local/alice@parking-example/n,,k)

[gone]
exten => s,1,Hangup()
";

fn spaces(findslot: &str, calls: &[u64]) -> Vec<String> {
    let res = format!(
        "[default]\nparkext => 700\nparkpos => 701-703\nparkingtime => 5\ncomebacktoorigin => no\ncomebackcontext => gone\nfindslot => {findslot}\n"
    );
    let sim = build(SLOT_EXTENSIONS, ORACLE_FEATURES, Some(&res));
    let calls = calls
        .iter()
        .map(|&at| Call::new(at, "outside", outside_caller(), "5555001", "from-outside"))
        .collect();
    let r = sim.run(calls, vec![], Duration::from_secs(600));
    r.events
        .iter()
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "ParkedCall")
        .filter_map(|f| f.get("ParkingSpace").map(str::to_string))
        .collect()
}

#[test]
fn findslot_next_continues_after_the_last_space_across_calls_and_wraps() {
    // One call at a time, each timing out before the next: `next` walks on, `first` reuses 701.
    let one_at_a_time = [0, 20_000, 40_000, 60_000];
    assert_eq!(spaces("next", &one_at_a_time), ["701", "702", "703", "701"]);
    assert_eq!(
        spaces("first", &one_at_a_time),
        ["701", "701", "701", "701"]
    );
    // Three at once fill the lot either way.
    assert_eq!(spaces("next", &[0, 1000, 2000]), ["701", "702", "703"]);
    assert_eq!(spaces("first", &[0, 1000, 2000]), ["701", "702", "703"]);
}

/// Three calls park themselves with their own limits; one timer per lot must still fire them in deadline
/// order, and Park's `c(…)` sends a timed-out call where it says.
const LIMITS: &str = "\
[internal]
exten => 821,1,Park(,st(30))
exten => 822,1,Park(,st(10))
exten => 823,1,Park(,sc(back,s,1)t(20))

[back]
exten => s,1,NoOp(came back from ${PARKINGSLOT}${PARKING_SPACE})

[gone]
exten => s,1,NoOp(timed out)
";

#[test]
fn own_limits_time_out_in_deadline_order_and_c_sends_the_call_back() {
    let res = "[default]\nparkext => 700\nparkpos => 701-709\nparkingtime => 45\ncomebacktoorigin => no\ncomebackcontext => gone\n";
    let sim = build(LIMITS, ORACLE_FEATURES, Some(res));
    let r = sim.run(
        vec![
            Call::new(0, "a", phone("a"), "821", "internal"),
            Call::new(1000, "b", phone("b"), "822", "internal"),
            Call::new(2000, "c", phone("c"), "823", "internal"),
        ],
        vec![],
        Duration::from_secs(120),
    );
    let ev = &r.events;
    let timeouts: Vec<(u64, String)> = ev
        .iter()
        .filter(|e| e.name() == "ParkedCallTimeOut")
        .filter_map(|e| {
            e.fields()
                .and_then(|f| f.get("ParkeeChannel"))
                .map(|c| (ms(e.time), c.to_string()))
        })
        .collect();
    // Answer waits 500 ms for media before each park.
    assert_eq!(
        timeouts,
        [
            (11_500, "PJSIP/b-00000001".to_string()),
            (22_500, "PJSIP/c-00000002".to_string()),
            (30_500, "PJSIP/a-00000000".to_string()),
        ]
    );
    // c(back,s,1): straight there, no comeback route; PARKINGSLOT is never set in 12+.
    assert!(log_time(
        ev,
        "Executing [s@back:1] NoOp(\"PJSIP/c-00000002\", \"came back from 703\")"
    )
    .is_some());
    assert!(log_time(
        ev,
        "Executing [s@gone:1] NoOp(\"PJSIP/a-00000000\", \"timed out\")"
    )
    .is_some());
    // Park returned 0 on the timeout: no "exited non-zero" for the Park priorities.
    assert!(log_time(ev, "Spawn extension (internal, 82").is_none());
}
