//! The scenario's devices as the engine's [`DeviceProvider`]: what dialling `TECH/name` reaches.
//!
//! - An **emulated** device (`emulate = "alice@parking-example"`) is rewritten, before anything else happens,
//!   to `Local/alice@parking-example/n`: Dial then behaves in every visible respect as if that had been
//!   written (the `Called` line, `DialBegin`'s `DialString`, the channel names, the parker's dial string), and
//!   the trace says that the rewrite happened. A real PBX would ring a real phone there; `docs/divergences.md`
//!   lists this.
//! - A **phone** gets a channel `TECH/name-NNNNNNNN` and behaves as its [`PhoneSpec`] says; `unavailable`
//!   fails the request the way chan_pjsip fails an endpoint that has no reachable contact.
//! - A device the scenario does not declare is unreachable (CHANUNAVAIL) with a diagnostic naming it; for
//!   PJSIP, Asterisk's own "endpoint was not found" line is logged.

use super::{DeviceActionKind, DeviceKind, Phone, Scenario, When};
use dialplan::diag::{LogLevel, LogLine};
use dialplan::engine::channel::cause;
use dialplan::engine::devstate::DeviceState;
use dialplan::engine::{
    DeviceProvider, DeviceRequest, Engine, Party, PhoneAction, PhoneActionKind, PhoneSpec, Rewrite,
};

/// The devices of one scenario.
#[derive(Clone, Debug, Default)]
pub struct ScenarioDevices {
    entries: Vec<Entry>,
}

#[derive(Clone, Debug)]
struct Entry {
    tech: String,
    resource: String,
    callerid: Option<Party>,
    kind: DeviceKind,
}

impl ScenarioDevices {
    pub fn new(scenario: &Scenario) -> ScenarioDevices {
        ScenarioDevices {
            entries: scenario
                .devices
                .iter()
                .map(|d| Entry {
                    tech: d.tech.clone(),
                    resource: d.resource.clone(),
                    callerid: d.callerid.clone(),
                    kind: d.kind.clone(),
                })
                .collect(),
        }
    }

    fn find(&self, tech: &str, resource: &str) -> Option<&Entry> {
        // Dial passes the resource up to its first `/` (`PJSIP/alice/sip:…` reaches endpoint alice).
        let endpoint = resource.split('/').next().unwrap_or(resource);
        self.entries
            .iter()
            .find(|e| e.tech.eq_ignore_ascii_case(tech) && e.resource == endpoint)
    }

    /// The phone behaviour of the device `TECH/resource` when it places a call: its declared behaviour, or
    /// a plain phone (media on, nothing scheduled) when it is not declared or is emulated.
    pub fn calling_spec(&self, tech: &str, resource: &str, callerid: Option<Party>) -> PhoneSpec {
        let entry = self.find(tech, resource);
        let mut spec = match entry.map(|e| &e.kind) {
            Some(DeviceKind::Phone(p)) => phone_spec(p),
            _ => phone_spec(&Phone::default()),
        };
        spec.callerid = callerid.or_else(|| entry.and_then(|e| e.callerid.clone()));
        spec
    }
}

/// A phone's behaviour in the engine's terms; `at` actions and `dial` actions are the runner's.
pub fn phone_spec(p: &Phone) -> PhoneSpec {
    let actions = p
        .actions
        .iter()
        .filter_map(|a| match (&a.when, &a.what) {
            (When::After(after), DeviceActionKind::Dtmf(digits)) => Some(PhoneAction {
                after: *after,
                kind: PhoneActionKind::Dtmf(digits.clone()),
            }),
            _ => None,
        })
        .collect();
    PhoneSpec {
        callerid: None,
        answer_after: p.answer_after,
        busy: p.busy,
        hangup_after: p.hangup_after,
        media: p.media,
        actions,
    }
}

