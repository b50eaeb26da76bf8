//! Device states and extension states as the core computes them. [main/devicestate.c ·
//! _ast_device_state, ast_parse_device_state, ast_devstate_aggregate_add, ast_state_chan2dev;
//! main/extension_state.c · extension_state_update_sources, ast_devstate_to_extenstate;
//! channels/chan_pjsip.c · chan_pjsip_devicestate; main/core_local.c · local_devicestate]
//!
//! A device's state is, first, the last state published for it (`ast_devstate_changed` with a state
//! fills a cache keyed by the device's exact, case-sensitive name: parking's `park:` devices, `Custom:`
//! devices written by `DEVICE_STATE`); otherwise a `provider:data` device asks the provider registered under
//! that label (case-insensitive; none: `INVALID`), and a `TECH/resource` device asks the channel driver:
//! `Local` is answered here, other technologies by the scenario's [`DeviceProvider`]
//! ([`DeviceProvider::device_state`]; `None` means a driver without a device-state callback, which falls
//! back to the first channel named `TECH/resource-…`).
//!
//! Not modelled: the hold state of a channel (`ONHOLD`), which dialsim does not track.

use super::{ChannelState, Engine};
use std::collections::HashMap;
use std::rc::Rc;

/// `enum ast_device_state`, in Asterisk's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeviceState {
    Unknown,
    NotInUse,
    InUse,
    Busy,
    Invalid,
    Unavailable,
    Ringing,
    RingInUse,
    OnHold,
}

impl DeviceState {
    /// `ast_devstate_str`: the name `DEVICE_STATE` returns.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceState::Unknown => "UNKNOWN",
            DeviceState::NotInUse => "NOT_INUSE",
            DeviceState::InUse => "INUSE",
            DeviceState::Busy => "BUSY",
            DeviceState::Invalid => "INVALID",
            DeviceState::Unavailable => "UNAVAILABLE",
            DeviceState::Ringing => "RINGING",
            DeviceState::RingInUse => "RINGINUSE",
            DeviceState::OnHold => "ONHOLD",
        }
    }

    /// `ast_devstate_val`: a state name, case-insensitive; anything else is `Unknown`.
    pub fn parse(text: &str) -> DeviceState {
        const NAMED: [DeviceState; 8] = [
            DeviceState::NotInUse,
            DeviceState::InUse,
            DeviceState::Busy,
            DeviceState::Invalid,
            DeviceState::Unavailable,
            DeviceState::Ringing,
            DeviceState::RingInUse,
            DeviceState::OnHold,
        ];
        NAMED
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text))
            .unwrap_or(DeviceState::Unknown)
    }

    /// `ast_state_chan2dev`: the device state a channel in `state` gives its device.
    pub fn of_channel(state: ChannelState) -> DeviceState {
        match state {
            ChannelState::Down => DeviceState::NotInUse,
            ChannelState::Ringing | ChannelState::PreRing => DeviceState::Ringing,
            ChannelState::Busy => DeviceState::Busy,
            ChannelState::Reserved
            | ChannelState::OffHook
            | ChannelState::Dialing
            | ChannelState::Ring
            | ChannelState::Up
            | ChannelState::DialingOffHook => DeviceState::InUse,
        }
    }

    /// The rank `ast_devstate_aggregate_add` orders states by.
    fn rank(self) -> u8 {
        match self {
            DeviceState::Invalid => 0,
            DeviceState::Unknown => 1,
            DeviceState::Unavailable => 2,
            DeviceState::NotInUse => 3,
            DeviceState::OnHold => 4,
            DeviceState::Ringing => 5,
            DeviceState::InUse => 6,
            DeviceState::Busy => 7,
            DeviceState::RingInUse => 8,
        }
    }
}

/// `struct ast_devstate_aggregate`: the combined state of several devices (or channels).
#[derive(Clone, Copy, Debug)]
pub struct Aggregate {
    ringing: bool,
    in_use: bool,
    state: DeviceState,
}

impl Default for Aggregate {
    fn default() -> Self {
        Aggregate {
            ringing: false,
            in_use: false,
            state: DeviceState::Invalid,
        }
    }
}

impl Aggregate {
    pub fn add(&mut self, state: DeviceState) {
        match state {
            DeviceState::Ringing => self.ringing = true,
            DeviceState::InUse | DeviceState::OnHold | DeviceState::Busy => self.in_use = true,
            _ => {}
        }
        if self.ringing && self.in_use {
            self.state = DeviceState::RingInUse;
        } else if state.rank() > self.state.rank() {
            self.state = state;
        }
    }

    pub fn result(&self) -> DeviceState {
        self.state
    }
}

