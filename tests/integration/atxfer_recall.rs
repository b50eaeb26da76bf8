//! The recall states of an attended transfer completed before the target answered (`atxferdropcall=no`),
//! end to end: each path through Blond Non-Final, Recalling, Wait to Retransfer, Retransfer, Wait to Recall
//! and Fail, on variants of `dialplan-examples/parking/atxfer-recall`.

use crate::common;

use common::{dialsim, root};
use serde_json::Value;
use std::path::Path;

const EXAMPLE: &str = "dialplan-examples/parking/atxfer-recall";

/// erin calls frank (up at 1 s), starts an attended transfer at 2 s to `exten` and hangs up at 9 s; her
/// phone answers a recall after `erin_answer` (if any; `"busy"`: it is busy).
fn scenario(exten: &str, erin_answer: Option<&str>, frank_hangup: &str) -> String {
    let answer = match erin_answer {
        Some("busy") => "busy = true\n".to_string(),
        Some(a) => format!("answer_after = \"{a}\"\n"),
        None => String::new(),
    };
    format!(
        "until = \"5m\"\n\
         [devices.\"PJSIP/frank\"]\nanswer_after = \"1s\"\nhangup_after = \"{frank_hangup}\"\n\
         [devices.\"PJSIP/carol\"]\n\
         [devices.\"PJSIP/gina\"]\nanswer_after = \"2s\"\nhangup_after = \"10s\"\n\
         [devices.\"PJSIP/erin\"]\n{answer}hangup_after = \"8s\"\n\
         [[devices.\"PJSIP/erin\".actions]]\nat = \"2s\"\ndtmf = \"*2\"\n\
         [[devices.\"PJSIP/erin\".actions]]\nat = \"4s\"\ndtmf = \"{exten}\"\n\
         [[calls]]\nat = \"0s\"\nfrom = \"PJSIP/erin\"\nto = \"200@internal\"\n"
    )
}

