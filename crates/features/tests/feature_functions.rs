//! `FEATURE()` and `FEATUREMAP()` in a running engine: reads of the loaded configuration, per-channel
//! writes, Asterisk's warnings, and a `FEATUREMAP(parkcall)` override changing the code the channel's
//! bridge hooks match.

use dialplan::conf::{self, MemorySource};
use dialplan::engine::{
    BridgeId, ChannelId, Engine, EngineConfig, Event, EventBody, FeatureAction, FeatureOutcome,
    Interest, LocalBoxFuture, Party, PhoneAction, PhoneActionKind, PhoneSpec, Recorder,
};
use dialplan::model::{load_extensions, Dialplan};
use dialplan::source::SourceMap;
use features::config::BuiltinFeature;
use features::FeaturesModule;
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

const EXTENSIONS: &str = "\
[in]
exten => read,1,NoOp(${FEATURE(featuredigittimeout)} ${FEATURE(transferdigittimeout)} ${FEATUREMAP(parkcall)} ${FEATUREMAP(blindxfer)} ${FEATURE(inherit)})
 same => n,Set(FEATURE(featuredigittimeout)=2500)
 same => n,Set(FEATUREMAP(blindxfer)=*1)
 same => n,NoOp(${FEATURE(featuredigittimeout)} ${FEATUREMAP(blindxfer)})
 same => n,NoOp(${FEATURE(parkinglot)}|${FEATUREMAP(automon)})
 same => n,Set(FEATURE(transferdigittimeout)=soon)
 same => n,NoOp(${FEATURE(transferdigittimeout)})
exten => park,1,Set(FEATUREMAP(parkcall)=*5)
 same => n,Dial(Local/bob@callee/n,,K)
exten => noover,1,Dial(Local/bob@callee/n,,K)

[callee]
exten => bob,1,Answer()
 same => n,Wait(30)
";

const FEATURES: &str = "[general]\ntransferdigittimeout => 7\n[featuremap]\nparkcall => #72\n";

struct RecordPark;

impl FeatureAction for RecordPark {
    fn name(&self) -> &str {
        "parkcall"
    }

    fn run(
        &self,
        engine: Engine,
        _bridge: BridgeId,
        chan: ChannelId,
    ) -> LocalBoxFuture<FeatureOutcome> {
        Box::pin(async move {
            let name = engine
                .chan_name(chan)
                .map(|n| n.to_string())
                .unwrap_or_default();
            engine.dialsim("DialsimTestPark", |f| {
                f.push("Channel", name);
            });
            FeatureOutcome::Stay
        })
    }
}

fn run(exten: &str, keys: &str) -> Vec<Event> {
    let files = MemorySource::new()
        .with("extensions.conf", EXTENSIONS)
        .with("features.conf", FEATURES);
    let mut sources = SourceMap::new();
    let ext = conf::load(&mut sources, &files, Path::new("extensions.conf"));
    let mut dp = Dialplan::new();
    let diags = load_extensions(&mut dp, ext.file.as_ref().expect("parses"), &sources);
    assert!(diags.is_empty(), "{diags:?}");
    let feat = conf::load(&mut sources, &files, Path::new("features.conf"));
    let module = FeaturesModule::new(features::load(&feat, &sources).config);
    module.register_action(BuiltinFeature::ParkCall, Rc::new(RecordPark));
    let engine = Engine::new(EngineConfig::default(), Box::new(dp));
    let (rec, events) = Recorder::new(Interest::all());
    engine.subscribe(Box::new(rec));
    assert!(engine.load_module(&module));
    let spec = PhoneSpec {
        callerid: Some(Party::parse("\"Outside\" <5550100>")),
        media: false,
        actions: vec![PhoneAction {
            after: Duration::from_secs(1),
            kind: PhoneActionKind::Dtmf(keys.to_string()),
        }],
        ..PhoneSpec::default()
    };
    let e = engine.clone();
    let exten = exten.to_string();
    engine
        .block_on(async move {
            let ch = e.new_phone_channel("PJSIP", "outside", spec, "in", &exten);
            e.spawn_pbx(ch);
            e.run_until(Duration::from_secs(60)).await;
        })
        .expect("runtime");
    let out = events.borrow().clone();
    out
}

/// NoOp arguments and WARNING lines, in order.
fn lines(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Log(l) => {
                let text = l.console();
                if let Some(i) = text.find("NoOp(\"") {
                    let rest = &text[i..];
                    let args = rest.split_once("\", \"")?.1;
                    Some(args.strip_suffix("\") in new stack")?.to_string())
                } else if text.starts_with("WARNING") {
                    Some(text)
                } else {
                    None
                }
            }
            _ => None,
        })
        .collect()
}

fn parked(events: &[Event]) -> bool {
    events
        .iter()
        .any(|e| matches!(&e.body, EventBody::Dialsim(f) if f.name == "DialsimTestPark"))
}

#[test]
fn reads_and_writes() {
    assert_eq!(
        lines(&run("read", "")),
        [
            "1000 7 #72 # no",
            "2500 *1",
            "WARNING: features_config.c: Invalid argument 'parkinglot' to FEATURE()",
            "WARNING: features_config.c: Invalid argument 'automon' to FEATUREMAP()",
            "|",
            "WARNING: features_config.c: Invalid argument 'transferdigittimeout' to FEATURE()",
            "7",
        ]
    );
}

#[test]
fn featuremap_override_changes_the_hook_code() {
    assert!(parked(&run("park", "*5")), "*5 parks with the override");
    assert!(
        !parked(&run("park", "#72")),
        "the configured code no longer parks"
    );
    assert!(
        parked(&run("noover", "#72")),
        "other channels keep the configured code"
    );
}
