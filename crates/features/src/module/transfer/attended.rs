//! The `atxfer` feature and its monitor [main/bridge_basic.c · feature_attended_transfer, dial_transfer,
//! attended_transfer_monitor_thread, bridge_personality_atxfer_push/pull, transfer_pull, recall_pull;
//! main/stasis_bridges.c · attended_transfer_to_ami].
//!
//! `Channel %s: Started DTMF attended transfer.`; the peer is put on hold and the transferer dials the
//! target as for a blind transfer. The target is called through a Local channel `Local/<exten>@<context>`
//! (`;1` gets `TRANSFERERNAME` and `ATTENDEDTRANSFER` = the transferer, the transferer's inheritable
//! variables and, as its connected line, the transferer's caller id; `;2` copies them all when called), in a
//! new basic **target bridge**. Both bridges take the attended transfer personality: they no longer dissolve
//! when a member hangs up, and the transferer's only hooks are `atxferabort`, `atxfercomplete`,
//! `atxferthreeway` and `atxferswap`. A monitor task then runs the state machine of
//! [`crate::transfer::atxfer`] on the stimuli: the keys, the transferer hanging up, the target answering
//! (`;1` up) or leaving, the transferee leaving, and the state timers.
//!
//! On completion the target bridge's channels join the transferee bridge and `AttendedTransfer` is
//! published (`DestType: Bridge`). When the target was a parking extension, `;2` is parked (by `Park`, with
//! `ATTENDEDTRANSFER` naming the parker) and Asterisk's Local channel optimization then swaps the
//! transferee into the lot in `;2`'s place: the parking provider's [`super::TransferPark::swap`]
//! (`ParkedCallSwap`, same space, the time left), after which the Local pair goes away.
//!
//! A transfer completed before the target answered is *blond*; with `atxferdropcall=no` the monitor goes on
//! in the recall superstate: the target keeps ringing in the transferee bridge until
//! `atxfernoanswertimeout`, then the transferer is called back and the target retried in turn
//! (the `recall` submodule).

use super::{
    default_moh_class, grab_transfer, play_in_bridge, set_transfer_variables, transfer_context,
    write_hold, write_unhold, TransferKind,
};
use crate::hooks::{Feature, HookSet};
use crate::module::FeaturesModule;
use crate::transfer::atxfer::{
    unexpected_line, AtxferConfig, AtxferState, DropCall, Effect, Side, Stimulus, Timer, TimerStart,
};
use dialplan::diag::LogLevel;
use dialplan::engine::ami::Prefix;
use dialplan::engine::channel::cause;
use dialplan::engine::ops::SoftHangupReason;
use dialplan::engine::{
    BridgeDelegate, BridgeId, BridgeKind, ChannelId, Control, Dissolve, Engine, FeatureAction,
    FeatureOutcome, LeaveReason, LocalBoxFuture,
};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use std::time::Duration;

mod recall;
use recall::{RecallDial, RecallParty};

/// What stands for the monitor's address (`%p`) in Asterisk's error line: a run has no memory addresses.
const MONITOR_ADDRESS: &str = "0x7f0000001000";

/// The transferer's role while its transfer runs (Asterisk's `AST_TRANSFERER_ROLE_NAME` bridge role).
const ROLE_KEY: &str = "dialsim-atxfer-transferer";

/// The keys the transferer has while an attended transfer runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AtxferKey {
    Abort,
    Complete,
    Threeway,
    Swap,
}

impl AtxferKey {
    fn stimulus(self) -> Stimulus {
        match self {
            AtxferKey::Abort => Stimulus::DtmfAbort,
            AtxferKey::Complete => Stimulus::DtmfComplete,
            AtxferKey::Threeway => Stimulus::DtmfThreeway,
            AtxferKey::Swap => Stimulus::DtmfSwap,
        }
    }

    /// The features.conf option that maps it.
    pub fn option_name(self) -> &'static str {
        match self {
            AtxferKey::Abort => "atxferabort",
            AtxferKey::Complete => "atxfercomplete",
            AtxferKey::Threeway => "atxferthreeway",
            AtxferKey::Swap => "atxferswap",
        }
    }
}

