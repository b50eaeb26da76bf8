//! Asterisk's order of extensions inside a context (`main/pbx.c`: `ext_cmp`, `ext_cmp_exten`,
//! `ext_cmp_pattern`, `ext_cmp_pattern_pos`), which is also the legacy matcher's priority order.
//!
//! - Literal names come before patterns; two literals compare byte by byte as C `char` (signed), `-`
//!   ignored.
//! - Two patterns compare position by position. A position scores `count << 8 | lowest byte` for a
//!   character set (a literal character is a set of one; `N`, `Z`, `X` are 8, 9, 10 digits), `0x18000` for
//!   `.`, `0x28000` for `!`, `0x30000` for the end of the pattern and `0x40000` for a `[` with no `]`. Lower
//!   scores sort first; equal scores compare the sets' members, lower bytes first.
//! - Two names that compare equal are the same extension to Asterisk ("aliases": `555-1212` and `5551212`,
//!   `_XXX` and `_[0-9]XX`).
//! - For equal names, caller-id variants come before the plain extension, and among themselves follow
//!   the same order applied to their caller-id patterns.

use super::pattern::at;
use std::cmp::Ordering;

/// `ext_cmp`: the order of two stored keys (see [`super::pattern::exten_key`]).
pub fn ext_cmp(left: &str, right: &str) -> Ordering {
    let (l, r) = (left.as_bytes(), right.as_bytes());
    let (lp, rp) = (at(l, 0) == b'_', at(r, 0) == b'_');
    match (lp, rp) {
        (false, true) => Ordering::Less,
        (true, false) => Ordering::Greater,
        (false, false) => ext_cmp_exten(l, r),
        (true, true) => ext_cmp_pattern(&l[1..], &r[1..]),
    }
}

/// The order of two extensions of a context: name first, then caller-id variants before the plain one.
pub fn ext_cid_cmp(
    left: &str,
    left_cid: Option<&str>,
    right: &str,
    right_cid: Option<&str>,
) -> Ordering {
    then_cid(ext_cmp(left, right), left_cid, right_cid)
}

/// [`ext_cid_cmp`] once the names are compared (`names`): equal names are ordered by caller id.
pub(crate) fn then_cid(
    names: Ordering,
    left_cid: Option<&str>,
    right_cid: Option<&str>,
) -> Ordering {
    match names {
        Ordering::Equal => match (left_cid, right_cid) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(l), Some(r)) => ext_cmp(l, r),
        },
        other => other,
    }
}

#[inline]
fn signed(b: u8) -> i32 {
    b as i8 as i32
}

/// `ext_cmp_exten`: literal names, `-` skipped, bytes compared as signed `char`.
pub(crate) fn ext_cmp_exten(l: &[u8], r: &[u8]) -> Ordering {
    let (mut i, mut j) = (0usize, 0usize);
    loop {
        while at(l, i) == b'-' {
            i += 1;
        }
        while at(r, j) == b'-' {
            j += 1;
        }
        let (a, b) = (at(l, i), at(r, j));
        let cmp = signed(a) - signed(b);
        if cmp != 0 {
            return cmp.cmp(&0);
        }
        if a == 0 {
            return Ordering::Equal;
        }
        i += 1;
        j += 1;
    }
}

/// `ext_cmp_exten_partial`: 0 when `r` is a prefix of `l` (dashes ignored), else the difference.
pub(crate) fn ext_cmp_exten_partial(l: &[u8], r: &[u8]) -> i32 {
    let (mut i, mut j) = (0usize, 0usize);
    loop {
        while at(l, i) == b'-' {
            i += 1;
        }
        while at(r, j) == b'-' {
            j += 1;
        }
        if at(r, j) == 0 {
            return 0;
        }
        let cmp = signed(at(l, i)) - signed(at(r, j));
        if cmp != 0 {
            return cmp;
        }
        i += 1;
        j += 1;
    }
}

/// A pattern position: its score, and what its member bits are made from (computed only when two positions
/// score the same, which is when Asterisk compares the bits).
struct Pos {
    score: i32,
    members: Members,
}

/// The members of a pattern position.
#[derive(Clone, Copy)]
enum Members {
    /// No members (`.`, `!`, the end, an unterminated set).
    None,
    /// One byte value (a literal character).
    One(u8),
    /// Digits `lo..='9'` (`N`, `Z`, `X`).
    DigitsFrom(u8),
    /// The body of a `[...]` set: `p[start..end]`.
    Set(usize, usize),
}

const SCORE_DOT: i32 = 0x18000;
const SCORE_BANG: i32 = 0x28000;
const SCORE_END: i32 = 0x30000;
const SCORE_BAD_SET: i32 = 0x40000;

