//! Extension names and patterns: how Asterisk stores a name and how it decides whether a dialled string
//! matches it (`main/pbx.c`: `ext_strncpy`, `_extension_match_core`).
//!
//! A name starting with `_` is a pattern: `X` (0-9), `Z` (1-9), `N` (2-9) in either case, `[...]` sets with
//! `a-c` ranges, `.` (one or more of anything, ends the match), `!` (zero or more, an "early match"), `-` is
//! ignored outside sets, everything else is a literal character. Any other name is literal and is compared
//! case-sensitively with `-` ignored on both sides. Asterisk works on C strings of bytes; so does this
//! module (a NUL byte ends a string, as in C).
//!
//! [`Pattern`] is compiled once when an extension is stored; [`Pattern::test`] answers Asterisk's three
//! questions (`E_MATCH`, `E_CANMATCH`, `E_MATCHMORE`) exactly, including the quirks: `_9.` does not match
//! `9`, `_9!` does, `_.` matches `h`, a trailing empty set `[]` can never be matched exactly, and a string
//! starting with `_` that equals the pattern itself matches it.

use super::order::ext_cmp_pattern;
use std::borrow::Cow;
use std::cmp::Ordering;

mod cover;

/// Which question a match answers (Asterisk's `ext_match_t` masked to the match bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// `E_MATCH`: does the string match exactly now?
    Match,
    /// `E_CANMATCH`: does it match now, or could it with more characters?
    CanMatch,
    /// `E_MATCHMORE`: could it match only with more characters?
    MatchMore,
}

/// The answer of [`Pattern::test`]: Asterisk's 0 / 1 / 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// 0: no.
    No,
    /// 1: yes.
    Yes,
    /// 2: yes, through a `!` ("early match"); with [`Mode::MatchMore`] a caller treats this as a final no.
    Early,
}

impl Outcome {
    pub fn is_match(self) -> bool {
        self != Outcome::No
    }
}

/// A convenience summary for digit collection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// Matches now (it may also match longer strings, as `_X.` does).
    Exact,
    /// Does not match now, but could with more characters.
    Partial,
    /// Cannot match, whatever follows.
    NoMatch,
}

/// A compiled extension name (literal or pattern), as stored in a context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The name as Asterisk keeps it for matching and sorting (`exten` in `struct ast_exten`): spaces
    /// removed, and `-` removed outside sets (except in hints, which keep their dashes).
    key: Box<str>,
    elems: Option<Box<[Elem]>>,
}

/// One position of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Elem {
    Char(u8),
    /// `X`, `Z`, `N`: an inclusive digit range.
    Digits(u8, u8),
    /// `[...]`: membership of every byte value, computed the way the matcher compares (C `char`, signed).
    Set(Box<ByteSet>),
    /// `[]`: skipped while characters remain, but it still counts as "pattern not finished" at the end.
    EmptySet,
    /// `[` with no `]` after it: reaching it with characters left fails the whole match.
    Unterminated,
    /// `.`
    Dot,
    /// `!`
    Bang,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn contains(&self, b: u8) -> bool {
        self.0[(b >> 6) as usize] & (1u64 << (b & 63)) != 0
    }
    fn insert(&mut self, b: u8) {
        self.0[(b >> 6) as usize] |= 1u64 << (b & 63);
    }
}

/// Byte `i` of a C string: 0 past the end (and an embedded NUL ends the string, as in C).
#[inline]
pub(crate) fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// The length of a C string held in a slice (up to the first NUL).
#[inline]
pub(crate) fn c_len(s: &[u8]) -> usize {
    memchr::memchr(0, s).unwrap_or(s.len())
}

impl Pattern {
    /// Compiles a stored key (see [`exten_key`]). A key starting with `_` is a pattern.
    pub fn new(key: &str) -> Pattern {
        let bytes = key.as_bytes();
        let elems = if at(bytes, 0) == b'_' {
            Some(compile(&bytes[1..]).into_boxed_slice())
        } else {
            None
        };
        Pattern {
            key: Box::from(key),
            elems,
        }
    }

    /// The stored key (fluff removed), used for sorting and shown nowhere.
    #[inline]
    pub fn key(&self) -> &str {
        &self.key
    }

    #[inline]
    pub fn is_pattern(&self) -> bool {
        self.elems.is_some()
    }

