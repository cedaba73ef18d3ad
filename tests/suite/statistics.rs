//! Between-group statistics: reproducible from the seed, and consistent with each other.

use helplessness::analysis::{PhaseStats, Summary, cohens_d, hedges_g};
use helplessness::{Sink, protocol};

fn summary(n: u32, seed: u64) -> Summary {
    summary_of(&protocol::triadic_rat(n), seed)
}

fn summary_of(exp: &helplessness::Experiment, seed: u64) -> Summary {
    let mut s = Summary::new(exp);
    for r in exp.run(seed).unwrap() {
        s.write(&r).unwrap();
    }
    s
}

#[test]
fn phase_statistics_are_reproducible_and_consistent() {
    let s = summary(60, 9);
    let a = PhaseStats::compute(&s, "test", 9);
    let b = PhaseStats::compute(&s, "test", 9);
    assert_eq!(a, b, "same seed, same bootstrap intervals");
    let c = PhaseStats::compute(&s, "test", 10);
    assert_ne!(
        a.pairs[0].hedges_g_ci, c.pairs[0].hedges_g_ci,
        "the seed drives the bootstrap"
    );
    assert_eq!(a.pairs[0].hedges_g, c.pairs[0].hedges_g);
    for pair in &a.pairs {
        // Holm never lowers a p-value; the interval brackets the estimate.
        assert!(pair.welch_p_holm >= pair.welch.p);
        assert!(pair.hedges_g_ci[0] <= pair.hedges_g && pair.hedges_g <= pair.hedges_g_ci[1]);
        // g shrinks d toward zero.
        assert!(pair.hedges_g.abs() <= pair.cohens_d.abs());
    }
    // Descriptives agree with the group summaries.
    for (g, summary) in a.groups.iter().zip(s.groups("test")) {
        assert_eq!(g.n, summary.n);
        assert_eq!(g.mean_latency_s, summary.mean_latency_s);
        assert!((g.sem_latency_s - g.sd_latency_s / (g.n as f64).sqrt()).abs() < 1e-12);
    }
    // The yoked group differs from both others; the ANOVA sees it.
    assert!(a.anova.p < 1e-6);
}

#[test]
fn hedges_correction_matches_its_formula() {
    // J = 1 - 3 / (4 (n1 + n2) - 9) = 1 - 3/151 for 20 + 20.
    let x: Vec<f64> = (0..20).map(|i| f64::from(i) * 0.5 + 3.0).collect();
    let y: Vec<f64> = (0..20).map(|i| f64::from(i) * 0.4 + 1.0).collect();
    let j = 1.0 - 3.0 / 151.0;
    assert!((hedges_g(&x, &y) - j * cohens_d(&x, &y)).abs() < 1e-12);
}

