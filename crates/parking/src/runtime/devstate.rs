//! Parking's device states and the hints that watch them. [res/parking/parking_devicestate.c ·
//! parking_notify_metermaids; main/pbx.c · handle_show_hints, hint state changes; main/manager.c ·
//! manager_state_cb]
//!
//! A parked call makes device `park:<space>@<context>` InUse; its leaving makes it NotInUse again
//! (`ast_devstate_changed`, cachable). A hint whose devices are all `park:` devices then changes state, and
//! the core's manager callback sends `ExtensionStatus` (`Exten`, `Context`, `Hint`, `Status`, `StatusText`) —
//! for every hint, not only those res_parking generated (`parkinghints=yes`).
//!
//! Since Asterisk 22.9 hints live in their own extension-state store [main/extension_state.c]: each hint
//! reads its devices' states once when it is created and then follows their changes. res_parking creates
//! its `parkinghints` hints while loading its configuration, before it registers the `park` device-state
//! provider [res/res_parking.c · load_module], so those hints start `Unavailable` (no provider: the device
//! is invalid) and stay so until their space is first used; hints created later (extensions.conf, dynamic
//! lots, a reload) start `Idle`. A pattern hint has no device sources: always `Unavailable`, never a
//! change.
//!
//! Not modelled: the `DeviceStateChange` AMI event, which only res_manager_devicestate sends (the reference
//! installation did not load it: its run shows none), and hints that mix `park:` devices with devices dialsim
//! does not model (phones): they never change state here.

use super::ParkingModule;
use dialplan::engine::devstate::{DeviceState, DeviceStateProvider};
use dialplan::engine::Engine;
use dialplan::hash::Fx;
use dialplan::model::Dialplan;
use std::collections::{BTreeMap, HashMap};

/// A hint as the state machinery sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub exten: String,
    pub context: String,
    /// The device string as written (`park:701@parkedcalls&…`).
    pub devices: String,
    /// Who added it (`pbx_config`, `res_parking/<lot>`).
    pub registrar: String,
}

impl Hint {
    /// The hint's devices (split on `&`, as `ast_extension_state` does).
    pub fn device_list(&self) -> impl Iterator<Item = &str> {
        self.devices.split('&').filter(|d| !d.is_empty())
    }

    /// Whether dialsim can tell this hint's state: all its devices are parking's.
    pub fn modelled(&self) -> bool {
        self.device_list().all(|d| d.starts_with("park:"))
    }

    /// A hint on a pattern extension: Asterisk keeps it in its list but gives it no device sources, so its
    /// state stays `Unavailable` and nobody watches it. [main/extension_state.c · extension_state_alloc]
    pub fn is_pattern(&self) -> bool {
        self.exten.starts_with('_')
    }

    /// The `Watchers` count of `core show hints`: the subscribers of the hint's topic. The manager's
    /// global extension-state callback (registered at start-up for `ExtensionStatus`) subscribes to every
    /// hint's topic through the all-hints forward; a pattern hint has no topic.
    /// [main/manager.c · __init_manager; main/extension_state_legacy.c; main/stasis.c · stasis_forward_all]
    pub fn watchers(&self) -> usize {
        usize::from(!self.is_pattern())
    }
}

/// An extension state (`enum ast_extension_states`) as dialsim models it for parking hints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtensionState {
    Idle,
    InUse,
    /// No device could be asked (no provider yet), or a pattern hint.
    Unavailable,
}

impl ExtensionState {
    /// The number `ExtensionStatus` prints.
    pub fn code(self) -> i32 {
        match self {
            ExtensionState::Idle => 0,
            ExtensionState::InUse => 1,
            ExtensionState::Unavailable => 4,
        }
    }

    /// `ast_extension_state2str`.
    pub fn text(self) -> &'static str {
        match self {
            ExtensionState::Idle => "Idle",
            ExtensionState::InUse => "InUse",
            ExtensionState::Unavailable => "Unavailable",
        }
    }
}