/// `enum ast_extension_states` as `EXTENSION_STATE` names it (`ast_extstate_str` in func_extstate.c).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtensionState {
    /// No hint (`ast_extension_state` returned -1).
    NoHint,
    NotInUse,
    InUse,
    Busy,
    Unavailable,
    Ringing,
    RingInUse,
    OnHold,
}

impl ExtensionState {
    /// `ast_devstate_to_extenstate`.
    pub fn of_device(state: DeviceState) -> ExtensionState {
        match state {
            DeviceState::OnHold => ExtensionState::OnHold,
            DeviceState::Busy => ExtensionState::Busy,
            DeviceState::Unknown | DeviceState::NotInUse => ExtensionState::NotInUse,
            DeviceState::Unavailable | DeviceState::Invalid => ExtensionState::Unavailable,
            DeviceState::RingInUse => ExtensionState::RingInUse,
            DeviceState::Ringing => ExtensionState::Ringing,
            DeviceState::InUse => ExtensionState::InUse,
        }
    }

    /// `ast_extstate_str` (func_extstate.c).
    pub fn as_str(self) -> &'static str {
        match self {
            ExtensionState::NoHint => "UNKNOWN",
            ExtensionState::NotInUse => "NOT_INUSE",
            ExtensionState::InUse => "INUSE",
            ExtensionState::Busy => "BUSY",
            ExtensionState::Unavailable => "UNAVAILABLE",
            ExtensionState::Ringing => "RINGING",
            ExtensionState::RingInUse => "RINGINUSE",
            ExtensionState::OnHold => "ONHOLD",
        }
    }
}

/// A device-state provider (`ast_devstate_prov_add`): answers `label:data` devices.
pub trait DeviceStateProvider {
    /// The state of device `label:data`, given `data`.
    fn state(&self, engine: &Engine, data: &str) -> DeviceState;
}

/// The engine's published device states and providers.
pub(crate) struct DeviceStates {
    /// Never iterated (so its order cannot show); a park and a departure each update one entry.
    cache: HashMap<String, DeviceState, crate::hash::Fx>,
    providers: Vec<(String, Rc<dyn DeviceStateProvider>)>,
}

impl Default for DeviceStates {
    /// func_devstate's `Custom` provider is there from the start (a default module).
    fn default() -> Self {
        DeviceStates {
            cache: HashMap::default(),
            providers: vec![("Custom".to_string(), Rc::new(CustomDevices))],
        }
    }
}

/// The AstDB family func_devstate keeps custom device states in.
pub const CUSTOM_FAMILY: &str = "CustomDevstate";

/// `custom_devstate_callback` (func_devstate.c): the state stored under `CustomDevstate/<name>`; none
/// stored is `UNKNOWN`.
struct CustomDevices;

impl DeviceStateProvider for CustomDevices {
    fn state(&self, engine: &Engine, data: &str) -> DeviceState {
        DeviceState::parse(engine.astdb().get(CUSTOM_FAMILY, data).unwrap_or(""))
    }
}

impl Engine {
    /// `ast_devstate_prov_add`: registers the provider of `label:…` devices (the label is matched
    /// case-insensitively).
    pub fn register_devstate_provider(&self, label: &str, provider: Rc<dyn DeviceStateProvider>) {
        let mut ds = self.inner.devstates.borrow_mut();
        ds.providers.retain(|(l, _)| !l.eq_ignore_ascii_case(label));
        ds.providers.push((label.to_string(), provider));
    }

    /// `ast_devstate_changed` with a known state, cachable: the state `device` now has.
    pub fn devstate_changed(&self, device: &str, state: DeviceState) {
        let mut states = self.inner.devstates.borrow_mut();
        // A device changes state again and again (each park and departure of its space): keep its key.
        match states.cache.get_mut(device) {
            Some(known) => *known = state,
            None => {
                states.cache.insert(device.to_string(), state);
            }
        }
    }

    /// `ast_device_state`: the device's cached state, else what its provider or channel driver says.
    pub fn device_state(&self, device: &str) -> DeviceState {
        let cached = self.inner.devstates.borrow().cache.get(device).copied();
        if let Some(state) = cached.filter(|s| *s != DeviceState::Unknown) {
            return state;
        }
        let Some((tech, resource)) = device.split_once('/') else {
            let Some((label, data)) = device.split_once(':') else {
                return DeviceState::Invalid;
            };
            let provider = self
                .inner
                .devstates
                .borrow()
                .providers
                .iter()
                .find(|(l, _)| l.eq_ignore_ascii_case(label))
                .map(|(_, p)| p.clone());
            return match provider {
                Some(p) => p.state(self, data),
                None => DeviceState::Invalid,
            };
        };
        let driver = if tech.eq_ignore_ascii_case("Local") {
            Some(self.local_device_state(resource))
        } else {
            self.device_provider()
                .and_then(|p| p.device_state(self, tech, resource))
        };
        match driver {
            Some(DeviceState::Unknown) | None => self.parse_device_state(device),
            Some(state) => state,
        }
    }

