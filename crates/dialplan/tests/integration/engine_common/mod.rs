//! Helpers shared by the engine tests: run a call on the virtual clock and render what happened.
#![allow(dead_code)]

use dialplan::engine::event::clock_text;
use dialplan::engine::{
    ChannelId, Engine, EngineConfig, Event, EventBody, Interest, Party, PhoneSpec, Plan, Recorder,
};
use std::time::Duration;

/// The oracle example's dialplan (first example as the page's prose intends).
pub fn oracle_plan() -> dialplan::engine::TablePlan {
    let mut p = dialplan::engine::TablePlan::new();
    p.add(
        "parking-example",
        "alice",
        1,
        "NoOp",
        "Handles calls to alice.",
    )
    .add("parking-example", "alice", 2, "Answer", "")
    .add("parking-example", "alice", 3, "Playback", "hello-world")
    .add("parking-example", "alice", 4, "SendDTMF", "#72w")
    .add("parking-example", "alice", 5, "Goto", "parkedcalls,701,1")
    .add("parking-example", "alice", 6, "Playback", "vm-goodbye")
    .add("parking-example", "alice", 7, "Hangup", "")
    .add(
        "from-outside",
        "5555001",
        1,
        "NoOp",
        "Route to a local extension.",
    )
    .add(
        "from-outside",
        "5555001",
        2,
        "Dial",
        "Local/alice@parking-example/n,,k",
    )
    .add("from-outside", "5555001", 3, "Hangup", "");
    p.globals.push(("5001".into(), "alice".into()));
    p
}

/// A caller phone without media (like the oracle's Local caller).
pub fn outside_caller() -> PhoneSpec {
    PhoneSpec {
        callerid: Some(Party::parse("\"Outside Caller\" <5550100>")),
        media: false,
        ..PhoneSpec::default()
    }
}

/// Runs one call from `PJSIP/<from>` to `exten@context` and returns every event.
pub fn run_call(
    plan: Box<dyn Plan>,
    config: EngineConfig,
    from: &str,
    spec: PhoneSpec,
    context: &str,
    exten: &str,
) -> Vec<Event> {
    let call = Call::new(from, spec, context, exten);
    call.run(
        Engine::new(config, plan),
        Duration::from_secs(3600),
        |_, _| {},
    )
}

/// One call from a phone into the dialplan.
pub struct Call {
    from: String,
    spec: PhoneSpec,
    context: String,
    exten: String,
}

impl Call {
    pub fn new(from: &str, spec: PhoneSpec, context: &str, exten: &str) -> Call {
        Call {
            from: from.to_string(),
            spec,
            context: context.to_string(),
            exten: exten.to_string(),
        }
    }

    /// Runs the call on `engine` until `until` of virtual time, recording every event; `setup` may
    /// change the engine and schedule things before the call starts (it gets the caller).
    pub fn run(
        self,
        engine: Engine,
        until: Duration,
        setup: impl FnOnce(&Engine, ChannelId) + 'static,
    ) -> Vec<Event> {
        let (rec, events) = Recorder::new(Interest::all());
        engine.subscribe(Box::new(rec));
        let e = engine.clone();
        engine
            .block_on(async move {
                let ch =
                    e.new_phone_channel("PJSIP", &self.from, self.spec, &self.context, &self.exten);
                setup(&e, ch);
                e.spawn_pbx(ch);
                e.run_until(until).await;
            })
            .expect("runtime");
        let out = events.borrow().clone();
        out
    }
}

/// Renders events as text lines: log lines as the console shows them, AMI and Dialsim events as
/// `Name key=value …` for a few key fields.
pub fn render(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        let t = clock_text(e.time);
        match &e.body {
            EventBody::Log(l) => s.push_str(&format!("[{t}] {}\n", l.console())),
            EventBody::Ami(f) | EventBody::Dialsim(f) => {
                let mut line = format!("[{t}] {}", f.name);
                for key in [
                    "Channel",
                    "DestChannel",
                    "Variable",
                    "Value",
                    "Digit",
                    "DialStatus",
                    "BridgeNumChannels",
                    "Cause",
                    "Prompt",
                    "HeardBy",
                    "Message",
                ] {
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

/// Log lines only.
pub fn console(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        if let EventBody::Log(l) = &e.body {
            s.push_str(&format!("[{}] {}\n", clock_text(e.time), l.console()));
        }
    }
    s
}

/// The time of the first event matching `pred`.
pub fn time_of(events: &[Event], pred: impl Fn(&Event) -> bool) -> Option<Duration> {
    events.iter().find(|e| pred(e)).map(|e| e.time)
}

pub fn is_ami(e: &Event, name: &str, channel: &str) -> bool {
    matches!(&e.body, EventBody::Ami(f) if f.name == name && f.get("Channel") == Some(channel))
}

pub fn log_contains(e: &Event, text: &str) -> bool {
    matches!(&e.body, EventBody::Log(l) if l.text.contains(text))
}

/// Loads `text` as extensions.conf through the real parser and model.
pub fn plan_from_conf(text: &str) -> Box<dyn Plan> {
    let mut sources = dialplan::source::SourceMap::new();
    let mut dp = dialplan::model::Dialplan::new();
    let out = dialplan::model::load::load_text(&mut dp, &mut sources, &[("extensions.conf", text)])
        .expect("extensions.conf loads");
    assert!(
        out.diagnostics
            .iter()
            .all(|d| d.severity != dialplan::diag::Severity::Error),
        "{:?}",
        out.diagnostics
    );
    Box::new(dp)
}

/// A device provider for tests: `PJSIP/<name>` devices with fixed specs; anything else is undeclared.
pub struct Devices(pub Vec<(String, PhoneSpec)>, pub Vec<(String, String)>);

impl dialplan::engine::DeviceProvider for Devices {
    fn rewrite(
        &self,
        _engine: &Engine,
        tech: &str,
        resource: &str,
    ) -> Option<dialplan::engine::Rewrite> {
        let key = format!("{tech}/{resource}");
        self.1
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, to)| dialplan::engine::Rewrite {
                tech: "Local".into(),
                resource: format!("{to}/n"),
                note: Some(format!("the scenario emulates {key} by {to}")),
            })
    }

    fn request(
        &self,
        _engine: &Engine,
        tech: &str,
        resource: &str,
    ) -> dialplan::engine::DeviceRequest {
        let key = format!("{tech}/{resource}");
        match self.0.iter().find(|(k, _)| *k == key) {
            Some((_, spec)) => dialplan::engine::DeviceRequest::Phone(spec.clone()),
            None => dialplan::engine::DeviceRequest::Unavailable {
                cause: 3,
                log: vec![dialplan::diag::LogLine::new(
                    dialplan::diag::LogLevel::Error,
                    "chan_pjsip.c",
                    format!("Unable to create PJSIP channel - endpoint '{resource}' was not found"),
                )],
                explain: Some(format!("device '{key}' is not declared in the scenario")),
            },
        }
    }
}

/// Runs one call with a device provider.
pub fn run_with_devices(
    plan: Box<dyn Plan>,
    config: EngineConfig,
    devices: Devices,
    from: &str,
    spec: PhoneSpec,
    context: &str,
    exten: &str,
) -> Vec<Event> {
    let engine = Engine::new(config, plan);
    engine.set_device_provider(std::rc::Rc::new(devices));
    Call::new(from, spec, context, exten).run(engine, Duration::from_secs(3600), |_, _| {})
}
