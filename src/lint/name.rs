//! Names (of applications, functions, variables) as hash keys for the look-ups the walk makes for almost
//! every priority: the application's class, each `${NAME}` read, each function called, each variable
//! assigned.
//!
//! Hashing a `&str` feeds the hasher byte by byte past the last whole word, and comparing two calls
//! `memcmp`; for a name of a few bytes both cost more than the look-up itself. A [`Name`] reads its text
//! once as two (possibly overlapping) words, which together with the length identify any name of up to 16
//! bytes exactly: hashing it is one word and comparing it two, without a call. Longer names are compared
//! in full. Maps keyed by names use [`Names`] as their hasher, which only has that one word to mix.

use std::hash::{BuildHasherDefault, Hash, Hasher};

/// The hasher of maps and sets keyed by [`Name`]s.
pub(super) type Names = BuildHasherDefault<NameHasher>;

/// A name as a hash key (see the module documentation).
#[derive(Clone, Copy, Debug)]
pub(super) struct Name<'a> {
    text: &'a str,
    /// The first and the last bytes of the text (up to eight each), as words.
    head: u64,
    tail: u64,
}

impl<'a> Name<'a> {
    #[inline]
    pub(super) fn new(text: &'a str) -> Self {
        let b = text.as_bytes();
        let n = b.len();
        let (head, tail) = if n >= 8 {
            (word(&b[..8]), word(&b[n - 8..]))
        } else if n >= 4 {
            (u64::from(half(&b[..4])), u64::from(half(&b[n - 4..])))
        } else if n > 0 {
            // One to three bytes: the first, the middle and the last cover them all.
            let three = u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16;
            (three, 0)
        } else {
            (0, 0)
        };
        Name { text, head, tail }
    }

    #[inline]
    pub(super) fn as_str(&self) -> &'a str {
        self.text
    }
}

impl PartialEq for Name<'_> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        // Up to 16 bytes, the length and the two words are the whole text.
        self.head == other.head
            && self.tail == other.tail
            && self.text.len() == other.text.len()
            && (self.text.len() <= 16 || self.text == other.text)
    }
}

impl Eq for Name<'_> {}

impl Name<'_> {
    /// The one word a name hashes to (not mixed: see [`NameHasher`]).
    #[inline]
    pub(super) fn word(&self) -> u64 {
        self.head ^ self.tail.rotate_left(29) ^ self.text.len() as u64
    }
}

impl Hash for Name<'_> {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.word());
    }
}

/// Mixes the one word a [`Name`] hashes to (FxHash's multiply; hashbrown takes its control bits from the
/// top of the result, which the multiplication fills from every bit of the word).
#[derive(Default)]
pub(super) struct NameHasher(u64);

impl Hasher for NameHasher {
    #[inline]
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    /// A priority number next to a [`Name`] in a key.
    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    /// Only [`NameHasher::write_u64`] is used by [`Name`]; other keys are hashed a word at a time.
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Eight bytes as a little-endian word.
#[inline]
fn word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[..8]);
    u64::from_le_bytes(w)
}

/// Four bytes as a little-endian word.
#[inline]
fn half(b: &[u8]) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[..4]);
    u32::from_le_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_exactly_when_the_texts_are() {
        let names = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abc",
            "acc",
            "aac",
            "abcd",
            "abce",
            "abcde",
            "abdde",
            "Set",
            "SET",
            "NoOp",
            "Dial",
            "GotoIf",
            "Hangup",
            "DIALSTATUS",
            "DIALSTATUs",
            "ANSWEREDTIME",
            "12345678",
            "123456789",
            "1234567890abcdef",
            "1234567890abcdeg",
            "1234567890abcdefg",
            "1234567890abcdeFg",
            "1234567890abcdefgh",
            "1234567890xbcdefgh",
            "x234567890abcdefgh",
        ];
        for a in names {
            for b in names {
                assert_eq!(Name::new(a) == Name::new(b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