    /// `ast_parse_device_state`: the state of the first channel whose name starts with `device-`.
    pub fn parse_device_state(&self, device: &str) -> DeviceState {
        let prefix = format!("{device}-");
        self.channel_ids()
            .into_iter()
            .find_map(|id| {
                self.with_chan(id, |c| {
                    let ours = c
                        .name
                        .get(..prefix.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(&prefix));
                    ours.then_some(c.state)
                })
                .flatten()
            })
            .map(DeviceState::of_channel)
            .unwrap_or(DeviceState::Unknown)
    }

    /// The aggregate of the states of the channels named `TECH/resource-…` (what chan_pjsip does over
    /// an endpoint's channels); `None` when there is none.
    pub fn channels_device_state(&self, tech: &str, resource: &str) -> Option<DeviceState> {
        let prefix = format!("{tech}/{resource}-");
        let mut agg = Aggregate::default();
        let mut any = false;
        for id in self.channel_ids() {
            let state = self.with_chan(id, |c| {
                let ours = c
                    .name
                    .get(..prefix.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(&prefix));
                ours.then_some(c.state)
            });
            if let Some(Some(state)) = state {
                any = true;
                agg.add(DeviceState::of_channel(state));
            }
        }
        any.then(|| agg.result())
    }

    /// `local_devicestate`: a Local channel to `exten@context` in use; else the extension existing (at
    /// priority 1) makes it not in use, otherwise it is invalid.
    fn local_device_state(&self, data: &str) -> DeviceState {
        let Some((exten, rest)) = data.split_once('@') else {
            self.log(crate::diag::LogLevel::Warning, "core_local.c", || {
                format!("Someone used Local/{data} somewhere without a @context. This is bad.")
            });
            return DeviceState::Invalid;
        };
        let context = rest.split('/').next().unwrap_or(rest);
        let prefix = format!("Local/{exten}@{context}-");
        let live = self.channel_ids().into_iter().any(|id| {
            self.with_chan(id, |c| c.name.starts_with(&prefix))
                .unwrap_or(false)
        });
        if live {
            return DeviceState::InUse;
        }
        if self.plan().exists(context, exten, 1, None) {
            DeviceState::NotInUse
        } else {
            DeviceState::Invalid
        }
    }

    /// `ast_extension_state`: the aggregate state of the devices of the hint of `exten@context`
    /// (includes and patterns searched); `NoHint` without one.
    pub fn extension_state(&self, context: &str, exten: &str) -> ExtensionState {
        let devices = {
            let plan = self.plan();
            match plan.step(context, exten, crate::model::PRIORITY_HINT, None) {
                Some(step) => step.app.to_string(),
                None => return ExtensionState::NoHint,
            }
        };
        // The presence sources follow the first ','.
        let devices = devices.split(',').next().unwrap_or("");
        let mut agg = Aggregate::default();
        let mut any = false;
        for device in devices.split('&').filter(|d| !d.is_empty()) {
            any = true;
            agg.add(self.device_state(device));
        }
        if any {
            ExtensionState::of_device(agg.result())
        } else {
            ExtensionState::Unavailable
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aggregation() {
        assert_eq!(DeviceState::parse("inuse"), DeviceState::InUse);
        assert_eq!(DeviceState::parse("bogus"), DeviceState::Unknown);
        assert_eq!(DeviceState::parse("UNKNOWN"), DeviceState::Unknown);
        assert_eq!(DeviceState::RingInUse.as_str(), "RINGINUSE");
        let mut agg = Aggregate::default();
        assert_eq!(agg.result(), DeviceState::Invalid);
        agg.add(DeviceState::NotInUse);
        assert_eq!(agg.result(), DeviceState::NotInUse);
        agg.add(DeviceState::Ringing);
        assert_eq!(agg.result(), DeviceState::Ringing);
        agg.add(DeviceState::InUse);
        assert_eq!(agg.result(), DeviceState::RingInUse);
        assert_eq!(
            ExtensionState::of_device(DeviceState::Invalid).as_str(),
            "UNAVAILABLE"
        );
        assert_eq!(ExtensionState::NoHint.as_str(), "UNKNOWN");
    }
}
