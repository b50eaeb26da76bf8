//! Subroutines the core runs on a channel outside its PBX loop (app_stack.c's `gosub_run`, reached through
//! `ast_app_exec_sub`): hangup handlers, Dial's pre-dial handlers `b()`/`B()` and its `U()` callee
//! subroutine.
//!
//! The run prints `<chan> Internal Gosub(<args>) start`, jumps as `Gosub` does and marks the pushed frame
//! special, runs priorities until one returns non-zero — the `Return` that pops the special frame returns
//! −1, so Asterisk's `Spawn extension (…) exited non-zero` line follows even a clean return — then prints
//! `… complete GOSUB_RETVAL=…` when the channel is back where it started, or warns `Abnormal … exit` and
//! pops the frames the routine left. The channel's location, subroutine flag and a pending async goto are
//! restored afterwards.

use super::channel::ChannelId;
use super::ext::AppResult;
use super::pbx::Spawned;
use super::Engine;
use crate::diag::LogLevel;

/// Whether a subroutine keeps running on a hung-up channel (`ignore_hangup` of `ast_app_exec_sub`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnHangup {
    /// Hangup handlers: the channel is already hung up and the routine runs anyway.
    Continue,
    /// Dial's `U()` and pre-dial handlers: a hangup stops the routine.
    Stop,
}

/// Splits `[[context,]exten,]priority[(args)]` the way app_stack.c's `expand_gosub_args` does, filling
/// the omitted context and extension from the channel's current ones. Returns the full text and whether
/// the `(` had no closing `)` (Asterisk warns `Ouch.  No closing paren: '…'?`).
pub fn expand_sub_args(args: &str, context: &str, exten: &str) -> (String, bool) {
    let (label, inner, unclosed) = match args.split_once('(') {
        None => (args, None, false),
        Some((label, rest)) => match rest.rfind(')') {
            Some(i) => (label, Some(&rest[..i]), false),
            None => (label, Some(rest), true),
        },
    };
    let mut parts = label.splitn(3, ',');
    let first = parts.next().unwrap_or("");
    let (c, e, p) = match (parts.next(), parts.next()) {
        (None, _) => ("", "", first),
        (Some(p), None) => ("", first, p),
        (Some(e), Some(p)) => (first, e, p),
    };
    // `strsep` on the third field keeps any further commas in the priority.
    let c = if c.is_empty() { context } else { c };
    let e = if e.is_empty() { exten } else { e };
    let text = match inner.filter(|i| !i.is_empty()) {
        None => format!("{c},{e},{p}"),
        Some(i) => format!("{c},{e},{p}({i})"),
    };
    (text, unclosed)
}

impl Engine {
    /// `ast_app_exec_sub` / `gosub_run`: runs the subroutine `sub_args` (as `Gosub` takes it) on `chan`
    /// and returns what `gosub_run` returns: 0 ([`AppResult::Continue`]) when the routine could start,
    /// −1 when its address was bad.
    pub async fn run_sub(&self, chan: ChannelId, sub_args: &str, on_hangup: OnHangup) -> AppResult {
        let Some((name, saved_ctx, saved_exten, saved_prio, saved_goto)) =
            self.with_chan_mut(chan, |c| {
                (
                    c.name.clone(),
                    c.context.clone(),
                    c.exten.clone(),
                    c.priority,
                    c.pending_goto.take(),
                )
            })
        else {
            return AppResult::Hangup;
        };
        self.verbose(3, "app_stack.c", || {
            format!("{name} Internal Gosub({sub_args}) start")
        });
        let saved_sub = self.with_gosub(chan, false, |s| s.in_subroutine);
        let mut res = crate::apps::gosub::gosub(self, chan, sub_args);
        if res == AppResult::Continue {
            let marked = self.with_gosub(chan, false, |s| {
                if let Some(f) = s.frames.last_mut() {
                    f.special = true;
                }
            });
            if marked.is_none() {
                self.log(LogLevel::Error, "app_stack.c", || {
                    "No Gosub stack!".to_string()
                });
                res = AppResult::Hangup;
            }
        }
        if res == AppResult::Continue {
            let mut found = false;
            loop {
                if self.interrupt(chan) == Some(super::channel::Interrupt::Hangup)
                    && on_hangup == OnHangup::Stop
                {
                    break;
                }
                if self.with_chan(chan, |c| c.pending_goto.is_some()) == Some(true) {
                    self.log(LogLevel::Error, "app_stack.c", || {
                        format!("{name} An async goto just messed up our execution location.")
                    });
                    break;
                }
                self.with_chan_mut(chan, |c| c.priority += 1);
                match self.spawn_one(chan).await {
                    Spawned::Ran(AppResult::Continue) => found = true,
                    Spawned::Ran(_) => {
                        found = true;
                        break;
                    }
                    Spawned::NotFound => {
                        found = false;
                        self.no_such_step(chan);
                        break;
                    }
                    Spawned::Limit => {
                        found = false;
                        break;
                    }
                }
            }
            if found {
                self.spawn_exited_line(chan);
            }
            let back = self
                .with_chan(chan, |c| {
                    c.priority == saved_prio && c.context == saved_ctx && c.exten == saved_exten
                })
                .unwrap_or(false);
            if back {
                let retval = self.get_var(chan, "GOSUB_RETVAL").unwrap_or_default();
                self.verbose(3, "app_stack.c", || {
                    format!("{name} Internal Gosub({sub_args}) complete GOSUB_RETVAL={retval}")
                });
            } else {
                self.log(LogLevel::Warning, "app_stack.c", || {
                    format!("{name} Abnormal 'Gosub({sub_args})' exit.  Popping routine return locations.")
                });
                self.balance_stack(chan);
                self.set_var(chan, "GOSUB_RETVAL", Some(""));
            }
            res = AppResult::Continue;
        }
        let goto_now = self.with_chan(chan, |c| c.pending_goto.is_some()) == Some(true);
        self.with_chan_mut(chan, |c| {
            if !goto_now {
                c.context = saved_ctx;
                c.exten = saved_exten;
                c.priority = saved_prio;
            }
            if c.pending_goto.is_none() {
                c.pending_goto = saved_goto;
            }
        });
        if let Some(flag) = saved_sub {
            self.with_gosub(chan, false, |s| s.in_subroutine = flag);
        }
        res
    }

