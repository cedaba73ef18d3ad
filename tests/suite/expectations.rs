//! Expectations of control across episodes and sessions: failure feeds itself, avoidance
//! leaves a belief untested, and globality and stability act as the attributional
//! reformulation says (Abramson, Seligman & Teasdale 1978).

use helplessness::mind::{Episode, Outcome};
use helplessness::{Apparatus, CircuitMind, CircuitParams, Mind, Session, protocol};

/// A failed shuttle test lowers the expectation that the within-trial detector would
/// have raised: yoked dogs that fail all 10 test trials.
#[test]
fn a_failed_test_lowers_the_expectation_across_its_trials() {
    let records = protocol::triadic_dog(200).run(3).unwrap();
    let test: Vec<_> = records
        .iter()
        .filter(|r| &*r.group == "inescapable" && &*r.phase == "test")
        .collect();
    let value = |subject: u32, trial: u32, name: &str| {
        test.iter()
            .find(|r| r.subject == subject && r.trial == trial)
            .and_then(|r| r.state.get(name))
            .unwrap()
    };
    let failing: Vec<u32> = (0..200)
        .filter(|&s| test.iter().filter(|r| r.subject == s && !r.escaped).count() == 10)
        .collect();
    assert!(failing.len() >= 40, "{} failing dogs", failing.len());
    let (mut positive, mut c_rose) = (0, 0.0);
    for &s in &failing {
        let (first, last) = (value(s, 1, "E"), value(s, 10, "E"));
        // Every failing dog's expectation falls over the test (or stays at its floor,
        // 0, where the evidence already says attempts do not matter)...
        if first > 0.0 {
            positive += 1;
            assert!(last < first, "dog {s}: E {first} -> {last}");
        } else {
            assert_eq!(last, 0.0);
        }
        c_rose += value(s, 10, "c") - value(s, 1, "c");
    }
    assert!(positive >= 20, "{positive} dogs above the floor");
    // ...while the window detector's estimate rises on average: a trial spent without
    // a response and without relief lowers P(relief | no response).
    assert!(c_rose / failing.len() as f64 > 0.0);
}

fn person() -> CircuitMind {
    let mut p = CircuitParams::human();
    p.initial_expectation = 0.6;
    CircuitMind::new(p).unwrap()
}

/// `n` 10-s tasks in `context` of `domain`; attempts once a second when `attempt`;
/// each ends as `outcome` says; then a day passes.
fn tasks(mind: &mut CircuitMind, context: usize, domain: usize, n: usize, attempt: bool) {
    let mut session = Session::new(context, Apparatus::Problems);
    session.domain = domain;
    mind.begin_session(&session);
    for _ in 0..n {
        mind.onset(&Episode::task(1.0, 0));
        for _ in 0..10 {
            mind.advance(1.0);
            if attempt {
                mind.respond();
            }
        }
        mind.outcome(Outcome::Failed);
        mind.offset();
        mind.relax(5.0);
    }
    mind.end_session();
}

fn prior_in(mind: &CircuitMind, context: usize, domain: usize) -> f64 {
    let mut m = mind.clone();
    let mut session = Session::new(context, Apparatus::Problems);
    session.domain = domain;
    m.begin_session(&session);
    m.state().get("c").unwrap()
}

#[test]
fn failure_lowers_the_next_sessions_prior_and_avoidance_leaves_it_untested() {
    let naive = person();
    let mut failed = naive.clone();
    tasks(&mut failed, 0, 0, 40, true);
    let mut avoided = naive.clone();
    tasks(&mut avoided, 0, 0, 40, false);
    // A new context of the same domain starts from a lower belief after failures...
    assert!(prior_in(&failed, 1, 0) < prior_in(&naive, 1, 0) - 0.05);
    // ...while untried tasks leave trying untested: the prior moves by no more than
    // what P(outcome | no attempt) can fall, b0 = 0.05.
    let untested = prior_in(&avoided, 1, 0) - prior_in(&naive, 1, 0);
    assert!(untested.abs() <= 0.05, "{untested}");
}

#[test]
fn globality_spreads_failure_to_another_domain_and_stability_keeps_it() {
    let with = |globality: f64, stability: f64| {
        let mut p = CircuitParams::human();
        p.initial_expectation = 0.6;
        p.globality = globality;
        p.stability = stability;
        let mut m = CircuitMind::new(p).unwrap();
        tasks(&mut m, 0, 1, 40, true); // school
        m
    };
    let other = |m: &CircuitMind| prior_in(m, 1, 2); // work, never met
    let (specific, global) = (with(0.0, 0.5), with(1.0, 0.5));
    assert!(
        other(&global) < other(&specific) - 0.05,
        "{} vs {}",
        other(&global),
        other(&specific)
    );
    // A week later the stable style still expects less of school than the unstable one.
    let week = |mut m: CircuitMind| {
        m.relax(7.0 * 86_400.0);
        prior_in(&m, 3, 1)
    };
    assert!(week(with(0.5, 1.0)) < week(with(0.5, 0.0)) - 0.05);
}
