//! The protocol file format: serde types that mirror [`Experiment`] with every default
//! optional, so a small change is a small file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::apparatus::Apparatus;
use crate::contingency::Contingency;
use crate::error::Error;
use crate::experiment::{Criterion, Experiment, Group, Phase};
use crate::intervention::Intervention;
use crate::mind::{Instruction, Species, Theory, Variation};
use crate::stimulus::{Block, Iti, Schedule};

fn default_seed() -> u64 {
    1
}

fn default_subjects() -> u32 {
    super::DEFAULT_SUBJECTS
}

fn default_dt() -> f64 {
    0.1
}

fn shuttle_box() -> Apparatus {
    Apparatus::ShuttleBox
}

fn one_minute() -> Iti {
    Iti::Fixed { s: 60.0 }
}

fn thirty_seconds() -> f64 {
    30.0
}

fn escape_fr1() -> Contingency {
    Contingency::escapable(crate::contingency::Requirement::FixedRatio { ratio: 1 })
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn circuit() -> String {
    "circuit".into()
}

/// The `[mind]` table: which theory of the subject runs. Its parameters go in
/// `[params]` (or in `[mind]` itself, beside `theory`).
///
/// ```
/// use helplessness::protocol::ProtocolFile;
/// let file: ProtocolFile = toml::from_str(r#"
///     name = "choice"
///     [mind]
///     theory = "arbitration"
///     beta = 3.0
///     [[group]]
///     name = "low-control"
///     [[phase]]
///     name = "session"
///     blocks = [{ trials = 5, intensity = 1.0 }]
/// "#).unwrap();
/// let exp = file.to_experiment().unwrap();
/// assert_eq!(exp.theory.name(), "arbitration");
/// assert_eq!(exp.theory.get("beta"), Some(3.0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MindSpec {
    /// `circuit` (the default), `expectancy` or `arbitration`: see `helplessness
    /// theories`.
    #[serde(default = "circuit")]
    pub theory: String,
    /// Parameters given beside `theory`.
    #[serde(flatten)]
    pub params: BTreeMap<String, f64>,
}

impl Default for MindSpec {
    fn default() -> Self {
        MindSpec {
            theory: circuit(),
            params: BTreeMap::new(),
        }
    }
}

fn is_default_mind(m: &MindSpec) -> bool {
    *m == MindSpec::default()
}

/// One group in a protocol file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// Name, unique in the protocol.
    pub name: String,
    /// Subjects; the protocol's `subjects` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subjects: Option<u32>,
    /// Contingency per phase name where it differs from the phase's own.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub contingency: BTreeMap<String, Contingency>,
    /// Interventions per phase name for this group only.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub interventions: BTreeMap<String, Vec<Intervention>>,
    /// Context per phase name where this group's differs from the phase's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub context: BTreeMap<String, String>,
    /// Phases this group sits out in its home cage (no session, no records).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub home_cage: Vec<String>,
    /// What this group is told, per phase name, where it differs from the phase's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub instructions: BTreeMap<String, Instruction>,
    /// Parameter values every subject of this group has (a trait the group is chosen
    /// for: a locus of control, an attributional style), set after the protocol's draws.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, f64>,
    /// Per-subject draws for this group only, after the protocol's and `params`.
    #[serde(default, rename = "vary", skip_serializing_if = "Vec::is_empty")]
    pub variation: Vec<Variation>,
}

/// One phase (a session, after a delay) in a protocol file. Only `name` and `blocks`
/// are required: the rest defaults to an FR-1 shuttle-box escape session with a fixed
/// 60 s interval and a 30 s cut-off, right after the previous phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseSpec {
    /// Name, unique in the protocol.
    pub name: String,
    /// Delay after the previous phase, hours (or `after_days`, not both).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub after_hours: f64,
    /// Delay after the previous phase, days (or `after_hours`, not both).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub after_days: f64,
    /// Apparatus; a shuttle box when absent.
    #[serde(default = "shuttle_box")]
    pub apparatus: Apparatus,
    /// Context (where the shocks happen); the apparatus name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Life domain the context belongs to (work, school, relationships, health or any
    /// name); `lab` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// What every group is told about the task (`skill`, `chance`,
    /// `hard-for-everyone`), unless a group's own `instructions` say otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Instruction>,
    /// Trials, in blocks of equal intensity.
    pub blocks: Vec<Block>,
    /// Interval before each trial; 60 s when absent.
    #[serde(default = "one_minute")]
    pub iti: Iti,
    /// Longest a stimulus lasts when nothing ends it, s; 30 when absent.
    #[serde(default = "thirty_seconds")]
    pub cutoff_s: f64,
    /// Present the trials of all blocks in one shuffled order drawn from this seed
    /// (the same for every subject); in block order when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shuffle: Option<u64>,
    /// Contingency of the groups that do not name their own; FR-1 escape when absent.
    #[serde(default = "escape_fr1")]
    pub contingency: Contingency,
    /// Interventions tied to this phase.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interventions: Vec<Intervention>,
}

