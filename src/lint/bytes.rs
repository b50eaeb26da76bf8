//! Byte-level reading of a priority's data, for the walk that reads every priority of the dialplan.
//!
//! A priority's data is short (about 35 bytes in a typical dialplan): setting up a vectorised search
//! (`memchr`, a substring searcher) per priority costs more than the search, and a byte-by-byte loop
//! branches on every byte. [`hits`] instead tests each 8-byte word for all the wanted bytes at once with
//! exact zero-byte arithmetic on a `u64`, and only the positions found are looked at. [`name_len`] and
//! [`trim`] are the cheap forms of the two other things every priority needs.

const LO: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The positions in `text` of the bytes in `needles`, in increasing order. No needle may be 0 (the last,
/// short word is padded with zero bytes).
#[inline]
pub(super) fn hits<const N: usize>(text: &[u8], needles: [u8; N]) -> Hits<'_, N> {
    debug_assert!(!needles.contains(&0));
    Hits {
        text,
        needles,
        base: 0,
        mask: word_hits(text, 0, &needles),
    }
}

/// See [`hits`].
pub(super) struct Hits<'a, const N: usize> {
    text: &'a [u8],
    needles: [u8; N],
    /// Where the current word starts.
    base: usize,
    /// The top bit of byte `j` is set when `text[base + j]` is a needle not yet returned.
    mask: u64,
}

impl<const N: usize> Iterator for Hits<'_, N> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.base += 8;
            if self.base >= self.text.len() {
                return None;
            }
            self.mask = word_hits(self.text, self.base, &self.needles);
        }
        let at = self.base + (self.mask.trailing_zeros() / 8) as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

/// The needles among the (up to) eight bytes of `text` from `base` (see [`Hits::mask`]).
#[inline]
fn word_hits<const N: usize>(text: &[u8], base: usize, needles: &[u8; N]) -> u64 {
    let x = match text.get(base..base + 8) {
        Some(word) => load(word),
        // The last, short word: the eight bytes that end the text, shifted so that the wanted ones come
        // first and zero bytes fill the rest (one load instead of a copy of variable length).
        None if text.len() >= 8 => {
            let rest = text.len() - base;
            load(&text[text.len() - 8..]) >> (8 * (8 - rest))
        }
        None => text
            .get(base..)
            .unwrap_or_default()
            .iter()
            .rev()
            .fold(0, |x, &c| (x << 8) | u64::from(c)),
    };
    // The zero bytes past the end are never needles.
    let mut mask = 0;
    for &n in needles {
        mask |= zero_bytes(x ^ (LO * u64::from(n)));
    }
    mask
}

/// The first eight bytes of `word` as a little-endian word.
#[inline]
pub(super) fn load(word: &[u8]) -> u64 {
    let mut whole = [0u8; 8];
    whole.copy_from_slice(&word[..8]);
    u64::from_le_bytes(whole)
}

/// The top bit of each byte of `x` that is zero (exact: no carry crosses a byte).
#[inline]
fn zero_bytes(x: u64) -> u64 {
    !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7)
}

/// Whether each byte may be part of a variable or function name: ASCII letters and digits, and `_`.
const NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric() || b == b'_';
        c += 1;
    }
    table
};

/// Whether `c` may be part of a variable or function name.
#[inline]
pub(super) fn is_name_byte(c: u8) -> bool {
    NAME_BYTES[usize::from(c)]
}

/// How many bytes at the start of `text` may be part of a name.
#[inline]
pub(super) fn name_len(text: &[u8]) -> usize {
    text.iter()
        .position(|&c| !is_name_byte(c))
        .unwrap_or(text.len())
}

/// `str::trim`, with the usual case (no blank at either end, so nothing to trim) decided from the two end
/// bytes without decoding characters.
#[inline]
pub(super) fn trim(s: &str) -> &str {
    // An ASCII byte that is not white space, as `char::is_whitespace` has it.
    let solid = |c: u8| c.is_ascii() && !char::from(c).is_whitespace();
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&a), Some(&z)) if solid(a) && solid(z) => s,
        _ => s.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_are_exactly_the_needles() {
        let texts: [&[u8]; 12] = [
            b"",
            b"$",
            b"12345678",
            b"1234567$",
            b"h2345678",
            b"123=5678",
            b"ABCDEFGH",
            b"HP=p$$$$",
            b"$=",
            b"\x00\x01#%&\x7f~|",
            b"\x00$\x00=\x01p\x80\xff",
            b"ab${C}defgh$ijk${L}mn=opqrstu${V}w$=",
        ];
        for text in texts {
            let want: Vec<usize> = text
                .iter()
                .enumerate()
                .filter(|(_, c)| matches!(c, b'$' | b'='))
                .map(|(i, _)| i)
                .collect();
            // Every suffix too, so that every length of the last, short word is tried.
            for start in 0..=text.len() {
                let tail = &text[start..];
                let want: Vec<usize> = want
                    .iter()
                    .filter(|&&i| i >= start)
                    .map(|i| i - start)
                    .collect();
                assert_eq!(
                    hits(tail, [b'$', b'=']).collect::<Vec<_>>(),
                    want,
                    "{tail:?}"
                );
            }
        }
    }

    #[test]
    fn names_and_trims() {
        assert_eq!(name_len(b"EXTEN}"), 5);
        assert_eq!(name_len(b"A_1:2"), 3);
        assert_eq!(name_len(b"ABC"), 3);
        assert_eq!(name_len(b"(x"), 0);
        for s in [
            "", " ", "a", " a ", "a b", "\u{b}a", "a\u{a0}", "\u{a0}a", "\t x\r\n", "é", "xé",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }
}