/// Every hint of the dialplan, contexts in list order and extensions in their order.
pub fn dialplan_hints(dp: &Dialplan) -> Vec<Hint> {
    let mut out = Vec::new();
    for ctx in dp.contexts() {
        for ext in ctx.extensions() {
            if let Some(h) = ext.hint() {
                out.push(Hint {
                    exten: ext.name().to_string(),
                    context: ctx.name().to_string(),
                    devices: h.app().to_string(),
                    registrar: h.registrar().to_string(),
                });
            }
        }
    }
    out
}

/// The hints of the engine's dialplan (none when the plan is not a [`Dialplan`]).
pub fn engine_hints(engine: &Engine) -> Vec<Hint> {
    let plan = engine.plan();
    plan.as_any()
        .downcast_ref::<Dialplan>()
        .map(dialplan_hints)
        .unwrap_or_default()
}

/// The cached states of `park:` devices (in use or not), by context and then space: only looked up by
/// name, never listed. Keyed by space number rather than by the device's text, so that a park or a
/// departure finds its entry without comparing a text stored in a block of its own, one per space of
/// every lot, last touched when that space was last used (docs/performance.md, issue 4).
#[derive(Debug, Default)]
pub struct ParkDevices {
    by_context: HashMap<String, HashMap<u32, bool, Fx>, Fx>,
}

impl ParkDevices {
    /// Records the state of `park:<space>@<context>`; returns its state before (not in use if never set).
    pub fn set(&mut self, space: u32, context: &str, in_use: bool) -> bool {
        if !self.by_context.contains_key(context) {
            self.by_context
                .insert(context.to_string(), HashMap::default());
        }
        self.by_context
            .get_mut(context)
            .and_then(|spaces| spaces.insert(space, in_use))
            .unwrap_or(false)
    }

    /// The cached state of a device given by name: in use or not. Only names as [`park_device`] writes
    /// them are ever set, so any other spelling (`park:0701@…`) is a device never changed: not in use.
    pub fn in_use(&self, device: &str) -> bool {
        let Some((space, context)) = device
            .strip_prefix("park:")
            .and_then(|rest| rest.split_once('@'))
        else {
            return false;
        };
        let canonical = !space.is_empty()
            && space.bytes().all(|b| b.is_ascii_digit())
            && (space == "0" || !space.starts_with('0'));
        let Some(space) = space.parse::<u32>().ok().filter(|_| canonical) else {
            return false;
        };
        self.by_context
            .get(context)
            .and_then(|spaces| spaces.get(&space))
            .copied()
            .unwrap_or(false)
    }

    /// Whether `park:<space>@<context>` ever changed state (a call parked there).
    pub fn changed_ever(&self, space: u32, context: &str) -> bool {
        self.by_context
            .get(context)
            .is_some_and(|spaces| spaces.contains_key(&space))
    }
}

/// The state of a hint before any of its devices changed, right after a load: the hints res_parking adds
/// for `parkinghints` (registrar `res_parking/<lot>`) are created before its device-state provider exists
/// and read `Unavailable`; pattern hints are `Unavailable` too; any other hint of `park:` devices reads the
/// provider's answer, not in use. [res/res_parking.c · load_module; main/extension_state.c ·
/// extension_state_update_sources]
pub fn loaded_hint_state(hint: &Hint) -> ExtensionState {
    if hint.is_pattern() || hint.registrar.starts_with("res_parking/") {
        ExtensionState::Unavailable
    } else {
        ExtensionState::Idle
    }
}

/// The `Park` device-state provider (parking_devicestate.c metermaidstate), asked for a `park:` device
/// whose state was never published. `data` must be `<space>@<context>` with a space `sscanf("%d")`
/// reads, else the device is invalid. Asterisk 22 then searches the lots with the device text in place
/// of its search structure (`ao2_callback(…, &data)`), so no lot ever matches and the answer is always
/// not in use; a parked call's space is in use through the published state instead.
pub struct ParkDeviceStates;

