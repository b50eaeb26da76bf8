//! Applications' behaviour on the virtual clock (their argument parsing is unit-tested next to each app):
//! Playback with known, unknown and missing prompts; Answer's media wait; SendDTMF's illegal characters;
//! Hangup causes; Verbose; variable inheritance across Dial and a Local pair; async goto out of an app and
//! out of a bridge.

use crate::engine_common;
use dialplan::engine::media::{Prompts, UnknownPrompt};
use dialplan::engine::{Engine, EngineConfig, Event, Location, PhoneSpec};
use engine_common::*;
use std::time::Duration;

/// Runs `exten@ctx` from a phone; `setup` may change the engine and schedule things (it gets the caller).
fn run(
    conf: &str,
    ctx: &str,
    exten: &str,
    spec: PhoneSpec,
    setup: impl FnOnce(&Engine, dialplan::engine::ChannelId) + 'static,
) -> Vec<Event> {
    let engine = Engine::new(EngineConfig::default(), plan_from_conf(conf));
    Call::new("outside", spec, ctx, exten).run(engine, Duration::from_secs(600), setup)
}

fn silent() -> PhoneSpec {
    outside_caller()
}

#[test]
fn playback_known_unknown_and_missing() {
    let conf = "[p]\nexten => s,1,Playback(hello-world&custom/welcome)\n same => n,NoOp(${PLAYBACKSTATUS})\n same => n,Playback(vm-goodbye,skip)\n same => n,Hangup()\n";
    let default_policy = run(conf, "p", "s", silent(), |_, _| {});
    let missing_policy = run(conf, "p", "s", silent(), |e, _| {
        let mut p = Prompts::builtin();
        p.unknown = UnknownPrompt::Missing;
        e.set_prompts(p);
    });
    let mut text = render(&default_policy);
    text.push_str("----\n");
    text.push_str(&console(&missing_policy));
    insta::assert_snapshot!(text);
}

#[test]
fn answer_waits_for_media() {
    let conf = "[a]\nexten => s,1,Answer()\n same => n,NoOp(answered)\n same => n,Answer(1500)\nexten => d,1,Answer(1500)\n same => n,NoOp(after delay)\n";
    let media = PhoneSpec {
        media: true,
        ..silent()
    };
    // A phone that streams media: the first frame comes 20 ms after the answer.
    let ev = run(conf, "a", "s", media.clone(), |_, _| {});
    assert_eq!(
        time_of(&ev, |e| log_contains(
            e,
            "NoOp(\"PJSIP/outside-00000000\", \"answered\")"
        )),
        Some(Duration::from_millis(20))
    );
    // A silent phone: 500 ms.
    let ev = run(conf, "a", "s", silent(), |_, _| {});
    assert_eq!(
        time_of(&ev, |e| log_contains(e, "\"answered\"")),
        Some(Duration::from_millis(500))
    );
    // With a delay the whole delay is waited, media or not.
    let ev = run(conf, "a", "d", media, |_, _| {});
    assert_eq!(
        time_of(&ev, |e| log_contains(e, "after delay")),
        Some(Duration::from_millis(1500))
    );
}

#[test]
fn small_apps() {
    let conf = "\
[x]
exten => s,1,SendDTMF(1x2)
 same => n,Verbose(hello at 0)
 same => n,Verbose(4,deep)
 same => n,Verbose(loud,text)
 same => n,Set(NOEQUALS)
 same => n,Wait(0.25)
 same => n,Hangup(bogus)
exten => c,1,Hangup(17)
";
    let mut text = console(&run(conf, "x", "s", silent(), |_, _| {}));
    let ev = run(conf, "x", "c", silent(), |_, _| {});
    let hangup = ev
        .iter()
        .rev()
        .find(|e| e.name() == "Hangup")
        .and_then(|e| e.fields())
        .map(|f| {
            format!(
                "Hangup Cause={} Cause-txt={}",
                f.get("Cause").unwrap_or(""),
                f.get("Cause-txt").unwrap_or("")
            )
        });
    text.push_str(&format!("----\n{}\n", hangup.unwrap_or_default()));
    let ev = run(conf, "x", "s", silent(), |_, _| {});
    let cause = ev
        .iter()
        .rev()
        .find(|e| e.name() == "Hangup")
        .and_then(|e| e.fields())
        .and_then(|f| f.get("Cause").map(str::to_string));
    assert_eq!(cause.as_deref(), Some("16"));
    insta::assert_snapshot!(text);
}

/// `SoftHangupRequest` at the end of a PBX shows the soft-hangup reason Asterisk passes
/// (`AST_SOFTHANGUP_APPUNLOAD`, 16, main/pbx.c `__ast_pbx_run`), not the channel's hangup cause;
/// `Hangup` shows the cause. Hangup() itself soft-hangs-up without an event.
#[test]
fn soft_hangup_request_shows_the_reason_flag() {
    let conf = "\
[x]
exten => busy,1,Hangup(17)
exten => none,1,Answer()
";
    for (exten, hangup_cause) in [("busy", "17"), ("none", "")] {
        let ev = run(conf, "x", exten, silent(), |_, _| {});
        let fields = |name: &str| -> Vec<String> {
            ev.iter()
                .filter(|e| e.name() == name)
                .filter_map(|e| e.fields())
                .map(|f| f.get("Cause").unwrap_or("-").to_string())
                .collect()
        };
        assert_eq!(
            fields("SoftHangupRequest"),
            vec!["16".to_string()],
            "{exten}"
        );
        if !hangup_cause.is_empty() {
            assert_eq!(fields("Hangup"), vec![hangup_cause.to_string()], "{exten}");
        }
    }
}

