//! Seeded statistical tests that the default parameters reproduce the triadic results
//! of Seligman & Maier 1967 (J Exp Psychol 74:1-9) and the Maier laboratory (Amat et
//! al. 2005, Nat Neurosci 8:365): the yoked deficit, the dog failure rates, identical
//! shock for escapable and yoked subjects, and the partial-contingency gradient (Maier &
//! Seligman 1976), on both bundled triadic protocols, plus the escape deficit after
//! inescapable noise in people (Hiroto & Seligman 1975). Each test states its
//! statistical test and effect size; samples are large enough (300 subjects per group)
//! that the claims are not luck, and seeds are fixed so results are reproducible.

use helplessness::analysis::{self, GroupSummary, cohens_d};
use helplessness::{Experiment, TrialRecord, protocol};
use statrs::stats_tests::Alternative;

const N: u32 = 300;
const SEED: u64 = 20260;

fn test_summary(exp: &Experiment, seed: u64) -> (Vec<TrialRecord>, Vec<GroupSummary>) {
    let records = exp.run(seed).expect("bundled protocols run");
    let summary = analysis::summarize(exp, &records, "test");
    (records, summary)
}

fn mwu_greater(x: &[f64], y: &[f64]) -> f64 {
    analysis::mann_whitney_greater(x, y)
}

fn fisher_more_failures(a: &GroupSummary, b: &GroupSummary) -> f64 {
    analysis::fisher_failures(a, b, Alternative::Greater)
}

/// The triad (Seligman & Maier 1967; Amat et al. 2005) on one protocol: yoked subjects
/// escape more slowly and fail more often than escapable and no-shock subjects, which
/// do not differ from each other.
fn check_triad(exp: &Experiment) {
    let (_, s) = test_summary(exp, SEED);
    let (es, is, ns) = (&s[0], &s[1], &s[2]);
    assert_eq!(
        (es.group.as_str(), is.group.as_str(), ns.group.as_str()),
        ("escapable", "inescapable", "no-shock")
    );
    for other in [es, ns] {
        // Mann-Whitney U on subject mean latencies, one-sided, and a large effect.
        let p = mwu_greater(&is.subject_means, &other.subject_means);
        let d = cohens_d(&is.subject_means, &other.subject_means);
        assert!(
            p < 1e-12,
            "{}: IS vs {}: MWU p = {p}",
            exp.name,
            other.group
        );
        assert!(
            d > 1.0,
            "{}: IS vs {}: Cohen's d = {d}",
            exp.name,
            other.group
        );
        // Fisher's exact test on failing subjects, one-sided.
        let pf = fisher_more_failures(is, other);
        assert!(
            pf < 1e-12,
            "{}: failures IS vs {}: p = {pf}",
            exp.name,
            other.group
        );
        // A sanity floor: a fifth or more of yoked subjects fail (Fisher above says
        // "far more often" than the other group).
        assert!(
            is.failing as f64 > 0.2 * N as f64,
            "{}: IS failing {}",
            exp.name,
            is.failing
        );
    }
    // Escapable vs no-shock: equivalence (two one-sided tests) with a margin of 10 % of
    // the IS - no-shock difference: the 99 % CI of the mean difference lies inside it.
    let effect = is.mean_latency_s - ns.mean_latency_s;
    let diff = es.mean_latency_s - ns.mean_latency_s;
    let se = (es.sem_latency_s.powi(2) + ns.sem_latency_s.powi(2)).sqrt();
    let margin = 0.1 * effect;
    assert!(
        diff - 2.576 * se > -margin && diff + 2.576 * se < margin,
        "{}: ES - HC = {diff:.3} ± {:.3} s, margin {margin:.3}",
        exp.name,
        2.576 * se
    );
    // Failing escapable and no-shock subjects are few and not different (two-sided Fisher).
    let p_two = analysis::fisher_failures(es, ns, Alternative::TwoSided);
    assert!(
        p_two > 0.05,
        "{}: ES vs HC failures differ, p = {p_two}",
        exp.name
    );
    assert!(es.failing as f64 <= 0.05 * N as f64 && ns.failing as f64 <= 0.05 * N as f64);
}

#[test]
fn target_1_triadic_rat() {
    check_triad(&protocol::triadic_rat(N));
}

#[test]
fn target_1_triadic_dog() {
    check_triad(&protocol::triadic_dog(N));
}

#[test]
fn target_2_dog_failure_rates() {
    // Seligman & Maier 1967: no escape dog failed; a small minority of naive dogs did.
    // The model's escape group fails rarely (at most 3 %); naive dogs fail at a small,
    // non-zero rate. Escape dogs failing at all is a known miss (docs/VALIDATION.md).
    let (_, s) = test_summary(&protocol::triadic_dog(1000), SEED);
    let (es, ns) = (&s[0], &s[2]);
    assert!(es.failing <= 30, "escapable failing {}/1000", es.failing);
    assert!(
        ns.failing >= 3 && ns.failing <= 100,
        "naive failing {}/1000",
        ns.failing
    );
}

