//! A subject's identity and its own random stream.
//!
//! Every subject owns a ChaCha8 stream derived from (protocol seed, group name, subject
//! index) alone, so its draws never depend on how many threads run, in what order
//! subjects are simulated, or which other groups exist. The derivation is part of the
//! crate's value stability: changing it changes every result.

use std::fmt;
use std::sync::Arc;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The random stream of one subject.
pub type SubjectRng = ChaCha8Rng;

/// Who a subject is: its group and its index within the group.
///
/// ```
/// use helplessness::SubjectId;
/// use rand::RngExt;
/// let a = SubjectId::new("escapable", 3);
/// let x: u64 = a.rng(7).random();
/// assert_eq!(x, a.rng(7).random::<u64>());                           // reproducible
/// assert_ne!(x, SubjectId::new("escapable", 4).rng(7).random::<u64>()); // distinct
/// assert_eq!(a.to_string(), "escapable[3]");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubjectId {
    /// Name of the group.
    pub group: Arc<str>,
    /// Index within the group, 0..N-1.
    pub index: u32,
}

impl SubjectId {
    /// Subject `index` of `group`.
    pub fn new(group: &str, index: u32) -> Self {
        SubjectId {
            group: Arc::from(group),
            index,
        }
    }

    /// This subject's stream for protocol seed `seed`: the ChaCha8 key is expanded from
    /// (seed, FNV-1a of the group name) with SplitMix64; the stream number is the index.
    pub fn rng(&self, seed: u64) -> SubjectRng {
        let mut state = seed ^ fnv1a(self.group.as_bytes()).rotate_left(17);
        let mut key = [0u8; 32];
        for chunk in key.chunks_exact_mut(8) {
            chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
        }
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(u64::from(self.index));
        rng
    }
}

impl fmt::Display for SubjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.group, self.index)
    }
}

pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
