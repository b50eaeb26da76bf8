//! Hangup handlers (`CHANNEL(hangup_handler_push|pop|wipe)`) and the subroutines the core runs outside the
//! PBX loop: LIFO order after `h`, the `Internal Gosub` lines, handlers on a Dial callee that never ran a
//! PBX, and the `HangupHandler*` events.

use crate::engine_common;
use dialplan::engine::{EngineConfig, Event, EventBody, PhoneSpec};
use engine_common::*;
use std::time::Duration;

/// A call from `PJSIP/outside` to `s@t` of `conf`.
fn call_t_s(conf: &str) -> Vec<Event> {
    run_call(
        plan_from_conf(conf),
        EngineConfig::default(),
        "outside",
        outside_caller(),
        "t",
        "s",
    )
}

fn handler_events(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Ami(f) if f.name.starts_with("HangupHandler") => Some(format!(
                "{} {} {}",
                f.name,
                f.get("Channel").unwrap_or(""),
                f.get("Handler").unwrap_or("")
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn handlers_run_newest_first_after_h() {
    let conf = "\
[t]
exten => s,1,Set(CHANNEL(hangup_handler_push)=hdlr,s,1(first))
 same => n,Set(CHANNEL(hangup_handler_push)=hdlr,s,1(second))
 same => n,Set(CHANNEL(hangup_handler_push)=s,99)
 same => n,Set(CHANNEL(hangup_handler_pop)=)
 same => n,NoOp(main)
 same => n,Hangup()
exten => h,1,NoOp(h ran)
[hdlr]
exten => s,1,NoOp(handler ${ARG1} ${CONTEXT} ${EXTEN})
 same => n,Return(${ARG1}!)
";
    let ev = call_t_s(conf);
    insta::assert_snapshot!(console(&ev));
    assert_eq!(
        handler_events(&ev),
        [
            "HangupHandlerPush PJSIP/outside-00000000 hdlr,s,1(first)",
            "HangupHandlerPush PJSIP/outside-00000000 hdlr,s,1(second)",
            "HangupHandlerPush PJSIP/outside-00000000 t,s,99",
            "HangupHandlerPop PJSIP/outside-00000000 t,s,99",
            "HangupHandlerRun PJSIP/outside-00000000 hdlr,s,1(second)",
            "HangupHandlerRun PJSIP/outside-00000000 hdlr,s,1(first)",
        ]
    );
}

#[test]
fn wipe_replaces_and_abnormal_exit_warns() {
    let conf = "\
[t]
exten => s,1,Set(CHANNEL(hangup_handler_push)=hdlr,s,1)
 same => n,Set(CHANNEL(hangup_handler_wipe)=hdlr,runs-off,1(x)
 same => n,Set(CHANNEL(hangup_handler_push)=)
 same => n,NoOp(${CHANNEL(hangup_handler_push)})
[hdlr]
exten => s,1,NoOp(never)
exten => runs-off,1,NoOp(off the end ${ARG1})
";
    let ev = call_t_s(conf);
    insta::assert_snapshot!(console(&ev));
    assert_eq!(
        handler_events(&ev),
        [
            "HangupHandlerPush PJSIP/outside-00000000 hdlr,s,1",
            "HangupHandlerPop PJSIP/outside-00000000 hdlr,s,1",
            "HangupHandlerPush PJSIP/outside-00000000 hdlr,runs-off,1(x)",
            "HangupHandlerRun PJSIP/outside-00000000 hdlr,runs-off,1(x)",
        ]
    );
}

#[test]
fn a_callee_runs_its_handler_when_hung_up() {
    let conf = "\
[t]
exten => s,1,Dial(PJSIP/alice,,U(pushit))
 same => n,NoOp(after dial ${DIALSTATUS})
[pushit]
exten => s,1,Set(CHANNEL(hangup_handler_push)=hdlr,s,1)
 same => n,Return()
[hdlr]
exten => s,1,NoOp(callee handler on ${CHANNEL})
 same => n,Return()
";
    let alice = PhoneSpec {
        answer_after: Some(Duration::from_secs(2)),
        hangup_after: Some(Duration::from_secs(5)),
        ..PhoneSpec::default()
    };
    let ev = run_with_devices(
        plan_from_conf(conf),
        EngineConfig::default(),
        Devices(vec![("PJSIP/alice".into(), alice)], vec![]),
        "outside",
        outside_caller(),
        "t",
        "s",
    );
    insta::assert_snapshot!(console(&ev));
    let run = handler_events(&ev);
    assert!(
        run.contains(&"HangupHandlerRun PJSIP/alice-00000001 hdlr,s,1".to_string()),
        "{run:?}"
    );
}