/// A hangup queued with cause 0 (the Dial hanging up `;1` after `;2`'s Busy()) leaves the channel's own
/// cause alone: `__ast_read` copies the frame's cause only when it is non-zero, so `;2` ends with
/// Busy()'s 17 (main/channel.c; main/core_unreal.c `ast_unreal_hangup`).
#[test]
fn a_zero_cause_hangup_keeps_the_channel_cause() {
    let conf = "\
[x]
exten => s,1,Dial(Local/busy@x)
exten => busy,1,Busy()
";
    let ev = run(conf, "x", "s", silent(), |_, _| {});
    let cause_of = |name: &str, chan: &str| -> Vec<String> {
        ev.iter()
            .filter(|e| e.name() == name)
            .filter_map(|e| e.fields())
            .filter(|f| f.get("Channel") == Some(chan))
            .map(|f| f.get("Cause").unwrap_or("-").to_string())
            .collect()
    };
    let two = "Local/busy@x-00000000;2";
    assert_eq!(cause_of("HangupRequest", two), vec!["0".to_string()]);
    assert_eq!(cause_of("Hangup", two), vec!["17".to_string()]);
}

/// A PJSIP channel's `Hangup` carries `TechCause`, the SIP code chan_pjsip derives from the cause
/// (`hangup_cause2sip`: 17 → 486), and none when there is no such code (16).
#[test]
fn pjsip_hangup_shows_the_sip_tech_cause() {
    let conf = "\
[x]
exten => busy,1,Hangup(17)
exten => normal,1,Hangup()
";
    for (exten, want) in [("busy", Some("486")), ("normal", None)] {
        let ev = run(conf, "x", exten, silent(), |_, _| {});
        let tech: Vec<Option<String>> = ev
            .iter()
            .filter(|e| e.name() == "Hangup")
            .filter_map(|e| e.fields())
            .map(|f| f.get("TechCause").map(str::to_string))
            .collect();
        assert_eq!(tech, vec![want.map(str::to_string)], "{exten}");
    }
}

#[test]
fn variables_inherit_through_dial_and_local() {
    let conf = "\
[parent]
exten => s,1,Set(__ALWAYS=1)
 same => n,Set(_ONCE=2)
 same => n,Set(NEVER=3)
 same => n,Dial(Local/s@child/n)
[child]
exten => s,1,NoOp(${ALWAYS}-${ONCE}-${NEVER}-${_ONCE})
 same => n,Dial(Local/s@grandchild/n)
[grandchild]
exten => s,1,NoOp(${ALWAYS}-${ONCE}-${NEVER})
 same => n,Hangup()
";
    let ev = run(conf, "parent", "s", silent(), |_, _| {});
    let text = render(&ev);
    assert!(
        text.contains("NoOp(\"Local/s@child-00000000;2\", \"1-2--\")"),
        "{text}"
    );
    assert!(
        text.contains("NoOp(\"Local/s@grandchild-00000001;2\", \"1--\")"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn async_goto_out_of_an_app_and_out_of_a_bridge() {
    let conf = "\
[g]
exten => s,1,Wait(30)
 same => n,NoOp(not reached)
exten => other,1,NoOp(resumed at ${EXTEN})
 same => n,Dial(Local/s@callee/n)
 same => n,NoOp(after dial ${DIALSTATUS})
exten => third,1,NoOp(out of the bridge)
[callee]
exten => s,1,Answer()
 same => n,Wait(60)
";
    let ev = run(conf, "g", "s", silent(), |e, ch| {
        let e2 = e.clone();
        e.spawn_local(async move {
            e2.sleep_until(Duration::from_secs(1)).await;
            e2.async_goto(ch, Location::new("g", "other", 1));
            e2.sleep_until(Duration::from_secs(5)).await;
            e2.async_goto(ch, Location::new("g", "third", 1));
        });
    });
    let text = console(&ev);
    assert_eq!(
        time_of(&ev, |e| log_contains(e, "resumed at other")),
        Some(Duration::from_secs(1))
    );
    assert_eq!(
        time_of(&ev, |e| log_contains(e, "out of the bridge")),
        Some(Duration::from_secs(5))
    );
    insta::assert_snapshot!(text);
}

/// SayDigits and SayPhonetic play through main/say.c's `say_filenames`: the first prompt that does not
/// exist stops the say with -1 (after `ast_streamfile`'s warnings), so the application hangs up; SayNumber's
/// English path (`ast_say_number_full_en`) skips it and goes on. [main/say.c · say_filenames,
/// say_digit_str_full, ast_say_number_full_en; main/pbx_builtins.c · pbx_builtin_saydigits]
#[test]
fn say_digits_stops_at_a_missing_prompt_and_say_number_skips_it() {
    let conf = "[s]\nexten => d,1,SayDigits(123)\n same => n,NoOp(after digits)\nexten => n,1,SayNumber(2)\n same => n,NoOp(after number)\n";
    let without_two = |e: &Engine, _| {
        let mut p = Prompts::empty(UnknownPrompt::Missing);
        p.insert("digits/1", 500);
        p.insert("digits/3", 500);
        e.set_prompts(p);
    };
    let digits = console(&run(conf, "s", "d", silent(), without_two));
    assert!(digits.contains("Playing 'digits/1."), "{digits}");
    assert!(!digits.contains("Playing 'digits/3."), "{digits}");
    assert!(!digits.contains("after digits"), "{digits}");
    let number = console(&run(conf, "s", "n", silent(), without_two));
    assert!(number.contains("after number"), "{number}");
}
