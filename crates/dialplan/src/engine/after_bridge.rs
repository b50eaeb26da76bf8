//! The after-bridge goto (main/bridge_after.c): where a channel without a PBX goes when it leaves its
//! bridge still up — Dial's `F` (the caller's next priority) and `F(context^exten^priority)`. Without
//! one, such a channel is hung up.

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

impl Engine {
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
