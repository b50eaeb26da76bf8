//! The dialplan language on the engine: functions that need a running simulation (AstDB, dialplan look-ups,
//! the virtual clock, the seeded generator, timeouts, exceptions), Gosub/Return with `${ARGn}` and
//! `LOCAL()`, While loops and the other flow applications.

use crate::engine_common;
use dialplan::engine::{Engine, EngineConfig, Event, PhoneSpec};
use engine_common::*;
use std::time::Duration;

fn run_conf(conf: &str, ctx: &str, exten: &str, spec: PhoneSpec) -> Vec<Event> {
    // 2023-11-14 22:13:20 UTC, a Tuesday.
    let engine = Engine::new(EngineConfig::default(), plan_from_conf(conf));
    Call::new("outside", spec, ctx, exten).run(engine, Duration::from_secs(600), |_, _| {})
}

/// The text of every `NoOp(...)` executed, in order, and every WARNING/ERROR/NOTICE line.
fn noops(events: &[Event]) -> Vec<String> {
    console(events)
        .lines()
        .filter_map(|l| {
            let l = l.split_once("] ").map_or(l, |(_, r)| r);
            if let Some(i) = l.find("NoOp(\"") {
                let rest = &l[i..];
                let args = rest.split_once("\", \"")?.1;
                let args = args.strip_suffix("\") in new stack")?;
                Some(args.to_string())
            } else if l.starts_with("WARNING") || l.starts_with("ERROR") || l.starts_with("NOTICE")
            {
                Some(l.to_string())
            } else {
                None
            }
        })
        .collect()
}

fn lines(conf: &str) -> Vec<String> {
    noops(&run_conf(conf, "t", "s", outside_caller()))
}

#[test]
fn astdb_functions() {
    let conf = "\
[t]
exten => s,1,Set(DB(cf/1001)=5551234)
 same => n,Set(DB(cf/1002)=5559876)
 same => n,NoOp(${DB(cf/1001)} ${DB_RESULT} ${DB_EXISTS(cf/1002)} ${DB_EXISTS(cf/9)})
 same => n,NoOp(${DB_KEYS(cf)} ${DB_KEYCOUNT(cf)})
 same => n,NoOp(${DB_DELETE(cf/1001)} ${DB_EXISTS(cf/1001)})
 same => n,NoOp(${DB(nofamily)})
 same => n,Set(DB(cf/)=x)
";
    assert_eq!(
        lines(conf),
        [
            "5551234 5551234 1 0",
            "1001,1002 2",
            "5551234 0",
            "WARNING: func_db.c: DB requires an argument, DB(<family>/<key>)",
            "",
            "WARNING: func_db.c: DB: key '' seems malformed",
        ]
    );
}

#[test]
fn dialplan_and_time_functions() {
    let conf = "\
[t]
exten => s,1(start),NoOp(${DIALPLAN_EXISTS(t)} ${DIALPLAN_EXISTS(t,s)} ${DIALPLAN_EXISTS(t,s,2)} ${DIALPLAN_EXISTS(t,s,start)} ${DIALPLAN_EXISTS(t,s,nolabel)} ${DIALPLAN_EXISTS(nope)})
 same => n,NoOp(${STRFTIME(,,%Y-%m-%d %H:%M:%S)} ${EPOCH} ${STRFTIME(0,UTC,%F %T)})
 same => n,NoOp(${IFTIME(22:00-23:00,tue,*,*?late:other)} ${IFTIME(09:00-17:00,mon-fri,*,*?open:closed)})
 same => n,NoOp(${STRPTIME(2023-11-14 22:13:20,UTC,%Y-%m-%d %H:%M:%S)})
 same => n,NoOp(${DIALPLAN_EXISTS()})
";
    assert_eq!(
        lines(conf),
        [
            "1 1 1 1 0 0",
            "2023-11-14 22:13:20 1700000000 1970-01-01 00:00:00",
            "late closed",
            "1700000000",
            "ERROR: func_dialplan.c: DIALPLAN_EXISTS() requires an argument",
            "",
        ]
    );
}