/// The attended transfer feature action.
pub struct AttendedTransfer {
    pub(crate) module: FeaturesModule,
}

impl FeatureAction for AttendedTransfer {
    fn name(&self) -> &str {
        "atxfer"
    }

    fn run(
        &self,
        engine: Engine,
        bridge: BridgeId,
        chan: ChannelId,
    ) -> LocalBoxFuture<FeatureOutcome> {
        let module = self.module.clone();
        Box::pin(async move {
            feature_attended_transfer(&module, &engine, bridge, chan).await;
            FeatureOutcome::Stay
        })
    }
}

/// A key of the transferer's during the transfer: its stimulus for the monitor.
pub struct AtxferKeyAction {
    pub key: AtxferKey,
}

impl FeatureAction for AtxferKeyAction {
    fn name(&self) -> &str {
        self.key.option_name()
    }

    fn run(
        &self,
        engine: Engine,
        _bridge: BridgeId,
        chan: ChannelId,
    ) -> LocalBoxFuture<FeatureOutcome> {
        if let Some(x) = role(&engine, chan) {
            x.stimulate(x.engine.now(), self.key.stimulus());
        }
        Box::pin(async { FeatureOutcome::Stay })
    }
}

/// The hooks of a channel holding the transferer role, or `None` for a channel without it.
pub fn transferer_hooks(engine: &Engine, chan: ChannelId) -> Option<HookSet> {
    let x = role(engine, chan)?;
    let g = &x.module.config().general;
    let mut set = HookSet::new();
    for (code, key) in [
        (&g.atxferabort, AtxferKey::Abort),
        (&g.atxfercomplete, AtxferKey::Complete),
        (&g.atxferthreeway, AtxferKey::Threeway),
        (&g.atxferswap, AtxferKey::Swap),
    ] {
        if !code.is_empty() {
            set.insert(code, Feature::Atxfer(key));
        }
    }
    Some(set)
}

fn role(engine: &Engine, chan: ChannelId) -> Option<Rc<Atxfer>> {
    engine
        .with_chan(chan, |c| {
            c.datastores
                .get(ROLE_KEY)
                .and_then(|d| d.downcast_ref::<Rc<Atxfer>>())
                .cloned()
        })
        .flatten()
}

fn set_role(engine: &Engine, chan: ChannelId, x: Option<Rc<Atxfer>>) {
    engine.with_chan_mut(chan, |c| match x {
        Some(x) => {
            c.datastores.insert(ROLE_KEY, Box::new(x));
        }
        None => {
            c.datastores.remove(ROLE_KEY);
        }
    });
}

fn name_of(engine: &Engine, chan: ChannelId) -> String {
    engine
        .chan_name(chan)
        .map(|n| n.to_string())
        .unwrap_or_default()
}

