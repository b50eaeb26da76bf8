//! Parsing `[[expect]]` entries (every problem with its line and column), and the shared queries.

use super::record::{Record, Who};
use super::*;
use crate::scenario::runner::{Finish, RunOutcome};
use dialplan::engine::{Event, EventBody, Fields};

fn errors(text: &str) -> String {
    match crate::scenario::parse("s.toml", text) {
        Ok(_) => "(no error)".to_string(),
        Err(e) => e.to_string(),
    }
}

fn kinds(text: &str) -> Vec<&'static str> {
    crate::scenario::parse("s.toml", text)
        .map(|s| s.expectations.iter().map(|e| e.kind.name()).collect())
        .unwrap_or_default()
}

#[test]
fn every_kind_parses() {
    let text = r#"
[[expect]]
event = "ParkedCall"
fields = { ParkingSpace = 701 }
at = "2s"
tolerance = "100ms"
[[expect]]
log = "Parking"
after = "1s"
before = "3s"
[[expect]]
order = ["ParkedCall", { event = "UnParkedCall" }]
[[expect]]
reached = "parkedcalls,701,1"
channel = "PJSIP/alice"
[[expect]]
heard = "digits/7"
by = "PJSIP/outside"
never = true
[[expect]]
variable = "DIALSTATUS"
value = "ANSWER"
channel = "PJSIP/outside"
at = "hangup"
[[expect]]
lot = "default"
occupancy = 1
at = "3s"
[[expect]]
ended_by = "5s"
[[expect]]
diagnostic = "run/dial-rewrite"
[[expect]]
trace = "expected.txt"
format = "json"
"#;
    assert_eq!(
        kinds(text),
        [
            "event",
            "log",
            "order",
            "reached",
            "heard",
            "variable",
            "lot",
            "ended_by",
            "diagnostic",
            "trace"
        ]
    );
    let s = crate::scenario::parse("s.toml", text).unwrap();
    assert_eq!(s.expectations[0].line, 3);
    assert_eq!(s.expectations[0].title, "event = \"ParkedCall\"");
}

#[test]
fn bad_entries_are_refused_with_their_place() {
    let text = r#"
[[expect]]
event = "ParkedCall"
colour = "red"
"#;
    insta::assert_snapshot!("unknown_key", errors(text));
    let text = r#"
[[expect]]
event = "ParkedCall"
heard = "digits/7"
"#;
    insta::assert_snapshot!("two_kinds", errors(text));
    let text = r#"
[[expect]]
name = "nothing to check"
"#;
    insta::assert_snapshot!("no_kind", errors(text));
    let text = r#"
[[expect]]
lot = "default"
occupancy = 1
at = "3s"
by = "PJSIP/alice"
"#;
    insta::assert_snapshot!("foreign_key", errors(text));
    let text = r#"
[[expect]]
event = "ParkedCall"
tolerance = "1s"
count = 2
never = true
after = "5s"
before = "2s"
"#;
    insta::assert_snapshot!("timing_and_count", errors(text));
    let text = r#"
[[expect]]
reached = "parkedcalls"
[[expect]]
variable = "X"
[[expect]]
lot = "default"
[[expect]]
trace = "t.txt"
format = "xml"
[[expect]]
order = ["A", 3, { event = "B", colour = "red" }]
[[expect]]
ended_by = "soon"
"#;
    insta::assert_snapshot!("kind_specific", errors(text));
}

fn event(ms: u64, name: &'static str, fields: &[(&'static str, &str)]) -> Event {
    let mut f = Fields::new(name, "call");
    for (k, v) in fields {
        f.push(*k, v.to_string());
    }
    Event {
        time: std::time::Duration::from_millis(ms),
        body: EventBody::Ami(f),
    }
}

fn record(events: Vec<Event>) -> Record {
    Record {
        events,
        outcome: RunOutcome {
            finish: Finish::AllHungUp,
            ended: std::time::Duration::ZERO,
            channels_up: Vec::new(),
            parked: Vec::new(),
            diagnostics: Vec::new(),
            steps: 0,
        },
        diagnostics: Vec::new(),
        emulated: vec![(
            "PJSIP/alice".to_string(),
            "Local/alice@parking-example-".to_string(),
        )],
        labels: Vec::new(),
        epoch: 0,
    }
}

#[test]
fn devices_name_their_channels() {
    let rec = record(Vec::new());
    let alice = Who("PJSIP/alice".to_string());
    assert!(alice.matches("PJSIP/alice-00000001", &rec));
    assert!(alice.matches("pjsip/alice-0000000a", &rec));
    assert!(alice.matches("Local/alice@parking-example-00000000;2", &rec));
    assert!(!alice.matches("PJSIP/alicex-00000001", &rec));
    assert!(!alice.matches("PJSIP/alice-bob-00000001", &rec));
    assert!(!alice.matches("PJSIP/bob-00000001", &rec));
    let exact = Who("PJSIP/bob-00000001".to_string());
    assert!(exact.matches("PJSIP/bob-00000001", &rec));
    assert!(!exact.matches("PJSIP/bob-00000002", &rec));
}

#[test]
fn timing_windows() {
    let t = Timing {
        at: Some(std::time::Duration::from_millis(2000)),
        tolerance: std::time::Duration::from_millis(100),
        ..Timing::default()
    };
    assert!(t.contains(std::time::Duration::from_millis(1900)));
    assert!(t.contains(std::time::Duration::from_millis(2100)));
    assert!(!t.contains(std::time::Duration::from_millis(2101)));
    assert_eq!(t.describe(), " at 00:00:02.000 (± 100ms)");
    let w = Timing {
        after: Some(std::time::Duration::from_secs(1)),
        ..Timing::default()
    };
    assert!(!w.contains(std::time::Duration::from_millis(999)));
    assert_eq!(w.describe(), " at or after 00:00:01.000");
}

#[test]
fn fields_match_by_value_prefix_or_device() {
    let rec = record(vec![event(
        5,
        "ParkedCall",
        &[
            ("ParkeeChannel", "PJSIP/outside-00000000"),
            ("ParkingSpace", "701"),
        ],
    )]);
    let m = |fields: &[(&str, &str)]| record::EventMatcher {
        name: Some("ParkedCall".to_string()),
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..record::EventMatcher::default()
    };
    assert_eq!(rec.matching(&m(&[("ParkingSpace", "701")])).count(), 1);
    assert_eq!(rec.matching(&m(&[("ParkingSpace", "70*")])).count(), 1);
    assert_eq!(
        rec.matching(&m(&[("ParkeeChannel", "PJSIP/outside")]))
            .count(),
        1
    );
    assert_eq!(rec.matching(&m(&[("ParkingSpace", "702")])).count(), 0);
    assert_eq!(rec.matching(&m(&[("NoSuchField", "1")])).count(), 0);
}
