//! `ParkedCall()` in its forms, the courtesy tone (`courtesytone` + `parkedplay`: who hears it and when), and
//! the features the parties get after a retrieval (`parkedcallreparking`, `parkedcallhangup`, …).

use crate::common;
use common::*;
use dialplan::engine::{Event, PhoneAction, PhoneActionKind, PhoneSpec};
use std::time::Duration;

const EXTENSIONS: &str = "\
[internal]
include => parkedcalls
exten => 710,1,Park(,s)
exten => 711,1,Park()
exten => 720,1,ParkedCall()
exten => 721,1,ParkedCall(,702)
exten => 722,1,ParkedCall(default)
exten => 723,1,ParkedCall(nolot)
exten => 724,1,ParkedCall(default,-1)

[gone]
exten => s,1,Hangup()
";

fn res_parking(extra: &str) -> String {
    format!(
        "[default]\nparkext => 700\nparkpos => 701-709\ncontext => parkedcalls\nparkingtime => 60\ncomebacktoorigin => no\ncomebackcontext => gone\n{extra}"
    )
}

fn phone(name: &str, actions: Vec<PhoneAction>) -> PhoneSpec {
    PhoneSpec {
        callerid: Some(dialplan::engine::Party::parse(&format!(
            "\"{name}\" <{name}>"
        ))),
        media: false,
        actions,
        ..PhoneSpec::default()
    }
}

fn presses(after_ms: u64, keys: &str) -> PhoneAction {
    PhoneAction {
        after: Duration::from_millis(after_ms),
        kind: PhoneActionKind::Dtmf(keys.into()),
    }
}

fn call(at_ms: u64, who: &str, exten: &str, actions: Vec<PhoneAction>) -> Call {
    Call::new(at_ms, who, phone(who, actions), exten, "internal")
}

fn run(extra: &str, calls: Vec<Call>) -> Vec<Event> {
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(&res_parking(extra)));
    sim.run(calls, vec![], Duration::from_secs(120)).events
}

fn plays(ev: &[Event], chan: &str, prompt: &str) -> Vec<u64> {
    let text = format!("<{chan}> Playing '{prompt}.slin'");
    ev.iter()
        .filter(|e| e.log().is_some_and(|l| l.text.contains(&text)))
        .map(|e| ms(e.time))
        .collect()
}