#[test]
fn target_3_yoked_partners_receive_identical_shock() {
    for exp in [protocol::triadic_rat(N), protocol::triadic_dog(N)] {
        let records = exp.run(SEED).unwrap();
        let pre = |g: &str| -> Vec<&TrialRecord> {
            records
                .iter()
                .filter(|r| &*r.group == g && &*r.phase == "pretreatment")
                .collect()
        };
        let (es, is) = (pre("escapable"), pre("inescapable"));
        assert_eq!(es.len(), is.len());
        assert!(!es.is_empty());
        for (a, b) in es.iter().zip(&is) {
            assert_eq!((a.subject, a.trial), (b.subject, b.trial));
            // Bit-identical durations, onsets and intensities' outcome: same shock.
            assert_eq!(a.shock_s.to_bits(), b.shock_s.to_bits());
            assert_eq!(a.onset_s.to_bits(), b.onset_s.to_bits());
            assert!(!b.escaped);
        }
        // And the escapable subjects really did escape most of their shocks.
        let escaped = es.iter().filter(|r| r.escaped).count();
        assert!(
            escaped as f64 > 0.8 * es.len() as f64,
            "{}: {escaped}",
            exp.name
        );
    }
}

#[test]
fn target_3_deficit_shrinks_as_contingency_grows() {
    // Groups p = 0, 0.25, 0.5, 1: a completed requirement ends the shock with probability
    // p. The deficit falls from p = 0 to 0.5: one-sided Mann-Whitney U on subject mean
    // latencies and one-sided Fisher exact on failing subjects, p < 1e-6 each, Cohen's
    // d > 1. Mean latency is monotone over p = 0, 0.25, 0.5, and p = 1 is no worse than
    // p = 0.5 (neither test finds p = 1 worse at the 1 % level).
    for base in [protocol::triadic_rat(N), protocol::triadic_dog(N)] {
        let exp = protocol::partial_groups(&base, "pretreatment", &[0.0, 0.25, 0.5, 1.0]);
        let (_, s) = test_summary(&exp, SEED);
        let (p0, p25, p50, p100) = (&s[0], &s[1], &s[2], &s[3]);
        let name = &base.name;
        let p = mwu_greater(&p0.subject_means, &p50.subject_means);
        let d = cohens_d(&p0.subject_means, &p50.subject_means);
        let pf = fisher_more_failures(p0, p50);
        assert!(
            p < 1e-6 && pf < 1e-6 && d > 1.0,
            "{name}: p=0 vs 0.5: {p} {pf} {d}"
        );
        assert!(
            p0.mean_latency_s > p25.mean_latency_s && p25.mean_latency_s > p50.mean_latency_s,
            "{name}: means {} {} {}",
            p0.mean_latency_s,
            p25.mean_latency_s,
            p50.mean_latency_s
        );
        let p_worse = mwu_greater(&p100.subject_means, &p50.subject_means);
        let pf_worse = fisher_more_failures(p100, p50);
        assert!(
            p_worse > 0.01 && pf_worse > 0.01,
            "{name}: p = 1 worse: {p_worse} {pf_worse}"
        );
    }
}

#[test]
fn target_3_matched_contingency_space() {
    // The bundled contingency-space protocol: shock matched to the p = 1 group while
    // the contingency varies. Deficit shrinks as p grows: one-sided Mann-Whitney U
    // p < 1e-3 for p = 0 over 0.75, 0.25 over 1 and 0.5 over 1; p = 0 vs p = 1
    // p < 1e-12 and Cohen's d > 1; every group's mean pretreatment shock within 2 % of
    // p = 1's. (Neighbouring groups differ by less than the test has power for at
    // n = 300 with these bimodal latencies.)
    let exp = protocol::bundled("contingency-space")
        .unwrap()
        .experiment
        .with_subjects(N);
    let (records, s) = test_summary(&exp, SEED);
    let by_p: Vec<&GroupSummary> = ["p=0", "p=0.25", "p=0.5", "p=0.75", "p=1"]
        .iter()
        .map(|name| s.iter().find(|g| g.group == *name).unwrap())
        .collect();
    for (hi, lo) in [(0, 3), (1, 4), (2, 4)] {
        let p = mwu_greater(&by_p[hi].subject_means, &by_p[lo].subject_means);
        assert!(
            p < 1e-3,
            "{} {:.2} s vs {} {:.2} s: p = {p:.2e}",
            by_p[hi].group,
            by_p[hi].mean_latency_s,
            by_p[lo].group,
            by_p[lo].mean_latency_s
        );
    }
    let (p0, p1) = (by_p[0], by_p[4]);
    assert!(mwu_greater(&p0.subject_means, &p1.subject_means) < 1e-12);
    assert!(cohens_d(&p0.subject_means, &p1.subject_means) > 1.0);
    let shock = |g: &str| -> f64 {
        records
            .iter()
            .filter(|r| &*r.group == g && &*r.phase == "pretreatment")
            .map(|r| r.shock_s)
            .sum::<f64>()
            / f64::from(N)
    };
    let reference = shock("p=1");
    for g in ["p=0", "p=0.25", "p=0.5", "p=0.75"] {
        let ratio = shock(g) / reference;
        assert!((ratio - 1.0).abs() < 0.02, "{g}: shock ratio {ratio}");
    }
}

#[test]
fn target_12_inescapable_noise_impairs_human_escape() {
    // Hiroto & Seligman 1975 (instrumental pretreatment, shuttle-box test): the
    // inescapable group escapes more slowly and fails more often than the escapable and
    // no-noise groups. One-sided Mann-Whitney U p < 1e-12 and Cohen's d > 0.8; Fisher
    // exact on failing subjects p < 1e-12.
    let exp = protocol::bundled("triadic-human")
        .unwrap()
        .experiment
        .with_subjects(N);
    let (_, s) = test_summary(&exp, SEED);
    let (es, is, none) = (&s[0], &s[1], &s[2]);
    for other in [es, none] {
        assert!(mwu_greater(&is.subject_means, &other.subject_means) < 1e-12);
        assert!(cohens_d(&is.subject_means, &other.subject_means) > 0.8);
        assert!(fisher_more_failures(is, other) < 1e-12);
    }
}
