//! Local channel pairs (`main/core_local.c`, `main/core_unreal.c`).
//!
//! `Local/exten@context[/options]` gives a pair `Local/exten@context-NNNNNNNN;1` (state Down, returned to
//! the requester) and `;2` (state Ring), numbered by one counter shared by every pair. Calling `;1` copies
//! its caller id (crossed over), language, music class and **all** variables to `;2`, publishes
//! `LocalBridge`, and starts a PBX on `;2` at `exten@context`. Frames written to one half are received by
//! the other (answer, ringing, DTMF, audio); hanging up one half hangs up the other with the same cause, and
//! `;2`'s `DIALSTATUS` becomes `;1`'s `CHANLOCALSTATUS` (see [`Engine::hangup`]).
//!
//! **Divergence:** Asterisk optimizes a pair without `/n` away once both halves sit in bridges. dialsim never
//! does: every pair behaves as if `/n` had been given (the `LocalBridge` event still reports
//! `LocalOptimization: Yes` for such a pair, as Asterisk would announce it).

use super::ami::{push_channel, Prefix};
use super::channel::{ChannelId, ChannelState, FarEnd, LocalHalf, Party};
use super::ops::NewChannel;
use super::Engine;
use crate::diag::LogLevel;
use std::rc::Rc;

/// A parsed Local destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalDest {
    pub exten: String,
    pub context: String,
    /// `/n`: no optimization.
    pub no_optimize: bool,
}

impl LocalDest {
    /// Parses `exten[@context][/options]` (options after the **last** `/`; no context ⇒ `default`).
    pub fn parse(resource: &str) -> LocalDest {
        let (base, opts) = match resource.rfind('/') {
            Some(i) => (&resource[..i], &resource[i + 1..]),
            None => (resource, ""),
        };
        let (exten, context) = match base.find('@') {
            Some(i) => (&base[..i], &base[i + 1..]),
            None => (base, ""),
        };
        LocalDest {
            exten: exten.to_string(),
            context: if context.is_empty() {
                "default".to_string()
            } else {
                context.to_string()
            },
            no_optimize: opts.contains('n'),
        }
    }

    /// `exten@context`, the name part.
    pub fn name(&self) -> String {
        let mut s = String::with_capacity(self.exten.len() + 1 + self.context.len());
        s.push_str(&self.exten);
        s.push('@');
        s.push_str(&self.context);
        s
    }
}

/// Why calling a Local `;1` failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocalCallError {
    /// The channel is not the `;1` of a Local pair (or is gone).
    NotLocal,
    /// `exten@context` does not exist (Asterisk's NOTICE was logged).
    NoSuchExtension { exten: String, context: String },
}

impl Engine {
    /// Requests a Local pair; returns (`;1`, `;2`). Publishes `Newchannel` for both.
    pub fn request_local(
        &self,
        resource: &str,
        linkedid: Option<Rc<str>>,
    ) -> (ChannelId, ChannelId) {
        let dest = LocalDest::parse(resource);
        let n = self.next_local_number();
        let mut base = String::from("Local/");
        base.push_str(&dest.name());
        base.push('-');
        super::numtext::push_hex(&mut base, u64::from(n), 8);
        let mk = |suffix: &str, state: ChannelState| {
            let mut name = String::with_capacity(base.len() + 2);
            name.push_str(&base);
            name.push(';');
            name.push_str(suffix);
            let mut nc = NewChannel::new(name, "Local", state);
            nc.context = dest.context.clone();
            nc.exten = dest.exten.clone();
            nc.linkedid = linkedid.clone();
            nc
        };
        let one = self.create_channel(mk("1", ChannelState::Down));
        let two = self.create_channel(mk("2", ChannelState::Ring));
        self.with_chan_mut(one, |c| {
            c.far = FarEnd::Local {
                peer: two,
                half: LocalHalf::One,
                no_optimize: dest.no_optimize,
            }
        });
        self.with_chan_mut(two, |c| {
            c.far = FarEnd::Local {
                peer: one,
                half: LocalHalf::Two,
                no_optimize: dest.no_optimize,
            }
        });
        (one, two)
    }

