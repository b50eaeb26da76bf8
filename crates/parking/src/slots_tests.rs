use super::*;
use proptest::prelude::*;

const RANGE: SpaceRange = SpaceRange {
    start: 701,
    stop: 709,
};

fn policy(findslot: FindSlot) -> SlotPolicy {
    SlotPolicy {
        range: RANGE,
        findslot,
    }
}

fn texts(outcome: &SlotOutcome) -> Vec<String> {
    outcome.log.iter().map(LogLine::console).collect()
}

#[test]
fn first_takes_the_lowest_free_space() {
    let cursor = SlotCursor::default();
    let p = policy(FindSlot::First);
    assert_eq!(find_space("default", p, cursor, None, &[]).space, Some(701));
    assert_eq!(
        find_space("default", p, cursor, None, &[701, 702, 704]).space,
        Some(703)
    );
    assert_eq!(
        find_space("default", p, cursor, None, &[702, 703]).space,
        Some(701)
    );
}

#[test]
fn next_continues_after_the_last_space_even_if_lower_ones_free_up() {
    let mut cursor = SlotCursor::default();
    let p = policy(FindSlot::Next);
    assert_eq!(cursor.take("default", p, None, &[]).space, Some(701));
    assert_eq!(cursor.next_space, Some(702));
    // 701 was retrieved meanwhile: the next park still gets 702.
    assert_eq!(cursor.take("default", p, None, &[]).space, Some(702));
    assert_eq!(cursor.take("default", p, None, &[702]).space, Some(703));
}

#[test]
fn next_wraps_after_the_last_space() {
    let mut cursor = SlotCursor {
        next_space: Some(709),
    };
    let p = policy(FindSlot::Next);
    assert_eq!(cursor.take("default", p, None, &[]).space, Some(709));
    assert_eq!(cursor.next_space, Some(701));
    // Cursor at 708, 708 and 709 busy: wrap to the lowest free space.
    let mut cursor = SlotCursor {
        next_space: Some(708),
    };
    assert_eq!(
        cursor.take("default", p, None, &[701, 708, 709]).space,
        Some(702)
    );
}

#[test]
fn preferred_space_replaces_the_start_and_busy_ones_move_up() {
    let p = policy(FindSlot::First);
    let cursor = SlotCursor::default();
    let outcome = find_space("default", p, cursor, Some(705), &[705, 706]);
    assert_eq!(outcome.space, Some(707));
    assert!(outcome.log.is_empty());
}

#[test]
fn preferred_space_out_of_bounds_is_ignored_with_a_warning() {
    let p = policy(FindSlot::First);
    let outcome = find_space("default", p, SlotCursor::default(), Some(800), &[701]);
    assert_eq!(outcome.space, Some(702));
    assert_eq!(
        texts(&outcome),
        ["WARNING: parking_controller.c: Preferred parking spot 800 is out of bounds (701-709)"]
    );
}

#[test]
fn full_lot() {
    let p = policy(FindSlot::First);
    let all: Vec<u32> = (701..=709).collect();
    let outcome = find_space("default", p, SlotCursor::default(), None, &all);
    assert_eq!(outcome.space, None);
    assert_eq!(
        texts(&outcome),
        ["NOTICE: parking_bridge.c: Failed to get parking space in lot 'default'. All full."]
    );
    let mut cursor = SlotCursor {
        next_space: Some(703),
    };
    let outcome = cursor.take("default", p, None, &all);
    assert_eq!(outcome.space, None);
    assert_eq!(
        cursor.next_space,
        Some(703),
        "a failed search moves nothing"
    );
}

#[test]
fn cursor_outside_a_changed_range_is_used_as_asterisk_does() {
    // After a reload moved parkpos from 601-650 to 701-709, the cursor still says 605 and Asterisk parks there.
    let mut cursor = SlotCursor {
        next_space: Some(605),
    };
    let p = policy(FindSlot::Next);
    assert_eq!(cursor.take("default", p, None, &[]).space, Some(605));
    // ((606 - 701) % 9) + 701 with C's truncating remainder.
    assert_eq!(cursor.next_space, Some(696));
}

