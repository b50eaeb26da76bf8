//! Dial's options that run dialplan or limit the call: `B()`/`b()` pre-dial handlers, `U()` with
//! `GOSUB_RESULT`, `F`/`F()`, `S()` and `L()`.

use crate::engine_common;
use dialplan::engine::{EngineConfig, Event, PhoneSpec};
use engine_common::*;
use std::time::Duration;

fn alice(answer: u64, hangup: Option<u64>) -> PhoneSpec {
    PhoneSpec {
        answer_after: Some(Duration::from_secs(answer)),
        hangup_after: hangup.map(Duration::from_secs),
        ..PhoneSpec::default()
    }
}

fn run(conf: &str, callee: PhoneSpec, caller: PhoneSpec) -> Vec<Event> {
    run_with_devices(
        plan_from_conf(conf),
        EngineConfig::default(),
        Devices(vec![("PJSIP/alice".into(), callee)], vec![]),
        "outside",
        caller,
        "t",
        "s",
    )
}

fn caller_hangs_up_after(secs: u64) -> PhoneSpec {
    PhoneSpec {
        hangup_after: Some(Duration::from_secs(secs)),
        ..outside_caller()
    }
}

const SUBS: &str = "\
[pre]
exten => s,1,NoOp(predial on ${CHANNEL} ${ARG1})
 same => n,Return()
[screen]
exten => s,1,NoOp(screening ${ARG1} ${ARG2})
 same => n,Set(GOSUB_RESULT=${ARG1})
 same => n,Return(rv-${ARG1})
[screengoto]
exten => s,1,Set(GOSUB_RESULT=GOTO:t^elsewhere^1)
 same => n,Return(rv)
";

#[test]
fn predial_handlers_run_on_caller_then_callees() {
    let conf = format!(
        "[t]\nexten => s,1,Dial(PJSIP/alice,5,B(pre^s^1(caller))b(pre^s^1(callee)))\n same => n,NoOp(${{DIALSTATUS}})\n{SUBS}"
    );
    insta::assert_snapshot!(console(&run(&conf, alice(1, Some(2)), outside_caller())));
}

#[test]
fn callee_gosub_results() {
    for (result, expect) in [
        ("BUSY", "after BUSY rv-BUSY"),
        ("CONTINUE", "after ANSWER rv-CONTINUE"),
        ("GOTO", "went elsewhere ANSWER"),
    ] {
        let sub = if result == "GOTO" {
            "screengoto".to_string()
        } else {
            format!("screen^{result}^x")
        };
        let conf = format!(
            "[t]\nexten => s,1,Dial(PJSIP/alice,,U({sub}))\n same => n,NoOp(after ${{DIALSTATUS}} ${{GOSUB_RETVAL}})\nexten => elsewhere,1,NoOp(went elsewhere ${{DIALSTATUS}})\n{SUBS}"
        );
        let out = console(&run(&conf, alice(1, None), outside_caller()));
        assert!(out.contains(expect), "{result}:\n{out}");
        assert!(!out.contains("joined"), "{result}: no bridge\n{out}");
    }
    let conf = format!(
        "[t]\nexten => s,1,Dial(PJSIP/alice,,U(screen^ABORT))\n same => n,NoOp(not reached)\n{SUBS}"
    );
    insta::assert_snapshot!(
        "abort",
        console(&run(&conf, alice(1, None), outside_caller()))
    );
    let conf = format!(
        "[t]\nexten => s,1,Dial(PJSIP/alice,,U(screen^other))\n same => n,NoOp(after ${{GOSUB_RETVAL}})\n{SUBS}"
    );
    let out = console(&run(&conf, alice(1, Some(3)), outside_caller()));
    assert!(out.contains("joined"), "an unknown result bridges:\n{out}");
}

#[test]
fn callee_goes_on_with_f() {
    let conf = "\
[t]
exten => s,1,Dial(PJSIP/alice,,F)
 same => n,NoOp(callee continues on ${CHANNEL})
exten => x,1,Dial(PJSIP/alice,,F(t^other^2))
exten => other,1,NoOp(not here)
 same => n,NoOp(callee at other,2 on ${CHANNEL})
";
    insta::assert_snapshot!(console(&run(
        conf,
        alice(1, None),
        caller_hangs_up_after(4)
    )));
    let out = console(&run_with_devices(
        plan_from_conf(conf),
        EngineConfig::default(),
        Devices(vec![("PJSIP/alice".into(), alice(1, None))], vec![]),
        "outside",
        caller_hangs_up_after(4),
        "t",
        "x",
    ));
    assert!(
        out.contains("callee at other,2 on PJSIP/alice-00000001"),
        "{out}"
    );
    assert!(!out.contains("not here"), "{out}");
}