/// A whole protocol file. Everything but `name`, `group` and `phase` has a default, and
/// in those only the names and a phase's `blocks` are required.
///
/// ```
/// use helplessness::protocol::ProtocolFile;
/// let file: ProtocolFile = toml::from_str(r#"
///     name = "mini"
///     [[group]]
///     name = "shocked"
///     [[phase]]
///     name = "session"
///     blocks = [{ trials = 5, intensity = 0.6, ratio = 1 }]
///     contingency = { fixed = { duration_s = 5 } }
/// "#).unwrap();
/// let exp = file.to_experiment().unwrap();
/// assert_eq!(exp.groups[0].subjects, 100); // the default
/// assert_eq!(exp.phases[0].schedule.cutoff_s, 30.0);
/// assert_eq!(exp.phases[0].apparatus.name(), "shuttle-box");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtocolFile {
    /// Name of the protocol.
    pub name: String,
    /// One line on what it is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The study it reproduces.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// Species preset of the parameters.
    #[serde(default = "rat")]
    pub species: Species,
    /// The theory of the subject.
    #[serde(default, skip_serializing_if = "is_default_mind")]
    pub mind: MindSpec,
    /// Seed of every random stream.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Subjects per group, for groups that do not say.
    #[serde(default = "default_subjects")]
    pub subjects: u32,
    /// Tick while a stimulus is on, s: the step of theories that advance tick by tick
    /// (the circuit steps a detector window at a time and ticks only its traces).
    #[serde(default = "default_dt")]
    pub dt_s: f64,
    /// Parameters that differ from the species preset, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, f64>,
    /// Parameters drawn per subject.
    #[serde(default, rename = "vary", skip_serializing_if = "Vec::is_empty")]
    pub variation: Vec<Variation>,
    /// How failing subjects are counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<Criterion>,
    /// Groups.
    #[serde(rename = "group")]
    pub groups: Vec<GroupSpec>,
    /// Phases, in time order.
    #[serde(rename = "phase")]
    pub phases: Vec<PhaseSpec>,
}

fn rat() -> Species {
    Species::Rat
}

impl ProtocolFile {
    /// The experiment this file describes, validated. Errors name fields by their path in
    /// the file (`phase[1].cutoff_s`).
    pub fn to_experiment(&self) -> Result<Experiment, Error> {
        let theory = theory_of(self.species, &self.mind, &self.params)?;
        let mut exp = Experiment::new(&self.name, theory);
        exp.dt_s = self.dt_s;
        exp.variation = self.variation.clone();
        exp.criterion = self.criterion.clone();
        for g in &self.groups {
            exp.groups.push(Group {
                name: g.name.clone(),
                subjects: g.subjects.unwrap_or(self.subjects),
                contingencies: g.contingency.clone(),
                interventions: g.interventions.clone(),
                contexts: g.context.clone(),
                home_cage: g.home_cage.clone(),
                instructions: g.instructions.clone(),
                params: g.params.clone(),
                variation: g.variation.clone(),
            });
        }
        for (i, p) in self.phases.iter().enumerate() {
            if p.after_hours != 0.0 && p.after_days != 0.0 {
                return Err(Error::invalid(
                    format!("phase[{i}].after_days"),
                    p.after_days,
                    format!(
                        "a phase has one delay: give after_hours ({}) or after_days, not both",
                        p.after_hours
                    ),
                ));
            }
            let hours = p.after_hours + 24.0 * p.after_days;
            if !(p.after_hours.is_finite() && p.after_days.is_finite() && hours >= 0.0) {
                return Err(Error::invalid(
                    format!("phase[{i}].after_hours"),
                    hours,
                    "the delay must be a finite number of hours >= 0",
                ));
            }
            exp.phases.push(Phase {
                name: p.name.clone(),
                after_hours: hours,
                apparatus: p.apparatus,
                context: p.context.clone(),
                domain: p.domain.clone(),
                instructions: p.instructions,
                schedule: Schedule {
                    shuffle: p.shuffle,
                    ..Schedule::new(p.blocks.clone(), p.iti.clone(), p.cutoff_s)
                },
                contingency: p.contingency.clone(),
                interventions: p.interventions.clone(),
            });
        }
        exp.validate().map_err(file_paths)?;
        Ok(exp)
    }

