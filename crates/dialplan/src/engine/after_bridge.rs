//! The after-bridge goto (main/bridge_after.c): where a channel without a PBX goes when it leaves its
//! bridge still up — Dial's `F` (the caller's next priority) and `F(context^exten^priority)` — or the `h`
//! extension it runs on leaving (Dial's `e`). Without one, such a channel is hung up.

use super::channel::ChannelId;
use super::Engine;

const AFTER_GOTO: &str = "after_bridge_goto";

/// What `ast_bridge_set_after_go_on` stores: the caller's location, and `F`'s argument if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AfterGoOn {
    pub context: String,
    pub exten: String,
    pub priority: i32,
    /// `F(x)`'s location with `^` as written; `None` for plain `F`.
    pub parseable: Option<String>,
}

/// What `ast_bridge_set_after_h` stores: the context whose `h` extension the channel runs on leaving.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AfterH {
    context: String,
}

impl Engine {
    /// Stores an after-bridge `h` run on `chan` (replacing any earlier goto, as the one datastore does).
    pub fn set_after_h(&self, chan: ChannelId, context: String) {
        self.with_chan_mut(chan, |c| {
            c.datastores
                .insert(AFTER_GOTO, Box::new(AfterH { context }));
        });
    }

    /// `ast_bridge_setup_after_goto`'s `run_h_exten` case: removes a stored after-bridge `h` run and gives
    /// its context when that context has `h`,1 (the channel then runs it, hung up or not, and is hung up).
    /// Anything else stored stays for [`Engine::setup_after_goto`].
    pub fn take_after_h(&self, chan: ChannelId) -> Option<String> {
        let stored = self.with_chan_mut(chan, |c| {
            let is_h = c
                .datastores
                .get(AFTER_GOTO)
                .is_some_and(|b| b.downcast_ref::<AfterH>().is_some());
            if is_h {
                c.datastores.remove(AFTER_GOTO)
            } else {
                None
            }
        });
        let h = stored.flatten()?.downcast::<AfterH>().ok()?;
        let cid = self.with_chan(chan, |c| c.caller.number.clone()).flatten();
        self.plan()
            .exists(&h.context, "h", 1, cid.as_deref())
            .then_some(h.context)
    }

    /// Stores an after-bridge goto on `chan` (replacing any earlier one).
    pub fn set_after_go_on(&self, chan: ChannelId, go_on: AfterGoOn) {
        self.with_chan_mut(chan, |c| {
            c.datastores.insert(AFTER_GOTO, Box::new(go_on));
        });
    }

    /// `ast_bridge_setup_after_goto` for a stored go-on: sets the channel's location and answers whether
    /// it has one to run (`false`: no goto stored, the channel is hung up, or the target does not exist).
    pub fn setup_after_goto(&self, chan: ChannelId) -> bool {
        let go = self
            .with_chan_mut(chan, |c| c.datastores.remove(AFTER_GOTO))
            .flatten()
            .and_then(|b| b.downcast::<AfterGoOn>().ok());
        let Some(go) = go else {
            return false;
        };
        if self.interrupt(chan) == Some(super::channel::Interrupt::Hangup) {
            return false;
        }
        match &go.parseable {
            Some(p) => {
                let saved =
                    self.with_chan(chan, |c| (c.context.clone(), c.exten.clone(), c.priority));
                self.set_location(chan, &go.context, &go.exten, go.priority);
                let target = p.replace('^', ",");
                match crate::apps::goto::parseable(self, chan, &target) {
                    // Outside the PBX loop nothing adds one to the stored priority.
                    Ok(stored) => {
                        self.with_chan_mut(chan, |c| c.priority = stored + 1);
                        true
                    }
                    Err(_) => {
                        if let Some((ctx, exten, prio)) = saved {
                            self.set_location(chan, &ctx, &exten, prio);
                        }
                        false
                    }
                }
            }
            None => {
                let cid = self.with_chan(chan, |c| c.caller.number.clone()).flatten();
                let next = go.priority + 1;
                if self
                    .plan()
                    .exists(&go.context, &go.exten, next, cid.as_deref())
                {
                    self.set_location(chan, &go.context, &go.exten, next);
                    true
                } else {
                    false
                }
            }
        }
    }
}
