//! Between-group statistics: reproducible from the seed, and consistent with each other.

use helplessness::analysis::{PhaseStats, Summary, cohens_d, hedges_g};
use helplessness::{Sink, protocol};

fn summary(n: u32, seed: u64) -> Summary {
    let exp = protocol::triadic_rat(n);
    let mut s = Summary::new(&exp);
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
