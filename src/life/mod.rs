//! The day clock: a life as opportunities in life domains, day after day.
//!
//! In each domain a person meets opportunities at a rate per week: a task at work, an
//! assignment at school, a request to a partner, a step for one's health. Each is one
//! episode of the same [`Mind`] the laboratory uses, as short as one detector window
//! (a decision, not seconds of shock):
//!
//! 1. the time since the last opportunity passes ([`Mind::relax`], closed form);
//! 2. the person meets the domain's demand (a task of the domain's `stake`, for half a
//!    detector window) and attempts with the mind's
//!    [`Mind::attempt_probability`];
//! 3. the domain's contingency decides: after an attempt the outcome comes with
//!    probability `p_attempt` (earned), without one with `p_no_attempt` (done for the
//!    person: unearned); otherwise the opportunity is a failure;
//! 4. the mind hears the outcome, as in the laboratory.
//!
//! Opportunities come at evenly spaced times (`7/per_week` days apart, the first half a
//! spacing into the phase), so the only draws are the attempt and the outcome: a
//! person-year of daily opportunities in five domains is a few thousand draws. A week's
//! record per domain keeps the counts and the expectations.
//!
//! ```
//! use helplessness::{CircuitMind, CircuitParams, SubjectId};
//! use helplessness::life::{Life, LifePhase, Opportunities};
//! let job = |p_attempt| LifePhase::new("job", 91)
//!     .with(Opportunities::new("work", 5.0, p_attempt, 0.0))
//!     .with(Opportunities::new("relationships", 7.0, 0.8, 0.0));
//! let life = |p| Life::new(vec![job(p)]);
//! let live = |p: f64| {
//!     let mut person = CircuitMind::new(CircuitParams::human()).unwrap();
//!     let mut weeks = Vec::new();
//!     life(p).live(&mut person, &mut SubjectId::new("a", 0).rng(1), |w| weeks.push(w.clone()));
//!     weeks
//! };
//! // A toxic workplace (effort almost never pays) against a fair one, over 13 weeks.
//! let (toxic, fair) = (live(0.05), live(0.8));
//! let last_work = |w: &[helplessness::life::WeekRecord]| {
//!     w.iter().rev().find(|r| r.domain == 0).unwrap().expectation
//! };
//! assert!(last_work(&toxic) < last_work(&fair));
//! ```

mod population;
mod report;
mod study;
mod summary;
mod weeks;

pub use population::{BLOCK, PersonWeek, WeekSink, run};
pub use report::{PHASE_END_TEST, report, stats_json};
pub use study::{LifeGroup, LifeStudy, MAX_PEOPLE};
pub use summary::{GroupWeeks, LifeSummary, PhaseEnd, WeekCell};
pub use weeks::{WEEK_COLUMNS, WeeksCsv};

use std::sync::Arc;

use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::apparatus::Apparatus;
use crate::error::{Error, Must};
use crate::mind::{Clock, Episode, Mind, Outcome, Session};
use crate::names::{check_unique, first_positions};
use crate::subject::SubjectRng;

const DAY_S: f64 = 86_400.0;
/// Longest phase of a life, days (a century).
pub const MAX_DAYS: u32 = 36_500;

/// What one life domain offers in a phase: how often, and what trying does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opportunities {
    /// The domain's name: work, school, relationships, health, or any other.
    pub domain: String,
    /// Opportunities per week (at most 70: ten a day).
    pub per_week: f64,
    /// Probability that an attempt succeeds (the contingency of effort).
    pub p_attempt: f64,
    /// Probability that the outcome comes without an attempt (done for the person).
    pub p_no_attempt: f64,
    /// The demand of one opportunity, as a task's intensity (1: as aversive as the
    /// laboratory's reference stimulus).
    #[serde(default = "half")]
    pub stake: f64,
}

fn half() -> f64 {
    0.5
}

