//! Property tests over whole runs: whatever mix of parks (own limits), retrievals and hang-ups happens, no
//! space is ever held by two calls at once, and every parked call leaves its lot exactly once — retrieved
//! (`UnParkedCall`), timed out (`ParkedCallTimeOut`) or gave up (`ParkedCallGiveUp`).

use crate::common;
use common::*;
use dialplan::engine::{EventBody, PhoneSpec};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::time::Duration;

const EXTENSIONS: &str = "\
[internal]
exten => park,1,Park(,s)
exten => _park.,1,Park(,st(${EXTEN:4}))
exten => get,1,ParkedCall()
exten => _get.,1,ParkedCall(default,${EXTEN:3})

[gone]
exten => s,1,Hangup()
";

fn res(findslot: &str) -> String {
    format!("[default]\nparkext => 700\nparkpos => 701-704\nparkingtime => 20\ncomebacktoorigin => no\ncomebackcontext => gone\nfindslot => {findslot}\n")
}

#[derive(Clone, Debug)]
enum Step {
    /// Parks itself with its own limit (0: the lot's), hanging up after `hangup` s if set.
    Park { limit: u8, hangup: Option<u8> },
    /// Retrieves a space (None: the lowest occupied), and hangs up after 2 s.
    Get(Option<u8>),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0u8..30, proptest::option::of(1u8..40))
            .prop_map(|(limit, hangup)| Step::Park { limit, hangup }),
        proptest::option::of(0u8..4).prop_map(Step::Get),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn every_parked_call_leaves_exactly_once_and_no_space_is_held_twice(
        steps in proptest::collection::vec((0u64..60, step()), 1..14),
        next in any::<bool>(),
    ) {
        let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(&res(if next { "next" } else { "first" })));
        let calls = steps
            .iter()
            .enumerate()
            .map(|(i, (at, s))| {
                let (exten, hangup) = match s {
                    Step::Park { limit: 0, hangup } => ("park".to_string(), *hangup),
                    Step::Park { limit, hangup } => (format!("park{limit}"), *hangup),
                    Step::Get(None) => ("get".to_string(), Some(2)),
                    Step::Get(Some(k)) => (format!("get{}", 701 + u32::from(*k)), Some(2)),
                };
                let spec = PhoneSpec {
                    media: false,
                    hangup_after: hangup.map(|h| Duration::from_secs(u64::from(h))),
                    ..PhoneSpec::default()
                };
                Call::new(at * 1000, &format!("p{i}"), spec, &exten, "internal")
            })
            .collect();
        let r = sim.run(calls, vec![], Duration::from_secs(600));
        // channel -> space while parked
        let mut parked: BTreeMap<String, String> = BTreeMap::new();
        let mut parks = 0;
        let mut leaves = 0;
        for e in &r.events {
            let EventBody::Ami(f) = &e.body else { continue };
            let chan = f.get("ParkeeChannel").unwrap_or_default().to_string();
            let space = f.get("ParkingSpace").unwrap_or_default().to_string();
            match &*f.name {
                "ParkedCall" => {
                    parks += 1;
                    prop_assert!(!parked.values().any(|s| *s == space), "space {} held twice", space);
                    prop_assert!(parked.insert(chan, space).is_none());
                }
                "UnParkedCall" | "ParkedCallTimeOut" | "ParkedCallGiveUp" => {
                    leaves += 1;
                    prop_assert_eq!(parked.remove(&chan), Some(space), "{} left a space it did not hold", f.name);
                }
                _ => {}
            }
        }
        // The run ends when every channel is gone: nobody can still be parked.
        prop_assert!(parked.is_empty(), "still parked: {:?}", parked);
        prop_assert_eq!(parks, leaves);
    }
}
