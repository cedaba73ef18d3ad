//! The page's scenarios: a bundled protocol, a paragraph on what it shows, the groups a
//! step follows and the knobs a lecturer may turn, each a change to the protocol file
//! (so the exported file, run by the command line, is what the page ran).

use std::collections::BTreeMap;

use helplessness::intervention::{Intervention, Site};
use helplessness::mind::Theory;
use helplessness::protocol::{self, LifeFile, ProtocolFile};
use helplessness::{Contingency, Error, Variation};
use serde::Serialize;
use serde_json::Value;

/// Laboratory trials of seconds, or a life of weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A laboratory protocol: step works.
    Lab,
    /// A life study: runs only.
    Life,
}

/// A knob a lecturer may turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    /// Chance that meeting the requirement ends the controllable group's shock.
    P,
    /// Stressors in the first (stress) phase.
    Shocks,
    /// Intensity of every test trial.
    Intensity,
    /// Muscimol in the mPFC of the controllable group during the stress.
    Mpfc,
    /// A drug for the uncontrollable group.
    Drug,
    /// The theory of the subject.
    Theory,
    /// Every person's globality of attributions.
    Globality,
    /// Every person's stability of attributions.
    Stability,
}

impl Knob {
    fn id(self) -> &'static str {
        match self {
            Knob::P => "p",
            Knob::Shocks => "shocks",
            Knob::Intensity => "intensity",
            Knob::Mpfc => "mpfc",
            Knob::Drug => "drug",
            Knob::Theory => "theory",
            Knob::Globality => "globality",
            Knob::Stability => "stability",
        }
    }
}

/// Drugs the uncontrollable group may be given.
const DRUGS: [(&str, &str); 4] = [
    ("none", "none"),
    (
        "benzodiazepine",
        "benzodiazepine before the stress (Maier et al. 1994)",
    ),
    (
        "5ht1a-agonist",
        "5-HT1A agonist into the DRN before the stress (Maier et al. 1995)",
    ),
    (
        "antidepressant",
        "antidepressant for 7 days up to the test (Petty & Sherman 1979)",
    ),
];

/// One scenario of the page.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Its id in requests.
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Lab or life.
    pub kind: Kind,
    /// The bundled protocol it runs.
    pub protocol: &'static str,
    /// What happens and why, in plain language.
    pub explanation: &'static str,
    /// The groups a step follows, subject 0 of each.
    pub step_groups: &'static [&'static str],
    /// The only groups kept, when the bundled protocol has more.
    pub keep_groups: &'static [&'static str],
    /// The group whose attempts matter, and the one yoked to it.
    pub controllable: &'static str,
    /// The group given the drug knob's drug.
    pub uncontrollable: &'static str,
    /// The phase of the stress (pretreatment).
    pub stress: &'static str,
    /// The phase of the test.
    pub test: &'static str,
    /// Subjects per group unless the lecturer says.
    pub subjects: u32,
    /// The knobs offered.
    pub knobs: &'static [Knob],
}

const LAB_THEORIES: [&str; 3] = ["circuit", "expectancy", "arbitration"];
const LIFE_THEORIES: [&str; 2] = ["circuit", "expectancy"];

