//! The walk's shortcut for repeated texts ([`super::repeat`]) against checking every priority: on
//! dialplans drawn from a small pool of texts — so most texts repeat, in many places — both must give the
//! same diagnostics in the same order.

use super::check_with;
use super::walk::Repeats;
use crate::config::LoadedConfig;
use dialplan::conf::MemorySource;
use proptest::prelude::*;

/// Priority texts: quiet ones, ones that report something, ones that read or set variables, jump
/// (relatively, to a label, to other contexts, to nowhere), stop, grant or set parking features.
const TEXTS: &[&str] = &[
    "Hangup()",
    "Wait(1)",
    "Playback(hello-world)",
    "NoOp(${EXTEN} in ${CONTEXT})",
    "NoOp(${UNSET_VAR})",
    "NoOp(${A} and ${B})",
    "Set(A=1)",
    "Set(B=${A})",
    "NoOp(${PARKINGSLOT})",
    "NoOp(${NOSUCHFUNC(x)})",
    "NoOp(${LEN(x)})",
    "NoOpp(typo)",
    "Answer(1,2,3)",
    "GotoIf($[${A} = 1]?done)",
    "GotoIf($[${A} = 1]?done:missing)",
    "GotoIf($[${A} = 1]?2:3)",
    "Goto(done)",
    "Goto(ctx1,100,1)",
    "Goto(nowhere,1,1)",
    "Goto(ctx2,s,done)",
    "ExecIf($[${A} = 1]?Goto(ctx0,200,1))",
    "Dial(PJSIP/alice,20,tT)",
    "Dial(PJSIP/bob,20,tT)",
    "Dial(PJSIP/bob,20,k)",
    "Dial(PJSIP/carol,20,Zq)",
    "Dial(Local/100@ctx0/n,20,tT)",
    "Dial(Local/100@missing/n,20,tT)",
    "Dial(PJSIP/dave,,g)",
    "Dial(bogus,20,tT)",
    "Dial(PJSIP/erin&bogus,20,k)",
    "Set(BRIDGE_FEATURES=K)",
    "Park(default,t(30))",
    "Park(nolot)",
    "Gosub(sub,s,1)",
    "Gosub(s,1)",
    "Return()",
    "Set(CHANNEL(hangup_handler_push)=hh,s,1)",
];

const EXTENSIONS: &[&str] = &["100", "200", "s", "_X.", "_1XX"];

/// One extension: its name, then each priority's text and whether it is labelled `done`.
type Ext = (usize, Vec<(usize, bool)>);

fn extensions_conf(contexts: &[(Vec<usize>, Vec<Ext>)]) -> String {
    let mut conf = String::from("[globals]\nG=1\n\n");
    let names = ["ctx0", "ctx1", "ctx2", "sub", "hh"];
    for (name, (includes, exts)) in names.iter().zip(contexts) {
        conf.push_str(&format!("[{name}]\n"));
        for &i in includes {
            conf.push_str(&format!("include => {}\n", names[i % names.len()]));
        }
        for (ext, prios) in exts {
            conf.push_str(&format!("exten => {},1,Answer()\n", EXTENSIONS[*ext]));
            for &(text, label) in prios {
                let label = if label { "(done)" } else { "" };
                conf.push_str(&format!(" same => n{label},{}\n", TEXTS[text]));
            }
        }
        conf.push('\n');
    }
    conf
}

fn dialplans() -> impl Strategy<Value = Vec<(Vec<usize>, Vec<Ext>)>> {
    let prio = (0..TEXTS.len(), proptest::bool::weighted(0.15));
    let ext = (0..EXTENSIONS.len(), proptest::collection::vec(prio, 0..8));
    let context = (
        proptest::collection::vec(0..5usize, 0..2),
        proptest::collection::vec(ext, 0..5),
    );
    proptest::collection::vec(context, 5)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn skipping_repeated_texts_changes_no_diagnostic(contexts in dialplans()) {
        let files = MemorySource::new()
            .with("extensions.conf", &extensions_conf(&contexts))
            .with("features.conf", "[featuremap]\nparkcall => #72\n")
            .with("res_parking.conf", "[general]\n\n[default]\nparkext => 700\nparkpos => 701-720\n");
        let config = LoadedConfig::load(&files);
        let each = format!("{:#?}", check_with(&config, Repeats::CheckEach));
        let skip = format!("{:#?}", check_with(&config, Repeats::Skip));
        prop_assert_eq!(skip, each);
    }
}