impl DeviceProvider for ScenarioDevices {
    fn rewrite(&self, _engine: &Engine, tech: &str, resource: &str) -> Option<Rewrite> {
        let entry = self.find(tech, resource)?;
        let DeviceKind::Emulated { exten, context } = &entry.kind else {
            return None;
        };
        Some(Rewrite {
            tech: "Local".to_string(),
            resource: format!("{exten}@{context}/n"),
            note: Some(format!(
                "the scenario says the person at {}/{} is the extension {exten}@{context} (emulate); \
                 a real PBX would ring a phone there",
                entry.tech, entry.resource
            )),
        })
    }

    fn device_state(&self, engine: &Engine, tech: &str, resource: &str) -> Option<DeviceState> {
        self.endpoint_state(engine, tech, resource)
    }

    fn request(&self, _engine: &Engine, tech: &str, resource: &str) -> DeviceRequest {
        let endpoint = resource.split('/').next().unwrap_or(resource);
        let Some(entry) = self.find(tech, resource) else {
            return undeclared(tech, endpoint);
        };
        match &entry.kind {
            DeviceKind::Phone(p) if p.unavailable => unavailable(tech, endpoint),
            DeviceKind::Phone(p) => {
                let mut spec = phone_spec(p);
                spec.callerid = entry.callerid.clone();
                DeviceRequest::Phone(spec)
            }
            // Dial rewrites an emulated device before it requests anything; a module requesting it
            // directly gets the phone the person would have.
            DeviceKind::Emulated { .. } => DeviceRequest::Phone(PhoneSpec {
                callerid: entry.callerid.clone(),
                media: true,
                ..PhoneSpec::default()
            }),
        }
    }
}

impl ScenarioDevices {
    /// chan_pjsip_devicestate: an endpoint the scenario does not declare is invalid; a declared one is
    /// unavailable when it has no reachable contact (`unavailable = true`), not in use otherwise, unless
    /// it has channels, whose aggregate state it then has. Another technology the scenario does not
    /// declare has no channel driver (invalid); a declared one is judged by its channels.
    fn endpoint_state(&self, engine: &Engine, tech: &str, resource: &str) -> Option<DeviceState> {
        let entry = self.find(tech, resource);
        if !tech.eq_ignore_ascii_case("PJSIP") {
            return match entry {
                Some(_) => None,
                None => Some(DeviceState::Invalid),
            };
        }
        let Some(entry) = entry else {
            return Some(DeviceState::Invalid);
        };
        let base = match &entry.kind {
            DeviceKind::Phone(p) if p.unavailable => DeviceState::Unavailable,
            _ => DeviceState::NotInUse,
        };
        Some(
            engine
                .channels_device_state(tech, resource)
                .filter(|s| *s != DeviceState::Invalid)
                .unwrap_or(base),
        )
    }
}

/// A device the scenario does not declare.
fn undeclared(tech: &str, endpoint: &str) -> DeviceRequest {
    let explain = Some(format!(
        "'{tech}/{endpoint}' is not declared in the scenario, so nothing answers there: the dial fails as \
         CHANUNAVAIL; declare it under [devices.\"{tech}/{endpoint}\"] (a phone, or emulate = \"EXTEN@CONTEXT\")"
    ));
    if tech.eq_ignore_ascii_case("PJSIP") {
        DeviceRequest::Unavailable {
            cause: cause::NO_ROUTE_DESTINATION,
            log: vec![LogLine::new(
                LogLevel::Error,
                "chan_pjsip.c",
                format!("Unable to create PJSIP channel - endpoint '{endpoint}' was not found"),
            )],
            explain,
        }
    } else {
        DeviceRequest::Unavailable {
            // AST_CAUSE_NOSUCHDRIVER: no channel driver of that name is loaded.
            cause: 66,
            log: vec![LogLine::new(
                LogLevel::Warning,
                "channel.c",
                format!("No channel type registered for '{tech}'"),
            )],
            explain,
        }
    }
}