    /// `ast_call`: places the call on a new outgoing channel through its technology: a Local pair sets up
    /// and starts `;2`, a device starts ringing. `false` when the call cannot be placed (the caller hangs the
    /// channel up, as Asterisk's callers of `ast_call` do).
    pub fn call(&self, chan: ChannelId) -> bool {
        match self.with_chan(chan, |c| c.far.clone()) {
            Some(FarEnd::Local { .. }) => self.call_local(chan).is_ok(),
            Some(FarEnd::Device(link)) => {
                link.called(self, chan);
                true
            }
            _ => false,
        }
    }

    /// `local_call`: sets `;2` up from `;1` and starts its PBX. `Err` (with Asterisk's NOTICE) when
    /// `exten@context` does not exist.
    pub fn call_local(&self, one: ChannelId) -> Result<(), LocalCallError> {
        let Some((two, no_opt)) = self
            .with_chan(one, |c| match c.far {
                FarEnd::Local {
                    peer, no_optimize, ..
                } => Some((peer, no_optimize)),
                _ => None,
            })
            .flatten()
        else {
            return Err(LocalCallError::NotLocal);
        };
        self.unreal_call_setup(one, two);
        let (context, exten, cid) = self
            .with_chan(two, |c| {
                (c.context.clone(), c.exten.clone(), c.caller.number.clone())
            })
            .ok_or(LocalCallError::NotLocal)?;
        if !self.plan().exists(&context, &exten, 1, cid.as_deref()) {
            self.log(LogLevel::Notice, "core_local.c", || {
                format!("No such extension/context {exten}@{context} while calling Local channel")
            });
            return Err(LocalCallError::NoSuchExtension { exten, context });
        }
        if self.bus().wants_ami() {
            let chans = self.inner.chans.borrow();
            let c1 = chans.get(one.0 as usize).and_then(|c| c.as_deref());
            let c2 = chans.get(two.0 as usize).and_then(|c| c.as_deref());
            if let (Some(c1), Some(c2)) = (c1, c2) {
                self.ami("LocalBridge", "call", |f| {
                    push_channel(f, Prefix::LOCAL_ONE, c1);
                    push_channel(f, Prefix::LOCAL_TWO, c2);
                    f.push("Context", context.clone());
                    f.push("Exten", exten.clone());
                    f.push("LocalOptimization", if no_opt { "No" } else { "Yes" });
                });
            }
        }
        self.spawn_pbx(two);
        Ok(())
    }

