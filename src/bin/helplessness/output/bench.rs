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