#[test]
fn seeded_random_and_timeouts() {
    let conf = "\
[t]
exten => s,1,NoOp(${RAND(1,6)} ${LEN(${UUID()})})
 same => n,Set(TIMEOUT(digit)=3)
 same => n,Set(TIMEOUT(response)=7.5)
 same => n,NoOp(${TIMEOUT(digit)} ${TIMEOUT(response)} ${TIMEOUT(absolute)})
 same => n,NoOp(${TIMEOUT(x)})
";
    let a = lines(conf);
    let b = lines(conf);
    assert_eq!(a, b, "seeded: the same run twice gives the same numbers");
    let roll: i32 = a[0].split(' ').next().unwrap().parse().unwrap();
    assert!((1..=6).contains(&roll));
    assert_eq!(a[0].split(' ').nth(1), Some("36"));
    assert_eq!(
        &a[1..],
        [
            "3.000 7.500 0",
            "ERROR: func_timeout.c: Unknown timeout type specified.",
            ""
        ]
    );
}

#[test]
fn exception_after_invalid_extension() {
    let conf = "\
[t]
exten => s,1,Goto(nowhere,1)
exten => e,1,NoOp(${EXCEPTION(reason)} ${EXCEPTION(context)} ${EXCEPTION(exten)} ${EXCEPTION(priority)})
 same => n,Hangup()
";
    assert_eq!(lines(conf), ["INVALID t nowhere 1"]);
}

fn keys(after_ms: u64, digits: &str) -> PhoneSpec {
    use dialplan::engine::{PhoneAction, PhoneActionKind};
    PhoneSpec {
        actions: vec![PhoneAction {
            after: Duration::from_millis(after_ms),
            kind: PhoneActionKind::Dtmf(digits.to_string()),
        }],
        ..outside_caller()
    }
}

