//! dialsim's explanations of what the scenario's own modelling causes at run time (the engine and the
//! modules explain Asterisk's behaviour; this explains the emulation's).
//!
//! An emulated device is an extension playing the person at a phone. When a parked call times out with
//! `comebacktoorigin=yes`, res_parking dials the parker back from `park-dial` — and the parker of an
//! emulated device is its Local channel, so the extension answers at once and replays its whole script,
//! where a real phone would ring (and perhaps never be answered). [`ComebackWatch`] wraps `Dial` to say so
//! at the moment it happens.

use super::runner::codes::EMULATED_COMEBACK;
use super::{DeviceKind, Scenario};
use dialplan::engine::{App, ChannelId, Engine, Exec};
use std::rc::Rc;

/// `Dial`, watched: a comeback call to an emulated device's extension is explained before it runs.
pub struct ComebackWatch {
    inner: Rc<dyn App>,
    /// (`exten@context`, device name) of every emulated device.
    emulated: Vec<(String, String)>,
}

impl ComebackWatch {
    /// Wraps the engine's `Dial` when the scenario emulates any device.
    pub fn install(engine: &Engine, scenario: &Scenario) {
        let emulated: Vec<(String, String)> = scenario
            .devices
            .iter()
            .filter_map(|d| match &d.kind {
                DeviceKind::Emulated { exten, context } => {
                    Some((format!("{exten}@{context}"), d.name.clone()))
                }
                DeviceKind::Phone(_) => None,
            })
            .collect();
        if emulated.is_empty() {
            return;
        }
        if let Some(inner) = engine.find_app("Dial") {
            engine.register_app(Rc::new(ComebackWatch { inner, emulated }));
        }
    }

    fn check(&self, engine: &Engine, chan: ChannelId, args: &str) {
        let in_park_dial = engine
            .with_chan(chan, |c| c.context == parking_dial_context())
            .unwrap_or(false);
        if !in_park_dial {
            return;
        }
        let targets = args.split(',').next().unwrap_or_default();
        for item in targets.split('&') {
            let Some(rest) = item.trim().strip_prefix("Local/") else {
                continue;
            };
            let dest = rest.split('/').next().unwrap_or(rest);
            if let Some((target, device)) = self.emulated.iter().find(|(t, _)| t == dest) {
                engine.explain(
                    EMULATED_COMEBACK,
                    Some(chan),
                    &format!(
                        "the parked call timed out and comes back to its parker, 'Local/{target}': that is the \
                         extension emulating {device}, so it answers at once and replays its whole script"
                    ),
                    Some(&format!(
                        "this is the emulation, not Asterisk: a real {device} would ring for comebackdialtime \
                         seconds and, if nobody answered, Dial would return NOANSWER and the call would end \
                         ('Auto fallthrough, channel ... status is 'NOANSWER'')"
                    )),
                );
            }
        }
    }
}

/// The context res_parking's comeback extensions live in.
fn parking_dial_context() -> &'static str {
    "park-dial"
}

impl App for ComebackWatch {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, args: &str) -> Exec {
        self.check(engine, chan, args);
        self.inner.exec(engine, chan, args)
    }
}
