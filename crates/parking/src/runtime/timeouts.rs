//! A lot's timeouts: every parked call's deadline with its space, ordered by (deadline, parking order),
//! the earliest served first by the lot's timer ([`super::timeout`]).
//!
//! **Why two parts.** In a lot with one `parkingtime`, deadlines arrive in order, so a sorted ring is
//! enough: a park appends at the back and a timeout takes the front, touching nothing else (an ordered
//! tree spread the entries over nodes allocated apart, and taking its first entry shifted and merged nodes
//! last touched a parking time earlier: cache misses per timeout once thousands of calls are parked). But a
//! lot also takes calls with their own limits (Park's `t(…)`, the AMI `Park` action's `Timeout`, a
//! transfer's parker), and a deadline earlier than the ring's last would have to be inserted into its
//! middle, shifting every later entry: a lot holding calls parked for an hour made each call parked for a
//! minute cost in proportion to them (docs/performance.md, issue 4). Such a deadline goes into an ordered
//! tree instead, and the earliest entry is the earlier of the two fronts.
//!
//! **Removal** (a call retrieved or hung up before its time) takes the ring's front or a tree entry
//! directly; an entry in the middle of the ring is blanked, not removed, and blanks are dropped when they
//! reach the front. Every operation is O(log n) or better, whatever the order of the deadlines.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

/// A timeout's key: the deadline, then the order of parking (unique per lot).
pub type Key = (Duration, u64);

/// A lot's timeouts (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct Timeouts {
    /// Keys that arrived after every earlier one, ascending; `None` marks an entry removed from the middle.
    /// The front is never blank.
    ring: VecDeque<(Key, Option<u32>)>,
    /// Keys that arrived before the ring's last.
    tree: BTreeMap<Key, u32>,
    /// Entries in both, blanks not counted.
    len: usize,
}

impl Timeouts {
    /// Adds the entry of `key` with its space. Keys are unique (each park takes the next parking order), so
    /// an earlier key goes to the tree without looking through the ring.
    pub fn insert(&mut self, key: Key, space: u32) {
        if self.ring.back().is_none_or(|(k, _)| *k < key) {
            self.ring.push_back((key, Some(space)));
            self.len += 1;
        } else if self.tree.insert(key, space).is_none() {
            self.len += 1;
        }
    }

    /// Removes the entry of `key`; its space, if it was there.
    pub fn remove(&mut self, key: &Key) -> Option<u32> {
        let space = self.take(key);
        if space.is_some() {
            self.len -= 1;
        }
        space
    }

    /// The earliest entry.
    pub fn first(&self) -> Option<(Key, u32)> {
        let ring = self
            .ring
            .front()
            .and_then(|&(k, s)| s.map(|space| (k, space)));
        let tree = self.tree.first_key_value().map(|(&k, &s)| (k, s));
        match (ring, tree) {
            (Some(r), Some(t)) => Some(if t.0 < r.0 { t } else { r }),
            (r, t) => r.or(t),
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn take(&mut self, key: &Key) -> Option<u32> {
        if self.ring.front().is_some_and(|(k, _)| k == key) {
            let space = self.ring.pop_front().and_then(|(_, s)| s);
            self.drop_blanks();
            return space;
        }
        if let Some(space) = self.tree.remove(key) {
            return Some(space);
        }
        let i = self.ring.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        self.ring.get_mut(i).and_then(|(_, s)| s.take())
    }

    fn drop_blanks(&mut self) {
        while self.ring.front().is_some_and(|(_, s)| s.is_none()) {
            self.ring.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(ms: u64, seq: u64) -> Key {
        (Duration::from_millis(ms), seq)
    }

    #[test]
    fn in_order_deadlines_come_out_in_order() {
        let mut t = Timeouts::default();
        t.insert(key(10, 1), 701);
        t.insert(key(20, 2), 702);
        assert_eq!(t.first(), Some((key(10, 1), 701)));
        assert_eq!(t.remove(&key(10, 1)), Some(701));
        assert_eq!(t.first(), Some((key(20, 2), 702)));
    }

    #[test]
    fn an_earlier_deadline_after_a_later_one_comes_first() {
        let mut t = Timeouts::default();
        t.insert(key(3_600_000, 1), 701);
        t.insert(key(60_000, 2), 702);
        t.insert(key(61_000, 3), 703);
        assert_eq!(t.first(), Some((key(60_000, 2), 702)));
        assert_eq!(t.remove(&key(60_000, 2)), Some(702));
        assert_eq!(t.first(), Some((key(61_000, 3), 703)));
        assert_eq!(t.remove(&key(61_000, 3)), Some(703));
        assert_eq!(t.first(), Some((key(3_600_000, 1), 701)));
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn a_removed_middle_entry_is_skipped() {
        let mut t = Timeouts::default();
        for (i, space) in [701, 702, 703].into_iter().enumerate() {
            t.insert(key(i as u64, i as u64), space);
        }
        assert_eq!(t.remove(&key(1, 1)), Some(702));
        assert_eq!(t.remove(&key(1, 1)), None);
        assert_eq!(t.remove(&key(0, 0)), Some(701));
        assert_eq!(t.first(), Some((key(2, 2), 703)));
        assert_eq!(t.len(), 1);
    }

    #[derive(Clone, Debug)]
    enum Op {
        Insert(u64, u32),
        Remove(usize),
        TakeFirst,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0u64..50, 701u32..800).prop_map(|(ms, s)| Op::Insert(ms, s)),
            1 => (0usize..64).prop_map(Op::Remove),
            2 => Just(Op::TakeFirst),
        ]
    }

    proptest! {
        /// Whatever the order of deadlines and removals, the list behaves as one ordered map.
        #[test]
        fn behaves_as_an_ordered_map(ops in proptest::collection::vec(op(), 0..200)) {
            let mut t = Timeouts::default();
            let mut model: BTreeMap<Key, u32> = BTreeMap::new();
            let mut seq = 0u64;
            let mut keys: Vec<Key> = Vec::new();
            for op in ops {
                match op {
                    Op::Insert(ms, space) => {
                        seq += 1;
                        let k = key(ms, seq);
                        keys.push(k);
                        t.insert(k, space);
                        model.insert(k, space);
                    }
                    Op::Remove(i) => {
                        if let Some(k) = keys.get(i % keys.len().max(1)).copied() {
                            prop_assert_eq!(t.remove(&k), model.remove(&k));
                        }
                    }
                    Op::TakeFirst => {
                        let first = t.first();
                        prop_assert_eq!(first, model.first_key_value().map(|(&k, &s)| (k, s)));
                        if let Some((k, _)) = first {
                            prop_assert_eq!(t.remove(&k), model.remove(&k));
                        }
                    }
                }
                prop_assert_eq!(t.len(), model.len());
                prop_assert_eq!(t.is_empty(), model.is_empty());
                prop_assert_eq!(t.first(), model.first_key_value().map(|(&k, &s)| (k, s)));
            }
        }
    }
}