    /// Asterisk's `_extension_match_core(pattern, data, mode)`.
    pub fn test(&self, data: &str, mode: Mode) -> Outcome {
        let data = data.as_bytes();
        let data = &data[..c_len(data)];
        match &self.elems {
            None => literal_match(self.key.as_bytes(), data, mode),
            Some(elems) => {
                if mode == Mode::Match
                    && at(data, 0) == b'_'
                    && ext_cmp_pattern(&self.key.as_bytes()[1..], &data[1..]) == Ordering::Equal
                {
                    // A pattern "matches" the same pattern written as data (so `_X.` finds `_X.`).
                    return Outcome::Yes;
                }
                pattern_match(elems, data, mode)
            }
        }
    }

    /// `ast_extension_match`: an exact match now.
    pub fn matches(&self, data: &str) -> bool {
        self.test(data, Mode::Match).is_match()
    }

    /// Exact now / only with more characters / never.
    pub fn classify(&self, data: &str) -> MatchKind {
        if self.test(data, Mode::Match).is_match() {
            MatchKind::Exact
        } else if self.test(data, Mode::CanMatch).is_match() {
            MatchKind::Partial
        } else {
            MatchKind::NoMatch
        }
    }
}

/// Number of characters of a C string, `-` not counted.
pub(crate) fn strlen_nofluff(s: &[u8]) -> usize {
    s[..c_len(s)].iter().filter(|&&b| b != b'-').count()
}

fn literal_match(pattern: &[u8], data: &[u8], mode: Mode) -> Outcome {
    let lp = strlen_nofluff(pattern);
    let ld = strlen_nofluff(data);
    if lp < ld {
        return Outcome::No;
    }
    if mode == Mode::Match {
        return bool_outcome(super::order::ext_cmp_exten(pattern, data) == Ordering::Equal);
    }
    if ld == 0 || super::order::ext_cmp_exten_partial(pattern, data) == 0 {
        if mode == Mode::MatchMore {
            bool_outcome(lp > ld)
        } else {
            Outcome::Yes
        }
    } else {
        Outcome::No
    }
}

fn bool_outcome(b: bool) -> Outcome {
    if b {
        Outcome::Yes
    } else {
        Outcome::No
    }
}

fn pattern_match(elems: &[Elem], data: &[u8], mode: Mode) -> Outcome {
    let mut d = 0usize;
    let mut e = 0usize;
    loop {
        while at(data, d) == b'-' {
            d += 1;
        }
        let c = at(data, d);
        if c == 0 || e >= elems.len() {
            break;
        }
        match &elems[e] {
            Elem::EmptySet => {
                e += 1;
                continue;
            }
            Elem::Unterminated => return Outcome::No,
            Elem::Dot => return Outcome::Yes,
            Elem::Bang => return Outcome::Early,
            Elem::Char(p) => {
                if c != *p {
                    return Outcome::No;
                }
            }
            Elem::Digits(lo, hi) => {
                if c < *lo || c > *hi {
                    return Outcome::No;
                }
            }
            Elem::Set(set) => {
                if !set.contains(c) {
                    return Outcome::No;
                }
            }
        }
        d += 1;
        e += 1;
    }
    if at(data, d) != 0 {
        return Outcome::No;
    }
    match elems.get(e) {
        None => {
            if mode == Mode::MatchMore {
                Outcome::No
            } else {
                Outcome::Yes
            }
        }
        Some(Elem::Bang) => Outcome::Early,
        Some(_) => {
            if mode == Mode::Match {
                Outcome::No
            } else {
                Outcome::Yes
            }
        }
    }
}

/// Compiles the text after `_`. Stops at NUL or `/` (the caller-id separator ends a pattern).
fn compile(p: &[u8]) -> Vec<Elem> {
    // At most one element per byte: allocated once (and exact for the usual pattern without sets or `-`).
    let mut out = Vec::with_capacity(p.len());
    let mut i = 0usize;
    loop {
        let c = at(p, i);
        if c == 0 || c == b'/' {
            break;
        }
        i += 1;
        match c {
            b'-' => {}
            b'n' | b'N' => out.push(Elem::Digits(b'2', b'9')),
            b'x' | b'X' => out.push(Elem::Digits(b'0', b'9')),
            b'z' | b'Z' => out.push(Elem::Digits(b'1', b'9')),
            b'.' => out.push(Elem::Dot),
            b'!' => out.push(Elem::Bang),
            b'[' => {
                let rest = &p[i..c_len(p)];
                match memchr::memchr(b']', rest) {
                    None => {
                        out.push(Elem::Unterminated);
                        // Nothing after an unterminated set can ever be reached.
                        break;
                    }
                    Some(0) => {
                        out.push(Elem::EmptySet);
                        i += 1;
                    }
                    Some(end) => {
                        out.push(Elem::Set(Box::new(set_members(&rest[..end]))));
                        i += end + 1;
                    }
                }
            }
            other => out.push(Elem::Char(other)),
        }
    }
    out
}