async fn feature_attended_transfer(
    module: &FeaturesModule,
    engine: &Engine,
    bridge: BridgeId,
    chan: ChannelId,
) {
    let name = name_of(engine, chan);
    engine.verbose(3, "bridge_basic.c", || {
        format!("Channel {name}: Started DTMF attended transfer.")
    });
    if module.bridge_in_transfer(bridge) {
        let uid = engine
            .with_bridge(bridge, |b| b.uniqueid.to_string())
            .unwrap_or_default();
        engine.verbose(3, "bridge_basic.c", || {
            format!("Channel {name}: Bridge '{uid}' does not permit merging at this time.")
        });
        return;
    }
    let general = module.config().general.clone();
    let context = transfer_context(engine, chan);
    module.set_bridge_in_transfer(bridge, true);
    write_hold(engine, bridge, chan);
    let Ok(exten) = grab_transfer(engine, chan, &context, &general).await else {
        engine.verbose(3, "bridge_basic.c", || {
            format!("Channel {name}: Unable to acquire target extension for attended transfer.")
        });
        write_unhold(engine, engine.bridge_of(chan).unwrap_or(bridge), chan);
        module.set_bridge_in_transfer(bridge, false);
        return;
    };
    let destination = format!("{exten}@{context}");
    // dial_transfer: a Local channel to the target, set up from the transferer.
    let linkedid = engine.with_chan(chan, |c| c.linkedid.clone());
    let (one, two) = engine.request_local(&destination, linkedid);
    engine.set_var(one, "TRANSFERERNAME", Some(&name));
    set_transfer_variables(engine, one, &name, TransferKind::Attended);
    if let Some(caller) = engine.with_chan(chan, |c| c.caller.clone()) {
        engine.with_chan_mut(one, |c| c.connected = caller);
    }
    engine.inherit_variables(chan, one);
    let cfg = AtxferConfig {
        drop_call: if general.atxferdropcall {
            DropCall::Drop
        } else {
            DropCall::Recall
        },
        no_answer_timeout: Duration::from_secs(u64::from(general.atxfernoanswertimeout)),
        loop_delay: Duration::from_secs(u64::from(general.atxferloopdelay)),
        callback_retries: general.atxfercallbackretries,
    };
    let x = Rc::new(Atxfer {
        engine: engine.clone(),
        module: module.clone(),
        transferer: chan,
        transferee_bridge: Cell::new(Some(bridge)),
        target_bridge: Cell::new(None),
        target: one,
        target_two: two,
        destination: destination.clone(),
        recall_party: RefCell::new(RecallParty::of(engine, chan)),
        recall_target: Cell::new(None),
        watched: Cell::new(Some(one)),
        recall_dial: RefCell::new(None),
        queue: RefCell::new(VecDeque::new()),
        notify: tokio::sync::Notify::new(),
        moving: Cell::new(false),
        recall: Cell::new(false),
        answer_reported: Cell::new(false),
        merged: Cell::new(false),
        transferer_snapshot: RefCell::new(Vec::new()),
        old_delegate: RefCell::new(None),
        cfg,
        xfersound: general.xfersound.clone(),
        xferfailsound: general.xferfailsound.clone(),
    });
    x.refresh_snapshot();
    let delegate: Rc<dyn BridgeDelegate> = Rc::new(AtxferBridge {
        xfer: Rc::downgrade(&x),
    });
    let target_bridge = engine.create_bridge(BridgeKind::Basic, "", "", Some(delegate.clone()));
    x.target_bridge.set(Some(target_bridge));
    // Both bridges take the attended transfer personality.
    engine.set_bridge_dissolve(target_bridge, Dissolve::Never);
    engine.set_bridge_dissolve(bridge, Dissolve::Never);
    *x.old_delegate.borrow_mut() = engine.set_bridge_delegate(bridge, Some(delegate));
    set_role(engine, chan, Some(x.clone()));
    if engine.call_local(one).is_err() {
        engine.log(LogLevel::Error, "bridge_basic.c", || {
            format!("Channel {name}: Unable to place outbound call to transfer target.")
        });
        let _ = engine.play(chan, &general.xferfailsound).await;
        write_unhold(engine, engine.bridge_of(chan).unwrap_or(bridge), chan);
        engine.hangup(one);
        engine.hangup(two);
        x.shutdown();
        return;
    }
    if !engine.bridge_impart(target_bridge, one) {
        engine.log(LogLevel::Error, "bridge_basic.c", || {
            format!("Channel {name}: Unable to place transfer target into bridge.")
        });
        x.shutdown();
        return;
    }
    let monitor = x.clone();
    engine.spawn_local(async move { monitor.run().await });
}

