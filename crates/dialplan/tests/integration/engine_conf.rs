//! The engine on dialplans loaded from extensions.conf text: the oracle example, the PBX loop's rules
//! (autofallthrough both ways, `i`, `t`, `h`, Goto and labels), `max_steps`, and Dial outcomes.

use crate::engine_common;
use dialplan::engine::{EngineConfig, PhoneSpec};
use engine_common::*;
use std::time::Duration;

/// The oracle run's extensions.conf (the page's first example), as the repository keeps it.
const ORACLE: &str = include_str!("../../../../tests/data/oracle-example-1/extensions.conf");

fn call(conf: &str, context: &str, exten: &str) -> Vec<dialplan::engine::Event> {
    run_call(
        plan_from_conf(conf),
        EngineConfig::default(),
        "outside",
        outside_caller(),
        context,
        exten,
    )
}

#[test]
fn oracle_conf_runs_like_the_table_plan() {
    let from_conf = render(&call(ORACLE, "from-outside", "5555001"));
    let from_table = render(&run_call(
        Box::new(oracle_plan()),
        EngineConfig::default(),
        "outside",
        outside_caller(),
        "from-outside",
        "5555001",
    ));
    assert_eq!(from_conf, from_table);
}

#[test]
fn goto_loop_ends_at_max_steps() {
    let conf = "[loop]\nexten => s,1,NoOp(${COUNT})\n same => n,Set(COUNT=$[${COUNT} + 1])\n same => n,Goto(1)\n";
    let events = run_call(
        plan_from_conf(conf),
        EngineConfig {
            max_steps: 300,
            ..EngineConfig::default()
        },
        "outside",
        outside_caller(),
        "loop",
        "s",
    );
    let diag = events
        .iter()
        .find(|e| e.name() == "DialsimDiagnostic")
        .and_then(|e| {
            e.fields()
                .and_then(|f| f.get("Message"))
                .map(str::to_string)
        });
    assert_eq!(
        diag.as_deref(),
        Some("stopped 'PJSIP/outside-00000000' after 300 priorities: the dialplan seems to loop forever")
    );
    let last = events.last().map(|e| e.name().to_string());
    assert_eq!(last.as_deref(), Some("Hangup"));
    let executing = events
        .iter()
        .filter(|e| log_contains(e, "Executing ["))
        .count();
    assert_eq!(executing, 300);
}

#[test]
fn pbx_rules_trace() {
    let conf = "\
[general]
autofallthrough=yes

[rules]
exten => s,1,Set(__INHERIT=yes)
 same => n,Set(_ONCE=1)
 same => n,GotoIf($[${ONCE} = 1]?jump)
 same => n,NoOp(never)
 same => n(jump),Verbose(2,jumped to ${PRIORITY})
 same => n,Wait(1.5)
 same => n,Goto(missing,1)
exten => i,1,NoOp(invalid ${INVALID_EXTEN})
 same => n,Hangup(USER_BUSY)
exten => h,1,NoOp(hangup handler ${HANGUPCAUSE})

[fallthrough]
exten => s,1,Set(DIALSTATUS=BUSY)
";
    let events = call(conf, "rules", "s");
    let af = call(conf, "fallthrough", "s");
    let mut text = console(&events);
    text.push_str("----\n");
    text.push_str(&console(&af));
    insta::assert_snapshot!(text);
    // Busy indication: 10 s, then hangup.
    let end = af.last().map(|e| e.time);
    assert_eq!(end, Some(Duration::from_secs(10)));
}

#[test]
fn autofallthrough_no_waits_for_the_response_timeout() {
    let conf = "\
[general]
autofallthrough=no

[noaf]
exten => s,1,NoOp(no autofallthrough here)
exten => t,1,NoOp(timeout)
 same => n,Hangup()
";
    let events = call(conf, "noaf", "s");
    let t = time_of(&events, |e| {
        log_contains(e, "Timeout on PJSIP/outside-00000000")
    });
    assert_eq!(t, Some(Duration::from_secs(10)));
    insta::assert_snapshot!(console(&events));
}

