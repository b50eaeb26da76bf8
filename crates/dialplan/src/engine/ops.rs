//! Channel operations: creation and naming, variables, state, caller id, answer, indications, frames,
//! hangup, async goto, and the waiting primitives apps are built on.
//!
//! Everything here is synchronous except the waits; it runs inside the task that causes it, so events come
//! out in cause-and-effect order (Asterisk's order where its threads are ordered by the same causality).

use super::ami::{push_channel, DialEvent, Prefix};
use super::channel::{
    cause, Channel, ChannelId, ChannelState, Control, Extras, FarEnd, Frame, Interrupt, LocalHalf,
    Location, Party,
};
use super::exec::Turn;
use super::notify::Notify;
use super::vars::{SetOutcome, Vars};
use super::{Engine, Fields};
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;
use std::time::Duration;

/// How many freed channel boxes are kept for reuse (a few calls' worth: they are reused within moments).
const SPARE_CHANNELS: usize = 16;
/// How many technology texts [`Engine::shared_tech`] keeps (a run uses a handful).
const SHARED_TECHS: usize = 16;

/// Why a channel is soft-hung-up: the flag `ast_softhangup` is given, which `SoftHangupRequest` shows as
/// its `Cause` (include/asterisk/channel.h, `AST_SOFTHANGUP_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SoftHangupReason {
    /// `AST_SOFTHANGUP_SHUTDOWN` (4): the system is stopping (`core stop now`).
    Shutdown,
    /// `AST_SOFTHANGUP_APPUNLOAD` (16): the channel's PBX ended (main/pbx.c, `__ast_pbx_run`).
    AppUnload,
    /// `AST_SOFTHANGUP_EXPLICIT` (32): someone asked for it (`channel request hangup`, dial.c, bridge_basic.c).
    Explicit,
}

impl SoftHangupReason {
    /// The flag's numeric value, as `SoftHangupRequest` prints it.
    pub fn flag(self) -> u32 {
        match self {
            SoftHangupReason::Shutdown => 1 << 2,
            SoftHangupReason::AppUnload => 1 << 4,
            SoftHangupReason::Explicit => 1 << 5,
        }
    }
}

/// What a new channel starts as.
pub struct NewChannel {
    /// The full name (`PJSIP/alice-00000001`); see [`Engine::next_channel_name`].
    pub name: String,
    pub tech: Rc<str>,
    pub state: ChannelState,
    pub context: String,
    pub exten: String,
    pub priority: i32,
    pub caller: Party,
    pub connected: Party,
    /// The linked id of the call it belongs to; `None`: its own unique id.
    pub linkedid: Option<Rc<str>>,
    pub far: FarEnd,
    pub language: Cow<'static, str>,
    pub musicclass: String,
    /// `CHANNEL(accountcode)` from the start (a surrogate copies its yankee's).
    pub accountcode: String,
}

impl NewChannel {
    pub fn new(name: String, tech: &str, state: ChannelState) -> Self {
        NewChannel {
            name,
            tech: Rc::from(tech),
            state,
            context: String::from("default"),
            exten: String::from("s"),
            priority: 1,
            caller: Party::default(),
            connected: Party::default(),
            linkedid: None,
            far: FarEnd::None,
            language: Cow::Borrowed("en"),
            musicclass: String::new(),
            accountcode: String::new(),
        }
    }
}

/// The result of one wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waited {
    /// Something happened to the channel (a frame, a hangup, a goto, a bridge request), or a spurious wake.
    Woken,
    /// The deadline passed.
    Timeout,
}

impl Engine {
    // ----- naming -----

