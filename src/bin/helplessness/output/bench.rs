//! `bench`: throughput and peak memory of the engine on this machine.

use std::time::Instant;

use super::peak_memory_mib;
use anyhow::Result;
use helplessness::analysis::Summary;
use helplessness::{Error, RunOptions, Sink, TrialRecord};

/// Counts what a run simulates while summarizing it.
struct Throughput {
    summary: Summary,
    trials: u64,
    shock_s: f64,
}

impl Sink for Throughput {
    fn write(&mut self, r: &TrialRecord) -> Result<(), Error> {
        self.trials += 1;
        self.shock_s += r.shock_s;
        self.summary.write(r)
    }
}

/// `helplessness bench`: simulated subject-trials and shock-seconds per second for
/// triadic-rat under `theory`, single-threaded and on all cores, and peak memory.
pub fn bench(subjects: u32, theory: &str) -> Result<()> {
    let rat = helplessness::protocol::triadic_rat(subjects);
    let (exp, _) = rat.with_theory(helplessness::Theory::named(
        theory,
        helplessness::Species::Rat,
    )?);
    let factory = exp.factory()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "triadic-rat under the {theory} theory, {subjects} subjects per group ({} subjects), seed 1",
        3 * u64::from(subjects)
    );
    for threads in [1, cores] {
        let mut sink = Throughput {
            summary: Summary::new(&exp),
            trials: 0,
            shock_s: 0.0,
        };
        let options = RunOptions {
            threads: Some(threads),
            ..RunOptions::default()
        };
        let clock = Instant::now();
        exp.runner(1)
            .minds(&factory)
            .options(&options)
            .into_sink(&mut sink)?;
        let s = clock.elapsed().as_secs_f64();
        println!(
            "  {threads} thread(s): {s:.2} s, {:.0} subject-trials/s, {:.0} shock-seconds/s",
            sink.trials as f64 / s,
            sink.shock_s / s
        );
    }
    println!("  peak memory: {:.0} MiB", peak_memory_mib());
    Ok(())
}

/// `helplessness bench --life`: `people` people living a year of daily opportunities in
/// five domains (1,825 each), summaries only, single-threaded and on all cores, and
/// peak memory.
pub fn bench_life(people: u32) -> Result<()> {
    use helplessness::life::{Life, LifeGroup, LifePhase, LifeStudy, Opportunities};
    let year = ["work", "school", "relationships", "health", "home"]
        .iter()
        .fold(LifePhase::new("year", 365), |phase, d| {
            phase.with(Opportunities::new(d, 7.0, 0.7, 0.05))
        });
    let study = LifeStudy {
        name: "bench".into(),
        theory: helplessness::Theory::named("circuit", helplessness::Species::Human)?,
        variation: vec![],
        groups: vec![LifeGroup {
            name: "people".into(),
            subjects: people,
            params: Default::default(),
            variation: vec![],
            life: Life::new(vec![year]),
        }],
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "a year of daily opportunities in 5 domains, circuit theory, {people} people, seed 1, summaries only"
    );
    for threads in [1, cores] {
        let options = RunOptions {
            threads: Some(threads),
            ..RunOptions::default()
        };
        let clock = Instant::now();
        let summary = helplessness::life::run(&study, 1, &options, &mut (), None)?;
        let s = clock.elapsed().as_secs_f64();
        let opportunities: u64 = summary.groups[0]
            .cells
            .iter()
            .map(|c| c.opportunities)
            .sum();
        println!(
            "  {threads} thread(s): {s:.2} s, {:.0} person-years/s, {:.0} opportunities/s",
            f64::from(people) / s,
            opportunities as f64 / s
        );
    }
    println!("  peak memory: {:.1} MiB", peak_memory_mib());
    Ok(())
}
