//! Helpers shared by the fuzz targets (each target includes this module).
#![allow(dead_code)]

use helplessness::analysis::{PhaseStats, Summary};
use helplessness::{Contingency, Error, Experiment, Sink, TrialRecord};

/// Most simulated ticks a target spends on one input: runs above it are skipped (a
/// long run is no finding, and a slow target finds nothing).
pub const MAX_TICKS: f64 = 2e6;

/// An upper bound of the ticks a run of `exp` simulates: over phases, trials x the
/// longest a shock can last (cut-off plus escape delay, or a fixed duration) / dt,
/// x every subject of every group. NaN or infinite for nonsense, which callers treat
/// as too large.
pub fn work(exp: &Experiment) -> f64 {
    let subjects: f64 = exp.groups.iter().map(|g| f64::from(g.subjects)).sum();
    let mut total = 0.0;
    for phase in &exp.phases {
        let s = &phase.schedule;
        let mut longest = s.cutoff_s;
        for g in &exp.groups {
            match exp.contingency(g, phase) {
                Contingency::Fixed { duration_s } => longest = longest.max(*duration_s),
                Contingency::Escapable { delay_s, .. } => {
                    longest = longest.max(s.cutoff_s + delay_s.max(0.0))
                }
                _ => {}
            }
        }
        total += f64::from(s.trials()) * (longest / exp.dt_s + 1.0) * subjects;
    }
    total
}

/// Whether a run of `exp` is cheap enough to simulate here.
pub fn cheap(exp: &Experiment) -> bool {
    work(exp) <= MAX_TICKS // false for NaN
}

/// Sends every record to each sink in turn.
pub struct Tee<'a>(pub Vec<&'a mut dyn Sink>);

impl Sink for Tee<'_> {
    fn start(&mut self, variables: &'static [helplessness::Variable]) -> Result<(), Error> {
        for s in &mut self.0 {
            s.start(variables)?;
        }
        Ok(())
    }
    fn write(&mut self, r: &TrialRecord) -> Result<(), Error> {
        for s in &mut self.0 {
            s.write(r)?;
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<(), Error> {
        for s in &mut self.0 {
            s.finish()?;
        }
        Ok(())
    }
}

/// Records compared field by field with NaN equal to NaN and 0.0 apart from -0.0
/// (their `Debug` forms): what a lossless round trip through a file must keep.
pub fn same_records(a: &[TrialRecord], b: &[TrialRecord]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| format!("{x:?}") == format!("{y:?}"))
}

/// The statistics of every scored phase, as a run's report computes them, and the
/// report itself; nothing may panic whatever the records were.
pub fn analyse(exp: &Experiment, summary: &Summary, seed: u64) {
    let _ = summary.trial_rows();
    for g in summary.group_names() {
        for p in summary.phase_names() {
            let _ = summary.trace(&g, &p, "h");
        }
    }
    let stats: Vec<PhaseStats> = exp
        .scored_phases()
        .into_iter()
        .map(|phase| {
            let _ = summary.groups(phase);
            PhaseStats::compute(summary, phase, seed)
        })
        .collect();
    let _ = helplessness::analysis::markdown(exp, "", "", seed, &stats, &[]);
}