/// One attended transfer in progress (`struct attended_transfer_properties`).
pub struct Atxfer {
    engine: Engine,
    module: FeaturesModule,
    transferer: ChannelId,
    transferee_bridge: Cell<Option<BridgeId>>,
    target_bridge: Cell<Option<BridgeId>>,
    /// The transfer target: the Local channel's `;1`.
    target: ChannelId,
    target_two: ChannelId,
    /// `exten@context` of the target, for a retransfer.
    destination: String,
    /// What a recall of the transferer needs of it.
    recall_party: RefCell<RecallParty>,
    /// The recall superstate's `recall_target`: the target after a blond transfer, the recalled
    /// transferer once it answered, the Local channel of a retransfer.
    recall_target: Cell<Option<ChannelId>>,
    /// The channel whose answer the framehook reports (the target, then a retransfer's Local channel).
    watched: Cell<Option<ChannelId>>,
    /// The transferer's device being called back (Recalling).
    recall_dial: RefCell<Option<RecallDial>>,
    /// Stimuli in the order they happened (virtual time).
    queue: RefCell<VecDeque<(Duration, Stimulus)>>,
    notify: tokio::sync::Notify,
    /// The monitor itself is moving a channel between the bridges (a pull that is no departure).
    moving: Cell<bool>,
    /// The recall superstate (after a blond transfer that is not final).
    recall: Cell<bool>,
    answer_reported: Cell<bool>,
    /// The target bridge was merged into the transferee bridge without the transferer (completed).
    merged: Cell<bool>,
    /// The transferer's last snapshot block (it may be gone when the event is published).
    transferer_snapshot: RefCell<Vec<(Cow<'static, str>, String)>>,
    /// The transferee bridge's delegate before the personality change.
    old_delegate: RefCell<Option<Rc<dyn BridgeDelegate>>>,
    cfg: AtxferConfig,
    xfersound: String,
    xferfailsound: String,
}

impl Atxfer {
    fn stimulate(&self, at: Duration, s: Stimulus) {
        {
            let mut q = self.queue.borrow_mut();
            let pos = q.iter().position(|(t, _)| *t > at).unwrap_or(q.len());
            q.insert(pos, (at, s));
        }
        self.notify.notify_one();
    }

    /// The framehook moves to `chan` (a retransfer's Local channel).
    fn watch_answer_of(&self, chan: ChannelId) {
        self.watched.set(Some(chan));
        self.answer_reported.set(false);
    }

    fn refresh_snapshot(&self) {
        if !self.engine.is_alive(self.transferer) {
            return;
        }
        self.recall_party
            .borrow_mut()
            .refresh(&self.engine, self.transferer);
        let mut f = dialplan::engine::Fields::new("snapshot", "call");
        self.engine
            .push_snapshot(&mut f, Prefix::NONE, self.transferer);
        if !f.fields.is_empty() {
            *self.transferer_snapshot.borrow_mut() = f.fields;
        }
    }

    fn bridge(&self, side: Side) -> Option<BridgeId> {
        match side {
            Side::Transferee => self.transferee_bridge.get(),
            Side::Target => self.target_bridge.get(),
        }
    }

    /// The framehook on the target: its answer, at the time it happened, once.
    fn check_answer(&self) {
        if self.answer_reported.get() {
            return;
        }
        let Some(watched) = self.watched.get() else {
            return;
        };
        let answered = self.engine.with_chan(watched, |c| c.answered_at).flatten();
        if let Some(at) = answered {
            self.answer_reported.set(true);
            let s = if self.recall.get() {
                Stimulus::RecallTargetAnswer
            } else {
                Stimulus::TransferTargetAnswer
            };
            self.stimulate(at, s);
        }
    }

    async fn run(self: Rc<Self>) {
        let mut state = AtxferState::CallingTarget;
        let mut start = self.engine.now();
        let mut retries = 0;
        loop {
            if state.is_terminal() {
                // The role goes before the transferer rejoins, so it gets its normal hooks back.
                set_role(&self.engine, self.transferer, None);
            }
            if state == AtxferState::BlondNonFinal {
                // The target becomes the recall target.
                self.recall.set(true);
                self.recall_target.set(Some(self.target));
            }
            for e in state.enter() {
                self.apply(e, state, None).await;
            }
            let entered = match state {
                AtxferState::Recalling => self.recalling_enter(),
                AtxferState::Retransfer => self.retransfer_enter(),
                _ => Ok(()),
            };
            if entered.is_err() {
                let name = state.name();
                self.engine.log(LogLevel::Error, "bridge_basic.c", || {
                    format!("State {name} enter function returned an error for attended transfer {MONITOR_ADDRESS}")
                });
                break;
            }
            if state.is_terminal() {
                break;
            }
            let stimulus = self.wait_for_stimulus(state, &mut start).await;
            self.refresh_snapshot();
            let mut t = state.exit(stimulus, &self.cfg, retries);
            if state == AtxferState::Recalling {
                // Whatever happened, the dial ends; an answered recall joins the transferee bridge.
                let answered = self.end_recall_dial();
                if matches!(stimulus, Stimulus::Timeout | Stimulus::RecallTargetHangup) {
                    retries += 1;
                }
                if stimulus == Stimulus::RecallTargetAnswer {
                    let joined = answered.is_some_and(|c| self.join_recalled(c));
                    if !joined {
                        t.next = AtxferState::Fail;
                    }
                }
            }
            for e in t.effects {
                self.apply(e, state, Some(stimulus)).await;
            }
            let recall_target_gone = matches!(
                (state, stimulus),
                (
                    AtxferState::BlondNonFinal | AtxferState::Retransfer,
                    Stimulus::Timeout | Stimulus::RecallTargetHangup
                )
            );
            if recall_target_gone {
                self.recall_target.set(None);
                if state == AtxferState::BlondNonFinal && stimulus == Stimulus::Timeout {
                    // An answer queued before the hangup no longer counts.
                    self.queue
                        .borrow_mut()
                        .retain(|(_, s)| *s != Stimulus::RecallTargetAnswer);
                }
            }
            state = t.next;
        }
        if let Some(chan) = self.end_recall_dial() {
            self.engine.hangup(chan);
        }
        self.shutdown();
    }