/// Every scenario, in the order the page lists them.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "rat-triad",
        title: "The triadic design: rats",
        kind: Kind::Lab,
        protocol: "triadic-rat",
        explanation: "Three groups of rats. The escapable group can end each tailshock by turning a wheel; the yoked group gets exactly the same shocks, but turning does nothing; the control group stays in its home cage. A day later all are tested in a shuttle box where crossing ends the shock. Only the yoked rats are slow and often fail: what harms them is not the shock but its uncontrollability. Inside, prolonged shock drives the dorsal raphe (DRN) and its serotonin, which makes the animal passive by default; in the escapable rat the medial prefrontal cortex (mPFC) detects that its turns end the shock and inhibits the DRN.",
        step_groups: &["escapable", "inescapable", "no-shock"],
        keep_groups: &[],
        controllable: "escapable",
        uncontrollable: "inescapable",
        stress: "pretreatment",
        test: "test",
        subjects: 100,
        knobs: &[
            Knob::P,
            Knob::Shocks,
            Knob::Intensity,
            Knob::Mpfc,
            Knob::Drug,
            Knob::Theory,
        ],
    },
    Scenario {
        id: "dog-triad",
        title: "The 1967 dog triad",
        kind: Kind::Lab,
        protocol: "triadic-dog",
        explanation: "Seligman and Maier's first experiment. Dogs in a hammock could end shocks by pressing a panel with the head (escapable), got the same shocks with a panel that did nothing (yoked), or no shock. A day later, in a shuttle box, most yoked dogs did not jump the barrier to escape and sat through the shock; escapable and unshocked dogs learned to escape. This was the discovery of learned helplessness.",
        step_groups: &["escapable", "inescapable", "no-shock"],
        keep_groups: &[],
        controllable: "escapable",
        uncontrollable: "inescapable",
        stress: "pretreatment",
        test: "test",
        subjects: 100,
        knobs: &[
            Knob::P,
            Knob::Shocks,
            Knob::Intensity,
            Knob::Drug,
            Knob::Theory,
        ],
    },
    Scenario {
        id: "immunization",
        title: "Immunization",
        kind: Kind::Lab,
        protocol: "immunization-rat",
        explanation: "Rats that first learn to escape shock, and a week later meet inescapable shock in another apparatus, are not made helpless by it: the earlier control left a lasting change in the mPFC's pathway to the DRN, so the mPFC answers the new stressor and keeps the DRN in check. Rats given only the inescapable shock fail the test; unshocked rats do not.",
        step_groups: &["ES-IS", "none-IS", "none-none"],
        keep_groups: &[],
        controllable: "ES-IS",
        uncontrollable: "none-IS",
        stress: "first",
        test: "test",
        subjects: 100,
        knobs: &[Knob::Shocks, Knob::Intensity, Knob::Theory],
    },
    Scenario {
        id: "mpfc-inactivation",
        title: "mPFC inactivation during escapable shock",
        kind: Kind::Lab,
        protocol: "mpfc-inactivation-rat",
        explanation: "The same triad, with a fourth group: escapable rats whose prelimbic mPFC is silenced with muscimol during the shocks. They can still end the shock, but without the mPFC nothing detects that their turns work, so the DRN is not inhibited and they fail the test like yoked rats. Control protects only through the mPFC.",
        step_groups: &["ES", "ES-muscimol", "IS", "HC"],
        keep_groups: &[],
        controllable: "ES",
        uncontrollable: "IS",
        stress: "pretreatment",
        test: "test",
        subjects: 100,
        knobs: &[Knob::Shocks, Knob::Intensity, Knob::Theory],
    },
    Scenario {
        id: "partial-contingency",
        title: "Partial contingency",
        kind: Kind::Lab,
        protocol: "contingency-space",
        explanation: "Control is a matter of degree. Five groups get the same amount of shock; in each, a share p of the trials is escapable and the rest is yoked to the p = 1 group. The less the responses matter (the smaller the difference between the chance of relief after responding and without responding), the slower the escape in the test.",
        step_groups: &["p=1", "p=0.5", "p=0"],
        keep_groups: &[],
        controllable: "p=1",
        uncontrollable: "p=0",
        stress: "pretreatment",
        test: "test",
        subjects: 100,
        knobs: &[Knob::Shocks, Knob::Intensity, Knob::Theory],
    },
    Scenario {
        id: "noise-anagrams",
        title: "People: noise, then anagrams",
        kind: Kind::Lab,
        protocol: "hiroto-seligman-1975",
        explanation: "Students hear loud noise bursts. One group can stop them by pressing a button; a yoked group hears the same bursts and the button does nothing; a third group hears nothing. Then all solve anagrams. The yoked students fail more anagrams and take longer: helplessness learned with noise spreads to an unrelated task. How far it spreads depends on how global a person's explanations of failure are, and how long it lasts on how stable they are.",
        step_groups: &[
            "tone-anagrams-escapable",
            "tone-anagrams-inescapable",
            "tone-anagrams-none",
        ],
        keep_groups: &[
            "tone-anagrams-escapable",
            "tone-anagrams-inescapable",
            "tone-anagrams-none",
        ],
        controllable: "tone-anagrams-escapable",
        uncontrollable: "tone-anagrams-inescapable",
        stress: "pre-tone",
        test: "test-anagrams",
        subjects: 100,
        knobs: &[Knob::Shocks, Knob::Globality, Knob::Stability, Knob::Theory],
    },
    Scenario {
        id: "life-situational",
        title: "People: situational helplessness over months",
        kind: Kind::Life,
        protocol: "life-situational",
        explanation: "Three groups live ordinary weeks of work, relationships, health and home. Then one group gets a toxic workplace where effort no longer changes outcomes, another an abusive relationship; the third keeps a fair job. Expectations of control fall in the uncontrollable domain; with global explanations of failure they fall elsewhere too, and with stable ones they stay down.",
        step_groups: &[],
        keep_groups: &[],
        controllable: "",
        uncontrollable: "",
        stress: "",
        test: "",
        subjects: 100,
        knobs: &[Knob::Globality, Knob::Stability, Knob::Theory],
    },
    Scenario {
        id: "life-generalized",
        title: "People: generalized helplessness over months",
        kind: Kind::Life,
        protocol: "life-generalized",
        explanation: "Six months in which outcomes at work do not depend on effort, lived by people who explain failure in two ways: \"it was that job, that year\" (specific and unstable) or \"nothing I do ever works\" (global and stable), against people whose workplace stays fair. With the global, stable style the expectation of control falls in every domain of life, not only at work, and stays down after the job; with the specific, unstable style it falls at work only and recovers.",
        step_groups: &[],
        keep_groups: &[],
        controllable: "",
        uncontrollable: "",
        stress: "",
        test: "",
        subjects: 100,
        knobs: &[Knob::Theory],
    },
];