    /// The next name for a channel of technology family `tech` to `resource`: `PJSIP/alice-00000001` (one
    /// counter per technology, 8 lower-case hex digits from 0).
    pub fn next_channel_name(&self, tech: &str, resource: &str) -> String {
        let mut number = 0;
        {
            // A handful of technologies: a scan without lower-casing `tech` into a new key each time.
            let mut c = self.inner.counters.borrow_mut();
            if !c.tech.keys().any(|k| k.eq_ignore_ascii_case(tech)) {
                c.tech.insert(tech.to_ascii_lowercase(), 0);
            }
            if let Some((_, n)) = c
                .tech
                .iter_mut()
                .find(|(k, _)| k.eq_ignore_ascii_case(tech))
            {
                number = *n;
                *n = n.wrapping_add(1);
            }
        }
        let mut name = String::with_capacity(tech.len() + resource.len() + 10);
        name.push_str(tech);
        name.push('/');
        name.push_str(resource);
        name.push('-');
        super::numtext::push_hex(&mut name, u64::from(number), 8);
        name
    }

    /// The next Local pair number (one counter for every Local pair).
    pub(crate) fn next_local_number(&self) -> u32 {
        let mut c = self.inner.counters.borrow_mut();
        let n = c.local;
        c.local = c.local.wrapping_add(1);
        n
    }

    fn next_uniqueid(&self) -> Rc<str> {
        let n = {
            let mut c = self.inner.counters.borrow_mut();
            let n = c.unique;
            c.unique = c.unique.wrapping_add(1);
            n
        };
        let secs = self.inner.config.epoch + self.now().as_secs() as i64;
        let mut id = String::with_capacity(24);
        super::numtext::push_signed(&mut id, secs);
        id.push('.');
        super::numtext::push_dec(&mut id, u64::from(n));
        Rc::from(id)
    }

    // ----- the channel table -----

    /// What a freed channel's box holds until it is reused: nothing that owns memory of its own.
    fn vacant_channel(&self) -> Channel {
        let empty = &self.inner.empty;
        Channel {
            id: ChannelId(u32::MAX),
            name: empty.clone(),
            tech: empty.clone(),
            uniqueid: empty.clone(),
            linkedid: empty.clone(),
            state: ChannelState::Down,
            caller: Party::default(),
            connected: Party::default(),
            language: Cow::Borrowed(""),
            extras: None,
            context: String::new(),
            exten: String::new(),
            priority: 0,
            appl: empty.clone(),
            data: empty.clone(),
            vars: Vars::new(),
            hangupcause: 0,
            softhangup: false,
            dead: true,
            pending_goto: None,
            in_pbx: false,
            bridge: None,
            member: None,
            far: FarEnd::None,
            queue: VecDeque::new(),
            reading: false,
            notify: self.inner.spare_notify.clone(),
            created_ms: 0,
            answered_at: None,
            media_since: None,
            playing: None,
            moh: None,
            h_ran: false,
            stale_caller: None,
            newexten_published: None,
            datastores: BTreeMap::new(),
        }
    }

    /// `tech` as the text already shared by the channels of that technology, so a channel holds no
    /// allocation of its own for it: one block less to fetch when a call parked long ago hangs up
    /// (docs/performance.md, issue 4). Up to [`SHARED_TECHS`] technologies are shared.
    fn shared_tech(&self, tech: Rc<str>) -> Rc<str> {
        let mut techs = self.inner.techs.borrow_mut();
        if let Some(t) = techs.iter().find(|t| ***t == *tech) {
            return t.clone();
        }
        if techs.len() < SHARED_TECHS {
            techs.push(tech.clone());
        }
        tech
    }

    /// Creates a channel and publishes `Newchannel`.
    pub fn create_channel(&self, spec: NewChannel) -> ChannelId {
        let uniqueid = self.next_uniqueid();
        let linkedid = spec.linkedid.unwrap_or_else(|| uniqueid.clone());
        let id = {
            let chans = self.inner.chans.borrow();
            ChannelId(chans.len() as u32)
        };
        let ch = Channel {
            id,
            name: Rc::from(spec.name),
            tech: self.shared_tech(spec.tech),
            uniqueid,
            linkedid,
            state: spec.state,
            caller: spec.caller,
            connected: spec.connected,
            language: spec.language,
            extras: Extras::boxed(spec.accountcode, spec.musicclass, String::new()),
            context: spec.context,
            exten: spec.exten,
            priority: spec.priority,
            dead: false,
            far: spec.far,
            notify: Rc::new(Notify::new()),
            created_ms: self.inner.exec.now_ms(),
            // Everything else starts as in a vacant box.
            ..self.vacant_channel()
        };
        let boxed = match self.inner.spare_chans.borrow_mut().pop() {
            Some(mut b) => {
                *b = ch;
                b
            }
            None => Box::new(ch),
        };
        self.inner.chans.borrow_mut().push(Some(boxed));
        self.inner.live.set(self.inner.live.get() + 1);
        self.chan_event("Newchannel", "call", id, |_| {});
        id
    }

