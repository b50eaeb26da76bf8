//! The PBX loop (`main/pbx.c · __ast_pbx_run`, `pbx_extension_helper`, `collect_digits`,
//! `ast_pbx_h_exten_run`).
//!
//! Each step looks up (context, exten, priority), substitutes the data, prints
//! `Executing [exten@context:prio] App("chan", "args") in new stack` and publishes `Newexten`, then runs the
//! application. 0 goes on with the next priority; anything else prints `Spawn extension (…) exited
//! non-zero on '…'` and ends the PBX, unless an async goto is pending (it resumes there), a digit was
//! returned (digit collection), or `AST_PBX_ERROR` can go to `e`. A missing priority is autofallthrough
//! (yes: `Auto fallthrough, channel '…' status is '…'` with busy/congestion indication; no: wait 10 s for
//! digits, then `t`/`i`/`e`); a missing extension goes to `i`/`e`. At the end the channel is soft-hung-up,
//! `h` runs in the current context, and the channel is hung up.
//!
//! `max_steps` bounds the priorities of one engine run: a runaway loop is stopped with a diagnostic.

use super::channel::{cause, ChannelId, ChannelState, Control, Frame, Interrupt};
use super::ext::{AppResult, Exec};
use super::ops::{SoftHangupReason, Waited};
use super::Engine;
use crate::diag::LogLevel;
use std::time::Duration;

/// The response timeout (`rtimeoutms`).
pub const RESPONSE_TIMEOUT: Duration = Duration::from_millis(10_000);
/// The digit timeout (`dtimeoutms`).
pub const DIGIT_TIMEOUT: Duration = Duration::from_millis(5_000);

/// What one spawn did.
pub(crate) enum Spawned {
    /// No priority there.
    NotFound,
    /// The application ran and returned this.
    Ran(AppResult),
    /// `max_steps` reached.
    Limit,
}

/// Where the PBX loop goes on after [`Engine::ran_out`].
enum RanOut {
    /// The next round, at the channel's (possibly new) position.
    Next,
    /// The PBX ends in error.
    Error,
    /// The PBX ends after an application ran.
    Found,
    /// The PBX ends as it is (a hangup while collecting digits).
    Stop,
}

/// What led the PBX loop to [`Engine::ran_out`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum RanOutBy {
    /// The dialplan ran out, or an application returned a digit.
    Plain,
    /// An application returned `AST_PBX_INCOMPLETE` and more digits could match: the digits collected
    /// now must add to the extension, or it is a timeout.
    Incomplete,
    /// An application returned `AST_PBX_INCOMPLETE` and nothing longer could match: invalid.
    IncompleteInvalid,
}

enum Collected {
    Done,
    Hangup,
}

impl Engine {
    /// Starts a PBX on `chan` in a task of its own, at its current location.
    pub fn spawn_pbx(&self, chan: ChannelId) {
        self.with_chan_mut(chan, |c| c.in_pbx = true);
        let e = self.clone();
        self.spawn_local(async move {
            e.run_pbx(chan).await;
        });
    }

