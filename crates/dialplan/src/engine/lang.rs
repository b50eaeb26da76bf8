//! The engine's side of the dialplan language: the virtual wall clock, the AstDB, the Gosub stack of a
//! channel (app_stack.c's datastore), `pbx_builtin_pushvar_helper`, and time specifications checked on the
//! virtual clock.

use super::astdb::AstDb;
use super::channel::ChannelId;
use super::Engine;
use crate::diag::LogLine;
use crate::timing::{TimeSpec, Tm};
use std::cell::RefMut;

/// One Gosub return address (`struct gosub_stack_frame`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GosubFrame {
    pub context: String,
    pub exten: String,
    pub priority: i32,
    /// The channel's "in a subroutine" flag when the Gosub ran (restored by Return).
    pub in_subroutine: bool,
    /// How many `ARGn` this frame masks.
    pub arguments: usize,
    /// Variables this frame pushed (`ARGn`, `ARGC`, `LOCAL()`), newest first.
    pub locals: Vec<String>,
    /// Pushed by a subroutine the core runs ([`Engine::run_sub`]): its `Return` ends that run.
    pub special: bool,
}

/// A channel's Gosub stack (the `GOSUB` datastore) and its subroutine flag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GosubStack {
    /// Top of the stack last.
    pub frames: Vec<GosubFrame>,
    /// `AST_FLAG_SUBROUTINE_EXEC`.
    pub in_subroutine: bool,
}

const GOSUB: &str = "gosub";

/// The datastore key of the last exception.
pub(crate) const EXCEPTION: &str = "exception";

/// `struct pbx_exception`: what `EXCEPTION()` reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub reason: String,
    pub context: String,
    pub exten: String,
    pub priority: i32,
}

/// The datastore key of a channel's PBX timeouts.
const TIMEOUTS: &str = "pbx-timeouts";

/// A channel's PBX timeouts (`ast_pbx`'s `rtimeoutms`/`dtimeoutms`) and absolute timeout
/// (`whentohangup`, as virtual time since the engine started).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    pub response_ms: i64,
    pub digit_ms: i64,
    pub hangup_at: Option<std::time::Duration>,
    /// The absolute timeout fired (`AST_SOFTHANGUP_TIMEOUT`) and the PBX has not handled it yet.
    pub fired: bool,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            response_ms: 10_000,
            digit_ms: 5_000,
            hangup_at: None,
            fired: false,
        }
    }
}

impl Engine {
    /// The virtual wall clock: Unix seconds and microseconds (`epoch` plus the virtual time elapsed).
    pub fn wall_clock(&self) -> (i64, u32) {
        let now = self.now();
        (
            self.inner.config.epoch + now.as_secs() as i64,
            now.subsec_micros(),
        )
    }

    /// The broken-down wall clock in the local time zone.
    pub fn wall_tm(&self) -> Tm {
        let (s, us) = self.wall_clock();
        self.time_zone().localtime(s, us)
    }

    /// The local time zone (the scenario's `timezone`).
    pub fn time_zone(&self) -> &crate::timing::Zone {
        &self.inner.config.timezone
    }

    /// A variable of the simulated process environment (`ENV`).
    pub fn env_var(&self, name: &str) -> Option<String> {
        self.inner.env.borrow().get(name).cloned()
    }

    /// Sets (or with `None` unsets) a variable of the simulated process environment.
    pub fn set_env_var(&self, name: &str, value: Option<&str>) {
        let mut env = self.inner.env.borrow_mut();
        match value {
            Some(v) => {
                env.insert(name.to_string(), v.to_string());
            }
            None => {
                env.remove(name);
            }
        }
    }

