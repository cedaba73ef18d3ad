//! Deterministic slices of a sweep's points, so independent processes cover it once.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Shard `index` of `count`: the points whose number leaves remainder `index` when
/// divided by `count`. Round robin rather than blocks, because neighbouring points
/// (the replicates of one combination, the last axis's values) cost about the same, so
/// every shard gets a fair share of cheap and expensive points.
///
/// ```
/// use helplessness::sweep::Shard;
/// let shard: Shard = "1/3".parse().unwrap();
/// let mine: Vec<u64> = (0..10).filter(|&p| shard.contains(p)).collect();
/// assert_eq!(mine, [1, 4, 7]);
/// assert_eq!(shard.to_string(), "1/3");
/// let e = "3/3".parse::<Shard>().unwrap_err().to_string();
/// assert_eq!(e, "invalid value 3/3 for `--shard`: the shard I of I/N must be below N (0 to 2)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, from 0.
    pub index: u64,
    /// Into how many slices the sweep is cut, at least 1.
    pub count: u64,
}

impl Shard {
    /// The whole sweep, as one shard.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Whether point number `point` belongs to this shard. A shard of 0 slices (which
    /// parsing refuses) holds no point.
    ///
    /// ```
    /// use helplessness::sweep::Shard;
    /// assert!(Shard { index: 1, count: 3 }.contains(4));
    /// assert!(!Shard { index: 0, count: 0 }.contains(0));
    /// ```
    pub fn contains(&self, point: u64) -> bool {
        self.count != 0 && point % self.count == self.index
    }
}

impl FromStr for Shard {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = |reason: String| Error::invalid("--shard", s, reason);
        let Some((i, n)) = s.split_once('/') else {
            return Err(bad("must be I/N, e.g. 0/4 for the first of 4 shards".into()));
        };
        let number = |x: &str| {
            x.trim().parse::<u64>().map_err(|_| {
                bad(format!(
                    "`{x}` is not a whole number >= 0 (write I/N, e.g. 0/4)"
                ))
            })
        };
        let (index, count) = (number(i)?, number(n)?);
        if count == 0 {
            return Err(bad(
                "the number of shards N of I/N must be at least 1".into()
            ));
        }
        if index >= count {
            return Err(bad(format!(
                "the shard I of I/N must be below N (0 to {})",
                count - 1
            )));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Sorted point numbers written as ranges, for messages: `0-3, 7, 9-10`.
///
/// ```
/// assert_eq!(helplessness::sweep::ranges(&[0, 1, 2, 3, 7, 9, 10]), "0-3, 7, 9-10");
/// ```
pub fn ranges(points: &[u64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < points.len() {
        let start = points[i];
        let mut end = start;
        while i + 1 < points.len() && points[i + 1] == end + 1 {
            i += 1;
            end = points[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_point_exactly_once() {
        for count in 1..6 {
            let shards: Vec<Shard> = (0..count).map(|index| Shard { index, count }).collect();
            for p in 0..50 {
                assert_eq!(shards.iter().filter(|s| s.contains(p)).count(), 1);
            }
        }
    }

    #[test]
    fn bad_shards_name_the_value() {
        for (bad, why) in [
            ("0/0", "at least 1"),
            ("x/2", "`x` is not a whole number"),
            ("2", "must be I/N"),
            ("-1/2", "`-1` is not"),
        ] {
            let e = bad.parse::<Shard>().unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("invalid value {bad} for `--shard`")) && e.contains(why),
                "{e}"
            );
        }
    }
}
