//! The recall side of an attended transfer (`atxferdropcall=no`): after a blond transfer nobody answered,
//! the transferer's device is called back, and between recalls the target is tried again.
//! [main/bridge_basic.c · recalling_enter/exit, recall_callback, retransfer_enter/exit,
//! common_recall_channel_setup; main/dial.c · begin_dial_channel, handle_frame, monitor_dial, ast_dial_join]
//!
//! - **Recalling**: the transferer's technology and address (its channel name without the `-serial`
//!   suffix, e.g. `PJSIP` + `alice`) are dialled through the dialling API, with no calling channel:
//!   `Called alice`, a `DialBegin` with only the `Dest…` block. The recall channel gets the transferer's
//!   caller id, its connected line from before the transfer, and the transferer's inheritable variables.
//!   The transferee bridge hears ringing. `… is ringing` / `… answered` / `… is busy` as the dialling API
//!   prints them (`DialState`/`DialEnd` without a caller). An answer imparts the recalled channel into the
//!   transferee bridge with the transferer's feature flags; a timeout cancels the dial (soft hangup, then
//!   hangup, no `DialEnd`).
//! - **Retransfer**: a new Local channel to the original `exten@context`, its connected line the
//!   transferer's from before the transfer, imparted into the transferee bridge while it rings; its answer
//!   ends the transfer.
//!
//! A scenario device answers a recall per its `answer_after`; an emulated device is rewritten as for Dial.

use super::Atxfer;
use crate::module::{channel_permissions, set_channel_permissions};
use crate::FeaturePermissions;
use dialplan::diag::LogLevel;
use dialplan::engine::ami::DialEvent;
use dialplan::engine::channel::cause;
use dialplan::engine::channel::FarEnd;
use dialplan::engine::device::PhoneLink;
use dialplan::engine::ops::{NewChannel, SoftHangupReason, Waited};
use dialplan::engine::vars::Var;
use dialplan::engine::{
    ChannelId, ChannelState, Control, DeviceRequest, Engine, Frame, Interrupt, Party,
};
use std::cell::Cell;
use std::rc::{Rc, Weak};

/// What the monitor remembers of the transferer for recalls (Asterisk keeps the channel itself; here it
/// may be gone, so its parts are copied while it lives).
#[derive(Clone, Debug, Default)]
pub(super) struct RecallParty {
    /// `transferer_type` and `transferer_addr`.
    pub tech: String,
    pub addr: String,
    pub caller: Party,
    /// The transferer's connected line when the transfer started (the transferee).
    pub original_colp: Party,
    pub vars: Vec<Var>,
    pub features: FeaturePermissions,
}

impl RecallParty {
    /// The parts of `transferer` a recall needs (`attended_transfer_properties_alloc`).
    pub fn of(engine: &Engine, transferer: ChannelId) -> RecallParty {
        let mut p = RecallParty::default();
        engine.with_chan(transferer, |c| {
            let name = c.name.to_string();
            let (tech, rest) = name.split_once('/').unwrap_or((name.as_str(), ""));
            let addr = match rest.rfind('-') {
                Some(i) => &rest[..i],
                None => rest,
            };
            p.tech = tech.to_string();
            p.addr = addr.to_string();
            p.original_colp = c.connected.clone();
        });
        p.refresh(engine, transferer);
        p
    }

    /// Caller id, variables and feature flags as they are now (while the transferer lives).
    pub fn refresh(&mut self, engine: &Engine, transferer: ChannelId) {
        if !engine.is_alive(transferer) {
            return;
        }
        if let Some((caller, vars)) =
            engine.with_chan(transferer, |c| (c.caller.clone(), c.vars.inheritable()))
        {
            self.caller = caller;
            self.vars = vars;
        }
        self.features = channel_permissions(engine, transferer);
    }
}

/// The transferer's device being called back.
pub(super) struct RecallDial {
    pub chan: ChannelId,
    /// Set when the monitor cancels the dial (`ast_dial_join`): the watcher stops reporting.
    cancelled: Rc<Cell<bool>>,
}

/// Why an enter step failed (Asterisk's `enter` returning -1 ends the monitor).
pub(super) struct EnterFailed;

