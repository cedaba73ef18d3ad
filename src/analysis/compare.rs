//! Comparisons between groups: the tests and effect sizes the validation uses, done
//! by statrs.

use rand::{Rng, RngExt};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, FisherSnedecor, Normal, StudentsT};
use statrs::function::gamma::ln_gamma;
use statrs::statistics::Statistics;
use statrs::stats_tests::f_oneway::f_oneway;
use statrs::stats_tests::{Alternative, NaNPolicy};

use super::GroupSummary;

/// U of `x`, its null mean and its tie-corrected null standard deviation; `None` for an
/// empty sample or a NaN. One sort of the pooled sample, O(n log n): statrs 0.19's
/// `mannwhitneyu` takes about 10 s for two groups of 100,000, too slow for the large
/// runs and sweeps the crate is for, and its exact method inverts the one-sided
/// alternatives (a perfectly separated 6 vs 6 gives p = 0.999 for `Greater`).
fn mann_whitney_u(x: &[f64], y: &[f64]) -> Option<RankSum> {
    if x.is_empty() || y.is_empty() || x.iter().chain(y).any(|v| v.is_nan()) {
        return None;
    }
    let mut pooled: Vec<(f64, bool)> = x
        .iter()
        .map(|&v| (v, true))
        .chain(y.iter().map(|&v| (v, false)))
        .collect();
    pooled.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let (n1, n2) = (x.len() as f64, y.len() as f64);
    let (mut rank_sum_x, mut ties) = (0.0, 0.0);
    let mut i = 0;
    while i < pooled.len() {
        let j = i + pooled[i..]
            .iter()
            .take_while(|p| p.0 == pooled[i].0)
            .count();
        // Tied values share the mean of the ranks i + 1 ..= j.
        let rank = (i + 1 + j) as f64 / 2.0;
        let in_x = pooled[i..j].iter().filter(|p| p.1).count() as f64;
        rank_sum_x += rank * in_x;
        let t = (j - i) as f64;
        ties += t * t * t - t;
        i = j;
    }
    Some(RankSum::new(rank_sum_x, n1, n2, ties))
}

/// U of the first sample and its null distribution under the normal approximation.
struct RankSum {
    u: f64,
    n1n2: f64,
    mean: f64,
    /// Tie-corrected.
    sd: f64,
}

impl RankSum {
    /// From the rank sum of the first of samples of `n1` and `n2` and the ties term
    /// Σ(t³ − t) over groups of tied values.
    fn new(rank_sum_x: f64, n1: f64, n2: f64, ties: f64) -> Self {
        let n = n1 + n2;
        RankSum {
            u: rank_sum_x - n1 * (n1 + 1.0) / 2.0,
            n1n2: n1 * n2,
            mean: n1 * n2 / 2.0,
            sd: (n1 * n2 / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)))).sqrt(),
        }
    }

    /// (U, two-sided p) with continuity correction.
    fn two_sided(&self) -> (f64, f64) {
        let big = self.u.max(self.n1n2 - self.u);
        let z = (big - self.mean - 0.5) / self.sd;
        (self.u, (2.0 * normal_sf(z)).min(1.0))
    }

    /// One-sided p that the first sample tends to be larger, with continuity correction.
    fn greater(&self) -> f64 {
        normal_sf((self.u - self.mean - 0.5) / self.sd)
    }
}

/// Standard normal upper tail.
fn normal_sf(z: f64) -> f64 {
    Normal::standard().sf(z)
}

/// One-sided Mann-Whitney U p-value that `x` tends to be larger than `y` (NaN for an
/// empty sample), by the normal approximation with continuity correction (tie-corrected),
/// which is accurate from about 8 per group.
///
/// ```
/// use helplessness::analysis::mann_whitney_greater;
/// let (high, low) = ([5.0, 6.0, 7.0, 8.0, 9.0, 10.0], [1.0, 2.0, 3.0, 4.0, 4.5, 4.8]);
/// assert!(mann_whitney_greater(&high, &low) < 0.01);
/// assert!(mann_whitney_greater(&low, &high) > 0.99);
/// ```
pub fn mann_whitney_greater(x: &[f64], y: &[f64]) -> f64 {
    mann_whitney_u(x, y).map_or(f64::NAN, |r| r.greater())
}

