//! Shard: one of N slices of the input files, chosen by a stable hash of each file's path,
//! so that N machines given the same inputs build disjoint sets of documents whose exports
//! (`ikg export --format nq`) load together.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// The `I`-th of `N` slices (1 ≤ I ≤ N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, from 1.
    pub index: u64,
    /// How many slices.
    pub count: u64,
}

impl Shard {
    /// Whether a file belongs to this slice: FNV-1a (64 bits) of its path, with `/` as the
    /// separator, modulo the number of slices. The same path falls in the same slice on every
    /// machine, run and platform.
    pub fn contains(&self, path: &Path) -> bool {
        let text = path.to_string_lossy().replace('\\', "/");
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in text.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash % self.count == self.index - 1
    }
}

impl FromStr for Shard {
    type Err = String;

    /// Parses `I/N`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("shard {s:?}: write I/N with 1 ≤ I ≤ N, e.g. 2/8");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            i.trim().parse::<u64>().map_err(|_| bad())?,
            n.trim().parse::<u64>().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_falls_in_exactly_one_slice() {
        let paths: Vec<String> = (0..200)
            .map(|i| format!("corpus/区县/报告{i}.txt"))
            .collect();
        for count in [1, 2, 3, 7] {
            let mut sizes = vec![0; count as usize];
            for p in &paths {
                let owners: Vec<u64> = (1..=count)
                    .filter(|&index| Shard { index, count }.contains(Path::new(p)))
                    .collect();
                assert_eq!(owners.len(), 1, "{p} in {owners:?} of {count}");
                sizes[owners[0] as usize - 1] += 1;
            }
            assert!(sizes.iter().all(|&n| n > 0), "{count} slices: {sizes:?}");
        }
    }

    #[test]
    fn the_hash_is_stable() {
        // FNV-1a of "a/b.txt" is 0xaf86763829022747, computed outside this code: a change of
        // hash would send files to other slices than older versions did, and fails here.
        let owner = |count| {
            (1..=count).find(|&index| Shard { index, count }.contains(Path::new("a/b.txt")))
        };
        assert_eq!(owner(1000), Some(832));
        assert_eq!(owner(8), Some(8));
        assert_eq!("2/8".parse(), Ok(Shard { index: 2, count: 8 }));
        assert!("0/8".parse::<Shard>().is_err());
        assert!("9/8".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }
}