    /// Reads a channel. `None` when it no longer exists.
    #[inline]
    pub fn with_chan<R>(&self, id: ChannelId, f: impl FnOnce(&Channel) -> R) -> Option<R> {
        let chans = self.inner.chans.borrow();
        chans.get(id.0 as usize).and_then(|c| c.as_deref()).map(f)
    }

    /// Changes a channel. Publish events *after* the closure returns.
    #[inline]
    pub fn with_chan_mut<R>(&self, id: ChannelId, f: impl FnOnce(&mut Channel) -> R) -> Option<R> {
        let mut chans = self.inner.chans.borrow_mut();
        chans
            .get_mut(id.0 as usize)
            .and_then(|c| c.as_deref_mut())
            .map(f)
    }

    pub fn chan_name(&self, id: ChannelId) -> Option<Rc<str>> {
        self.with_chan(id, |c| c.name.clone())
    }

    /// Where a channel is in the dialplan — context, extension, priority — and the caller number its
    /// caller-id matched extensions are looked up by: what the rules that look around the channel's own
    /// position start from.
    pub fn position(&self, id: ChannelId) -> Option<(String, String, i32, Option<String>)> {
        self.with_chan(id, |c| {
            (
                c.context.clone(),
                c.exten.clone(),
                c.priority,
                c.caller.number.clone(),
            )
        })
    }

    /// Finds a live channel by name.
    pub fn find_channel(&self, name: &str) -> Option<ChannelId> {
        self.inner
            .chans
            .borrow()
            .iter()
            .flatten()
            .find(|c| !c.dead && &*c.name == name)
            .map(|c| c.id)
    }

    pub fn is_alive(&self, id: ChannelId) -> bool {
        self.with_chan(id, |c| !c.dead).unwrap_or(false)
    }

    /// Publishes a channel event: the channel's snapshot block, then what `extra` adds.
    pub fn chan_event(
        &self,
        name: &'static str,
        class: &'static str,
        id: ChannelId,
        extra: impl FnOnce(&mut Fields),
    ) {
        if !self.inner.bus.wants_ami() {
            return;
        }
        if super::colp::publishes_snapshot(name) {
            self.publish_stale_caller(id);
        }
        let chans = self.inner.chans.borrow();
        let Some(ch) = chans.get(id.0 as usize).and_then(|c| c.as_deref()) else {
            return;
        };
        self.ami(name, class, |f| {
            push_channel(f, Prefix::NONE, ch);
            extra(f);
        });
    }

    /// Appends `id`'s snapshot block with `prefix` (for modules building their own events).
    pub fn push_snapshot(&self, f: &mut Fields, prefix: Prefix, id: ChannelId) {
        self.with_chan(id, |c| push_channel(f, prefix, c));
    }

    /// `ast_channel_publish_dial`: the calling channel's block (when there is one: a recall has none), the
    /// dialled channel's `Dest…` block and the event's own field.
    pub fn publish_dial(&self, caller: Option<ChannelId>, peer: ChannelId, what: DialEvent<'_>) {
        if !self.bus().wants_ami() {
            return;
        }
        self.ami(what.name(), "call", |f| {
            if let Some(caller) = caller {
                self.push_snapshot(f, Prefix::NONE, caller);
            }
            self.push_snapshot(f, Prefix::DEST, peer);
            what.push(f);
        });
    }

    // ----- variables -----

