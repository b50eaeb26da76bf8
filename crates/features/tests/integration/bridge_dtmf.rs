//! The features module in a running engine: permissions from Dial and BRIDGE_FEATURES, the DTMF matcher in
//! a basic bridge (pass-through, prefix collection, timeout flush to the peer, dead ends, shadowing, the
//! wrong side), disconnect, the refused join without a parking provider, and the explanations.
//!
//! The caller is a phone pressing keys; the callee is `Local/bob@callee/n`, so what passes through the
//! bridge shows up as DTMF received on `Local/bob@callee-00000000;2`.

#[allow(dead_code)] // each test file uses its own part of the shared helpers
use crate::common;

use common::{run_call, Parking};
use dialplan::engine::{Event, EventBody};

const EXTENSIONS: &str = "\
[in]
exten => 101,1,Dial(Local/bob@callee/n,,K)
exten => 102,1,Dial(Local/bob@callee/n,,TK)
exten => 103,1,Dial(Local/bob@callee/n,,k)
exten => 104,1,Dial(Local/bob@callee/n,,H)
exten => 105,1,Set(BRIDGE_FEATURES=Kz)
 same => n,Dial(Local/bob@callee/n)
exten => 106,1,Dial(Local/short@callee/n,,Kg)
 same => n,Dial(Local/bob@callee/n)
exten => 107,1,Dial(Local/bob@callee/n)
exten => 108,1,Dial(Local/bob@callee/n,,T)
exten => 200,1,Answer()
 same => n,Wait(30)
exten => 201,1,Wait(30)

[callee]
exten => bob,1,Answer()
 same => n,Wait(30)
exten => short,1,Answer()
 same => n,Wait(2)
";

const FEATURES: &str = "[featuremap]\nparkcall => #72\n";
const BOB2: &str = "Local/bob@callee-00000000;2";
const CALLER: &str = "PJSIP/outside-00000000";

/// Runs one call from a phone that presses `keys` 1 s after it is up, to `exten@in`.
fn run(exten: &str, keys: &str, parking: Parking) -> Vec<Event> {
    run_with(exten, keys, parking, FEATURES)
}

/// [`run`] with another features.conf.
fn run_with(exten: &str, keys: &str, parking: Parking, features_conf: &str) -> Vec<Event> {
    run_call(EXTENSIONS, features_conf, exten, keys, parking)
}

/// (ms, event name, digit) of the DTMF events on `channel`.
fn dtmf(events: &[Event], channel: &str) -> Vec<(u64, String, String)> {
    events
        .iter()
        .filter_map(|e| {
            let f = e.fields()?;
            (f.name.starts_with("DTMF") && f.get("Channel") == Some(channel)).then(|| {
                (
                    e.time.as_millis() as u64,
                    f.name.to_string(),
                    f.get("Digit").unwrap_or("").to_string(),
                )
            })
        })
        .collect()
}

fn expect(rows: &[(u64, &str, &str)]) -> Vec<(u64, String, String)> {
    rows.iter()
        .map(|(t, n, d)| (*t, n.to_string(), d.to_string()))
        .collect()
}

/// (ms, code) of every DialsimDiagnostic, and (ms, channel) of every test park.
fn diagnostics(events: &[Event]) -> Vec<(u64, String)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Dialsim(f) if f.name == "DialsimDiagnostic" => Some((
                e.time.as_millis() as u64,
                f.get("Code").unwrap_or("").to_string(),
            )),
            _ => None,
        })
        .collect()
}

fn parks(events: &[Event]) -> Vec<(u64, String)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Dialsim(f) if f.name == "DialsimTestPark" => Some((
                e.time.as_millis() as u64,
                f.get("Channel").unwrap_or("").to_string(),
            )),
            _ => None,
        })
        .collect()
}

fn log_text(events: &[Event], text: &str) -> Option<(u64, String)> {
    events.iter().find_map(|e| {
        e.log()
            .filter(|l| l.text.contains(text))
            .map(|l| (e.time.as_millis() as u64, l.console()))
    })
}

#[test]
fn digits_that_start_no_code_pass_straight_through() {
    let ev = run("101", "5", Parking::Loaded);
    // The caller's keys: 100 ms lead after 1 s, 100 ms tone.
    let sent = expect(&[(1100, "DTMFBegin", "5"), (1200, "DTMFEnd", "5")]);
    assert_eq!(dtmf(&ev, CALLER), sent);
    assert_eq!(dtmf(&ev, BOB2), sent);
    assert!(parks(&ev).is_empty());
}