/// Cohen's d of `x` over `y`, with the pooled standard deviation.
///
/// ```
/// let d = helplessness::analysis::cohens_d(&[2.0, 3.0, 4.0], &[1.0, 2.0, 3.0]);
/// assert_eq!(d, 1.0);
/// ```
pub fn cohens_d(x: &[f64], y: &[f64]) -> f64 {
    cohens_d_described(Described::of(x), Described::of(y))
}

/// Fisher's exact test on failing subjects: p-value that group `a` fails more often
/// than group `b` (`Alternative::Greater`), or differs from it (`TwoSided`).
///
/// ```
/// use helplessness::analysis::{fisher_failures, GroupSummary};
/// use statrs::stats_tests::Alternative;
/// let group = |failing| GroupSummary { n: 20, failing, ..GroupSummary::default() };
/// assert!(fisher_failures(&group(15), &group(2), Alternative::Greater) < 1e-4);
/// // Fisher's lady tasting tea: 3 of 4 right; two-sided p = 0.4857, one-sided 0.2429.
/// let cups = |failing| GroupSummary { n: 4, ..group(failing) };
/// let two = fisher_failures(&cups(3), &cups(1), Alternative::TwoSided);
/// let one = fisher_failures(&cups(3), &cups(1), Alternative::Greater);
/// assert_eq!(format!("{two:.4} {one:.4}"), "0.4857 0.2429");
/// // Large groups: 515 of 1000 against 22 of 1000 (R's fisher.test: p = 6.02e-160).
/// let big = |failing| GroupSummary { n: 1000, ..group(failing) };
/// let p = fisher_failures(&big(515), &big(22), Alternative::TwoSided);
/// assert!((p / 6.024819e-160 - 1.0).abs() < 1e-5, "{p}");
/// ```
pub fn fisher_failures(a: &GroupSummary, b: &GroupSummary, alternative: Alternative) -> f64 {
    fisher_exact_2x2(
        a.failing.min(a.n) as u64,
        a.n as u64,
        b.failing.min(b.n) as u64,
        b.n as u64,
        alternative,
    )
}

/// Fisher's exact test of `x1` of `n1` against `x2` of `n2`, summed in log space so that
/// large groups neither overflow nor lose the tail (statrs 0.19's `fishers_exact` does
/// both beyond a few hundred subjects). Two-sided: the tables no more probable than the
/// one observed (relative tolerance 1e-7, as R's `fisher.test`).
fn fisher_exact_2x2(x1: u64, n1: u64, x2: u64, n2: u64, alternative: Alternative) -> f64 {
    if n1 == 0 || n2 == 0 {
        return f64::NAN;
    }
    let ln_choose = |n: u64, k: u64| {
        ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
    };
    let k = x1 + x2;
    let total = ln_choose(n1 + n2, k);
    let ln_p = |x: u64| ln_choose(n1, x) + ln_choose(n2, k - x) - total;
    let (lo, hi) = (k.saturating_sub(n2), k.min(n1));
    let observed = ln_p(x1);
    let terms: Vec<f64> = match alternative {
        Alternative::Greater => (x1..=hi).map(ln_p).collect(),
        Alternative::Less => (lo..=x1).map(ln_p).collect(),
        Alternative::TwoSided => (lo..=hi)
            .map(ln_p)
            .filter(|&l| l <= observed + 1e-7)
            .collect(),
    };
    let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = terms.iter().map(|l| (l - top).exp()).sum();
    (top + sum.ln()).exp().min(1.0)
}

/// Wilson score 95 % interval for `k` of `n`; NaN for both bounds when there is no
/// proportion (`n` = 0, or `k` > `n`).
///
/// ```
/// let (lo, hi) = helplessness::analysis::wilson(6, 8); // 6 of 8 yoked dogs failed
/// assert_eq!(format!("{lo:.2} {hi:.2}"), "0.41 0.93");
/// ```
pub fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 || k > n {
        return (f64::NAN, f64::NAN);
    }
    let (k, n, z) = (k as f64, n as f64, 1.959_963_984_540_054);
    let p = k / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    // The interval always contains p; clamping keeps rounding from saying otherwise.
    ((centre - half).clamp(0.0, p), (centre + half).clamp(p, 1.0))
}

