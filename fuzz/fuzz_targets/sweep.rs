//! Sweep files: text -> `sweep::load` (no directory: bundled or inline protocols only).
//! An accepted sweep's axes, combinations, points, shards, experiments, CSV header and
//! resolved form are exercised, and its first point is run when that is cheap.
//! Returned errors are fine; a panic or a failed assertion is a finding.
//!
//! A sweep of more than `MAX_GRID` (but at most `MAX_COMBINATIONS`) combinations is
//! skipped before loading: it is legal, and `load` validates every combination, which
//! would make the target slow. Larger ones are loaded: `load` must refuse them cheaply.
#![no_main]

mod common;

use helplessness::sweep::{self, MAX_COMBINATIONS, Overrides, Shard, SweepFile};
use helplessness::{RunOptions, VecSink};
use libfuzzer_sys::fuzz_target;

/// Most combinations a loaded sweep may have here.
const MAX_GRID: u64 = 64;

/// Ticks a point may cost to be run here.
const MAX_POINT_TICKS: f64 = 2e5;

/// The number of combinations `file` asks for, as far as the file alone tells.
fn combinations(file: &SweepFile) -> u64 {
    if let Some(s) = file.sample {
        return u64::from(s.points);
    }
    file.axes.iter().fold(1u64, |n, a| {
        let k = match (&a.values, a.linspace) {
            (Some(v), _) => v.len() as u64,
            (None, Some(l)) => u64::from(l.steps),
            _ => 1,
        };
        n.saturating_mul(k.max(1))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(file) = toml::from_str::<SweepFile>(text) {
        let n = combinations(&file);
        if n > MAX_GRID && n <= MAX_COMBINATIONS as u64 {
            return;
        }
    }
    let Ok(s) = sweep::load(text, "fuzz.toml", None, &Overrides::default()) else {
        return;
    };

    let _ = (s.name(), s.description(), s.fingerprint());
    let paths: Vec<String> = s.paths().iter().map(|p| p.to_string()).collect();
    assert!(!paths.is_empty(), "a sweep without an axis was accepted");
    let combinations = s.combinations();
    assert!((1..=MAX_COMBINATIONS).contains(&combinations));
    for c in 0..combinations {
        let values = s.values(c).expect("every combination has values");
        assert_eq!(values.len(), paths.len());
        if let Err(e) = s.experiment(c) {
            panic!("combination {c} was validated by load, yet: {e}");
        }
    }
    assert!(s.values(combinations).is_none());

    // Points: numbered combination then replicate; shards cover each point once.
    let len = s.len();
    assert!(len >= combinations as u64);
    for i in [0, 1, 2, len / 2, len.saturating_sub(1)] {
        if i < len {
            let p = s.point(i).expect("a point below len");
            assert_eq!(p.index, i);
            assert!(p.combination < combinations);
        }
    }
    assert!(s.point(len).is_none());
    let all: Vec<u64> = s.points(Shard::ALL).take(16).map(|p| p.index).collect();
    assert_eq!(all, (0..len.min(16)).collect::<Vec<_>>());
    let third = Shard { index: 1, count: 3 };
    for p in s.points(third).take(16) {
        assert!(third.contains(p.index));
    }
    let _ = sweep::ranges(&all);

    // CSV: the header, empty parts joined.
    let header = s.header();
    assert_eq!(header.len(), 3 + paths.len() + 8);
    let empty = s.csv(&[]).expect("a header writes");
    let joined = s
        .join([(0, empty.clone()), (1, empty.clone())])
        .expect("equal headers join");
    assert_eq!(joined, empty);

    // The resolved sweep loads as itself.
    match sweep::load(s.resolved(), "resolved.toml", None, &Overrides::default()) {
        Ok(again) => {
            assert_eq!(
                again.resolved(),
                s.resolved(),
                "resolving is not idempotent"
            );
            assert_eq!(again.fingerprint(), s.fingerprint());
            assert_eq!(again.len(), len);
        }
        Err(e) => panic!("the resolved sweep does not load: {e}\n{}", s.resolved()),
    }

    // Run the first point when it is cheap.
    let p = s.point(0).expect("a sweep has a point");
    let exp = s.experiment(p.combination).expect("checked above");
    if common::work(&exp) <= MAX_POINT_TICKS {
        let options = RunOptions {
            threads: Some(1),
            ..Default::default()
        };
        if let Ok(rows) = s.run_point(&p, &options, &mut VecSink::default(), &mut ()) {
            for row in &rows {
                assert_eq!(row.cells().len(), header.len(), "a row does not fit the header");
            }
            let _ = s.csv(&rows).expect("rows write");
        }
    }
});
