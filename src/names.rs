//! Names to positions: groups and phases are named in files and records, and looking a
//! name up must not cost a scan of every group (protocols may have tens of thousands).

use std::collections::HashMap;
use std::hash::Hash;

/// Each name's first position in `names`.
pub(crate) fn first_positions<K: Hash + Eq>(
    names: impl DoubleEndedIterator<Item = K> + ExactSizeIterator,
) -> HashMap<K, usize> {
    // Walked backwards, so a repeated name keeps its first position.
    names.enumerate().rev().map(|(i, n)| (n, i)).collect()
}

/// Refuses an empty or repeated name: `list[i].name`, for the `what` (`group`,
/// `phase`) at position `i`.
pub(crate) fn check_unique<'a>(
    names: impl DoubleEndedIterator<Item = &'a str> + ExactSizeIterator + Clone,
    list: &str,
    what: &str,
) -> Result<(), crate::error::Error> {
    let first = first_positions(names.clone());
    match names
        .enumerate()
        .find(|(i, n)| n.is_empty() || first[n] != *i)
    {
        Some((i, n)) => Err(crate::error::Error::invalid(
            format!("{list}[{i}].name"),
            format!("{n:?}"),
            format!("{what} names must be non-empty and unique"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_repeated_name_keeps_its_first_position() {
        let map = super::first_positions(["a", "b", "a"].into_iter());
        assert_eq!((map["a"], map["b"]), (0, 1));
    }
}
