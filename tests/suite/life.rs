//! The day clock (`life`): people living months of daily opportunities in five
//! domains. Seeded comparisons of 300 people a group, each with its test and effect
//! size: a toxic workplace makes work helpless and, for a global style, spreads; a
//! stable style makes it last; the avoidant stop testing their belief.

use helplessness::analysis::{self, cohens_d};
use helplessness::life::{Life, LifePhase, Opportunities, WeekRecord};
use helplessness::{CircuitMind, CircuitParams, SubjectId};

const N: u32 = 300;

/// Half a year in five domains; work pays effort with `work` (0.05: a toxic workplace).
fn half_year(name: &str, work: f64) -> LifePhase {
    LifePhase::new(name, 182)
        .with(Opportunities::new("work", 5.0, work, 0.0))
        .with(Opportunities::new("school", 3.0, 0.7, 0.0))
        .with(Opportunities::new("relationships", 7.0, 0.7, 0.1))
        .with(Opportunities::new("health", 3.0, 0.6, 0.1))
        .with(Opportunities::new("hobby", 2.0, 0.8, 0.0))
}

/// The weekly records of `N` people of `group` living `life`, each a human preset
/// changed by `tweak`.
fn people(
    group: &str,
    life: &Life,
    seed: u64,
    tweak: impl Fn(&mut CircuitParams),
) -> Vec<Vec<WeekRecord>> {
    (0..N)
        .map(|i| {
            let mut p = CircuitParams::human();
            tweak(&mut p);
            let mut person = CircuitMind::new(p).unwrap();
            let mut weeks = Vec::new();
            let mut rng = SubjectId::new(group, i).rng(seed);
            life.live(&mut person, &mut rng, |w| weeks.push(w.clone()));
            weeks
        })
        .collect()
}

/// People with `globality` and `stability`.
fn styled(group: &str, life: &Life, globality: f64, stability: f64) -> Vec<Vec<WeekRecord>> {
    people(group, life, 2026, |p| {
        p.globality = globality;
        p.stability = stability;
    })
}

/// Each person's value of `f` in `domain` (0 work, 1 school, ...) in week `week`.
fn at(lives: &[Vec<WeekRecord>], domain: usize, week: u32, f: fn(&WeekRecord) -> f64) -> Vec<f64> {
    lives
        .iter()
        .map(|w| {
            w.iter()
                .find(|r| r.domain == domain && r.week == week)
                .map_or(f64::NAN, f)
        })
        .collect()
}

fn expectation(r: &WeekRecord) -> f64 {
    r.expectation
}

/// The expectation of `domain` in `week` is lower for `low` than for `high` (see
/// [`below`]).
fn expects_less(low: &[Vec<WeekRecord>], high: &[Vec<WeekRecord>], domain: usize, week: u32) {
    let what = format!("expectation of domain {domain} in week {week}");
    below(
        &at(low, domain, week, expectation),
        &at(high, domain, week, expectation),
        &what,
    );
}

/// `low` lies below `high`: one-sided Mann-Whitney U p < 1e-6 and Cohen's d > 0.5.
fn below(low: &[f64], high: &[f64], what: &str) {
    let p = analysis::mann_whitney_greater(high, low);
    let d = cohens_d(high, low);
    assert!(p < 1e-6 && d > 0.5, "{what}: p = {p:.2e}, d = {d:.2}");
}

#[test]
fn a_toxic_workplace_makes_work_helpless_and_globality_spreads_it() {
    let fair = styled("fair", &Life::new(vec![half_year("job", 0.7)]), 0.1, 0.5);
    let toxic = Life::new(vec![half_year("job", 0.05)]);
    let specific = styled("specific", &toxic, 0.1, 0.5);
    let global = styled("global", &toxic, 0.9, 0.5);
    // Work, week 26: a toxic workplace lowers the expectation and trying.
    expects_less(&specific, &fair, 0, 26);
    let helpless = |lives: &[Vec<WeekRecord>], d: usize| {
        at(lives, d, 26, |r| f64::from(u8::from(r.helpless())))
            .iter()
            .sum::<f64>()
            / N as f64
    };
    assert!(helpless(&specific, 0) > 0.4 && helpless(&fair, 0) < 0.05);
    // Situational: for a specific style the rest of life keeps its expectations (within
    // 0.05 of the fair workplace's on average, school and hobby)...
    for d in [1, 4] {
        let mean = |v: Vec<f64>| v.iter().sum::<f64>() / v.len() as f64;
        let gap = mean(at(&fair, d, 26, expectation)) - mean(at(&specific, d, 26, expectation));
        assert!(gap.abs() < 0.05, "domain {d}: {gap}");
    }
    // ...while a global style carries the failure to health and hobby.
    for d in [3, 4] {
        expects_less(&global, &specific, d, 26);
    }
}

#[test]
fn a_stable_style_keeps_work_helpless_after_the_job_changes() {
    let life = Life::new(vec![
        half_year("toxic-job", 0.05),
        half_year("new-job", 0.7),
    ]);
    let stable = styled("stable", &life, 0.5, 0.9);
    let unstable = styled("unstable", &life, 0.5, 0.1);
    // Ten weeks into the new job.
    expects_less(&stable, &unstable, 0, 36);
}

#[test]
fn the_avoidant_try_less_and_so_stay_low() {
    // People who expect little of work from the start (a low baseline) in a fair job:
    // they try less, and their expectation stays below that of people who expected
    // more, because untried opportunities do not test it.
    let life = Life::new(vec![half_year("job", 0.7)]);
    let run = |g0: f64, group: &str| {
        people(group, &life, 7, |p| {
            p.initial_expectation = g0;
            p.stability = 0.9;
        })
    };
    let (low, high) = (run(0.05, "low"), run(0.6, "high"));
    let tries = |r: &WeekRecord| f64::from(r.attempts) / f64::from(r.opportunities);
    let total = |lives: &[Vec<WeekRecord>]| -> Vec<f64> {
        lives
            .iter()
            .map(|w| {
                w.iter()
                    .filter(|r| r.domain == 0 && r.week <= 4)
                    .map(tries)
                    .sum()
            })
            .collect()
    };
    below(&total(&low), &total(&high), "trying in the first month");
    expects_less(&low, &high, 0, 8);
}
