//! A small fast hasher (FxHash's multiply-rotate) for maps and sets keyed by short names — context names in
//! the dialplan model, look-up sets in `dialsim check`. Nothing hashed with it is ever iterated into output,
//! so the standard library's DoS-resistant SipHash buys nothing there and costs a good share of a load.

use std::hash::{BuildHasherDefault, Hasher};

/// FxHash's state.
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// `HashMap<K, V, Fx>` / `HashSet<K, Fx>`.
pub type Fx = BuildHasherDefault<FxHasher>;
