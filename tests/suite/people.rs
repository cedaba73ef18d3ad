//! Seeded statistical tests of the human-laboratory targets: Hiroto & Seligman 1975
//! (all four triads, target 14), Hiroto 1974 (locus of control and instructions,
//! target 15) and Klein, Fencil-Morse & Seligman 1976 (target 16). Each comparison
//! states its test and effect size; 300 people a group, fixed seeds.

use helplessness::analysis::{self, GroupSummary, cohens_d};
use helplessness::{Experiment, TrialRecord, protocol};
use statrs::stats_tests::Alternative;

const N: u32 = 300;
const SEED: u64 = 20261;

fn run(name: &str) -> (Experiment, Vec<TrialRecord>) {
    run_n(name, N)
}

fn run_n(name: &str, n: u32) -> (Experiment, Vec<TrialRecord>) {
    let exp = protocol::bundled(name).unwrap().experiment.with_subjects(n);
    let records = exp.run(SEED).unwrap();
    (exp, records)
}

fn group<'a>(s: &'a [GroupSummary], name: &str) -> &'a GroupSummary {
    s.iter()
        .find(|g| g.group == name)
        .unwrap_or_else(|| panic!("no group {name}"))
}

/// `slow` is slower than `fast`: one-sided Mann-Whitney U on subject mean latencies
/// p < `p_max` with Cohen's d > `d_min`.
fn slower(slow: &GroupSummary, fast: &GroupSummary, p_max: f64, d_min: f64) {
    let p = analysis::mann_whitney_greater(&slow.subject_means, &fast.subject_means);
    let d = cohens_d(&slow.subject_means, &fast.subject_means);
    assert!(
        p < p_max && d > d_min,
        "{} vs {}: Mann-Whitney p = {p:.2e}, d = {d:.2}",
        slow.group,
        fast.group
    );
}

/// `worse` escapes or solves more slowly than `better` and fails more often: one-sided
/// Mann-Whitney U on subject mean latencies p < 1e-6 with Cohen's d > 0.5, and
/// one-sided Fisher's exact test on failing subjects p < 1e-6.
fn worse(worse: &GroupSummary, better: &GroupSummary) {
    slower(worse, better, 1e-6, 0.5);
    let pf = analysis::fisher_failures(worse, better, Alternative::Greater);
    assert!(
        pf < 1e-6,
        "{} vs {}: Fisher p = {pf:.2e}",
        worse.group,
        better.group
    );
}

/// `a` and `b` do not differ: the 99 % CI of the difference in mean latency lies within
/// `margin` s (equivalence by two one-sided tests), and failing subjects do not differ
/// (two-sided Fisher p > 0.01).
fn same(a: &GroupSummary, b: &GroupSummary, margin: f64) {
    let diff = a.mean_latency_s - b.mean_latency_s;
    let half = 2.576 * (a.sem_latency_s.powi(2) + b.sem_latency_s.powi(2)).sqrt();
    assert!(
        (diff - half > -margin) && (diff + half < margin),
        "{} - {} = {diff:.3} ± {half:.3} s, margin {margin:.3}",
        a.group,
        b.group
    );
    let p = analysis::fisher_failures(a, b, Alternative::TwoSided);
    assert!(p > 0.01, "{} vs {} failing: p = {p:.2e}", a.group, b.group);
}

#[test]
fn target_14_hiroto_seligman_1975_all_four_triads() {
    let (exp, records) = run("hiroto-seligman-1975");
    for (triad, test, good, bad) in [
        ("tone-shuttle", "test-shuttle", "escapable", "inescapable"),
        ("problems-anagrams", "test-anagrams", "soluble", "insoluble"),
        ("tone-anagrams", "test-anagrams", "escapable", "inescapable"),
        ("problems-shuttle", "test-shuttle", "soluble", "insoluble"),
    ] {
        let s = analysis::summarize(&exp, &records, test);
        let (good, bad, none) = (
            group(&s, &format!("{triad}-{good}")),
            group(&s, &format!("{triad}-{bad}")),
            group(&s, &format!("{triad}-none")),
        );
        worse(bad, good);
        worse(bad, none);
        // Escapable or soluble pretreatment and none do not differ: margin 10 % of the
        // deficit.
        same(good, none, 0.1 * (bad.mean_latency_s - none.mean_latency_s));
    }
}

