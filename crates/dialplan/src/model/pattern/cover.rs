//! Whether one extension name matches every string another one matches ("covers" it), for the checks that
//! look for extensions Asterisk can never pick. Strings are compared after fluff (`-`) is dropped, as
//! the matcher itself skips `-` in both the name and the dialled string.

use super::{Elem, Pattern};

/// One position of a name: the bytes it accepts.
#[derive(Clone, Copy)]
enum Class<'a> {
    Byte(u8),
    Range(u8, u8),
    Set(&'a super::ByteSet),
}

/// What may follow a name's last position.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// Nothing may follow.
    End,
    /// `.`: one or more characters of any kind.
    OneOrMore,
    /// `!`: zero or more.
    ZeroOrMore,
}

/// What the next position of a name is, for [`Pattern::covers`].
enum Step<'a> {
    Class(Class<'a>),
    /// The positions are over; this may follow them.
    Tail(Tail),
}

/// A walk over the positions of a name: a literal's bytes (its `-` skipped), or a pattern's elements.
enum Cursor<'a> {
    Literal(std::slice::Iter<'a, u8>),
    Pattern(std::slice::Iter<'a, Elem>),
}

impl<'a> Cursor<'a> {
    fn of(p: &'a Pattern) -> Self {
        match &p.elems {
            None => Cursor::Literal(p.key.as_bytes().iter()),
            Some(elems) => Cursor::Pattern(elems.iter()),
        }
    }

    /// How many positions come before the tail, and the tail; `None` for what is not modelled.
    fn extent(mut self) -> Option<(usize, Tail)> {
        let mut n = 0;
        loop {
            match self.step()? {
                Step::Class(_) => n += 1,
                Step::Tail(t) => return Some((n, t)),
            }
        }
    }

    /// The next position; `None` for what is not modelled (as [`Pattern::extent`]).
    fn step(&mut self) -> Option<Step<'a>> {
        match self {
            Cursor::Literal(bytes) => Some(match bytes.find(|&&c| c != b'-') {
                Some(&c) => Step::Class(Class::Byte(c)),
                None => Step::Tail(Tail::End),
            }),
            Cursor::Pattern(elems) => Some(match elems.next() {
                Some(Elem::Char(c)) => Step::Class(Class::Byte(*c)),
                Some(Elem::Digits(lo, hi)) => Step::Class(Class::Range(*lo, *hi)),
                Some(Elem::Set(s)) => Step::Class(Class::Set(s)),
                Some(Elem::EmptySet | Elem::Unterminated) => return None,
                Some(Elem::Dot) => Step::Tail(Tail::OneOrMore),
                Some(Elem::Bang) => Step::Tail(Tail::ZeroOrMore),
                None => Step::Tail(Tail::End),
            }),
        }
    }
}

impl Class<'_> {
    fn contains(&self, b: u8) -> bool {
        match *self {
            Class::Byte(c) => c == b,
            Class::Range(lo, hi) => (lo..=hi).contains(&b),
            Class::Set(s) => s.contains(b),
        }
    }

    /// Every byte of `self` is in `other`.
    fn within(&self, other: &Class<'_>) -> bool {
        match *self {
            Class::Byte(c) => other.contains(c),
            Class::Range(lo, hi) => (lo..=hi).all(|b| other.contains(b)),
            Class::Set(s) => (1..=255u8).all(|b| !s.contains(b) || other.contains(b)),
        }
    }
}

impl Pattern {
    /// Whether every string `other` matches exactly is also matched by `self`. `None` when a name holds
    /// something whose matching this does not model (`[]`, an unterminated `[`). Allocates nothing.
    pub fn covers(&self, other: &Pattern) -> Option<bool> {
        let (n, a_tail) = Cursor::of(self).extent()?;
        let (m, b_tail) = Cursor::of(other).extent()?;
        // The shortest string `other` matches.
        let shortest = m + usize::from(b_tail == Tail::OneOrMore);
        let length_ok = match a_tail {
            Tail::End => b_tail == Tail::End && m == n,
            Tail::OneOrMore => m >= n && shortest > n,
            Tail::ZeroOrMore => m >= n,
        };
        if !length_ok {
            return Some(false);
        }
        // Both names are modelled up to their tails: every position pair is a pair of classes.
        let (mut a, mut b) = (Cursor::of(self), Cursor::of(other));
        while let (Some(Step::Class(x)), Some(Step::Class(y))) = (a.step(), b.step()) {
            if !y.within(&x) {
                return Some(false);
            }
        }
        Some(true)
    }

    /// One string the name matches (the first byte of every position, and one `0` for a `.` tail); `None`
    /// for what [`Pattern::covers`] does not model.
    pub fn sample(&self) -> Option<String> {
        let (_, tail) = self.extent()?;
        let mut out: Vec<u8> = self
            .classes()
            .map(|c| match c {
                Class::Byte(b) => Some(b),
                Class::Range(lo, _) => Some(lo),
                Class::Set(s) => (1..=255u8).find(|&b| s.contains(b)),
            })
            .collect::<Option<Vec<u8>>>()?;
        if tail == Tail::OneOrMore {
            out.push(b'0');
        }
        String::from_utf8(out).ok()
    }