    /// `balance_stack`: pops the frames down to and including the special one.
    fn balance_stack(&self, chan: ChannelId) {
        loop {
            let Some(Some(frame)) = self.with_gosub(chan, false, |s| s.frames.pop()) else {
                return;
            };
            self.release_frame(chan, &frame);
            if frame.special {
                return;
            }
        }
    }

    /// What `pbx_extension_helper` logs when the location it is asked to run does not exist.
    fn no_such_step(&self, chan: ChannelId) {
        let Some((ctx, exten, prio, cid)) = self.position(chan) else {
            return;
        };
        let (has_ctx, has_exten) = {
            let plan = self.plan();
            (
                plan.has_context(&ctx),
                plan.exists(&ctx, &exten, 1, cid.as_deref()),
            )
        };
        self.log(LogLevel::Warning, "pbx.c", || {
            if !has_ctx {
                format!("Cannot find extension context '{ctx}'")
            } else if !has_exten {
                format!("Cannot find extension '{exten}' in context '{ctx}'")
            } else {
                format!("No such priority {prio} in extension '{exten}' in context '{ctx}'")
            }
        });
    }

    /// `Spawn extension (…) exited non-zero on '…'` at the channel's current location.
    fn spawn_exited_line(&self, chan: ChannelId) {
        if let Some((name, ctx, exten, prio)) = self.with_chan(chan, |c| {
            (
                c.name.clone(),
                c.context.clone(),
                c.exten.clone(),
                c.priority,
            )
        }) {
            self.verbose(2, "app_stack.c", || {
                format!("Spawn extension ({ctx}, {exten}, {prio}) exited non-zero on '{name}'")
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::expand_sub_args;

    #[test]
    fn expands_omitted_parts() {
        let e = |a: &str| expand_sub_args(a, "cur", "100");
        assert_eq!(e("1"), ("cur,100,1".to_string(), false));
        assert_eq!(e("s,1"), ("cur,s,1".to_string(), false));
        assert_eq!(e("hdlr,s,1"), ("hdlr,s,1".to_string(), false));
        assert_eq!(e("hdlr,s,1(a,b)"), ("hdlr,s,1(a,b)".to_string(), false));
        assert_eq!(e(",s,1"), ("cur,s,1".to_string(), false));
        assert_eq!(e("hdlr,s,1()"), ("hdlr,s,1".to_string(), false));
        assert_eq!(e("s,1(x"), ("cur,s,1(x)".to_string(), true));
        assert_eq!(e("a,b,c,d"), ("a,b,c,d".to_string(), false));
        assert_eq!(
            e("lbl(\"q,r\")"),
            ("cur,100,lbl(\"q,r\")".to_string(), false)
        );
    }
}