impl DeviceStateProvider for ParkDeviceStates {
    fn state(&self, _engine: &Engine, data: &str) -> DeviceState {
        let Some((exten, context)) = data.split_once('@') else {
            return DeviceState::Invalid;
        };
        if exten.is_empty() || context.is_empty() || !scans_as_int(exten) {
            return DeviceState::Invalid;
        }
        DeviceState::NotInUse
    }
}

/// Whether `sscanf(text, "%d")` reads a number: blanks, an optional sign, then a digit.
fn scans_as_int(text: &str) -> bool {
    let t = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    t.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// The device a parking space is.
pub fn park_device(space: u32, context: &str) -> String {
    format!("park:{space}@{context}")
}

impl ParkingModule {
    /// The cached state of a `park:` device: in use or not (never-changed devices are not in use).
    pub fn park_device_in_use(&self, device: &str) -> bool {
        self.state().devices.in_use(device)
    }

    /// The state of a hint made of `park:` devices: in use if any of them is; `Unavailable` for a pattern
    /// hint, and for a hint res_parking made at start-up whose space was never used since.
    pub fn hint_state(&self, hint: &Hint) -> ExtensionState {
        if hint.is_pattern() {
            return ExtensionState::Unavailable;
        }
        let state = self.state();
        if state
            .startup_hints
            .contains(&(hint.context.clone(), hint.exten.clone()))
        {
            let used = hint
                .exten
                .parse::<u32>()
                .is_ok_and(|space| state.devices.changed_ever(space, &hint.context));
            if !used {
                return ExtensionState::Unavailable;
            }
        }
        if hint.device_list().any(|d| state.devices.in_use(d)) {
            ExtensionState::InUse
        } else {
            ExtensionState::Idle
        }
    }

    /// The state a hint had before its devices changed, as [`Self::hint_state`] would have given then.
    fn initial_hint_state(&self, hint: &Hint) -> ExtensionState {
        let startup = self
            .state()
            .startup_hints
            .contains(&(hint.context.clone(), hint.exten.clone()));
        if startup || hint.is_pattern() {
            ExtensionState::Unavailable
        } else {
            ExtensionState::Idle
        }
    }

    /// `parking_notify_metermaids`: the device of `space`@`context` changes state; every hint watching it
    /// whose state changes sends `ExtensionStatus`.
    pub(crate) fn notify_metermaids(
        &self,
        engine: &Engine,
        space: u32,
        context: &str,
        in_use: bool,
    ) {
        // ast_devstate_changed(…, AST_DEVSTATE_CACHABLE, "park:%d@%s"): what DEVICE_STATE and
        // EXTENSION_STATE read from the cache.
        let device = park_device(space, context);
        engine.devstate_changed(
            &device,
            if in_use {
                DeviceState::InUse
            } else {
                DeviceState::NotInUse
            },
        );
        let changed = {
            let mut state = self.state_mut();
            let before = state.devices.set(space, context, in_use);
            before != in_use
        };
        if !changed || !engine.bus().wants_ami() {
            return;
        }
        for hint in self.hints_watching(engine, &device) {
            let before = {
                let state = self.state();
                state
                    .hint_states
                    .get(&(hint.context.clone(), hint.exten.clone()))
                    .copied()
            };
            let before = before.unwrap_or_else(|| self.initial_hint_state(&hint));
            let now = self.hint_state(&hint);
            if before == now {
                continue;
            }
            self.state_mut()
                .hint_states
                .insert((hint.context.clone(), hint.exten.clone()), now);
            engine.ami("ExtensionStatus", "call", |f| {
                f.push("Exten", hint.exten.clone());
                f.push("Context", hint.context.clone());
                f.push("Hint", hint.devices.clone());
                f.push("Status", now.code().to_string());
                f.push("StatusText", now.text());
            });
        }
    }

    /// Hints made now, after start-up (a dynamic lot's `parkinghints`): each starts `Unavailable` and
    /// reads its devices at once; the provider answers (not in use), so the state changes and the manager
    /// sends `ExtensionStatus` for it. [main/extension_state.c · pbx_extension_state_hint_set,
    /// extension_state_alloc, extension_state_update_sources; main/manager.c · manager_state_cb]
    pub(crate) fn hints_created(&self, engine: &Engine, hints: &[Hint]) {
        self.hints_changed();
        for hint in hints.iter().filter(|h| h.modelled() && !h.is_pattern()) {
            let now = self.hint_state(hint);
            if now == ExtensionState::Unavailable {
                continue;
            }
            self.state_mut()
                .hint_states
                .insert((hint.context.clone(), hint.exten.clone()), now);
            if engine.bus().wants_ami() {
                engine.ami("ExtensionStatus", "call", |f| {
                    f.push("Exten", hint.exten.clone());
                    f.push("Context", hint.context.clone());
                    f.push("Hint", hint.devices.clone());
                    f.push("Status", now.code().to_string());
                    f.push("StatusText", now.text());
                });
            }
        }
    }

    /// The modelled hints that list `device`, from an index of the dialplan's hints made at the first
    /// state change (and rebuilt when the dialplan's hints changed: a dynamic lot, a reload).
    fn hints_watching(&self, engine: &Engine, device: &str) -> Vec<Hint> {
        let stale = self.state().hint_index.is_none();
        if stale {
            let mut index: BTreeMap<String, Vec<Hint>> = BTreeMap::new();
            let watched = |h: &Hint| h.modelled() && !h.is_pattern();
            for hint in engine_hints(engine).into_iter().filter(watched) {
                let devices: Vec<String> = hint.device_list().map(str::to_string).collect();
                for d in devices {
                    index.entry(d).or_default().push(hint.clone());
                }
            }
            self.state_mut().hint_index = Some(index);
        }
        self.state()
            .hint_index
            .as_ref()
            .and_then(|i| i.get(device).cloned())
            .unwrap_or_default()
    }

    /// Forgets the hint index (the dialplan's hints changed).
    pub(crate) fn hints_changed(&self) {
        self.state_mut().hint_index = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_devices_and_states() {
        let h = Hint {
            exten: "701".into(),
            context: "parkedcalls".into(),
            devices: "park:701@parkedcalls&park:702@parkedcalls".into(),
            registrar: "pbx_config".into(),
        };
        assert_eq!(
            h.device_list().collect::<Vec<_>>(),
            ["park:701@parkedcalls", "park:702@parkedcalls"]
        );
        assert!(h.modelled());
        let phone = Hint {
            devices: "PJSIP/alice&park:701@parkedcalls".into(),
            ..h
        };
        assert!(!phone.modelled());
        assert_eq!(ExtensionState::InUse.text(), "InUse");
        assert_eq!(ExtensionState::Idle.code(), 0);
        assert_eq!(park_device(701, "parkedcalls"), "park:701@parkedcalls");
    }

    #[test]
    fn park_devices_are_found_by_their_written_name_only() {
        let mut d = ParkDevices::default();
        assert!(!d.set(701, "parkedcalls", true));
        assert!(d.in_use("park:701@parkedcalls"));
        assert!(!d.in_use("park:0701@parkedcalls"));
        assert!(!d.in_use("park:702@parkedcalls"));
        assert!(!d.in_use("park:701@other"));
        assert!(!d.in_use("park:@parkedcalls"));
        assert!(!d.in_use("PJSIP/alice"));
        assert!(d.set(701, "parkedcalls", false));
        assert!(!d.in_use("park:701@parkedcalls"));
        assert!(!d.set(0, "a@b", true));
        assert!(d.in_use("park:0@a@b"));
    }

    #[test]
    fn provider_validates_as_metermaidstate() {
        assert!(scans_as_int(" -7x"));
        assert!(!scans_as_int("x7"));
        assert!(!scans_as_int("+"));
    }
}