/// Welch's unequal-variance t-test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Welch {
    /// t statistic (positive when `x` has the larger mean).
    pub t: f64,
    /// Welch-Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// Welch's t-test of `x` against `y` (NaN fields when either has fewer than two values
/// or both have no variance).
///
/// ```
/// // Wikipedia, "Welch's t-test", example 1: t = -2.46, df = 25.0, p = 0.021.
/// let a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
/// let a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
/// let w = helplessness::analysis::welch_t(&a1, &a2);
/// assert_eq!(format!("{:.2} {:.1} {:.3}", w.t, w.df, w.p), "-2.46 25.0 0.021");
/// ```
pub fn welch_t(x: &[f64], y: &[f64]) -> Welch {
    welch_t_described(Described::of(x), Described::of(y))
}

/// A sample known only by its size, mean and standard deviation: enough for Welch's
/// test, Cohen's d and the ANOVA, so that large runs need not keep every subject.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Described {
    /// Size.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Standard deviation (n − 1 denominator).
    pub sd: f64,
}

impl Described {
    /// Size, mean and standard deviation of `x`.
    ///
    /// ```
    /// let d = helplessness::analysis::Described::of(&[1.0, 2.0, 3.0]);
    /// assert_eq!((d.n, d.mean, d.sd), (3, 2.0, 1.0));
    /// ```
    pub fn of(x: &[f64]) -> Self {
        Described {
            n: x.len(),
            mean: Statistics::mean(x),
            sd: Statistics::std_dev(x),
        }
    }
}

/// [`welch_t`] from described samples.
///
/// ```
/// use helplessness::analysis::{Described, welch_t, welch_t_described};
/// let (a, b) = ([27.5, 21.0, 19.0, 23.6, 17.0], [27.1, 22.0, 20.8, 23.4, 23.4, 23.5]);
/// let w = welch_t_described(Described::of(&a), Described::of(&b));
/// assert!((w.p - welch_t(&a, &b).p).abs() < 1e-12);
/// ```
pub fn welch_t_described(x: Described, y: Described) -> Welch {
    let nan = Welch {
        t: f64::NAN,
        df: f64::NAN,
        p: f64::NAN,
    };
    if x.n < 2 || y.n < 2 {
        return nan;
    }
    let (nx, ny) = (x.n as f64, y.n as f64);
    let (vx, vy) = (x.sd * x.sd / nx, y.sd * y.sd / ny);
    let se2 = vx + vy;
    if se2 <= 0.0 {
        return nan;
    }
    let t = (x.mean - y.mean) / se2.sqrt();
    let df = se2 * se2 / (vx * vx / (nx - 1.0) + vy * vy / (ny - 1.0));
    let p = StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| 2.0 * d.cdf(-t.abs()));
    Welch { t, df, p }
}

/// [`cohens_d`] from described samples.
///
/// ```
/// use helplessness::analysis::{Described, cohens_d_described};
/// let d = cohens_d_described(Described::of(&[2.0, 3.0, 4.0]), Described::of(&[1.0, 2.0, 3.0]));
/// assert!((d - 1.0).abs() < 1e-12);
/// ```
pub fn cohens_d_described(x: Described, y: Described) -> f64 {
    let (nx, ny) = (x.n as f64, y.n as f64);
    let pooled = ((nx - 1.0) * x.sd * x.sd + (ny - 1.0) * y.sd * y.sd) / (nx + ny - 2.0);
    (x.mean - y.mean) / pooled.sqrt()
}

/// [`hedges_g`] from described samples.
///
/// ```
/// use helplessness::analysis::{Described, hedges_g, hedges_g_described};
/// let (x, y) = ([2.0, 3.0, 4.0, 6.0], [1.0, 2.0, 3.0]);
/// let g = hedges_g_described(Described::of(&x), Described::of(&y));
/// assert!((g - hedges_g(&x, &y)).abs() < 1e-12);
/// ```
pub fn hedges_g_described(x: Described, y: Described) -> f64 {
    let n = (x.n + y.n) as f64;
    cohens_d_described(x, y) * (1.0 - 3.0 / (4.0 * n - 9.0))
}

