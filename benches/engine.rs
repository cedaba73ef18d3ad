//! Engine benchmarks: one test trial, one subject through triadic-rat, the whole
//! triadic-rat at 1,000 subjects per group, and the summary statistics over 1,000,000
//! records.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use helplessness::analysis::Summary;
use helplessness::{
    Apparatus, Block, Contingency, Experiment, Group, Iti, Phase, Requirement, RunOptions,
    Schedule, Sink, TrialRecord, VecSink, protocol,
};

fn one_thread() -> RunOptions {
    RunOptions {
        threads: Some(1),
        ..RunOptions::default()
    }
}

/// A single 0.6 mA FR-2 shuttle-box trial for one naive rat.
fn one_trial() -> Experiment {
    Experiment::new("one-trial", helplessness::CircuitParams::rat())
        .group(Group::new("rat", 1))
        .phase(Phase::new(
            "test",
            Apparatus::ShuttleBox,
            Schedule::new(
                vec![Block::new(1, 0.6).with_ratio(2)],
                Iti::Fixed { s: 60.0 },
                30.0,
            ),
            Contingency::escapable(Requirement::FixedRatio { ratio: 2 }),
        ))
}

fn engine(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    let trial = one_trial();
    let factory = trial.factory().unwrap();
    g.bench_function("one test trial", |b| {
        b.iter(|| {
            let mut sink = VecSink::default();
            trial
                .run_with(1, &factory, &one_thread(), &mut sink)
                .unwrap();
            sink.records.len()
        })
    });
    // One yoke set: an escapable rat, its yoked partner and a home-cage rat.
    let one = protocol::triadic_rat(1);
    let factory = one.factory().unwrap();
    g.bench_function("one triadic-rat yoke set (3 subjects)", |b| {
        b.iter(|| {
            let mut sink = VecSink::default();
            one.run_with(1, &factory, &one_thread(), &mut sink).unwrap();
            sink.records.len()
        })
    });
    g.sample_size(10);
    let big = protocol::triadic_rat(1000);
    let factory = big.factory().unwrap();
    for threads in [1, 2] {
        let options = RunOptions {
            threads: Some(threads),
            ..RunOptions::default()
        };
        g.bench_function(
            format!("triadic-rat 1000 per group, {threads} thread(s)"),
            |b| {
                b.iter(|| {
                    let mut summary = Summary::new(&big);
                    big.run_with(7, &factory, &options, &mut summary).unwrap();
                })
            },
        );
    }
    g.finish();
}

fn statistics(c: &mut Criterion) {
    // About 1,000,000 records: 3 groups x 3,086 subjects x 107 triadic-rat trials.
    let exp = protocol::triadic_rat(1);
    let records: Vec<TrialRecord> = exp.run(1).unwrap();
    let scaled = protocol::triadic_rat(3_086);
    let mut g = c.benchmark_group("statistics");
    g.sample_size(10);
    g.bench_function("summary over 1,000,000 records", |b| {
        b.iter_batched(
            || Summary::new(&scaled),
            |mut summary| {
                for subject in 0..3_086u32 {
                    for r in &records {
                        let mut r = r.clone();
                        r.subject = subject;
                        summary.write(&r).unwrap();
                    }
                }
                summary
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, engine, statistics);
criterion_main!(benches);