/// Runs the example's dialplan with `general` as features.conf's `[general]` and `scenario`; returns the
/// JSON events.
fn run(general: &str, scenario: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    for f in ["extensions.conf", "res_parking.conf"] {
        std::fs::copy(root().join(EXAMPLE).join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(
        dir.path().join("features.conf"),
        format!("[general]\n{general}\n[featuremap]\natxfer => *2\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("scenario.toml"), scenario).unwrap();
    let out = dialsim(&["run", path(dir.path()), "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

const TIMERS: &str =
    "atxfernoanswertimeout => 10\natxferloopdelay => 5\natxfercallbackretries => 2\n";

/// `(time in ms, what)` for the events that tell the recall's story.
fn story(ev: &[Value]) -> Vec<(u64, String)> {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    ev.iter()
        .filter_map(|v| {
            let t = (v["time"].as_f64().unwrap_or(0.0) * 1000.0).round() as u64;
            let what = match s(v, "Event").as_str() {
                "DialBegin" if s(v, "Channel").is_empty() => {
                    format!("recall {}", s(v, "DialString"))
                }
                "DialEnd" if s(v, "Channel").is_empty() => {
                    format!("recall {}", s(v, "DialStatus"))
                }
                "MusicOnHoldStart" | "MusicOnHoldStop" => {
                    format!("{} {}", s(v, "Event"), s(v, "Channel"))
                }
                "BridgeEnter" if s(v, "Channel").starts_with("Local/") => {
                    format!("BridgeEnter {}", s(v, "Channel"))
                }
                "Hangup" => format!("Hangup {}", s(v, "Channel")),
                _ => return None,
            };
            Some((t, what))
        })
        .collect()
}

fn has(story: &[(u64, String)], t: u64, what: &str) -> bool {
    story.iter().any(|(at, w)| *at == t && w == what)
}

#[test]
fn a_recall_nobody_answers_retries_the_target_then_fails() {
    // 300 (carol) never answers, erin never answers her recall: Blond Non-Final times out 10 s after the
    // transfer call (4.9 s), Recalling for 10 s, Wait to Retransfer 5 s (music), Retransfer 10 s, Wait to
    // Recall 5 s, Recalling again 10 s: the second recall fails for good and frank is hung up.
    let ev = run(TIMERS, &scenario("300", None, "300s"));
    let st = story(&ev);
    assert!(has(&st, 14_900, "recall erin"), "{st:#?}");
    assert!(
        has(&st, 24_900, "MusicOnHoldStart PJSIP/frank-00000001"),
        "{st:#?}"
    );
    assert!(has(&st, 24_900, "Hangup PJSIP/erin-00000003"), "{st:#?}");
    assert!(
        has(&st, 29_900, "MusicOnHoldStop PJSIP/frank-00000001"),
        "{st:#?}"
    );
    assert!(
        has(&st, 29_900, "BridgeEnter Local/300@internal-00000001;1"),
        "{st:#?}"
    );
    assert!(
        has(&st, 39_900, "MusicOnHoldStart PJSIP/frank-00000001"),
        "{st:#?}"
    );
    assert!(has(&st, 44_900, "recall erin"), "{st:#?}");
    assert!(has(&st, 54_900, "Hangup PJSIP/frank-00000001"), "{st:#?}");
    let recalls = st.iter().filter(|(_, w)| w == "recall erin").count();
    assert_eq!(recalls, 2, "{st:#?}");
}

#[test]
fn an_answered_recall_brings_the_transferer_back() {
    let ev = run(TIMERS, &scenario("300", Some("3s"), "20s"));
    let st = story(&ev);
    assert!(has(&st, 14_900, "recall erin"), "{st:#?}");
    assert!(has(&st, 17_900, "recall ANSWER"), "{st:#?}");
    let joined = ev.iter().any(|v| {
        v["Event"] == "BridgeEnter"
            && v["Channel"] == "PJSIP/erin-00000003"
            && v["time"].as_f64() == Some(17.9)
    });
    assert!(joined, "{st:#?}");
    // No retransfer, no second recall.
    assert_eq!(st.iter().filter(|(_, w)| w == "recall erin").count(), 1);
}

#[test]
fn without_a_loop_delay_the_target_is_tried_again_at_once() {
    let general = "atxfernoanswertimeout => 10\natxferloopdelay => 0\natxfercallbackretries => 2\n";
    let ev = run(general, &scenario("300", None, "300s"));
    let st = story(&ev);
    assert!(
        has(&st, 24_900, "BridgeEnter Local/300@internal-00000001;1"),
        "{st:#?}"
    );
    assert!(has(&st, 34_900, "recall erin"), "{st:#?}");
    assert!(
        !st.iter()
            .any(|(t, w)| *t > 14_000 && w.starts_with("MusicOnHoldStart")),
        "{st:#?}"
    );
}

#[test]
fn the_retransfer_answered_ends_the_transfer() {
    // 400 only waits the first time; the retransfer rings gina, who answers after 2 s.
    let ev = run(TIMERS, &scenario("400", None, "300s"));
    let st = story(&ev);
    assert!(
        has(&st, 29_900, "BridgeEnter Local/400@internal-00000001;1"),
        "{st:#?}"
    );
    let gina = ev.iter().any(|v| {
        v["Event"] == "DialEnd"
            && v["DestChannel"] == "PJSIP/gina-00000003"
            && v["DialStatus"] == "ANSWER"
            && v["time"].as_f64() == Some(31.9)
    });
    assert!(gina, "{st:#?}");
    assert_eq!(st.iter().filter(|(_, w)| w == "recall erin").count(), 1);
    // gina hangs up 10 s later: the call ends normally, frank with it.
    assert!(has(&st, 41_900, "Hangup PJSIP/frank-00000001"), "{st:#?}");
}

#[test]
fn the_transferee_hanging_up_during_a_recall_cancels_it() {
    // frank hangs up at 18 s (17 s after his answer), while erin's phone rings.
    let ev = run(TIMERS, &scenario("300", None, "17s"));
    let st = story(&ev);
    assert!(has(&st, 14_900, "recall erin"), "{st:#?}");
    assert!(has(&st, 18_000, "Hangup PJSIP/frank-00000001"), "{st:#?}");
    assert!(has(&st, 18_000, "Hangup PJSIP/erin-00000003"), "{st:#?}");
    assert_eq!(st.iter().filter(|(_, w)| w == "recall erin").count(), 1);
}

#[test]
fn with_atxferdropcall_the_transferer_is_never_called_back() {
    let general = format!("{TIMERS}atxferdropcall => yes\n");
    let ev = run(&general, &scenario("300", Some("1s"), "300s"));
    let st = story(&ev);
    assert!(!st.iter().any(|(_, w)| w.starts_with("recall")), "{st:#?}");
}

#[test]
fn a_busy_transferer_counts_as_a_failed_recall_at_once() {
    let ev = run(TIMERS, &scenario("300", Some("busy"), "300s"));
    let st = story(&ev);
    assert!(has(&st, 14_900, "recall erin"), "{st:#?}");
    assert!(has(&st, 14_900, "recall BUSY"), "{st:#?}");
    // Wait to Retransfer starts at once: music for frank, then the target again 5 s later.
    assert!(
        has(&st, 14_900, "MusicOnHoldStart PJSIP/frank-00000001"),
        "{st:#?}"
    );
    assert!(
        has(&st, 19_900, "BridgeEnter Local/300@internal-00000001;1"),
        "{st:#?}"
    );
}

#[test]
fn a_local_transferer_is_recalled_through_a_new_local_channel() {
    // The transferer is the ;1 of Local/alice@emu (alice's dialplan presses the keys; the transfer context
    // is hers): the recall dials
    // Local/alice@emu, whose ;2 answers this time (the second run of alice@emu only answers and waits).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("extensions.conf"),
        "[internal]\n\
         exten => 100,1,Dial(Local/alice@emu/n,,t)\n\
         [emu]\n\
         exten => 300,1,Dial(PJSIP/carol,60)\n\
         exten => alice,1,Set(GLOBAL(RUNS)=$[0${RUNS} + 1])\n \
         same => n,Answer()\n \
         same => n,GotoIf($[${RUNS} > 1]?back)\n \
         same => n,Wait(1)\n \
         same => n,SendDTMF(*2)\n \
         same => n,Wait(2)\n \
         same => n,SendDTMF(300)\n \
         same => n,Wait(3)\n \
         same => n,Hangup()\n \
         same => n(back),Wait(5)\n \
         same => n,Hangup()\n",
    )
    .unwrap();
    std::fs::copy(
        root().join(EXAMPLE).join("res_parking.conf"),
        dir.path().join("res_parking.conf"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("features.conf"),
        format!("[general]\n{TIMERS}\n[featuremap]\natxfer => *2\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        "until = \"2m\"\n[devices.\"PJSIP/carol\"]\n\
         [[calls]]\nat = \"0s\"\nfrom = \"PJSIP/bob\"\nto = \"100@internal\"\n",
    )
    .unwrap();
    let out = dialsim(&["run", path(dir.path())]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = out.stdout;
    assert!(text.contains("-- Called alice@emu\n"), "{text}");
    assert!(
        text.contains("-- Local/alice@emu-00000002;1 answered\n"),
        "{text}"
    );
    assert!(
        text.contains("-- Channel Local/alice@emu-00000002;1 joined 'simple_bridge'"),
        "{text}"
    );
}
