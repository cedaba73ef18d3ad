//! What a life study found, without keeping the people: per group, phase, week and
//! domain the counts and the moments of each readout; at each phase's end, every group
//! against the first.

use std::sync::Arc;

use serde::Serialize;

use super::WeekRecord;
use crate::analysis::moments::Moments;
use crate::analysis::{Described, cohens_d_described, welch_t_described};
use crate::error::Error;

/// One group's week in one domain, over its people.
#[derive(Debug, Clone)]
pub struct WeekCell {
    /// The phase.
    pub phase: Arc<str>,
    /// Week of the life, from 1.
    pub week: u32,
    /// The domain, as an index into [`LifeSummary::domains`].
    pub domain: usize,
    /// Opportunities met, over people.
    pub opportunities: u64,
    /// Of them, attempted.
    pub attempts: u64,
    /// Of them, ending in the outcome.
    pub successes: u64,
    /// People in a helpless state ([`WeekRecord::helpless`]).
    pub helpless: u64,
    /// Whether all seven days of the week lie in the phase (a phase that starts or
    /// ends mid-week has a partial week there).
    pub complete: bool,
    expectation: Moments,
    global: Moments,
    esteem: Moments,
}

impl WeekCell {
    /// People.
    pub fn n(&self) -> u64 {
        self.expectation.n
    }
    /// The domain's expectation of control over people.
    pub fn expectation(&self) -> Described {
        self.expectation.described()
    }
    /// The global expectation over people.
    pub fn global(&self) -> Described {
        self.global.described()
    }
    /// Self-esteem over people.
    pub fn esteem(&self) -> Described {
        self.esteem.described()
    }
    /// Standard error of a mean of this cell's people with standard deviation `sd`.
    pub fn sem(&self, d: Described) -> f64 {
        d.sd / (d.n as f64).sqrt()
    }
    /// Share of people in a helpless state.
    pub fn helpless_share(&self) -> f64 {
        self.helpless as f64 / self.n().max(1) as f64
    }
    /// Share of opportunities attempted.
    pub fn attempt_share(&self) -> f64 {
        self.attempts as f64 / self.opportunities.max(1) as f64
    }
}

/// One group's weeks, in the order its life records them.
#[derive(Debug, Clone)]
pub struct GroupWeeks {
    /// The group's name.
    pub name: String,
    /// Per week and domain.
    pub cells: Vec<WeekCell>,
}

impl GroupWeeks {
    pub(super) fn new(name: &str) -> Self {
        GroupWeeks {
            name: name.into(),
            cells: Vec::new(),
        }
    }

    /// The `k`th week record of a person of this group: every person's life records
    /// the same weeks in the same order, so it belongs in cell `k`.
    pub(super) fn add(&mut self, k: usize, domain: usize, w: &WeekRecord) {
        if k == self.cells.len() {
            self.cells.push(WeekCell {
                phase: w.phase.clone(),
                week: w.week,
                domain,
                opportunities: 0,
                attempts: 0,
                successes: 0,
                helpless: 0,
                complete: false,
                expectation: Moments::default(),
                global: Moments::default(),
                esteem: Moments::default(),
            });
        }
        let c = &mut self.cells[k];
        debug_assert!(c.week == w.week && c.domain == domain);
        c.opportunities += u64::from(w.opportunities);
        c.attempts += u64::from(w.attempts);
        c.successes += u64::from(w.successes);
        c.helpless += u64::from(w.helpless());
        c.expectation.push(w.expectation);
        c.global.push(w.global);
        c.esteem.push(w.esteem);
    }

    /// Joins the weeks of more people of the same group.
    pub(super) fn merge(&mut self, other: &GroupWeeks) -> Result<(), Error> {
        if self.cells.is_empty() {
            self.cells = other.cells.clone();
            return Ok(());
        }
        if other.cells.len() != self.cells.len() {
            return Err(Error::invalid(
                format!("groups.{}", self.name),
                other.cells.len(),
                "people of one group lived different weeks",
            ));
        }
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.opportunities += b.opportunities;
            a.attempts += b.attempts;
            a.successes += b.successes;
            a.helpless += b.helpless;
            a.expectation.merge(&b.expectation);
            a.global.merge(&b.global);
            a.esteem.merge(&b.esteem);
        }
        Ok(())
    }

    /// Marks the weeks that lie wholly in their phase of `life`.
    pub(super) fn mark_complete(&mut self, life: &super::Life) {
        let mut start = 0u64;
        let ranges: Vec<(&str, u64, u64)> = life
            .phases
            .iter()
            .map(|p| {
                let r = (p.name.as_str(), start, start + u64::from(p.days));
                start = r.2;
                r
            })
            .collect();
        for c in &mut self.cells {
            let (first, end) = (7 * u64::from(c.week - 1), 7 * u64::from(c.week));
            c.complete = ranges
                .iter()
                .any(|(name, a, b)| *name == &*c.phase && first >= *a && end <= *b);
        }
    }

    /// The last complete week of `phase` in `domain` (or its last week, if it has no
    /// complete one), if the domain met the group then.
    pub fn phase_end(&self, phase: &str, domain: usize) -> Option<&WeekCell> {
        let of = |c: &&WeekCell| &*c.phase == phase && c.domain == domain;
        self.cells
            .iter()
            .rev()
            .filter(of)
            .find(|c| c.complete)
            .or_else(|| self.cells.iter().rev().find(of))
    }

    /// This group's cell of `phase`, `week` and `domain`.
    pub fn cell(&self, phase: &str, week: u32, domain: usize) -> Option<&WeekCell> {
        self.cells
            .iter()
            .find(|c| &*c.phase == phase && c.week == week && c.domain == domain)
    }
}

