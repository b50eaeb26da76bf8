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