    /// How many positions the name has before its tail, and the tail; `None` for what is not modelled.
    fn extent(&self) -> Option<(usize, Tail)> {
        let Some(elems) = &self.elems else {
            return Some((self.key.bytes().filter(|&c| c != b'-').count(), Tail::End));
        };
        for (i, e) in elems.iter().enumerate() {
            match e {
                Elem::Char(_) | Elem::Digits(..) | Elem::Set(_) => {}
                Elem::EmptySet | Elem::Unterminated => return None,
                Elem::Dot => return Some((i, Tail::OneOrMore)),
                Elem::Bang => return Some((i, Tail::ZeroOrMore)),
            }
        }
        Some((elems.len(), Tail::End))
    }

    /// The classes of the positions before the tail.
    fn classes(&self) -> impl Iterator<Item = Class<'_>> + '_ {
        let literal = self
            .elems
            .is_none()
            .then(|| self.key.bytes().filter(|&c| c != b'-').map(Class::Byte));
        let pattern = self.elems.iter().flat_map(|elems| {
            elems.iter().map_while(|e| match e {
                Elem::Char(c) => Some(Class::Byte(*c)),
                Elem::Digits(lo, hi) => Some(Class::Range(*lo, *hi)),
                Elem::Set(s) => Some(Class::Set(s)),
                _ => None,
            })
        });
        literal.into_iter().flatten().chain(pattern)
    }
}

#[cfg(test)]
mod tests {
    use super::Tail;
    use crate::model::Pattern;

    fn covers(a: &str, b: &str) -> Option<bool> {
        let (a, b) = (Pattern::new(a), Pattern::new(b));
        let by_extent = a.covers_by_extent(&b);
        assert_eq!(a.covers(&b), by_extent, "{a:?} {b:?}");
        by_extent
    }

    impl Pattern {
        /// The way `covers` was first written: both extents first, then the positions side by side.
        fn covers_by_extent(&self, other: &Pattern) -> Option<bool> {
            let (n, a_tail) = self.extent()?;
            let (m, b_tail) = other.extent()?;
            let shortest = m + usize::from(b_tail == Tail::OneOrMore);
            let length_ok = match a_tail {
                Tail::End => b_tail == Tail::End && m == n,
                Tail::OneOrMore => m >= n && shortest > n,
                Tail::ZeroOrMore => m >= n,
            };
            Some(
                length_ok
                    && self
                        .classes()
                        .zip(other.classes())
                        .all(|(x, y)| y.within(&x)),
            )
        }
    }

    #[test]
    fn one_walk_answers_as_the_extents_do() {
        let names = [
            "_1XX!", "_1XX", "_X.", "_X", "_X!", "_NXX", "_[2-9]XX", "_1.", "_XX!", "100", "_100",
            "1-00", "_1[0]0", "_10X", "_1[]", "_1[]X.", "_X.[]", "_[12", "_1[2-", "_Z!", "_ZX.",
            "1", "", "-", "_", "_.", "_!", "_1-0-0", "_[0-9]", "_[a-z]X", "s", "h", "_1XX[]", "12",
            "_1[]!", "_N!X",
        ];
        for a in names {
            for b in names {
                covers(a, b);
            }
        }
    }

    #[test]
    fn pattern_inclusion() {
        assert_eq!(covers("_1XX!", "_1XX"), Some(true));
        assert_eq!(covers("_1XX", "_1XX!"), Some(false));
        assert_eq!(covers("_X.", "_1XX"), Some(true));
        assert_eq!(covers("_X.", "_X"), Some(false));
        assert_eq!(covers("_X!", "_X"), Some(true));
        assert_eq!(covers("_NXX", "_[2-9]XX"), Some(true));
        assert_eq!(covers("_[2-9]XX", "_NXX"), Some(true));
        assert_eq!(covers("_NXX", "_1XX"), Some(false));
        assert_eq!(covers("_X.", "_1."), Some(true));
        assert_eq!(covers("_1.", "_X."), Some(false));
        assert_eq!(covers("_X.", "_X!"), Some(false));
        assert_eq!(covers("_X.", "_XX!"), Some(true));
        assert_eq!(covers("100", "_100"), Some(true));
        assert_eq!(covers("1-00", "_1[0]0"), Some(true));
        assert_eq!(covers("100", "_10X"), Some(false));
        assert_eq!(covers("_1[]", "_1"), None);
    }

    #[test]
    fn samples() {
        let sample = |p: &str| Pattern::new(p).sample();
        assert_eq!(sample("_1XX").as_deref(), Some("100"));
        assert_eq!(sample("_N[5-7]X.").as_deref(), Some("2500"));
        assert_eq!(sample("_9!").as_deref(), Some("9"));
        assert_eq!(sample("1-00").as_deref(), Some("100"));
        assert_eq!(sample("_1[]"), None);
    }
}