    /// The Local channel optimization's move-swap (`try_swap_optimize_out`), for a pair whose half `dest`
    /// sits in a bridge that others may be swapped into while its peer half shares a two-party bridge with
    /// `other`: `Move-swap optimizing <dest> <-- <other>.` (verbose 4) and `LocalOptimizationBegin`,
    /// `other` takes `dest`'s place ([`Engine::bridge_move_swap`]), the peer half is made to leave its
    /// bridge (cause 16), then `LocalOptimizationEnd`. Its `Success` is Asterisk's `res == 1`, that is
    /// `No` when the move worked [main/bridge.c · try_swap_optimize_out; main/core_local.c ·
    /// local_optimization_started_cb, local_optimization_finished_cb, local_message_to_ami]. `false` when
    /// `dest` is no Local half in a bridge or the move was refused.
    pub fn local_optimize_swap(&self, dest: ChannelId, other: ChannelId) -> bool {
        let Some((peer, half)) = self
            .with_chan(dest, |c| match c.far {
                FarEnd::Local { peer, half, .. } => Some((peer, half)),
                _ => None,
            })
            .flatten()
        else {
            return false;
        };
        let Some(to) = self.bridge_of(dest) else {
            return false;
        };
        let (one, two) = match half {
            LocalHalf::One => (dest, peer),
            LocalHalf::Two => (peer, dest),
        };
        let id = {
            let mut counters = self.inner.counters.borrow_mut();
            let id = counters.optimization;
            counters.optimization = id.wrapping_add(1);
            id
        };
        let dest_name = self.chan_name(dest).unwrap_or_else(|| Rc::from(""));
        let other_name = self.chan_name(other).unwrap_or_else(|| Rc::from(""));
        self.verbose(4, "bridge.c", || {
            format!("Move-swap optimizing {dest_name} <-- {other_name}.")
        });
        let dest_uid = self
            .with_chan(dest, |c| c.uniqueid.to_string())
            .unwrap_or_default();
        self.ami("LocalOptimizationBegin", "call", |f| {
            self.push_snapshot(f, Prefix::LOCAL_ONE, one);
            self.push_snapshot(f, Prefix::LOCAL_TWO, two);
            self.push_snapshot(f, Prefix("Source"), other);
            f.push("DestUniqueId", dest_uid);
            f.push("Id", id.to_string());
        });
        let moved = self.bridge_move_swap(other, to, dest);
        if moved {
            self.set_hangupcause(peer, super::channel::cause::NORMAL_CLEARING);
            self.bridge_kick(peer);
        }
        self.ami("LocalOptimizationEnd", "call", |f| {
            self.push_snapshot(f, Prefix::LOCAL_ONE, one);
            self.push_snapshot(f, Prefix::LOCAL_TWO, two);
            f.push("Success", if moved { "No" } else { "Yes" });
            f.push("Id", id.to_string());
        });
        moved
    }

    /// `ast_unreal_call_setup`: caller id and connected line cross over, language, music class and
    /// account code follow, every variable is copied (with `VarSet`), then one snapshot update.
    fn unreal_call_setup(&self, one: ChannelId, two: ChannelId) {
        let Some((caller, connected, lang, moh, acct, vars)) = self.with_chan(one, |c| {
            (
                c.caller.clone(),
                c.connected.clone(),
                c.language.clone(),
                c.musicclass().to_string(),
                c.accountcode().to_string(),
                c.vars.iter().cloned().collect::<Vec<_>>(),
            )
        }) else {
            return;
        };
        self.with_chan_mut(two, |c| {
            c.caller = Party {
                number: connected.number.clone(),
                name: connected.name.clone(),
            };
            c.connected = caller.clone();
            c.language = lang;
            c.set_musicclass(moh);
            c.set_accountcode(acct);
        });
        // `iter` lists newest first; Asterisk appends in that order, so the copy keeps the order.
        for v in vars {
            // Copied for the event only when someone listens.
            let shown = self
                .inner
                .bus
                .wants_ami()
                .then(|| (v.full_name().to_string(), v.value().to_string()));
            self.with_chan_mut(two, |c| c.vars.push_inherited(v));
            self.chan_event("VarSet", "dialplan", two, |f| {
                if let Some((name, value)) = shown {
                    f.push("Variable", name);
                    f.push("Value", value);
                }
            });
        }
        let (cid_changed, conn_changed) = (
            caller != Party::default() || connected != Party::default(),
            caller != Party::default(),
        );
        if cid_changed {
            self.chan_event("NewCallerid", "call", two, |f| {
                f.push("CID-CallingPres", "0 (Presentation Allowed, Not Screened)");
            });
        }
        if conn_changed || cid_changed {
            self.chan_event("NewConnectedLine", "call", two, |_| {});
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_destinations() {
        let d = LocalDest::parse("alice@parking-example/n");
        assert_eq!(d.exten, "alice");
        assert_eq!(d.context, "parking-example");
        assert!(d.no_optimize);
        assert_eq!(d.name(), "alice@parking-example");
        let d = LocalDest::parse("100");
        assert_eq!(d.context, "default");
        assert!(!d.no_optimize);
    }
}
