//! What the features module's engine tests share: a stand-in parkcall handler and one call from a phone
//! that presses keys into a dialplan given as text.

use dialplan::conf::{self, MemorySource};
use dialplan::engine::{
    BridgeId, ChannelId, Engine, EngineConfig, Event, FeatureAction, FeatureOutcome, Interest,
    LocalBoxFuture, Party, PhoneAction, PhoneActionKind, PhoneSpec, Recorder,
};
use dialplan::model::{load_extensions, Dialplan};
use dialplan::source::SourceMap;
use features::config::BuiltinFeature;
use features::FeaturesModule;
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

/// A stand-in for res_parking's parkcall handler: records that it ran (`DialsimTestPark`).
pub struct RecordPark;

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

/// Whether a parking provider registers parkcall.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Parking {
    Loaded,
    Missing,
}

/// Runs one call for 60 s of virtual time from `PJSIP/outside` to `exten@in` of `extensions_conf`; the phone
/// presses `keys` 1 s after it is up. Returns every event.
pub fn run_call(
    extensions_conf: &str,
    features_conf: &str,
    exten: &str,
    keys: &str,
    parking: Parking,
) -> Vec<Event> {
    let files = MemorySource::new()
        .with("extensions.conf", extensions_conf)
        .with("features.conf", features_conf);
    let mut sources = SourceMap::new();
    let ext = conf::load(&mut sources, &files, Path::new("extensions.conf"));
    let mut dp = Dialplan::new();
    let diags = load_extensions(&mut dp, ext.file.as_ref().expect("parses"), &sources);
    assert!(diags.is_empty(), "{diags:?}");
    let feat = conf::load(&mut sources, &files, Path::new("features.conf"));
    let module = FeaturesModule::new(features::load(&feat, &sources).config);
    if parking == Parking::Loaded {
        module.register_action(BuiltinFeature::ParkCall, Rc::new(RecordPark));
    }
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