impl Opportunities {
    /// `per_week` opportunities in `domain`, succeeding with `p_attempt` after an
    /// attempt and `p_no_attempt` without, at stake 0.5.
    pub fn new(domain: &str, per_week: f64, p_attempt: f64, p_no_attempt: f64) -> Self {
        Opportunities {
            domain: domain.into(),
            per_week,
            p_attempt,
            p_no_attempt,
            stake: half(),
        }
    }

    /// Checks the values, and that a phase of `days` days gives at least one episode;
    /// errors name fields under `field`.
    pub(crate) fn validate(&self, field: &str, days: u32) -> Result<(), Error> {
        if self.domain.is_empty() {
            return Err(Error::invalid(
                format!("{field}.domain"),
                "\"\"",
                "a domain needs a name",
            ));
        }
        Must::Within(0.0, 70.0).check(|| format!("{field}.per_week"), self.per_week)?;
        if self.per_week == 0.0 {
            return Err(Error::invalid(
                format!("{field}.per_week"),
                0,
                "a domain with no opportunities has nothing to offer: leave it out",
            ));
        }
        Must::Probability.check(|| format!("{field}.p_attempt"), self.p_attempt)?;
        Must::Probability.check(|| format!("{field}.p_no_attempt"), self.p_no_attempt)?;
        Must::Within(0.0, 100.0).check(|| format!("{field}.stake"), self.stake)?;
        // The first opportunity comes half a spacing into the phase.
        if 3.5 / self.per_week >= f64::from(days) {
            return Err(Error::invalid(
                format!("{field}.per_week"),
                self.per_week,
                format!(
                    "a domain with no episodes: {} a week over {days} days gives none",
                    self.per_week
                ),
            ));
        }
        Ok(())
    }
}

/// A stretch of life with the same opportunities: a job, a childhood, a relationship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifePhase {
    /// Name, unique in the life.
    pub name: String,
    /// Length in days (1 to [`MAX_DAYS`]).
    pub days: u32,
    /// What each domain offers; a domain not listed offers nothing in this phase.
    pub opportunities: Vec<Opportunities>,
}

impl LifePhase {
    /// A phase of `days` days with no opportunities yet.
    pub fn new(name: &str, days: u32) -> Self {
        LifePhase {
            name: name.into(),
            days,
            opportunities: Vec::new(),
        }
    }

    /// Adds a domain's opportunities.
    pub fn with(mut self, o: Opportunities) -> Self {
        self.opportunities.push(o);
        self
    }
}

/// A life: phases in time order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Life {
    /// The phases, in time order.
    pub phases: Vec<LifePhase>,
}

/// One week of one domain of one person's life.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekRecord {
    /// The phase.
    pub phase: Arc<str>,
    /// Week of the life, from 1: days 0-6 are week 1, whatever the phases (a phase
    /// that starts mid-week shares that week with the one before).
    pub week: u32,
    /// The domain, as an index into [`Life::domains`].
    pub domain: usize,
    /// Opportunities met this week.
    pub opportunities: u32,
    /// Of them, attempted.
    pub attempts: u32,
    /// Of them, ending in the outcome (earned or done for the person).
    pub successes: u32,
    /// The expectation of control in this domain after its last opportunity, 0..1.
    pub expectation: f64,
    /// The global expectation then.
    pub global: f64,
    /// Self-esteem then.
    pub esteem: f64,
}

impl WeekRecord {
    /// The criterion of a helpless state in a domain: the person expects little
    /// (`expectation < 0.25`) and tries at fewer than a quarter of the week's
    /// opportunities, where trying could be tested.
    pub fn helpless(&self) -> bool {
        self.expectation < 0.25 && 4 * self.attempts < self.opportunities
    }
}

impl Life {
    /// A life of `phases`.
    pub fn new(phases: Vec<LifePhase>) -> Self {
        Life { phases }
    }

    /// Its length in days, all phases together.
    ///
    /// ```
    /// use helplessness::life::{Life, LifePhase};
    /// let life = Life::new(vec![LifePhase::new("school", 365), LifePhase::new("job", 730)]);
    /// assert_eq!(life.days(), 1095);
    /// ```
    pub fn days(&self) -> u64 {
        self.phases.iter().map(|p| u64::from(p.days)).sum()
    }