    async fn wait_for_stimulus(&self, state: AtxferState, start: &mut Duration) -> Stimulus {
        let deadline = state.timer().map(|(timer, reset)| {
            if reset == TimerStart::Reset {
                *start = self.engine.now();
            }
            *start
                + match timer {
                    Timer::NoAnswer => self.cfg.no_answer_timeout,
                    Timer::LoopDelay => self.cfg.loop_delay,
                }
        });
        loop {
            self.check_answer();
            if let Some((_, s)) = self.queue.borrow_mut().pop_front() {
                return s;
            }
            match deadline {
                Some(d) if d <= self.engine.now() => return Stimulus::Timeout,
                Some(d) => {
                    tokio::select! {
                        biased;
                        _ = self.notify.notified() => {}
                        _ = self.engine.sleep_until(d) => {}
                    }
                }
                None => self.notify.notified().await,
            }
        }
    }

    fn move_transferer(&self, side: Side) {
        let (Some(to), Some(now)) = (self.bridge(side), self.engine.bridge_of(self.transferer))
        else {
            return;
        };
        if to != now {
            self.moving.set(true);
            self.engine.bridge_move(self.transferer, to);
            self.moving.set(false);
        }
    }

    async fn apply(&self, e: Effect, state: AtxferState, stimulus: Option<Stimulus>) {
        let engine = &self.engine;
        match e {
            Effect::MoveTransferer(side) => self.move_transferer(side),
            Effect::HoldTransferer => {
                if let Some(b) = engine.bridge_of(self.transferer) {
                    write_hold(engine, b, self.transferer);
                }
            }
            Effect::UnholdTransferer => {
                if let Some(b) = engine.bridge_of(self.transferer) {
                    write_unhold(engine, b, self.transferer);
                }
            }
            Effect::UnholdBridge(side) => {
                for m in self
                    .bridge(side)
                    .map(|b| engine.bridge_members(b))
                    .unwrap_or_default()
                {
                    engine.moh_stop(m);
                }
            }
            Effect::HoldBridge(side) => {
                // A member already hung up (a recall target just given up on) hears nothing.
                for m in self
                    .bridge(side)
                    .map(|b| engine.bridge_members(b))
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|&m| engine.interrupt(m) != Some(dialplan::engine::Interrupt::Hangup))
                {
                    let class = default_moh_class(engine, m);
                    engine.moh_start(m, &class);
                }
            }
            Effect::FailSound => play_in_bridge(&self.engine, self.transferer, &self.xferfailsound),
            Effect::Merge { kick_transferer } => self.merge(kick_transferer),
            Effect::RingTarget => {
                if let Some(b) = engine.bridge_of(self.target) {
                    for m in engine.bridge_members(b) {
                        if m != self.target {
                            engine.indicate(m, Control::Ringing);
                        }
                    }
                }
            }
            Effect::TargetBridgeNormal => {
                if let Some(b) = self.target_bridge.take() {
                    engine.set_bridge_delegate(b, None);
                    engine.set_bridge_dissolve(b, Dissolve::OnHangup);
                }
            }
            Effect::HangupRecallTarget => {
                if let Some(t) = self.recall_target.get() {
                    engine.soft_hangup(t, SoftHangupReason::Explicit);
                }
            }
            Effect::DestroyTransfereeBridge => {
                if let Some(b) = self.transferee_bridge.take() {
                    self.module.set_bridge_in_transfer(b, false);
                    engine.destroy_bridge(b);
                }
            }
            Effect::PublishSuccess => self.publish(Outcome::Merge),
            Effect::PublishThreeway => self.publish(Outcome::Threeway),
            Effect::PublishFail => self.publish(Outcome::Fail),
            Effect::Unexpected => {
                if let Some(s) = stimulus {
                    engine.log(LogLevel::Warning, "bridge_basic.c", || {
                        unexpected_line(s, state)
                    });
                }
            }
        }
    }

