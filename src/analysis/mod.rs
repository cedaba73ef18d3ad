//! Group summaries of a phase: mean escape latency, its SEM, and failing subjects.

use std::collections::BTreeMap;

use statrs::statistics::Statistics;

use crate::experiment::Experiment;
use crate::record::TrialRecord;

/// One group's result in one phase. Latencies are first averaged per subject, so n is
/// the number of subjects and the SEM is across subjects.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSummary {
    /// Group name.
    pub group: String,
    /// Subjects.
    pub n: usize,
    /// Mean over subjects of each subject's mean latency, s.
    pub mean_latency_s: f64,
    /// Standard error of that mean, s.
    pub sem_latency_s: f64,
    /// Subjects meeting the experiment's failure criterion (0 if it has none).
    pub failing: usize,
    /// Each subject's mean latency, s, in subject order.
    pub subject_means: Vec<f64>,
    /// Each subject's number of failed trials, in subject order.
    pub subject_failures: Vec<u32>,
}

/// Summarizes `phase` for every group of `exp` from its records.
///
/// ```
/// use helplessness::{analysis, protocol};
/// let exp = protocol::triadic_dog(5);
/// let records = exp.run(1).unwrap();
/// let s = analysis::summarize(&exp, &records, "test");
/// assert_eq!(s.len(), 3);
/// assert_eq!(s[0].n, 5);
/// ```
pub fn summarize(exp: &Experiment, records: &[TrialRecord], phase: &str) -> Vec<GroupSummary> {
    let min_failures = exp
        .criterion
        .as_ref()
        .filter(|c| c.phase == phase)
        .map(|c| c.min_failures);
    // (group, subject) -> (sum of latencies, trials, failures)
    let mut per: BTreeMap<(&str, u32), (f64, u32, u32)> = BTreeMap::new();
    for r in records.iter().filter(|r| &*r.phase == phase) {
        let Some(l) = r.latency_s else { continue };
        let e = per.entry((&*r.group, r.subject)).or_default();
        e.0 += l;
        e.1 += 1;
        e.2 += u32::from(r.failed());
    }
    exp.groups
        .iter()
        .map(|g| {
            let rows: Vec<(f64, u32)> = per
                .range((g.name.as_str(), 0)..=(g.name.as_str(), u32::MAX))
                .map(|(_, &(sum, k, f))| (sum / f64::from(k), f))
                .collect();
            let means: Vec<f64> = rows.iter().map(|r| r.0).collect();
            let (mean, sem) = mean_sem(&means);
            GroupSummary {
                group: g.name.clone(),
                n: means.len(),
                mean_latency_s: mean,
                sem_latency_s: sem,
                failing: min_failures.map_or(0, |m| rows.iter().filter(|r| r.1 >= m).count()),
                subject_means: means,
                subject_failures: rows.iter().map(|r| r.1).collect(),
            }
        })
        .collect()
}

/// Mean and standard error of the mean (NaN when undefined).
///
/// ```
/// let (m, sem) = helplessness::analysis::mean_sem(&[1.0, 2.0, 3.0]);
/// assert_eq!(m, 2.0);
/// assert!((sem - (1.0f64 / 3.0).sqrt()).abs() < 1e-12);
/// ```
pub fn mean_sem(x: &[f64]) -> (f64, f64) {
    let mean = Statistics::mean(x);
    let sem = Statistics::std_dev(x) / (x.len() as f64).sqrt();
    (mean, sem)
}
