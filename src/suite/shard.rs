//! `--shard K/N`: the K-th of N slices of a suite. A scenario's slice depends only on its own path (a
//! fixed hash, FNV-1a), so adding a scenario never moves the others between CI machines.

use std::path::Path;

/// A slice of a suite: `index` of `count`, both from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `K/N` (1 ≤ K ≤ N).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("--shard '{text}' must be K/N with 1 <= K <= N, e.g. 2/4");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether a scenario file belongs to this slice.
    pub fn holds(&self, path: &Path) -> bool {
        let name = path.to_string_lossy().replace('\\', "/");
        fnv1a(name.as_bytes()) % self.count == self.index - 1
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn parses() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert!(Shard::parse("0/4").is_err());
        assert!(Shard::parse("5/4").is_err());
        assert!(Shard::parse("x").is_err());
    }

    #[test]
    fn every_file_in_exactly_one_slice_and_stable() {
        let files: Vec<PathBuf> = (0..200)
            .map(|i| PathBuf::from(format!("s{i}/scenario.toml")))
            .collect();
        let mut sizes = [0; 3];
        for f in &files {
            let holders: Vec<u64> = (1..=3)
                .filter(|k| {
                    Shard {
                        index: *k,
                        count: 3,
                    }
                    .holds(f)
                })
                .collect();
            assert_eq!(holders.len(), 1);
            sizes[(holders[0] - 1) as usize] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 40), "{sizes:?}");
        // A fixed hash: the same slice on every machine and every run.
        assert!(Shard { index: 1, count: 1 }.holds(Path::new("a")));
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