fn dial_conf(target: &str) -> String {
    format!(
        "[out]\nexten => s,1,Dial({target},2)\n same => n,NoOp(DIALSTATUS=${{DIALSTATUS}} RINGTIME=${{RINGTIME}})\n same => n,Hangup()\n\n[alice]\nexten => s,1,Busy()\n"
    )
}

fn dial(target: &str, devices: Devices) -> Vec<dialplan::engine::Event> {
    run_with_devices(
        plan_from_conf(&dial_conf(target)),
        EngineConfig::default(),
        devices,
        "outside",
        outside_caller(),
        "out",
        "s",
    )
}

#[test]
fn dial_outcomes() {
    let ringing = PhoneSpec {
        answer_after: None,
        ..PhoneSpec::default()
    };
    let busy = PhoneSpec {
        busy: true,
        ..PhoneSpec::default()
    };
    let answers = PhoneSpec {
        answer_after: Some(Duration::from_millis(1500)),
        hangup_after: Some(Duration::from_secs(3)),
        media: true,
        ..PhoneSpec::default()
    };
    let mut out = String::new();
    for (title, target, devs) in [
        (
            "no answer",
            "PJSIP/bob",
            Devices(vec![("PJSIP/bob".into(), ringing)], vec![]),
        ),
        (
            "busy",
            "PJSIP/bob",
            Devices(vec![("PJSIP/bob".into(), busy)], vec![]),
        ),
        ("undeclared", "PJSIP/carol", Devices(vec![], vec![])),
        ("invalid args", "alice", Devices(vec![], vec![])),
        ("local busy", "Local/s@alice", Devices(vec![], vec![])),
        (
            "local to a missing extension",
            "Local/nobody@alice",
            Devices(vec![], vec![]),
        ),
        (
            "answers then hangs up",
            "PJSIP/bob",
            Devices(vec![("PJSIP/bob".into(), answers)], vec![]),
        ),
        (
            "emulated",
            "PJSIP/alice",
            Devices(vec![], vec![("PJSIP/alice".into(), "s@alice".into())]),
        ),
    ] {
        out.push_str(&format!("==== {title}\n"));
        let events = dial(target, devs);
        // Every call ends: no channel is left over (the run would otherwise last until its 1 h limit).
        let last = events.last().map(|e| e.time).unwrap_or_default();
        assert!(
            last < Duration::from_secs(60),
            "{title}: still running at {last:?}"
        );
        out.push_str(&console(&events));
    }
    insta::assert_snapshot!(out);
}

/// The `Hangup` cause of each callee leg, by channel name.
fn leg_causes(events: &[dialplan::engine::Event]) -> Vec<(String, String)> {
    events
        .iter()
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "Hangup" && f.get("Channel") != Some("PJSIP/outside-00000000"))
        .map(|f| {
            (
                f.get("Channel").unwrap_or("").to_string(),
                f.get("Cause").unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn dial_leg_hangup_causes_follow_app_dial() {
    let ringing = || PhoneSpec {
        answer_after: None,
        ..PhoneSpec::default()
    };
    let answers = PhoneSpec {
        answer_after: Some(Duration::from_millis(1000)),
        hangup_after: Some(Duration::from_secs(1)),
        ..PhoneSpec::default()
    };
    // Timeout: app_dial's hangup of the remaining legs sets no cause (its tree cause stays -1), so
    // each leg keeps its own, 0 for one that never answered.
    let ev = dial(
        "PJSIP/bob&PJSIP/carol",
        Devices(
            vec![
                ("PJSIP/bob".into(), ringing()),
                ("PJSIP/carol".into(), ringing()),
            ],
            vec![],
        ),
    );
    assert_eq!(
        leg_causes(&ev),
        [
            ("PJSIP/bob-00000001".to_string(), "0".to_string()),
            ("PJSIP/carol-00000002".to_string(), "0".to_string())
        ]
    );
    // One answers: the others get ANSWERED_ELSEWHERE (26).
    let ev = dial(
        "PJSIP/bob&PJSIP/carol",
        Devices(
            vec![
                ("PJSIP/bob".into(), ringing()),
                ("PJSIP/carol".into(), answers),
            ],
            vec![],
        ),
    );
    let causes = leg_causes(&ev);
    assert_eq!(
        causes[0],
        ("PJSIP/bob-00000001".to_string(), "26".to_string())
    );
}