impl Members {
    /// Member bits: the most significant bit of byte 0 is byte value 0.
    fn bits(self, p: &[u8]) -> [u8; 32] {
        let mut bits = [0u8; 32];
        let mut set = |c: u8| bits[(c / 8) as usize] |= 1u8 << (7 - (c % 8));
        match self {
            Members::None => {}
            Members::One(c) => set(c),
            Members::DigitsFrom(lo) => (lo..=b'9').for_each(set),
            Members::Set(start, end) => {
                let mut k = start;
                while k < end {
                    let c1 = p[k];
                    let c2 = if k + 2 < end && p[k + 1] == b'-' {
                        k += 2;
                        p[k]
                    } else {
                        c1
                    };
                    for c in c1 as u16..=c2 as u16 {
                        set(c as u8);
                    }
                    k += 1;
                }
            }
        }
        bits
    }
}

/// Reads one position of `p` starting at `*i`; sets `*i` to `None` at the end of the pattern.
fn pattern_pos(p: &[u8], i: &mut Option<usize>) -> Pos {
    let none = |score| Pos {
        score,
        members: Members::None,
    };
    let Some(mut k) = *i else {
        return none(SCORE_END);
    };
    loop {
        let mut c = at(p, k);
        k += 1;
        while c == b'-' {
            c = at(p, k);
            k += 1;
        }
        let (score, members) = match c {
            b'n' | b'N' => (0x0800 | b'2' as i32, Members::DigitsFrom(b'2')),
            b'x' | b'X' => (0x0A00 | b'0' as i32, Members::DigitsFrom(b'0')),
            b'z' | b'Z' => (0x0900 | b'1' as i32, Members::DigitsFrom(b'1')),
            b'.' => (SCORE_DOT, Members::None),
            b'!' => (SCORE_BANG, Members::None),
            0 => {
                *i = None;
                return none(SCORE_END);
            }
            b'[' => {
                let rest_end = super::pattern::c_len(p);
                let Some(end) = p[k.min(rest_end)..rest_end]
                    .iter()
                    .position(|&b| b == b']')
                    .map(|e| e + k)
                else {
                    *i = Some(k);
                    return none(SCORE_BAD_SET);
                };
                let members = Members::Set(k, end);
                let (count, cmin) = set_count_min(p, k, end);
                k = end + 1; // past ']'
                if count == 0 {
                    // An empty set is ignored: read the next position.
                    continue;
                }
                (count | cmin as i32, members)
            }
            other => (0x0100 | other as i32, Members::One(other)),
        };
        *i = Some(k);
        return Pos { score, members };
    }
}

/// The score part of a set `p[start..end]`: `0x100` per distinct member, and the lowest first character
/// of its items.
fn set_count_min(p: &[u8], start: usize, end: usize) -> (i32, u8) {
    let mut seen = [0u64; 4];
    let mut count = 0i32;
    let mut cmin = 0xFFu8;
    let mut k = start;
    while k < end {
        let c1 = p[k];
        let c2 = if k + 2 < end && p[k + 1] == b'-' {
            k += 2;
            p[k]
        } else {
            c1
        };
        cmin = cmin.min(c1);
        for c in c1 as u16..=c2 as u16 {
            let (w, b) = ((c >> 6) as usize, 1u64 << (c & 63));
            if seen[w] & b == 0 {
                seen[w] |= b;
                count += 0x100;
            }
        }
        k += 1;
    }
    (count, cmin)
}

/// `ext_cmp_pattern` on the text after the two `_`.
pub(crate) fn ext_cmp_pattern(left: &[u8], right: &[u8]) -> Ordering {
    let (mut li, mut ri) = (Some(0usize), Some(0usize));
    loop {
        let l = pattern_pos(left, &mut li);
        let r = pattern_pos(right, &mut ri);
        let mut cmp = l.score.cmp(&r.score);
        if cmp == Ordering::Equal {
            cmp = match (l.members, r.members) {
                // Equal scores of single characters or digit classes mean equal members.
                (Members::Set(..), _) | (_, Members::Set(..)) => {
                    // Swapped on purpose: the set holding the lower byte sorts first.
                    r.members.bits(right).cmp(&l.members.bits(left))
                }
                _ => Ordering::Equal,
            };
        }
        if cmp != Ordering::Equal {
            return cmp;
        }
        if li.is_none() {
            return Ordering::Equal;
        }
    }
}

/// Marks a score in [`pattern_scores`] whose position is a `[...]` set (scores themselves stay below 2^19).
const SET_FLAG: u32 = 1 << 31;

