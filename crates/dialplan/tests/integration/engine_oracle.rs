//! The oracle example's call up to the parking (which is the parking module's), on the virtual clock:
//! NoOp, Dial of a Local pair, `;2` running alice, Answer waiting 500 ms, hello-world lasting 1.404 s,
//! SendDTMF's digit timing, the bridge events.

use crate::engine_common;
use dialplan::engine::EngineConfig;
use engine_common::*;
use std::time::Duration;

fn run() -> Vec<dialplan::engine::Event> {
    run_call(
        Box::new(oracle_plan()),
        EngineConfig::default(),
        "outside",
        outside_caller(),
        "from-outside",
        "5555001",
    )
}

#[test]
fn console_trace() {
    let events = run();
    insta::assert_snapshot!(console(&events));
}

#[test]
fn event_trace() {
    let events = run();
    insta::assert_snapshot!(render(&events));
}

#[test]
fn answer_waits_500ms_and_playback_lasts_1404ms() {
    let events = run();
    let ms = Duration::from_millis;
    let playback = time_of(&events, |e| {
        log_contains(e, "Playback(\"Local/alice@parking-example-00000000;2\"")
    });
    assert_eq!(playback, Some(ms(500)));
    let senddtmf = time_of(&events, |e| log_contains(e, "SendDTMF("));
    assert_eq!(senddtmf, Some(ms(1904)));
    let one = "Local/alice@parking-example-00000000;1";
    let dtmf: Vec<(Duration, String, String)> = events
        .iter()
        .filter_map(|e| {
            let f = e.fields()?;
            (f.name.starts_with("DTMF") && f.get("Channel") == Some(one)).then(|| {
                (
                    e.time,
                    f.name.to_string(),
                    f.get("Digit").unwrap_or("").to_string(),
                )
            })
        })
        .collect();
    let expect = [
        (2004, "DTMFBegin", "#"),
        (2104, "DTMFEnd", "#"),
        (2354, "DTMFBegin", "7"),
        (2454, "DTMFEnd", "7"),
        (2704, "DTMFBegin", "2"),
        (2804, "DTMFEnd", "2"),
    ];
    let got: Vec<(u64, &str, &str)> = dtmf
        .iter()
        .map(|(t, n, d)| (t.as_millis() as u64, n.as_str(), d.as_str()))
        .collect();
    assert_eq!(got, expect);
    // SendDTMF returns 1650 ms after it started.
    let goto = time_of(&events, |e| log_contains(e, "Goto (parkedcalls,701,1)"));
    assert_eq!(goto, Some(ms(1904 + 1650)));
}

#[test]
fn two_runs_are_identical() {
    let a = render(&run());
    let b = render(&run());
    assert_eq!(a, b);
}

#[test]
fn dtmf_passed_through_the_bridge_is_published_as_sent_on_the_peer() {
    // Without the features module nothing collects alice's digits: the bridge writes each one to the
    // caller (`ast_write`), which publishes DTMFBegin/End with direction Sent; SendDTMF on ;2 itself
    // publishes nothing for ;2.
    let events = run();
    let dtmf: Vec<(u64, String, String, String, String)> = events
        .iter()
        .filter_map(|e| {
            let f = e.fields()?;
            f.name.starts_with("DTMF").then(|| {
                (
                    e.time.as_millis() as u64,
                    f.name.to_string(),
                    f.get("Channel").unwrap_or("").to_string(),
                    f.get("Digit").unwrap_or("").to_string(),
                    f.get("Direction").unwrap_or("").to_string(),
                )
            })
        })
        .collect();
    let one = "Local/alice@parking-example-00000000;1";
    let out = "PJSIP/outside-00000000";
    let first: Vec<(u64, &str, &str, &str, &str)> = dtmf
        .iter()
        .take(4)
        .map(|(t, n, c, d, dir)| (*t, n.as_str(), c.as_str(), d.as_str(), dir.as_str()))
        .collect();
    assert_eq!(
        first,
        [
            (2004, "DTMFBegin", one, "#", "Received"),
            (2004, "DTMFBegin", out, "#", "Sent"),
            (2104, "DTMFEnd", one, "#", "Received"),
            (2104, "DTMFEnd", out, "#", "Sent"),
        ]
    );
    assert!(!dtmf.iter().any(|(_, _, c, _, _)| c.ends_with(";2")));
    let end = events
        .iter()
        .filter_map(|e| e.fields())
        .find(|f| f.name == "DTMFEnd" && f.get("Direction") == Some("Sent"))
        .expect("sent end");
    assert_eq!(end.get("DurationMs"), Some("100"));
}
