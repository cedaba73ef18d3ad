//! Seeded statistical tests that the one default parameter set reproduces the published
//! follow-up results on the bundled follow-up protocols: immunization (Seligman & Maier
//! 1967, J Exp Psychol 74:1-9; Amat et al. 2006), the rat time course (Maier 1990), DRN
//! 5-HT and its sensitization (Maswood et al. 1998; Amat et al. 1998), mPFC silencing
//! and activation (Amat et al. 2005, Nat Neurosci 8:365; Amat et al. 2008), what
//! immunization needs (Amat et al. 2006; Baratta et al. 2009), benzodiazepine and DRN
//! 5-HT1A agonist (Maier et al. 1994, 1995), chronic antidepressants (Petty & Sherman
//! 1979; Sherman et al. 1982) and forced exposure (Seligman, Maier & Geer 1968). 300
//! subjects per group, fixed seed; each test names its statistical test and effect size.

use helplessness::analysis::{
    GroupSummary, Summary, cohens_d, fisher_failures, mann_whitney_greater,
};
use helplessness::targets;
use helplessness::{Experiment, Sink, TrialRecord, protocol};
use statrs::stats_tests::Alternative;

const N: u32 = 300;
const SEED: u64 = 4242;

struct Run {
    experiment: Experiment,
    records: Vec<TrialRecord>,
    summary: Summary,
}

impl Run {
    fn of(name: &str) -> Run {
        Run::of_n(name, N)
    }

    fn of_n(name: &str, n: u32) -> Run {
        let experiment = protocol::bundled(name).unwrap().experiment.with_subjects(n);
        let records = experiment.run(SEED).unwrap();
        let mut summary = Summary::new(&experiment);
        for r in &records {
            summary.write(r).unwrap();
        }
        Run {
            experiment,
            records,
            summary,
        }
    }

    fn group(&self, phase: &str, group: &str) -> GroupSummary {
        self.summary
            .groups(phase)
            .into_iter()
            .find(|g| g.group == group)
            .unwrap_or_else(|| panic!("{}: no group {group} in {phase}", self.experiment.name))
    }

    /// Per subject, the mean of `value` over `group`'s records in `phase`.
    fn per_subject(
        &self,
        phase: &str,
        group: &str,
        value: impl Fn(&TrialRecord) -> f64,
    ) -> Vec<f64> {
        let mut sums = vec![(0.0, 0u32); N as usize];
        for r in self
            .records
            .iter()
            .filter(|r| &*r.phase == phase && &*r.group == group)
        {
            sums[r.subject as usize].0 += value(r);
            sums[r.subject as usize].1 += 1;
        }
        sums.iter().map(|(s, n)| s / f64::from(*n)).collect()
    }
}

/// `worse` escapes more slowly than `better`: one-sided Mann-Whitney U p < 1e-6 and
/// Cohen's d > 0.5 on subject mean latencies.
fn slower(worse: &GroupSummary, better: &GroupSummary) {
    let p = mann_whitney_greater(&worse.subject_means, &better.subject_means);
    let d = cohens_d(&worse.subject_means, &better.subject_means);
    assert!(
        p < 1e-6 && d > 0.5,
        "{} ({:.2} s) vs {} ({:.2} s): p = {p:.2e}, d = {d:.2}",
        worse.group,
        worse.mean_latency_s,
        better.group,
        better.mean_latency_s
    );
}

/// `a` does not escape more slowly than `b`: the 99 % CI of the difference in mean
/// latency lies below `margin` seconds (equivalence or better).
fn not_slower(a: &GroupSummary, b: &GroupSummary, margin: f64) {
    let diff = a.mean_latency_s - b.mean_latency_s;
    let se = (a.sem_latency_s.powi(2) + b.sem_latency_s.powi(2)).sqrt();
    assert!(
        diff + 2.576 * se < margin,
        "{} ({:.2} s) vs {} ({:.2} s): difference {diff:.2} ± {:.2} s, margin {margin:.2}",
        a.group,
        a.mean_latency_s,
        b.group,
        b.mean_latency_s,
        2.576 * se
    );
}

/// `more` freezes more than `less`: one-sided Mann-Whitney U p < 1e-6, d > 0.5.
fn more_fear(more: &GroupSummary, less: &GroupSummary) {
    let p = mann_whitney_greater(&more.subject_freezing, &less.subject_freezing);
    let d = cohens_d(&more.subject_freezing, &less.subject_freezing);
    assert!(
        p < 1e-6 && d > 0.5,
        "freezing {} ({:.3}) vs {} ({:.3}): p = {p:.2e}, d = {d:.2}",
        more.group,
        more.mean_freezing,
        less.group,
        less.mean_freezing
    );
}

