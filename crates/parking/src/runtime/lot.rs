//! A lot's run-time state and the parked users in it.
//!
//! A lot keeps its occupied spaces (space → channel, ascending, as res_parking's sorted container), its
//! `findslot=next` cursor, its holding bridge once made, and its timeouts in **one** ordered list keyed by
//! (deadline, parking order), served by the lot's single timer task ([`super::timeout`]).

use crate::config::LotConfig;
use crate::occupancy::Occupancy;
use crate::show::LotMode;
use crate::slots::SlotCursor;
use dialplan::engine::{BridgeId, ChannelId};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;
use tokio::sync::Notify;

pub use super::timeouts::Timeouts;

/// How a parked call ended (`enum park_call_resolution`); decided once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Still parked.
    Unset,
    /// Retrieved by `ParkedCall`.
    Answered,
    /// Its time ran out.
    Timeout,
    /// It left otherwise (hung up): `ParkedCallGiveUp`.
    Abandon,
}

/// What the parkee hears while parked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Idle {
    /// Music on hold of this class (empty: the channel's class, else `default`).
    Music(String),
    /// Ringing (Park's `r` option).
    Ringing,
}

/// One parked call (`struct parked_user`).
#[derive(Clone, Debug)]
pub struct ParkedUser {
    pub chan: ChannelId,
    /// Index of the lot in the configuration.
    pub lot: usize,
    pub space: u32,
    pub parker_dial_string: String,
    /// Virtual time of the park.
    pub start: Duration,
    /// Seconds allowed (0: no limit).
    pub time_limit: u32,
    pub resolution: Resolution,
    /// Park's `c(context,exten,priority)`: where a timeout sends the call.
    pub comeback: Option<String>,
    /// The channel that retrieved it.
    pub retriever: Option<ChannelId>,
    /// Its entry in the lot's timeouts.
    pub timeout_key: Option<(Duration, u64)>,
    pub idle: Idle,
    /// Whether music on hold / ringing starts as soon as it enters (false: after its own announcement).
    pub idle_at_once: bool,
    /// The music on hold class started, if music is playing.
    pub moh_playing: Option<String>,
    /// `MusicOnHoldStop` was already published for the retrieval.
    pub moh_stop_published: bool,
}

/// A lot at run time.
pub struct LotState {
    /// Its configuration (replaced by a reload that keeps the lot).
    pub cfg: Rc<LotConfig>,
    /// Configured, created on the fly, or dropped by a reload while holding calls.
    pub mode: LotMode,
    /// The channel names in the occupied spaces, shared with `PARK_GET_CHANNEL`.
    pub names: super::park_get_channel::SpaceNames,
    /// Occupied spaces, ascending; changed only through [`Self::occupy`] and [`Self::vacate`], which keep
    /// `occupancy` in step.
    spaces: BTreeMap<u32, ChannelId>,
    /// The same spaces as runs, for the slot search.
    occupancy: Occupancy,
    pub cursor: SlotCursor,
    /// Deadline (virtual time), parking order → space.
    pub timeouts: Timeouts,
    /// The lot's holding bridge, made at the first park.
    pub bridge: Option<BridgeId>,
    /// Wakes the lot's timer task when an earlier deadline arrives; `None` until the task runs.
    pub timer: Option<Rc<Notify>>,
}

impl LotState {
    /// A lot with nothing parked yet.
    pub fn new(cfg: Rc<LotConfig>, mode: LotMode) -> LotState {
        LotState {
            cfg,
            mode,
            names: Default::default(),
            spaces: BTreeMap::new(),
            occupancy: Occupancy::default(),
            cursor: SlotCursor::default(),
            timeouts: Timeouts::default(),
            bridge: None,
            timer: None,
        }
    }

    /// The occupied spaces (space → parked channel), ascending.
    pub fn spaces(&self) -> &BTreeMap<u32, ChannelId> {
        &self.spaces
    }

    /// The occupied spaces as the slot search wants them.
    pub fn occupancy(&self) -> &Occupancy {
        &self.occupancy
    }

    /// Puts `chan` (named `name`) in `space`.
    pub fn occupy(&mut self, space: u32, chan: ChannelId, name: &str) {
        self.spaces.insert(space, chan);
        self.occupancy.insert(space);
        self.names.set(space, Some(name));
    }

    /// Empties `space`.
    pub fn vacate(&mut self, space: u32) {
        self.spaces.remove(&space);
        self.occupancy.remove(space);
        self.names.set(space, None);
    }

    /// The earliest deadline, if any.
    pub fn next_deadline(&self) -> Option<Duration> {
        self.timeouts.first().map(|((t, _), _)| t)
    }

    /// Frees a user's space and timeout (the space only if it still holds this channel).
    pub fn release(&mut self, user: &ParkedUser) {
        if self.spaces.get(&user.space) == Some(&user.chan) {
            self.vacate(user.space);
        }
        if let Some(key) = user.timeout_key {
            self.timeouts.remove(&key);
        }
    }
}
