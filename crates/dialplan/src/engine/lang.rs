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
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            response_ms: 10_000,
            digit_ms: 5_000,
            hangup_at: None,
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

    /// The broken-down wall clock (UTC).
    pub fn wall_tm(&self) -> Tm {
        let (s, us) = self.wall_clock();
        Tm::from_unix(s, us)
    }

    /// The engine's AstDB.
    pub fn astdb(&self) -> RefMut<'_, AstDb> {
        self.inner.astdb.borrow_mut()
    }

    /// Whether the time specification `spec` (as `GotoIfTime`/`IFTIME`/timed includes write it) matches the
    /// virtual clock; Asterisk's warnings about bad elements are logged.
    pub fn check_timing(&self, spec: &TimeSpec) -> bool {
        spec.matches(&self.wall_tm())
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
