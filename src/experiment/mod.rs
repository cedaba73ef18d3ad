//! Experiments: groups x phases, validated, then run with a seed.
//!
//! A phase is a session in an apparatus with a schedule; each group meets it under its
//! own contingency (escapable, yoked, fixed, partial, no shock). Yoking pairs subject i
//! of one group with subject i of another, so yoked subjects run together with their
//! partners, and a run is parallel over these yoke sets.

mod builder;
mod engine;
mod runner;
mod sink;
mod validate;

pub use builder::Run;
pub use runner::{Observer, RunOptions, StopSignal};
pub use sink::{CsvSink, JsonLinesSink, Sink, VecSink};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::apparatus::Apparatus;
use crate::contingency::Contingency;
use crate::error::Error;
use crate::intervention::Intervention;
use crate::mind::{Instruction, Theory, TheoryFactory, Variation};
use crate::stimulus::Schedule;

/// Most subjects one group may have (summaries keep a few bytes per subject).
pub const MAX_SUBJECTS: u32 = 10_000_000;

/// Most groups x trials (of all phases) a protocol may have: a summary keeps one cell
/// of running statistics per group and trial, a few hundred bytes each.
pub const MAX_TRIAL_CELLS: u64 = 1_000_000;

/// Hours to seconds.
const HOUR: f64 = 3600.0;

/// One group: a name, a size, and its contingency in each phase where it differs from
/// the phase's default.
///
/// ```
/// use helplessness::{Contingency, Group};
/// let g = Group::new("inescapable", 10)
///     .with("pretreatment", Contingency::Yoked { to: "escapable".into() });
/// assert_eq!(g.contingency_in("pretreatment").and_then(|c| c.yoked_to()), Some("escapable"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Name, unique in the experiment.
    pub name: String,
    /// Number of subjects.
    pub subjects: u32,
    /// Contingency per phase name, overriding the phase's default.
    pub contingencies: BTreeMap<String, Contingency>,
    /// Interventions per phase name, for this group only (added to the phase's own).
    pub interventions: BTreeMap<String, Vec<Intervention>>,
    /// Context per phase name where this group's differs from the phase's: the same
    /// session in another place, so evidence and fear bind elsewhere.
    pub contexts: BTreeMap<String, String>,
    /// Phases this group sits out in its home cage: no session, no records, no
    /// evidence or fear from the phase's context; only time passes.
    pub home_cage: Vec<String>,
    /// What this group is told per phase, where it differs from the phase's own.
    pub instructions: BTreeMap<String, Instruction>,
    /// Parameter values every subject of the group has, set after the protocol's draws.
    pub params: BTreeMap<String, f64>,
    /// Per-subject draws for this group only, after `params`.
    pub variation: Vec<Variation>,
}

impl Group {
    /// A group of `subjects` subjects that meets every phase's default contingency.
    pub fn new(name: &str, subjects: u32) -> Self {
        Group {
            name: name.into(),
            subjects,
            contingencies: BTreeMap::new(),
            interventions: BTreeMap::new(),
            contexts: BTreeMap::new(),
            home_cage: Vec::new(),
            instructions: BTreeMap::new(),
            params: BTreeMap::new(),
            variation: Vec::new(),
        }
    }

    /// Keeps this group in its home cage during `phase`.
    ///
    /// ```
    /// use helplessness::Group;
    /// let hc = Group::new("HC", 8).home_cage("pretreatment");
    /// assert!(hc.sits_out("pretreatment") && !hc.sits_out("test"));
    /// ```
    pub fn home_cage(mut self, phase: &str) -> Self {
        self.home_cage.push(phase.into());
        self
    }

    /// Whether this group sits out `phase` in its home cage.
    pub fn sits_out(&self, phase: &str) -> bool {
        self.home_cage.iter().any(|p| p == phase)
    }

    /// Runs this group's session of `phase` in `context` instead of the phase's own.
    ///
    /// ```
    /// use helplessness::Group;
    /// let g = Group::new("other-box", 8).in_context("test", "novel-box");
    /// assert_eq!(g.context_in("test"), Some("novel-box"));
    /// ```
    pub fn in_context(mut self, phase: &str, context: &str) -> Self {
        self.contexts.insert(phase.into(), context.into());
        self
    }

    /// This group's own context in `phase`, if it has one.
    pub fn context_in(&self, phase: &str) -> Option<&str> {
        self.contexts.get(phase).map(String::as_str)
    }

