//! Life files: text -> `protocol::load_life`; an accepted study, shrunk to one person
//! per group, is lived when it is small, twice on one thread (the summaries, or the
//! errors, must agree), its summary written as CSV and compared group by group at every
//! phase's end. Returned errors are fine; a panic or a failed assertion is a finding.
#![no_main]

use helplessness::protocol;
use helplessness::{RunOptions, life};
use libfuzzer_sys::fuzz_target;

/// Most opportunities a fuzzed study may cost: a person-year of daily life in five
/// domains is 1,825.
const MAX_OPPORTUNITIES: f64 = 2e5;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = protocol::is_life(text);
    let Ok(loaded) = protocol::load_life(text, "fuzz.toml") else {
        return;
    };
    let study = loaded.study.with_subjects(1);
    let cost: f64 = study
        .groups
        .iter()
        .flat_map(|g| &g.life.phases)
        .flat_map(|p| p.opportunities.iter().map(move |o| o.per_week / 7.0 * f64::from(p.days)))
        .sum();
    if cost > MAX_OPPORTUNITIES {
        return;
    }
    let options = RunOptions {
        threads: Some(1),
        ..RunOptions::default()
    };
    let mut rows = 0u64;
    let mut count = |_: &life::PersonWeek| {
        rows += 1;
        Ok(())
    };
    // A valid file can still fail to run (a per-person draw outside its parameter's
    // range): an error is an answer, and the same seed gives the same one.
    let first = life::run(&study, loaded.file.seed, &options, &mut (), Some(&mut count));
    let again = life::run(&study, loaded.file.seed, &options, &mut (), None);
    let (first, again) = match (first, again) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string(), "the same seed fails differently");
            return;
        }
        (a, b) => panic!("the same seed runs once and fails once: {:?} / {:?}", a.err(), b.err()),
    };
    let csv = first.to_csv().expect("CSV in memory");
    assert_eq!(csv, again.to_csv().expect("CSV in memory"), "the same seed differs");
    assert_eq!(
        rows,
        first.groups.iter().map(|g| g.cells.len() as u64).sum::<u64>(),
        "one record per person, week and domain"
    );
    let _ = first.phase_ends(&study.phases());
});
