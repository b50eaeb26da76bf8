//! Bridges: the basic two-party bridge (tech `simple_bridge`, class `basic`) that Dial makes, and holding
//! bridges (tech `holding_bridge`, class `parking`) that the parking module uses.
//!
//! A channel in a bridge is serviced by a task running [`Engine::bridge_run`]: the Dial caller's own PBX task,
//! or, for a channel imparted into the bridge (Dial's callee), a task of its own. That loop reads the
//! channel's frames, passes DTMF through the channel's feature hooks ([`super::ext::DtmfHooks`], from the
//! features module) and writes what passes out of the other members; it leaves when the channel hangs up,
//! gets an async goto, is kicked, or the bridge dissolves. A channel can be moved from one bridge to another
//! ([`Engine::bridge_move`]) without its loop ending (parking, retrieval).
//!
//! Events and log lines follow Asterisk (`main/bridge.c`, `main/bridge_channel.c`): `BridgeCreate`,
//! `BridgeEnter` + `Channel %s joined '%s' %s-bridge <%s>`, `BridgeLeave` + `Channel %s left …`,
//! `BridgeDestroy`; `BRIDGEPEER` is set on both members of a two-party bridge and cleared as Asterisk
//! clears it; `BLINDTRANSFER`/`ATTENDEDTRANSFER` are cleared on every join.

use super::ami::{push_bridge, push_channel, Prefix};
use super::channel::{ChannelId, Frame, Interrupt, Location};
use super::ext::{
    BridgeDelegate, DtmfHooks, FeatureOutcome, HookAction, IntervalHook, IntervalNext,
};
use super::members::{Members, Place, NO_PLACE};
use super::ops::Waited;
use super::Engine;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

/// A bridge's handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BridgeId(pub u32);

/// The kinds of bridge the simulation has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BridgeKind {
    /// Two-party basic bridge: tech `simple_bridge`, class `basic`; dissolves when a member hangs up.
    Basic,
    /// Holding bridge: tech `holding_bridge`, class `parking`; members hear music on hold, never each other.
    /// It leaves as [`BridgeKind::BaseHolding`] does.
    Holding,
    /// Holding bridge of the base class (`ast_bridge_base_new` with the holding capability, as BridgeWait
    /// makes them): tech `holding_bridge`, class `base`. Its personality (entertainment, announcer) is
    /// its delegate's; it leaves as Asterisk's pull does: the `left` line, the technology's leave (the
    /// delegate's [`BridgeDelegate::leaving`]), then `BridgeLeave`.
    BaseHolding,
}

impl BridgeKind {
    pub fn tech(self) -> &'static str {
        match self {
            BridgeKind::Basic => "simple_bridge",
            BridgeKind::Holding | BridgeKind::BaseHolding => "holding_bridge",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            BridgeKind::Basic => "basic",
            BridgeKind::Holding => "parking",
            BridgeKind::BaseHolding => "base",
        }
    }

    /// Whether members hear only their own entertainment, never each other.
    pub fn is_holding(self) -> bool {
        matches!(self, BridgeKind::Holding | BridgeKind::BaseHolding)
    }
}

/// Why a channel left a bridge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaveReason {
    /// The channel hung up.
    Hangup,
    /// An async goto took it out (parking timeout, redirect).
    AsyncGoto,
    /// It was kicked out (`ast_bridge_kick`, a refused join).
    Kicked,
    /// The bridge dissolved (the other party hung up).
    Dissolved,
    /// A feature action on the channel asked it to leave (e.g. the parker after one-touch parking).
    Feature,
}

/// One bridge.
pub struct Bridge {
    pub id: BridgeId,
    pub uniqueid: Rc<str>,
    pub kind: BridgeKind,
    /// `BridgeCreator` (empty: `<unknown>`).
    pub creator: String,
    /// `BridgeName` (empty: `<unknown>`).
    pub name: String,
    /// Members in join order.
    pub members: Members,
    pub delegate: Option<Rc<dyn BridgeDelegate>>,
    /// Destroy (with `BridgeDestroy`) when the last member leaves.
    pub destroy_when_empty: bool,
    /// Whether a member hanging up dissolves a basic bridge (Asterisk's `DISSOLVE_HANGUP` flag).
    pub dissolve: Dissolve,
}

/// Whether a member's hangup dissolves a basic bridge: normally it does; a basic bridge with the attended
/// transfer personality does not (`TRANSFER_FLAGS` lack `AST_BRIDGE_FLAG_DISSOLVE_HANGUP`), nor is it
/// destroyed when it empties (the transfer holds a reference and destroys it itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dissolve {
    OnHangup,
    Never,
}

/// A request to a member's bridge loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Request {
    Kick,
    Dissolved,
}

/// Per-member state kept while a channel is in a bridge, in the channel itself
/// ([`super::channel::Channel::member`]): the bridge loop reads it with the channel's other fields, where
/// a table by channel cost a cache miss or two per look-up with thousands of calls parked.
pub(crate) struct Member {
    hooks: Option<Box<dyn DtmfHooks>>,
    timer: Option<Duration>,
    request: Option<Request>,
    /// When the request was made, as an interval hook's (trip, sequence): the member's own hooks due
    /// before it still run first (a hook tripping at the same moment on another thread in Asterisk).
    request_key: (Duration, u64),
    /// Its place in the bridge's [`Members`].
    place: Place,
}