impl Atxfer {
    /// `recalling_enter`: dial the transferer back; the transferee bridge hears ringing.
    pub(super) fn recalling_enter(self: &Rc<Self>) -> Result<(), EnterFailed> {
        let engine = &self.engine;
        let party = self.recall_party.borrow().clone();
        let Some((chan, addr)) = request(engine, &party.tech, &party.addr) else {
            return Err(EnterFailed);
        };
        // Caller id and connected line are copied; the snapshot that follows shows what changed.
        set_parties(engine, chan, Some(&party.caller), &party.original_colp);
        inherit(engine, chan, &party.vars);
        engine.set_reading(chan, true);
        let called = engine.call(chan);
        if !called {
            engine.hangup(chan);
            return Err(EnterFailed);
        }
        engine.publish_dial(None, chan, DialEvent::Begin(&addr));
        engine.verbose(3, "dial.c", || format!("Called {addr}"));
        let cancelled = Rc::new(Cell::new(false));
        *self.recall_dial.borrow_mut() = Some(RecallDial {
            chan,
            cancelled: cancelled.clone(),
        });
        let watcher = Rc::downgrade(self);
        engine.spawn_local(watch_recall(engine.clone(), watcher, chan, cancelled));
        // `bridge_ringing`: everyone in the transferee bridge hears ringing.
        if let Some(b) = self.transferee_bridge.get() {
            for m in engine.bridge_members(b) {
                engine.indicate(m, Control::Ringing);
            }
        }
        Ok(())
    }

    /// `recalling_exit`'s `ast_dial_join`/`ast_dial_destroy`: a dial still ringing is cancelled (soft
    /// hangup, hangup); an answered one is kept and returned.
    pub(super) fn end_recall_dial(&self) -> Option<ChannelId> {
        let dial = self.recall_dial.borrow_mut().take()?;
        dial.cancelled.set(true);
        let engine = &self.engine;
        if Some(dial.chan) == self.recall_target.get() && engine.is_alive(dial.chan) {
            engine.set_reading(dial.chan, false);
            return Some(dial.chan);
        }
        if engine.is_alive(dial.chan) {
            engine.soft_hangup(dial.chan, SoftHangupReason::Explicit);
            engine.hangup(dial.chan);
        }
        None
    }

    /// The recalled transferer answered: it joins the transferee bridge with the transferer's features.
    /// `false` when it cannot (it is hung up).
    pub(super) fn join_recalled(&self, chan: ChannelId) -> bool {
        let engine = &self.engine;
        let features = self.recall_party.borrow().features;
        set_channel_permissions(engine, chan, features);
        let joined = self
            .transferee_bridge
            .get()
            .is_some_and(|b| engine.bridge_impart(b, chan));
        if !joined {
            engine.hangup(chan);
        }
        joined
    }

    /// `retransfer_enter`: a new Local channel to the target, ringing in the transferee bridge.
    pub(super) fn retransfer_enter(&self) -> Result<(), EnterFailed> {
        let engine = &self.engine;
        let party = self.recall_party.borrow().clone();
        let (one, two) = engine.request_local(&self.destination, None);
        self.watch_answer_of(one);
        set_parties(engine, one, None, &party.original_colp);
        inherit(engine, one, &party.vars);
        if engine.call_local(one).is_err() {
            engine.log(LogLevel::Error, "bridge_basic.c", || {
                "Unable to place outbound call to recall target".to_string()
            });
            engine.hangup(one);
            engine.hangup(two);
            return Err(EnterFailed);
        }
        let Some(b) = self.transferee_bridge.get() else {
            return Err(EnterFailed);
        };
        if !engine.bridge_impart(b, one) {
            engine.log(LogLevel::Error, "bridge_basic.c", || {
                "Unable to place recall target into bridge".to_string()
            });
            engine.hangup(one);
            return Err(EnterFailed);
        }
        self.recall_target.set(Some(one));
        Ok(())
    }
}

/// The dialling API's monitor of the recall channel (`monitor_dial` with no calling channel), reporting
/// to the transfer's `recall_callback`.
async fn watch_recall(
    engine: Engine,
    xfer: Weak<Atxfer>,
    chan: ChannelId,
    cancelled: Rc<Cell<bool>>,
) {
    loop {
        if cancelled.get() {
            return;
        }
        let hung_up = !engine.is_alive(chan) || engine.interrupt(chan) == Some(Interrupt::Hangup);
        if hung_up {
            if engine.is_alive(chan) {
                let status = cause::dial_status(engine.hangupcause(chan));
                engine.publish_dial(None, chan, DialEvent::End(status));
                engine.hangup(chan);
            }
            report(&engine, &xfer, None);
            return;
        }
        while let Some(frame) = engine.read_frame(chan) {
            let name = engine
                .chan_name(chan)
                .map(|n| n.to_string())
                .unwrap_or_default();
            match frame {
                Frame::Control(Control::Answer) => {
                    engine.verbose(3, "dial.c", || format!("{name} answered"));
                    engine.publish_dial(None, chan, DialEvent::End("ANSWER"));
                    report(&engine, &xfer, Some(chan));
                    return;
                }
                Frame::Control(Control::Ringing) => {
                    engine.verbose(3, "dial.c", || format!("{name} is ringing"));
                    engine.publish_dial(None, chan, DialEvent::State("RINGING"));
                }
                Frame::Control(Control::Busy) => {
                    engine.verbose(3, "dial.c", || format!("{name} is busy"));
                    engine.publish_dial(None, chan, DialEvent::End("BUSY"));
                    engine.hangup(chan);
                    report(&engine, &xfer, None);
                    return;
                }
                Frame::Control(Control::Congestion) => {
                    engine.verbose(3, "dial.c", || format!("{name} is circuit-busy"));
                    engine.publish_dial(None, chan, DialEvent::End("CONGESTION"));
                    engine.hangup(chan);
                    report(&engine, &xfer, None);
                    return;
                }
                _ => {}
            }
            if cancelled.get() {
                return;
            }
        }
        if engine.wait(chan, None).await == Waited::Timeout {
            return;
        }
    }
}