/// [`anova`] from described samples: (F, df between, df within, p).
///
/// ```
/// use helplessness::analysis::{Described, anova, anova_described};
/// let (a, b, c) = ([6.0, 8.0, 4.0, 5.0, 3.0, 4.0], [8.0, 12.0, 9.0, 11.0, 6.0, 8.0], [13.0, 9.0, 11.0, 8.0, 7.0, 12.0]);
/// let (f, _, _, p) = anova_described(&[Described::of(&a), Described::of(&b), Described::of(&c)]);
/// let exact = anova(&[&a, &b, &c]);
/// assert!((f - exact.0).abs() < 1e-9 && (p - exact.3).abs() < 1e-9);
/// ```
pub fn anova_described(groups: &[Described]) -> (f64, f64, f64, f64) {
    let nan = (f64::NAN, f64::NAN, f64::NAN, f64::NAN);
    let k = groups.len() as f64;
    let n: f64 = groups.iter().map(|g| g.n as f64).sum();
    if k < 2.0 || n <= k {
        return nan;
    }
    let grand = groups.iter().map(|g| g.n as f64 * g.mean).sum::<f64>() / n;
    let between: f64 = groups
        .iter()
        .map(|g| g.n as f64 * (g.mean - grand).powi(2))
        .sum();
    let within: f64 = groups
        .iter()
        .map(|g| (g.n as f64 - 1.0) * g.sd * g.sd)
        .sum();
    let (df1, df2) = (k - 1.0, n - k);
    let f = (between / df1) / (within / df2);
    match FisherSnedecor::new(df1, df2) {
        Ok(dist) if f.is_finite() => (f, df1, df2, dist.sf(f)),
        _ => nan,
    }
}

/// Two-sided Mann-Whitney U test on samples given as counts in the same equal-width
/// bins: exactly the test on the values rounded to their bins (values sharing a bin are
/// ties). For samples too large to keep, binned finely enough that rounding moves few
/// ranks. (U of `x`, p).
///
/// ```
/// use helplessness::analysis::{mann_whitney, mann_whitney_binned};
/// // Values that are whole numbers, in unit bins: the binned test is the exact one.
/// let (x, y) = ([1.0, 2.0, 2.0, 3.0], [2.0, 3.0, 3.0]);
/// let (xc, yc) = ([0, 1, 2, 1], [0, 0, 1, 2]);
/// assert_eq!(mann_whitney_binned(&xc, &yc), mann_whitney(&x, &y));
/// ```
pub fn mann_whitney_binned(x: &[u32], y: &[u32]) -> (f64, f64) {
    let (n1, n2): (f64, f64) = (
        x.iter().map(|&c| f64::from(c)).sum(),
        y.iter().map(|&c| f64::from(c)).sum(),
    );
    if n1 == 0.0 || n2 == 0.0 || x.len() != y.len() {
        return (f64::NAN, f64::NAN);
    }
    let (mut below, mut rank_sum_x, mut ties) = (0.0, 0.0, 0.0);
    for (&cx, &cy) in x.iter().zip(y) {
        let t = f64::from(cx) + f64::from(cy);
        if t == 0.0 {
            continue;
        }
        rank_sum_x += f64::from(cx) * (below + (t + 1.0) / 2.0);
        ties += t * t * t - t;
        below += t;
    }
    RankSum::new(rank_sum_x, n1, n2, ties).two_sided()
}

/// Holm's step-down adjustment of `p` for multiple comparisons, in the input order. A
/// p that is NaN (no test could be made, e.g. a group of one) stays NaN and is not
/// counted among the comparisons.
///
/// ```
/// let adjusted = helplessness::analysis::holm(&[0.01, 0.04, 0.03]);
/// assert_eq!(adjusted, vec![0.03, 0.06, 0.06]);
/// let some = helplessness::analysis::holm(&[0.01, f64::NAN, 0.03]);
/// assert!(some[1].is_nan());
/// assert_eq!((some[0], some[2]), (0.02, 0.03));
/// ```
pub fn holm(p: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    let m = order.len();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut adjusted = vec![f64::NAN; p.len()];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        let value = ((m - rank) as f64 * p[i]).min(1.0);
        running = running.max(value);
        adjusted[i] = running;
    }
    adjusted
}

