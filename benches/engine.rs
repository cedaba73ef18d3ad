//! Engine benchmarks: one whole triadic experiment per species.

use criterion::{Criterion, criterion_group, criterion_main};
use helplessness::{RunOptions, VecSink, protocol};

fn triadic(c: &mut Criterion) {
    let mut g = c.benchmark_group("triadic");
    g.sample_size(10);
    for exp in [protocol::triadic_rat(20), protocol::triadic_dog(20)] {
        let factory = exp.factory().unwrap();
        let options = RunOptions {
            threads: Some(1),
            ..RunOptions::default()
        };
        g.bench_function(format!("{} x20 per group, 1 thread", exp.name), |b| {
            b.iter(|| {
                let mut sink = VecSink::default();
                exp.run_with(7, &factory, &options, &mut sink).unwrap();
                sink.records.len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, triadic);
criterion_main!(benches);