#[test]
fn gosub_arguments_locals_and_return() {
    let conf = "\
[t]
exten => s,1,Set(ARG1=outer)
 same => n,Set(X=caller)
 same => n,Gosub(sub,s,1(a,\"b,c\"))
 same => n,NoOp(back ${GOSUB_RETVAL} ${ARG1} ${X} ${Y})
 same => n,Gosub(nowhere,s,1)
[sub]
exten => s,1,NoOp(${ARGC} ${ARG1} ${ARG2} ${STACK_PEEK(1,l)})
 same => n,Set(LOCAL(X)=local)
 same => n,Set(Y=global-ish)
 same => n,NoOp(${X} ${LOCAL(X)} ${LOCAL_PEEK(1,X)})
 same => n,Gosub(inner,1(deep))
 same => n,Return(${X}!)
exten => inner,1,NoOp(${ARGC} ${ARG1} ${ARG2})
 same => n,Return()
";
    let ev = run_conf(conf, "t", "s", outside_caller());
    insta::assert_snapshot!(console(&ev));
}

#[test]
fn return_without_gosub_and_stackpop() {
    let conf = "\
[t]
exten => s,1,StackPop()
 same => n,Return()
";
    assert_eq!(
        lines(conf),
        [
            "WARNING: app_stack.c: StackPop called with no gosub stack allocated.",
            "ERROR: app_stack.c: Return without Gosub: stack is unallocated",
        ]
    );
}

#[test]
fn while_loops() {
    let conf = "\
[t]
exten => s,1,Set(I=0)
 same => n,While($[${I} < 3])
 same => n,Set(I=$[${I} + 1])
 same => n,ExecIf($[${I} = 2]?ContinueWhile())
 same => n,NoOp(body ${I})
 same => n,EndWhile()
 same => n,NoOp(after ${I})
 same => n,While(0)
 same => n,NoOp(never)
 same => n,EndWhile()
 same => n,While(1)
 same => n,ExitWhile()
 same => n,EndWhile()
 same => n,NoOp(done)
";
    let ev = run_conf(conf, "t", "s", outside_caller());
    let l = noops(&ev);
    assert_eq!(l, ["body 1", "body 3", "after 3", "done"]);
    insta::assert_snapshot!(console(&ev));
}

#[test]
fn flow_applications() {
    let conf = "\
[t]
exten => s,1,MSet(A=1,B=two,C)
 same => n,NoOp(${A} ${B})
 same => n,ExecIf($[${A} = 1]?NoOp(true branch):NoOp(false))
 same => n,ExecIf(0?NoOp(x):Set(D=d))
 same => n,NoOp(${D})
 same => n,GotoIfTime(22:00-23:00,tue,*,*?late)
 same => n,NoOp(not reached)
 same => n(late),ExecIfTime(*,*,*,*?Set(E=${A}e))
 same => n,NoOp(${E})
 same => n,Log(WARNING,careful ${A})
 same => n,Log(LOUD,x)
 same => n,System(rm -rf /)
 same => n,NoOp(${SYSTEMSTATUS})
";
    let ev = run_conf(conf, "t", "s", outside_caller());
    insta::assert_snapshot!(render(&ev));
}

#[test]
fn background_digits_start_an_extension() {
    let conf = "\
[ivr]
exten => s,1,Answer()
 same => n,Background(hello-world)
 same => n,WaitExten(3)
exten => 1,1,NoOp(sales)
 same => n,Hangup()
exten => 22,1,NoOp(twenty-two)
 same => n,Hangup()
exten => i,1,NoOp(invalid ${INVALID_EXTEN})
 same => n,Hangup()
exten => t,1,NoOp(timeout)
 same => n,Hangup()
";
    // A single digit that is a whole extension: straight there.
    let ev = run_conf(conf, "ivr", "s", keys(600, "1"));
    assert!(
        noops(&ev).contains(&"sales".to_string()),
        "{}",
        console(&ev)
    );
    // Two digits during the prompt.
    let ev = run_conf(conf, "ivr", "s", keys(600, "22"));
    assert!(
        noops(&ev).contains(&"twenty-two".to_string()),
        "{}",
        console(&ev)
    );
    // A digit that is no extension.
    let ev = run_conf(conf, "ivr", "s", keys(600, "9"));
    assert!(
        noops(&ev).contains(&"invalid 9".to_string()),
        "{}",
        console(&ev)
    );
    // Nothing pressed: WaitExten times out to t.
    let ev = run_conf(conf, "ivr", "s", outside_caller());
    insta::assert_snapshot!(console(&ev));
}

#[test]
fn read_collects_digits() {
    let conf = "\
[t]
exten => s,1,Answer()
 same => n,Read(PIN,hello-world,4,,2,3)
 same => n,NoOp(${PIN} ${READSTATUS})
";
    let ev = run_conf(conf, "t", "s", keys(700, "12#"));
    assert!(
        noops(&ev).contains(&"12 OK".to_string()),
        "{}",
        console(&ev)
    );
    let ev = run_conf(conf, "t", "s", keys(700, "123456"));
    assert!(
        noops(&ev).contains(&"1234 OK".to_string()),
        "{}",
        console(&ev)
    );
    let ev = run_conf(conf, "t", "s", outside_caller());
    insta::assert_snapshot!(console(&ev));
}

#[test]
fn say_applications() {
    let conf = "\
[t]
exten => s,1,Answer()
 same => n,SayNumber(1234)
 same => n,SayDigits(12#)
 same => n,SayAlpha(Ab)
 same => n,SayPhonetic(a9)
 same => n,SayNumber(abc)
";
    let ev = run_conf(conf, "t", "s", outside_caller());
    insta::assert_snapshot!(console(&ev));
}

#[test]
fn absolute_timeout_goes_to_t() {
    let conf = "\
[t]
exten => s,1,Answer()
 same => n,Set(TIMEOUT(absolute)=2)
 same => n,Wait(10)
 same => n,NoOp(not reached)
exten => T,1,NoOp(absolute timeout ${TIMEOUT(absolute)})
 same => n,Hangup()
";
    let ev = run_conf(conf, "t", "s", outside_caller());
    insta::assert_snapshot!(console(&ev));
}

#[test]
fn timed_includes_follow_the_virtual_clock() {
    // The default clock is Tuesday 2023-11-14 22:13:20 UTC.
    let conf = "\
[t]
include => day,09:00-17:00,mon-fri,*,*
include => late,22:00-23:59,tue,14,nov
include => night
[day]
exten => 100,1,NoOp(day)
[late]
exten => 100,1,NoOp(late)
[night]
exten => 100,1,NoOp(night)
";
    assert_eq!(
        noops(&run_conf(conf, "t", "100", outside_caller())),
        ["late"]
    );
    let conf2 = conf.replace("22:00-23:59,tue,14,nov", "22:00-23:59,wed,*,*");
    assert_eq!(
        noops(&run_conf(&conf2, "t", "100", outside_caller())),
        ["night"]
    );
}

#[test]
fn global_function_and_valid_exten() {
    let conf = "\
[t]
exten => s,1,Set(GLOBAL(G)=1)
 same => n,NoOp(${VALID_EXTEN(,s,2)} ${VALID_EXTEN(t,s,9)} ${VALID_EXTEN(t,s)}|${VALID_EXTEN(t)}|)
";
    let events = run_conf(conf, "t", "s", outside_caller());
    let text = console(&events);
    let setting: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("Setting global variable"))
        .collect();
    assert_eq!(setting.len(), 1, "{text}");
    assert_eq!(
        noops(&events),
        [
            "WARNING: func_dialplan.c: Syntax: VALID_EXTEN([<context>],<extension>[,<priority>]) - missing argument <extension>!",
            "1 0 1||",
        ]
    );
}

/// app_exec.c execif_exec: without `?` the argument is the deprecated `expr,app,args` form, whose missing
/// parts are NULL pointers that glibc's `%s` prints as `(null)`; an empty application name in the
/// modern form is an empty string and prints as nothing.
#[test]
fn execif_names_missing_parts_as_asterisk_does() {
    let conf = "\
[t]
exten => s,1,ExecIf(1,NoOp)
 same => n,ExecIf(0)
 same => n,ExecIf(1?:NoOp(x))
";
    assert_eq!(
        lines(conf),
        [
            "WARNING: app_exec.c: Deprecated syntax found.  Please upgrade to using ExecIf(<expr>?NoOp((null)))",
            "WARNING: app_exec.c: Deprecated syntax found.  Please upgrade to using ExecIf(<expr>?(null)((null)))",
            "WARNING: app_exec.c: Could not find application! ()",
        ]
    );
    let conf = "\
[t]
exten => s,1,ExecIf(1)
";
    assert_eq!(
        lines(conf),
        [
            "WARNING: app_exec.c: Deprecated syntax found.  Please upgrade to using ExecIf(<expr>?(null)((null)))",
            "WARNING: app_exec.c: Could not find application! ((null))",
        ]
    );
}

/// main/pbx_builtins.c pbx_builtin_raise_exception: `raise_exception(chan, reason, 0)` then the PBX loop's
/// increment lands on `e`,1 with `EXCEPTION(reason)` set; without `e`, main/pbx.c __ast_pbx_run treats `e`
/// as an invalid extension (`i` here).
#[test]
fn raise_exception_goes_to_e_or_i() {
    let conf = "\
[t]
exten => s,1,NoOp(start)
 same => n,RaiseException(MYREASON)
 same => n,NoOp(not reached)
exten => e,1,NoOp(${EXCEPTION(reason)} ${EXCEPTION(context)} ${EXCEPTION(exten)} ${EXCEPTION(priority)})
 same => n,Hangup()
";
    assert_eq!(lines(conf), ["start", "MYREASON t s 2"]);
    let ev = run_conf(
        "[t]\nexten => s,1,RaiseException(X)\nexten => i,1,NoOp(i ${INVALID_EXTEN})\n",
        "t",
        "s",
        outside_caller(),
    );
    let c = console(&ev);
    assert!(
        c.contains("-- Channel 'PJSIP/outside-00000000' sent to invalid extension: context,exten,priority=t,e,1"),
        "{c}"
    );
    assert!(noops(&ev).contains(&"i e".to_string()), "{c}");
}

/// apps/app_exec.c exec_exec / tryexec_exec: the inner arguments are substituted again; Exec passes the
/// result through (unknown application: WARNING and −1), TryExec returns 0 and sets TRYSTATUS.
#[test]
fn exec_and_tryexec() {
    let conf = "\
[t]
exten => s,1,Set(A=$${B})
 same => n,Set(B=bee)
 same => n,Exec(NoOp(${A}))
 same => n,TryExec(Gosub(nosuch,s,1))
 same => n,NoOp(${TRYSTATUS})
 same => n,TryExec(Nope(1))
 same => n,NoOp(${TRYSTATUS})
 same => n,TryExec(Wait(1))
 same => n,NoOp(${TRYSTATUS})
 same => n,Exec(Nope)
 same => n,NoOp(not reached)
";
    assert_eq!(
        lines(conf),
        [
            "ERROR: app_stack.c: Gosub attempted to reach non-existent destination 'nosuch,s,1' from 't,s,4'",
            "FAILED",
            "WARNING: app_exec.c: Could not find application (Nope)",
            "NOAPP",
            "SUCCESS",
            "WARNING: app_exec.c: Could not find application (Nope)",
        ]
    );
}

/// apps/app_userevent.c userevent_exec + main/stasis.c multi_user_event_to_ami: class `user`, the
/// channel's snapshot, `UserEvent: <name>`, then each `key: value` argument (value trimmed) in order.
#[test]
fn userevent_publishes_ami() {
    let conf = "\
[t]
exten => s,1,UserEvent(Mark,Status: ok ,junk,Count:2)
 same => n,UserEvent()
 same => n,NoOp(not reached)
";
    let ev = run_conf(conf, "t", "s", outside_caller());
    let ue: Vec<_> = ev
        .iter()
        .filter_map(|e| match &e.body {
            dialplan::engine::EventBody::Ami(f) if f.name == "UserEvent" => Some(f.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(ue.len(), 1);
    assert_eq!(ue[0].class, "user");
    assert_eq!(ue[0].fields[0].0, "Channel");
    let tail: Vec<(String, String)> = ue[0].fields[ue[0].fields.len() - 3..]
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    assert_eq!(
        tail,
        [
            ("UserEvent".to_string(), "Mark".to_string()),
            ("Status".to_string(), "ok".to_string()),
            ("Count".to_string(), "2".to_string()),
        ]
    );
    assert_eq!(
        noops(&ev),
        ["WARNING: app_userevent.c: UserEvent requires an argument (eventname,optional event body)"]
    );
}

/// main/pbx_builtins.c pbx_builtin_waitdigit: WAITDIGITSTATUS DTMF (with WAITDIGITRESULT), TIMEOUT when
/// no digit of the list came, ERROR when the time does not parse.
#[test]
fn waitdigit_statuses() {
    let conf = "\
[t]
exten => s,1,Answer()
 same => n,WaitDigit(1,#)
 same => n,NoOp(${WAITDIGITSTATUS} ${WAITDIGITRESULT})
 same => n,WaitDigit(5)
 same => n,NoOp(${WAITDIGITSTATUS} ${WAITDIGITRESULT})
 same => n,WaitDigit(2sec)
 same => n,NoOp(${WAITDIGITSTATUS})
 same => n,Proceeding()
 same => n,Hangup()
";
    // The first WaitDigit drops digits outside its list, so the keys come after it.
    let ev = run_conf(conf, "t", "s", keys(1500, "12"));
    assert_eq!(
        noops(&ev),
        ["TIMEOUT ", "DTMF 1", "ERROR"],
        "{}",
        console(&ev)
    );
}

/// main/pbx_variables.c ast_str_retrieve_variable: CALLINGPRES is ast_party_id_presentation of the
/// caller id, 67 (number not available) when neither name nor number is valid.
#[test]
fn callingpres_follows_the_caller_id() {
    let conf = "\
[t]
exten => s,1,NoOp(${CALLINGPRES})
 same => n,Set(CALLERID(num)=100)
 same => n,NoOp(${CALLINGPRES})
";
    let anonymous = PhoneSpec {
        callerid: None,
        ..outside_caller()
    };
    assert_eq!(noops(&run_conf(conf, "t", "s", anonymous)), ["67", "0"]);
}

/// main/pbx_variables.c: HINT and HINTNAME are the current extension's hint (main/pbx.c
/// ast_str_get_hint: the device list, and the hint's data), found through patterns and includes; no
/// hint leaves them empty even when a channel variable of that name exists.
#[test]
fn hint_and_hintname() {
    let conf = "\
[t]
include => other
exten => 100,1,NoOp(${HINT}|${HINTNAME})
 same => n,Set(HINT=mine)
 same => n,Goto(200,1)
exten => 100,hint,PJSIP/alice&PJSIP/bob
exten => 200,1,NoOp(${HINT}|${HINTNAME})
 same => n,Goto(300,1)
exten => 300,1,NoOp(${HINT})
[other]
exten => _2XX,hint,Custom:x(Name)
";
    assert_eq!(
        noops(&run_conf(conf, "t", "100", outside_caller())),
        ["PJSIP/alice&PJSIP/bob|", "Custom:x|Name", ""]
    );
}

/// DEVICE_STATE (funcs/func_devstate.c) and EXTENSION_STATE (funcs/func_extstate.c) over main/devicestate.c
/// _ast_device_state: a channel device without a driver callback is its first channel's state
/// (ast_parse_device_state, ast_state_chan2dev: a ringing-in caller is INUSE), none is UNKNOWN; a
/// `label:data` device without a provider, or text with neither `/` nor `:`, is INVALID; Local devices
/// (main/core_local.c local_devicestate) are NOT_INUSE when the extension exists, else INVALID. Writing
/// sets only `Custom:` devices, kept in the AstDB family CustomDevstate; an unknown state name is an
/// ERROR. A hint aggregates its devices (BUSY outranks INUSE, ast_devstate_aggregate_add); no hint is
/// UNKNOWN; the context defaults to `default`.
#[test]
fn device_state_and_extension_state() {
    let conf = "\
[t]
exten => s,1,NoOp(${DEVICE_STATE(PJSIP/outside)}|${DEVICE_STATE(PJSIP/nobody)}|${DEVICE_STATE(Custom:lamp)}|${DEVICE_STATE(nothing)}|${DEVICE_STATE(Local/s@t)}|${DEVICE_STATE(Local/9@t)}|${DEVICE_STATE(Foo:1)})
 same => n,Set(DEVICE_STATE(Custom:lamp)=busy)
 same => n,Set(DEVICE_STATE(PJSIP/outside)=INUSE)
 same => n,Set(DEVICE_STATE(Custom:)=INUSE)
 same => n,Set(DEVICE_STATE(Custom:lamp)=maybe)
 same => n,NoOp(${DEVICE_STATE(Custom:lamp)}|${DEVICE_STATE(custom:lamp)}|${DB(CustomDevstate/lamp)}|${EXTENSION_STATE(s@t)}|${EXTENSION_STATE(s)}|${EXTENSION_STATE(@t)})
exten => s,hint,Custom:lamp&PJSIP/outside
";
    assert_eq!(
        noops(&run_conf(conf, "t", "s", outside_caller())),
        [
            "INUSE|UNKNOWN|UNKNOWN|INVALID|NOT_INUSE|INVALID|INVALID",
            "WARNING: func_devstate.c: The DEVICE_STATE function can only be used to set 'Custom:' device state!",
            "WARNING: func_devstate.c: DEVICE_STATE function called with no custom device name!",
            "ERROR: func_devstate.c: DEVICE_STATE function given invalid state value 'maybe'",
            "WARNING: func_extstate.c: EXTENSION_STATE requires an extension",
            "BUSY|BUSY|busy|BUSY|UNKNOWN|",
        ]
    );
}

/// GROUP, GROUP_COUNT, GROUP_MATCH_COUNT, GROUP_LIST (funcs/func_groupcount.c over main/app.c
/// ast_app_group_*): one entry per channel and category (categories case-insensitive; setting one again
/// moves it to the end of the list), GROUP() is the channel's first entry of any category, counts
/// compare groups case-insensitively while GROUP_MATCH_COUNT's POSIX patterns are case-sensitive, a
/// pattern that does not compile logs app.c's ERROR and counts 0, an empty group removes the entry, and a
/// channel's entries go when it is destroyed (main/channel.c ast_channel_destructor).
#[test]
fn groups() {
    let conf = "\
[t]
exten => s,1,Set(GROUP()=sales)
 same => n,Set(GROUP(region)=north)
 same => n,Set(GROUP(Region)=South)
 same => n,NoOp(${GROUP()}|${GROUP(region)}|${GROUP(none)}|${GROUP_LIST()}|${GROUP_COUNT()}|${GROUP_COUNT(sales)}|${GROUP_COUNT(@region)}|${GROUP_COUNT(south@REGION)})
 same => n,Dial(Local/l@t)
 same => n,NoOp(${GROUP_COUNT(sales)}|${GROUP_MATCH_COUNT(a)})
exten => l,1,Set(GROUP()=SALES)
 same => n,NoOp(${GROUP_COUNT(sales)}|${GROUP_MATCH_COUNT(^s)}|${GROUP_MATCH_COUNT(.*@^R)}|${GROUP_MATCH_COUNT(x)}|${GROUP_MATCH_COUNT([)}|${GROUP_MATCH_COUNT(@x)})
 same => n,Set(GROUP()=)
 same => n,NoOp(${GROUP_COUNT(sales)}|${GROUP_LIST()})
 same => n,Set(GROUP()=SALES)
 same => n,Hangup()
";
    assert_eq!(
        noops(&run_conf(conf, "t", "s", outside_caller())),
        [
            "sales|South||sales South@Region|1|1|1|1",
            "ERROR: app.c: Regex compile failed on: [",
            "2|1|1|0|0|",
            "1|",
            "1|1",
        ]
    );
}

/// ENV (funcs/func_env.c): reads as empty when unset, writes set or (empty value) unset, names starting
/// with `AST_` are not written; the simulated environment starts empty. VERSION (funcs/func_version.c):
/// the reference installation's 22.10.1, `ASTERISK_VERSION_NUM` as the Makefile prints it
/// (`%01d%02d%02d`). SHARED (funcs/func_global.c): a channel's shared variables, read from another channel
/// by name prefix; none stored reads empty; an unknown channel is an ERROR.
#[test]
fn env_version_shared() {
    let conf = "\
[t]
exten => s,1,NoOp(${ENV(HOME)}|${ENV(X)})
 same => n,Set(ENV(X)=1)
 same => n,Set(ENV(AST_Y)=2)
 same => n,NoOp(${ENV(X)}|${ENV(AST_Y)})
 same => n,Set(ENV(X)=)
 same => n,NoOp(${ENV(X)}|${VERSION()}|${VERSION(asterisk_version_num)}|${VERSION(BUILD_OS)})
 same => n,NoOp(${SHARED(v)})
 same => n,Set(SHARED(v)=mine)
 same => n,Set(SHARED(v,PJSIP/nobody)=x)
 same => n,Dial(Local/l@t)
 same => n,NoOp(${SHARED(v)}|${SHARED()})
exten => l,1,NoOp(${SHARED(v)}|${SHARED(v,PJSIP/outside)}|${SHARED(w,PJSIP/outside)})
 same => n,Set(SHARED(v,PJSIP/outside)=theirs)
 same => n,Hangup()
";
    assert_eq!(
        noops(&run_conf(conf, "t", "s", outside_caller())),
        [
            "|",
            "1|",
            "|22.10.1|221001|Linux",
            "",
            "ERROR: func_global.c: Channel 'PJSIP/nobody' not found!  Variable 'v' not set to 'x'.",
            "|mine|",
            "WARNING: func_global.c: SHARED() requires an argument: SHARED(<var>[,<chan>])",
            "theirs|",
        ]
    );
}

/// SayAlphaCase, SayOrdinal and SayMoney (main/pbx_builtins.c over main/say.c ast_get_character_str,
/// get_ordinal_str_en, ast_get_money_en_dollars_str): the prompts each plays, in order, and the
/// argument checks' warnings.
#[test]
fn say_alpha_case_ordinal_money() {
    let conf = "\
[t]
exten => s,1,SayAlphaCase(u,aB)
 same => n,SayAlphaCase(x,a)
 same => n,SayAlphaCase(au,a)
 same => n,SayOrdinal(42)
 same => n,SayOrdinal(x)
 same => n,SayMoney(12)
 same => n,SayOrdinal(1,q)
";
    let events = run_conf(conf, "t", "s", outside_caller());
    let lines: Vec<String> = console(&events)
        .lines()
        .filter_map(|l| {
            let l = l.split_once("] ").map_or(l, |(_, r)| r);
            if let Some((_, rest)) = l.split_once("Playing '") {
                rest.split_once(".slin'").map(|(f, _)| f.to_string())
            } else {
                l.starts_with("WARNING").then(|| l.to_string())
            }
        })
        .collect();
    assert_eq!(
        lines,
        [
            "letters/a",
            "uppercase",
            "letters/b",
            "WARNING: pbx_builtins.c: Invalid option: 'x'",
            "WARNING: pbx_builtins.c: SayAlphaCase options are mutually exclusive and required",
            "digits/40",
            "digits/h-2",
            "WARNING: pbx_builtins.c: argument 'x' to SayOrdinal could not be parsed as a number.",
            "digits/12",
            "dollars",
            "WARNING: pbx_builtins.c: SayOrdinal gender option is either 'f', 'm', 'c' or 'n'",
        ]
    );
}

/// StartMusicOnHold, StopMusicOnHold and MusicOnHold (res/res_musiconhold.c): the class is the channel's
/// musicclass, else the requested one, else `default`; a bad duration warns and waits until the hangup;
/// music still playing at a hangup outside a bridge stops in ast_hangup's generator release
/// (main/channel.c), before the channel's Hangup.
#[test]
fn music_on_hold_apps() {
    let conf = "\
[t]
exten => s,1,StartMusicOnHold(jazz)
 same => n,Wait(1)
 same => n,StopMusicOnHold()
 same => n,StopMusicOnHold()
 same => n,Set(CHANNEL(musicclass)=mine)
 same => n,MusicOnHold(jazz,2)
 same => n,StartMusicOnHold()
 same => n,Hangup()
";
    let events = run_conf(conf, "t", "s", outside_caller());
    let text = console(&events);
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.split_once("] ").map_or(l, |(_, r)| r).trim_start())
        .filter(|l| l.contains("music on hold") || l.contains("MusicOnHold"))
        .collect();
    assert_eq!(
        lines,
        [
            "-- Executing [s@t:1] StartMusicOnHold(\"PJSIP/outside-00000000\", \"jazz\") in new stack",
            "-- Started music on hold, class 'jazz', on channel 'PJSIP/outside-00000000'",
            "-- Executing [s@t:3] StopMusicOnHold(\"PJSIP/outside-00000000\", \"\") in new stack",
            "-- Stopped music on hold on PJSIP/outside-00000000",
            "-- Executing [s@t:4] StopMusicOnHold(\"PJSIP/outside-00000000\", \"\") in new stack",
            "-- Executing [s@t:6] MusicOnHold(\"PJSIP/outside-00000000\", \"jazz,2\") in new stack",
            "-- Started music on hold, class 'mine', on channel 'PJSIP/outside-00000000'",
            "-- Stopped music on hold on PJSIP/outside-00000000",
            "-- Executing [s@t:7] StartMusicOnHold(\"PJSIP/outside-00000000\", \"\") in new stack",
            "-- Started music on hold, class 'mine', on channel 'PJSIP/outside-00000000'",
            "-- Stopped music on hold on PJSIP/outside-00000000",
        ]
    );
    let moh: Vec<(u128, String)> = events
        .iter()
        .filter_map(|e| e.fields().map(|f| (e.time.as_millis(), f.name.to_string())))
        .filter(|(_, n)| n.starts_with("MusicOnHold") || n == "Hangup")
        .collect();
    let moh: Vec<(u128, &str)> = moh.iter().map(|(t, n)| (*t, n.as_str())).collect();
    assert_eq!(
        moh,
        [
            (0, "MusicOnHoldStart"),
            (1000, "MusicOnHoldStop"),
            (1000, "MusicOnHoldStart"),
            (3000, "MusicOnHoldStop"),
            (3000, "MusicOnHoldStart"),
            (3000, "MusicOnHoldStop"),
            (3000, "Hangup"),
        ]
    );
}

/// Incomplete (main/pbx_builtins.c pbx_builtin_incomplete) answers and returns AST_PBX_INCOMPLETE;
/// main/pbx.c __ast_pbx_run then prints `exited INCOMPLETE` and, when a longer extension could match,
/// collects more digits after the current extension (a digit completes it; none is a timeout, `t`),
/// otherwise it is an invalid extension (`i`).
#[test]
fn incomplete_collects_more_digits() {
    let conf = "\
[t]
exten => s,1,Goto(1,1)
exten => 1,1,Incomplete()
exten => 12,1,NoOp(got ${EXTEN})
 same => n,Hangup()
exten => 9,1,Incomplete(n)
exten => t,1,NoOp(timeout)
 same => n,Goto(9,1)
exten => i,1,NoOp(invalid ${INVALID_EXTEN})
 same => n,Hangup()
";
    let pick = |events: &[Event]| -> Vec<String> {
        console(events)
            .lines()
            .map(|l| {
                l.split_once("] ")
                    .map_or(l, |(_, r)| r)
                    .trim_start()
                    .to_string()
            })
            .filter(|l| {
                l.contains("INCOMPLETE") || l.contains("NoOp") || l.starts_with("-- Timeout")
            })
            .collect()
    };
    let name = "PJSIP/outside-00000000";
    assert_eq!(
        pick(&run_conf(conf, "t", "s", keys(1000, "2"))),
        [
            format!("== Spawn extension (t, 1, 1) exited INCOMPLETE on '{name}'"),
            format!("-- Executing [12@t:1] NoOp(\"{name}\", \"got 12\") in new stack"),
        ]
    );
    assert_eq!(
        pick(&run_conf(conf, "t", "s", outside_caller())),
        [
            format!("== Spawn extension (t, 1, 1) exited INCOMPLETE on '{name}'"),
            format!("-- Timeout on {name}"),
            format!("-- Executing [t@t:1] NoOp(\"{name}\", \"timeout\") in new stack"),
            format!("== Spawn extension (t, 9, 1) exited INCOMPLETE on '{name}'"),
            format!("-- Executing [i@t:1] NoOp(\"{name}\", \"invalid 9\") in new stack"),
        ]
    );
}

/// HINT (funcs/func_devstate.c hint_read): the hint's device list, or with `n` its name, found through
/// includes and patterns as ast_get_hint finds it; context `default` when none is given; no hint is
/// empty; no extension warns.
#[test]
fn hint_function() {
    let conf = "\
[t]
include => other
exten => s,1,NoOp(${HINT(100@t)}|${HINT(100@t,n)}|${HINT(250@t)}|${HINT(250@t,n)}|${HINT(100)}|${HINT(7@default)})
 same => n,NoOp(${HINT()})
exten => 100,hint,PJSIP/alice&PJSIP/bob
[other]
exten => _2XX,hint,Custom:x(Name)
[default]
exten => 7,hint,park:701@parkedcalls
";
    assert_eq!(
        noops(&run_conf(conf, "t", "s", outside_caller())),
        [
            "PJSIP/alice&PJSIP/bob||Custom:x|Name||park:701@parkedcalls",
            "WARNING: func_devstate.c: The HINT function requires an extension",
            "",
        ]
    );
}