#[test]
fn target_4_immunization() {
    let run = Run::of("immunization-rat");
    let (es_is, none_is, none) = (
        run.group("test", "ES-IS"),
        run.group("test", "none-IS"),
        run.group("test", "none-none"),
    );
    slower(&none_is, &es_is);
    // Immunized rats are no slower than unshocked ones (margin: 10 % of the IS effect).
    not_slower(
        &es_is,
        &none,
        0.1 * (none_is.mean_latency_s - none.mean_latency_s),
    );
    // And they respond more during the inescapable shock.
    let responses = |g| run.per_subject("second", g, |r| f64::from(r.responses));
    let (a, b) = (responses("ES-IS"), responses("none-IS"));
    assert!(mann_whitney_greater(&a, &b) < 1e-12 && cohens_d(&a, &b) > 1.0);
}

#[test]
fn target_5_time_course_deficit_gone_at_72_h_fear_persists() {
    // At 300 a group the 99 % CI of the 72 h residual is about ±1 s, as wide as the
    // room between the model's residual (about 16 % of the 24 h effect, 1.8 of 11.7 s
    // at 1,000 a group) and the quarter allowed: the claim would pass or fail by luck.
    let run = Run::of_n("time-course-rat", targets::TIME_COURSE_N);
    let is24 = run.group("test-24h", "IS-24h");
    let hc24 = run.group("test-24h", "HC-24h");
    let is72 = run.group("test-72h", "IS-72h");
    let hc72 = run.group("test-72h", "HC-72h");
    slower(&is24, &hc24);
    // Mostly gone at 72 h: the 99 % CI of what is left stays under a quarter of the
    // 24 h effect. A residual of 5-10 % remains (the lowered expectation of control does
    // not decay), so docs/VALIDATION.md reports Maier's (1990) time course as partly
    // reproduced.
    not_slower(
        &is72,
        &hc72,
        0.25 * (is24.mean_latency_s - hc24.mean_latency_s),
    );
    slower(&is24, &is72);
    // Freezing persists at 72 h.
    more_fear(&is72, &hc72);
}

#[test]
fn target_6_drn_serotonin_and_sensitization() {
    // Inescapable, not escapable, shock raises 5-HT (h) within about 25 trials (about
    // 25 min at VI 60 s) and it keeps rising through the session.
    let run = Run::of("mpfc-inactivation-rat");
    let h_at = |group: &str, trial: u32| -> Vec<f64> {
        run.records
            .iter()
            .filter(|r| &*r.group == group && &*r.phase == "pretreatment" && r.trial == trial)
            .map(|r| r.state.get("h").unwrap())
            .collect()
    };
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (is25, es25) = (h_at("IS", 25), h_at("ES", 25));
    assert!(mann_whitney_greater(&is25, &es25) < 1e-12 && mean(&is25) > 3.0 * mean(&es25));
    assert!(mean(&h_at("IS", 80)) > mean(&is25), "IS 5-HT keeps rising");
    // 24 h later, two brief footshocks release more 5-HT after inescapable shock
    // (sensitization), not after escapable shock.
    let mut probe = protocol::triadic_rat(N);
    let test = &mut probe.phases[1];
    test.schedule.blocks = vec![helplessness::Block::new(2, 1.0)];
    test.contingency = helplessness::Contingency::Fixed { duration_s: 1.0 };
    probe.criterion = None;
    let records = probe.run(SEED).unwrap();
    let h_after = |group: &str| -> Vec<f64> {
        records
            .iter()
            .filter(|r| &*r.group == group && &*r.phase == "test" && r.trial == 2)
            .map(|r| r.state.get("h").unwrap())
            .collect()
    };
    let (is, es, hc) = (
        h_after("inescapable"),
        h_after("escapable"),
        h_after("no-shock"),
    );
    assert!(mann_whitney_greater(&is, &es) < 1e-12 && mean(&is) > 1.5 * mean(&es));
    assert!((mean(&es) - mean(&hc)).abs() < 0.2 * (mean(&is) - mean(&hc)));
}

#[test]
fn target_7_mpfc_inactivation_and_activation() {
    let run = Run::of("mpfc-inactivation-rat");
    let es = run.group("test", "ES");
    let es_muscimol = run.group("test", "ES-muscimol");
    slower(&es_muscimol, &es);
    more_fear(&es_muscimol, &es);
    let h = |g| run.per_subject("pretreatment", g, |r| r.state.get("h").unwrap());
    assert!(
        mann_whitney_greater(&h("ES-muscimol"), &h("ES")) < 1e-12,
        "DRN activation"
    );

    let run = Run::of("mpfc-activation-rat");
    let vehicle = run.group("test-1", "vehicle");
    let picrotoxin = run.group("test-1", "picrotoxin");
    let hc = run.group("test-1", "HC");
    slower(&vehicle, &picrotoxin);
    not_slower(
        &picrotoxin,
        &hc,
        0.1 * (vehicle.mean_latency_s - hc.mean_latency_s),
    );
    // The picrotoxin session immunizes against inescapable shock a week later.
    let none_is = run.group("test-2", "none-IS");
    let picrotoxin_is = run.group("test-2", "picrotoxin-IS");
    let vehicle_is = run.group("test-2", "vehicle-IS");
    slower(&none_is, &picrotoxin_is);
    slower(&vehicle_is, &picrotoxin_is);
}