    /// The engine's AstDB.
    pub fn astdb(&self) -> RefMut<'_, AstDb> {
        self.inner.astdb.borrow_mut()
    }

    /// Whether the time specification `spec` (as `GotoIfTime`/`IFTIME`/timed includes write it) matches the
    /// virtual clock; Asterisk's warnings about bad elements are logged.
    pub fn check_timing(&self, spec: &TimeSpec) -> bool {
        spec.matches_at(self.wall_clock().0, self.time_zone())
    }

    /// Parses a time specification, logging Asterisk's warnings.
    pub fn build_timing(&self, text: &str) -> Option<TimeSpec> {
        let mut log: Vec<LogLine> = Vec::new();
        let spec = TimeSpec::parse(text, &mut log);
        for l in log {
            self.log_line(l);
        }
        spec
    }

    /// Runs `f` on the channel's Gosub stack; `create` makes one when there is none.
    pub fn with_gosub<R>(
        &self,
        chan: ChannelId,
        create: bool,
        f: impl FnOnce(&mut GosubStack) -> R,
    ) -> Option<R> {
        self.with_chan_mut(chan, |c| {
            if create && !c.datastores.contains_key(GOSUB) {
                c.datastores.insert(GOSUB, Box::new(GosubStack::default()));
            }
            c.datastores
                .get_mut(GOSUB)
                .and_then(|d| d.downcast_mut::<GosubStack>())
                .map(f)
        })
        .flatten()
    }

    /// The channel's last exception.
    pub fn exception(&self, chan: ChannelId) -> Option<Exception> {
        self.with_chan(chan, |c| {
            c.datastores
                .get(EXCEPTION)
                .and_then(|d| d.downcast_ref::<Exception>())
                .cloned()
        })
        .flatten()
    }

    /// The channel's PBX timeouts.
    pub fn timeouts(&self, chan: ChannelId) -> Timeouts {
        self.with_chan(chan, |c| {
            c.datastores
                .get(TIMEOUTS)
                .and_then(|d| d.downcast_ref::<Timeouts>())
                .copied()
        })
        .flatten()
        .unwrap_or_default()
    }

    /// Changes the channel's PBX timeouts.
    pub fn set_timeouts(&self, chan: ChannelId, f: impl FnOnce(&mut Timeouts)) {
        self.with_chan_mut(chan, |c| {
            let entry = c
                .datastores
                .entry(TIMEOUTS)
                .or_insert_with(|| Box::new(Timeouts::default()));
            if let Some(t) = entry.downcast_mut::<Timeouts>() {
                f(t);
            }
        });
    }

    /// `ast_channel_setwhentohangup_tv`: arms (or with `None` cancels) the absolute timeout. When it fires
    /// the channel is soft-hung-up with the timeout reason, which the PBX loop turns into a jump to `T`.
    pub fn set_absolute_timeout(&self, chan: ChannelId, at: Option<std::time::Duration>) {
        self.set_timeouts(chan, |t| {
            t.hangup_at = at;
            t.fired = false;
        });
        let Some(at) = at else { return };
        let e = self.clone();
        self.spawn_local(async move {
            e.sleep_until(at).await;
            if e.timeouts(chan).hangup_at != Some(at) {
                return;
            }
            e.set_timeouts(chan, |t| t.fired = true);
            e.with_chan_mut(chan, |c| {
                if !c.dead {
                    c.softhangup = true;
                    c.notify.notify_one();
                }
            });
        });
    }

    /// The PBX loop's handling of `AST_SOFTHANGUP_TIMEOUT`: when the absolute timeout fired, clear it and go
    /// to `T` (or `e` with `ABSOLUTETIMEOUT`); `false` when it did not fire or there is nowhere to go.
    pub(crate) fn absolute_timeout_jump(&self, chan: ChannelId) -> bool {
        if !self.timeouts(chan).fired {
            return false;
        }
        let Some((ctx, cid)) =
            self.with_chan(chan, |c| (c.context.clone(), c.caller.number.clone()))
        else {
            return false;
        };
        let t = self.plan().exists(&ctx, "T", 1, cid.as_deref());
        let e = !t && self.plan().exists(&ctx, "e", 1, cid.as_deref());
        if !t && !e {
            return false;
        }
        self.set_timeouts(chan, |x| {
            x.hangup_at = None;
            x.fired = false;
        });
        self.with_chan_mut(chan, |c| c.softhangup = false);
        if t {
            self.set_location(chan, &ctx, "T", 1);
        } else {
            self.raise_exception(chan, "ABSOLUTETIMEOUT");
        }
        true
    }

    /// Whether the channel has a Gosub stack at all (the datastore exists).
    pub fn has_gosub_stack(&self, chan: ChannelId) -> bool {
        self.with_gosub(chan, false, |_| ()).is_some()
    }

    /// `pbx_builtin_pushvar_helper` on a channel: adds a variable in front of any of the same name (no
    /// `VarSet`).
    pub fn push_var(&self, chan: ChannelId, name: &str, value: &str) {
        self.with_chan_mut(chan, |c| c.vars.push(name, value));
    }

    /// app_stack's `frame_set_var`: the first set of a name in the top frame pushes it (hiding the caller's
    /// value), later sets replace it; `VarSet` shows `LOCAL(name)`.
    pub fn frame_set_var(&self, chan: ChannelId, name: &str, value: &str) {
        let found = self
            .with_gosub(chan, false, |s| {
                let frame = s.frames.last_mut()?;
                if frame.locals.iter().any(|l| l == name) {
                    Some(true)
                } else {
                    frame.locals.insert(0, name.to_string());
                    Some(false)
                }
            })
            .flatten();
        match found {
            Some(true) => self.set_var(chan, name, Some(value)),
            Some(false) => self.push_var(chan, name, value),
            None => return,
        }
        self.chan_event("VarSet", "dialplan", chan, |f| {
            f.push("Variable", format!("LOCAL({name})"));
            f.push("Value", value.to_string());
        });
    }

    /// `gosub_release_frame`: the frame's variables are deleted, showing the caller's again.
    pub fn release_frame(&self, chan: ChannelId, frame: &GosubFrame) {
        for name in &frame.locals {
            self.set_var(chan, name, None);
        }
    }
}