#[test]
fn the_full_code_runs_the_feature_and_nothing_reaches_the_peer() {
    let ev = run("101", "#72", Parking::Loaded);
    // # 1100–1200, 7 1450–1550, 2 1800–1900 (250 ms gaps < 1000 ms featuredigittimeout).
    assert_eq!(parks(&ev), [(1900, CALLER.to_string())]);
    assert!(dtmf(&ev, BOB2).is_empty());
    assert!(diagnostics(&ev).is_empty());
}

#[test]
fn a_partial_code_is_flushed_to_the_peer_when_featuredigittimeout_expires() {
    let ev = run("101", "#7", Parking::Loaded);
    // Collected until 1550 + 1000 ms, then streamed: 100 ms silence, 100 ms tones and gaps.
    assert_eq!(
        dtmf(&ev, BOB2),
        expect(&[
            (2650, "DTMFBegin", "#"),
            (2750, "DTMFEnd", "#"),
            (2850, "DTMFBegin", "7"),
            (2950, "DTMFEnd", "7"),
        ])
    );
    assert!(parks(&ev).is_empty());
}

#[test]
fn a_dead_end_is_flushed_at_once() {
    let ev = run("101", "#5", Parking::Loaded);
    assert_eq!(
        dtmf(&ev, BOB2),
        expect(&[
            (1650, "DTMFBegin", "#"),
            (1750, "DTMFEnd", "#"),
            (1850, "DTMFBegin", "5"),
            (1950, "DTMFEnd", "5"),
        ])
    );
}

#[test]
fn blindxfer_shadows_parkcall_and_takes_the_digits_as_a_target() {
    let ev = run("102", "#72", Parking::Loaded);
    // At the join: '#' (blindxfer, from T) shadows '#72'.
    assert_eq!(
        diagnostics(&ev),
        [(0, "features/shadowed-code".to_string())]
    );
    assert!(parks(&ev).is_empty());
    // '#' starts a blind transfer: 7 stops the announcement, 2 follows; 72@in does not exist.
    assert!(dtmf(&ev, BOB2).is_empty(), "the digits are the transfer's");
    let lines = verbose_lines(&ev);
    let expected = [
        "Channel PJSIP/outside-00000000: Started DTMF blind transfer.",
        "Channel PJSIP/outside-00000000: Dialed '72@in' does not exist.",
        "Channel PJSIP/outside-00000000: Dialed no digits.",
        "Channel PJSIP/outside-00000000: Dialed no digits.",
    ];
    let got: Vec<&str> = lines
        .iter()
        .map(|(_, l)| l.as_str())
        .filter(|l| l.contains("Started DTMF") || l.contains("Dialed"))
        .collect();
    assert_eq!(got, expected);
    // Three attempts: two retry sounds, then the invalid sound, then the peer is taken off hold.
    let prompts: Vec<String> = played(&ev, CALLER);
    assert_eq!(
        prompts,
        [
            "pbx-transfer",
            "pbx-invalid",
            "pbx-invalid",
            "privacy-incorrect"
        ]
    );
    assert_eq!(count(&ev, "Hold"), 1);
    assert_eq!(count(&ev, "Unhold"), 1);
    assert_eq!(count(&ev, "BlindTransfer"), 0, "no target, no transfer");
}

const ATXFER: &str = "[general]\natxfernoanswertimeout => 5\n[featuremap]\natxfer => *2\n";

#[test]
fn an_attended_transfer_aborted_goes_back_to_the_peer() {
    let ev = run_with("108", "*2W200WWW*1", Parking::Loaded, ATXFER);
    let lines = verbose_lines(&ev);
    assert!(lines
        .iter()
        .any(|(_, l)| l == "Channel PJSIP/outside-00000000: Started DTMF attended transfer."));
    // The target answered (Consulting); *1 aborts: the fail sound, back with the peer, off hold.
    assert_eq!(played(&ev, CALLER), ["pbx-transfer", "beeperr"]);
    assert_eq!(count(&ev, "Unhold"), 1);
    assert_eq!(count(&ev, "AttendedTransfer"), 0);
    let target = "Local/200@in-00000001;1";
    assert!(
        ev.iter().any(|e| e
            .fields()
            .is_some_and(|f| f.name == "Hangup" && f.get("Channel") == Some(target))),
        "the target is hung up when its bridge goes"
    );
    // The caller is back in its first bridge and bob hears the caller again.
    let joined: Vec<&str> = lines
        .iter()
        .map(|(_, l)| l.as_str())
        .filter(|l| l.starts_with("Channel PJSIP/outside-00000000 joined"))
        .collect();
    assert_eq!(joined.len(), 3, "{joined:?}");
    assert_eq!(joined[0], joined[2]);
}

