//! Comparisons between groups: the tests and effect sizes the validation uses, done
//! by statrs.

use statrs::stats_tests::Alternative;
use statrs::stats_tests::fisher::fishers_exact;
use statrs::stats_tests::mannwhitneyu::{MannWhitneyUMethod, mannwhitneyu};

use super::GroupSummary;

/// One-sided Mann-Whitney U p-value that `x` tends to be larger than `y` (NaN for an
/// empty sample), by the normal approximation with continuity correction (tie-corrected),
/// which is accurate from about 8 per group. statrs 0.19's exact method inverts the
/// one-sided alternatives (a perfectly separated 6 vs 6 gives p = 0.999 for `Greater`),
/// so it is not used.
///
/// ```
/// use helplessness::analysis::mann_whitney_greater;
/// let (high, low) = ([5.0, 6.0, 7.0, 8.0, 9.0, 10.0], [1.0, 2.0, 3.0, 4.0, 4.5, 4.8]);
/// assert!(mann_whitney_greater(&high, &low) < 0.01);
/// assert!(mann_whitney_greater(&low, &high) > 0.99);
/// ```
pub fn mann_whitney_greater(x: &[f64], y: &[f64]) -> f64 {
    mannwhitneyu(
        x,
        y,
        MannWhitneyUMethod::AsymptoticInclContinuityCorrection,
        Alternative::Greater,
    )
    .map_or(f64::NAN, |r| r.1)
}

/// Cohen's d of `x` over `y`, with the pooled standard deviation.
///
/// ```
/// let d = helplessness::analysis::cohens_d(&[2.0, 3.0, 4.0], &[1.0, 2.0, 3.0]);
/// assert_eq!(d, 1.0);
/// ```
pub fn cohens_d(x: &[f64], y: &[f64]) -> f64 {
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let ss = |v: &[f64], m: f64| v.iter().map(|a| (a - m).powi(2)).sum::<f64>();
    let (mx, my) = (mean(x), mean(y));
    let df = (x.len() + y.len()) as f64 - 2.0;
    (mx - my) / ((ss(x, mx) + ss(y, my)) / df).sqrt()
}

/// Fisher's exact test on failing subjects: p-value that group `a` fails more often
/// than group `b` (`Alternative::Greater`), or differs from it (`TwoSided`).
///
/// ```
/// use helplessness::analysis::{fisher_failures, GroupSummary};
/// use statrs::stats_tests::Alternative;
/// let group = |failing| GroupSummary {
///     group: "g".into(), n: 20, mean_latency_s: 0.0, sem_latency_s: 0.0, failing,
///     subject_means: vec![], subject_failures: vec![], mean_freezing: 0.0,
///     subject_freezing: vec![],
/// };
/// assert!(fisher_failures(&group(15), &group(2), Alternative::Greater) < 1e-4);
/// ```
pub fn fisher_failures(a: &GroupSummary, b: &GroupSummary, alternative: Alternative) -> f64 {
    let table = [
        a.failing as u64,
        a.n.saturating_sub(a.failing) as u64,
        b.failing as u64,
        b.n.saturating_sub(b.failing) as u64,
    ];
    fishers_exact(&table, alternative).unwrap_or(f64::NAN)
}
