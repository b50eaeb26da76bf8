//! A small fast hasher (FxHash's multiply-rotate) for maps and sets keyed by short names — context names in
//! the dialplan model, look-up sets in `dialsim check`. Nothing hashed with it is ever iterated into output,
//! so the standard library's DoS-resistant SipHash buys nothing there and costs a good share of a load.

use std::hash::{BuildHasherDefault, Hasher};

/// FxHash's state.
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        // The last 1–7 bytes make one more word (zero-padded): one multiply instead of one per byte.
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    // `str`'s `Hash` writes a terminator byte after the text: one word, not a slice.
    fn write_u8(&mut self, b: u8) {
        self.add(b as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    /// Mixes one word into the state.
    fn add(&mut self, word: u64) {
        self.0 = mix(self.0, word);
    }
}

/// FxHash's step: `state` with one more word mixed in (for hashes built a word at a time elsewhere, such as
/// `dialsim check`'s keys of whole priority texts).
#[inline]
pub fn mix(state: u64, word: u64) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    (state.rotate_left(5) ^ word).wrapping_mul(K)
}

/// `HashMap<K, V, Fx>` / `HashSet<K, Fx>`.
pub type Fx = BuildHasherDefault<FxHasher>;