    /// The domains met, in order of first mention.
    pub fn domains(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for o in self.phases.iter().flat_map(|p| &p.opportunities) {
            if !names.contains(&o.domain.as_str()) {
                names.push(&o.domain);
            }
        }
        names
    }

    /// Checks every phase: names, lengths, each domain's opportunities.
    pub fn validate(&self) -> Result<(), Error> {
        if self.phases.is_empty() {
            return Err(Error::invalid("phases", "[]", "a life needs a phase"));
        }
        check_unique(
            self.phases.iter().map(|p| p.name.as_str()),
            "phases",
            "phase",
        )?;
        for (i, p) in self.phases.iter().enumerate() {
            if p.days == 0 || p.days > MAX_DAYS {
                return Err(Error::invalid(
                    format!("phases[{i}].days"),
                    p.days,
                    format!("a phase lasts 1 to {MAX_DAYS} days"),
                ));
            }
            let first = first_positions(p.opportunities.iter().map(|o| o.domain.as_str()));
            for (j, o) in p.opportunities.iter().enumerate() {
                o.validate(&format!("phases[{i}].opportunities[{j}]"), p.days)?;
                if first[o.domain.as_str()] != j {
                    return Err(Error::invalid(
                        format!("phases[{i}].opportunities[{j}].domain"),
                        format!("{:?}", o.domain),
                        "a domain is listed once per phase",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Lives this life with `mind`, drawing from `rng`; hands each week's record per
    /// domain (one per domain with opportunities that week) to `each`, in time order.
    pub fn live<M: Mind>(
        &self,
        mind: &mut M,
        rng: &mut SubjectRng,
        mut each: impl FnMut(&WeekRecord),
    ) {
        let domains = self.domains();
        let mut start_day = 0.0;
        let mut now_s = 0.0;
        for phase in &self.phases {
            let name: Arc<str> = Arc::from(phase.name.as_str());
            let index: Vec<usize> = phase
                .opportunities
                .iter()
                .map(|o| domains.iter().position(|d| *d == o.domain).unwrap_or(0))
                .collect();
            let spacing: Vec<f64> = phase
                .opportunities
                .iter()
                .map(|o| 7.0 / o.per_week)
                .collect();
            let mut next: Vec<f64> = spacing.iter().map(|s| start_day + 0.5 * s).collect();
            let end_day = start_day + f64::from(phase.days);
            let mut weeks: Vec<Option<WeekRecord>> = vec![None; domains.len()];
            while let Some((k, &day)) = next
                .iter()
                .enumerate()
                .filter(|(_, d)| **d < end_day)
                .min_by(|a, b| a.1.total_cmp(b.1))
            {
                // Days are never negative: truncation is the floor.
                let week = (day / 7.0) as u32 + 1;
                for w in weeks.iter_mut() {
                    if w.as_ref().is_some_and(|r| r.week != week) {
                        each(w.as_ref().expect("checked"));
                        *w = None;
                    }
                }
                let o = &phase.opportunities[k];
                mind.relax(day * DAY_S - now_s);
                now_s = day * DAY_S;
                let (attempted, outcome) = opportunity(mind, o, index[k], rng);
                next[k] += spacing[k];
                let w = weeks[index[k]].get_or_insert_with(|| WeekRecord {
                    phase: name.clone(),
                    week,
                    domain: index[k],
                    opportunities: 0,
                    attempts: 0,
                    successes: 0,
                    expectation: 0.0,
                    global: 0.0,
                    esteem: 0.0,
                });
                w.opportunities += 1;
                w.attempts += u32::from(attempted);
                w.successes += u32::from(outcome.is_good());
                // The readouts after the domain's last opportunity of the week: the
                // schedule says which one that is, so the state is read once a week.
                if next[k] >= end_day || (next[k] / 7.0) as u32 + 1 != week {
                    let state = mind.state();
                    w.expectation = state.get("E").unwrap_or(f64::NAN);
                    w.global = state.get("G").unwrap_or(f64::NAN);
                    w.esteem = state.get("esteem").unwrap_or(f64::NAN);
                }
            }
            for w in weeks.iter().flatten() {
                each(w);
            }
            start_day = end_day;
        }
    }
}

/// One opportunity of `o` in domain `domain`: whether the person attempted, and how it
/// ended.
fn opportunity<M: Mind>(
    mind: &mut M,
    o: &Opportunities,
    domain: usize,
    rng: &mut SubjectRng,
) -> (bool, Outcome) {
    let mut session = Session::new(domain, Apparatus::Problems);
    session.domain = domain;
    session.clock = Clock::Day;
    mind.begin_session(&session);
    mind.onset(&Episode::task(o.stake, 0));
    // Half a detector window: the decision and its outcome are one observation.
    const DECISION_S: f64 = 0.5;
    let attempted = rng.random::<f64>() < mind.attempt_probability();
    if attempted {
        mind.respond();
    }
    mind.advance(DECISION_S);
    let came = rng.random::<f64>()
        < if attempted {
            o.p_attempt
        } else {
            o.p_no_attempt
        };
    let outcome = match (came, attempted) {
        (false, _) => Outcome::Failed,
        (true, true) => Outcome::Earned,
        (true, false) => Outcome::Unearned,
    };
    mind.outcome(outcome);
    mind.offset();
    mind.end_session();
    (attempted, outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CircuitMind, CircuitParams, SubjectId};

    fn live(life: &Life, params: CircuitParams, seed: u64) -> Vec<WeekRecord> {
        let mut person = CircuitMind::new(params).unwrap();
        let mut weeks = Vec::new();
        life.live(&mut person, &mut SubjectId::new("p", 0).rng(seed), |w| {
            weeks.push(w.clone())
        });
        weeks
    }

    #[test]
    fn every_opportunity_is_counted_once_in_its_week() {
        let life = Life::new(vec![
            LifePhase::new("a", 10).with(Opportunities::new("work", 5.0, 0.8, 0.0)),
            LifePhase::new("b", 4).with(Opportunities::new("health", 7.0, 0.5, 0.5)),
        ]);
        life.validate().unwrap();
        let weeks = live(&life, CircuitParams::human(), 3);
        let count = |d: usize| -> u32 {
            weeks
                .iter()
                .filter(|w| w.domain == d)
                .map(|w| w.opportunities)
                .sum()
        };
        // 10 days at 5 a week: opportunities at days 0.7, 2.1, ... 9.1 (7 of them);
        // 4 days at 7 a week: 4.
        assert_eq!((count(0), count(1)), (7, 4));
        assert_eq!(life.domains(), ["work", "health"]);
        assert!(weeks.windows(2).all(|p| p[0].week <= p[1].week));
    }

    #[test]
    fn bad_lives_are_refused_with_the_field() {
        let bad = |l: Life| l.validate().unwrap_err().to_string();
        let e = bad(Life::new(vec![LifePhase::new("a", 0)]));
        assert!(e.contains("phases[0].days"), "{e}");
        let e = bad(Life::new(vec![LifePhase::new("a", 1_000_000_000)]));
        assert!(e.contains("phases[0].days"), "{e}");
        let e = bad(Life::new(vec![
            LifePhase::new("a", 5).with(Opportunities::new("work", 0.0, 0.5, 0.0)),
        ]));
        assert!(
            e.contains("per_week") && e.contains("nothing to offer"),
            "{e}"
        );
        let e = bad(Life::new(vec![
            LifePhase::new("a", 5).with(Opportunities::new("work", 1.0, 1.5, 0.0)),
        ]));
        assert!(e.contains("p_attempt") && e.contains("1.5"), "{e}");
    }

    #[test]
    fn the_same_seed_lives_the_same_life() {
        let life = Life::new(vec![
            LifePhase::new("a", 60)
                .with(Opportunities::new("work", 5.0, 0.3, 0.0))
                .with(Opportunities::new("school", 3.0, 0.9, 0.1)),
        ]);
        assert_eq!(
            live(&life, CircuitParams::human(), 9),
            live(&life, CircuitParams::human(), 9)
        );
    }
}
