//! Taking a channel out of whatever it is doing (`ast_channel_yank`): a new channel object takes over the
//! call by a masquerade (`ast_channel_move`), and the old object, renamed `Surrogate/<name>`, is left to
//! its PBX, which sees a hangup and ends. [main/channel.c · ast_channel_yank, ast_channel_move,
//! channel_do_masquerade]
//!
//! Asterisk allocates the new channel as `Surrogate/<name>` (one `Newchannel`, state Down, no caller id,
//! the yankee's context, extension and account code, priority 1, the yankee's linked id) and then swaps the
//! two objects' identities without any rename event: the new object carries the original name, unique id,
//! technology (here: the phone or Local half at the far end), state and party ids from then on, and gets
//! the datastores (hangup handlers, Gosub stack, feature permissions …) and a copy of the variables; the
//! old object keeps its dialplan position and application and is marked dead for its PBX.
//!
//! Here the two objects are two [`ChannelId`]s and the masquerade swaps the fields of their [`Channel`]s,
//! so the task running the old PBX keeps its id and finds a hung-up `Surrogate/…` channel behind it.

use super::channel::{Channel, ChannelId, ChannelState, FarEnd, Party};
use super::ops::NewChannel;
use super::Engine;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The technology name Asterisk gives the channel a yank allocates.
pub const SURROGATE_TECH: &str = "Surrogate";

impl Engine {
    /// `ast_channel_yank`: a new channel object takes `chan`'s place (its name, unique id, far end, state,
    /// caller id, datastores and a copy of its variables) and is returned, in no bridge and without a PBX;
    /// `chan` becomes `Surrogate/<name>`, hung up for whatever runs on it. `None` when `chan` is already
    /// gone or hung up (Asterisk refuses to move a zombie).
    pub fn yank(&self, chan: ChannelId) -> Option<ChannelId> {
        let (name, context, exten, mut priority, accountcode, linkedid, in_pbx) = self
            .with_chan(chan, |c| {
                (!c.dead && !c.softhangup).then(|| {
                    (
                        c.name.clone(),
                        c.context.clone(),
                        c.exten.clone(),
                        c.priority,
                        c.accountcode().to_string(),
                        c.linkedid.clone(),
                        c.in_pbx,
                    )
                })
            })
            .flatten()?;
        // A channel running dialplan is at the priority it executes now; the copy is where it would go
        // next.
        if in_pbx {
            priority += 1;
        }
        let mut spec = NewChannel::new(
            format!("{SURROGATE_TECH}/{name}"),
            SURROGATE_TECH,
            ChannelState::Down,
        );
        spec.context = context;
        spec.exten = exten;
        spec.linkedid = Some(linkedid);
        spec.accountcode = accountcode;
        let new = self.create_channel(spec);
        self.with_chan_mut(new, |c| c.priority = priority);
        self.masquerade(new, chan);
        if !in_pbx {
            // Nothing runs on the old object to notice it is dead: it goes now.
            self.hangup(chan);
        }
        Some(new)
    }

    /// `channel_do_masquerade(original, clone)`: `original` takes over `clone`'s identity and far end;
    /// `clone` gets `original`'s and is marked hung up (no event: its PBX or owner notices). Neither name
    /// change publishes a rename.
    fn masquerade(&self, original: ChannelId, clone: ChannelId) {
        let Some(mut taken) = self.take_identity(clone) else {
            return;
        };
        let given = self.with_chan_mut(original, |o| {
            std::mem::swap(&mut o.name, &mut taken.name);
            std::mem::swap(&mut o.tech, &mut taken.tech);
            std::mem::swap(&mut o.uniqueid, &mut taken.uniqueid);
            std::mem::swap(&mut o.linkedid, &mut taken.linkedid);
            std::mem::swap(&mut o.state, &mut taken.state);
            std::mem::swap(&mut o.caller, &mut taken.caller);
            std::mem::swap(&mut o.connected, &mut taken.connected);
            std::mem::swap(&mut o.far, &mut taken.far);
            std::mem::swap(&mut o.answered_at, &mut taken.answered_at);
            std::mem::swap(&mut o.media_since, &mut taken.media_since);
            o.language = taken.language.clone();
            o.extras = taken.extras.clone();
            o.vars = taken.vars.clone();
            o.datastores = std::mem::take(&mut taken.datastores);
            o.stale_caller = None;
            o.far.clone()
        });
        let Some(far) = given else {
            return;
        };
        self.group_update(clone, original);
        self.with_chan_mut(clone, |c| {
            c.name = taken.name;
            c.tech = taken.tech;
            c.uniqueid = taken.uniqueid;
            c.linkedid = taken.linkedid;
            c.state = taken.state;
            c.caller = taken.caller;
            c.connected = taken.connected;
            c.far = taken.far;
            c.answered_at = taken.answered_at;
            c.media_since = taken.media_since;
            c.datastores = taken.datastores;
            c.stale_caller = None;
            c.softhangup = true;
            c.notify.notify_one();
        });
        // The technology's fixup: whoever drives the far end now talks to `original`.
        match far {
            FarEnd::Device(link) => link.fixup(original),
            FarEnd::Local { peer, .. } => {
                self.with_chan_mut(peer, |p| {
                    if let FarEnd::Local { peer: q, .. } = &mut p.far {
                        if *q == clone {
                            *q = original;
                        }
                    }
                });
            }
            FarEnd::None => {}
        }
    }

