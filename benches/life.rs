//! The day clock: one person-year of daily opportunities in five domains (about 1,040
//! opportunities), lived by the circuit; the cost per opportunity is this over 1,042.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use helplessness::life::{Life, LifePhase, Opportunities};
use helplessness::{CircuitMind, CircuitParams, SubjectId};

fn year() -> Life {
    Life::new(vec![
        LifePhase::new("year", 365)
            .with(Opportunities::new("work", 5.0, 0.7, 0.0))
            .with(Opportunities::new("school", 3.0, 0.7, 0.0))
            .with(Opportunities::new("relationships", 7.0, 0.7, 0.1))
            .with(Opportunities::new("health", 3.0, 0.6, 0.1))
            .with(Opportunities::new("hobby", 2.0, 0.8, 0.0)),
    ])
}

fn person_year(c: &mut Criterion) {
    let life = year();
    let mut i = 0;
    c.bench_function("life/person-year, 5 domains", |b| {
        b.iter(|| {
            i += 1;
            let mut person = CircuitMind::new(CircuitParams::human()).unwrap();
            let mut rng = SubjectId::new("bench", i).rng(1);
            let mut opportunities = 0;
            life.live(&mut person, &mut rng, |w| opportunities += w.opportunities);
            black_box(opportunities)
        })
    });
}

criterion_group!(benches, person_year);
criterion_main!(benches);