/// The bytes a set's contents accept, following the matcher's loop: at each position, `a-b` (when two more
/// characters remain before `]`) is an inclusive range compared as C `char` (signed), else one character.
/// The items are read the same way whatever byte is tested, so the set is the union of its items (NUL, which
/// ends a C string, is never a member).
fn set_members(body: &[u8]) -> ByteSet {
    let mut set = ByteSet([0; 4]);
    let mut j = 0usize;
    while j < body.len() {
        if j + 2 < body.len() && body[j + 1] == b'-' {
            let (lo, hi) = (body[j] as i8, body[j + 2] as i8);
            for v in lo as i16..=hi as i16 {
                let d = v as i8 as u8;
                if d != 0 {
                    set.insert(d);
                }
            }
            j += 3;
        } else {
            if body[j] != 0 {
                set.insert(body[j]);
            }
            j += 1;
        }
    }
    set
}

/// Whether characters are being copied inside `[...]` (only patterns have sets).
struct SquareTracker {
    is_pattern: bool,
    inside: bool,
}

impl SquareTracker {
    fn new(src: &str) -> Self {
        SquareTracker {
            is_pattern: src.starts_with('_'),
            inside: false,
        }
    }

    /// Returns whether `c` is kept; `drop_dashes` removes `-` outside sets.
    fn keep(&mut self, c: char, drop_dashes: bool) -> bool {
        match c {
            '[' => {
                if self.is_pattern {
                    self.inside = true;
                }
                true
            }
            ']' => {
                self.inside = false;
                true
            }
            ' ' if !self.inside => false,
            '-' if !self.inside && drop_dashes => false,
            _ => true,
        }
    }
}

/// The name Asterisk shows for an extension (`ext_strncpy` without fluff removal): spaces removed, except
/// inside a pattern's `[...]`.
pub fn exten_display_name(src: &str) -> String {
    name_and_key(src, Fluff::KeepDashes).0.into_owned()
}

/// The key Asterisk matches and sorts on (`ext_strncpy` with fluff removal): spaces and `-` removed, except
/// inside a pattern's `[...]`. Hints keep their dashes (Asterisk skips fluff removal for them).
pub fn exten_key(src: &str) -> String {
    key_cow(src).into_owned()
}

/// [`exten_key`], borrowing `src` when nothing is removed (no space and no `-`).
pub(crate) fn key_cow(src: &str) -> Cow<'_, str> {
    name_and_key(src, Fluff::DropDashes).1
}

/// Whether a key drops the `-` of the name ([`exten_key`]) or keeps it (a hint's key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fluff {
    DropDashes,
    KeepDashes,
}

/// The display name ([`exten_display_name`]) and the key of `src` at once, each borrowing `src` when
/// nothing is removed. One pass finds out whether anything must be (the usual name has neither a space
/// nor a `-`): this runs for every line of a dialplan.
pub(crate) fn name_and_key(src: &str, fluff: Fluff) -> (Cow<'_, str>, Cow<'_, str>) {
    let (mut space, mut dash) = (false, false);
    for &b in src.as_bytes() {
        space |= b == b' ';
        dash |= b == b'-';
    }
    let name = if space {
        let mut t = SquareTracker::new(src);
        Cow::Owned(src.chars().filter(|&c| t.keep(c, false)).collect())
    } else {
        Cow::Borrowed(src)
    };
    let key = if dash && fluff == Fluff::DropDashes {
        let mut t = SquareTracker::new(src);
        Cow::Owned(src.chars().filter(|&c| t.keep(c, true)).collect())
    } else {
        name.clone()
    };
    (name, key)
}