    /// Gives every subject of this group the parameter value `value` (a trait the group
    /// was chosen for).
    ///
    /// ```
    /// let externals = helplessness::Group::new("externals", 16).with_param("external_locus", 0.6);
    /// assert_eq!(externals.params["external_locus"], 0.6);
    /// ```
    pub fn with_param(mut self, name: &str, value: f64) -> Self {
        self.params.insert(name.into(), value);
        self
    }

    /// Tells this group `instruction` in `phase`.
    ///
    /// ```
    /// use helplessness::{Group, mind::Instruction};
    /// let chance = Group::new("chance", 16).told("test", Instruction::Chance);
    /// assert_eq!(chance.instructions["test"], Instruction::Chance);
    /// ```
    pub fn told(mut self, phase: &str, instruction: Instruction) -> Self {
        self.instructions.insert(phase.into(), instruction);
        self
    }

    /// Gives this group `intervention` in `phase`.
    ///
    /// ```
    /// use helplessness::{Group, intervention::Intervention};
    /// let g = Group::new("ES-muscimol", 8).treat("pretreatment", Intervention::Muscimol { strength: 1.0 });
    /// assert_eq!(g.interventions_in("pretreatment").len(), 1);
    /// ```
    pub fn treat(mut self, phase: &str, intervention: Intervention) -> Self {
        self.interventions
            .entry(phase.into())
            .or_default()
            .push(intervention);
        self
    }

    /// This group's own interventions in `phase`.
    pub fn interventions_in(&self, phase: &str) -> &[Intervention] {
        self.interventions.get(phase).map_or(&[], Vec::as_slice)
    }

    /// Gives this group `contingency` in `phase`.
    pub fn with(mut self, phase: &str, contingency: Contingency) -> Self {
        self.contingencies.insert(phase.into(), contingency);
        self
    }

    /// This group's own contingency in `phase`, if it has one.
    pub fn contingency_in(&self, phase: &str) -> Option<&Contingency> {
        self.contingencies.get(phase)
    }
}

/// One session that every group goes through.
///
/// ```
/// use helplessness::{Apparatus, Block, Contingency, Iti, Phase, Requirement, Schedule};
/// let test = Phase::new(
///     "test",
///     Apparatus::ShuttleBox,
///     Schedule::new(vec![Block::new(10, 4.5)], Iti::Fixed { s: 90.0 }, 60.0),
///     Contingency::escapable(Requirement::FixedRatio { ratio: 1 }),
/// )
/// .after_hours(24.0);
/// assert_eq!(test.context_name(), "shuttle-box");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// Name, unique in the experiment (e.g. `pretreatment`, `test`).
    pub name: String,
    /// Time from the end of the previous phase to the start of this one, hours.
    pub after_hours: f64,
    /// Apparatus.
    pub apparatus: Apparatus,
    /// Context name: evidence is bound to it. Defaults to the apparatus name.
    pub context: Option<String>,
    /// Life domain of the context; `lab` when `None`.
    pub domain: Option<String>,
    /// What every group is told about the task, unless a group says otherwise.
    pub instructions: Option<Instruction>,
    /// Trials, intensities, intervals and cut-off.
    pub schedule: Schedule,
    /// Contingency of groups that do not name their own.
    pub contingency: Contingency,
    /// Interventions every group receives in this phase.
    pub interventions: Vec<Intervention>,
}

impl Phase {
    /// A phase that starts right after the previous one.
    pub fn new(
        name: &str,
        apparatus: Apparatus,
        schedule: Schedule,
        contingency: Contingency,
    ) -> Self {
        Phase {
            name: name.into(),
            after_hours: 0.0,
            apparatus,
            context: None,
            domain: None,
            instructions: None,
            schedule,
            contingency,
            interventions: Vec::new(),
        }
    }

    /// Starts this phase `hours` after the previous one ends.
    pub fn after_hours(mut self, hours: f64) -> Self {
        self.after_hours = hours;
        self
    }

    /// Runs this phase in a named context.
    pub fn in_context(mut self, context: &str) -> Self {
        self.context = Some(context.into());
        self
    }

    /// The context's name.
    pub fn context_name(&self) -> &str {
        self.context.as_deref().unwrap_or(self.apparatus.name())
    }