    /// Runs the PBX on `chan` until the call ends; the channel is hung up at the end.
    pub async fn run_pbx(&self, chan: ChannelId) {
        self.with_chan_mut(chan, |c| c.in_pbx = true);
        self.inner.counters.borrow_mut().pbx_runs += 1;
        if let Some((name, ctx, exten, prio)) = self
            .with_chan(chan, |c| {
                c.exten.is_empty().then(|| {
                    (
                        c.name.clone(),
                        c.context.clone(),
                        c.exten.clone(),
                        c.priority,
                    )
                })
            })
            .flatten()
        {
            self.verbose(2, "pbx.c", || {
                format!(
                    "Starting {name} at {ctx},{exten},{prio} failed so falling back to exten 's'"
                )
            });
            self.set_location(chan, &ctx, "s", 1);
        }
        let mut found = false;
        let mut error = false;
        'outer: loop {
            let mut dst = String::new();
            let mut digit = false;
            let mut by = RanOutBy::Plain;
            let res;
            loop {
                match self.spawn_one(chan).await {
                    Spawned::Limit => {
                        error = true;
                        break 'outer;
                    }
                    Spawned::NotFound => {
                        found = false;
                        res = AppResult::Hangup;
                        break;
                    }
                    Spawned::Ran(AppResult::Continue) => {
                        found = true;
                        match self.interrupt(chan) {
                            None => {
                                self.with_chan_mut(chan, |c| c.priority += 1);
                            }
                            Some(Interrupt::AsyncGoto) | Some(Interrupt::Bridge) => {
                                self.apply_goto(chan)
                            }
                            Some(Interrupt::Hangup) => {
                                if self.has_pending_goto(chan) {
                                    self.apply_goto(chan);
                                    continue;
                                }
                                if self.absolute_timeout_jump(chan) {
                                    continue;
                                }
                                error = true;
                                break 'outer;
                            }
                        }
                    }
                    Spawned::Ran(r) => {
                        found = true;
                        res = r;
                        break;
                    }
                }
            }
            if found {
                if let AppResult::Digit(d) = res {
                    dst.push(d);
                    digit = true;
                } else if res == AppResult::Incomplete {
                    // __ast_pbx_run: go on collecting digits of this extension when a longer one
                    // could match, else treat it as invalid.
                    self.spawn_exited(chan, "INCOMPLETE");
                    if let Some((ctx, exten, _, cid)) = self.position(chan) {
                        if self.plan().match_more(&ctx, &exten, cid.as_deref()) {
                            dst = exten;
                            digit = true;
                            by = RanOutBy::Incomplete;
                        } else {
                            by = RanOutBy::IncompleteInvalid;
                        }
                    }
                } else {
                    self.spawn_exited(chan, "non-zero");
                    if res == AppResult::Error && self.exists_here(chan, "e") {
                        if self.with_chan(chan, |c| c.exten == "e").unwrap_or(false) {
                            self.spawn_exited(chan, "ERROR while already on 'e' exten");
                            error = true;
                            break 'outer;
                        }
                        self.raise_exception(chan, "ERROR");
                        continue 'outer;
                    }
                    if self.has_pending_goto(chan) {
                        self.apply_goto(chan);
                        continue 'outer;
                    }
                    if self.absolute_timeout_jump(chan) {
                        continue 'outer;
                    }
                    error = true;
                    break 'outer;
                }
            }
            // The dialplan ran out (or a digit was returned): rare, so its state machine is boxed and
            // the PBX future a parked call keeps holds only the loop above (docs/performance.md, issue 4).
            match Box::pin(self.ran_out(chan, dst, digit, by)).await {
                RanOut::Next => {}
                RanOut::Error => {
                    error = true;
                    break 'outer;
                }
                RanOut::Found => {
                    found = true;
                    break 'outer;
                }
                RanOut::Stop => break 'outer,
            }
        }
        if !found && !error {
            if let Some(name) = self.chan_name(chan) {
                self.log(LogLevel::Warning, "pbx.c", || {
                    format!("Don't know what to do with '{name}'")
                });
            }
        }
        self.pbx_end(chan).await;
    }

    /// What the PBX loop does when the dialplan ran out at the channel's position or an application
    /// returned a digit (`dst` holds it): `i`, `e`, autofallthrough, or collecting more digits.
    async fn ran_out(&self, chan: ChannelId, mut dst: String, digit: bool, by: RanOutBy) -> RanOut {
        let (Some(name), Some((ctx, exten, prio, cid))) =
            (self.chan_name(chan), self.position(chan))
        else {
            return RanOut::Error;
        };
        let exists = self.plan().exists(&ctx, &exten, 1, cid.as_deref());
        if by == RanOutBy::IncompleteInvalid || (dst.is_empty() && !exists) {
            let invalid = || {
                self.verbose(3, "pbx.c", || {
                    format!(
                        "Channel '{name}' sent to invalid extension: context,exten,priority={ctx},{exten},{prio}"
                    )
                });
                self.set_var(chan, "INVALID_EXTEN", Some(&exten));
            };
            let unhandled = || {
                format!(
                    "Channel '{name}' sent to invalid extension but no invalid handler: context,exten,priority={ctx},{exten},{prio}"
                )
            };
            return if self.fall_back(chan, &ctx, "i", "INVALID", invalid, unhandled) {
                RanOut::Next
            } else {
                RanOut::Error
            };
        }
        let autofallthrough = self.plan().autofallthrough();
        let timeouts = self.timeouts(chan);
        let ms = |v: i64| Duration::from_millis(v.max(0) as u64);
        let waittime = if digit {
            ms(timeouts.digit_ms)
        } else if !autofallthrough {
            ms(timeouts.response_ms)
        } else {
            Duration::ZERO
        };
        if waittime.is_zero() {
            let status = self
                .get_var(chan, "DIALSTATUS")
                .unwrap_or_else(|| "UNKNOWN".to_string());
            self.verbose(3, "pbx.c", || {
                format!("Auto fallthrough, channel '{name}' status is '{status}'")
            });
            if status.eq_ignore_ascii_case("CONGESTION")
                || status.eq_ignore_ascii_case("CHANUNAVAIL")
            {
                // Boxed, as collect_digits below: rare, and inline their state machines would
                // make every call's PBX future three times as large (docs/performance.md, issue 4).
                Box::pin(self.indicate_congestion(chan, Some(Duration::from_secs(10)))).await;
            } else if status.eq_ignore_ascii_case("BUSY") {
                Box::pin(self.indicate_busy(chan, Some(Duration::from_secs(10)))).await;
            }
            return RanOut::Error;
        }
        let pos = dst.len();
        match Box::pin(self.collect_digits(chan, waittime, &mut dst)).await {
            Collected::Hangup => return RanOut::Stop,
            Collected::Done => {}
        }
        // After Incomplete, no new digit is a timeout even though the extension so far exists.
        let timeout = by == RanOutBy::Incomplete && dst.len() == pos;
        let taken =
            if !timeout && !dst.is_empty() && self.plan().exists(&ctx, &dst, 1, cid.as_deref()) {
                self.set_location(chan, &ctx, &dst, 1);
                true
            } else if !timeout && !dst.is_empty() {
                let invalid = || {
                    self.verbose(3, "pbx.c", || {
                        format!("Invalid extension '{dst}' in context '{ctx}' on {name}")
                    });
                    self.set_var(chan, "INVALID_EXTEN", Some(&dst));
                };
                let unhandled = || {
                    format!("Invalid extension '{dst}', but no rule 'i' or 'e' in context '{ctx}'")
                };
                self.fall_back(chan, &ctx, "i", "INVALID", invalid, unhandled)
            } else {
                let timeout = || self.verbose(3, "pbx.c", || format!("Timeout on {name}"));
                let unhandled = || format!("Timeout, but no rule 't' or 'e' in context '{ctx}'");
                self.fall_back(chan, &ctx, "t", "RESPONSETIMEOUT", timeout, unhandled)
            };
        if taken {
            RanOut::Next
        } else {
            RanOut::Found
        }
    }

    /// pbx.c's fall-back when the dialplan has nowhere to send a channel: the context's `rule` extension
    /// (`i` or `t`) after `on_rule` (its verbose line, `INVALID_EXTEN`), else the `e` extension with
    /// `exception`, else `warning` logged; `false` when nothing took the channel.
    fn fall_back(
        &self,
        chan: ChannelId,
        ctx: &str,
        rule: &str,
        exception: &str,
        on_rule: impl FnOnce(),
        warning: impl FnOnce() -> String,
    ) -> bool {
        if self.exists_here(chan, rule) {
            on_rule();
            self.set_location(chan, ctx, rule, 1);
        } else if self.exists_here(chan, "e") {
            self.raise_exception(chan, exception);
        } else {
            self.log(LogLevel::Warning, "pbx.c", warning);
            return false;
        }
        true
    }

    /// The end of a PBX: soft hangup, `h` in the current context (once), hangup.
    async fn pbx_end(&self, chan: ChannelId) {
        if !self.is_alive(chan) {
            return;
        }
        self.soft_hangup(chan, SoftHangupReason::AppUnload);
        let limit_hit = self.inner.steps.get() >= self.inner.config.max_steps;
        let h_ran = self.with_chan(chan, |c| c.h_ran).unwrap_or(true);
        // Both boxed and only when there is something to run: most calls have neither, and inline their
        // state would make every call's PBX future larger (docs/performance.md, issue 4).
        if !h_ran && !limit_hit && self.exists_here(chan, "h") {
            Box::pin(self.run_h(chan)).await;
        }
        if !limit_hit && self.has_hangup_handlers(chan) {
            Box::pin(self.run_hangup_handlers(chan)).await;
        }
        self.with_chan_mut(chan, |c| c.in_pbx = false);
        self.hangup(chan);
    }

    /// `ast_pbx_h_exten_run` in `context`, for a channel without a PBX (Dial's `e` on the callee).
    pub(crate) async fn run_h_in(&self, chan: ChannelId, context: &str) {
        let Some((exten, prio)) = self.with_chan(chan, |c| (c.exten.clone(), c.priority)) else {
            return;
        };
        // ast_pbx_h_exten_run marks the channel hung up (AST_SOFTHANGUP_HANGUP_EXEC, no event) first:
        // a callee still up when its caller left runs its `h` as a hung-up channel.
        self.soft_hangup_quiet(chan);
        self.set_location(chan, context, &exten, prio);
        self.run_h(chan).await;
    }

    /// `ast_pbx_h_exten_run`.
    async fn run_h(&self, chan: ChannelId) {
        let Some(ctx) = self.with_chan(chan, |c| c.context.clone()) else {
            return;
        };
        self.set_location(chan, &ctx, "h", 1);
        loop {
            match self.spawn_one(chan).await {
                Spawned::Ran(AppResult::Continue) => {
                    self.with_chan_mut(chan, |c| c.priority += 1);
                }
                Spawned::Ran(_) => {
                    self.spawn_exited(chan, "non-zero");
                    break;
                }
                Spawned::NotFound | Spawned::Limit => break,
            }
        }
        self.with_chan_mut(chan, |c| c.h_ran = true);
    }

    fn spawn_exited(&self, chan: ChannelId, how: &str) {
        if !self.bus().wants_log(LogLevel::Verbose(2)) {
            return;
        }
        if let Some((name, ctx, exten, prio)) = self.with_chan(chan, |c| {
            (
                c.name.clone(),
                c.context.clone(),
                c.exten.clone(),
                c.priority,
            )
        }) {
            self.verbose(2, "pbx.c", || {
                format!("Spawn extension ({ctx}, {exten}, {prio}) exited {how} on '{name}'")
            });
        }
    }

    /// Whether `exten`,1 exists in the channel's current context.
    fn exists_here(&self, chan: ChannelId, exten: &str) -> bool {
        let Some((ctx, cid)) =
            self.with_chan(chan, |c| (c.context.clone(), c.caller.number.clone()))
        else {
            return false;
        };
        self.plan().exists(&ctx, exten, 1, cid.as_deref())
    }

    /// `raise_exception`: `EXCEPTION(reason)` and a jump to `e`,1.
    pub fn raise_exception(&self, chan: ChannelId, reason: &str) {
        let ctx = self.with_chan_mut(chan, |c| {
            let e = super::lang::Exception {
                reason: reason.to_string(),
                context: c.context.clone(),
                exten: c.exten.clone(),
                priority: c.priority,
            };
            c.datastores.insert(super::lang::EXCEPTION, Box::new(e));
            c.context.clone()
        });
        if let Some(ctx) = ctx {
            self.set_location(chan, &ctx, "e", 1);
        }
    }

    fn has_pending_goto(&self, chan: ChannelId) -> bool {
        self.with_chan(chan, |c| c.pending_goto.is_some())
            .unwrap_or(false)
    }

    /// Resumes at a pending async goto's location (no priority increment follows).
    fn apply_goto(&self, chan: ChannelId) {
        if let Some(loc) = self
            .with_chan_mut(chan, |c| c.pending_goto.take())
            .flatten()
        {
            self.set_location(chan, &loc.context, &loc.exten, loc.priority);
        }
    }

    /// One `ast_spawn_extension`.
    pub(crate) async fn spawn_one(&self, chan: ChannelId) -> Spawned {
        let exec = {
            let plan = self.plan();
            let step = {
                let chans = self.inner.chans.borrow();
                let Some(c) = chans.get(chan.0 as usize).and_then(|c| c.as_deref()) else {
                    return Spawned::NotFound;
                };
                match plan.step(&c.context, &c.exten, c.priority, c.caller.number.as_deref()) {
                    Some(s) => s,
                    None => return Spawned::NotFound,
                }
            };
            let steps = self.inner.steps.get() + 1;
            if steps > self.inner.config.max_steps {
                drop(plan);
                self.step_limit(chan);
                return Spawned::Limit;
            }
            self.inner.steps.set(steps);
            let Some(app) = self.find_app(step.app) else {
                let app_name = step.app.to_string();
                drop(plan);
                if let Some((ctx, exten, prio)) =
                    self.with_chan(chan, |c| (c.context.clone(), c.exten.clone(), c.priority))
                {
                    self.log(LogLevel::Warning, "pbx.c", || {
                        format!(
                            "No application '{app_name}' for extension ({ctx}, {exten}, {prio})"
                        )
                    });
                }
                return Spawned::Ran(AppResult::Hangup);
            };
            if self.has_pending_goto(chan) {
                return Spawned::Ran(AppResult::Continue);
            }
            let args = self.substitute(chan, step.data);
            self.announce_step(chan, app.name(), &args);
            app.exec(self, chan, &args)
        };
        match exec {
            Exec::Done(r) => Spawned::Ran(r),
            Exec::Pending(f) => Spawned::Ran(f.await),
        }
    }

    /// The `Executing` line and `Newexten`.
    fn announce_step(&self, chan: ChannelId, app: &'static str, args: &str) {
        let wants_log = self.bus().wants_log(LogLevel::Verbose(3));
        let wants_ami = self.bus().wants_ami();
        if !wants_log && !wants_ami {
            return;
        }
        if wants_ami {
            self.with_chan_mut(chan, |c| {
                c.appl = std::rc::Rc::from(app);
                c.data = std::rc::Rc::from(args);
            });
        }
        if wants_log {
            if let Some((name, ctx, exten, prio)) = self.with_chan(chan, |c| {
                (
                    c.name.clone(),
                    c.context.clone(),
                    c.exten.clone(),
                    c.priority,
                )
            }) {
                self.verbose(3, "pbx.c", || {
                    format!("Executing [{exten}@{ctx}:{prio}] {app}(\"{name}\", \"{args}\") in new stack")
                });
            }
        }
        self.newexten(chan);
    }

    /// Publishes `Newexten` from the channel's current position and application — unless it was published
    /// for this position already when the channel left its bridge ([`Engine::bridge_run`]).
    pub fn newexten(&self, chan: ChannelId) {
        if !self.bus().wants_ami() {
            return;
        }
        let Some(Some((exten, appl, data))) = self.with_chan_mut(chan, |c| {
            let done = c.newexten_published.take().is_some_and(|at| {
                at.context == c.context && at.exten == c.exten && at.priority == c.priority
            });
            (!done).then(|| (c.exten.clone(), c.appl.clone(), c.data.clone()))
        }) else {
            return;
        };
        self.chan_event("Newexten", "dialplan", chan, |f| {
            f.push("Extension", exten);
            f.push("Application", appl.to_string());
            f.push("AppData", data.to_string());
        });
    }

    fn step_limit(&self, chan: ChannelId) {
        let max = self.inner.config.max_steps;
        let name = self
            .chan_name(chan)
            .map(|n| n.to_string())
            .unwrap_or_default();
        self.explain(
            super::codes::MAX_STEPS,
            Some(chan),
            &format!("stopped '{name}' after {max} priorities: the dialplan seems to loop forever"),
            Some("real Asterisk would keep running this loop; check the Goto/GotoIf that jumps back, or raise max_steps in the scenario"),
        );
        self.set_hangupcause(chan, cause::NORMAL_CLEARING);
    }

    /// `collect_digits`: reads digits while more could match, `waittime` for the first, 5 s for the next.
    async fn collect_digits(
        &self,
        chan: ChannelId,
        mut waittime: Duration,
        dst: &mut String,
    ) -> Collected {
        self.set_reading(chan, true);
        let result = loop {
            let Some((ctx, cid)) =
                self.with_chan(chan, |c| (c.context.clone(), c.caller.number.clone()))
            else {
                break Collected::Hangup;
            };
            if !self.plan().match_more(&ctx, dst, cid.as_deref()) {
                break Collected::Done;
            }
            match self.wait_for_digit(chan, waittime).await {
                Ok(Some(d)) => {
                    dst.push(d);
                    waittime = Duration::from_millis(self.timeouts(chan).digit_ms.max(0) as u64);
                }
                Ok(None) => break Collected::Done,
                Err(Interrupt::AsyncGoto) | Err(Interrupt::Bridge) => {
                    // Asterisk clears the async goto here and keeps collecting.
                    self.with_chan_mut(chan, |c| c.pending_goto = None);
                }
                Err(Interrupt::Hangup) => break Collected::Hangup,
            }
        };
        self.set_reading(chan, false);
        result
    }

    /// `ast_waitfordigit`: the next DTMF digit within `timeout`, `None` on timeout.
    pub async fn wait_for_digit(
        &self,
        chan: ChannelId,
        timeout: Duration,
    ) -> Result<Option<char>, Interrupt> {
        let deadline = self.now() + timeout;
        self.set_reading(chan, true);
        loop {
            if let Some(i) = self.interrupt(chan) {
                return Err(i);
            }
            while let Some(f) = self.read_frame(chan) {
                if let Frame::DtmfEnd(d, _) = f {
                    return Ok(Some(d));
                }
            }
            if self.wait(chan, Some(deadline)).await == Waited::Timeout {
                if let Some(i) = self.interrupt(chan) {
                    return Err(i);
                }
                return Ok(None);
            }
        }
    }

    /// `indicate_busy`: busy tone; a channel not yet up gets cause 17 and state Busy; waits `timeout`
    /// (`None`: until hangup).
    pub async fn indicate_busy(&self, chan: ChannelId, timeout: Option<Duration>) -> AppResult {
        self.indicate(chan, Control::Busy);
        if self.state(chan) != Some(ChannelState::Up) {
            self.set_hangupcause(chan, cause::USER_BUSY);
            self.set_state(chan, ChannelState::Busy);
        }
        self.wait_for_hangup(chan, timeout).await
    }

    /// `indicate_congestion`: congestion tone; a channel not yet up gets cause 34 and state Busy.
    pub async fn indicate_congestion(
        &self,
        chan: ChannelId,
        timeout: Option<Duration>,
    ) -> AppResult {
        self.indicate(chan, Control::Congestion);
        if self.state(chan) != Some(ChannelState::Up) {
            self.set_hangupcause(chan, cause::CONGESTION);
            self.set_state(chan, ChannelState::Busy);
        }
        self.wait_for_hangup(chan, timeout).await
    }

    /// `wait_for_hangup`: waits `timeout` or until hangup; always −1.
    async fn wait_for_hangup(&self, chan: ChannelId, timeout: Option<Duration>) -> AppResult {
        match timeout {
            Some(t) => {
                let _ = self.sleep(chan, t).await;
            }
            None => loop {
                if self.interrupt(chan).is_some() {
                    break;
                }
                while self.read_frame(chan).is_some() {}
                self.wait(chan, None).await;
            },
        }
        AppResult::Hangup
    }
}
