//! The order of what happens when a call leaves its lot other than by retrieval: the time limit, or the
//! parked caller hanging up.
//!
//! Asterisk's pull [main/bridge_channel.c · bridge_channel_internal_pull] prints the `left` line, runs the
//! holding technology's leave (the music stops: `MusicOnHoldStop`), then the parking class's pull
//! [res/parking/parking_bridge.c · bridge_parking_pull] (`ParkedCallTimeOut` or `ParkedCallGiveUp`), and
//! publishes `BridgeLeave` last. The timeout's variables come before all of it: they are set in the interval
//! hook [res/parking/parking_bridge_features.c · parking_duration_callback], which only asks the channel to
//! leave. (`ParkedCall()`'s retrieval has the same shape: the real run in oracle-example-1 shows
//! `MusicOnHoldStop`, `UnParkedCall`, `BridgeLeave`.)

use crate::common;
use common::*;
use dialplan::engine::{PhoneAction, PhoneActionKind, PhoneSpec};
use std::time::Duration;

const EXTENSIONS: &str = "\
[from-outside]
exten => 5555001,1,Dial(PJSIP/alice,,k)
 same => n,Hangup()

[gone]
exten => s,1,Hangup()
";

const RES_PARKING: &str = "\
[default]
parkext => 700
parkpos => 701-709
context => parkedcalls
parkingtime => 10
comebacktoorigin => no
comebackcontext => gone
";

/// alice answers after 1 s and parks the caller with #72 2 s later (the park is at 3.9 s).
fn alice() -> PhoneSpec {
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

/// `names` as [`leaving`] lists them: each event's name, then the caller's channel.
fn of_caller(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|n| format!("{n} PJSIP/outside-00000000"))
        .collect()
}

/// The caller's AMI events from `from_ms` on, up to its `BridgeLeave` from the lot.
fn leaving(hangup_after: Option<Duration>, from_ms: u64) -> Vec<String> {
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(RES_PARKING));
    sim.devices(Devices::default().phone("PJSIP/alice", vec![alice()]));
    let spec = PhoneSpec {
        hangup_after,
        ..outside_caller()
    };
    let call = Call::new(0, "outside", spec, "5555001", "from-outside");
    let r = sim.run(vec![call], vec![], Duration::from_secs(60));
    let later: Vec<_> = r
        .events
        .into_iter()
        .filter(|e| ms(e.time) >= from_ms)
        .collect();
    let mut names = Vec::new();
    for n in ami_names(&later) {
        if !n.ends_with("PJSIP/outside-00000000") {
            continue;
        }
        let done = n.starts_with("BridgeLeave");
        names.push(n);
        if done {
            break;
        }
    }
    names
}

#[test]
fn a_timeout_stops_the_music_then_times_out_then_leaves_the_bridge() {
    let names = leaving(None, 13_900);
    let expect = [
        "VarSet",
        "VarSet",
        "VarSet",
        "VarSet",
        "VarSet",
        "MusicOnHoldStop",
        "ParkedCallTimeOut",
        "BridgeLeave",
    ];
    assert_eq!(names, of_caller(&expect));
}

#[test]
fn a_parked_caller_hanging_up_stops_the_music_then_gives_up_then_leaves_the_bridge() {
    // The caller's channel is up at 1 s (alice answers); it hangs up 8 s later, parked.
    let names = leaving(Some(Duration::from_secs(8)), 9_000);
    let expect = [
        "HangupRequest",
        "MusicOnHoldStop",
        "ParkedCallGiveUp",
        "BridgeLeave",
    ];
    assert_eq!(names, of_caller(&expect));
}

/// `ParkedCallTimeOut` carries a fresh snapshot of the parkee, taken after the comeback's async goto moved it
/// (`s@gone`, priority 1); the events built from the cached snapshot (`MusicOnHoldStop`, `BridgeLeave`)
/// still show where it was parked from. [res/parking/parking_manager.c · parked_call_payload_from_parked_user;
/// main/pbx.c · ast_async_goto]
#[test]
fn the_timeout_event_shows_the_comeback_destination() {
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(RES_PARKING));
    sim.devices(Devices::default().phone("PJSIP/alice", vec![alice()]));
    let call = Call::new(0, "outside", outside_caller(), "5555001", "from-outside");
    let ev = sim.run(vec![call], vec![], Duration::from_secs(60)).events;
    let place = |name: &str, prefix: &str| {
        let f = find_ami(&ev, name, Some("PJSIP/outside-00000000"))
            .and_then(|e| e.fields())
            .expect(name);
        ["Context", "Exten", "Priority"].map(|k| {
            f.get(&format!("{prefix}{k}"))
                .unwrap_or_default()
                .to_string()
        })
    };
    assert_eq!(place("ParkedCallTimeOut", "Parkee"), ["gone", "s", "1"]);
    assert_eq!(
        place("MusicOnHoldStop", ""),
        ["from-outside", "5555001", "1"]
    );
    let leave = ev
        .iter()
        .filter(|e| ms(e.time) == 13_900)
        .filter_map(|e| e.fields())
        .find(|f| f.name == "BridgeLeave" && f.get("Channel") == Some("PJSIP/outside-00000000"))
        .expect("BridgeLeave");
    assert_eq!(leave.get("Context"), Some("from-outside"));
    // The parking events before the timeout show the place it was parked from.
    assert_eq!(
        place("ParkedCall", "Parkee"),
        ["from-outside", "5555001", "1"]
    );
}