    /// `pbx_builtin_setvar_helper` on a channel: stores (or with `None` deletes) and publishes `VarSet`.
    pub fn set_var(&self, id: ChannelId, name: &str, value: Option<&str>) {
        let outcome = self.with_chan_mut(id, |c| c.vars.set(name, value));
        let shown = match outcome {
            Some(SetOutcome::Stored) => value.unwrap_or(""),
            Some(SetOutcome::DeletedNonEmpty) => "",
            _ => return,
        };
        self.chan_event("VarSet", "dialplan", id, |f| {
            f.push("Variable", name.to_string());
            f.push("Value", shown.to_string());
        });
    }

    /// A channel variable (no built-ins, no globals).
    pub fn chan_var(&self, id: ChannelId, name: &str) -> Option<String> {
        self.with_chan(id, |c| c.vars.get(name).map(str::to_string))
            .flatten()
    }

    /// `pbx_builtin_getvar_helper`: the channel's variable, else the global.
    pub fn get_var(&self, id: ChannelId, name: &str) -> Option<String> {
        self.chan_var(id, name).or_else(|| self.global(name))
    }

    pub fn global(&self, name: &str) -> Option<String> {
        self.inner.globals.borrow().get(name).map(str::to_string)
    }

    /// Sets a global variable: verbose-2 `Setting global variable '%s' to '%s'` and a channel-less
    /// `VarSet`.
    pub fn set_global(&self, name: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.verbose(2, "pbx_variables.c", || {
                format!("Setting global variable '{name}' to '{v}'")
            });
        }
        self.store_global(name, value);
    }

    /// Sets a global variable with its `VarSet` but without the verbose line: for callers that log that
    /// line themselves (the `GLOBAL()` function writes it through its effects).
    pub fn store_global(&self, name: &str, value: Option<&str>) {
        let outcome = self.inner.globals.borrow_mut().set(name, value);
        let shown = match outcome {
            SetOutcome::Stored => value.unwrap_or(""),
            SetOutcome::DeletedNonEmpty => "",
            SetOutcome::Nothing => return,
        };
        self.ami("VarSet", "dialplan", |f| {
            f.push("Variable", name.to_string());
            f.push("Value", shown.to_string());
        });
    }

    /// `ast_channel_inherit_variables`: copies `_X` (as `X`) and `__X` from parent to child, with `VarSet`.
    pub fn inherit_variables(&self, parent: ChannelId, child: ChannelId) {
        let Some(vars) = self.with_chan(parent, |c| c.vars.inheritable()) else {
            return;
        };
        for v in vars {
            // Copied for the event only when someone listens.
            let shown = self
                .inner
                .bus
                .wants_ami()
                .then(|| (v.full_name().to_string(), v.value().to_string()));
            self.with_chan_mut(child, |c| c.vars.push_inherited(v));
            self.chan_event("VarSet", "dialplan", child, |f| {
                if let Some((name, value)) = shown {
                    f.push("Variable", name);
                    f.push("Value", value);
                }
            });
        }
    }

    // ----- state, caller id -----

    /// `ast_setstate`: publishes `Newstate` when the state changes.
    pub fn set_state(&self, id: ChannelId, state: ChannelState) {
        let changed = self
            .with_chan_mut(id, |c| {
                let changed = c.state != state;
                c.state = state;
                if state == ChannelState::Up && c.answered_at.is_none() {
                    c.answered_at = Some(self.now());
                }
                changed
            })
            .unwrap_or(false);
        if changed {
            self.chan_event("Newstate", "call", id, |_| {});
            if state == ChannelState::Up {
                self.on_channel_up(id);
            }
        }
    }

    pub fn state(&self, id: ChannelId) -> Option<ChannelState> {
        self.with_chan(id, |c| c.state)
    }

    /// Sets the caller id and publishes `NewCallerid`.
    pub fn set_caller(&self, id: ChannelId, party: Party) {
        self.with_chan_mut(id, |c| c.caller = party);
        self.chan_event("NewCallerid", "call", id, |f| {
            f.push("CID-CallingPres", "0 (Presentation Allowed, Not Screened)");
        });
    }

    /// Sets the connected line and publishes `NewConnectedLine`.
    pub fn set_connected(&self, id: ChannelId, party: Party) {
        self.with_chan_mut(id, |c| c.connected = party);
        self.chan_event("NewConnectedLine", "call", id, |_| {});
    }

    /// Sets the dialplan position without running anything.
    pub fn set_location(&self, id: ChannelId, context: &str, exten: &str, priority: i32) {
        self.with_chan_mut(id, |c| {
            if c.context != context {
                c.context.clear();
                c.context.push_str(context);
            }
            if c.exten != exten {
                c.exten.clear();
                c.exten.push_str(exten);
            }
            c.priority = priority;
        });
    }

    // ----- answer, indications, frames -----

    /// `ast_raw_answer`: the channel goes Up; a Local half tells its peer (which reads an ANSWER).
    pub fn raw_answer(&self, id: ChannelId) {
        let Some((state, far)) = self.with_chan(id, |c| (c.state, c.far.clone())) else {
            return;
        };
        if state == ChannelState::Up {
            return;
        }
        self.set_state(id, ChannelState::Up);
        if let FarEnd::Local { peer, .. } = far {
            self.deliver(peer, Frame::Control(Control::Answer));
        }
    }

    /// `ast_indicate`: a control frame written out of the channel toward its far end.
    pub fn indicate(&self, id: ChannelId, control: Control) {
        self.write_frame(id, Frame::Control(control));
    }

    /// Writes a frame out of `id` toward its far end: a Local half passes it to its peer; a phone takes it.
    pub fn write_frame(&self, id: ChannelId, frame: Frame) {
        let Some(far) = self
            .with_chan(id, |c| (!c.dead).then(|| c.far.clone()))
            .flatten()
        else {
            return;
        };
        match far {
            FarEnd::Local { peer, .. } => self.deliver(peer, frame),
            FarEnd::Device(link) => link.receive(self, id, &frame),
            FarEnd::None => {}
        }
    }

    /// `ast_write` of a DTMF frame (a bridge passing a digit through to a member): `DTMFBegin`/`DTMFEnd`
    /// with direction Sent on `id`, then the digit goes out. Digits sent by SendDTMF or a feature flush
    /// (`ast_senddigit`, not `ast_write`) publish nothing on the sending side; use [`Engine::write_frame`].
    pub fn write_dtmf_frame(&self, id: ChannelId, frame: Frame) {
        if !self.is_alive(id) {
            return;
        }
        self.publish_dtmf(id, &frame, "Sent");
        self.write_frame(id, frame);
    }

    /// `DTMFBegin`/`DTMFEnd` for a DTMF frame passing `id` in `direction` (`Sent` or `Received`); other
    /// frames publish nothing.
    fn publish_dtmf(&self, id: ChannelId, frame: &Frame, direction: &'static str) {
        match *frame {
            Frame::DtmfBegin(d) => self.chan_event("DTMFBegin", "dtmf", id, |f| {
                f.push("Digit", d.to_string());
                f.push("Direction", direction);
            }),
            Frame::DtmfEnd(d, ms) => self.chan_event("DTMFEnd", "dtmf", id, |f| {
                f.push("Digit", d.to_string());
                f.push("DurationMs", ms.to_string());
                f.push("Direction", direction);
            }),
            _ => {}
        }
    }

    /// A frame arrives on `id` from its far end. DTMF is published as Asterisk's reader does
    /// (`DTMFBegin`/`DTMFEnd`, direction Received); the frame is queued when someone reads the channel.
    pub fn deliver(&self, id: ChannelId, frame: Frame) {
        if !self.is_alive(id) {
            return;
        }
        self.publish_dtmf(id, &frame, "Received");
        if let Frame::Control(Control::Hangup) = frame {
            self.queue_hangup(id, None);
            return;
        }
        self.with_chan_mut(id, |c| {
            if c.reading || c.bridge.is_some() {
                c.queue.push_back(frame);
                c.notify.notify_one();
            }
        });
    }

    /// Reads the next queued frame. ANSWER marks the channel Up, as `__ast_read` does.
    pub fn read_frame(&self, id: ChannelId) -> Option<Frame> {
        let f = self.with_chan_mut(id, |c| c.queue.pop_front()).flatten()?;
        if f == Frame::Control(Control::Answer) {
            self.set_state(id, ChannelState::Up);
        }
        Some(f)
    }

    /// Marks whether someone reads this channel's frames (unread frames are dropped on arrival).
    pub fn set_reading(&self, id: ChannelId, reading: bool) {
        self.with_chan_mut(id, |c| {
            c.reading = reading;
            if !reading && c.bridge.is_none() {
                c.queue.clear();
            }
        });
    }

    /// Wakes the task servicing `id`.
    pub fn wake(&self, id: ChannelId) {
        self.with_chan(id, |c| c.notify.notify_one());
    }

    /// The notifier of the task servicing `id` (Dial points its callees at its own).
    pub fn set_notify(&self, id: ChannelId, notify: Rc<Notify>) {
        self.with_chan_mut(id, |c| c.notify = notify);
    }

    pub fn notify_of(&self, id: ChannelId) -> Option<Rc<Notify>> {
        self.with_chan(id, |c| c.notify.clone())
    }

    // ----- hangup -----

    /// `ast_queue_hangup_with_cause`: the far end hung up. Publishes `HangupRequest`; the channel's reader
    /// sees a hangup.
    pub fn queue_hangup(&self, id: ChannelId, cause: Option<i32>) {
        let alive = self
            .with_chan_mut(id, |c| {
                if c.dead {
                    return false;
                }
                // The reader takes the frame's cause only when it is non-zero (main/channel.c,
                // __ast_read), so a zero cause keeps what the channel had (e.g. Busy()'s 17).
                if let Some(cause) = cause.filter(|&n| n != 0) {
                    c.hangupcause = cause;
                }
                c.softhangup = true;
                c.notify.notify_one();
                true
            })
            .unwrap_or(false);
        if alive {
            let shown = cause.unwrap_or_else(|| self.with_chan(id, |c| c.hangupcause).unwrap_or(0));
            self.chan_event("HangupRequest", "call", id, |f| {
                f.push("Cause", shown.to_string());
            });
        }
    }

    /// `ast_softhangup`: ask the channel to hang up; publishes `SoftHangupRequest`. Its `Cause` is the
    /// soft-hangup *reason* flag Asterisk passes (16 at the end of every PBX), not the hangup cause.
    pub fn soft_hangup(&self, id: ChannelId, reason: SoftHangupReason) {
        if self.soft_hangup_quiet(id) {
            self.chan_event("SoftHangupRequest", "call", id, |f| {
                f.push("Cause", reason.flag().to_string());
            });
        }
    }

    /// `ast_softhangup_nolock`: the same request without an event (Hangup(), the AMI `Hangup` action).
    /// Returns whether the channel was still alive.
    pub fn soft_hangup_quiet(&self, id: ChannelId) -> bool {
        self.with_chan_mut(id, |c| {
            if c.dead {
                return false;
            }
            c.softhangup = true;
            c.notify.notify_one();
            true
        })
        .unwrap_or(false)
    }

    pub fn set_hangupcause(&self, id: ChannelId, cause: i32) {
        self.with_chan_mut(id, |c| c.hangupcause = cause);
    }

    pub fn hangupcause(&self, id: ChannelId) -> i32 {
        self.with_chan(id, |c| c.hangupcause).unwrap_or(0)
    }

    /// `ast_hangup`: the channel is gone. A Local half first tells its peer (cause copied; `;2`'s
    /// DIALSTATUS becomes `;1`'s CHANLOCALSTATUS); then `Hangup` is published.
    pub fn hangup(&self, id: ChannelId) {
        // `ast_hangup` runs the channel's hangup handlers first; they are dialplan, so they run in a task
        // of their own and the hangup completes after them.
        if self.has_hangup_handlers(id) && self.is_alive(id) {
            self.mark_hung_up(id);
            let e = self.clone();
            self.spawn_local(async move {
                e.run_hangup_handlers(id).await;
                e.hangup(id);
            });
            return;
        }
        let Some((far, cause, bridge)) = self
            .with_chan(id, |c| {
                (!c.dead).then(|| (c.far.clone(), c.hangupcause, c.bridge))
            })
            .flatten()
        else {
            return;
        };
        let local_peer = match &far {
            FarEnd::Local { peer, .. } => Some(*peer),
            _ => None,
        };
        // ast_hangup releases a generator still running (music started by StartMusicOnHold) before the
        // technology's hangup: res_musiconhold's release prints the stop and sends MusicOnHoldStop. In
        // a bridge, the bridge stops its own music.
        if bridge.is_none() {
            self.moh_stop(id);
        }
        if let Some(b) = bridge {
            self.bridge_remove_dead(b, id);
        }
        match far {
            FarEnd::Local { peer, half, .. } => {
                self.with_chan_mut(id, |c| c.far = FarEnd::None);
                self.with_chan_mut(peer, |c| c.far = FarEnd::None);
                if half == LocalHalf::Two {
                    if let Some(status) = self.chan_var(id, "DIALSTATUS") {
                        self.set_var(peer, "CHANLOCALSTATUS", Some(&status));
                    }
                }
                // `;1` going away while nothing takes care of `;2` (its PBX never started): Asterisk hangs
                // `;2` up itself; otherwise `;2`'s owner reads a hangup.
                let orphan = half == LocalHalf::One
                    && self
                        .with_chan(peer, |c| !c.in_pbx && c.bridge.is_none())
                        .unwrap_or(false);
                if orphan {
                    self.set_hangupcause(peer, cause);
                    self.hangup(peer);
                } else {
                    self.queue_hangup(peer, Some(cause));
                }
            }
            FarEnd::Device(link) => link.hung_up(self, id),
            FarEnd::None => {}
        }
        let cause = self.with_chan(id, |c| c.hangupcause).unwrap_or(cause);
        // chan_pjsip's hangup sets the channel's technology cause (the SIP code it answers or ends
        // with) before the final snapshot, which `Hangup` shows as `TechCause` when it is non-zero.
        // Read only for a listener: the technology text is an allocation of its own, cold by the time a
        // long-parked call hangs up (docs/performance.md, issue 4).
        let tech_cause = (self.inner.bus.wants_ami()
            && self
                .with_chan(id, |c| c.tech.eq_ignore_ascii_case("PJSIP"))
                .unwrap_or(false))
        .then(|| cause::pjsip_code(cause))
        .filter(|&n| n != 0);
        self.chan_event("Hangup", "call", id, |f| {
            f.push("Cause", cause.to_string());
            f.push("Cause-txt", cause::text(cause));
            if let Some(n) = tech_cause {
                f.push("TechCause", n.to_string());
            }
        });
        let freed = self.with_chan_mut(id, |c| {
            c.dead = true;
            c.queue.clear();
            c.notify.notify_one();
        });
        if freed.is_some() {
            self.group_discard(id);
            // Free the channel's memory; its slot stays so ids are never reused. Its box, emptied now,
            // is kept for the next channel (see `Inner::spare_chans`).
            let old = self.inner.chans.borrow_mut()[id.0 as usize].take();
            if let Some(mut b) = old {
                *b = self.vacant_channel();
                let mut spare = self.inner.spare_chans.borrow_mut();
                if spare.len() < SPARE_CHANNELS {
                    spare.push(b);
                }
            }
            let live = self.inner.live.get().saturating_sub(1);
            self.inner.live.set(live);
            if live == 0 {
                self.inner.idle.notify_waiters();
            }
        }
        let live_peer = local_peer.filter(|&p| self.is_alive(p));
        self.channel_destroyed(id, live_peer);
    }

    // ----- async goto -----

    /// `ast_async_goto`: a channel in an application or a bridge leaves it and its PBX continues at `loc`
    /// (the application returns 0); a channel without a PBX gets one there.
    pub fn async_goto(&self, id: ChannelId, loc: Location) {
        let in_pbx = self
            .with_chan_mut(id, |c| {
                c.pending_goto = Some(loc.clone());
                c.notify.notify_one();
                c.in_pbx
            })
            .unwrap_or(true);
        if !in_pbx {
            // Without a PBX the goto is its start location; whoever holds the channel (a bridge task)
            // starts the PBX when it lets go (see the bridge loop).
        }
    }

    /// The interruption pending on a channel, if any (a vanished channel counts as hung up).
    pub fn interrupt(&self, id: ChannelId) -> Option<Interrupt> {
        self.with_chan(id, |c| c.interrupt())
            .unwrap_or(Some(Interrupt::Hangup))
    }

    // ----- waiting -----

    /// Waits until the task servicing `id` is woken or the deadline (virtual time) passes.
    pub fn wait(
        &self,
        id: ChannelId,
        deadline: Option<Duration>,
    ) -> impl std::future::Future<Output = Waited> + '_ {
        // Not a future of its own around `wait_in`'s: one level less in every waiting call's state.
        self.wait_in(id, deadline, None)
    }

    /// [`Engine::wait`] without a deadline, as a future of its own: a few words where `wait`'s holds its
    /// timer too, for loops that keep it across a long wait (a parked call's bridge loop, docs/performance.md,
    /// issue 4).
    pub async fn wait_woken(&self, id: ChannelId) -> Waited {
        let Some(notify) = self.notify_of(id) else {
            return Waited::Woken;
        };
        notify.notified().await;
        Waited::Woken
    }

    /// [`Engine::wait`] whose deadline timer fires in `turn` among timers of the same deadline.
    pub fn wait_in_turn(
        &self,
        id: ChannelId,
        deadline: Duration,
        turn: Turn,
    ) -> impl std::future::Future<Output = Waited> + '_ {
        self.wait_in(id, Some(deadline), Some(turn))
    }

    async fn wait_in(
        &self,
        id: ChannelId,
        deadline: Option<Duration>,
        turn: Option<Turn>,
    ) -> Waited {
        let Some(notify) = self.notify_of(id) else {
            return Waited::Woken;
        };
        match deadline {
            None => {
                notify.notified().await;
                Waited::Woken
            }
            Some(t) => {
                if t <= self.now() {
                    return Waited::Timeout;
                }
                let timer = match turn {
                    Some(turn) => self.timer_in_turn(t, turn),
                    None => self.timer(t),
                };
                tokio::select! {
                    biased;
                    _ = notify.notified() => Waited::Woken,
                    _ = timer => Waited::Timeout,
                }
            }
        }
    }

    /// Sleeps for `dur` on `id` (`ast_safe_sleep`): frames are read and dropped; a hangup or async goto
    /// ends the sleep early.
    pub async fn sleep(&self, id: ChannelId, dur: Duration) -> Result<(), Interrupt> {
        let deadline = self.now() + dur;
        loop {
            if let Some(i) = self.interrupt(id) {
                return Err(i);
            }
            while self.read_frame(id).is_some() {}
            if self.wait(id, Some(deadline)).await == Waited::Timeout {
                return match self.interrupt(id) {
                    Some(i) => Err(i),
                    None => Ok(()),
                };
            }
        }
    }

    /// Sleeps until `deadline` (virtual time) regardless of the channel (a timer).
    pub async fn sleep_until(&self, deadline: Duration) {
        if deadline > self.now() {
            self.timer(deadline).await;
        }
    }

    /// Spawns a task of the run (on the engine's executor); it first runs after the tasks already woken.
    pub fn spawn_local<F>(&self, fut: F)
    where
        F: std::future::Future<Output = ()> + 'static,
    {
        self.inner.exec.spawn(Box::pin(fut), false);
    }
}