    /// The complete file of an experiment: every parameter written out (not only those
    /// that differ from the preset), every default filled in, and the size of each group
    /// whose size differs from the first group's (which becomes `subjects`).
    pub fn complete(exp: &Experiment, species: Species, seed: u64) -> Self {
        let params = exp
            .theory
            .parameter_names()
            .iter()
            .map(|n| ((*n).to_string(), exp.theory.get(n).unwrap_or(f64::NAN)))
            .collect();
        let subjects = exp
            .groups
            .first()
            .map_or(default_subjects(), |g| g.subjects);
        ProtocolFile {
            name: exp.name.clone(),
            description: String::new(),
            source: String::new(),
            species,
            mind: MindSpec {
                theory: exp.theory.name().to_string(),
                params: BTreeMap::new(),
            },
            seed,
            subjects,
            dt_s: exp.dt_s,
            params,
            variation: exp.variation.clone(),
            criterion: exp.criterion.clone(),
            groups: exp
                .groups
                .iter()
                .map(|g| GroupSpec {
                    name: g.name.clone(),
                    // Only a size that differs from the protocol's `subjects` is pinned,
                    // so editing that one line of a shown file resizes every group.
                    subjects: (g.subjects != subjects).then_some(g.subjects),
                    contingency: g.contingencies.clone(),
                    interventions: g.interventions.clone(),
                    context: g.contexts.clone(),
                    home_cage: g.home_cage.clone(),
                    instructions: g.instructions.clone(),
                    params: g.params.clone(),
                    variation: g.variation.clone(),
                })
                .collect(),
            phases: exp
                .phases
                .iter()
                .map(|p| PhaseSpec {
                    name: p.name.clone(),
                    after_hours: p.after_hours,
                    after_days: 0.0,
                    apparatus: p.apparatus,
                    context: Some(p.context_name().to_string()),
                    domain: Some(p.domain_name().to_string()),
                    instructions: p.instructions,
                    blocks: p.schedule.blocks.clone(),
                    iti: p.schedule.iti.clone(),
                    cutoff_s: p.schedule.cutoff_s,
                    shuffle: p.schedule.shuffle,
                    contingency: p.contingency.clone(),
                    interventions: p.interventions.clone(),
                })
                .collect(),
        }
    }
}

/// Rewrites an [`Experiment`] field path into the protocol file's own path.
/// The theory a file's `species`, `[mind]` and `[params]` give; errors name fields
/// by their path in the file.
pub(crate) fn theory_of(
    species: Species,
    mind: &MindSpec,
    params: &BTreeMap<String, f64>,
) -> Result<Theory, Error> {
    let mut theory = Theory::named(&mind.theory, species)?;
    for (name, value) in &mind.params {
        if params.contains_key(name) {
            return Err(Error::invalid(
                format!("mind.{name}"),
                value,
                format!("`{name}` is also given in [params]: give it once"),
            ));
        }
        theory
            .set(name, *value)
            .map_err(|e| e.map_field(|_| format!("mind.{name}").into()))?;
    }
    for (name, value) in params {
        theory.set(name, *value).map_err(file_paths)?;
    }
    Ok(theory)
}

pub(crate) fn file_paths(e: Error) -> Error {
    e.map_field(|f| f.in_file())
}

#[cfg(test)]
mod tests {
    fn file_path(field: &str) -> String {
        crate::path::FieldPath::from(field).in_file().to_string()
    }

    #[test]
    fn experiment_paths_become_file_paths() {
        assert_eq!(
            file_path("phases[1].schedule.cutoff_s"),
            "phase[1].cutoff_s"
        );
        assert_eq!(file_path("phases[0].after_hours"), "phase[0].after_hours");
        assert_eq!(
            file_path("groups[2].contingencies.test.p"),
            "group[2].contingency.test.p"
        );
        assert_eq!(file_path("variation[0].dist.sd"), "vary[0].dist.sd");
        assert_eq!(file_path("params.drn_gain"), "params.drn_gain");
    }
}