    /// What a masquerade moves out of `chan`, taken out of it (the fields are put back swapped).
    fn take_identity(&self, chan: ChannelId) -> Option<Identity> {
        self.with_chan_mut(chan, |c: &mut Channel| Identity {
            name: c.name.clone(),
            tech: c.tech.clone(),
            uniqueid: c.uniqueid.clone(),
            linkedid: c.linkedid.clone(),
            state: c.state,
            caller: std::mem::take(&mut c.caller),
            connected: std::mem::take(&mut c.connected),
            far: std::mem::replace(&mut c.far, FarEnd::None),
            answered_at: c.answered_at.take(),
            media_since: c.media_since.take(),
            language: c.language.clone(),
            extras: c.extras.clone(),
            vars: c.vars.clone(),
            datastores: std::mem::take(&mut c.datastores),
        })
    }
}

/// The part of a channel a masquerade exchanges or copies.
struct Identity {
    name: Rc<str>,
    tech: Rc<str>,
    uniqueid: Rc<str>,
    linkedid: Rc<str>,
    state: ChannelState,
    caller: Party,
    connected: Party,
    far: FarEnd,
    answered_at: Option<std::time::Duration>,
    media_since: Option<std::time::Duration>,
    language: std::borrow::Cow<'static, str>,
    extras: Option<Box<super::channel::Extras>>,
    vars: super::vars::Vars,
    datastores: BTreeMap<&'static str, Box<dyn std::any::Any>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::channel::LocalHalf;
    use crate::engine::{EngineConfig, TablePlan};

    fn engine() -> Engine {
        Engine::new(EngineConfig::default(), Box::new(TablePlan::default()))
    }

    #[test]
    fn the_new_object_takes_the_identity_and_the_old_one_is_a_hung_up_surrogate() {
        let e = engine();
        let mut spec = NewChannel::new("PJSIP/dave-00000000".into(), "PJSIP", ChannelState::Up);
        spec.context = "internal".into();
        spec.exten = "400".into();
        spec.caller = Party::parse("\"Dave\" <200>");
        spec.accountcode = "acct".into();
        let old = e.create_channel(spec);
        e.set_var(old, "COLOUR", Some("blue"));
        e.with_chan_mut(old, |c| {
            c.in_pbx = true;
            c.priority = 2;
        });
        let (uid, lid) = e
            .with_chan(old, |c| (c.uniqueid.clone(), c.linkedid.clone()))
            .unwrap();

        let new = e.yank(old).unwrap();
        assert_ne!(new, old);
        e.with_chan(new, |c| {
            assert_eq!(&*c.name, "PJSIP/dave-00000000");
            assert_eq!(&*c.tech, "PJSIP");
            assert_eq!(c.uniqueid, uid);
            assert_eq!(c.linkedid, lid);
            assert_eq!(c.state, ChannelState::Up);
            assert_eq!(c.caller.number.as_deref(), Some("200"));
            assert_eq!(
                (c.context.as_str(), c.exten.as_str(), c.priority),
                ("internal", "400", 3)
            );
            assert_eq!(c.accountcode(), "acct");
            assert!(!c.softhangup && !c.in_pbx && c.bridge.is_none());
        })
        .unwrap();
        assert_eq!(e.get_var(new, "COLOUR").as_deref(), Some("blue"));
        e.with_chan(old, |c| {
            assert_eq!(&*c.name, "Surrogate/PJSIP/dave-00000000");
            assert_eq!(&*c.tech, SURROGATE_TECH);
            assert_ne!(c.uniqueid, uid);
            assert_eq!(c.linkedid, lid);
            assert_eq!(c.state, ChannelState::Down);
            assert_eq!(c.caller.number, None);
            assert!(c.softhangup);
            assert_eq!(c.priority, 2);
        })
        .unwrap();
        // The old object's PBX still runs, so it is not hung up here; name look-ups find the new one.
        assert!(e.is_alive(old));
        assert_eq!(e.find_channel("PJSIP/dave-00000000"), Some(new));
        // A hung-up channel cannot be yanked again.
        assert_eq!(e.yank(old), None);
    }

    #[test]
    fn an_idle_channel_leaves_a_surrogate_that_hangs_up_at_once_and_a_local_peer_follows() {
        let e = engine();
        let one = e.create_channel(NewChannel::new(
            "Local/600@operator-00000000;1".into(),
            "Local",
            ChannelState::Up,
        ));
        let mut spec = NewChannel::new(
            "Local/600@operator-00000000;2".into(),
            "Local",
            ChannelState::Up,
        );
        spec.far = FarEnd::Local {
            peer: one,
            half: LocalHalf::Two,
            no_optimize: true,
        };
        let two = e.create_channel(spec);
        e.with_chan_mut(one, |c| {
            c.far = FarEnd::Local {
                peer: two,
                half: LocalHalf::One,
                no_optimize: true,
            }
        });
        let new = e.yank(two).unwrap();
        assert!(!e.is_alive(two));
        assert_eq!(
            e.with_chan(one, |c| c.local_peer()).flatten(),
            Some((new, LocalHalf::One))
        );
        assert_eq!(
            e.with_chan(new, |c| c.local_peer()).flatten(),
            Some((one, LocalHalf::Two))
        );
    }
}
