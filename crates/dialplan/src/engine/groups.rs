//! Channel groups (`GROUP()`, main/app.c ast_app_group_*): one list for the whole PBX of (channel,
//! group, category) entries in the order they were set. A channel has at most one entry per category
//! (categories compare case-insensitively, "none" being one category); setting an empty group removes
//! it. A destroyed channel's entries go (main/channel.c ast_channel_destructor, ast_app_group_discard);
//! a masquerade moves the clone's entries to the original (channel_do_masquerade, ast_app_group_update).

use super::{ChannelId, Engine};

/// One `group@category` of a channel (the category may be empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupEntry {
    pub chan: ChannelId,
    pub group: String,
    pub category: String,
}

impl Engine {
    /// `ast_app_group_set_channel` with the group and category already split: replaces the channel's
    /// entry of that category; an empty group only removes it.
    pub fn group_set(&self, chan: ChannelId, group: &str, category: &str) {
        let mut groups = self.inner.groups.borrow_mut();
        let same = |g: &GroupEntry| {
            g.chan == chan
                && ((category.is_empty() && g.category.is_empty())
                    || (!g.category.is_empty() && g.category.eq_ignore_ascii_case(category)))
        };
        if let Some(i) = groups.iter().position(same) {
            groups.remove(i);
        }
        if !group.is_empty() {
            groups.push(GroupEntry {
                chan,
                group: group.to_string(),
                category: category.to_string(),
            });
        }
    }

    /// Every group entry, in the order they were set.
    pub fn groups(&self) -> Vec<GroupEntry> {
        self.inner.groups.borrow().clone()
    }

    /// `ast_app_group_discard`: the channel's entries go.
    pub(crate) fn group_discard(&self, chan: ChannelId) {
        self.inner.groups.borrow_mut().retain(|g| g.chan != chan);
    }

    /// `ast_app_group_update(old, new)`: `old`'s entries become `new`'s; `new`'s own go.
    pub(crate) fn group_update(&self, old: ChannelId, new: ChannelId) {
        let mut groups = self.inner.groups.borrow_mut();
        groups.retain(|g| g.chan != new);
        for g in groups.iter_mut().filter(|g| g.chan == old) {
            g.chan = new;
        }
    }
}