/// The groups whose names contain every one of `parts`, pooled into one summary: their
/// subjects' mean latencies and failing counts.
fn pooled(s: &[GroupSummary], parts: &[&str]) -> GroupSummary {
    let members: Vec<&GroupSummary> = s
        .iter()
        .filter(|g| parts.iter().all(|p| g.group.split('-').any(|w| w == *p)))
        .collect();
    assert!(!members.is_empty(), "no group has {parts:?}");
    let mut all = members[0].clone();
    all.group = parts.join("+");
    all.subject_means = members
        .iter()
        .flat_map(|g| g.subject_means.clone())
        .collect();
    all.n = members.iter().map(|g| g.n).sum();
    all.failing = members.iter().map(|g| g.failing).sum();
    let n = all.subject_means.len() as f64;
    all.mean_latency_s = all.subject_means.iter().sum::<f64>() / n;
    let var = all
        .subject_means
        .iter()
        .map(|x| (x - all.mean_latency_s).powi(2))
        .sum::<f64>()
        / (n - 1.0);
    all.sem_latency_s = (var / n).sqrt();
    all
}

#[test]
fn target_15_hiroto_1974_pretreatment_locus_and_instructions() {
    let (exp, records) = run("hiroto-1974");
    let s = analysis::summarize(&exp, &records, "test");
    // Pretreatment, pooled over instructions and locus (1,200 people each).
    let (es, is, none) = (
        pooled(&s, &["escapable"]),
        pooled(&s, &["inescapable"]),
        pooled(&s, &["no", "noise"]),
    );
    worse(&is, &es);
    worse(&is, &none);
    same(&es, &none, 0.1 * (is.mean_latency_s - none.mean_latency_s));
    // "Chance" more helpless than "skill", pooled over the other factors (1,800 people
    // each): one-sided Mann-Whitney U p < 1e-3 on latency, and more failing.
    let (chance, skill) = (pooled(&s, &["chance"]), pooled(&s, &["skill"]));
    slower(&chance, &skill, 1e-3, 0.0);
    assert!(chance.failing > skill.failing);
    // Externals: the prior that attempts matter in the new test context is lower (the
    // controllability estimate after the first test trial, one-sided Mann-Whitney U
    // p < 1e-6), but it moves escape only a little: pooled latency is higher in the
    // published direction (d > 0) without reaching p < 1e-3 at this size (a partial
    // reproduction, docs/VALIDATION.md).
    let first_c = |locus: &str| -> Vec<f64> {
        records
            .iter()
            .filter(|r| &*r.phase == "test" && r.trial == 1 && r.group.ends_with(locus))
            .map(|r| r.state.get("c").unwrap())
            .collect()
    };
    let p = analysis::mann_whitney_greater(&first_c("internal"), &first_c("external"));
    assert!(
        p < 1e-6,
        "first-trial estimate, internals over externals: p = {p:.2e}"
    );
    let (ext, int) = (pooled(&s, &["external"]), pooled(&s, &["internal"]));
    let d = cohens_d(&ext.subject_means, &int.subject_means);
    assert!(d > 0.0, "externals vs internals: d = {d:.3}");
    worse(
        &pooled(&s, &["inescapable", "chance"]),
        &pooled(&s, &["inescapable", "skill"]),
    );
}

#[test]
fn target_16_klein_1976_depression_looks_like_helplessness() {
    // The model's depression effect is small, d ≈ 0.21-0.25 (3,000 a group, seeds 20261
    // and 5): its SE at 1,000 a group (0.045) straddles the 0.2 bar, so the verdict
    // would be the draw's; at 3,000 (SE 0.026) it passes by about half an SE, so this
    // bar is the first to watch when values change (docs/VALIDATION.md: partly).
    let (exp, records) = run_n("klein-1976", 3000);
    let s = analysis::summarize(&exp, &records, "test");
    let g = |name: &str| group(&s, name).clone();
    let (nd_none, nd_insoluble, d_none) = (
        g("non-depressed-none"),
        g("non-depressed-insoluble"),
        g("depressed-none"),
    );
    // Depressed students solve anagrams more slowly than non-depressed ones with no
    // pretreatment: one-sided Mann-Whitney U p < 1e-6, d > 0.2.
    slower(&d_none, &nd_none, 1e-6, 0.2);
    assert!(d_none.failing > nd_none.failing);
    // Insoluble problems give non-depressed students the same kind of deficit.
    worse(&nd_insoluble, &nd_none);
    worse(&g("depressed-insoluble"), &d_none);
}
