//! `parkinghints` and device state: `park:<space>@<context>` goes InUse when a call is parked there and
//! NotInUse when it leaves; every hint made of such devices sends `ExtensionStatus` when its state changes.

use crate::common;
use common::*;
use dialplan::engine::PhoneSpec;
use std::time::Duration;

const EXTENSIONS: &str = "\
[internal]
include => parkedcalls
exten => 100,1,Park()
exten => 200,1,ParkedCall(default,701)
exten => both,hint,park:701@parkedcalls&park:702@parkedcalls

[gone]
exten => s,1,Hangup()
";

fn status(ev: &[dialplan::engine::Event]) -> Vec<String> {
    ev.iter()
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "ExtensionStatus")
        .map(|f| {
            ["Exten", "Context", "Hint", "Status", "StatusText"]
                .iter()
                .map(|k| f.get(k).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn run(hints: &str) -> Vec<String> {
    let res = format!("[default]\nparkext => 700\nparkpos => 701-702\ncontext => parkedcalls\nparkingtime => 20\ncomebacktoorigin => no\ncomebackcontext => gone\nparkinghints => {hints}\n");
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(&res));
    let phone = || PhoneSpec {
        media: false,
        ..PhoneSpec::default()
    };
    let retriever = PhoneSpec {
        hangup_after: Some(Duration::from_secs(1)),
        ..phone()
    };
    let r = sim.run(
        vec![
            Call::new(0, "a", phone(), "100", "internal"),
            Call::new(1000, "b", phone(), "100", "internal"),
            Call::new(5000, "c", retriever, "200", "internal"),
        ],
        vec![],
        Duration::from_secs(60),
    );
    status(&r.events)
}

#[test]
fn generated_and_written_hints_follow_the_spaces() {
    assert_eq!(
        run("yes"),
        [
            "701 parkedcalls park:701@parkedcalls 1 InUse",
            "both internal park:701@parkedcalls&park:702@parkedcalls 1 InUse",
            "702 parkedcalls park:702@parkedcalls 1 InUse",
            "701 parkedcalls park:701@parkedcalls 0 Idle",
            "702 parkedcalls park:702@parkedcalls 0 Idle",
            "both internal park:701@parkedcalls&park:702@parkedcalls 0 Idle",
        ]
    );
}

#[test]
fn without_parkinghints_only_written_hints_report() {
    assert_eq!(
        run("no"),
        [
            "both internal park:701@parkedcalls&park:702@parkedcalls 1 InUse",
            "both internal park:701@parkedcalls&park:702@parkedcalls 0 Idle",
        ]
    );
}

/// DEVICE_STATE and EXTENSION_STATE (funcs/func_devstate.c, funcs/func_extstate.c) over parking's
/// devices: main/devicestate.c _ast_device_state answers a `park:` device from the state
/// parking_notify_metermaids published (ast_devstate_changed, cachable, keyed by the exact name); a
/// device never published asks res_parking's provider (parking_devicestate.c metermaidstate), which
/// rejects what `%d@context` does not read (INVALID) and otherwise answers NOT_INUSE. A hint's state is
/// the aggregate of its devices (main/extension_state.c); no hint is UNKNOWN.
#[test]
fn device_and_extension_state_functions_see_the_spaces() {
    const PROBE: &str = "\
exten => 300,1,NoOp(${DEVICE_STATE(park:701@parkedcalls)}|${EXTENSION_STATE(701@parkedcalls)}|${EXTENSION_STATE(both@internal)}|${DEVICE_STATE(park:0701@parkedcalls)}|${DEVICE_STATE(park:x@parkedcalls)}|${DEVICE_STATE(Park:701)}|${EXTENSION_STATE(100@internal)})
";
    let extensions = EXTENSIONS.replace("\n[gone]", &format!("{PROBE}\n[gone]"));
    let res = "[default]\nparkext => 700\nparkpos => 701-702\ncontext => parkedcalls\nparkingtime => 20\ncomebacktoorigin => no\ncomebackcontext => gone\nparkinghints => yes\n";
    let sim = build(&extensions, ORACLE_FEATURES, Some(res));
    let phone = || PhoneSpec {
        media: false,
        ..PhoneSpec::default()
    };
    let retriever = PhoneSpec {
        hangup_after: Some(Duration::from_secs(1)),
        ..phone()
    };
    let r = sim.run(
        vec![
            Call::new(0, "p", phone(), "300", "internal"),
            Call::new(100, "a", phone(), "100", "internal"),
            Call::new(3000, "q", phone(), "300", "internal"),
            Call::new(5000, "c", retriever, "200", "internal"),
            Call::new(8000, "r", phone(), "300", "internal"),
        ],
        vec![],
        Duration::from_secs(60),
    );
    let probes: Vec<String> = console(&r.events)
        .lines()
        .filter_map(|l| l.split_once("NoOp(\"").map(|(_, rest)| rest.to_string()))
        .filter(|l| l.contains('|'))
        .collect();
    assert_eq!(
        probes,
        [
            "PJSIP/p-00000000\", \"NOT_INUSE|NOT_INUSE|NOT_INUSE|NOT_INUSE|INVALID|INVALID|UNKNOWN\") in new stack",
            "PJSIP/q-00000002\", \"INUSE|INUSE|INUSE|NOT_INUSE|INVALID|INVALID|UNKNOWN\") in new stack",
            "PJSIP/r-00000004\", \"NOT_INUSE|NOT_INUSE|NOT_INUSE|NOT_INUSE|INVALID|INVALID|UNKNOWN\") in new stack",
        ]
    );
}