#[test]
fn an_unanswered_attended_transfer_times_out() {
    let ev = run_with("108", "*2W201", Parking::Loaded, ATXFER);
    // 201 never answers: atxfernoanswertimeout (5 s) after the call started, the fail sound and back.
    let fail: Vec<u64> = ev
        .iter()
        .filter_map(|e| {
            let f = e.fields()?;
            (f.name == "DialsimPlayback" && f.get("Prompt") == Some("beeperr"))
                .then_some(e.time.as_millis() as u64)
        })
        .collect();
    let started = ev
        .iter()
        .find_map(|e| {
            let f = e.fields()?;
            (f.name == "Newchannel" && f.get("Channel") == Some("Local/201@in-00000001;1"))
                .then_some(e.time.as_millis() as u64)
        })
        .expect("the target is called");
    assert_eq!(fail, [started + 5000]);
    assert_eq!(count(&ev, "AttendedTransfer"), 0);
}

/// The verbose lines, with their times.
fn verbose_lines(events: &[Event]) -> Vec<(u64, String)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Log(l) => Some((e.time.as_millis() as u64, l.text.clone())),
            _ => None,
        })
        .collect()
}

/// The prompts played on `channel`, in order.
fn played(events: &[Event], channel: &str) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| {
            let f = e.fields()?;
            (f.name == "DialsimPlayback" && f.get("Channel") == Some(channel))
                .then(|| f.get("Prompt").unwrap_or("").to_string())
        })
        .collect()
}

fn count(events: &[Event], name: &str) -> usize {
    events
        .iter()
        .filter(|e| e.fields().is_some_and(|f| f.name == name))
        .count()
}

#[test]
fn the_wrong_side_presses_the_code_k_is_for_the_callee() {
    let ev = run("103", "#72", Parking::Loaded);
    assert!(parks(&ev).is_empty());
    assert_eq!(dtmf(&ev, BOB2).len(), 6, "all three digits pass to bob");
    assert_eq!(
        diagnostics(&ev),
        [(1900, "features/parkcall-not-armed".to_string())]
    );
    let help = ev
        .iter()
        .filter_map(|e| e.fields())
        .find(|f| f.get("Code") == Some("features/parkcall-not-armed"))
        .and_then(|f| f.get("Help").map(str::to_string))
        .expect("help");
    assert!(
        help.starts_with("the channel ran a Dial without 'K'"),
        "{help}"
    );
}

#[test]
fn no_permission_at_all() {
    let ev = run("107", "#72", Parking::Loaded);
    assert_eq!(
        diagnostics(&ev),
        [(1900, "features/parkcall-not-armed".to_string())]
    );
}

#[test]
fn disconnect_ends_the_call() {
    let ev = run("104", "*", Parking::Loaded);
    let (t, _) =
        log_text(&ev, "Spawn extension (in, 104, 1) exited non-zero").expect("Dial returned -1");
    assert_eq!(t, 1200);
    let bob_gone = ev
        .iter()
        .find(|e| {
            e.fields()
                .is_some_and(|f| f.name == "Hangup" && f.get("Channel") == Some(BOB2))
        })
        .map(|e| e.time.as_millis() as u64);
    assert_eq!(bob_gone, Some(1200));
    assert!(dtmf(&ev, BOB2).is_empty());
}

#[test]
fn bridge_features_on_the_caller_arm_its_hooks_and_unknown_letters_warn() {
    let ev = run("105", "#72", Parking::Loaded);
    let (_, line) = log_text(&ev, "Skipping unknown feature code").expect("warning");
    assert_eq!(
        line,
        "WARNING: features.c: Skipping unknown feature code 'z'"
    );
    assert_eq!(parks(&ev), [(1900, CALLER.to_string())]);
}

#[test]
fn permissions_outlive_the_dial_that_gave_them() {
    // The first Dial (K, g) ends at 2.5 s when `short` hangs up; the second Dial has no K, yet #72 works.
    let ev = run("106", "wwwwww#72", Parking::Loaded);
    let (second, _) = log_text(&ev, "Executing [106@in:2] Dial(").expect("second dial");
    let park = parks(&ev);
    assert_eq!(park.len(), 1);
    assert!(park[0].0 > second, "{park:?} after {second}");
}

#[test]
fn k_without_a_parking_provider_refuses_the_join() {
    let ev = run("101", "#72", Parking::Missing);
    let (t, line) = log_text(&ev, "Requested DTMF feature").expect("error");
    assert_eq!(t, 0);
    assert_eq!(
        line,
        "ERROR: bridge_basic.c: Channel PJSIP/outside-00000000: Requested DTMF feature parkcall not available."
    );
    assert_eq!(
        diagnostics(&ev),
        [(0, "features/parking-unavailable".to_string())]
    );
    assert!(
        log_text(&ev, "Spawn extension (in, 101, 1) exited non-zero").is_some_and(|(t, _)| t == 0)
    );
}
