//! Shared helpers of the parking run-time tests: an engine built from configuration text through the real
//! loaders (`conf::load`, `parking::load` + `register_extensions`, `model::load_extensions`,
//! `features::load`), with the features and parking modules loaded, scenario-like phones, a run on the
//! virtual clock, and renderings of what happened.
#![allow(dead_code)]

use dialplan::conf::{self, MemorySource};
use dialplan::diag::{LogLevel, LogLine};
use dialplan::engine::event::clock_text;
use dialplan::engine::{
    DeviceProvider, DeviceRequest, Engine, EngineConfig, Event, EventBody, Interest, Party,
    PhoneSpec, Recorder, Rewrite,
};
use dialplan::model::load::load_text;
use dialplan::model::Dialplan;
use dialplan::source::SourceMap;
use features::FeaturesModule;
use parking::extensions::register_extensions;
use parking::ParkingModule;
use std::cell::{Cell, RefCell};
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

/// The oracle's extensions.conf (the page's first example as its prose intends).
pub const ORACLE_EXTENSIONS: &str = include_str!("../../../testdata/oracle-extensions.conf");

pub const ORACLE_FEATURES: &str = "[general]\n\n[featuremap]\nparkcall => #72\n";

pub const ORACLE_RES_PARKING: &str = include_str!("../../../testdata/oracle-res_parking.conf");

/// An engine with res_parking and the features module loaded (or not).
pub struct Sim {
    pub engine: Engine,
    pub features: FeaturesModule,
    pub parking: Option<ParkingModule>,
    pub events: Rc<RefCell<Vec<Event>>>,
}

/// Builds the engine from configuration text. `res_parking: None` means no res_parking.conf (the module
/// declines, as it does in Asterisk).
pub fn build(extensions: &str, features_conf: &str, res_parking: Option<&str>) -> Sim {
    let mut files = MemorySource::new().with("features.conf", features_conf);
    if let Some(text) = res_parking {
        files = files.with("res_parking.conf", text);
    }
    let mut sources = SourceMap::new();
    let mut dp = Dialplan::new();

    let parking_conf = conf::load(&mut sources, &files, Path::new("res_parking.conf"));
    let mut parking_cfg = parking::load(&parking_conf, &sources).config;
    if let Some(cfg) = &parking_cfg {
        if register_extensions(cfg, &mut dp).is_err() {
            parking_cfg = None;
        }
    }

    let diags = load_text(&mut dp, &mut sources, &[("extensions.conf", extensions)])
        .expect("extensions.conf parses")
        .diagnostics;
    assert!(
        diags
            .iter()
            .all(|d| d.severity != dialplan::diag::Severity::Error),
        "{diags:?}"
    );

    let feat = conf::load(&mut sources, &files, Path::new("features.conf"));
    let features = FeaturesModule::new(features::load(&feat, &sources).config);

    let engine = Engine::new(EngineConfig::default(), Box::new(dp));
    let (rec, events) = Recorder::new(Interest::all());
    engine.subscribe(Box::new(rec));
    assert!(engine.load_module(&features));
    let parking = parking_cfg.map(|cfg| ParkingModule::new(cfg, Some(features.clone())));
    if let Some(p) = &parking {
        assert!(engine.load_module(p));
    }
    Sim {
        engine,
        features,
        parking,
        events,
    }
}

/// The oracle's three files.
pub fn oracle() -> Sim {
    build(ORACLE_EXTENSIONS, ORACLE_FEATURES, Some(ORACLE_RES_PARKING))
}

/// A phone without media (like the oracle's Local caller), with caller id `"Outside Caller" <5550100>`.
/// A phone calling as `"name" <name>`, sending no media.
pub fn phone(name: &str) -> PhoneSpec {
    PhoneSpec {
        callerid: Some(Party::parse(&format!("\"{name}\" <{name}>"))),
        media: false,
        ..PhoneSpec::default()
    }
}

pub fn outside_caller() -> PhoneSpec {
    PhoneSpec {
        callerid: Some(Party::parse("\"Outside Caller\" <5550100>")),
        media: false,
        ..PhoneSpec::default()
    }
}

