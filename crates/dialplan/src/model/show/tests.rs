//! `dialplan show` snapshots (insta) and the documented real-Asterisk texts.

use super::*;
use crate::model::load::tests::parse;
use crate::model::{load_extensions, NewPriority, Replace, PRIORITY_HINT};

fn loaded(files: &[(&str, &str)]) -> (Dialplan, SourceMap) {
    let mut sources = SourceMap::new();
    let conf = parse(&mut sources, files);
    let mut dp = Dialplan::new();
    let _ = load_extensions(&mut dp, &conf, &sources);
    (dp, sources)
}

const RICH: &str = "[general]
autofallthrough=no

[globals]
TRUNK=PJSIP/trunk

[internal]
include => parkedcalls
include => after-hours,18:00-08:00,*,*,*
ignorepat => 9
switch => IAX2/box/${EXTEN}
exten => 100,hint,PJSIP/alice
 same => 1,Dial(PJSIP/alice,20)
 same => n(vm),VoiceMail(100@default)
 same => n,Hangup()
exten => 555-1212,1,NoOp(fluff)
exten => 100/5551234,1,NoOp(from the boss)
exten => _1XX,1,Dial(PJSIP/${EXTEN})
exten => _NXXXXXX,1,Dial(${TRUNK}/${EXTEN})
exten => _X.,1,Playback(invalid)
exten => _[2-4]XX!,1,NoOp()
exten => i,1,Playback(pbx-invalid)
#include more.conf

[after-hours]
autohints => yes
exten => _X.,1,VoiceMail(100@default,u)
";

const MORE: &str = "exten => h,1,NoOp(hangup)
";

#[test]
fn rich_dialplan_snapshot() {
    let (dp, sources) = loaded(&[("extensions.conf", RICH), ("more.conf", MORE)]);
    insta::assert_snapshot!(show_dialplan(&dp, &sources, None).unwrap());
}

#[test]
fn one_context_snapshot() {
    let (dp, sources) = loaded(&[("extensions.conf", RICH), ("more.conf", MORE)]);
    insta::assert_snapshot!(show_dialplan(&dp, &sources, Some("internal")).unwrap());
}

#[test]
fn extension_at_context_snapshot() {
    let (dp, sources) = loaded(&[("extensions.conf", RICH), ("more.conf", MORE)]);
    insta::assert_snapshot!(show_dialplan(&dp, &sources, Some("100@internal")).unwrap());
    insta::assert_snapshot!(
        "extension_in_all_contexts",
        show_dialplan(&dp, &sources, Some("5551234@")).unwrap()
    );
}

#[test]
fn failures_as_asterisk_prints_them() {
    let (dp, sources) = loaded(&[("extensions.conf", RICH), ("more.conf", MORE)]);
    assert_eq!(
        show_dialplan(&dp, &sources, Some("nope")).unwrap_err(),
        "There is no existence of 'nope' context\nCommand 'dialplan show nope' failed.\n"
    );
    assert_eq!(
        show_dialplan(&dp, &sources, Some("a@")).unwrap_err(),
        // Switches are listed for every context walked, matching or not, as Asterisk does.
        "  Alt. Switch =>    'IAX2/box/'                                   [pbx_config]\n\
         There is no existence of 'a' extension in all contexts\nCommand 'dialplan show a@' failed.\n"
    );
    assert_eq!(
        show_dialplan(&dp, &sources, Some("a@after-hours")).unwrap_err(),
        "There is no existence of a@after-hours extension\nCommand 'dialplan show a@after-hours' failed.\n"
    );
}

/// §1.4 of the reference: a lot with `parkinghints=yes`, as real Asterisk shows it.
#[test]
fn parking_hints_layout() {
    let mut dp = Dialplan::new();
    dp.find_or_create_context("parkedcalls", "res_parking");
    let mut add = |exten: &str, priority: i32, app: &str, data: &str, registrar: &str| {
        dp.add_extension(
            "parkedcalls",
            NewPriority {
                exten,
                callerid: None,
                priority,
                label: None,
                app,
                data,
                registrar,
                source: None,
            },
            Replace::No,
        )
        .unwrap();
    };
    add("700", 1, "Park", "", "res_parking");
    for s in 701..=709 {
        let e = s.to_string();
        add(
            &e,
            1,
            "ParkedCall",
            &format!("default,{s}"),
            "res_parking/default",
        );
        add(
            &e,
            PRIORITY_HINT,
            &format!("park:{s}@parkedcalls"),
            "",
            "res_parking/default",
        );
    }
    let shown = show_dialplan(&dp, &SourceMap::new(), None).unwrap();
    assert!(shown.contains(
        "  '701' =>          hint: park:701@parkedcalls                    [res_parking/default]
                    1. ParkedCall(default,701)                    [res_parking/default]
"
    ));
    assert!(shown.ends_with("-= 10 extensions (19 priorities) in 1 context. =-\n"));
}
