//! The same protocol and seed give byte-identical output on any number of threads and
//! with any batch size; different seeds give different output.

use helplessness::{CsvSink, Experiment, RunOptions, protocol};

fn csv_bytes(exp: &Experiment, seed: u64, threads: usize, batch: usize) -> Vec<u8> {
    let mut sink = CsvSink::new(Vec::new()).unwrap();
    let options = RunOptions {
        threads: Some(threads),
        batch,
        ..RunOptions::default()
    };
    exp.runner(seed)
        .options(&options)
        .into_sink(&mut sink)
        .unwrap();
    sink.into_inner().unwrap()
}

#[test]
fn identical_bytes_for_one_and_two_threads_and_any_batch() {
    for exp in [protocol::triadic_rat(40), protocol::triadic_dog(40)] {
        let one = csv_bytes(&exp, 7, 1, 256);
        assert_eq!(one, csv_bytes(&exp, 7, 2, 256), "{}", exp.name);
        assert_eq!(one, csv_bytes(&exp, 7, 2, 3), "{}", exp.name);
        assert_eq!(one, csv_bytes(&exp, 7, 4, 1), "{}", exp.name);
        assert_ne!(one, csv_bytes(&exp, 8, 1, 256), "{}", exp.name);
    }
}

#[test]
fn a_subject_does_not_depend_on_group_size() {
    // Streams come from (seed, group, index) alone: subject 3 of a 10-subject run is
    // subject 3 of a 40-subject run.
    let small = protocol::triadic_dog(10).run(5).unwrap();
    let large = protocol::triadic_dog(40).run(5).unwrap();
    let pick = |rs: &[helplessness::TrialRecord]| {
        rs.iter()
            .filter(|r| r.subject == 3)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(pick(&small), pick(&large));
}

#[test]
fn groups_are_not_clones() {
    // Per-subject parameter draws: naive subjects start with different expectations.
    let records = protocol::triadic_rat(20).run(1).unwrap();
    let mut g: Vec<f64> = records
        .iter()
        .filter(|r| &*r.group == "no-shock" && r.trial == 1 && &*r.phase == "test")
        .map(|r| r.state.get("G").unwrap())
        .collect();
    g.sort_by(f64::total_cmp);
    g.dedup();
    assert_eq!(g.len(), 20);
}

/// Runs inside a user's parallel loop on the shared pool (several batches each, so the
/// runner's own overlap of simulation and sink would be in play) finish, and give the
/// same bytes as a run on its own.
#[test]
fn runs_inside_a_parallel_loop_finish_with_the_same_output() {
    use rayon::prelude::*;
    let exp = protocol::triadic_rat(12);
    let alone = csv_bytes(&exp, 3, 1, 256);
    let outputs: Vec<Vec<u8>> = (0..6)
        .into_par_iter()
        .map(|_| {
            let mut sink = CsvSink::new(Vec::new()).unwrap();
            let options = RunOptions {
                threads: None,
                batch: 2,
                ..RunOptions::default()
            };
            exp.runner(3)
                .options(&options)
                .into_sink(&mut sink)
                .unwrap();
            sink.into_inner().unwrap()
        })
        .collect();
    assert!(outputs.iter().all(|o| *o == alone));
}
