//! BridgeWait on the engine: the refusals Asterisk prints, a second announcer, `n` (no answer), a caller
//! that hangs up, and a channel redirected out of the bridge.

use crate::engine_common;
use dialplan::engine::{Engine, EngineConfig, Event, Interest, PhoneSpec, Recorder};
use engine_common::*;
use std::time::Duration;

/// Runs one call per `(from, exten)` at the given second into context `t`; the console trace.
fn run(conf: &str, calls: &[(&str, &str, u64, PhoneSpec)]) -> String {
    let engine = Engine::new(EngineConfig::default(), plan_from_conf(conf));
    let (rec, events) = Recorder::new(Interest::all());
    engine.subscribe(Box::new(rec));
    let e = engine.clone();
    let calls: Vec<(String, String, u64, PhoneSpec)> = calls
        .iter()
        .map(|(f, x, at, s)| (f.to_string(), x.to_string(), *at, s.clone()))
        .collect();
    engine
        .block_on(async move {
            for (from, exten, at, spec) in calls {
                e.sleep_until(Duration::from_secs(at)).await;
                let ch = e.new_phone_channel("PJSIP", &from, spec, "t", &exten);
                e.spawn_pbx(ch);
            }
            e.run_until(Duration::from_secs(120)).await;
        })
        .expect("runtime");
    let out: Vec<Event> = events.borrow().clone();
    console(&out)
}

fn hangs_up_after(secs: u64) -> PhoneSpec {
    PhoneSpec {
        hangup_after: Some(Duration::from_secs(secs)),
        ..outside_caller()
    }
}

#[test]
fn refusals() {
    let conf = "\
[t]
exten => 1,1,BridgeWait(,,S(0))
exten => 2,1,BridgeWait(,,e(x))
exten => 3,1,BridgeWait(,,S())
exten => 4,1,BridgeWait(,Participant)
";
    let calls: Vec<_> = ["1", "2", "3", "4"]
        .iter()
        .enumerate()
        .map(|(i, x)| ("p", *x, i as u64, outside_caller()))
        .collect();
    let out = run(conf, &calls);
    for line in [
        "ERROR: app_bridgewait.c: Timeout option 'S': Invalid value provided '0'.",
        "ERROR: app_bridgewait.c: Invalid argument for BridgeWait entertainment 'x'",
        "ERROR: app_bridgewait.c: Timeout option 'S': No value provided.",
        "ERROR: app_bridgewait.c: Requested waiting bridge role 'Participant' is invalid.",
    ] {
        assert!(out.contains(line), "{line} missing in\n{out}");
    }
    // None of them made a bridge.
    assert!(!out.contains("entering waiting bridge"), "{out}");
}

#[test]
fn a_second_announcer_is_refused_and_goes_on() {
    let conf = "\
[t]
exten => a,1,BridgeWait(hall,announcer,S(5))
 same => n,NoOp(first announcer back)
exten => b,1,BridgeWait(hall,announcer)
 same => n,NoOp(second announcer back ${HANGUPCAUSE})
";
    let out = run(
        conf,
        &[
            ("one", "a", 0, outside_caller()),
            ("two", "b", 1, outside_caller()),
        ],
    );
    assert!(
        out.contains("tried to be an announcer.  Bridge already has one."),
        "{out}"
    );
    assert!(out.contains("second announcer back 16"), "{out}");
    assert!(out.contains("first announcer back"), "{out}");
    // No participant, so no music on hold.
    assert!(!out.contains("music on hold"), "{out}");
}

#[test]
fn options_timeout_and_hangup() {
    let conf = "\
[t]
exten => s,1,BridgeWait(,,nkS(1))
 same => n,NoOp(back ${HANGUPCAUSE})
exten => h2,1,BridgeWait()
 same => n,NoOp(not reached)
";
    let out = run(
        conf,
        &[
            ("p", "s", 0, outside_caller()),
            ("q", "h2", 5, hangs_up_after(2)),
        ],
    );
    assert!(
        out.contains("WARNING: app.c: Unrecognized option: 'k'"),
        "{out}"
    );
    assert!(out.contains("is entering waiting bridge default:"), "{out}");
    assert!(
        out.contains("[00:00:01.000]     -- Channel PJSIP/p-00000000 timed out."),
        "{out}"
    );
    assert!(out.contains("back 16"), "{out}");
    assert!(!out.contains("not reached"), "{out}");
    assert!(
        out.contains("Spawn extension (t, h2, 1) exited non-zero"),
        "{out}"
    );
}

#[test]
fn a_redirect_takes_the_channel_out_and_the_bridge_goes() {
    let conf = "\
[t]
exten => s,1,BridgeWait(q)
 same => n,NoOp(not reached)
exten => out,1,NoOp(redirected)
";
    let engine = Engine::new(EngineConfig::default(), plan_from_conf(conf));
    let (rec, events) = Recorder::new(Interest::all());
    engine.subscribe(Box::new(rec));
    let e = engine.clone();
    engine
        .block_on(async move {
            let ch = e.new_phone_channel("PJSIP", "p", outside_caller(), "t", "s");
            e.spawn_pbx(ch);
            e.sleep_until(Duration::from_secs(3)).await;
            e.async_goto(
                ch,
                dialplan::engine::Location {
                    context: "t".into(),
                    exten: "out".into(),
                    priority: 1,
                },
            );
            e.run_until(Duration::from_secs(10)).await;
        })
        .expect("runtime");
    let evs: Vec<Event> = events.borrow().clone();
    let out = console(&evs);
    assert!(
        out.contains("Stopped music on hold on PJSIP/p-00000000"),
        "{out}"
    );
    assert!(out.contains("redirected"), "{out}");
    assert!(!out.contains("not reached"), "{out}");
    let destroyed = time_of(
        &evs,
        |ev| matches!(&ev.body, dialplan::engine::EventBody::Ami(a) if a.name == "BridgeDestroy"),
    );
    assert_eq!(destroyed, Some(Duration::from_secs(3)));
}