    /// Runs this phase in a named life domain.
    ///
    /// ```
    /// use helplessness::{Apparatus, Contingency, Iti, Phase, Requirement, Schedule};
    /// use helplessness::stimulus::Block;
    /// let schedule = Schedule::new(vec![Block::new(20, 1.0)], Iti::Fixed { s: 30.0 }, 60.0);
    /// let fr1 = Contingency::escapable(Requirement::FixedRatio { ratio: 1 });
    /// let exam = Phase::new("exam", Apparatus::Problems, schedule, fr1).in_domain("school");
    /// assert_eq!(exam.domain.as_deref(), Some("school"));
    /// ```
    pub fn in_domain(mut self, domain: &str) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// The life domain's name: `lab` unless the phase names one.
    pub fn domain_name(&self) -> &str {
        self.domain.as_deref().unwrap_or(Self::LAB)
    }

    /// The domain of a phase that names none.
    pub const LAB: &'static str = "lab";
}

/// How a subject is scored as failing in a phase: at least `min_failures` trials run to
/// the cut-off (Seligman & Maier 1967: 9 of 10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Phase scored (the one a run's closing summary reports).
    pub phase: String,
    /// Failed trials that make a failing subject.
    pub min_failures: u32,
    /// Other phases scored the same way (retests, tests at other delays).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

impl Criterion {
    /// Whether `phase` is scored.
    ///
    /// ```
    /// let c = helplessness::Criterion { phase: "test-1".into(), min_failures: 9, also: vec!["test-2".into()] };
    /// assert!(c.applies_to("test-2") && !c.applies_to("therapy"));
    /// ```
    pub fn applies_to(&self, phase: &str) -> bool {
        self.phase == phase || self.also.iter().any(|p| p == phase)
    }
}

/// A whole experiment: parameters, groups and phases.
///
/// ```
/// use helplessness::protocol;
/// let exp = protocol::triadic_rat(20);
/// assert!(exp.validate().is_ok());
/// let records = exp.run(7).unwrap();
/// // The home-cage group sits out the pretreatment.
/// assert_eq!(records.len(), 2 * 20 * (80 + 27) + 20 * 27);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    /// Name.
    pub name: String,
    /// The theory of the subject and its parameters ([`crate::CircuitMind`] unless the
    /// protocol chooses another).
    pub theory: Theory,
    /// Per-subject parameter draws.
    pub variation: Vec<Variation>,
    /// Tick length while a shock is on, s: the step of theories that advance tick by
    /// tick ([`crate::mind::tick_run`]); the circuit steps a detector window at a time
    /// and ticks only its traces.
    pub dt_s: f64,
    /// Groups, in output order.
    pub groups: Vec<Group>,
    /// Phases, in time order.
    pub phases: Vec<Phase>,
    /// How failing subjects are counted.
    pub criterion: Option<Criterion>,
}

impl Experiment {
    /// An experiment of `theory` (its parameters, such as [`crate::CircuitParams`])
    /// with no groups or phases yet, the default tick of 0.1 s and no individual
    /// differences.
    ///
    /// ```
    /// use helplessness::{CircuitParams, Experiment};
    /// let e = Experiment::new("mine", CircuitParams::rat());
    /// assert_eq!(e.theory.name(), "circuit");
    /// assert!(e.validate().is_err()); // no groups yet
    /// ```
    pub fn new(name: &str, theory: impl Into<Theory>) -> Self {
        Experiment {
            name: name.into(),
            theory: theory.into(),
            variation: Vec::new(),
            dt_s: 0.1,
            groups: Vec::new(),
            phases: Vec::new(),
            criterion: None,
        }
    }

    /// Adds a group.
    pub fn group(mut self, group: Group) -> Self {
        self.groups.push(group);
        self
    }

    /// Adds a phase after the existing ones.
    pub fn phase(mut self, phase: Phase) -> Self {
        self.phases.push(phase);
        self
    }

    /// Adds a per-subject parameter draw.
    pub fn vary(mut self, variation: Variation) -> Self {
        self.variation.push(variation);
        self
    }

    /// Sets the failure criterion.
    pub fn criterion(mut self, phase: &str, min_failures: u32) -> Self {
        self.criterion = Some(Criterion {
            phase: phase.into(),
            min_failures,
            also: Vec::new(),
        });
        self
    }

    /// Sets the number of subjects in every group.
    pub fn with_subjects(mut self, n: u32) -> Self {
        for g in &mut self.groups {
            g.subjects = n;
        }
        self
    }

    /// The contingency `group` meets in `phase`.
    pub fn contingency<'a>(&self, group: &'a Group, phase: &'a Phase) -> &'a Contingency {
        group
            .contingency_in(&phase.name)
            .unwrap_or(&phase.contingency)
    }

