//! res_parking at run time: the lots' state, the `Park` and `ParkedCall` applications, one-touch parking
//! (the parkcall feature), timeouts with their comeback, and `parking show` during a run.
//!
//! [`ParkingModule`] is loaded into an [`Engine`] as a [`Module`], as res_parking loads into Asterisk: it
//! registers its applications and its parkcall handler (with the [`FeaturesModule`], as res_parking does
//! with Asterisk's bridging core). The lots' generated extensions are *not* registered here: they belong to
//! configuration loading ([`crate::extensions::register_extensions`]), which decides whether res_parking
//! loads at all.
//!
//! Each lot has, at run time ([`lot`]): its parked calls by space, its `findslot=next` cursor, one holding
//! bridge (tech `holding_bridge`, class `parking`, created at the first park, [`bridge`]) and **one ordered
//! timeout structure** served by one timer task per lot ([`timeout`]), never a sleeping task per call.
//!
//! - [`park`]: what every way into a lot shares (choosing the lot, generating the parked user, events);
//! - [`one_touch`]: the parkcall feature; [`transfer`]: blind transfers to a parking extension and the
//!   swap after an attended one; [`park_app`]: `Park()`; [`parked_call_app`]: `ParkedCall()`;
//! - [`events`]: the AMI parking events and music on hold; [`say`]: saying a space as digits;
//! - [`explain`]: dialsim's explanations for what parking does silently;
//! - [`reload`]: a new configuration while calls are parked.

pub mod bridge;
pub mod devstate;
pub mod dynamic;
pub mod events;
pub mod explain;
pub mod lot;
pub mod manager;
pub mod one_touch;
pub mod park;
pub mod park_and_announce;
pub mod park_app;
pub mod park_get_channel;
pub mod parked_call_app;
pub mod reload;
pub mod say;
pub mod timeout;
pub mod timeouts;
pub mod transfer;
pub mod users;

use crate::config::{LotConfig, ParkingConfig};
use crate::show::{show_all, show_lot, LotMode, LotView, ParkedCallView};
use dialplan::diag::{CodeInfo, LogLine};
use dialplan::engine::{ChannelId, Engine, Module};
use features::config::BuiltinFeature;
use features::FeaturesModule;
use lot::LotState;
use std::cell::{Ref, RefCell, RefMut};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// The module's name, as Asterisk's loader names it.
pub const MODULE_NAME: &str = "res_parking";

/// The codes of the run-time explanations (`DialsimDiagnostic` events).
pub mod codes {
    use dialplan::diag::Code;
    pub const ONE_TOUCH_NO_PARKEXT: Code = Code("parking/one-touch-no-parkext");
    pub const ONE_TOUCH_NOT_PARK: Code = Code("parking/one-touch-not-park");
    pub const ONE_TOUCH_ALONE: Code = Code("parking/one-touch-alone");
    pub const ONE_TOUCH_MULTIPARTY: Code = Code("parking/one-touch-multiparty");
    pub const EMPTY_SPACE: Code = Code("parking/empty-space");
    pub const PARK_GET_CHANNEL_ERROR: Code = Code("parking/park-get-channel-error");
    pub const PARK_DIAL_T_UNREACHABLE: Code = Code("parking/park-dial-t-unreachable");
}

/// Every code the run-time part of res_parking emits.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: codes::ONE_TOUCH_NO_PARKEXT,
        summary: "the parkcall code was pressed but the parker's lot has no parkext: Asterisk silently does nothing",
    },
    CodeInfo {
        code: codes::ONE_TOUCH_NOT_PARK,
        summary: "the parkcall code was pressed but <parkext>@<context> does not run Park: Asterisk silently does nothing",
    },
    CodeInfo {
        code: codes::ONE_TOUCH_ALONE,
        summary: "the parkcall code was pressed by a channel alone in its bridge: there is nobody to park",
    },
    CodeInfo {
        code: codes::ONE_TOUCH_MULTIPARTY,
        summary: "one-touch parking in a bridge of more than two channels is not simulated",
    },
    CodeInfo {
        code: codes::EMPTY_SPACE,
        summary: "ParkedCall asked for a space with no call parked in it: pbx-invalidpark and hangup, no log line",
    },
    CodeInfo {
        code: codes::PARK_GET_CHANNEL_ERROR,
        summary: "PARK_GET_CHANNEL was called without both arguments, for an unknown lot or with a bad space (Asterisk's ERROR)",
    },
    CodeInfo {
        code: codes::PARK_DIAL_T_UNREACHABLE,
        summary: "park-dial has a 't' extension, but with autofallthrough=yes an unanswered comeback Dial never reaches it",
    },
];

