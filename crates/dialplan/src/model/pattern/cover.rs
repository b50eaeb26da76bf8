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
        let (n, a_tail) = self.extent()?;
        let (m, b_tail) = other.extent()?;
        // The shortest string `other` matches.
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
    use crate::model::Pattern;

    fn covers(a: &str, b: &str) -> Option<bool> {
        Pattern::new(a).covers(&Pattern::new(b))
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