#[derive(Default)]
pub(crate) struct Bridges {
    list: BTreeMap<u32, Bridge>,
    next: u32,
    /// Imparted channels whose bridge-channel object still exists, and the bridge it references. Asterisk
    /// destroys a bridge when its last reference goes: an imparted channel's bridge-channel keeps the
    /// bridge it last was in alive until the channel itself is destroyed (or starts a PBX of its own).
    held: BTreeMap<ChannelId, BridgeId>,
    /// Hung-up Local halves whose channel object lives on until their peer is destroyed (the pair's
    /// private data holds both), by that peer.
    waiting: BTreeMap<ChannelId, Vec<ChannelId>>,
    /// Interval hooks by channel (its bridge features'), added before or while it is in a bridge.
    intervals: BTreeMap<ChannelId, Vec<Interval>>,
    interval_seq: u64,
}

/// One interval hook: when it trips next and its order among hooks tripping at the same moment.
struct Interval {
    trip: Duration,
    seq: u64,
    interval: Duration,
    hook: Rc<dyn IntervalHook>,
}

impl Engine {
    /// Creates a bridge and publishes `BridgeCreate`.
    pub fn create_bridge(
        &self,
        kind: BridgeKind,
        creator: &str,
        name: &str,
        delegate: Option<Rc<dyn BridgeDelegate>>,
    ) -> BridgeId {
        let uniqueid: Rc<str> = Rc::from(self.random_uuid());
        let id = {
            let mut b = self.inner.bridges.borrow_mut();
            let id = BridgeId(b.next);
            b.next += 1;
            b.list.insert(
                id.0,
                Bridge {
                    id,
                    uniqueid,
                    kind,
                    creator: creator.to_string(),
                    name: name.to_string(),
                    members: Members::default(),
                    delegate,
                    destroy_when_empty: kind == BridgeKind::Basic,
                    dissolve: Dissolve::OnHangup,
                },
            );
            id
        };
        self.bridge_event("BridgeCreate", id, None);
        id
    }

    /// Adds an interval hook to `chan`'s bridge features (`ast_bridge_interval_hook`): it first trips
    /// `interval` from now, and runs in the channel's bridge loop once the channel is in a bridge.
    /// The hooks go when the channel leaves its bridge (not when it is moved to another).
    pub fn add_interval_hook(
        &self,
        chan: ChannelId,
        interval: Duration,
        hook: Rc<dyn IntervalHook>,
    ) {
        let trip = self.now() + interval;
        let mut b = self.inner.bridges.borrow_mut();
        let seq = b.interval_seq;
        b.interval_seq += 1;
        b.intervals.entry(chan).or_default().push(Interval {
            trip,
            seq,
            interval,
            hook,
        });
    }

    /// Drops `chan`'s interval hooks (its bridge features are gone).
    pub fn clear_interval_hooks(&self, chan: ChannelId) {
        self.inner.bridges.borrow_mut().intervals.remove(&chan);
    }

    fn next_interval_trip(&self, chan: ChannelId) -> Option<Duration> {
        let b = self.inner.bridges.borrow();
        b.intervals.get(&chan)?.iter().map(|i| i.trip).min()
    }

    /// The (trip, sequence) of `chan`'s earliest hook due now.
    fn first_due_key(&self, chan: ChannelId) -> Option<(Duration, u64)> {
        let now = self.now();
        let b = self.inner.bridges.borrow();
        b.intervals
            .get(&chan)?
            .iter()
            .filter(|h| h.trip <= now)
            .map(|h| (h.trip, h.seq))
            .min()
    }

    /// Whether another member of `bridge` has a hook due now that trips before `chan`'s first due one.
    fn other_member_due_first(&self, bridge: BridgeId, chan: ChannelId) -> bool {
        let Some(mine) = self.first_due_key(chan) else {
            return false;
        };
        self.bridge_members(bridge)
            .into_iter()
            .filter(|&m| m != chan)
            .any(|m| self.first_due_key(m).is_some_and(|k| k < mine))
    }

    /// Takes out the earliest hook of `chan` that is due now (and comes before `before`, if given).
    fn take_due_interval(
        &self,
        chan: ChannelId,
        before: Option<(Duration, u64)>,
    ) -> Option<Interval> {
        let now = self.now();
        let mut b = self.inner.bridges.borrow_mut();
        let list = b.intervals.get_mut(&chan)?;
        let i = list
            .iter()
            .enumerate()
            .filter(|(_, h)| h.trip <= now && before.is_none_or(|k| (h.trip, h.seq) < k))
            .min_by_key(|(_, h)| (h.trip, h.seq))
            .map(|(i, _)| i)?;
        Some(list.remove(i))
    }