/// The scenario with this id.
pub fn find(id: &str) -> Result<&'static Scenario, Error> {
    SCENARIOS.iter().find(|s| s.id == id).ok_or_else(|| {
        let ids: Vec<&str> = SCENARIOS.iter().map(|s| s.id).collect();
        Error::invalid(
            "scenario",
            format!("\"{id}\""),
            format!("not a scenario: {}", ids.join(", ")),
        )
    })
}

/// A knob as the page draws it.
#[derive(Debug, Clone, Serialize)]
pub struct KnobView {
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    null_label: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    options: Vec<OptionView>,
    default: Value,
}

/// One option of a select knob.
#[derive(Debug, Clone, Serialize)]
pub struct OptionView {
    value: &'static str,
    label: &'static str,
}

/// A scenario as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioView {
    id: &'static str,
    title: &'static str,
    kind: Kind,
    protocol: &'static str,
    paper: String,
    explanation: &'static str,
    subjects: u32,
    step_groups: &'static [&'static str],
    knobs: Vec<KnobView>,
}

impl Scenario {
    /// The scenario as the page lists it, defaults read from its protocol.
    pub fn view(&self) -> Result<ScenarioView, Error> {
        let (paper, lab) = match self.kind {
            Kind::Lab => {
                let file = self.lab_file()?;
                (file.source.clone(), Some(file))
            }
            Kind::Life => (protocol::bundled_life(self.protocol)?.file.source, None),
        };
        let knobs = self
            .knobs
            .iter()
            .map(|&k| self.knob_view(k, lab.as_ref()))
            .collect();
        Ok(ScenarioView {
            id: self.id,
            title: self.title,
            kind: self.kind,
            protocol: self.protocol,
            paper,
            explanation: self.explanation,
            subjects: self.subjects,
            step_groups: self.step_groups,
            knobs,
        })
    }