/// Hedges' g: Cohen's d corrected for small-sample bias, J = 1 − 3 / (4(n1 + n2) − 9).
///
/// ```
/// let g = helplessness::analysis::hedges_g(&[2.0, 3.0, 4.0], &[1.0, 2.0, 3.0]);
/// assert!((g - 1.0 * (1.0 - 3.0 / 15.0)).abs() < 1e-12);
/// ```
pub fn hedges_g(x: &[f64], y: &[f64]) -> f64 {
    hedges_g_described(Described::of(x), Described::of(y))
}

/// Percentile bootstrap 95 % confidence interval of Hedges' g: `resamples` resamples of
/// each group with replacement, drawn from `rng` (seed it for reproducible intervals).
///
/// ```
/// use rand::SeedableRng;
/// let x: Vec<f64> = (0..40).map(|i| 10.0 + f64::from(i % 7)).collect();
/// let y: Vec<f64> = (0..40).map(|i| 8.0 + f64::from(i % 5)).collect();
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
/// let (lo, hi) = helplessness::analysis::hedges_g_ci(&x, &y, 2000, &mut rng);
/// let g = helplessness::analysis::hedges_g(&x, &y);
/// assert!(lo < g && g < hi);
/// ```
pub fn hedges_g_ci<R: Rng + ?Sized>(
    x: &[f64],
    y: &[f64],
    resamples: usize,
    rng: &mut R,
) -> (f64, f64) {
    if x.len() < 2 || y.len() < 2 || resamples == 0 {
        return (f64::NAN, f64::NAN);
    }
    // A resample's mean and sum of squares from sums of its values' deviations from
    // their sample's mean: one pass, no division per value, no copy (and precise, the
    // deviations being small beside the values).
    let deviations = |v: &[f64]| {
        let mean = Statistics::mean(v);
        (mean, v.iter().map(|x| x - mean).collect::<Vec<_>>())
    };
    let ((mx, dx), (my, dy)) = (deviations(x), deviations(y));
    let mut resample = |d: &[f64]| {
        let (mut sum, mut squares) = (0.0, 0.0);
        for _ in 0..d.len() {
            let v = d[rng.random_range(0..d.len())];
            sum += v;
            squares += v * v;
        }
        let n = d.len() as f64;
        (sum / n, squares - sum * sum / n)
    };
    let n = (x.len() + y.len()) as f64;
    let mut gs = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let ((shift_x, ss_x), (shift_y, ss_y)) = (resample(&dx), resample(&dy));
        let pooled = ((ss_x + ss_y) / (n - 2.0)).sqrt();
        let g = ((mx + shift_x) - (my + shift_y)) / pooled * (1.0 - 3.0 / (4.0 * n - 9.0));
        if g.is_finite() {
            gs.push(g);
        }
    }
    if gs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    gs.sort_by(f64::total_cmp);
    let at = |q: f64| gs[((q * (gs.len() - 1) as f64).round() as usize).min(gs.len() - 1)];
    (at(0.025), at(0.975))
}

/// Normal-theory 95 % confidence interval of Hedges' g (Hedges & Olkin 1985):
/// g ± 1.96·SE, SE² = (n1 + n2)/(n1·n2) + g²/(2(n1 + n2)). For large samples it agrees
/// with the percentile bootstrap and costs nothing, where the bootstrap's cost grows
/// with resamples × subjects.
///
/// ```
/// use helplessness::analysis::{hedges_g_ci, hedges_g_ci_normal};
/// use rand::SeedableRng;
/// let x: Vec<f64> = (0..4000).map(|i| 10.0 + f64::from(i % 7)).collect();
/// let y: Vec<f64> = (0..4000).map(|i| 8.0 + f64::from(i % 5)).collect();
/// let (lo, hi) = hedges_g_ci_normal(&x, &y);
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
/// let (b_lo, b_hi) = hedges_g_ci(&x, &y, 2000, &mut rng);
/// assert!((lo - b_lo).abs() < 0.01 && (hi - b_hi).abs() < 0.01);
/// ```
pub fn hedges_g_ci_normal(x: &[f64], y: &[f64]) -> (f64, f64) {
    if x.len() < 2 || y.len() < 2 {
        return (f64::NAN, f64::NAN);
    }
    hedges_g_ci_described(hedges_g(x, y), x.len(), y.len())
}