    /// Runs every hook of `chan` due now (before `before`, if given), in trip order (as one pass of
    /// `bridge_channel_handle_interval`: a hook asking to leave does not stop those due after it). The
    /// (trip, sequence) of the first hook that asked to leave, if one did.
    async fn run_due_intervals(
        &self,
        bridge: BridgeId,
        chan: ChannelId,
        before: Option<(Duration, u64)>,
    ) -> Option<(Duration, u64)> {
        let mut leave = None;
        while let Some(mut h) = self.take_due_interval(chan, before) {
            let next = h.hook.fire(self.clone(), bridge, chan).await;
            let interval = match next {
                IntervalNext::Remove => continue,
                IntervalNext::Leave => {
                    leave = leave.or(Some((h.trip, h.seq)));
                    continue;
                }
                IntervalNext::Repeat(d) if d.is_zero() => continue,
                IntervalNext::Repeat(d) => d,
            };
            // The next trip keeps the hook's cadence: whole intervals that passed while it ran are skipped.
            let start = self.now();
            let mut late = start.saturating_sub(h.trip);
            while interval < late {
                late -= interval;
            }
            h.trip = start + (interval - late);
            h.interval = interval;
            let mut b = self.inner.bridges.borrow_mut();
            h.seq = b.interval_seq;
            b.interval_seq += 1;
            if let Some(list) = b.intervals.get_mut(&chan) {
                list.push(h);
            }
        }
        leave
    }

    /// Reads a bridge.
    pub fn with_bridge<R>(&self, id: BridgeId, f: impl FnOnce(&Bridge) -> R) -> Option<R> {
        self.inner.bridges.borrow().list.get(&id.0).map(f)
    }

    /// Replaces a bridge's delegate (a personality change, e.g. an attended transfer); returns the old one.
    pub fn set_bridge_delegate(
        &self,
        id: BridgeId,
        delegate: Option<Rc<dyn BridgeDelegate>>,
    ) -> Option<Rc<dyn BridgeDelegate>> {
        let mut b = self.inner.bridges.borrow_mut();
        let br = b.list.get_mut(&id.0)?;
        std::mem::replace(&mut br.delegate, delegate)
    }

    /// Sets whether a member's hangup dissolves the bridge.
    pub fn set_bridge_dissolve(&self, id: BridgeId, dissolve: Dissolve) {
        if let Some(br) = self.inner.bridges.borrow_mut().list.get_mut(&id.0) {
            br.dissolve = dissolve;
        }
    }

    /// The bridge a channel is in.
    pub fn bridge_of(&self, chan: ChannelId) -> Option<BridgeId> {
        self.with_chan(chan, |c| c.bridge).flatten()
    }

    pub fn bridge_members(&self, id: BridgeId) -> Vec<ChannelId> {
        self.with_bridge(id, |b| b.members.to_vec())
            .unwrap_or_default()
    }

    /// Destroys a bridge (publishes `BridgeDestroy`); its members are kicked first.
    pub fn destroy_bridge(&self, id: BridgeId) {
        for m in self.bridge_members(id) {
            self.bridge_kick(m);
        }
        let exists = self.with_bridge(id, |_| ()).is_some();
        if exists {
            self.bridge_event("BridgeDestroy", id, None);
            self.inner.bridges.borrow_mut().list.remove(&id.0);
        }
    }

    fn bridge_event(&self, name: &'static str, id: BridgeId, chan: Option<ChannelId>) {
        self.bridge_event_swap(name, id, chan, None);
    }

    /// [`Self::bridge_event`] with `SwapUniqueid` (a `BridgeEnter` in a swapped-out channel's place)
    /// [main/manager_bridges.c · channel_enter_cb].
    fn bridge_event_swap(
        &self,
        name: &'static str,
        id: BridgeId,
        chan: Option<ChannelId>,
        swap: Option<ChannelId>,
    ) {
        if !self.bus().wants_ami() {
            return;
        }
        if let Some(c) = chan {
            // Entering or leaving a bridge publishes a new snapshot of the channel.
            self.publish_stale_caller(c);
        }
        let bridges = self.inner.bridges.borrow();
        let Some(b) = bridges.list.get(&id.0) else {
            return;
        };
        let chans = self.inner.chans.borrow();
        self.ami(name, "call", |f| {
            push_bridge(f, b);
            if let Some(c) = chan
                .and_then(|c| chans.get(c.0 as usize))
                .and_then(|c| c.as_deref())
            {
                push_channel(f, Prefix::NONE, c);
            }
            if let Some(s) = swap
                .and_then(|s| chans.get(s.0 as usize))
                .and_then(|s| s.as_deref())
            {
                f.push("SwapUniqueid", s.uniqueid.to_string());
            }
        });
    }

    /// Puts `chan` into bridge `id` (Asterisk's push): arms its features (basic bridges), publishes
    /// `BridgeEnter` and the `joined` line, clears the transfer variables and sets `BRIDGEPEER`. `false`
    /// when the features module refused the channel (it is then not in the bridge).
    pub fn bridge_push(&self, id: BridgeId, chan: ChannelId) -> bool {
        self.push_swapping(id, chan, None)
    }