/// A summary that keeps only 20 subjects' own results compares groups of 200 by
/// moments and histograms: the same Welch test, effect sizes and ANOVA as from every
/// subject's value (to rounding), Mann-Whitney within what 3 ms bins can move, and
/// medians within the bins of the middle values.
#[test]
fn large_group_statistics_from_moments_match_the_exact_ones() {
    let exp = protocol::triadic_rat(200);
    let records = exp.run(5).unwrap();
    let mut all = Summary::new(&exp);
    let mut few = Summary::new(&exp).keeping(20);
    for r in &records {
        all.write(r).unwrap();
        few.write(r).unwrap();
    }
    assert_eq!(few.groups("test")[0].subject_means.len(), 20);
    assert!(all.groups("test").iter().all(|g| g.all_kept()));
    let (exact, folded) = (
        PhaseStats::compute(&all, "test", 1),
        PhaseStats::compute(&few, "test", 1),
    );
    let close = |a: f64, b: f64, tol: f64| (a - b).abs() <= tol * a.abs().max(1.0);
    assert!(close(exact.anova.f, folded.anova.f, 1e-9));
    let bin = 30.0 / helplessness::analysis::SUBJECT_BINS as f64;
    for ((e, f), g) in exact
        .groups
        .iter()
        .zip(&folded.groups)
        .zip(all.groups("test"))
    {
        assert_eq!((e.n, e.failing), (f.n, f.failing));
        assert!(close(e.sd_latency_s, f.sd_latency_s, 1e-9));
        // The histogram's median lies in the bins of the two middle values.
        let mut sorted = g.subject_means.clone();
        sorted.sort_by(f64::total_cmp);
        let (lo, hi) = (sorted[99] - bin, sorted[100] + bin);
        assert!((lo..=hi).contains(&f.median_latency_s), "{f:?} {lo} {hi}");
    }
    for (e, f) in exact.pairs.iter().zip(&folded.pairs) {
        assert!(close(e.welch.t, f.welch.t, 1e-9) && close(e.welch.p, f.welch.p, 1e-9));
        assert!(close(e.cohens_d, f.cohens_d, 1e-9) && close(e.hedges_g, f.hedges_g, 1e-9));
        // Binned, two subjects in the same bin count as a tie (½ instead of 0 or 1):
        // U can differ by at most half the cross-group pairs that share a bin.
        let means = |name: &str| {
            let groups = all.groups("test");
            let g = groups.iter().find(|g| g.group == name).unwrap();
            g.subject_means.clone()
        };
        let bin_of = |x: f64| (x / bin).floor() as i64;
        let (xa, xb) = (means(&e.a), means(&e.b));
        let shared = xa
            .iter()
            .map(|&x| xb.iter().filter(|&&y| bin_of(x) == bin_of(y)).count())
            .sum::<usize>() as f64;
        assert!(
            (e.mann_whitney_u - f.mann_whitney_u).abs() <= 0.5 * shared + 1e-9,
            "{e:?} {f:?} shared {shared}"
        );
        assert!(
            (e.mann_whitney_p - f.mann_whitney_p).abs() < 0.01,
            "{e:?} {f:?}"
        );
        assert_eq!(
            (e.hedges_g_ci_method, f.hedges_g_ci_method),
            ("bootstrap", "normal")
        );
        // The two intervals estimate the same thing.
        assert!((e.hedges_g_ci[0] - f.hedges_g_ci[0]).abs() < 0.15);
    }
}

/// Records out of run order cannot be folded subject by subject: an error, not a
/// silently wrong count.
#[test]
fn a_summary_refuses_records_out_of_subject_order() {
    let exp = protocol::triadic_rat(3);
    let records = exp.run(1).unwrap();
    let mut s = Summary::new(&exp);
    let first = records.iter().find(|r| r.subject == 0).unwrap();
    let later = records.iter().find(|r| r.subject == 2).unwrap();
    let same = |a: &helplessness::TrialRecord, b: &helplessness::TrialRecord| {
        a.group == b.group && a.phase == b.phase
    };
    let later = records
        .iter()
        .find(|r| r.subject == 2 && same(r, first))
        .unwrap_or(later);
    s.write(later).unwrap();
    let e = s.write(first).unwrap_err().to_string();
    assert!(e.contains("increasing order"), "{e}");
}

#[test]
fn groups_of_one_get_no_welch_p() {
    use helplessness::{
        Sink,
        analysis::{PhaseStats, Summary},
        protocol,
    };
    let exp = protocol::triadic_dog(1);
    let mut summary = Summary::new(&exp);
    for r in exp.run(1).unwrap() {
        summary.write(&r).unwrap();
    }
    let stats = PhaseStats::compute(&summary, "test", 1);
    // With one subject per group there is no variance: no Welch test, so no p to adjust.
    assert!(
        stats
            .pairs
            .iter()
            .all(|p| p.welch.t.is_nan() && p.welch_p_holm.is_nan())
    );
}

#[test]
fn p_values_too_small_for_a_double_are_bounds_not_zeros() {
    // 300 dogs a group: the ANOVA's p underflows a double. It is written as the floor
    // (p < 1e-300), and every p of the phase is positive.
    let exp = protocol::triadic_dog(300);
    let s = summary_of(&exp, 1);
    let stats = PhaseStats::compute(&s, "test", 1);
    assert_eq!(stats.anova.p, helplessness::analysis::P_FLOOR);
    for pair in &stats.pairs {
        for p in [
            pair.welch.p,
            pair.welch_p_holm,
            pair.mann_whitney_p,
            pair.fisher_p,
        ] {
            assert!(p > 0.0 && p <= 1.0, "{pair:?}");
        }
    }
    // Fisher's test on 162 of 300 failing against 9 of 300 is tiny but representable.
    let ie = &stats.pairs[0];
    assert!(
        ie.fisher_p < 1e-30 && ie.fisher_p > helplessness::analysis::P_FLOOR,
        "{ie:?}"
    );
    let md = helplessness::analysis::markdown(&exp, "", "", 1, std::slice::from_ref(&stats), &[]);
    assert!(md.contains("p < 1e-300"), "{md}");
}
