//! The parked users of every lot, by channel: a slab of records with a small hashed index.
//!
//! A parked user is looked up by channel only (never listed). The records live in a slab whose free slots
//! are reused last-freed first, so a park writes its record where the last departed call's record was —
//! memory that was just read and is still in the cache — and the index maps a channel to its slot in 8
//! bytes. A hashed map holding the ~180-byte records themselves wrote each park into a bucket last touched
//! long ago, and rehashing its tombstones away every few thousand parks moved megabytes of cold records
//! once thousands of calls were parked (docs/performance.md, issue 4).

use super::lot::ParkedUser;
use dialplan::engine::ChannelId;
use dialplan::hash::Fx;
use std::collections::HashMap;

/// Every parked user still attached to its channel, by channel.
#[derive(Default)]
pub struct Users {
    /// Channel → its record's slot.
    index: HashMap<ChannelId, u32, Fx>,
    slots: Vec<Option<ParkedUser>>,
    /// Empty slots, the last freed at the end.
    free: Vec<u32>,
}

impl Users {
    /// The parked user of `chan`.
    pub fn get(&self, chan: &ChannelId) -> Option<&ParkedUser> {
        let slot = *self.index.get(chan)?;
        self.slots.get(slot as usize)?.as_ref()
    }

    /// The parked user of `chan`, to change.
    pub fn get_mut(&mut self, chan: &ChannelId) -> Option<&mut ParkedUser> {
        let slot = *self.index.get(chan)?;
        self.slots.get_mut(slot as usize)?.as_mut()
    }

    /// Records `user` as `chan`'s parked user (replacing any).
    pub fn insert(&mut self, chan: ChannelId, user: ParkedUser) {
        if let Some(old) = self.get_mut(&chan) {
            *old = user;
            return;
        }
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(user);
                slot
            }
            None => {
                self.slots.push(Some(user));
                // Slots never outnumber the channels of one engine, whose ids are `u32`.
                u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
            }
        };
        self.index.insert(chan, slot);
    }

    /// Takes `chan`'s parked user out.
    pub fn remove(&mut self, chan: &ChannelId) -> Option<ParkedUser> {
        let slot = self.index.remove(chan)?;
        let user = self.slots.get_mut(slot as usize)?.take();
        self.free.push(slot);
        user
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::lot::{Idle, Resolution};
    use std::time::Duration;

    fn user(chan: u32, space: u32) -> ParkedUser {
        ParkedUser {
            chan: ChannelId(chan),
            lot: 0,
            space,
            parker_dial_string: "PJSIP/a".into(),
            start: Duration::ZERO,
            time_limit: 45,
            resolution: Resolution::Unset,
            comeback: None,
            retriever: None,
            timeout_key: None,
            idle: Idle::Ringing,
            idle_at_once: true,
            moh_playing: None,
            moh_stop_published: false,
        }
    }

    #[test]
    fn insert_get_remove_and_reuse() {
        let mut users = Users::default();
        users.insert(ChannelId(1), user(1, 701));
        users.insert(ChannelId(2), user(2, 702));
        assert_eq!(users.get(&ChannelId(2)).map(|u| u.space), Some(702));
        if let Some(u) = users.get_mut(&ChannelId(1)) {
            u.space = 703;
        }
        assert_eq!(users.remove(&ChannelId(1)).map(|u| u.space), Some(703));
        assert!(users.get(&ChannelId(1)).is_none());
        assert!(users.remove(&ChannelId(1)).is_none());
        // The freed slot is the next one used.
        users.insert(ChannelId(3), user(3, 704));
        assert_eq!(users.slots.len(), 2);
        assert_eq!(users.get(&ChannelId(3)).map(|u| u.space), Some(704));
        // Inserting again replaces.
        users.insert(ChannelId(3), user(3, 705));
        assert_eq!(users.get(&ChannelId(3)).map(|u| u.space), Some(705));
        assert_eq!(users.get(&ChannelId(2)).map(|u| u.space), Some(702));
    }
}