/// `recall_callback`: an answer (the channel becomes the recall target) or a failure.
fn report(engine: &Engine, xfer: &Weak<Atxfer>, answered: Option<ChannelId>) {
    let Some(x) = xfer.upgrade() else {
        return;
    };
    let stimulus = match answered {
        Some(chan) => {
            x.recall_target.set(Some(chan));
            crate::transfer::atxfer::Stimulus::RecallTargetAnswer
        }
        None => crate::transfer::atxfer::Stimulus::RecallTargetHangup,
    };
    x.stimulate(engine.now(), stimulus);
}

/// `ast_request` of the transferer's device: a phone of the scenario, an emulated device (rewritten to a
/// Local channel, as for Dial: the address shown is then the Local one) or a Local channel; with the
/// address the dial shows. `None` after the technology's lines when nothing can be had.
fn request(engine: &Engine, tech: &str, addr: &str) -> Option<(ChannelId, String)> {
    let provider = engine.device_provider();
    let rewritten = provider
        .as_ref()
        .filter(|_| !tech.eq_ignore_ascii_case("Local"))
        .and_then(|p| p.rewrite(engine, tech, addr));
    if let Some(rw) = &rewritten {
        let (from, to) = (
            format!("{tech}/{addr}"),
            format!("{}/{}", rw.tech, rw.resource),
        );
        engine.dialsim("DialsimDialRewrite", |f| {
            f.push("DialString", from.clone());
            f.push("RewrittenTo", to.clone());
            if let Some(note) = &rw.note {
                f.push("Note", note.clone());
            }
        });
        engine.explain(
            dialplan::engine::codes::DIAL_REWRITE,
            None,
            &format!("'{from}' is an emulated device: the attended transfer recall dials '{to}'"),
            rw.note.as_deref(),
        );
    }
    let (tech, addr) = match &rewritten {
        Some(rw) => (rw.tech.as_str(), rw.resource.as_str()),
        None => (tech, addr),
    };
    if tech.eq_ignore_ascii_case("Local") {
        return Some((engine.request_local(addr, None).0, addr.to_string()));
    }
    let provider = provider?;
    match provider.request(engine, tech, addr) {
        DeviceRequest::Phone(spec) => {
            let endpoint = addr.split('/').next().unwrap_or(addr);
            let name = engine.next_channel_name(tech, endpoint);
            let mut nc = NewChannel::new(name, tech, ChannelState::Down);
            nc.caller = spec.callerid.clone().unwrap_or_default();
            nc.far = FarEnd::Device(PhoneLink::new(spec));
            Some((engine.create_channel(nc), addr.to_string()))
        }
        DeviceRequest::Unavailable { log, explain, .. } => {
            for l in log {
                engine.log_line(l);
            }
            if let Some(e) = explain {
                engine.explain(dialplan::engine::codes::UNDECLARED_DEVICE, None, &e, None);
            }
            None
        }
    }
}

/// Copies the recall's caller id (if given) and connected line onto `chan`, publishing `NewCallerid` /
/// `NewConnectedLine` only for what differs (the manager compares snapshots).
fn set_parties(engine: &Engine, chan: ChannelId, caller: Option<&Party>, connected: &Party) {
    let Some((old_caller, old_connected)) =
        engine.with_chan(chan, |c| (c.caller.clone(), c.connected.clone()))
    else {
        return;
    };
    if let Some(caller) = caller.filter(|c| **c != old_caller) {
        engine.set_caller(chan, caller.clone());
    }
    if *connected != old_connected {
        engine.set_connected(chan, connected.clone());
    }
}

/// `common_recall_channel_setup`'s `ast_channel_inherit_variables`, from the copy of the transferer's.
fn inherit(engine: &Engine, child: ChannelId, vars: &[Var]) {
    for v in vars {
        let (name, value) = (v.full_name().to_string(), v.value().to_string());
        engine.with_chan_mut(child, |c| c.vars.push_inherited(v.clone()));
        engine.chan_event("VarSet", "dialplan", child, |f| {
            f.push("Variable", name);
            f.push("Value", value);
        });
    }
}