/// [`hedges_g_ci_normal`] for an effect size `g` between samples of `n1` and `n2`.
///
/// ```
/// let (lo, hi) = helplessness::analysis::hedges_g_ci_described(0.5, 100, 100);
/// // SE = sqrt(200/10,000 + 0.25/400) = 0.1436.
/// assert!((lo - (0.5 - 1.96 * 0.1436)).abs() < 1e-3 && (hi - (0.5 + 1.96 * 0.1436)).abs() < 1e-3);
/// ```
pub fn hedges_g_ci_described(g: f64, n1: usize, n2: usize) -> (f64, f64) {
    let (n1, n2) = (n1 as f64, n2 as f64);
    let se = ((n1 + n2) / (n1 * n2) + g * g / (2.0 * (n1 + n2))).sqrt();
    let z = Normal::standard().inverse_cdf(0.975);
    (g - z * se, g + z * se)
}

/// One-way ANOVA across groups: (F, df between, df within, p); NaN when undefined.
///
/// ```
/// // StatsDirect's worked example: F = 9.3, p = 0.002.
/// let a = [6.0, 8.0, 4.0, 5.0, 3.0, 4.0];
/// let b = [8.0, 12.0, 9.0, 11.0, 6.0, 8.0];
/// let c = [13.0, 9.0, 11.0, 8.0, 7.0, 12.0];
/// let (f, df1, df2, p) = helplessness::analysis::anova(&[&a, &b, &c]);
/// assert_eq!(format!("{f:.1} {df1} {df2} {p:.3}"), "9.3 2 15 0.002");
/// // A value that is not finite gives no test: NaN throughout.
/// assert!(helplessness::analysis::anova(&[&a, &[1.0, f64::INFINITY]]).0.is_nan());
/// ```
pub fn anova(groups: &[&[f64]]) -> (f64, f64, f64, f64) {
    let samples: Vec<Vec<f64>> = groups.iter().map(|g| g.to_vec()).collect();
    let n: usize = groups.iter().map(|g| g.len()).sum();
    let k = groups.len();
    // statrs's F distribution panics on an infinite statistic: no test on such data.
    if groups.iter().flat_map(|g| g.iter()).any(|x| !x.is_finite()) {
        return (f64::NAN, f64::NAN, f64::NAN, f64::NAN);
    }
    match f_oneway(samples, NaNPolicy::Error) {
        Ok((f, p)) => (f, (k - 1) as f64, (n - k) as f64, p),
        Err(_) => (f64::NAN, f64::NAN, f64::NAN, f64::NAN),
    }
}