    /// Moves `chan` from its bridge into `to` in `swap`'s place, as the Local channel optimization does
    /// (`bridge_do_move` with a swap channel): the bridge class takes it in ([`BridgeDelegate::swapping`]);
    /// `chan` leaves its bridge; `swap` is pulled (its `left` line, the technology's leave,
    /// `BridgeLeave`) and its bridge loop ends; then `chan`'s `swapped with` line and its `BridgeEnter`
    /// with `SwapUniqueid`. Without `swap` in `to`, an ordinary move. `false` as for
    /// [`Self::bridge_move`]. [main/bridge.c · try_swap_optimize_out, bridge_do_move;
    /// main/bridge_channel.c · bridge_channel_internal_push_full]
    pub fn bridge_move_swap(&self, chan: ChannelId, to: BridgeId, swap: ChannelId) -> bool {
        let swap = (self.bridge_of(swap) == Some(to)).then_some(swap);
        if let Some(s) = swap {
            if let Some(d) = self.with_bridge(to, |b| b.delegate.clone()).flatten() {
                d.swapping(self, to, chan, s);
            }
        }
        if self.bridge_of(chan).is_some() {
            self.bridge_pull(chan, LeaveReason::Kicked, true);
        }
        let ok = self.push_swapping(to, chan, swap);
        if !ok {
            self.with_chan_mut(chan, |c| c.notify.notify_one());
        }
        ok
    }

    fn push_swapping(&self, id: BridgeId, chan: ChannelId, swap: Option<ChannelId>) -> bool {
        let Some((kind, delegate)) = self.with_bridge(id, |b| (b.kind, b.delegate.clone())) else {
            return false;
        };
        let mut hooks = None;
        if kind == BridgeKind::Basic {
            if let Some(features) = self.bridge_features() {
                match features.join(self, id, chan) {
                    Ok(h) => hooks = h,
                    Err(refused) => {
                        for l in refused.log {
                            self.log_line(l);
                        }
                        return false;
                    }
                }
            }
        }
        if let (Some(d), None) = (&delegate, swap) {
            d.entering(self, id, chan);
        }
        if let Some(s) = swap {
            // The swapped-out channel leaves before the newcomer is listed; its loop then finds itself
            // outside any bridge and ends.
            self.bridge_pull(s, LeaveReason::Kicked, false);
            self.wake(s);
        }
        self.with_chan_mut(chan, |c| c.bridge = Some(id));
        let mut released = None;
        let mut place = NO_PLACE;
        {
            let mut b = self.inner.bridges.borrow_mut();
            if let Some(br) = b.list.get_mut(&id.0) {
                place = br.members.push(chan);
            }
            if let Some(old) = b.held.get_mut(&chan) {
                if *old != id {
                    released = Some(std::mem::replace(old, id));
                }
            }
        }
        self.with_chan_mut(chan, |c| {
            c.member = Some(Member {
                hooks,
                timer: None,
                request: None,
                request_key: (Duration::ZERO, 0),
                place,
            })
        });
        if let Some(old) = released {
            self.destroy_if_unreferenced(old);
        }
        self.bridge_event_swap("BridgeEnter", id, Some(chan), swap);
        match swap.and_then(|s| self.chan_name(s)) {
            Some(s) => self.joined_line(id, chan, &format!("swapped with {s} into")),
            None => self.joined_line(id, chan, "joined"),
        }
        for var in ["BLINDTRANSFER", "ATTENDEDTRANSFER"] {
            if self.chan_var(chan, var).is_some() {
                self.set_var(chan, var, None);
            }
        }
        self.set_peer_vars(id, chan);
        if let Some(d) = &delegate {
            d.entered(self, id, chan);
        }
        self.media_changed();
        true
    }

    fn joined_line(&self, id: BridgeId, chan: ChannelId, verb: &str) {
        if !self.bus().wants_log(crate::diag::LogLevel::Verbose(3)) {
            return;
        }
        let name = self.chan_name(chan).unwrap_or_else(|| Rc::from(""));
        if let Some((tech, class, uid)) =
            self.with_bridge(id, |b| (b.kind.tech(), b.kind.class(), b.uniqueid.clone()))
        {
            self.verbose(3, "bridge_channel.c", || {
                format!("Channel {name} {verb} '{tech}' {class}-bridge <{uid}>")
            });
        }
    }

    /// `BRIDGEPEER` after a membership change: two members name each other; a holding bridge clears it.
    fn set_peer_vars(&self, id: BridgeId, joined: ChannelId) {
        let Some(kind) = self.with_bridge(id, |b| b.kind) else {
            return;
        };
        if kind.is_holding() {
            // A holding bridge clears BRIDGEPEER on every member. The members already there were cleared when
            // they joined, and nothing sets the variable on a held channel (it runs no dialplan), so only the
            // newcomer can hold one: clearing just it keeps each park O(1) however many calls are held.
            self.set_var(joined, "BRIDGEPEER", None);
            return;
        }
        let Some(members) = self.with_bridge(id, |b| b.members.to_vec()) else {
            return;
        };
        match kind {
            BridgeKind::Holding | BridgeKind::BaseHolding => {}
            BridgeKind::Basic if members.len() == 2 => {
                let n0 = self.chan_name(members[0]).unwrap_or_else(|| Rc::from(""));
                let n1 = self.chan_name(members[1]).unwrap_or_else(|| Rc::from(""));
                self.set_var(members[0], "BRIDGEPEER", Some(&n1));
                self.set_var(members[1], "BRIDGEPEER", Some(&n0));
            }
            BridgeKind::Basic if members.len() > 2 => {
                for &m in &members {
                    let others: Vec<String> = members
                        .iter()
                        .filter(|&&o| o != m)
                        .filter_map(|&o| self.chan_name(o).map(|n| n.to_string()))
                        .collect();
                    self.set_var(m, "BRIDGEPEER", Some(&others.join(",")));
                }
            }
            BridgeKind::Basic => {}
        }
    }