/// Test devices: each `tech/resource` has a list of specs handed out one per request (the last one
/// repeats), and some are emulated by a Local channel.
#[derive(Default)]
pub struct Devices {
    pub phones: Vec<(String, Vec<PhoneSpec>)>,
    pub emulated: Vec<(String, String)>,
    requests: Cell<usize>,
}

impl Devices {
    pub fn phone(mut self, name: &str, specs: Vec<PhoneSpec>) -> Self {
        self.phones.push((name.to_string(), specs));
        self
    }

    pub fn emulate(mut self, name: &str, exten_at_context: &str) -> Self {
        self.emulated
            .push((name.to_string(), exten_at_context.to_string()));
        self
    }
}

impl DeviceProvider for Devices {
    fn rewrite(&self, _engine: &Engine, tech: &str, resource: &str) -> Option<Rewrite> {
        let key = format!("{tech}/{resource}");
        self.emulated
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, to)| Rewrite {
                tech: "Local".into(),
                resource: format!("{to}/n"),
                note: Some(format!("the test emulates {key} by {to}")),
            })
    }

    fn request(&self, _engine: &Engine, tech: &str, resource: &str) -> DeviceRequest {
        let key = format!("{tech}/{resource}");
        match self.phones.iter().find(|(k, _)| *k == key) {
            Some((_, specs)) if !specs.is_empty() => {
                let n = self.requests.get();
                self.requests.set(n + 1);
                DeviceRequest::Phone(specs[n.min(specs.len() - 1)].clone())
            }
            _ => DeviceRequest::Unavailable {
                cause: 3,
                log: vec![LogLine::new(
                    LogLevel::Error,
                    "chan_pjsip.c",
                    format!("Unable to create PJSIP channel - endpoint '{resource}' was not found"),
                )],
                explain: Some(format!("device '{key}' is not declared")),
            },
        }
    }
}

/// One call placed by a phone into the dialplan.
#[derive(Clone)]
pub struct Call {
    pub at: Duration,
    pub resource: String,
    pub spec: PhoneSpec,
    pub context: String,
    pub exten: String,
    pub vars: Vec<(String, String)>,
}

impl Call {
    pub fn new(at_ms: u64, resource: &str, spec: PhoneSpec, exten: &str, context: &str) -> Call {
        Call {
            at: Duration::from_millis(at_ms),
            resource: resource.to_string(),
            spec,
            context: context.to_string(),
            exten: exten.to_string(),
            vars: Vec::new(),
        }
    }

    pub fn var(mut self, name: &str, value: &str) -> Call {
        self.vars.push((name.to_string(), value.to_string()));
        self
    }

    /// Places the call at its time: a task that waits for it, makes the phone's channel and starts its PBX.
    pub fn spawn(self, engine: &Engine) {
        let e = engine.clone();
        engine.spawn_local(async move {
            e.sleep_until(self.at).await;
            let ch = e.new_phone_channel(
                "PJSIP",
                &self.resource,
                self.spec,
                &self.context,
                &self.exten,
            );
            for (n, v) in &self.vars {
                e.set_var(ch, n, Some(v));
            }
            e.spawn_pbx(ch);
        });
    }
}

/// What a run produced.
pub struct Run {
    pub events: Vec<Event>,
    /// (time, command, output) of each CLI action.
    pub cli: Vec<(Duration, String, String)>,
}

impl Sim {
    pub fn devices(&self, devices: Devices) {
        self.engine.set_device_provider(Rc::new(devices));
    }