#[test]
fn call_limits() {
    let conf = "[t]\nexten => s,1,Dial(PJSIP/alice,,S(5))\n same => n,NoOp(${DIALSTATUS} ${ANSWEREDTIME})\n";
    insta::assert_snapshot!("s5", console(&run(conf, alice(1, None), outside_caller())));
    let conf = "[t]\nexten => s,1,Dial(PJSIP/alice,,gL(10000))\n same => n,NoOp(${DIALSTATUS} ${ANSWEREDTIME})\n";
    insta::assert_snapshot!("l10", console(&run(conf, alice(1, None), outside_caller())));
    let conf = "[t]\nexten => s,1,Set(LIMIT_PLAYAUDIO_CALLEE=yes)\n same => n,Dial(PJSIP/alice,,gL(20000:5000:2000))\n same => n,NoOp(${DIALSTATUS} ${ANSWEREDTIME})\n";
    insta::assert_snapshot!("l20", console(&run(conf, alice(1, None), outside_caller())));
    // The caller alone hears the sounds: the connect sound at once, one warning 3 s before the end, the end
    // sound at the limit; alice leaves at the limit, which dissolves the bridge while the caller still
    // hears the end sound.
    let conf = "[t]\nexten => s,1,Set(LIMIT_CONNECT_FILE=beep)\n same => n,Set(LIMIT_WARNING_FILE=beep)\n same => n,Set(LIMIT_TIMEOUT_FILE=vm-goodbye)\n same => n,Dial(PJSIP/alice,,gL(10000:3000))\n same => n,NoOp(${DIALSTATUS} ${HANGUPCAUSE})\n";
    insta::assert_snapshot!(
        "l_sounds",
        console(&run(conf, alice(1, None), outside_caller()))
    );
    // `timeleft` says minutes from two minutes up.
    let conf = "[t]\nexten => s,1,Dial(PJSIP/alice,,L(200000:150000))\n";
    let out = console(&run(conf, alice(1, None), outside_caller()));
    let said: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_once("Playing '")?.1.split_once(".slin"))
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        said,
        [
            "vm-youhave",
            "digits/2",
            "queue-minutes",
            "digits/30",
            "queue-seconds"
        ],
        "{out}"
    );
    assert!(
        out.contains("[00:00:51.000]     -- <PJSIP/outside-00000000> Playing 'vm-youhave.slin'"),
        "{out}"
    );
    let conf = "[t]\nexten => s,1,Dial(PJSIP/alice,,S(0))\n same => n,NoOp(${DIALSTATUS})\nexten => h,1,NoOp(h ${DIALSTATUS})\n";
    insta::assert_snapshot!("s0", console(&run(conf, alice(1, None), outside_caller())));
    let conf = "[t]\nexten => s,1,Dial(PJSIP/alice,,L(abc))\nexten => h,1,NoOp(h ${DIALSTATUS})\n";
    insta::assert_snapshot!("l0", console(&run(conf, alice(1, None), outside_caller())));
}