/// Two-sided Mann-Whitney U test (normal approximation with continuity correction,
/// tie-corrected): (U of `x`, p).
///
/// ```
/// // SciPy's documented example (method "asymptotic"): U = 17, p = 0.11134688653314041.
/// let (u, p) = helplessness::analysis::mann_whitney(&[19.0, 22.0, 16.0, 29.0, 24.0], &[20.0, 11.0, 17.0, 12.0]);
/// assert_eq!((u, format!("{p:.6}")), (17.0, "0.111347".to_string()));
/// // With ties, SciPy gives U = 3, p = 0.3397277758660979.
/// let (u, p) = helplessness::analysis::mann_whitney(&[1.0, 2.0, 2.0, 3.0], &[2.0, 3.0, 3.0]);
/// assert_eq!((u, format!("{p:.6}")), (3.0, "0.339728".to_string()));
/// ```
pub fn mann_whitney(x: &[f64], y: &[f64]) -> (f64, f64) {
    mann_whitney_u(x, y).map_or((f64::NAN, f64::NAN), |r| r.two_sided())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bootstrap_intervals_are_those_of_copied_resamples() {
        use rand::SeedableRng;
        // Latency-like samples: a ceiling at 30 s and a spread of short escapes.
        let x: Vec<f64> = (0..900)
            .map(|i| (f64::from(i) * 0.37) % 30.0 + 0.5)
            .collect();
        let y: Vec<f64> = (0..700)
            .map(|i| (f64::from(i) * 0.11) % 12.0 + 1.5)
            .collect();
        let fast = hedges_g_ci(&x, &y, 500, &mut rand_chacha::ChaCha8Rng::seed_from_u64(3));
        // The same draws, each resample copied out and described.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut gs: Vec<f64> = (0..500)
            .map(|_| {
                let bx: Vec<f64> = x.iter().map(|_| x[rng.random_range(0..x.len())]).collect();
                let by: Vec<f64> = y.iter().map(|_| y[rng.random_range(0..y.len())]).collect();
                hedges_g(&bx, &by)
            })
            .collect();
        gs.sort_by(f64::total_cmp);
        let at = |q: f64| gs[(q * 499.0_f64).round() as usize];
        assert!((fast.0 - at(0.025)).abs() < 1e-12 && (fast.1 - at(0.975)).abs() < 1e-12);
        assert!(fast.1 - fast.0 > 0.05, "{fast:?}");
    }

    #[test]
    fn fisher_matches_exact_sums_on_large_groups() {
        // Reference values: the hypergeometric sums with exact log-factorials (R's
        // fisher.test agrees to the digits shown).
        for (x1, n1, x2, n2, p) in [
            (162, 300, 9, 300, 1.8576606266330766e-49),
            (515, 1000, 13, 1000, 1.1471741407999644e-171),
            (515, 1000, 22, 1000, 6.024819003982774e-160),
            (3, 4, 1, 4, 0.48571428571428493),
        ] {
            let got = fisher_exact_2x2(x1, n1, x2, n2, Alternative::TwoSided);
            assert!(
                (got / p - 1.0).abs() < 1e-6,
                "{x1}/{n1} vs {x2}/{n2}: {got} != {p}"
            );
        }
        // Equal groups: p = 1.
        assert_eq!(
            fisher_exact_2x2(50, 100, 50, 100, Alternative::TwoSided),
            1.0
        );
    }

    /// 60 and 45 exponential draws rounded to 0.1 (many ties), against SciPy 1.x
    /// `mannwhitneyu(x, y, method="asymptotic")`: U = 1201.5, two-sided p =
    /// 0.3377371078556932, greater p = 0.832758481945584.
    #[test]
    fn mann_whitney_with_ties_matches_scipy() {
        let x = [
            3.2, 0.9, 16.1, 1.1, 0.3, 5.4, 1.5, 1.7, 0.1, 2.3, 3.1, 0.7, 5.0, 0.6, 2.4, 0.4, 2.8,
            1.4, 2.1, 7.9, 3.3, 2.7, 8.5, 6.1, 3.5, 1.0, 4.3, 0.5, 25.3, 0.7, 7.4, 5.7, 1.0, 5.4,
            0.1, 4.1, 3.6, 0.2, 3.3, 11.3, 2.4, 1.7, 1.8, 3.5, 1.6, 0.8, 3.1, 4.3, 2.4, 6.7, 0.4,
            1.0, 0.4, 0.1, 1.9, 2.6, 6.3, 2.1, 0.6, 0.0,
        ];
        let y = [
            1.1, 2.1, 5.0, 1.1, 3.2, 1.3, 10.2, 22.7, 0.7, 3.0, 4.3, 0.6, 0.3, 5.5, 8.1, 3.0, 2.6,
            2.1, 2.7, 9.1, 2.2, 5.1, 0.3, 9.5, 1.0, 5.7, 1.3, 0.5, 2.4, 3.0, 0.1, 1.0, 1.0, 2.7,
            6.4, 1.5, 4.4, 7.9, 2.5, 0.7, 14.3, 9.7, 2.6, 3.9, 0.6,
        ];
        let (u, p) = mann_whitney(&x, &y);
        assert_eq!(u, 1201.5);
        // statrs's normal tail and SciPy's differ in the last digits.
        assert!((p - 0.3377371078556932).abs() < 1e-9, "{p}");
        let greater = mann_whitney_greater(&x, &y);
        assert!((greater - 0.832758481945584).abs() < 1e-9, "{greater}");
    }
}