/// A declared device with `unavailable = true`: for PJSIP, an endpoint whose AOR has no reachable contact.
fn unavailable(tech: &str, endpoint: &str) -> DeviceRequest {
    let log = if tech.eq_ignore_ascii_case("PJSIP") {
        vec![
            LogLine::new(
                LogLevel::Error,
                "res_pjsip.c",
                format!(
                    "Endpoint '{endpoint}': Could not create dialog to invalid URI '{endpoint}'.  Is endpoint registered and reachable?"
                ),
            ),
            LogLine::new(
                LogLevel::Error,
                "chan_pjsip.c",
                format!("Failed to create outgoing session to endpoint '{endpoint}'"),
            ),
        ]
    } else {
        Vec::new()
    };
    DeviceRequest::Unavailable {
        cause: cause::NO_ROUTE_DESTINATION,
        log,
        explain: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;
    use dialplan::engine::{EngineConfig, TablePlan};

    fn devices(toml: &str) -> (ScenarioDevices, Engine) {
        let s = parse("t.toml", toml).unwrap();
        (
            ScenarioDevices::new(&s),
            Engine::new(EngineConfig::default(), Box::new(TablePlan::new())),
        )
    }

    #[test]
    fn emulated_devices_are_rewritten_to_local_n() {
        let (d, e) = devices("[devices.\"PJSIP/alice\"]\nemulate = \"alice@parking-example\"\n");
        let rw = d.rewrite(&e, "pjsip", "alice").unwrap();
        assert_eq!(rw.tech, "Local");
        assert_eq!(rw.resource, "alice@parking-example/n");
        assert!(d.rewrite(&e, "PJSIP", "bob").is_none());
    }

    #[test]
    fn phones_and_unreachable_devices() {
        let (d, e) = devices(
            "[devices.\"PJSIP/bob\"]\nanswer_after = \"3s\"\ncallerid = '\"Bob\" <2001>'\n\
             [devices.\"PJSIP/carol\"]\nunavailable = true\n",
        );
        match d.request(&e, "PJSIP", "bob") {
            DeviceRequest::Phone(spec) => {
                assert_eq!(spec.answer_after, Some(std::time::Duration::from_secs(3)));
                assert_eq!(spec.callerid, Some(Party::parse("\"Bob\" <2001>")));
            }
            other => panic!("{other:?}"),
        }
        match d.request(&e, "PJSIP", "carol") {
            DeviceRequest::Unavailable {
                cause,
                log,
                explain,
            } => {
                assert_eq!(cause, 3);
                assert_eq!(log.len(), 2);
                assert!(explain.is_none());
            }
            other => panic!("{other:?}"),
        }
        match d.request(&e, "PJSIP", "dave") {
            DeviceRequest::Unavailable { log, explain, .. } => {
                assert_eq!(
                    log[0].text,
                    "Unable to create PJSIP channel - endpoint 'dave' was not found"
                );
                assert!(explain.unwrap().contains("'PJSIP/dave' is not declared"));
            }
            other => panic!("{other:?}"),
        }
    }

    /// channels/chan_pjsip.c chan_pjsip_devicestate: no endpoint is INVALID, an offline one (no reachable
    /// contact) UNAVAILABLE, an online one without channels NOT_INUSE; main/devicestate.c
    /// _ast_device_state: a technology without a loaded driver is INVALID.
    #[test]
    fn endpoint_device_states() {
        let (d, e) = devices(
            "[devices.\"PJSIP/bob\"]\nanswer_after = \"3s\"\n\
             [devices.\"PJSIP/carol\"]\nunavailable = true\n",
        );
        e.set_device_provider(std::rc::Rc::new(d));
        let states: Vec<&str> = ["PJSIP/bob", "pjsip/carol", "PJSIP/dave", "SIP/bob"]
            .iter()
            .map(|dev| e.device_state(dev).as_str())
            .collect();
        assert_eq!(states, ["NOT_INUSE", "UNAVAILABLE", "INVALID", "INVALID"]);
    }
}