    /// Runs the calls (and CLI commands at their times) on the virtual clock until no channel is left or
    /// `until` passes.
    pub fn run(&self, calls: Vec<Call>, cli: Vec<(u64, &str)>, until: Duration) -> Run {
        let outputs: Rc<RefCell<Vec<(Duration, String, String)>>> =
            Rc::new(RefCell::new(Vec::new()));
        let e = self.engine.clone();
        let parking = self.parking.clone();
        let cli: Vec<(Duration, String)> = cli
            .into_iter()
            .map(|(ms, c)| (Duration::from_millis(ms), c.to_string()))
            .collect();
        let out2 = outputs.clone();
        let last_start = calls
            .iter()
            .map(|c| c.at)
            .chain(cli.iter().map(|(t, _)| *t))
            .max()
            .unwrap_or_default()
            .min(until);
        self.engine
            .block_on(async move {
                for call in calls {
                    call.spawn(&e);
                }
                for (at, command) in cli {
                    let (e2, p, out) = (e.clone(), parking.clone(), out2.clone());
                    e.spawn_local(async move {
                        e2.sleep_until(at).await;
                        let text = p
                            .as_ref()
                            .and_then(|p| p.cli(&e2, &command))
                            .unwrap_or_else(|| parking::show::parking_show_unavailable(&command));
                        out.borrow_mut().push((e2.now(), command, text));
                    });
                }
                // Everything scheduled starts before the run waits for the channels to go.
                e.sleep_until(last_start).await;
                tokio::task::yield_now().await;
                e.run_until(until).await;
            })
            .expect("runtime");
        let events = self.events.borrow().clone();
        let cli = outputs.borrow().clone();
        Run { events, cli }
    }
}

/// Log lines as the console shows them, with the virtual time.
pub fn console(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        if let EventBody::Log(l) = &e.body {
            s.push_str(&format!("[{}] {}\n", clock_text(e.time), l.console()));
        }
    }
    s
}

/// Every event: log lines as the console shows them; AMI and Dialsim events as `Name key=value …` for the
/// fields that tell what happened.
pub fn render(events: &[Event]) -> String {
    const KEYS: &[&str] = &[
        "Channel",
        "ParkeeChannel",
        "RetrieverChannel",
        "ParkerDialString",
        "Parkinglot",
        "ParkingSpace",
        "ParkingTimeout",
        "ParkingDuration",
        "BridgeType",
        "BridgeNumChannels",
        "Variable",
        "Value",
        "Digit",
        "DialString",
        "DialStatus",
        "Class",
        "Cause",
        "Prompt",
        "Code",
        "Message",
    ];
    let mut s = String::new();
    for e in events {
        let t = clock_text(e.time);
        match &e.body {
            EventBody::Log(l) => s.push_str(&format!("[{t}] {}\n", l.console())),
            EventBody::Ami(f) | EventBody::Dialsim(f) => {
                let mut line = format!("[{t}] {}", f.name);
                for key in KEYS {
                    if let Some(v) = f.get(key) {
                        line.push_str(&format!(" {key}={v}"));
                    }
                }
                s.push_str(&line);
                s.push('\n');
            }
        }
    }
    s
}

/// AMI event names in order (with the channel when they have one).
pub fn ami_names(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Ami(f) => Some(match f.get("Channel").or(f.get("ParkeeChannel")) {
                Some(c) => format!("{} {c}", f.name),
                None => f.name.to_string(),
            }),
            _ => None,
        })
        .collect()
}

/// The first AMI event of this name (and channel, if given).
pub fn find_ami<'a>(events: &'a [Event], name: &str, channel: Option<&str>) -> Option<&'a Event> {
    events.iter().find(|e| match &e.body {
        EventBody::Ami(f) => {
            f.name == name
                && channel.is_none_or(|c| f.get("Channel").or(f.get("ParkeeChannel")) == Some(c))
        }
        _ => false,
    })
}

/// The time of the first log line containing `text`.
pub fn log_time(events: &[Event], text: &str) -> Option<Duration> {
    events
        .iter()
        .find(|e| matches!(&e.body, EventBody::Log(l) if l.text.contains(text)))
        .map(|e| e.time)
}

/// Every `DialsimDiagnostic` code in order.
pub fn diagnostic_codes(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Dialsim(f) if f.name == "DialsimDiagnostic" => {
                f.get("Code").map(str::to_string)
            }
            _ => None,
        })
        .collect()
}

pub fn ms(t: Duration) -> u64 {
    t.as_millis() as u64
}
