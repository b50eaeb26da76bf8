//! `FEATURE()` and `FEATUREMAP()` in a running engine: reads of the loaded configuration, per-channel
//! writes, Asterisk's warnings, and a `FEATUREMAP(parkcall)` override changing the code the channel's
//! bridge hooks match.

#[allow(dead_code)] // each test file uses its own part of the shared helpers
use crate::common;

use common::{run_call, Parking};
use dialplan::engine::{Event, EventBody};

const EXTENSIONS: &str = "\
[in]
exten => read,1,NoOp(${FEATURE(featuredigittimeout)} ${FEATURE(transferdigittimeout)} ${FEATUREMAP(parkcall)} ${FEATUREMAP(blindxfer)} ${FEATURE(inherit)})
 same => n,Set(FEATURE(featuredigittimeout)=2500)
 same => n,Set(FEATUREMAP(blindxfer)=*1)
 same => n,NoOp(${FEATURE(featuredigittimeout)} ${FEATUREMAP(blindxfer)})
 same => n,NoOp(${FEATURE(parkinglot)}|${FEATUREMAP(automon)})
 same => n,Set(FEATURE(transferdigittimeout)=soon)
 same => n,NoOp(${FEATURE(transferdigittimeout)})
exten => park,1,Set(FEATUREMAP(parkcall)=*5)
 same => n,Dial(Local/bob@callee/n,,K)
exten => noover,1,Dial(Local/bob@callee/n,,K)

[callee]
exten => bob,1,Answer()
 same => n,Wait(30)
";

const FEATURES: &str = "[general]\ntransferdigittimeout => 7\n[featuremap]\nparkcall => #72\n";

fn run(exten: &str, keys: &str) -> Vec<Event> {
    run_call(EXTENSIONS, FEATURES, exten, keys, Parking::Loaded)
}

/// NoOp arguments and WARNING lines, in order.
fn lines(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Log(l) => {
                let text = l.console();
                if let Some(i) = text.find("NoOp(\"") {
                    let rest = &text[i..];
                    let args = rest.split_once("\", \"")?.1;
                    Some(args.strip_suffix("\") in new stack")?.to_string())
                } else if text.starts_with("WARNING") {
                    Some(text)
                } else {
                    None
                }
            }
            _ => None,
        })
        .collect()
}

fn parked(events: &[Event]) -> bool {
    events
        .iter()
        .any(|e| matches!(&e.body, EventBody::Dialsim(f) if f.name == "DialsimTestPark"))
}

#[test]
fn reads_and_writes() {
    assert_eq!(
        lines(&run("read", "")),
        [
            "1000 7 #72 # no",
            "2500 *1",
            "WARNING: features_config.c: Invalid argument 'parkinglot' to FEATURE()",
            "WARNING: features_config.c: Invalid argument 'automon' to FEATUREMAP()",
            "|",
            "WARNING: features_config.c: Invalid argument 'transferdigittimeout' to FEATURE()",
            "7",
        ]
    );
}

#[test]
fn featuremap_override_changes_the_hook_code() {
    assert!(parked(&run("park", "*5")), "*5 parks with the override");
    assert!(
        !parked(&run("park", "#72")),
        "the configured code no longer parks"
    );
    assert!(
        parked(&run("noover", "#72")),
        "other channels keep the configured code"
    );
}
