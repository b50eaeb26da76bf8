//! Where things go in the picture: time flows down, one column per channel (grouped by device, the two
//! halves of a Local pair side by side), one column per parking space in use, and a notes column for the
//! diagnostics.
//!
//! The time scale is a sequence of *blocks*: every instant at which something is drawn gets a block tall
//! enough for the lines drawn at that instant (several priorities can run in the same millisecond), and
//! the time between two blocks is drawn at [`PX_PER_SECOND`]. A wait longer than [`BREAK_AFTER`] is
//! compressed to a fixed-height break with its real length written on it, so a 5-minute parking fits one
//! screen.

use std::time::Duration;

/// Height of one text line.
pub const ROW_H: f64 = 15.0;
/// The scale of ordinary waits.
pub const PX_PER_SECOND: f64 = 40.0;
/// Waits longer than this become a break.
pub const BREAK_AFTER: Duration = Duration::from_secs(8);
/// The height of a break.
pub const BREAK_H: f64 = 34.0;
/// Where the first block starts (below the column headers).
pub const TOP: f64 = 70.0;
/// Width of the time axis on the left.
pub const AXIS_W: f64 = 96.0;
/// Width of a channel column.
pub const CHANNEL_W: f64 = 270.0;
/// Width of a parking space column.
pub const SPACE_W: f64 = 170.0;
/// Width of the notes column.
pub const NOTES_W: f64 = 360.0;

/// One instant that has its own block.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub time: Duration,
    pub top: f64,
    /// Number of text rows the block holds (0 for an instant that only ends something).
    pub rows: usize,
}

impl Block {
    pub fn bottom(&self) -> f64 {
        self.top + self.rows as f64 * ROW_H
    }
}

/// A compressed wait between two blocks.
#[derive(Clone, Debug, PartialEq)]
pub struct Break {
    /// Where the break is drawn (its top).
    pub y: f64,
    pub from: Duration,
    pub to: Duration,
}

/// The time scale: blocks in time order and the breaks between them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scale {
    pub blocks: Vec<Block>,
    pub breaks: Vec<Break>,
}

impl Scale {
    /// Lays out the instants `times` (any order, repeats allowed), each with the rows it needs
    /// (`rows(t)`).
    pub fn new(times: &[Duration], rows: impl Fn(Duration) -> usize) -> Scale {
        let mut ts: Vec<Duration> = times.to_vec();
        ts.sort();
        ts.dedup();
        let mut s = Scale::default();
        let mut y = TOP;
        let mut prev: Option<(Duration, f64)> = None;
        for t in ts {
            if let Some((pt, bottom)) = prev {
                let gap = t - pt;
                if gap > BREAK_AFTER {
                    s.breaks.push(Break {
                        y: bottom + 6.0,
                        from: pt,
                        to: t,
                    });
                    y = bottom + BREAK_H + 12.0;
                } else {
                    y = bottom + gap.as_secs_f64() * PX_PER_SECOND;
                }
            }
            let block = Block {
                time: t,
                top: y,
                rows: rows(t),
            };
            prev = Some((t, block.bottom()));
            s.blocks.push(block);
        }
        s
    }

    /// The y of a time: the top of its block, or between two blocks in proportion (a time inside a break
    /// sits in the break).
    pub fn y(&self, t: Duration) -> f64 {
        let Some(first) = self.blocks.first() else {
            return TOP;
        };
        if t <= first.time {
            return first.top;
        }
        for w in self.blocks.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if t == b.time {
                return b.top;
            }
            if t > a.time && t < b.time {
                let f = (t - a.time).as_secs_f64() / (b.time - a.time).as_secs_f64();
                return a.bottom() + f * (b.top - a.bottom());
            }
        }
        self.blocks.last().map_or(TOP, Block::bottom)
    }

    /// The top of the `row`-th text row of the block of `t` (row 0 when `t` has no block).
    pub fn row_y(&self, t: Duration, row: usize) -> f64 {
        self.y(t) + row as f64 * ROW_H
    }

    /// The bottom of the last block.
    pub fn bottom(&self) -> f64 {
        self.blocks.last().map_or(TOP, Block::bottom)
    }
}

/// A duration as people read it: `850 ms`, `4.9 s`, `4 min 57.3 s`.
pub fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms} ms");
    }
    let secs = d.as_secs_f64();
    if secs < 60.0 {
        return format!("{secs:.1} s");
    }
    let m = d.as_secs() / 60;
    let rest = secs - (m * 60) as f64;
    format!("{m} min {rest:.1} s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_waits_become_breaks() {
        let t = |ms| Duration::from_millis(ms);
        let s = Scale::new(&[t(0), t(1000), t(300_000), t(1000)], |_| 2);
        assert_eq!(s.blocks.len(), 3);
        assert_eq!(s.breaks.len(), 1);
        assert_eq!(s.blocks[1].top, TOP + 2.0 * ROW_H + PX_PER_SECOND);
        // The 300 s wait is drawn shorter than a 2 s wait would be.
        assert!(s.blocks[2].top - s.blocks[1].bottom() < 2.0 * PX_PER_SECOND);
        // Monotonic, and interpolated inside the gap.
        let mid = s.y(t(500));
        assert!(mid > s.blocks[0].bottom() && mid < s.blocks[1].top);
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_millis(850)), "850 ms");
        assert_eq!(human(Duration::from_millis(4930)), "4.9 s");
        assert_eq!(human(Duration::from_millis(297_300)), "4 min 57.3 s");
    }
}