    fn knob_view(&self, knob: Knob, lab: Option<&ProtocolFile>) -> KnobView {
        let range = |label, min, max, step, unit, default: Value| KnobView {
            id: knob.id(),
            label,
            kind: "range",
            min: Some(min),
            max: Some(max),
            step: Some(step),
            unit: Some(unit),
            null_label: None,
            options: Vec::new(),
            default,
        };
        let phase = |name: &str| lab.and_then(|f| f.phases.iter().find(|p| p.name == name));
        match knob {
            Knob::P => range(
                "Controllability p: chance an escape response ends the shock",
                0.0,
                1.0,
                0.05,
                "",
                Value::from(1.0),
            ),
            Knob::Shocks => {
                let n: u32 =
                    phase(self.stress).map_or(0, |p| p.blocks.iter().map(|b| b.trials).sum());
                range(
                    "Stressors in the first phase",
                    5.0,
                    200.0,
                    5.0,
                    "",
                    Value::from(n),
                )
            }
            Knob::Intensity => {
                let x = phase(self.test)
                    .and_then(|p| p.blocks.first())
                    .map_or(0.0, |b| b.intensity);
                range("Test shock intensity", 0.1, 2.0, 0.05, "mA", Value::from(x))
            }
            Knob::Mpfc => KnobView {
                id: knob.id(),
                label: "mPFC silenced (muscimol) during escapable shock",
                kind: "checkbox",
                min: None,
                max: None,
                step: None,
                unit: None,
                null_label: None,
                options: Vec::new(),
                default: Value::Bool(false),
            },
            Knob::Drug => KnobView {
                id: knob.id(),
                label: "Drug for the yoked (inescapable) group",
                kind: "select",
                min: None,
                max: None,
                step: None,
                unit: None,
                null_label: None,
                options: DRUGS
                    .iter()
                    .map(|&(value, label)| OptionView { value, label })
                    .collect(),
                default: Value::from("none"),
            },
            Knob::Theory => KnobView {
                id: knob.id(),
                label: "Theory of the subject",
                kind: "select",
                min: None,
                max: None,
                step: None,
                unit: None,
                null_label: None,
                options: self
                    .theories()
                    .iter()
                    .map(|&value| OptionView {
                        value,
                        label: match value {
                            "circuit" => "circuit: DRN passivity by default, mPFC detects control",
                            "expectancy" => {
                                "expectancy: learned expectation that responses do not matter"
                            }
                            _ => "arbitration: Bayesian Pavlovian / instrumental arbitration",
                        },
                    })
                    .collect(),
                default: Value::from("circuit"),
            },
            Knob::Globality | Knob::Stability => KnobView {
                null_label: Some("drawn per person"),
                ..range(
                    if knob == Knob::Globality {
                        "Globality: failure explained by causes that affect everything"
                    } else {
                        "Stability: failure explained by causes that last"
                    },
                    0.0,
                    1.0,
                    0.05,
                    "",
                    Value::Null,
                )
            },
        }
    }