    /// `bridge_merge(transferee bridge ← target bridge)`; the transferer is kicked when asked. Then the
    /// sound to the target (and, in a three-way call, to the transferer), and the parking swap.
    fn merge(&self, kick_transferer: bool) {
        let engine = &self.engine;
        let (Some(dest), Some(src)) = (self.transferee_bridge.get(), self.target_bridge.get())
        else {
            return;
        };
        self.moving.set(true);
        for m in engine.bridge_members(src) {
            if m == self.transferer && kick_transferer {
                continue;
            }
            engine.bridge_move(m, dest);
        }
        self.moving.set(false);
        self.merged.set(kick_transferer);
        if kick_transferer && engine.bridge_of(self.transferer).is_some() {
            engine.bridge_kick(self.transferer);
        }
        play_in_bridge(&self.engine, self.target, &self.xfersound);
        if !kick_transferer {
            play_in_bridge(&self.engine, self.transferer, &self.xfersound);
        }
    }

    /// The Local channel optimization after a completed transfer to a parked target: the transferee takes
    /// `;2`'s place in the lot and the Local pair goes away.
    fn swap_into_parking(&self) {
        let engine = &self.engine;
        if !self.merged.get() {
            return;
        }
        let Some(provider) = self.module.transfer_park() else {
            return;
        };
        let Some(dest) = self.transferee_bridge.get() else {
            return;
        };
        let members = engine.bridge_members(dest);
        let [a, b] = members.as_slice() else {
            return;
        };
        let transferee = if *a == self.target { *b } else { *a };
        if !members.contains(&self.target) || !provider.swap(engine, self.target_two, transferee) {
            return;
        }
        engine.set_hangupcause(self.target_two, cause::NORMAL_CLEARING);
        engine.bridge_kick(self.target_two);
    }

    fn publish(&self, outcome: Outcome) {
        let engine = &self.engine;
        if !engine.bus().wants_ami() {
            return;
        }
        let snapshot = self.transferer_snapshot.borrow().clone();
        let (transferee, target) = self.parties();
        let orig = self.transferee_bridge.get();
        let second = self.target_bridge.get();
        engine.ami("AttendedTransfer", "call", |f| {
            f.push(
                "Result",
                if outcome == Outcome::Fail {
                    "Fail"
                } else {
                    "Success"
                },
            );
            push_prefixed(f, "OrigTransferer", &snapshot);
            if let Some(b) = orig {
                push_bridge_prefixed(engine, f, "Orig", b);
            }
            push_prefixed(f, "SecondTransferer", &snapshot);
            if let Some(b) = second {
                push_bridge_prefixed(engine, f, "Second", b);
            }
            if outcome != Outcome::Fail {
                if let Some(t) = transferee {
                    engine.push_snapshot(f, Prefix("Transferee"), t);
                }
                if let Some(t) = target {
                    engine.push_snapshot(f, Prefix("TransferTarget"), t);
                }
            }
            f.push("IsExternal", "No");
            match outcome {
                Outcome::Merge => {
                    f.push("DestType", "Bridge");
                    if let Some(uid) =
                        orig.and_then(|b| engine.with_bridge(b, |b| b.uniqueid.to_string()))
                    {
                        f.push("DestBridgeUniqueid", uid);
                    }
                }
                Outcome::Threeway => {
                    f.push("DestType", "Threeway");
                    if let Some(uid) =
                        orig.and_then(|b| engine.with_bridge(b, |b| b.uniqueid.to_string()))
                    {
                        f.push("DestBridgeUniqueid", uid);
                    }
                    f.push("DestTransfererChannel", name_of(engine, self.transferer));
                }
                Outcome::Fail => {
                    f.push("DestType", "Fail");
                }
            }
        });
    }