#[test]
fn parkingexten_values() {
    assert_eq!(parse_parkingexten(""), Ok(None));
    assert_eq!(parse_parkingexten("705"), Ok(Some(705)));
    assert_eq!(parse_parkingexten(" 705abc"), Ok(Some(705)));
    for bad in ["0", "-3", "abc"] {
        let err = parse_parkingexten(bad).expect_err(bad);
        assert_eq!(
            err.console(),
            format!(
                "WARNING: parking_bridge.c: PARKINGEXTEN='{bad}' is not a valid parking space."
            )
        );
    }
}

#[test]
fn random_space_stays_in_range() {
    assert_eq!(random_preferred(RANGE, 0), 701);
    assert_eq!(random_preferred(RANGE, 8), 709);
    assert_eq!(random_preferred(RANGE, 9), 701);
}

/// A lot's occupied spaces as a sorted set drawn from 1..=20, and a range inside it.
fn lot_state() -> impl Strategy<Value = (SpaceRange, Vec<u32>)> {
    (1u32..=10, 0u32..=10).prop_flat_map(|(start, extra)| {
        let range = SpaceRange {
            start,
            stop: start + extra,
        };
        (
            Just(range),
            proptest::collection::btree_set(range.start..=range.stop, 0..=((extra + 1) as usize)),
        )
            .prop_map(|(r, set)| (r, set.into_iter().collect::<Vec<u32>>()))
    })
}

proptest! {
    #[test]
    fn first_always_takes_the_lowest_free_space((range, occupied) in lot_state()) {
        let p = SlotPolicy { range, findslot: FindSlot::First };
        let outcome = find_space("lot", p, SlotCursor::default(), None, &occupied);
        let lowest = (range.start..=range.stop).find(|s| !occupied.contains(s));
        prop_assert_eq!(outcome.space, lowest);
    }

    #[test]
    fn never_returns_an_occupied_space(
        (range, occupied) in lot_state(),
        next in proptest::option::of(1u32..=25),
        preferred in proptest::option::of(1u32..=25),
        next_policy in any::<bool>(),
    ) {
        let findslot = if next_policy { FindSlot::Next } else { FindSlot::First };
        let p = SlotPolicy { range, findslot };
        let outcome = find_space("lot", p, SlotCursor { next_space: next }, preferred, &occupied);
        if let Some(space) = outcome.space {
            prop_assert!(!occupied.contains(&space));
        }
        let full = (range.start..=range.stop).all(|s| occupied.contains(&s));
        // With the cursor and the preferred space inside the range, a space is found exactly when one is free.
        let inside = next.is_none_or(|n| range.contains(n));
        if inside {
            prop_assert_eq!(outcome.space.is_none(), full);
            if let Some(space) = outcome.space {
                prop_assert!(range.contains(space));
            }
        }
    }

    #[test]
    fn next_never_reuses_a_space_before_it_wraps(
        range_len in 1u32..=8,
        ops in proptest::collection::vec((any::<bool>(), 0usize..8), 1..60),
    ) {
        let range = SpaceRange { start: 701, stop: 700 + range_len };
        let p = SlotPolicy { range, findslot: FindSlot::Next };
        let mut cursor = SlotCursor::default();
        let mut occupied: Vec<u32> = Vec::new();
        let mut last: Option<u32> = None;
        for (park, pick) in ops {
            if park || occupied.is_empty() {
                let before = cursor;
                let outcome = cursor.take("lot", p, None, &occupied);
                match outcome.space {
                    Some(space) => {
                        prop_assert!(!occupied.contains(&space));
                        // It is the first free space in cyclic order from the cursor: upwards to the end of
                        // the range, then from its start. So no space is handed out twice before a wrap.
                        let from = before.next_space.unwrap_or(range.start);
                        let expected = (from..=range.stop)
                            .chain(range.start..from)
                            .find(|s| !occupied.contains(s));
                        prop_assert_eq!(Some(space), expected);
                        if let Some(prev) = last {
                            if space <= prev {
                                prop_assert!((prev + 1..=range.stop).all(|s| occupied.contains(&s)));
                            }
                        }
                        last = Some(space);
                        occupied.push(space);
                        occupied.sort_unstable();
                    }
                    None => {
                        prop_assert_eq!(occupied.len() as u32, range_len);
                        prop_assert_eq!(cursor, before);
                    }
                }
            } else {
                let i = pick % occupied.len();
                occupied.remove(i);
            }
        }
    }
}
