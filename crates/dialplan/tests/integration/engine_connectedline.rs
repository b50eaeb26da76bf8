//! `CONNECTEDLINE()` on a running engine: reading the line Dial set, writing it with and without `i`,
//! and the update travelling across a Local pair to the bridged caller.

use crate::engine_common;
use dialplan::engine::{EngineConfig, Event, EventBody};
use engine_common::*;

fn run(conf: &str) -> Vec<Event> {
    run_call(
        plan_from_conf(conf),
        EngineConfig::default(),
        "outside",
        outside_caller(),
        "t",
        "s",
    )
}

fn connected_updates(events: &[Event], channel: &str) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Ami(f)
                if f.name == "NewConnectedLine" && f.get("Channel") == Some(channel) =>
            {
                Some(format!(
                    "{} <{}>",
                    f.get("ConnectedLineName").unwrap_or(""),
                    f.get("ConnectedLineNum").unwrap_or("")
                ))
            }
            _ => None,
        })
        .collect()
}

const CONF: &str = "\
[t]
exten => s,1,NoOp(${CONNECTEDLINE(all)}|${CONNECTEDLINE(num-valid)}|${CONNECTEDLINE(pres)})
 same => n,Dial(Local/bob@callee/n)
[callee]
exten => bob,1,NoOp(${CONNECTEDLINE(all)} ${CONNECTEDLINE(name)} ${CONNECTEDLINE(number)})
 same => n,Answer()
 same => n,Wait(1)
 same => n,Set(CONNECTEDLINE(name,i)=Quiet)
 same => n,NoOp(${CONNECTEDLINE(all)})
 same => n,Set(CONNECTEDLINE(all)=\"Bob Smith\" <2001>)
 same => n,NoOp(${CONNECTEDLINE(name)} ${CONNECTEDLINE(num)})
 same => n,Set(CONNECTEDLINE(bogus)=x)
 same => n,Set(CONNECTEDLINE(source)=answer)
 same => n,Wait(1)
 same => n,Hangup()
";

#[test]
fn reads_writes_and_reaches_the_caller() {
    let ev = run(CONF);
    insta::assert_snapshot!(console(&ev));
    let caller = connected_updates(&ev, "PJSIP/outside-00000000");
    assert_eq!(
        caller.last().map(String::as_str),
        Some("Bob Smith <2001>"),
        "{caller:?}"
    );
    assert!(!caller.iter().any(|c| c.starts_with("Quiet")), "{caller:?}");
}