    /// `get_transfer_parties` (after the merge: the transferee bridge holds both).
    fn parties(&self) -> (Option<ChannelId>, Option<ChannelId>) {
        let engine = &self.engine;
        let members = self
            .transferee_bridge
            .get()
            .map(|b| engine.bridge_members(b))
            .unwrap_or_default();
        let target = members.iter().copied().find(|&m| m == self.target);
        let transferee = members
            .iter()
            .copied()
            .find(|&m| m != self.target && m != self.transferer);
        (transferee, target)
    }

    /// `attended_transfer_properties_shutdown`: the transferee bridge is normal again, the target bridge
    /// is destroyed, the role goes.
    fn shutdown(&self) {
        let engine = &self.engine;
        if let Some(b) = self.transferee_bridge.get() {
            let old = self.old_delegate.borrow_mut().take();
            engine.set_bridge_delegate(b, old);
            engine.set_bridge_dissolve(b, Dissolve::OnHangup);
            self.module.set_bridge_in_transfer(b, false);
        }
        if let Some(b) = self.target_bridge.take() {
            engine.destroy_bridge(b);
        }
        set_role(engine, self.transferer, None);
        self.swap_into_parking();
    }

    /// A channel left one of the two bridges (`bridge_personality_atxfer_pull` and the transferer's hangup
    /// hook).
    fn pulled(&self, bridge: BridgeId, chan: ChannelId, why: LeaveReason) {
        if self.moving.get() {
            return;
        }
        let now = self.engine.now();
        if chan == self.transferer && why == LeaveReason::Hangup {
            self.stimulate(now, Stimulus::TransfererHangup);
        }
        let members = self.engine.bridge_members(bridge);
        let is_transferee_bridge = Some(bridge) == self.transferee_bridge.get();
        if self.recall.get() {
            if Some(bridge) == self.target_bridge.get() {
                return;
            }
            let recall_target = self.recall_target.get();
            if recall_target == Some(chan) {
                self.stimulate(now, Stimulus::RecallTargetHangup);
            } else if members.is_empty()
                || (members.len() == 1 && recall_target == Some(members[0]))
            {
                self.stimulate(now, Stimulus::TransfereeHangup);
            }
            return;
        }
        let only_transferer_left = members.len() == 1 && members[0] == self.transferer;
        if members.is_empty() || only_transferer_left {
            let s = if is_transferee_bridge {
                Stimulus::TransfereeHangup
            } else {
                Stimulus::TransferTargetHangup
            };
            self.stimulate(now, s);
        }
    }
}

/// What `AttendedTransfer` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Merge,
    Threeway,
    Fail,
}

fn push_prefixed(
    f: &mut dialplan::engine::Fields,
    prefix: &'static str,
    block: &[(Cow<'static, str>, String)],
) {
    for (k, v) in block {
        f.push(format!("{prefix}{k}"), v.clone());
    }
}

fn push_bridge_prefixed(
    engine: &Engine,
    f: &mut dialplan::engine::Fields,
    prefix: &'static str,
    bridge: BridgeId,
) {
    let mut inner = dialplan::engine::Fields::new("bridge", "call");
    engine.with_bridge(bridge, |b| {
        dialplan::engine::ami::push_bridge(&mut inner, b)
    });
    push_prefixed(f, prefix, &inner.fields);
}

/// The delegate both bridges get while the transfer runs.
struct AtxferBridge {
    xfer: Weak<Atxfer>,
}

impl BridgeDelegate for AtxferBridge {
    fn left(&self, _engine: &Engine, bridge: BridgeId, chan: ChannelId, why: LeaveReason) {
        if let Some(x) = self.xfer.upgrade() {
            x.pulled(bridge, chan, why);
        }
    }
}