/// res_parking running in an engine: a cheap handle (`Rc`) shared by its applications, its parkcall action
/// and its bridges' delegates.
#[derive(Clone)]
pub struct ParkingModule {
    inner: Rc<Inner>,
}

struct Inner {
    /// The configuration in force (a reload replaces it).
    config: RefCell<Rc<ParkingConfig>>,
    features: Option<FeaturesModule>,
    state: RefCell<State>,
    /// The lots' parked channel names for `PARK_GET_CHANNEL`.
    directory: park_get_channel::Directory,
}

/// Everything that changes while calls run.
pub(crate) struct State {
    /// Every lot ever known at run time (configured, dynamic, disabled); an index never changes meaning.
    pub(crate) lots: Vec<LotState>,
    /// The lots that can be found by name now (a vanished lot is no longer here).
    pub(crate) by_name: BTreeMap<String, usize>,
    /// Every parked user still attached to its channel, by channel (retrieved ones until they have left the
    /// lot's bridge). Only looked up by key, never listed: a hashed index into a slab ([`users`]), so a
    /// look-up among thousands of parked calls touches a few cache lines rather than a tree path
    /// (docs/performance.md, issue 4).
    pub(crate) users: users::Users,
    /// Tie-breaker for timeouts due at the same instant (order of parking).
    pub(crate) seq: u64,
    /// Parkees hearing their own space (`Park()` without `s`) right now.
    pub(crate) announcing: BTreeSet<ChannelId>,
    /// Retrieved parkees whose courtesy tone waits for the end of that announcement (Asterisk queues it on
    /// the bridge channel behind the pending playback).
    pub(crate) tone_after_announcement: BTreeMap<ChannelId, String>,
    /// Parkees whose time ran out while they heard their own space: the lot's interval hook runs in the
    /// parkee's bridge thread, which is busy playing, so the timeout waits for the announcement's end.
    pub(crate) timeout_after_announcement: BTreeSet<ChannelId>,
    /// Channels swapped out of a lot whose music still plays: it stops when they are pulled, right after
    /// their parked user went to the channel taking their place.
    pub(crate) swapped_out_music: BTreeSet<ChannelId>,
    /// Cached `park:` device states (true: in use); only looked up by name, never listed.
    pub(crate) devices: devstate::ParkDevices,
    /// The hints res_parking added for `parkinghints` when the module loaded, by (context, space): created
    /// before its device-state provider, they read `Unavailable` until their space is first used
    /// ([`devstate`]). A reload re-creates them with the provider present, so it empties this set.
    pub(crate) startup_hints: BTreeSet<(String, String)>,
    /// The last state of each hint that changed, by (context, exten).
    pub(crate) hint_states: BTreeMap<(String, String), devstate::ExtensionState>,
    /// Modelled hints by device; `None` until needed or after the dialplan's hints changed.
    pub(crate) hint_index: Option<BTreeMap<String, Vec<devstate::Hint>>>,
}

/// One parked call as `parking show <lot>` and tests see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParkedCallInfo {
    pub lot: String,
    pub space: u32,
    pub channel: String,
    pub parker_dial_string: String,
    /// Virtual time it was parked at.
    pub parked_at: std::time::Duration,
    /// Seconds it may stay (0 = forever).
    pub time_limit: u32,
}

impl ParkingModule {
    /// res_parking with a loaded configuration. `features` is the features module it registers its parkcall
    /// handler with (`None`: no features module, so one-touch parking does not exist).
    pub fn new(config: ParkingConfig, features: Option<FeaturesModule>) -> ParkingModule {
        let directory = park_get_channel::Directory::default();
        let mut lots = Vec::new();
        let mut by_name = BTreeMap::new();
        let mut startup_hints = BTreeSet::new();
        for cfg in &config.lots {
            if cfg.parkinghints.value && !cfg.parkext.value.is_empty() {
                let range = cfg.parkpos.value;
                for space in range.start..=range.stop {
                    startup_hints.insert((cfg.context.value.clone(), space.to_string()));
                }
            }
            let lot = LotState::new(Rc::new(cfg.clone()), LotMode::Normal);
            directory.insert(&cfg.name, lot.names.clone());
            by_name.insert(cfg.name.clone(), lots.len());
            lots.push(lot);
        }
        ParkingModule {
            inner: Rc::new(Inner {
                config: RefCell::new(Rc::new(config)),
                features,
                directory,
                state: RefCell::new(State {
                    lots,
                    by_name,
                    users: users::Users::default(),
                    seq: 0,
                    announcing: BTreeSet::new(),
                    tone_after_announcement: BTreeMap::new(),
                    timeout_after_announcement: BTreeSet::new(),
                    swapped_out_music: BTreeSet::new(),
                    devices: devstate::ParkDevices::default(),
                    startup_hints,
                    hint_states: BTreeMap::new(),
                    hint_index: None,
                }),
            }),
        }
    }