#[test]
fn target_8_immunization_needs_mpfc_twice_and_plasticity_once() {
    let run = Run::of("plasticity-block-rat");
    let g = |name| run.group("test", name);
    let immunized = g("ES-IS");
    slower(&g("none-IS"), &immunized);
    slower(&g("ES+muscimol-IS"), &immunized);
    slower(&g("ES-IS+muscimol"), &immunized);
    slower(&g("ES+anisomycin-IS"), &immunized);
    // Blocking protein synthesis at the second exposure leaves immunization intact.
    let effect = g("none-IS").mean_latency_s - immunized.mean_latency_s;
    not_slower(&g("ES-IS+anisomycin"), &immunized, 0.1 * effect);
    // The stress-evoked drive (prelimbic -> DRN potentiation) is present a week later.
    let w = |name| run.per_subject("second", name, |r| r.state.get("w").unwrap());
    assert!(mann_whitney_greater(&w("ES-IS"), &w("none-IS")) < 1e-12);
    assert!(mann_whitney_greater(&w("ES-IS"), &w("ES+anisomycin-IS")) < 1e-12);
}

#[test]
fn target_9_benzodiazepine_and_drn_5ht1a_agonist() {
    let run = Run::of("benzodiazepine-rat");
    let g = |name| run.group("test", name);
    let vehicle = g("IS-vehicle");
    for treated in ["IS-BZ", "IS-DPAT-DRN"] {
        slower(&vehicle, &g(treated));
        more_fear(&vehicle, &g(treated));
    }
    // The systemic benzodiazepine blocks fear itself: near home-cage freezing.
    let bz = g("IS-BZ");
    assert!(
        bz.mean_freezing < 0.25 * vehicle.mean_freezing,
        "{}",
        bz.mean_freezing
    );
}

#[test]
fn target_10_antidepressants_act_only_after_days() {
    // What the model reproduces (docs/VALIDATION.md: partly): a chronic antidepressant
    // does nothing for 1-3 days (no faster than vehicle, one-sided Mann-Whitney U
    // p > 0.01) and after 4 days quiets the DRN during the test (5-HT below half of
    // vehicle's, one-sided Mann-Whitney U p < 1e-6) with no failing rat; a chronic
    // anxiolytic does not help. Vehicle rats recover on their own within 3-4 days in
    // this model, so the reversal itself cannot be shown against them.
    let run = Run::of("antidepressant-rat");
    let day = |d: u32, name| run.group(&format!("day-{d}"), name);
    for d in [1, 2, 3] {
        let p = mann_whitney_greater(
            &day(d, "vehicle").subject_means,
            &day(d, "antidepressant").subject_means,
        );
        assert!(
            p > 0.01,
            "day {d}: antidepressant already works (p = {p:.2e})"
        );
    }
    let h = |d: u32, g| run.per_subject(&format!("day-{d}"), g, |r| r.state.get("h").unwrap());
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (vehicle_h, drug_h) = (h(4, "vehicle"), h(4, "antidepressant"));
    assert!(mann_whitney_greater(&vehicle_h, &drug_h) < 1e-6);
    assert!(
        mean(&drug_h) < 0.5 * mean(&vehicle_h),
        "{} vs {}",
        mean(&drug_h),
        mean(&vehicle_h)
    );
    assert!(mean(&h(2, "antidepressant")) > 0.5 * mean(&h(2, "vehicle")));
    assert_eq!(day(4, "antidepressant").failing, 0);
    let p = mann_whitney_greater(
        &day(1, "vehicle").subject_means,
        &day(1, "anxiolytic").subject_means,
    );
    assert!(p > 0.01, "anxiolytic works (p = {p:.2e})");
}

#[test]
fn target_11_forced_exposure_takes_many_trials() {
    let run = Run::of("forced-exposure-dog");
    let g = |name| run.group("test-2", name);
    let (none, one, many) = (g("forced-0"), g("forced-1"), g("forced-25"));
    // Many forced trials restore escape in many dogs: fewer failing dogs (one-sided
    // Fisher exact p < 1e-6) and shorter latencies (one-sided Mann-Whitney U p < 1e-6;
    // the effect is moderate, d about 0.4-0.6: docs/VALIDATION.md, partly).
    let p = fisher_failures(&none, &many, Alternative::Greater);
    assert!(
        p < 1e-6,
        "forced-25 vs forced-0: {} vs {} failing, p = {p:.2e}",
        many.failing,
        none.failing
    );
    assert!(mann_whitney_greater(&none.subject_means, &many.subject_means) < 1e-6);
    // One is not enough.
    let p = fisher_failures(&none, &one, Alternative::Greater);
    assert!(p > 0.01, "one forced trial already helps (p = {p:.2e})");
    // They were helpless before therapy.
    assert!(run.group("test-1", "forced-25").failing as f64 > 0.4 * f64::from(N));
}
