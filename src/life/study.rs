//! A life study: groups of people, each group living the same phases of days with its
//! own opportunities, traits and draws; what a life protocol file describes.

use std::collections::BTreeMap;

use super::{Life, MAX_DAYS};
use crate::error::Error;
use crate::mind::{Theory, TheoryFactory, Variation};
use crate::names::check_unique;

/// Most people in one group.
pub const MAX_PEOPLE: u32 = 10_000_000;

/// One group of a life study: people chosen for a trait or given a different life.
#[derive(Debug, Clone, PartialEq)]
pub struct LifeGroup {
    /// Name, unique in the study.
    pub name: String,
    /// People in the group.
    pub subjects: u32,
    /// Parameter values every member has (an attributional style, a sensitivity).
    pub params: BTreeMap<String, f64>,
    /// Per-person draws for this group only, after the study's and `params`.
    pub variation: Vec<Variation>,
    /// The life this group lives: the study's phases with the group's own
    /// opportunities where they differ.
    pub life: Life,
}

/// Groups of people living phases of days: see the [module docs](self).
///
/// ```
/// use helplessness::life::{Life, LifePhase, Opportunities, LifeGroup, LifeStudy};
/// use helplessness::mind::{Species, Theory};
/// let life = |p| Life::new(vec![
///     LifePhase::new("job", 182).with(Opportunities::new("work", 5.0, p, 0.0)),
/// ]);
/// let group = |name: &str, p| LifeGroup {
///     name: name.into(), subjects: 20, params: Default::default(),
///     variation: vec![], life: life(p),
/// };
/// let study = LifeStudy {
///     name: "workplaces".into(),
///     theory: Theory::named("circuit", Species::Human).unwrap(),
///     variation: vec![],
///     groups: vec![group("fair", 0.8), group("toxic", 0.05)],
/// };
/// study.validate().unwrap();
/// assert_eq!(study.domains(), ["work"]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LifeStudy {
    /// Name of the study.
    pub name: String,
    /// The theory of the person, with its parameters.
    pub theory: Theory,
    /// Parameters drawn per person.
    pub variation: Vec<Variation>,
    /// The groups.
    pub groups: Vec<LifeGroup>,
}

impl LifeStudy {
    /// Checks groups, lives and the theory's draws; errors name fields as
    /// `groups[1].life.phases[0].days`.
    pub fn validate(&self) -> Result<(), Error> {
        if self.groups.is_empty() {
            return Err(Error::invalid("groups", "[]", "a study needs a group"));
        }
        check_unique(
            self.groups.iter().map(|g| g.name.as_str()),
            "groups",
            "group",
        )?;
        for (i, g) in self.groups.iter().enumerate() {
            if g.subjects == 0 || g.subjects > MAX_PEOPLE {
                return Err(Error::invalid(
                    format!("groups[{i}].subjects"),
                    g.subjects,
                    format!("a group has 1 to {MAX_PEOPLE} people"),
                ));
            }
            g.life
                .validate()
                .map_err(|e| e.map_field(|f| format!("groups[{i}].life.{f}").into()))?;
        }
        let phases = |g: &LifeGroup| -> Vec<(String, u32)> {
            g.life
                .phases
                .iter()
                .map(|p| (p.name.clone(), p.days))
                .collect()
        };
        if let Some(i) = self
            .groups
            .iter()
            .position(|g| phases(g) != phases(&self.groups[0]))
        {
            return Err(Error::invalid(
                format!("groups[{i}].life.phases"),
                format!("{:?}", phases(&self.groups[i])),
                "every group lives the same phases, of the same lengths",
            ));
        }
        let total = self.groups[0].life.days();
        if total > u64::from(MAX_DAYS) {
            return Err(Error::invalid(
                format!(
                    "groups[0].life.phases[{}].days",
                    self.groups[0].life.phases.len() - 1
                ),
                format!("{total} days"),
                format!("a life lasts at most {MAX_DAYS} days in all"),
            ));
        }
        let names: Vec<&str> = self.theory.variables().iter().map(|v| v.name).collect();
        if !["E", "G", "esteem"].iter().all(|n| names.contains(n)) {
            return Err(Error::invalid(
                "mind.theory",
                format!("\"{}\"", self.theory.name()),
                "a life needs expectations of control per domain and self-esteem \
                 (the circuit and expectancy theories keep them)",
            ));
        }
        self.factory().map(|_| ())
    }

    /// The factory of every person's mind: the theory, the study's draws, then each
    /// group's values and draws.
    pub fn factory(&self) -> Result<TheoryFactory, Error> {
        let mut f = self.theory.factory(self.variation.clone())?;
        for (i, g) in self.groups.iter().enumerate() {
            f = f.with_group(i, &g.name, &g.params, &g.variation)?;
        }
        Ok(f)
    }

    /// Every domain any group meets, in order of first mention.
    pub fn domains(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for g in &self.groups {
            for d in g.life.domains() {
                if !names.iter().any(|n| n == d) {
                    names.push(d.to_string());
                }
            }
        }
        names
    }

    /// The phases' names, in time order.
    pub fn phases(&self) -> Vec<String> {
        self.groups.first().map_or_else(Vec::new, |g| {
            g.life.phases.iter().map(|p| p.name.clone()).collect()
        })
    }

    /// The same study with `n` people in every group.
    pub fn with_subjects(mut self, n: u32) -> Self {
        for g in &mut self.groups {
            g.subjects = n;
        }
        self
    }

    /// Person-years the study simulates.
    pub fn person_years(&self) -> f64 {
        self.groups
            .iter()
            .map(|g| f64::from(g.subjects) * g.life.days() as f64 / 365.25)
            .sum()
    }
}
