use super::*;
use crate::scenario::{ActionKind, DeviceActionKind, DeviceKind, When};

fn ok(text: &str) -> Scenario {
    match parse("s.toml", text) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

fn err(text: &str) -> String {
    match parse("s.toml", text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

const FULL: &str = r##"description = "Basic call parking and retrieval"
config = "."
until = "1h"
start = "2026-01-05T09:00:00"
timezone = "UTC"
epoch = 1700000000
seed = 1
max_steps = 100000000
sounds = "/usr/share/asterisk/sounds/en"

[devices."PJSIP/alice"]
emulate = "alice@parking-example"

[devices."PJSIP/bob"]
callerid = '"Bob" <2001>'
answer_after = "3s"
busy = false
unavailable = false
hangup_after = "60s"
media = true
[[devices."PJSIP/bob".actions]]
after = "5s"
dtmf = "#72"
[[devices."PJSIP/bob".actions]]
at = "40s"
dial = "701@internal"

[[calls]]
at = "0s"
from = "PJSIP/outside"
callerid = '"Outside Caller" <5550100>'
to = "5555001@from-outside"
variables = { __PARKINGLOT = "default", COUNT = 3 }

[[actions]]
at = "10s"
cli = "parking show default"
"##;

#[test]
fn the_issue_example_parses() {
    let s = ok(FULL);
    assert_eq!(
        s.description.as_deref(),
        Some("Basic call parking and retrieval")
    );
    assert_eq!(s.until, Duration::from_secs(3600));
    assert_eq!(s.start, 1_767_603_600);
    assert_eq!(s.epoch, 1_700_000_000);
    assert_eq!(s.devices.len(), 2);
    let alice = s.device("pjsip/alice").unwrap();
    assert!(
        matches!(&alice.kind, DeviceKind::Emulated { exten, context } if exten == "alice" && context == "parking-example")
    );
    let bob = s.device("PJSIP/bob").unwrap();
    let DeviceKind::Phone(p) = &bob.kind else {
        panic!()
    };
    assert_eq!(p.answer_after, Some(Duration::from_secs(3)));
    assert_eq!(p.hangup_after, Some(Duration::from_secs(60)));
    assert_eq!(p.actions.len(), 2);
    assert_eq!(p.actions[0].when, When::After(Duration::from_secs(5)));
    assert_eq!(p.actions[0].what, DeviceActionKind::Dtmf("#72".into()));
    assert_eq!(
        p.actions[1].what,
        DeviceActionKind::Dial {
            exten: "701".into(),
            context: "internal".into()
        }
    );
    assert_eq!(bob.callerid, Some(Party::parse("\"Bob\" <2001>")));
    let call = &s.calls[0];
    assert_eq!(
        (call.exten.as_str(), call.context.as_str()),
        ("5555001", "from-outside")
    );
    assert_eq!(
        call.variables,
        vec![
            ("__PARKINGLOT".to_string(), "default".to_string()),
            ("COUNT".to_string(), "3".to_string())
        ]
    );
    assert_eq!(
        s.actions[0].what,
        ActionKind::Cli("parking show default".into())
    );
}

#[test]
fn defaults() {
    let s = ok("");
    assert_eq!(s.until, DEFAULT_UNTIL);
    assert_eq!(s.start, 1_700_000_000);
    assert_eq!(s.epoch, 1_700_000_000);
    assert_eq!(s.seed, 1);
    assert_eq!(s.max_steps, 100_000_000);
    assert_eq!(s.config, PathBuf::from("."));
    // The epoch follows the start unless given.
    let s = ok("start = \"1970-01-01T00:01:00\"");
    assert_eq!(s.epoch, 60);
}

#[test]
fn unknown_keys_are_errors_with_line_and_column() {
    let e = err("until = \"1h\"\nunitl = \"2h\"\n");
    assert!(e.starts_with("s.toml:2:1: unknown field `unitl`"), "{e}");
    let e = err("[devices.\"PJSIP/bob\"]\nanswer = \"3s\"\n");
    assert!(e.starts_with("s.toml:2:1: unknown field `answer`"), "{e}");
    let e = err("[[calls]]\nfrom = \"PJSIP/a\"\nto = \"1@x\"\nwhen = \"1s\"\n");
    assert!(e.starts_with("s.toml:4:1: unknown field `when`"), "{e}");
}

#[test]
fn bad_values_point_at_the_value() {
    let e = err("until = \"5\"\n");
    assert!(e.starts_with("s.toml:1:9: '5' has no unit"), "{e}");
    let e = err("[[calls]]\nfrom = \"outside\"\nto = \"5555001@from-outside\"\n");
    assert!(
        e.starts_with("s.toml:2:8: from = \"outside\" is not a device name"),
        "{e}"
    );
    let e = err("[[calls]]\nfrom = \"PJSIP/a\"\nto = \"5555001\"\n");
    assert!(
        e.starts_with("s.toml:3:6: to = \"5555001\" must be EXTEN@CONTEXT"),
        "{e}"
    );
    let e = err("[devices.alice]\nbusy = true\n");
    assert!(
        e.starts_with("s.toml:1:10: device 'alice' is not a device name"),
        "{e}"
    );
    let e = err("seed = \"x\"\n");
    assert!(e.starts_with("s.toml:1:8:"), "{e}");
    let e = err("timezone = \"Europe/Pariss\"\n");
    assert!(e.contains("unknown timezone 'Europe/Pariss'"), "{e}");
    let e = err("start = \"yesterday\"\n");
    assert!(
        e.starts_with("s.toml:1:9: 'yesterday' is not a start time"),
        "{e}"
    );
}

#[test]
fn every_problem_is_reported_with_a_caret() {
    let e = err("until = \"5\"\nmax_steps = 0\n");
    assert_eq!(
        e,
        "s.toml:1:9: '5' has no unit: write it as '250ms', '2.5s', '5m' or '1h'\n  |\n1 | until = \"5\"\n  |         ^\n\
         s.toml:2:13: 'max_steps' must be a positive number of priorities\n  |\n2 | max_steps = 0\n  |             ^"
    );
}

#[test]
fn syntax_errors_have_a_place() {
    let e = err("until = \"1h\n");
    assert!(e.starts_with("s.toml:1:"), "{e}");
    let e = err("[[calls]\n");
    assert!(e.starts_with("s.toml:1:"), "{e}");
}

#[test]
fn device_rules() {
    let e = err("[devices.\"PJSIP/alice\"]\nemulate = \"alice@x\"\nbusy = true\n");
    assert!(
        e.contains("'busy' does not apply to an emulated device"),
        "{e}"
    );
    let e = err("[devices.\"PJSIP/alice\"]\nemulate = \"alice\"\n");
    assert!(e.contains("must name an extension as EXTEN@CONTEXT"), "{e}");
    let e = err("[devices.\"Local/alice@x\"]\nbusy = true\n");
    assert!(e.contains("is a Local channel"), "{e}");
    let e = err("[devices.\"PJSIP/bob\"]\n[[devices.\"PJSIP/bob\".actions]]\ndtmf = \"#72\"\n");
    assert!(e.contains("an action needs a time"), "{e}");
    let e = err("[devices.\"PJSIP/bob\"]\n[[devices.\"PJSIP/bob\".actions]]\nafter = \"1s\"\ndtmf = \"#7x\"\n");
    assert!(e.contains("'x' in dtmf = \"#7x\" is not a key"), "{e}");
    let e = err("[devices.\"PJSIP/bob\"]\n[[devices.\"PJSIP/bob\".actions]]\nafter = \"1s\"\ndial = \"701@internal\"\n");
    assert!(e.contains("needs 'at'"), "{e}");
    let e = err("[devices.\"PJSIP/bob\"]\nbusy = true\nunavailable = true\n");
    assert!(e.contains("both 'busy' and 'unavailable'"), "{e}");
}

#[test]
fn many_calls_parse() {
    let mut text = String::new();
    for i in 0..1000 {
        text.push_str(&format!(
            "[[calls]]\nat = \"{i}ms\"\nfrom = \"PJSIP/c{i}\"\nto = \"s@x\"\n"
        ));
    }
    assert_eq!(ok(&text).calls.len(), 1000);
}

#[test]
fn a_long_call_list_read_in_pieces_points_at_the_right_place() {
    // 1,500 calls are read 500 at a time; the spans of a piece's values are moved to the whole text.
    let mut text = String::from("until = \"1h\"\n");
    for i in 0..1500 {
        let at = if i == 1234 {
            "5".to_string()
        } else {
            format!("{i}ms")
        };
        let to = if i == 1499 { "nowhere" } else { "s@x" };
        text.push_str(&format!(
            "[[calls]]\nat = \"{at}\"\nfrom = \"PJSIP/c{i}\"\ncallerid = '\"C\" <{i}>'\nto = \"{to}\"\n"
        ));
    }
    let e = err(&text);
    // Call i starts on line 2 + 5 i; its `at` is the line after, its `to` four lines after.
    let at_line = 2 + 5 * 1234 + 1;
    let to_line = 2 + 5 * 1499 + 4;
    assert!(
        e.starts_with(&format!("s.toml:{at_line}:6: '5' has no unit")),
        "{e}"
    );
    assert!(
        e.contains(&format!(
            "s.toml:{to_line}:6: to = \"nowhere\" must be EXTEN@CONTEXT"
        )),
        "{e}"
    );
}
