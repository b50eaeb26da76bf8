//! The dialplan language on the engine: functions that need a running simulation (AstDB, dialplan look-ups,
//! the virtual clock, the seeded generator, timeouts, exceptions), Gosub/Return with `${ARGn}` and
//! `LOCAL()`, While loops and the other flow applications.

mod engine_common;
use dialplan::engine::{Engine, EngineConfig, Event, Interest, PhoneSpec, Recorder};
use engine_common::*;
use std::time::Duration;

fn run_conf(conf: &str, ctx: &str, exten: &str, spec: PhoneSpec) -> Vec<Event> {
    // 2023-11-14 22:13:20 UTC, a Tuesday.
    let engine = Engine::new(EngineConfig::default(), plan_from_conf(conf));
    let (rec, events) = Recorder::new(Interest::all());
    engine.subscribe(Box::new(rec));
    let e = engine.clone();
    let (ctx, exten) = (ctx.to_string(), exten.to_string());
    engine
        .block_on(async move {
            let ch = e.new_phone_channel("PJSIP", "outside", spec, &ctx, &exten);
            e.spawn_pbx(ch);
            e.run_until(Duration::from_secs(600)).await;
        })
        .expect("runtime");
    let out = events.borrow().clone();
    out
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