    fn theories(&self) -> &'static [&'static str] {
        match self.kind {
            Kind::Lab => &LAB_THEORIES,
            Kind::Life => &LIFE_THEORIES,
        }
    }

    /// The bundled protocol, cut to the kept groups.
    fn lab_file(&self) -> Result<ProtocolFile, Error> {
        let mut file = protocol::bundled(self.protocol)?.file;
        if !self.keep_groups.is_empty() {
            keep_groups(&mut file, self.keep_groups);
        }
        Ok(file)
    }

    /// The laboratory protocol with the knobs turned, the seed and subjects set.
    pub fn lab(&self, knobs: &Knobs, seed: u64, subjects: u32) -> Result<ProtocolFile, Error> {
        let mut f = self.lab_file()?;
        f.seed = seed;
        f.subjects = subjects;
        for g in &mut f.groups {
            g.subjects = None;
        }
        for &knob in self.knobs {
            match knob {
                Knob::P => {
                    let p = knobs.number(knob, 0.0, 1.0)?.unwrap_or(1.0);
                    if p < 1.0 {
                        let contingency = {
                            let group = group(&f, self.controllable)?;
                            let phase = f.phases.iter().find(|ph| ph.name == self.stress);
                            group
                                .contingency
                                .get(self.stress)
                                .or(phase.map(|ph| &ph.contingency))
                                .cloned()
                        };
                        let requirement = match contingency {
                            Some(Contingency::Escapable { requirement, .. })
                            | Some(Contingency::Partial { requirement, .. }) => requirement,
                            _ => {
                                return Err(Error::invalid(
                                    "knobs.p",
                                    p,
                                    "this scenario's controllable group has no escapable stress",
                                ));
                            }
                        };
                        group_mut(&mut f, self.controllable)?
                            .contingency
                            .insert(self.stress.into(), Contingency::Partial { p, requirement });
                    }
                }
                Knob::Shocks => {
                    if let Some(n) = knobs.number(knob, 5.0, 200.0)? {
                        let phase = phase_mut(&mut f, self.stress)?;
                        rescale_trials(&mut phase.blocks, n.round() as u32);
                    }
                }
                Knob::Intensity => {
                    if let Some(x) = knobs.number(knob, 0.1, 2.0)? {
                        for b in &mut phase_mut(&mut f, self.test)?.blocks {
                            b.intensity = x;
                        }
                    }
                }
                Knob::Mpfc => {
                    if knobs.flag(knob)? {
                        treat(
                            &mut f,
                            self.controllable,
                            self.stress,
                            Intervention::Muscimol { strength: 1.0 },
                        )?;
                    }
                }
                Knob::Drug => match knobs.choice(knob, &DRUGS.map(|d| d.0))? {
                    None | Some("none") => {}
                    Some("benzodiazepine") => treat(
                        &mut f,
                        self.uncontrollable,
                        self.stress,
                        Intervention::Benzodiazepine {
                            site: Site::Systemic,
                            strength: 1.0,
                            drn: None,
                            fear: None,
                        },
                    )?,
                    Some("5ht1a-agonist") => treat(
                        &mut f,
                        self.uncontrollable,
                        self.stress,
                        Intervention::Agonist5ht1a { strength: 1.0 },
                    )?,
                    Some(_) => treat(
                        &mut f,
                        self.uncontrollable,
                        self.test,
                        Intervention::Antidepressant { days: 7 },
                    )?,
                },
                Knob::Theory => {
                    if let Some(name) = knobs.choice(knob, self.theories())? {
                        let theory = Theory::named(name, f.species)?;
                        f.mind.theory = name.into();
                        f.mind.params.clear();
                        f.params.retain(|p, _| theory.get(p).is_some());
                        f.variation.retain(|v| theory.get(&v.parameter).is_some());
                        for g in &mut f.groups {
                            g.params.retain(|p, _| theory.get(p).is_some());
                            g.variation.retain(|v| theory.get(&v.parameter).is_some());
                        }
                    }
                }
                Knob::Globality | Knob::Stability => {
                    if let Some(x) = knobs.number(knob, 0.0, 1.0)? {
                        fix_param(&mut f.params, &mut f.variation, knob.id(), x);
                        for g in &mut f.groups {
                            g.params.remove(knob.id());
                            g.variation.retain(|v| v.parameter != knob.id());
                        }
                    }
                }
            }
        }
        Ok(f)
    }

    /// The life study file with the knobs turned, the seed and subjects set.
    pub fn life(&self, knobs: &Knobs, seed: u64, subjects: u32) -> Result<LifeFile, Error> {
        let mut f = protocol::bundled_life(self.protocol)?.file;
        f.seed = seed;
        f.subjects = subjects;
        for g in &mut f.groups {
            g.subjects = None;
        }
        for &knob in self.knobs {
            match knob {
                Knob::Theory => {
                    if let Some(name) = knobs.choice(knob, self.theories())? {
                        let species = f.species;
                        let theory = Theory::named(name, species)?;
                        f.mind.theory = name.into();
                        f.mind.params.clear();
                        f.params.retain(|p, _| theory.get(p).is_some());
                        f.variation.retain(|v| theory.get(&v.parameter).is_some());
                        for g in &mut f.groups {
                            g.params.retain(|p, _| theory.get(p).is_some());
                            g.variation.retain(|v| theory.get(&v.parameter).is_some());
                        }
                    }
                }
                Knob::Globality | Knob::Stability => {
                    if let Some(x) = knobs.number(knob, 0.0, 1.0)? {
                        fix_param(&mut f.params, &mut f.variation, knob.id(), x);
                        for g in &mut f.groups {
                            g.params.remove(knob.id());
                            g.variation.retain(|v| v.parameter != knob.id());
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(f)
    }
}

/// The knob values of a request, by id.
#[derive(Debug, Clone, Default)]
pub struct Knobs(pub BTreeMap<String, Value>);

impl Knobs {
    fn get(&self, knob: Knob) -> Option<&Value> {
        self.0.get(knob.id()).filter(|v| !v.is_null())
    }

    fn number(&self, knob: Knob, min: f64, max: f64) -> Result<Option<f64>, Error> {
        match self.get(knob) {
            None => Ok(None),
            Some(v) => match v.as_f64() {
                Some(x) if (min..=max).contains(&x) => Ok(Some(x)),
                _ => Err(Error::invalid(
                    format!("knobs.{}", knob.id()),
                    v,
                    format!("must be a number from {min} to {max}"),
                )),
            },
        }
    }

    fn flag(&self, knob: Knob) -> Result<bool, Error> {
        match self.get(knob) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(v) => Err(Error::invalid(
                format!("knobs.{}", knob.id()),
                v,
                "must be true or false",
            )),
        }
    }

    fn choice<'a>(&self, knob: Knob, options: &[&'a str]) -> Result<Option<&'a str>, Error> {
        match self.get(knob) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .and_then(|s| options.iter().find(|o| **o == s).copied())
                .map(Some)
                .ok_or_else(|| {
                    Error::invalid(
                        format!("knobs.{}", knob.id()),
                        v,
                        format!("must be one of {}", options.join(", ")),
                    )
                }),
        }
    }

    /// Refuses knobs the scenario does not offer.
    pub fn check(&self, scenario: &Scenario) -> Result<(), Error> {
        for id in self.0.keys() {
            if !scenario.knobs.iter().any(|k| k.id() == id) {
                let offered: Vec<&str> = scenario.knobs.iter().map(|k| k.id()).collect();
                return Err(Error::invalid(
                    "knobs",
                    format!("\"{id}\""),
                    format!(
                        "scenario {} offers the knobs {}",
                        scenario.id,
                        offered.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Every subject has `value` of parameter `name`: its draws are dropped.
fn fix_param(
    params: &mut BTreeMap<String, f64>,
    variation: &mut Vec<Variation>,
    name: &str,
    value: f64,
) {
    variation.retain(|v| v.parameter != name);
    params.insert(name.into(), value);
}

/// Spreads `n` trials over `blocks` in their proportions (blocks left empty are
/// dropped; at least one stays).
fn rescale_trials(blocks: &mut Vec<helplessness::Block>, n: u32) {
    let total: u32 = blocks.iter().map(|b| b.trials).sum();
    if total == 0 || blocks.is_empty() {
        return;
    }
    let mut given = 0u32;
    let last = blocks.len() - 1;
    for (i, b) in blocks.iter_mut().enumerate() {
        let share = if i == last {
            n - given
        } else {
            ((f64::from(b.trials) * f64::from(n) / f64::from(total)).round() as u32).min(n - given)
        };
        b.trials = share;
        given += share;
    }
    if blocks.iter().any(|b| b.trials > 0) {
        blocks.retain(|b| b.trials > 0);
    }
}

fn group<'a>(f: &'a ProtocolFile, name: &str) -> Result<&'a protocol::GroupSpec, Error> {
    f.groups
        .iter()
        .find(|g| g.name == name)
        .ok_or_else(|| Error::invalid("group", format!("\"{name}\""), "not in the protocol"))
}

fn group_mut<'a>(
    f: &'a mut ProtocolFile,
    name: &str,
) -> Result<&'a mut protocol::GroupSpec, Error> {
    f.groups
        .iter_mut()
        .find(|g| g.name == name)
        .ok_or_else(|| Error::invalid("group", format!("\"{name}\""), "not in the protocol"))
}

fn phase_mut<'a>(
    f: &'a mut ProtocolFile,
    name: &str,
) -> Result<&'a mut protocol::PhaseSpec, Error> {
    f.phases
        .iter_mut()
        .find(|p| p.name == name)
        .ok_or_else(|| Error::invalid("phase", format!("\"{name}\""), "not in the protocol"))
}

