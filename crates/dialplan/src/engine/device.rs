//! Scenario phones as the far end of a channel: a called phone rings, answers after a while or reports
//! busy; once its channel is up it streams media (if told to), presses keys and hangs up on schedule.
//!
//! A phone is described by a [`PhoneSpec`] from the [`super::ext::DeviceProvider`]; the engine attaches a
//! [`PhoneLink`] to the channel (its [`super::channel::FarEnd`]) and drives it.

use super::channel::{cause, ChannelId, ChannelState, Control, FarEnd, Frame};
use super::ext::{PhoneActionKind, PhoneSpec};
use super::ops::NewChannel;
use super::Engine;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// The phone at the far end of one channel.
#[derive(Debug)]
pub struct PhoneLink {
    pub spec: PhoneSpec,
    /// Set once the channel was up, so the timed actions start only once.
    started: Cell<bool>,
    /// The channel this phone belongs to since a masquerade moved it (the channel driver's fixup): the
    /// phone's later keys and hangup go there.
    moved_to: Cell<Option<ChannelId>>,
}

impl PhoneLink {
    pub fn new(spec: PhoneSpec) -> Rc<PhoneLink> {
        Rc::new(PhoneLink {
            spec,
            started: Cell::new(false),
            moved_to: Cell::new(None),
        })
    }

    /// A masquerade gave this phone's call to `chan` (`fixup` of the channel technology).
    pub fn fixup(&self, chan: ChannelId) {
        self.moved_to.set(Some(chan));
    }

    /// The channel the phone's call is on now: `chan`, or where a masquerade moved it.
    pub fn current(&self, chan: ChannelId) -> ChannelId {
        self.moved_to.get().unwrap_or(chan)
    }

    /// The PBX wrote a frame to the phone (the person hears it). Nothing to do: what a phone hears is
    /// reported by playback events.
    pub fn receive(&self, _engine: &Engine, _chan: ChannelId, _frame: &Frame) {}

    /// The PBX hung the channel up.
    pub fn hung_up(&self, _engine: &Engine, _chan: ChannelId) {}

    /// The PBX calls the phone (`ast_call`): it reports busy, or rings and perhaps answers later.
    pub fn called(self: &Rc<Self>, engine: &Engine, chan: ChannelId) {
        let link = self.clone();
        let engine = engine.clone();
        engine.clone().spawn_local(async move {
            if link.spec.busy {
                engine.set_hangupcause(chan, cause::USER_BUSY);
                engine.deliver(chan, Frame::Control(Control::Busy));
                return;
            }
            if !engine.is_alive(chan) {
                return;
            }
            engine.set_state(chan, ChannelState::Ringing);
            engine.deliver(chan, Frame::Control(Control::Ringing));
            let Some(after) = link.spec.answer_after else {
                return;
            };
            let at = engine.now() + after;
            engine.sleep_until(at).await;
            let chan = link.current(chan);
            if engine.is_alive(chan) && engine.state(chan) != Some(ChannelState::Up) {
                engine.deliver(chan, Frame::Control(Control::Answer));
            }
        });
    }

    /// The channel is up: start the timed actions (keys, hangup).
    pub fn up(self: &Rc<Self>, engine: &Engine, chan: ChannelId) {
        if self.started.replace(true) {
            return;
        }
        let start = engine.now();
        for action in &self.spec.actions {
            let engine2 = engine.clone();
            let at = start + action.after;
            let kind = action.kind.clone();
            let link = self.clone();
            engine.spawn_local(async move {
                engine2.sleep_until(at).await;
                let chan = link.current(chan);
                if !engine2.is_alive(chan) {
                    return;
                }
                match kind {
                    PhoneActionKind::Dtmf(digits) => engine2.phone_keys(chan, &digits).await,
                    PhoneActionKind::Hangup => engine2.phone_hangup(chan),
                }
            });
        }
        if let Some(after) = self.spec.hangup_after {
            let engine2 = engine.clone();
            let at = start + after;
            let link = self.clone();
            engine.spawn_local(async move {
                engine2.sleep_until(at).await;
                engine2.phone_hangup(link.current(chan));
            });
        }
    }
}

impl Engine {
    /// Creates the channel of a phone placing a call into the dialplan (state Ring, at `exten@context`,
    /// priority 1), named `tech/resource-NNNNNNNN`. Start it with [`Engine::spawn_pbx`].
    pub fn new_phone_channel(
        &self,
        tech: &str,
        resource: &str,
        spec: PhoneSpec,
        context: &str,
        exten: &str,
    ) -> ChannelId {
        let name = self.next_channel_name(tech, resource);
        let mut nc = NewChannel::new(name, tech, ChannelState::Ring);
        nc.context = context.to_string();
        nc.exten = exten.to_string();
        nc.caller = spec.callerid.clone().unwrap_or_default();
        nc.far = FarEnd::Device(PhoneLink::new(spec));
        self.create_channel(nc)
    }

    /// The person at a phone presses keys: DTMF arrives on the channel with SendDTMF's timing.
    pub async fn phone_keys(&self, chan: ChannelId, digits: &str) {
        let mut t = self.now() + Duration::from_millis(100);
        for d in digits.chars() {
            match d {
                'w' => t += Duration::from_millis(500),
                'W' => t += Duration::from_millis(1000),
                d if "0123456789*#abcdABCD".contains(d) => {
                    self.sleep_until(t).await;
                    self.deliver(chan, Frame::DtmfBegin(d));
                    t += Duration::from_millis(100);
                    self.sleep_until(t).await;
                    self.deliver(chan, Frame::DtmfEnd(d, 100));
                    t += Duration::from_millis(250);
                }
                _ => {}
            }
        }
    }

    /// The person at a phone hangs up.
    pub fn phone_hangup(&self, chan: ChannelId) {
        if self.is_alive(chan) {
            self.queue_hangup(chan, Some(cause::NORMAL_CLEARING));
        }
    }
}