/// Only the lines and events that show the caller's music and the Dial's course.
fn music_trace(events: &[Event]) -> String {
    render(events)
        .lines()
        .filter(|l| {
            l.contains("music on hold")
                || l.contains("MusicOnHold")
                || l.contains("Dial")
                || l.contains("answered")
                || l.contains("picked up")
                || l.contains("ringing")
                || l.contains("progress")
                || l.contains("joined")
                || l.contains("] Hangup ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// Dial's `m`: music on hold starts on the caller after the calls are placed, then progress is indicated;
// it stops when nobody answers (`out:`, before the callee is hung up) or just before the bridge
// [apps/app_dial.c · dial_exec_full; res/res_musiconhold.c · moh_post_start, moh_post_stop].
#[test]
fn music_on_hold_while_dialling() {
    let conf = "[t]\nexten => s,1,Dial(PJSIP/alice,2,m)\n same => n,NoOp(${DIALSTATUS})\n";
    let never = PhoneSpec {
        answer_after: None,
        ..PhoneSpec::default()
    };
    insta::assert_snapshot!(
        "m_no_answer",
        music_trace(&run(conf, never, outside_caller()))
    );
    let conf = "[t]\nexten => s,1,Dial(PJSIP/alice,5,m(jazz))\n";
    insta::assert_snapshot!(
        "m_class_answered",
        music_trace(&run(conf, alice(1, Some(2)), outside_caller()))
    );
}

// With `m`, a callee's ringing is not passed to the caller (wait_for_answer skips the RINGING indication
// under OPT_MUSICBACK), the start's PROGRESS is: an outer Dial through a Local pair sees `is making
// progress`, never `is ringing`. With `r`, a callee's progress is not passed on [apps/app_dial.c ·
// wait_for_answer].
#[test]
fn music_or_ringback_shape_what_an_outer_dial_sees() {
    let conf = "[t]\nexten => s,1,Dial(Local/mid@t/n,5)\nexten => mid,1,Dial(PJSIP/alice,5,m)\n";
    let out = console(&run(conf, alice(1, Some(2)), outside_caller()));
    assert!(
        out.contains(
            "Local/mid@t-00000000;1 is making progress passing it to PJSIP/outside-00000000"
        ),
        "{out}"
    );
    assert!(!out.contains(";1 is ringing"), "{out}");
    let conf = "[t]\nexten => s,1,Dial(Local/mid@t/n,5)\nexten => mid,1,Dial(PJSIP/alice,5,r)\n";
    let out = console(&run(conf, alice(1, Some(2)), outside_caller()));
    assert!(out.contains("Local/mid@t-00000000;1 is ringing"), "{out}");
    assert!(!out.contains("Started music on hold"), "{out}");
}

// `e`: the callee runs the caller's context's `h` extension when it leaves the bridge, and `F` is then
// ignored (setup_peer_after_bridge_goto stores ast_bridge_set_after_h); without `h` there nothing runs
// [apps/app_dial.c · setup_peer_after_bridge_goto; main/bridge_after.c · ast_bridge_setup_after_goto].
#[test]
fn callee_runs_h_with_e() {
    let conf = "[t]\nexten => s,1,Dial(PJSIP/alice,5,eF(t^after^1))\nexten => after,1,NoOp(never)\nexten => h,1,NoOp(h on ${CHANNEL} ${HANGUPCAUSE})\n";
    let out = console(&run(conf, alice(1, Some(2)), outside_caller()));
    assert!(
        out.contains(
            r#"Executing [h@t:1] NoOp("PJSIP/alice-00000001", "h on PJSIP/alice-00000001 16")"#
        ),
        "{out}"
    );
    assert!(!out.contains("never"), "{out}");
    let conf = "[t]\nexten => s,1,Dial(PJSIP/alice,5,e)\n";
    let out = console(&run(conf, alice(1, Some(2)), outside_caller()));
    assert!(!out.contains("Executing [h@"), "{out}");
}

// `Q(cause)`: the callees that lost the race are hung up with that cause (a name, NONE = 0, or a number);
// an unreadable one warns and leaves answered elsewhere (26) [apps/app_dial.c · dial_exec_full].
#[test]
fn losing_callees_hang_up_with_q_cause() {
    for (q, cause, warns) in [
        ("", "26", false),
        (",Q(NO_ANSWER)", "19", false),
        (",Q(NONE)", "0", false),
        (",Q(21)", "21", false),
        (",Q(bogus)", "26", true),
    ] {
        let conf = format!("[t]\nexten => s,1,Dial(PJSIP/alice&PJSIP/bob,5{q})\n");
        let never = PhoneSpec {
            answer_after: None,
            ..PhoneSpec::default()
        };
        let events = run_with_devices(
            plan_from_conf(&conf),
            EngineConfig::default(),
            Devices(
                vec![
                    ("PJSIP/alice".into(), alice(1, Some(2))),
                    ("PJSIP/bob".into(), never),
                ],
                vec![],
            ),
            "outside",
            outside_caller(),
            "t",
            "s",
        );
        let text = render(&events);
        assert!(
            text.contains(&format!(
                "Hangup Channel=PJSIP/bob-00000002 Cause={cause}\n"
            )),
            "{q}:\n{text}"
        );
        assert_eq!(
            text.contains(r#"Invalid cause given to Dial(...Q(<cause>)): "bogus""#),
            warns,
            "{q}:\n{text}"
        );
    }
}

// A callee still up when its caller hangs up runs `e`'s `h` as a hung-up channel: ast_pbx_h_exten_run
// sets AST_SOFTHANGUP_HANGUP_EXEC first, so a Wait there returns at once [main/pbx.c ·
// ast_pbx_h_exten_run].
#[test]
fn e_h_runs_hung_up_when_the_caller_leaves() {
    let conf = "[t]\nexten => s,1,Dial(PJSIP/alice,5,e)\nexten => h,1,Wait(5)\n same => n,NoOp(after wait on ${CHANNEL})\n";
    let events = run(conf, alice(1, None), caller_hangs_up_after(3));
    let out = console(&events);
    assert!(
        out.contains(r#"Executing [h@t:1] Wait("PJSIP/alice-00000001", "5")"#),
        "{out}"
    );
    assert!(!out.contains("after wait on PJSIP/alice"), "{out}");
    assert!(
        out.contains("Spawn extension (t, h, 1) exited non-zero on 'PJSIP/alice-00000001'"),
        "{out}"
    );
}

// `c`: a callee still ringing when Dial gives up is hung up as answered elsewhere (26), not with no
// cause [apps/app_dial.c · dial_exec_full, the `out:` hanguptree cause].
#[test]
fn c_hangs_up_ringing_callees_as_answered_elsewhere() {
    let never = || PhoneSpec {
        answer_after: None,
        ..PhoneSpec::default()
    };
    for (opts, cause) in [("", "0"), (",c", "26")] {
        let conf = format!("[t]\nexten => s,1,Dial(PJSIP/alice,2{opts})\n");
        let text = render(&run(&conf, never(), outside_caller()));
        assert!(
            text.contains(&format!(
                "Hangup Channel=PJSIP/alice-00000001 Cause={cause}\n"
            )),
            "{opts}:\n{text}"
        );
    }
}

// `a`: the caller is answered when the callee answers, even where Dial itself never would (`G()`);
// ast_answer on a ringing caller then waits for media as Answer() does [apps/app_dial.c ·
// dial_exec_full; main/channel.c · __ast_answer].
#[test]
fn a_answers_the_caller_when_the_callee_answers() {
    for (opts, answered) in [("G(t^after^1)", false), ("aG(t^after^1)", true)] {
        let conf = format!(
            "[t]\nexten => s,1,Dial(PJSIP/alice,5,{opts})\nexten => after,1,NoOp(caller)\n same => n,Hangup()\n same => n,NoOp(callee)\n"
        );
        let events = run(&conf, alice(1, Some(2)), outside_caller());
        let text = render(&events);
        let up = text
            .lines()
            .any(|l| l.contains("Newstate Channel=PJSIP/outside-00000000"));
        assert_eq!(up, answered, "{opts}:\n{text}");
    }
}

// A `U()` subroutine that stops the call (`GOSUB_RESULT=BUSY`) goes to `out:`: `m`'s music stops there,
// and `e` runs the callee's `h` before it is hung up [apps/app_dial.c · dial_exec_full].
#[test]
fn u_stop_ends_music_and_runs_e_h() {
    let conf = format!(
        "[t]\nexten => s,1,Dial(PJSIP/alice,5,meU(screen^BUSY^x))\n same => n,NoOp(after ${{DIALSTATUS}})\nexten => h,1,NoOp(h on ${{CHANNEL}})\n{SUBS}"
    );
    let out = console(&run(&conf, alice(1, None), outside_caller()));
    let stop = out.find("Stopped music on hold on PJSIP/outside-00000000");
    let h = out.find(r#"NoOp("PJSIP/alice-00000001", "h on PJSIP/alice-00000001")"#);
    let after = out.find("after BUSY");
    assert!(stop.is_some() && h.is_some() && after.is_some(), "{out}");
    assert!(h < stop && stop < after, "{out}");
}