/// Gives `group` `drug` in `phase`.
fn treat(f: &mut ProtocolFile, group: &str, phase: &str, drug: Intervention) -> Result<(), Error> {
    group_mut(f, group)?
        .interventions
        .entry(phase.into())
        .or_default()
        .push(drug);
    Ok(())
}

/// Keeps only `keep` of the groups, and the phases any of them takes part in.
fn keep_groups(f: &mut ProtocolFile, keep: &[&str]) {
    f.groups.retain(|g| keep.contains(&g.name.as_str()));
    let used = |phase: &str, f: &ProtocolFile| {
        f.groups
            .iter()
            .any(|g| !g.home_cage.iter().any(|h| h == phase))
    };
    let dropped: Vec<String> = f
        .phases
        .iter()
        .filter(|p| !used(&p.name, f))
        .map(|p| p.name.clone())
        .collect();
    f.phases.retain(|p| !dropped.contains(&p.name));
    for g in &mut f.groups {
        g.home_cage.retain(|h| !dropped.contains(h));
        g.contingency.retain(|p, _| !dropped.contains(p));
        g.interventions.retain(|p, _| !dropped.contains(p));
        g.context.retain(|p, _| !dropped.contains(p));
        g.instructions.retain(|p, _| !dropped.contains(p));
    }
    if let Some(c) = &mut f.criterion {
        c.also.retain(|p| !dropped.contains(p));
        if dropped.contains(&c.phase) {
            if c.also.is_empty() {
                f.criterion = None;
            } else {
                c.phase = c.also.remove(0);
            }
        }
    }
}