    /// Takes `chan` out of its bridge (Asterisk's pull). `moving`: the channel goes straight into another
    /// bridge, so its variables stay. Publishes `BridgeLeave` and the `left` line; an empty basic bridge is
    /// destroyed; a hangup dissolves a basic bridge (the others are kicked).
    fn bridge_pull(&self, chan: ChannelId, why: LeaveReason, moving: bool) -> Option<BridgeId> {
        let id = self.bridge_of(chan)?;
        // Only a two-party bridge needs the other member: no copy of the member list, which for a
        // parking lot's bridge holds every call parked there (docs/performance.md, issue 4).
        let (kind, other_of_two, delegate, dissolve) = self.with_bridge(id, |b| {
            let other = b
                .members
                .two()
                .and_then(|two| two.into_iter().find(|&m| m != chan));
            (b.kind, other, b.delegate.clone(), b.dissolve)
        })?;
        let mut hooks = None;
        let mut place = NO_PLACE;
        if let Some(m) = self.with_chan_mut(chan, |c| c.member.take()).flatten() {
            hooks = m.hooks;
            place = m.place;
        }
        if let Some(mut h) = hooks {
            let actions = h.leave(self, chan);
            self.apply_hook_actions_sync(id, chan, actions);
        }
        if !moving && kind == BridgeKind::Basic {
            if self.chan_var(chan, "BRIDGEPEER").is_some() {
                self.set_var(chan, "BRIDGEPEER", None);
            }
            if let Some(other) = other_of_two {
                if self.chan_var(other, "BRIDGEPEER").is_some() {
                    self.set_var(other, "BRIDGEPEER", None);
                }
            }
        }
        if let Some(b) = self.inner.bridges.borrow_mut().list.get_mut(&id.0) {
            b.members.remove(chan, place);
        }
        self.with_chan_mut(chan, |c| c.bridge = None);
        if !moving {
            self.clear_interval_hooks(chan);
        }
        // Asterisk's pull prints the `left` line, runs the technology's leave (a holding bridge stops the
        // music) and the class's pull (the parking bridge publishes ParkedCallTimeOut or ParkedCallGiveUp)
        // and only then publishes BridgeLeave [main/bridge_channel.c · bridge_channel_internal_pull].
        if kind.is_holding() {
            self.joined_line(id, chan, "left");
            if let Some(d) = &delegate {
                d.leaving(self, id, chan);
            }
            self.bridge_event("BridgeLeave", id, Some(chan));
        } else {
            self.bridge_event("BridgeLeave", id, Some(chan));
            self.joined_line(id, chan, "left");
        }
        if let Some(d) = &delegate {
            d.left(self, id, chan, why);
        }
        if kind == BridgeKind::Basic && why == LeaveReason::Hangup && dissolve == Dissolve::OnHangup
        {
            for m in self.bridge_members(id) {
                self.request(m, Request::Dissolved);
            }
        }
        self.destroy_if_unreferenced(id);
        self.media_changed();
        Some(id)
    }

    /// Destroys (with `BridgeDestroy`) a bridge that dissolves when empty once nothing references it any
    /// more: no members and no imparted channel's bridge-channel still pointing at it.
    fn destroy_if_unreferenced(&self, id: BridgeId) {
        let unreferenced = {
            let b = self.inner.bridges.borrow();
            b.list.get(&id.0).is_some_and(|br| {
                br.destroy_when_empty && br.dissolve == Dissolve::OnHangup && br.members.is_empty()
            }) && !b.held.values().any(|&h| h == id)
        };
        if unreferenced {
            self.bridge_event("BridgeDestroy", id, None);
            self.inner.bridges.borrow_mut().list.remove(&id.0);
        }
    }

    /// An imparted channel's bridge-channel goes away (its channel was destroyed or it got a PBX): the
    /// bridge it referenced may now be destroyed.
    fn release_bridge_ref(&self, chan: ChannelId) {
        let held = self.inner.bridges.borrow_mut().held.remove(&chan);
        if let Some(id) = held {
            self.destroy_if_unreferenced(id);
        }
    }

    /// `chan` hung up: its channel object is destroyed now, or, for a Local half whose peer is still up,
    /// when that peer is (the pair's private data holds both halves). Releases what it referenced.
    pub(crate) fn channel_destroyed(&self, chan: ChannelId, live_local_peer: Option<ChannelId>) {
        if let Some(peer) = live_local_peer {
            let holds = self.inner.bridges.borrow().held.contains_key(&chan);
            if holds {
                self.inner
                    .bridges
                    .borrow_mut()
                    .waiting
                    .entry(peer)
                    .or_default()
                    .push(chan);
            }
            return;
        }
        self.release_bridge_ref(chan);
        let waiting = self.inner.bridges.borrow_mut().waiting.remove(&chan);
        for w in waiting.unwrap_or_default() {
            self.release_bridge_ref(w);
        }
    }

    /// A channel hung up while in a bridge without its loop noticing first.
    pub(crate) fn bridge_remove_dead(&self, _bridge: BridgeId, chan: ChannelId) {
        self.bridge_pull(chan, LeaveReason::Hangup, false);
    }