    /// Whether `group` takes part in `phase` (is not in its home cage).
    ///
    /// ```
    /// let exp = helplessness::protocol::triadic_rat(2);
    /// let (pre, hc) = (&exp.phases[0], &exp.groups[2]); // the home-cage rats
    /// assert!(!exp.takes_part(hc, pre) && exp.takes_part(hc, &exp.phases[1]));
    /// ```
    pub fn takes_part(&self, group: &Group, phase: &Phase) -> bool {
        !group.sits_out(&phase.name)
    }

    /// The context `group` meets `phase` in: its own, else the phase's.
    ///
    /// ```
    /// let mut exp = helplessness::protocol::triadic_rat(2);
    /// exp.groups[1] = exp.groups[1].clone().in_context("test", "novel-box");
    /// let test = &exp.phases[1];
    /// assert_eq!(exp.context_of(&exp.groups[0], test), "shuttle-box");
    /// assert_eq!(exp.context_of(&exp.groups[1], test), "novel-box");
    /// ```
    pub fn context_of<'a>(&self, group: &'a Group, phase: &'a Phase) -> &'a str {
        group
            .context_in(&phase.name)
            .unwrap_or_else(|| phase.context_name())
    }

    /// The life domains the experiment's phases happen in, in order of first use (a
    /// [`crate::Session::domain`] is the position here).
    ///
    /// ```
    /// let exp = helplessness::protocol::triadic_rat(1);
    /// assert_eq!(exp.domains(), ["lab"]);
    /// ```
    pub fn domains(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for d in self.phases.iter().map(Phase::domain_name) {
            if !names.contains(&d) {
                names.push(d);
            }
        }
        names
    }

    /// The cues the experiment presents, in order of first use (an episode's
    /// [`crate::mind::Episode::cue`] is the position here, from 1).
    ///
    /// ```
    /// let exp = helplessness::protocol::bundled("go-nogo").unwrap().experiment;
    /// assert_eq!(exp.cues(), ["go-to-win", "nogo-to-win", "decoy"]);
    /// ```
    pub fn cues(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for b in self.phases.iter().flat_map(|p| &p.schedule.blocks) {
            if let Some(c) = b.cue.as_deref()
                && !names.contains(&c)
            {
                names.push(c);
            }
        }
        names
    }