    /// The configuration in force now.
    pub fn config(&self) -> Rc<ParkingConfig> {
        self.inner.config.borrow().clone()
    }

    /// The configuration of lot `lot` (an index from [`Self::lot_index`]).
    pub(crate) fn lot_cfg(&self, lot: usize) -> Rc<LotConfig> {
        self.state().lots[lot].cfg.clone()
    }

    pub(crate) fn directory(&self) -> &park_get_channel::Directory {
        &self.inner.directory
    }

    /// The names of the lots that exist now (configured, dynamic, or disabled but still holding calls), in
    /// name order.
    pub fn lot_names(&self) -> Vec<String> {
        self.state().by_name.keys().cloned().collect()
    }

    pub(crate) fn state(&self) -> Ref<'_, State> {
        self.inner.state.borrow()
    }

    /// Never hold this across an `.await` or a call into the engine that may call back (bridge moves).
    pub(crate) fn state_mut(&self) -> RefMut<'_, State> {
        self.inner.state.borrow_mut()
    }

    /// The index of a lot by exact name.
    pub(crate) fn lot_index(&self, name: &str) -> Option<usize> {
        self.state().by_name.get(name).copied()
    }

    /// The parked calls of a lot (in space order); empty for an unknown lot.
    pub fn parked_calls(&self, engine: &Engine, lot: &str) -> Vec<ParkedCallInfo> {
        let Some(idx) = self.lot_index(lot) else {
            return Vec::new();
        };
        let state = self.state();
        state.lots[idx]
            .spaces()
            .iter()
            .filter_map(|(&space, chan)| {
                let user = state.users.get(chan)?;
                Some(ParkedCallInfo {
                    lot: lot.to_string(),
                    space,
                    channel: engine
                        .chan_name(*chan)
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                    parker_dial_string: user.parker_dial_string.clone(),
                    parked_at: user.start,
                    time_limit: user.time_limit,
                })
            })
            .collect()
    }

    /// How many calls are parked in all lots.
    pub fn parked_count(&self) -> usize {
        self.state().lots.iter().map(|l| l.spaces().len()).sum()
    }

    /// `parking show`: the general options and every lot.
    pub fn show(&self) -> String {
        let dynamic = self.config().general.parkeddynamic.value;
        let state = self.state();
        show_all(
            dynamic,
            state.by_name.values().map(|&i| LotView {
                config: &state.lots[i].cfg,
                mode: state.lots[i].mode,
            }),
        )
    }

    /// `parking show <lot>` with the calls parked there now.
    pub fn show_lot(&self, engine: &Engine, name: &str) -> String {
        let calls = self.parked_calls(engine, name);
        let views: Vec<ParkedCallView<'_>> = calls
            .iter()
            .map(|c| ParkedCallView {
                space: c.space,
                channel: &c.channel,
                parker_dial_string: &c.parker_dial_string,
            })
            .collect();
        let state = self.state();
        let lot = state.by_name.get(name).map(|&i| LotView {
            config: &state.lots[i].cfg,
            mode: state.lots[i].mode,
        });
        show_lot(lot, name, &views)
    }

    /// Answers a CLI command line if it is one of res_parking's (`parking show [lot]`); `None` otherwise.
    pub fn cli(&self, engine: &Engine, line: &str) -> Option<String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["parking", "show"] => Some(self.show()),
            ["parking", "show", lot] => Some(self.show_lot(engine, lot)),
            _ => None,
        }
    }
}

impl Module for ParkingModule {
    fn name(&self) -> &str {
        MODULE_NAME
    }

    fn load(&self, engine: &Engine) -> Result<(), Vec<LogLine>> {
        engine.register_app(Rc::new(park_app::Park {
            module: self.clone(),
        }));
        engine.register_app(Rc::new(parked_call_app::ParkedCall {
            module: self.clone(),
        }));
        engine.register_app(Rc::new(park_and_announce::ParkAndAnnounce {
            module: self.clone(),
        }));
        engine.register_devstate_provider("Park", Rc::new(devstate::ParkDeviceStates));
        engine.register_function(Box::new(park_get_channel::ParkGetChannel {
            directory: self.inner.directory.clone(),
        }));
        if let Some(features) = &self.inner.features {
            features.register_action(
                BuiltinFeature::ParkCall,
                Rc::new(one_touch::ParkCall {
                    module: self.clone(),
                }),
            );
            features.register_transfer_park(Rc::new(transfer::TransferParking {
                module: self.clone(),
            }));
        }
        Ok(())
    }
}