    fn request(&self, chan: ChannelId, req: Request) {
        self.request_keyed(chan, req, (self.now(), u64::MAX));
    }

    fn request_keyed(&self, chan: ChannelId, req: Request, key: (Duration, u64)) {
        self.with_chan_mut(chan, |c| {
            if let Some(m) = &mut c.member {
                m.request = Some(req);
                m.request_key = key;
            }
        });
        self.wake(chan);
    }

    fn pending_request_key(&self, chan: ChannelId) -> Option<(Duration, u64)> {
        self.with_chan(chan, |c| {
            let m = c.member.as_ref()?;
            m.request.map(|_| m.request_key)
        })
        .flatten()
    }

    /// Asks a channel to leave its bridge (`ast_bridge_kick`); its bridge loop returns
    /// [`LeaveReason::Kicked`].
    pub fn bridge_kick(&self, chan: ChannelId) {
        self.request(chan, Request::Kick);
    }

    /// Moves a channel from its bridge into `to` at once (`ast_bridge_move`); its bridge loop goes on in the
    /// new bridge. `false` if the push into `to` was refused (the channel is then back in no bridge and
    /// its loop leaves as kicked).
    pub fn bridge_move(&self, chan: ChannelId, to: BridgeId) -> bool {
        if self.bridge_of(chan).is_some() {
            self.bridge_pull(chan, LeaveReason::Kicked, true);
        }
        let ok = self.bridge_push(to, chan);
        if !ok {
            self.with_chan_mut(chan, |c| c.notify.notify_one());
        }
        ok
    }

    /// Imparts `chan` into bridge `id`: pushed now, serviced by its own task; when it leaves, it starts a
    /// PBX at a pending goto, or is hung up (Asterisk's after-bridge behaviour for a dialled channel).
    pub fn bridge_impart(&self, id: BridgeId, chan: ChannelId) -> bool {
        // The imparted channel gets a waker of its own (it was its dialler's while dialling).
        self.set_notify(chan, Rc::new(super::notify::Notify::new()));
        if !self.bridge_push(id, chan) {
            return false;
        }
        self.inner.bridges.borrow_mut().held.insert(chan, id);
        let engine = self.clone();
        self.spawn_local(async move {
            let why = engine.bridge_run(chan).await;
            // An async goto wins; otherwise a stored `h` run (Dial's `e`) happens here, then the
            // channel is hung up [main/bridge_after.c · ast_bridge_setup_after_goto].
            let async_goto = engine.with_chan(chan, |c| c.pending_goto.is_some());
            if async_goto == Some(false) {
                if let Some(context) = engine.take_after_h(chan) {
                    Box::pin(engine.run_h_in(chan, &context)).await;
                }
            }
            engine.after_bridge(chan, why);
        });
        true
    }

    /// What happens to a channel without a PBX when it leaves its bridge.
    pub fn after_bridge(&self, chan: ChannelId, _why: LeaveReason) {
        let goto = self
            .with_chan_mut(chan, |c| c.pending_goto.take())
            .flatten();
        match goto {
            Some(loc) if self.is_alive(chan) && self.interrupt(chan) != Some(Interrupt::Hangup) => {
                self.release_bridge_ref(chan);
                self.set_location(chan, &loc.context, &loc.exten, loc.priority);
                self.spawn_pbx(chan);
            }
            _ if self.is_alive(chan) && self.setup_after_goto(chan) => {
                self.release_bridge_ref(chan);
                self.spawn_pbx(chan);
            }
            _ => {
                if self.hangupcause(chan) == 0 {
                    self.set_hangupcause(chan, super::channel::cause::NORMAL_CLEARING);
                }
                self.hangup(chan);
            }
        }
    }

    /// Services a channel that is in a bridge until it leaves; returns why.
    ///
    /// A channel leaving for an async goto (a parking timeout, a Redirect, a blind transfer) is already at
    /// its destination: `ast_async_goto` moved a bridged channel's position at once, and the bridge
    /// system's last act, `ast_channel_internal_bridge_set(chan, NULL)`, publishes its snapshot — a
    /// `Newexten` for the new position that still names the application the channel was in (§8). The
    /// first step there publishes no other (`channel_newexten`: the position did not change), and what
    /// the application does before returning (Dial's `DIALSTATUS`) shows the new position.
    /// [main/bridge_channel.c · bridge_channel_internal_join; main/channel_internal_api.c ·
    /// ast_channel_internal_bridge_set; main/manager_channels.c · channel_newexten]
    pub async fn bridge_run(&self, chan: ChannelId) -> LeaveReason {
        let why = self.bridge_loop(chan).await;
        self.leave_for_async_goto(chan);
        why
    }

    /// [`Engine::bridge_run`]'s publish of the async goto's position.
    fn leave_for_async_goto(&self, chan: ChannelId) {
        if self.interrupt(chan) != Some(Interrupt::AsyncGoto) {
            return;
        }
        let Some(Some((to, appl))) = self.with_chan(chan, |c| {
            c.pending_goto.clone().map(|to| (to, c.appl.clone()))
        }) else {
            return;
        };
        self.set_location(chan, &to.context, &to.exten, to.priority);
        // An empty application makes no Newexten [main/manager_channels.c · channel_newexten]; then the
        // first step's own is kept (docs/divergences.md: Asterisk would publish none).
        if appl.is_empty() || !self.bus().wants_ami() {
            return;
        }
        self.newexten(chan);
        self.with_chan_mut(chan, |c| c.newexten_published = Some(Box::new(to)));
    }