/// A life study's summary: per group, its weeks.
#[derive(Debug, Clone)]
pub struct LifeSummary {
    /// The study's domains.
    pub domains: Vec<String>,
    /// Per group, in the study's order.
    pub groups: Vec<GroupWeeks>,
}

/// A group against the reference group (the first) at a phase's end, in one domain.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseEnd {
    /// The phase.
    pub phase: String,
    /// The domain.
    pub domain: String,
    /// The week compared: the reference group's last complete week of the phase.
    pub week: u32,
    /// The group.
    pub group: String,
    /// The reference group.
    pub reference: String,
    /// The domain's expectation in the group.
    pub expectation: Described,
    /// ... and in the reference group.
    pub reference_expectation: Described,
    /// Welch's t on the expectation, group minus reference.
    pub t: f64,
    /// Its degrees of freedom.
    pub df: f64,
    /// Its two-sided p.
    pub p: f64,
    /// Cohen's d, group minus reference.
    pub d: f64,
    /// Self-esteem in the group and the reference, means.
    pub esteem: (f64, f64),
    /// Share of people in a helpless state, group and reference.
    pub helpless: (f64, f64),
    /// Share of opportunities attempted, group and reference.
    pub attempted: (f64, f64),
}

impl LifeSummary {
    /// Every group but the first against the first, at each phase's end (the
    /// reference's last complete week there), per domain.
    pub fn phase_ends(&self, phases: &[String]) -> Vec<PhaseEnd> {
        let mut out = Vec::new();
        let Some(reference) = self.groups.first() else {
            return out;
        };
        for phase in phases {
            for (d, domain) in self.domains.iter().enumerate() {
                let Some(r) = reference.phase_end(phase, d) else {
                    continue;
                };
                for g in &self.groups[1..] {
                    let Some(c) = g.cell(phase, r.week, d).or_else(|| g.phase_end(phase, d)) else {
                        continue;
                    };
                    let (x, y) = (c.expectation(), r.expectation());
                    let w = welch_t_described(x, y);
                    out.push(PhaseEnd {
                        phase: phase.clone(),
                        domain: domain.clone(),
                        week: c.week,
                        group: g.name.clone(),
                        reference: reference.name.clone(),
                        expectation: x,
                        reference_expectation: y,
                        t: w.t,
                        df: w.df,
                        p: w.p,
                        d: cohens_d_described(x, y),
                        esteem: (c.esteem().mean, r.esteem().mean),
                        helpless: (c.helpless_share(), r.helpless_share()),
                        attempted: (c.attempt_share(), r.attempt_share()),
                    });
                }
            }
        }
        out
    }

    /// The summary as CSV: one row per group, week and domain.
    pub fn to_csv(&self) -> Result<String, Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "group",
            "phase",
            "week",
            "domain",
            "n",
            "opportunities",
            "attempts",
            "successes",
            "attempt_share",
            "E_mean",
            "E_sem",
            "G_mean",
            "G_sem",
            "esteem_mean",
            "esteem_sem",
            "helpless_share",
        ])?;
        let num = |x: f64| {
            if x.is_finite() {
                format!("{x}")
            } else {
                String::new()
            }
        };
        for g in &self.groups {
            for c in &g.cells {
                let (e, gl, s) = (c.expectation(), c.global(), c.esteem());
                w.write_record([
                    g.name.clone(),
                    c.phase.to_string(),
                    c.week.to_string(),
                    self.domains[c.domain].clone(),
                    c.n().to_string(),
                    c.opportunities.to_string(),
                    c.attempts.to_string(),
                    c.successes.to_string(),
                    num(c.attempt_share()),
                    num(e.mean),
                    num(c.sem(e)),
                    num(gl.mean),
                    num(c.sem(gl)),
                    num(s.mean),
                    num(c.sem(s)),
                    num(c.helpless_share()),
                ])?;
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::Csv(csv::Error::from(e.into_error())))?;
        Ok(String::from_utf8(bytes).expect("CSV of UTF-8 fields"))
    }
}