/// The scores of a pattern's positions (the text after `_`), up to and including the end: what
/// [`ext_cmp_pattern`] compares first. Computed once per pattern extension, so that placing a new
/// extension among the others compares numbers instead of parsing both patterns at every step.
pub(crate) fn pattern_scores(p: &[u8]) -> Box<[u32]> {
    let mut scores = Vec::with_capacity(p.len() + 1);
    let mut i = Some(0usize);
    loop {
        let pos = pattern_pos(p, &mut i);
        let flag = if matches!(pos.members, Members::Set(..)) {
            SET_FLAG
        } else {
            0
        };
        scores.push(pos.score as u32 | flag);
        if i.is_none() {
            return scores.into_boxed_slice();
        }
    }
}

/// [`ext_cmp_pattern`] for two patterns whose [`pattern_scores`] are known: the same answer, reading the
/// patterns' text again only where two positions score the same and one of them is a set.
pub(crate) fn ext_cmp_pattern_scored(
    left: &[u8],
    left_scores: &[u32],
    right: &[u8],
    right_scores: &[u32],
) -> Ordering {
    for (n, (&l, &r)) in left_scores.iter().zip(right_scores).enumerate() {
        let cmp = (l & !SET_FLAG).cmp(&(r & !SET_FLAG));
        if cmp != Ordering::Equal {
            return cmp;
        }
        if (l | r) & SET_FLAG != 0 {
            // Swapped on purpose, as in `ext_cmp_pattern`: the set holding the lower byte sorts first.
            let bits = |p: &[u8]| members_at(p, n).bits(p);
            let cmp = bits(right).cmp(&bits(left));
            if cmp != Ordering::Equal {
                return cmp;
            }
        }
        if l == SCORE_END as u32 {
            return Ordering::Equal;
        }
    }
    // (Both lists end with the end score, so the loop always returns.)
    Ordering::Equal
}

/// The members of position `n` of a pattern (the text after `_`).
fn members_at(p: &[u8], n: usize) -> Members {
    let mut i = Some(0usize);
    let mut pos = pattern_pos(p, &mut i);
    for _ in 0..n {
        pos = pattern_pos(p, &mut i);
    }
    pos.members
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lt(a: &str, b: &str) {
        assert_eq!(ext_cmp(a, b), Ordering::Less, "{a} < {b}");
        assert_eq!(ext_cmp(b, a), Ordering::Greater, "{b} > {a}");
    }

    #[test]
    fn documented_examples() {
        lt("_1X", "_X1");
        lt("_NXX", "_XXX");
        lt("_XX", "_X.");
        lt("_X.", "_X!");
        lt("999", "_1X");
        lt("100", "101");
        lt("_ZXX", "_XXX");
        lt("_NXX", "_ZXX");
        lt("_[5-9]", "_[2-8]");
        lt("_[23]", "_[24]");
        lt("_XX", "_X");
        lt("_1X", "_1[]");
    }

    #[test]
    fn aliases_compare_equal() {
        assert_eq!(ext_cmp("_XXX", "_[0-9]XX"), Ordering::Equal);
        assert_eq!(ext_cmp("_5XX", "_[5]XX"), Ordering::Equal);
        assert_eq!(ext_cmp("555-1212", "5551212"), Ordering::Equal);
        assert_eq!(ext_cmp("_1[]X", "_1X"), Ordering::Equal);
    }

    #[test]
    fn caller_id_variants_first() {
        assert_eq!(ext_cid_cmp("100", Some("5"), "100", None), Ordering::Less);
        assert_eq!(
            ext_cid_cmp("100", None, "100", Some("5")),
            Ordering::Greater
        );
        assert_eq!(
            ext_cid_cmp("100", Some("5"), "100", Some("_X")),
            Ordering::Less
        );
    }

    #[test]
    fn scored_comparison_agrees_with_the_plain_one() {
        let names = [
            "_X.",
            "_X!",
            "_XX",
            "_X",
            "_1X",
            "_1[]X",
            "_1[]",
            "_NXX",
            "_ZXX",
            "_XXX",
            "_[0-9]XX",
            "_[5-9]",
            "_[2-8]",
            "_[23]",
            "_[24]",
            "_[1",
            "_[",
            "_5XX",
            "_[5]XX",
            "_8000000XX",
            "_8000001XX",
            "_90NXXXXXX",
            "_[2-4]XX!",
            "_[z-a]1",
            "_1-2",
            "_[a-c]",
            "_[abc]",
            "_[b]X",
            "_bX",
            "_.",
        ];
        for a in names {
            for b in names {
                let (l, r) = (&a.as_bytes()[1..], &b.as_bytes()[1..]);
                let scored = ext_cmp_pattern_scored(l, &pattern_scores(l), r, &pattern_scores(r));
                assert_eq!(scored, ext_cmp_pattern(l, r), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn unterminated_set_sorts_late_and_does_not_loop() {
        lt("_1", "_[1");
        assert_eq!(ext_cmp("_[1", "_[1"), Ordering::Equal);
    }
}
