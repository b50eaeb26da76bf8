//! A lot's occupied spaces kept as maximal runs of consecutive spaces, so the slot search finds the first free
//! space at or above any space in O(log n) however many calls are parked (res_parking walks its sorted
//! container; the answer is the same, only the cost differs).

use std::collections::BTreeMap;

/// What the slot search asks of a lot's occupied spaces.
pub trait OccupiedSpaces {
    /// The lowest space at or above `from` that is not occupied (may lie above the range: the caller checks).
    fn first_free_from(&self, from: i64) -> i64;
}

/// Occupied spaces in ascending order, without repeats: the search walks them.
impl OccupiedSpaces for [u32] {
    fn first_free_from(&self, from: i64) -> i64 {
        let mut target = from;
        for &space in self {
            let space = i64::from(space);
            if space < target {
                continue;
            }
            if space > target {
                break;
            }
            target += 1;
        }
        target
    }
}

/// The occupied spaces as runs `first → last` of consecutive spaces; two runs never touch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Occupancy {
    runs: BTreeMap<u32, u32>,
}

impl Occupancy {
    /// An empty lot.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `space` is occupied.
    pub fn contains(&self, space: u32) -> bool {
        self.run_holding(space).is_some()
    }

    /// Marks `space` occupied (nothing changes if it already is).
    pub fn insert(&mut self, space: u32) {
        if self.contains(space) {
            return;
        }
        let mut first = space;
        let mut last = space;
        if let Some(before) = space.checked_sub(1) {
            if let Some((&s, &e)) = self.runs.range(..space).next_back() {
                if e == before {
                    first = s;
                }
            }
        }
        if let Some(after) = space.checked_add(1) {
            if let Some(e) = self.runs.remove(&after) {
                last = e;
            }
        }
        self.runs.insert(first, last);
    }

    /// Marks `space` free (nothing changes if it already is).
    pub fn remove(&mut self, space: u32) {
        let Some((first, last)) = self.run_holding(space) else {
            return;
        };
        self.runs.remove(&first);
        if first < space {
            self.runs.insert(first, space - 1);
        }
        if space < last {
            self.runs.insert(space + 1, last);
        }
    }

    /// The run holding `space`, if it is occupied.
    fn run_holding(&self, space: u32) -> Option<(u32, u32)> {
        match self.runs.range(..=space).next_back() {
            Some((&first, &last)) if last >= space => Some((first, last)),
            _ => None,
        }
    }
}

impl OccupiedSpaces for Occupancy {
    fn first_free_from(&self, from: i64) -> i64 {
        let Ok(space) = u32::try_from(from) else {
            return from;
        };
        match self.run_holding(space) {
            Some((_, last)) => i64::from(last) + 1,
            None => from,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    #[test]
    fn runs_merge_and_split() {
        let mut o = Occupancy::new();
        for s in [3, 1, 2, 5] {
            o.insert(s);
        }
        assert_eq!(o.first_free_from(1), 4);
        assert_eq!(o.first_free_from(4), 4);
        assert_eq!(o.first_free_from(5), 6);
        o.remove(2);
        assert_eq!(o.first_free_from(1), 2);
        assert_eq!(o.first_free_from(3), 4);
        o.insert(u32::MAX);
        assert_eq!(
            o.first_free_from(i64::from(u32::MAX)),
            i64::from(u32::MAX) + 1
        );
        o.insert(0);
        assert_eq!(o.first_free_from(0), 2);
    }

    proptest! {
        #[test]
        fn agrees_with_the_sorted_walk(
            ops in proptest::collection::vec((any::<bool>(), 0u32..40), 0..200),
            from in 0i64..45,
        ) {
            let mut o = Occupancy::new();
            let mut set = BTreeSet::new();
            for (park, space) in ops {
                if park {
                    o.insert(space);
                    set.insert(space);
                } else {
                    o.remove(space);
                    set.remove(&space);
                }
            }
            let sorted: Vec<u32> = set.iter().copied().collect();
            prop_assert_eq!(o.first_free_from(from), sorted.first_free_from(from));
            for s in 0u32..40 {
                prop_assert_eq!(o.contains(s), set.contains(&s));
            }
        }
    }
}