/// `ast_shrink_phone_number`, which pbx_config applies to the caller-id part of `exten => 100/CID,...`:
/// drops `(`, `)`, spaces, `-` outside `[...]`, and `.` unless it is the last character.
pub fn shrink_phone_number(src: &str) -> String {
    let bytes = src.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut bracketed: i32 = 0;
    for (x, &c) in bytes.iter().enumerate() {
        match c {
            b'[' => {
                bracketed += 1;
                out.push(c);
            }
            b']' => {
                bracketed -= 1;
                out.push(c);
            }
            b'-' => {
                if bracketed != 0 {
                    out.push(c);
                }
            }
            b'.' => {
                if x + 1 == bytes.len() {
                    out.push(c);
                }
            }
            b'(' | b')' | b' ' => {}
            _ => out.push(c),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, d: &str) -> bool {
        Pattern::new(&exten_key(p)).matches(d)
    }

    #[test]
    fn literal_names_ignore_dashes_and_case_matters() {
        assert!(m("555-1212", "5551212"));
        assert!(m("5551212", "555-12-12"));
        assert!(!m("alice", "Alice"));
        assert!(m("alice", "alice"));
        assert!(!m("100", "1000"));
        assert!(!m("100", "10"));
    }

    #[test]
    fn wildcard_classes() {
        assert!(m("_X", "0"));
        assert!(m("_x", "9"));
        assert!(!m("_Z", "0"));
        assert!(m("_z", "1"));
        assert!(!m("_N", "1"));
        assert!(m("_n", "2"));
        assert!(m("_NXX", "200"));
        assert!(!m("_NXX", "20"));
        assert!(!m("_NXX", "2000"));
    }

    #[test]
    fn dot_and_bang() {
        assert!(!m("_9.", "9"));
        assert!(m("_9.", "91"));
        assert!(m("_9!", "9"));
        assert!(m("_9!", "9123"));
        assert!(m("_.", "h"));
        assert!(!m("_.", ""));
        assert!(m("_!", ""));
        assert!(m("_X.", "1abc"));
    }

    #[test]
    fn sets_and_ranges() {
        assert!(m("_[2-4]XX", "300"));
        assert!(!m("_[2-4]XX", "500"));
        assert!(m("_[a-]", "a"));
        assert!(!m("_[a-]", "b"));
        assert!(m("_[135]", "3"));
        assert!(!m("_[135]", "2"));
        // An empty set is skipped, except at the end where the pattern counts as unfinished.
        assert!(m("_1[]2", "12"));
        assert!(!m("_1[]", "1"));
        // An unterminated set fails once reached.
        assert!(!m("_1[2", "12"));
        assert_eq!(Pattern::new("_1[2").test("1", Mode::CanMatch), Outcome::Yes);
    }

    #[test]
    fn fluff_in_patterns() {
        assert!(m("_NXX-XXXX", "555-1212"));
        assert!(m("_NXX-XXXX", "5551212"));
        assert_eq!(exten_key("_NXX-XXXX"), "_NXXXXXX");
        assert_eq!(exten_key("_[1-3]-X"), "_[1-3]X");
        assert_eq!(exten_display_name("_[1 3] X"), "_[1 3]X");
        assert_eq!(exten_display_name("1 0 0"), "100");
    }

    #[test]
    fn modes() {
        let p = Pattern::new("_1XX");
        assert_eq!(p.test("1", Mode::MatchMore), Outcome::Yes);
        assert_eq!(p.test("100", Mode::MatchMore), Outcome::No);
        assert_eq!(p.test("100", Mode::CanMatch), Outcome::Yes);
        assert_eq!(p.classify("1"), MatchKind::Partial);
        assert_eq!(p.classify("100"), MatchKind::Exact);
        assert_eq!(p.classify("2"), MatchKind::NoMatch);
        let bang = Pattern::new("_1!");
        assert_eq!(bang.test("1", Mode::MatchMore), Outcome::Early);
        assert_eq!(bang.test("12", Mode::Match), Outcome::Early);
        let lit = Pattern::new("100");
        assert_eq!(lit.test("10", Mode::MatchMore), Outcome::Yes);
        assert_eq!(lit.test("100", Mode::MatchMore), Outcome::No);
        assert_eq!(lit.test("", Mode::CanMatch), Outcome::Yes);
        assert_eq!(lit.test("20", Mode::CanMatch), Outcome::No);
    }

    #[test]
    fn pattern_matches_itself_as_data() {
        assert!(Pattern::new("_X.").matches("_X."));
        assert!(Pattern::new("_XXX").matches("_[0-9]XX"));
    }

    #[test]
    fn shrinking_caller_id() {
        assert_eq!(shrink_phone_number("(555) 12-34"), "5551234");
        assert_eq!(shrink_phone_number("_X."), "_X.");
        assert_eq!(shrink_phone_number("1.2"), "12");
        assert_eq!(shrink_phone_number("_[1-3]X"), "_[1-3]X");
    }
}