    /// The cue of trial `trial` (from 1) of `phase`, if its block presents one: how
    /// records of a shuffled Go/NoGo session are read by cue.
    ///
    /// ```
    /// let exp = helplessness::protocol::bundled("go-nogo").unwrap().experiment;
    /// let low = &exp.phases[0];
    /// let cues: Vec<_> = (1..=120).filter_map(|t| exp.cue_of(low, t)).collect();
    /// assert_eq!(cues.iter().filter(|c| **c == "decoy").count(), 40);
    /// ```
    pub fn cue_of<'a>(&self, phase: &'a Phase, trial: u32) -> Option<&'a str> {
        let order = phase.schedule.order();
        let block = *order.get((trial as usize).checked_sub(1)?)?;
        phase.schedule.blocks[block].cue.as_deref()
    }

    /// The phases statistics cover: those the failure criterion scores, else the last.
    ///
    /// ```
    /// let exp = helplessness::protocol::triadic_rat(1);
    /// assert_eq!(exp.scored_phases(), ["test"]);
    /// ```
    pub fn scored_phases(&self) -> Vec<&str> {
        match &self.criterion {
            Some(c) => self
                .phases
                .iter()
                .filter(|p| c.applies_to(&p.name))
                .map(|p| p.name.as_str())
                .collect(),
            None => self
                .phases
                .last()
                .map(|p| p.name.as_str())
                .into_iter()
                .collect(),
        }
    }

    /// The same experiment under another theory, keeping the per-subject draws of the
    /// parameters that theory also has; returns the draws it had to drop (a parameter
    /// the theory lacks), so a comparison can say so.
    ///
    /// ```
    /// use helplessness::{protocol, mind::{Species, Theory}};
    /// let rat = protocol::triadic_rat(2);
    /// let theory = Theory::named("arbitration", Species::Rat).unwrap();
    /// let (under, dropped) = rat.with_theory(theory);
    /// assert_eq!(under.theory.name(), "arbitration");
    /// assert_eq!(dropped, ["initial_expectation", "response_bias"]);
    /// assert!(under.run(1).is_ok());
    /// ```
    pub fn with_theory(&self, theory: Theory) -> (Experiment, Vec<String>) {
        let (kept, dropped): (Vec<Variation>, Vec<Variation>) = self
            .variation
            .iter()
            .cloned()
            .partition(|v| theory.get(&v.parameter).is_some());
        let mut dropped: Vec<String> = dropped.into_iter().map(|v| v.parameter).collect();
        let mut groups = self.groups.clone();
        for g in &mut groups {
            for name in g
                .params
                .keys()
                .chain(g.variation.iter().map(|v| &v.parameter))
            {
                if theory.get(name).is_none() && !dropped.contains(name) {
                    dropped.push(name.clone());
                }
            }
            g.params.retain(|name, _| theory.get(name).is_some());
            g.variation.retain(|v| theory.get(&v.parameter).is_some());
        }
        let exp = Experiment {
            theory,
            variation: kept,
            groups,
            ..self.clone()
        };
        (exp, dropped)
    }

    /// The factory of this experiment's theory, with its parameters, per-subject
    /// variation and each group's own values and draws.
    pub fn factory(&self) -> Result<TheoryFactory, Error> {
        let mut f = self.theory.factory(self.variation.clone())?;
        for (i, g) in self.groups.iter().enumerate() {
            if !g.params.is_empty() || !g.variation.is_empty() {
                f = f.with_group(i, &g.name, &g.params, &g.variation)?;
            }
        }
        Ok(f)
    }

    /// What `group` is told in `phase`: its own instructions, else the phase's.
    pub fn instruction_of(&self, group: &Group, phase: &Phase) -> Option<Instruction> {
        group
            .instructions
            .get(&phase.name)
            .copied()
            .or(phase.instructions)
    }

    /// The longest shock any group can receive on one trial of `phase`, s: the cut-off
    /// (plus a response-to-offset delay), or a fixed duration.
    ///
    /// ```
    /// let exp = helplessness::protocol::triadic_rat(2);
    /// // Pretreatment: a 30 s cut-off for the escapable rats; the test: 30 s.
    /// assert_eq!(exp.longest_shock_s(&exp.phases[0]), 30.0);
    /// assert_eq!(exp.longest_shock_s(&exp.phases[1]), 30.0);
    /// ```
    pub fn longest_shock_s(&self, phase: &Phase) -> f64 {
        let cutoff = phase.schedule.cutoff_s;
        let longest = |c: &Contingency| match c {
            Contingency::Escapable { delay_s, .. } => cutoff + delay_s,
            Contingency::Fixed { duration_s } => *duration_s,
            Contingency::DoneForYou { after_s } => *after_s,
            Contingency::NoShock => 0.0,
            _ => cutoff,
        };
        let blocks = phase
            .schedule
            .blocks
            .iter()
            .filter_map(|b| b.contingency.as_ref())
            .map(longest)
            .fold(0.0, f64::max);
        self.groups
            .iter()
            .filter(|g| self.takes_part(g, phase))
            .map(|g| longest(self.contingency(g, phase)))
            .fold(blocks, f64::max)
    }

    /// The most engine ticks a run can take: every subject shocked for the longest
    /// possible time on every trial, one tick per `dt_s` (escapes make the real count
    /// smaller). `check` turns it into a warning with a time estimate.
    ///
    /// ```
    /// let exp = helplessness::protocol::triadic_dog(10);
    /// // 30 dogs x (64 harness shocks of at most 60 s + 10 tests of 60 s), 10 ticks a s.
    /// assert!(exp.max_ticks() <= 30.0 * 74.0 * 60.0 * 10.0 * 1.01);
    /// ```
    pub fn max_ticks(&self) -> f64 {
        let longest: Vec<f64> = self
            .phases
            .iter()
            .map(|p| f64::from(p.schedule.trials()) * self.longest_shock_s(p))
            .collect();
        let subject_s: f64 = self
            .groups
            .iter()
            .map(|g| {
                let shock_s: f64 = self
                    .phases
                    .iter()
                    .zip(&longest)
                    .filter(|(p, _)| self.takes_part(g, p))
                    .map(|(_, s)| s)
                    .sum();
                f64::from(g.subjects) * shock_s
            })
            .sum();
        subject_s / self.dt_s
    }

    /// Number of yoke sets (the units a run is parallel over and reports progress in).
    ///
    /// ```
    /// // An escapable/yoked pair per index, and each no-shock rat alone.
    /// assert_eq!(helplessness::protocol::triadic_rat(10).yoke_sets(), 20);
    /// ```
    pub fn yoke_sets(&self) -> u64 {
        runner::components(self)
            .iter()
            .map(|c| u64::from(self.groups[c[0]].subjects))
            .sum()
    }
}