/// How an interruptible prompt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heard {
    /// Played to the end.
    Done,
    /// The file does not exist (Asterisk logged its warnings).
    Missing,
    /// A digit of the stop set was pressed (`ast_waitstream` returned it).
    Digit(char),
}

impl Engine {
    /// `ast_streamfile` + `ast_waitstream(chan, stop)`: plays `file`, stopping at the first DTMF digit that
    /// is in `stop` (other frames are dropped).
    pub async fn play_until_digit(
        &self,
        chan: ChannelId,
        file: &str,
        stop: &str,
    ) -> Result<Heard, super::channel::Interrupt> {
        let Some(duration) = self.start_prompt(chan, file)? else {
            return Ok(Heard::Missing);
        };
        let r = self.wait_digit_in(chan, duration, stop).await;
        self.with_chan_mut(chan, |c| c.playing = None);
        r.map(|d| d.map_or(Heard::Done, Heard::Digit))
    }

    /// Waits up to `dur` for a DTMF digit in `stop`; `None` when the time ran out.
    pub async fn wait_digit_in(
        &self,
        chan: ChannelId,
        dur: std::time::Duration,
        stop: &str,
    ) -> Result<Option<char>, super::channel::Interrupt> {
        use super::channel::Frame;
        use super::ops::Waited;
        let deadline = self.now() + dur;
        self.set_reading(chan, true);
        let r = loop {
            if let Some(i) = self.interrupt(chan) {
                break Err(i);
            }
            let mut hit = None;
            while let Some(f) = self.read_frame(chan) {
                if let Frame::DtmfEnd(d, _) = f {
                    if stop.contains(d) {
                        hit = Some(d);
                        break;
                    }
                }
            }
            if hit.is_some() {
                break Ok(hit);
            }
            if self.wait(chan, Some(deadline)).await == Waited::Timeout {
                break match self.interrupt(chan) {
                    Some(i) => Err(i),
                    None => Ok(None),
                };
            }
        };
        self.set_reading(chan, false);
        r
    }
}