#[test]
fn no_space_takes_the_lowest_occupied_and_a_space_takes_that_one() {
    let ev = run(
        "",
        vec![
            call(0, "a", "710", vec![]),
            call(1000, "b", "710", vec![]),
            call(2000, "c", "710", vec![]),
            call(5000, "r1", "721", vec![]),
            call(6000, "r2", "720", vec![]),
            call(7000, "r3", "722", vec![]),
        ],
    );
    let retrieved: Vec<(String, String)> = ev
        .iter()
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "UnParkedCall")
        .map(|f| {
            (
                f.get("ParkingSpace").unwrap_or_default().to_string(),
                f.get("RetrieverChannel").unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        retrieved,
        [
            ("702".to_string(), "PJSIP/r1-00000003".to_string()),
            ("701".to_string(), "PJSIP/r2-00000004".to_string()),
            ("703".to_string(), "PJSIP/r3-00000005".to_string()),
        ]
    );
}

#[test]
fn unknown_lot_and_negative_space_are_asterisks_errors() {
    let ev = run(
        "",
        vec![call(0, "a", "723", vec![]), call(0, "b", "724", vec![])],
    );
    let errors: Vec<String> = ev
        .iter()
        .filter_map(Event::log)
        .filter(|l| l.level == dialplan::diag::LogLevel::Error)
        .map(|l| l.console())
        .collect();
    assert_eq!(
        errors,
        [
            "ERROR: parking_applications.c: Could not find the requested parking lot",
            "ERROR: parking_applications.c: value '-1' for parking_space argument is invalid. Must be an integer greater than 0.",
        ]
    );
    assert_eq!(plays(&ev, "PJSIP/a-00000000", "pbx-invalidpark"), [500]);
    assert_eq!(plays(&ev, "PJSIP/b-00000001", "pbx-invalidpark"), [500]);
}

#[test]
fn courtesy_tone_caller_is_the_retriever_before_it_joins() {
    let ev = run(
        "courtesytone => beep\n",
        vec![call(0, "a", "710", vec![]), call(5000, "r", "720", vec![])],
    );
    assert_eq!(plays(&ev, "PJSIP/r-00000001", "beep"), [5500]);
    assert!(plays(&ev, "PJSIP/a-00000000", "beep").is_empty());
    // The retriever joins after the tone.
    let beep = dialplan::engine::media::Prompts::builtin()
        .get("beep")
        .map(ms)
        .unwrap_or_default();
    assert_eq!(
        log_time(&ev, "Channel PJSIP/r-00000001 joined 'simple_bridge'").map(ms),
        Some(5500 + beep)
    );
}

#[test]
fn courtesy_tone_callee_is_the_parkee_after_its_own_announcement() {
    let ev = run(
        "courtesytone => beep\nparkedplay => callee\n",
        vec![
            call(0, "a", "710", vec![]),
            call(100, "b", "711", vec![]),
            call(1000, "r", "721", vec![]),
            call(5000, "s", "722", vec![]),
        ],
    );
    // a (silent park) is retrieved at 5.5 s and hears the tone at once; the retriever does not.
    assert_eq!(plays(&ev, "PJSIP/a-00000000", "beep"), [5500]);
    assert!(plays(&ev, "PJSIP/s-00000003", "beep").is_empty());
    // b is retrieved at 1.5 s (from 702) while it still hears "7-0-2": the tone follows the last digit, and b never
    // gets music on hold.
    let two = plays(&ev, "PJSIP/b-00000001", "digits/2");
    assert_eq!(two.len(), 1);
    let after = two[0]
        + ms(dialplan::engine::media::Prompts::builtin()
            .get("digits/2")
            .unwrap_or_default());
    assert_eq!(plays(&ev, "PJSIP/b-00000001", "beep"), [after]);
    assert!(log_time(&ev, "on channel 'PJSIP/b-00000001'").is_none());
}

#[test]
fn parkedplay_both_plays_to_both_and_no_tone_means_silence() {
    let ev = run(
        "courtesytone => beep\nparkedplay => both\n",
        vec![call(0, "a", "710", vec![]), call(5000, "r", "720", vec![])],
    );
    assert_eq!(plays(&ev, "PJSIP/r-00000001", "beep"), [5500]);
    assert_eq!(plays(&ev, "PJSIP/a-00000000", "beep").len(), 1);
    let ev = run(
        "parkedplay => both\n",
        vec![call(0, "a", "710", vec![]), call(5000, "r", "720", vec![])],
    );
    assert!(ev
        .iter()
        .filter_map(Event::log)
        .all(|l| !l.text.contains("beep")));
}

#[test]
fn parkedcallreparking_caller_lets_the_retriever_park_the_call_again() {
    let calls = || {
        vec![
            call(0, "a", "710", vec![]),
            call(5000, "r", "720", vec![presses(2000, "#72")]),
        ]
    };
    // Not granted: the digits pass, nothing is parked again.
    let ev = run("", calls());
    assert_eq!(ev.iter().filter(|e| e.name() == "ParkedCall").count(), 1);
    // Granted to the retriever (caller side): a is parked again at 702 (r hears it and leaves).
    let ev = run("parkedcallreparking => caller\n", calls());
    let spaces: Vec<&str> = ev
        .iter()
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "ParkedCall")
        .filter_map(|f| f.get("ParkingSpace"))
        .collect();
    assert_eq!(spaces, ["701", "701"]);
    let second = ev
        .iter()
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "ParkedCall")
        .nth(1)
        .and_then(|f| f.get("ParkerDialString"))
        .map(str::to_string);
    assert_eq!(second.as_deref(), Some("PJSIP/r"));
    assert!(!plays(&ev, "PJSIP/r-00000001", "digits/7").is_empty());
    // Granted to the callee only: the retriever's keys do nothing.
    let ev = run("parkedcallreparking => callee\n", calls());
    assert_eq!(ev.iter().filter(|e| e.name() == "ParkedCall").count(), 1);
}

#[test]
fn parkedcallhangup_caller_lets_the_retriever_hang_up_with_the_disconnect_code() {
    let features = "[featuremap]\nparkcall => #72\ndisconnect => *0\n";
    let sim = build(
        EXTENSIONS,
        features,
        Some(&res_parking("parkedcallhangup => caller\n")),
    );
    let ev = sim
        .run(
            vec![
                call(0, "a", "710", vec![]),
                call(5000, "r", "720", vec![presses(2000, "*0")]),
            ],
            vec![],
            Duration::from_secs(120),
        )
        .events;
    // r is up at 5 s; *0 ends 2 s + 100 + 100 + 250 + 100 ms later: both leave the bridge then.
    let left = log_time(&ev, "Channel PJSIP/r-00000001 left 'simple_bridge'").map(ms);
    assert_eq!(left, Some(7_000 + 550));
    assert!(find_ami(&ev, "ParkedCallTimeOut", None).is_none());
}
