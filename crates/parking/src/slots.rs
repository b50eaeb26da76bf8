//! Choosing a parking space: res_parking's search over a lot's occupied spaces, the preferred space
//! (`PARKINGEXTEN` or Park's `R` option) and the `findslot=next` cursor.
//!
//! The search mirrors `parking_lot_get_space` step by step, including what happens when the occupied spaces
//! or the cursor lie outside the range after a reload changed `parkpos` (Asterisk then can hand out a space
//! outside the new range; so does dialsim). [res/parking/parking_controller.c · parking_lot_get_space;
//! res/parking/parking_bridge.c · generate_parked_user]

use crate::config::{FindSlot, SpaceRange};
use crate::occupancy::OccupiedSpaces;
use crate::options::scan_c_int;
use dialplan::diag::{LogLevel, LogLine};

/// A lot's state for the search: the range, the policy and where `findslot=next` continues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotPolicy {
    pub range: SpaceRange,
    pub findslot: FindSlot,
}

/// The `findslot=next` cursor of a lot. It lives on the lot, not its configuration: a reload keeps it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlotCursor {
    /// The space the next `findslot=next` search starts at; `None` before the first park.
    pub next_space: Option<u32>,
}

/// The result of a search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotOutcome {
    /// The space, or `None` when the lot is full.
    pub space: Option<u32>,
    /// What Asterisk logs on the way (out-of-bounds preferred space, lot full).
    pub log: Vec<LogLine>,
}

impl SlotCursor {
    /// Searches a space in lot `lot_name` and, when one is found, moves the cursor past it.
    /// `occupied` are the lot's parked spaces in ascending order; `preferred` comes from
    /// [`parse_parkingexten`] or [`random_preferred`].
    pub fn take(
        &mut self,
        lot_name: &str,
        policy: SlotPolicy,
        preferred: Option<u32>,
        occupied: &[u32],
    ) -> SlotOutcome {
        self.take_in(lot_name, policy, preferred, occupied)
    }

    /// [`Self::take`] over any view of the occupied spaces (a lot's [`crate::occupancy::Occupancy`]).
    pub fn take_in<O: OccupiedSpaces + ?Sized>(
        &mut self,
        lot_name: &str,
        policy: SlotPolicy,
        preferred: Option<u32>,
        occupied: &O,
    ) -> SlotOutcome {
        let outcome = find_space_in(lot_name, policy, *self, preferred, occupied);
        if let Some(space) = outcome.space {
            self.next_space = Some(next_space_after(policy.range, space));
        }
        outcome
    }
}

/// Searches a free space without changing any state.
pub fn find_space(
    lot_name: &str,
    policy: SlotPolicy,
    cursor: SlotCursor,
    preferred: Option<u32>,
    occupied: &[u32],
) -> SlotOutcome {
    find_space_in(lot_name, policy, cursor, preferred, occupied)
}

/// [`find_space`] over any view of the occupied spaces.
pub fn find_space_in<O: OccupiedSpaces + ?Sized>(
    lot_name: &str,
    policy: SlotPolicy,
    cursor: SlotCursor,
    preferred: Option<u32>,
    occupied: &O,
) -> SlotOutcome {
    let start = i64::from(policy.range.start);
    let stop = i64::from(policy.range.stop);
    let mut log = Vec::new();

    let mut target = match (policy.findslot, cursor.next_space) {
        (FindSlot::Next, Some(next)) if next != 0 => i64::from(next),
        _ => start,
    };
    if let Some(p) = preferred.map(i64::from) {
        if (start..=stop).contains(&p) {
            target = p;
        } else {
            log.push(LogLine::new(
                LogLevel::Warning,
                "parking_controller.c",
                format!("Preferred parking spot {p} is out of bounds ({start}-{stop})"),
            ));
        }
    }

    // res_parking walks its sorted spaces once: it bumps the target past every occupied space equal to it and
    // meanwhile finds the lowest free space from the start, used when the target ran past the end (wrapping).
    // Both are "the first free space at or above": asked of the lot directly, each costs O(log n).
    let target = occupied.first_free_from(target);
    let wrap = occupied.first_free_from(start);

    let space = if target <= stop {
        Some(target)
    } else if wrap <= stop {
        Some(wrap)
    } else {
        None
    };
    let space = space.and_then(|s| u32::try_from(s).ok());
    if space.is_none() {
        log.push(LogLine::new(
            LogLevel::Notice,
            "parking_bridge.c",
            format!("Failed to get parking space in lot '{lot_name}'. All full."),
        ));
    }
    SlotOutcome { space, log }
}

/// Where `findslot=next` continues after `space` was handed out: the following space, wrapping to the start
/// after the last one (computed with C's truncating remainder, as Asterisk does, for spaces outside the range).
pub fn next_space_after(range: SpaceRange, space: u32) -> u32 {
    let start = i64::from(range.start);
    let len = i64::from(range.stop) - start + 1;
    let next = (i64::from(space) + 1 - start) % len.max(1) + start;
    u32::try_from(next).unwrap_or(range.start)
}

/// Reads `PARKINGEXTEN` from the parkee: empty means no preference; otherwise it must scan as a number > 0
/// (`sscanf("%30d")`, so trailing text is ignored), else Asterisk logs the returned WARNING and the park fails.
pub fn parse_parkingexten(value: &str) -> Result<Option<u32>, LogLine> {
    if value.is_empty() {
        return Ok(None);
    }
    match scan_c_int(value, 30) {
        Some((space, _)) if space > 0 => Ok(u32::try_from(space).ok()),
        _ => Err(LogLine::new(
            LogLevel::Warning,
            "parking_bridge.c",
            format!("PARKINGEXTEN='{value}' is not a valid parking space."),
        )),
    }
}

/// The preferred space of Park's `R` option, from a random number the engine draws.
pub fn random_preferred(range: SpaceRange, random: u64) -> u32 {
    let offset = random % range.len().max(1);
    u32::try_from(u64::from(range.start) + offset).unwrap_or(range.start)
}

#[cfg(test)]
#[path = "slots_tests.rs"]
mod tests;