/// The caller's Dial ends by the comeback's async goto: `ast_bridge_call_with_flags` returns 0 and skips
/// Dial's `end_bridge_callback`, so no `ANSWEREDTIME`/`DIALEDTIME` is set; `DIALSTATUS` still is.
/// [main/features.c · ast_bridge_call_with_flags; apps/app_dial.c · end_bridge_callback, dial_exec_full]
#[test]
fn a_caller_timed_out_of_its_dial_gets_no_answered_time() {
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(RES_PARKING));
    sim.devices(Devices::default().phone("PJSIP/alice", vec![alice()]));
    let call = Call::new(0, "outside", outside_caller(), "5555001", "from-outside");
    let ev = sim.run(vec![call], vec![], Duration::from_secs(60)).events;
    let set: Vec<String> = ev
        .iter()
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "VarSet" && f.get("Channel") == Some("PJSIP/outside-00000000"))
        .map(|f| {
            format!(
                "{}={}",
                f.get("Variable").unwrap_or(""),
                f.get("Value").unwrap_or("")
            )
        })
        .collect();
    // What the Dial sets once the caller is out of the lot (its start cleared these with empty values).
    let after = set
        .iter()
        .position(|v| v == "BRIDGE_FEATURES=")
        .map(|i| &set[i + 1..])
        .expect("timeout variables");
    assert_eq!(after, ["DIALSTATUS=ANSWER"]);
}

/// Leaving the bridge system publishes the channel's snapshot, already at the comeback destination
/// (`ast_async_goto` moved it): one `Newexten` for `s@gone:1` that still names the Dial the caller was
/// parked from, before Dial's `DIALSTATUS`, which shows the new place too; the step at `s@gone:1` publishes
/// no second one (`channel_newexten` ignores an unchanged position). [main/bridge_channel.c ·
/// bridge_channel_internal_join; main/channel_internal_api.c · ast_channel_internal_bridge_set;
/// main/manager_channels.c · channel_newexten]
#[test]
fn leaving_for_the_comeback_publishes_the_destination_with_the_old_application() {
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(RES_PARKING));
    sim.devices(Devices::default().phone("PJSIP/alice", vec![alice()]));
    let call = Call::new(0, "outside", outside_caller(), "5555001", "from-outside");
    let ev = sim.run(vec![call], vec![], Duration::from_secs(60)).events;
    let after: Vec<String> = ev
        .iter()
        .filter(|e| ms(e.time) == 13_900)
        .filter_map(|e| e.fields())
        .filter(|f| f.get("Channel").or(f.get("ParkeeChannel")) == Some("PJSIP/outside-00000000"))
        .skip_while(|f| f.name != "BridgeLeave")
        .map(|f| {
            let g = |k| f.get(k).unwrap_or_default();
            format!(
                "{} {}@{}:{} {}({}){}",
                f.name,
                g("Exten"),
                g("Context"),
                g("Priority"),
                g("Application"),
                g("AppData"),
                g("Variable")
            )
        })
        .collect();
    assert_eq!(
        after[..4],
        [
            "BridgeLeave 5555001@from-outside:1 ()",
            "Newexten s@gone:1 Dial(PJSIP/alice,,k)",
            "VarSet s@gone:1 ()DIALSTATUS",
            "SoftHangupRequest s@gone:1 ()",
        ]
    );
    assert_eq!(
        after.iter().filter(|a| a.starts_with("Newexten")).count(),
        1
    );
    assert!(log_time(
        &ev,
        "Executing [s@gone:1] Hangup(\"PJSIP/outside-00000000\", \"\")"
    )
    .is_some());
}

/// A `Park()` whose time limit (1 s) runs out while the parkee still hears its space: the lot's interval
/// hook shares the parkee's bridge thread with the announcement (a queued play-file action), so it runs
/// when the announcement is over (2.606 s of digits) and the music has restarted.
/// [main/bridge_channel.c · bridge_channel_handle_action, bridge_channel_wait; bridges/bridge_holding.c ·
/// holding_bridge_unsuspend; res/parking/parking_bridge_features.c · parking_duration_callback]
#[test]
fn a_timeout_during_the_parkees_own_announcement_waits_for_its_end() {
    let extensions = "\
[internal]
exten => 100,1,Park()

[gone]
exten => s,1,Hangup()
";
    let res_parking = RES_PARKING.replace("parkingtime => 10", "parkingtime => 1");
    let sim = build(extensions, ORACLE_FEATURES, Some(&res_parking));
    let call = Call::new(0, "bob", phone("bob"), "100", "internal");
    let ev = sim.run(vec![call], vec![], Duration::from_secs(60)).events;
    // phone() sends no media: Park answers and waits 500 ms, then parks.
    let at = |text: &str| log_time(&ev, text).map(ms);
    assert_eq!(
        at("Parking 'PJSIP/bob-00000000' in 'default' at space 701"),
        Some(500)
    );
    assert_eq!(at("Playing 'digits/1.slin'"), Some(500 + 820 + 875));
    let end = 500 + 820 + 875 + 911;
    assert_eq!(at("Started music on hold"), Some(end));
    assert_eq!(
        find_ami(&ev, "ParkedCallTimeOut", None).map(|e| ms(e.time)),
        Some(end)
    );
    assert_eq!(
        at("Channel PJSIP/bob-00000000 left 'holding_bridge'"),
        Some(end)
    );
    assert_eq!(at("Executing [s@gone:1] Hangup"), Some(end));
}