    async fn bridge_loop(&self, chan: ChannelId) -> LeaveReason {
        let mut yields = 0u8;
        loop {
            let Some(bridge) = self.bridge_of(chan) else {
                return self.leave_reason_outside(chan);
            };
            if let Some(i) = self.interrupt(chan) {
                let why = match i {
                    Interrupt::Hangup => LeaveReason::Hangup,
                    Interrupt::AsyncGoto | Interrupt::Bridge => LeaveReason::AsyncGoto,
                };
                self.bridge_pull(chan, why, false);
                return why;
            }
            if let Some(key) = self.pending_request_key(chan) {
                // Hooks of this channel that tripped before the request was made run first.
                if self
                    .next_interval_trip(chan)
                    .is_some_and(|t| t <= self.now())
                {
                    if let Some(k) = Box::pin(self.run_due_intervals(bridge, chan, Some(key))).await
                    {
                        return self.leave_ended(bridge, chan, k);
                    }
                }
            }
            let req = self
                .with_chan_mut(chan, |c| c.member.as_mut().and_then(|m| m.request.take()))
                .flatten();
            if let Some(r) = req {
                let why = match r {
                    Request::Kick => LeaveReason::Kicked,
                    Request::Dissolved => LeaveReason::Dissolved,
                };
                self.bridge_pull(chan, why, false);
                return why;
            }
            // The frame and hook handlers are boxed: inline, their large state machines would make every
            // member's future (thousands of them in a parking lot) as large as the largest of them while it
            // only waits.
            if let Some(frame) = self.read_frame(chan) {
                if let Some(outcome) = Box::pin(self.bridge_frame(bridge, chan, frame)).await {
                    if outcome == FeatureOutcome::Leave {
                        self.bridge_pull(chan, LeaveReason::Feature, false);
                        return LeaveReason::Feature;
                    }
                }
                continue;
            }
            if self
                .next_interval_trip(chan)
                .is_some_and(|t| t <= self.now())
            {
                // Hooks of several members due at one moment run in the order they trip (in Asterisk each
                // member's thread wakes at its own trip time): let a member whose hook is due earlier go
                // first. Bounded, so a member busy elsewhere cannot hold this one at this moment forever.
                if yields < 4 && self.other_member_due_first(bridge, chan) {
                    yields += 1;
                    tokio::task::yield_now().await;
                    continue;
                }
                yields = 0;
                if let Some(key) = Box::pin(self.run_due_intervals(bridge, chan, None)).await {
                    return self.leave_ended(bridge, chan, key);
                }
                continue;
            }
            let timer = self.member_timer(chan);
            let wake = match (timer, self.next_interval_trip(chan)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let waited = match wake {
                // Most members (a parked call) wait for their channel alone: a future of a few words,
                // so the bridge loop a parked call keeps for its whole stay is half as large.
                None => self.wait_woken(chan).await,
                // A duration limit or an interval hook (rare): the timer's larger state, boxed.
                Some(_) => Box::pin(self.wait(chan, wake)).await,
            };
            if waited == Waited::Timeout {
                if let Some(t) = timer {
                    if t <= self.now() {
                        self.set_member_timer(chan, None);
                        let actions = self.with_hooks(chan, |h, e| h.timer(e, chan));
                        if let Some(outcome) =
                            Box::pin(self.apply_hook_actions(bridge, chan, actions)).await
                        {
                            if outcome == FeatureOutcome::Leave {
                                self.bridge_pull(chan, LeaveReason::Feature, false);
                                return LeaveReason::Feature;
                            }
                        }
                    }
                }
            }
        }
    }

    /// A hook ended the channel's stay (`BRIDGE_CHANNEL_STATE_END`): it leaves, and a basic bridge that
    /// dissolves on hang-up dissolves (the others are taken out).
    fn leave_ended(&self, bridge: BridgeId, chan: ChannelId, key: (Duration, u64)) -> LeaveReason {
        let dissolves = self
            .with_bridge(bridge, |b| {
                b.kind == BridgeKind::Basic && b.dissolve == Dissolve::OnHangup
            })
            .unwrap_or(false);
        self.bridge_pull(chan, LeaveReason::Kicked, false);
        if dissolves {
            for m in self.bridge_members(bridge) {
                self.request_keyed(m, Request::Dissolved, key);
            }
        }
        LeaveReason::Kicked
    }

    fn leave_reason_outside(&self, chan: ChannelId) -> LeaveReason {
        match self.interrupt(chan) {
            Some(Interrupt::Hangup) => LeaveReason::Hangup,
            Some(_) => LeaveReason::AsyncGoto,
            None => LeaveReason::Kicked,
        }
    }

    fn member_timer(&self, chan: ChannelId) -> Option<Duration> {
        self.with_chan(chan, |c| c.member.as_ref().and_then(|m| m.timer))
            .flatten()
    }

    fn set_member_timer(&self, chan: ChannelId, t: Option<Duration>) {
        self.with_chan_mut(chan, |c| {
            if let Some(m) = &mut c.member {
                m.timer = t;
            }
        });
    }

    /// Runs `f` on the member's hooks (taken out of the table meanwhile); no hooks ⇒ no actions.
    fn with_hooks(
        &self,
        chan: ChannelId,
        f: impl FnOnce(&mut dyn DtmfHooks, &Engine) -> Vec<HookAction>,
    ) -> Vec<HookAction> {
        let hooks = self
            .with_chan_mut(chan, |c| c.member.as_mut().and_then(|m| m.hooks.take()))
            .flatten();
        let Some(mut hooks) = hooks else {
            return Vec::new();
        };
        let actions = f(hooks.as_mut(), self);
        self.with_chan_mut(chan, |c| {
            if let Some(m) = &mut c.member {
                if m.hooks.is_none() {
                    m.hooks = Some(hooks);
                }
            }
        });
        actions
    }

    fn has_hooks(&self, chan: ChannelId) -> bool {
        self.with_chan(chan, |c| {
            c.member.as_ref().is_some_and(|m| m.hooks.is_some())
        })
        .unwrap_or(false)
    }

    /// One frame read from a bridged channel.
    async fn bridge_frame(
        &self,
        bridge: BridgeId,
        chan: ChannelId,
        frame: Frame,
    ) -> Option<FeatureOutcome> {
        let actions = match frame {
            Frame::DtmfBegin(d) if self.has_hooks(chan) => {
                self.with_hooks(chan, |h, e| h.begin(e, chan, d))
            }
            Frame::DtmfBegin(d) => vec![HookAction::PassBegin(d)],
            Frame::DtmfEnd(d, ms) if self.has_hooks(chan) => {
                self.with_hooks(chan, |h, e| h.end(e, chan, d, ms))
            }
            Frame::DtmfEnd(d, ms) => vec![HookAction::PassEnd(d, ms)],
            Frame::Voice | Frame::Control(_) => return None,
        };
        self.apply_hook_actions(bridge, chan, actions).await
    }

    fn peers(&self, bridge: BridgeId, chan: ChannelId) -> Vec<ChannelId> {
        let kind = self.with_bridge(bridge, |b| b.kind);
        if kind != Some(BridgeKind::Basic) {
            // Members of a holding bridge hear only their music.
            return Vec::new();
        }
        self.bridge_members(bridge)
            .into_iter()
            .filter(|&m| m != chan)
            .collect()
    }

    /// Carries out hook actions that need no waiting (used when a channel leaves).
    fn apply_hook_actions_sync(&self, bridge: BridgeId, chan: ChannelId, actions: Vec<HookAction>) {
        for a in actions {
            match a {
                HookAction::PassBegin(d) => {
                    for p in self.peers(bridge, chan) {
                        self.write_dtmf_frame(p, Frame::DtmfBegin(d));
                    }
                }
                HookAction::PassEnd(d, ms) => {
                    for p in self.peers(bridge, chan) {
                        self.write_dtmf_frame(p, Frame::DtmfEnd(d, ms));
                    }
                }
                HookAction::FlushToPeers(digits) => {
                    for p in self.peers(bridge, chan) {
                        self.stream_dtmf_out(p, &digits);
                    }
                }
                HookAction::ArmTimer(t) => self.set_member_timer(chan, Some(t)),
                HookAction::CancelTimer => self.set_member_timer(chan, None),
                HookAction::Swallow | HookAction::Run(_) => {}
            }
        }
    }

    async fn apply_hook_actions(
        &self,
        bridge: BridgeId,
        chan: ChannelId,
        actions: Vec<HookAction>,
    ) -> Option<FeatureOutcome> {
        let mut outcome = None;
        let mut sync = Vec::new();
        for a in actions {
            match a {
                HookAction::Run(action) => {
                    self.apply_hook_actions_sync(bridge, chan, std::mem::take(&mut sync));
                    let o = action.run(self.clone(), bridge, chan).await;
                    if o == FeatureOutcome::Leave {
                        outcome = Some(o);
                    }
                }
                other => sync.push(other),
            }
        }
        self.apply_hook_actions_sync(bridge, chan, sync);
        outcome
    }

    /// Streams DTMF out of `chan` as a bridge does when it flushes collected digits to a peer
    /// (`ast_dtmf_stream` defaults: 100 ms silence, then per digit 100 ms tone and 100 ms gap).
    pub fn stream_dtmf_out(&self, chan: ChannelId, digits: &str) {
        let engine = self.clone();
        let digits: Vec<char> = digits.chars().collect();
        self.spawn_local(async move {
            let start = engine.now();
            let mut t = start + Duration::from_millis(100);
            for d in digits {
                engine.sleep_until(t).await;
                engine.write_frame(chan, Frame::DtmfBegin(d));
                t += Duration::from_millis(100);
                engine.sleep_until(t).await;
                engine.write_frame(chan, Frame::DtmfEnd(d, 100));
                t += Duration::from_millis(100);
            }
        });
    }

    /// Where a channel that got an async goto while in a bridge resumes (used by tests).
    pub fn pending_goto(&self, chan: ChannelId) -> Option<Location> {
        self.with_chan(chan, |c| c.pending_goto.clone()).flatten()
    }
}
