//! A bridge's members in the order they joined.
//!
//! **Why not a plain list.** A parking lot's holding bridge holds every call parked in the lot, and taking
//! one out of a list moved every member that joined after it: with a few hundred calls parked for an
//! hour in a lot, each call parked for a minute paid for all of them when it left (docs/performance.md,
//! issue 4). Here each member gets a *place* when it joins (ascending, kept by the member itself in
//! [`super::bridge::Member`]), found again by binary search when it leaves; its entry is blanked, and the
//! blanks are swept out once they outnumber the members, so leaving costs O(log n) amortised.

use super::ChannelId;

/// A member's place: the order in which it joined its bridge.
pub type Place = u32;

/// The place given when a bridge has seen `u32::MAX` joins: such a member is found by a linear search.
pub const NO_PLACE: Place = Place::MAX;

/// A bridge's members, in join order (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct Members {
    /// (place, member), places ascending; `None`: a member that left.
    list: Vec<(Place, Option<ChannelId>)>,
    live: usize,
    next: Place,
}

impl Members {
    /// Adds `chan` as the latest member; its place.
    pub fn push(&mut self, chan: ChannelId) -> Place {
        let place = self.next;
        self.next = self.next.saturating_add(1);
        self.list.push((place, Some(chan)));
        self.live += 1;
        place
    }

    /// Takes `chan` out; `place` is what [`Self::push`] gave it. Whether it was a member.
    pub fn remove(&mut self, chan: ChannelId, place: Place) -> bool {
        let found = match place {
            NO_PLACE => None,
            p => self.list.binary_search_by_key(&p, |&(q, _)| q).ok(),
        }
        .filter(|&i| self.list[i].1 == Some(chan))
        .or_else(|| self.list.iter().position(|&(_, m)| m == Some(chan)));
        let Some(i) = found else {
            return false;
        };
        self.list[i].1 = None;
        self.live -= 1;
        if self.list.len() > 2 * self.live + 8 {
            self.list.retain(|(_, m)| m.is_some());
        }
        true
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The members, first joined first.
    pub fn iter(&self) -> impl Iterator<Item = ChannelId> + '_ {
        self.list.iter().filter_map(|&(_, m)| m)
    }

    pub fn to_vec(&self) -> Vec<ChannelId> {
        let mut v = Vec::with_capacity(self.live);
        v.extend(self.iter());
        v
    }

    /// The two members of a two-member bridge.
    pub fn two(&self) -> Option<[ChannelId; 2]> {
        if self.live != 2 {
            return None;
        }
        let mut it = self.iter();
        Some([it.next()?, it.next()?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_join_order_through_departures() {
        let mut m = Members::default();
        let places: Vec<Place> = (0..5).map(|i| m.push(ChannelId(10 + i))).collect();
        assert!(m.remove(ChannelId(11), places[1]));
        assert!(!m.remove(ChannelId(11), places[1]));
        assert!(m.remove(ChannelId(10), NO_PLACE));
        assert_eq!(m.to_vec(), [ChannelId(12), ChannelId(13), ChannelId(14)]);
        assert_eq!(m.len(), 3);
        assert_eq!(m.two(), None);
        assert!(m.remove(ChannelId(13), places[3]));
        assert_eq!(m.two(), Some([ChannelId(12), ChannelId(14)]));
    }

    proptest! {
        /// Whatever joins and leaves, the members are those of a plain list kept in join order.
        #[test]
        fn behaves_as_a_list(ops in proptest::collection::vec((any::<bool>(), 0u32..40), 0..300)) {
            let mut m = Members::default();
            let mut model: Vec<ChannelId> = Vec::new();
            let mut places = std::collections::HashMap::new();
            for (join, n) in ops {
                let chan = ChannelId(n);
                if join && !model.contains(&chan) {
                    places.insert(chan, m.push(chan));
                    model.push(chan);
                } else if !join {
                    let place = places.get(&chan).copied().unwrap_or(NO_PLACE);
                    prop_assert_eq!(m.remove(chan, place), model.contains(&chan));
                    model.retain(|&c| c != chan);
                }
                prop_assert_eq!(m.to_vec(), model.clone());
                prop_assert_eq!(m.len(), model.len());
            }
        }
    }
}
