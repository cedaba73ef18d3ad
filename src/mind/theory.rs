//! The theory a protocol runs, chosen by name: its parameters, what it records, what
//! interventions it can represent, and one factory that makes its minds. Nothing
//! outside `mind/` matches on which theory this is.

use super::variation::{Drawable, Variation, apply_draws};
use super::{
    ArbitrationMind, ArbitrationParams, CircuitMind, CircuitParams, Episode, ExpectancyMind,
    ExpectancyParams, Mind, MindFactory, Outcome, Session, Species, State, Variable,
};
use crate::error::Error;
use crate::intervention::Intervention;
use crate::subject::{SubjectId, SubjectRng};

/// A theory of the subject with its parameters.
///
/// ```
/// use helplessness::mind::{Species, Theory};
/// let t = Theory::named("expectancy", Species::Rat).unwrap();
/// assert_eq!(t.name(), "expectancy");
/// assert!(t.variables().iter().any(|v| v.name == "G"));
/// assert!(t.variables().iter().all(|v| v.name != "d")); // no DRN
/// let e = Theory::named("circiut", Species::Rat).unwrap_err().to_string();
/// assert!(e.contains("did you mean `circuit`"), "{e}");
/// ```
// One theory per experiment: its size does not matter, and a box would only hide it.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Theory {
    /// DRN default passivity and an mPFC controllability detector (the default).
    Circuit(CircuitParams),
    /// A learned expectation that outcomes do not depend on responding.
    Expectancy(ExpectancyParams),
    /// Bayesian Pavlovian/instrumental arbitration.
    Arbitration(ArbitrationParams),
}

impl From<CircuitParams> for Theory {
    fn from(p: CircuitParams) -> Self {
        Theory::Circuit(p)
    }
}

impl From<ExpectancyParams> for Theory {
    fn from(p: ExpectancyParams) -> Self {
        Theory::Expectancy(p)
    }
}

impl From<ArbitrationParams> for Theory {
    fn from(p: ArbitrationParams) -> Self {
        Theory::Arbitration(p)
    }
}

/// What `helplessness theories` prints about one theory.
#[derive(Debug, Clone, PartialEq)]
pub struct TheoryInfo {
    /// Name in protocol files (`[mind] theory = "..."`).
    pub name: &'static str,
    /// One line on what it says.
    pub summary: &'static str,
    /// The papers it comes from.
    pub source: &'static str,
    /// Variables on every record.
    pub variables: &'static [Variable],
    /// Parameter names, docs and ranges.
    pub parameters: Vec<(&'static str, &'static str, (f64, f64))>,
    /// Interventions it represents, by protocol-file name.
    pub interventions: Vec<String>,
}

impl TheoryInfo {
    /// A plain-text description, as `helplessness theories` prints it: what it says,
    /// the paper, the variables recorded, every parameter with its default (of
    /// `species` rats), range and doc, and the interventions it represents.
    ///
    /// ```
    /// use helplessness::mind::{Species, Theory};
    /// let text = Theory::named("arbitration", Species::Rat).unwrap().info().to_text();
    /// assert!(text.contains("Dorfman & Gershman 2019") && text.contains("beta = 5"));
    /// assert!(text.contains("interventions: forced-exposure"));
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{}: {}\n  source: {}\n  variables on every record:\n",
            self.name, self.summary, self.source
        );
        for v in self.variables {
            out.push_str(&format!("    {:<8} [{}] {}\n", v.name, v.unit, v.meaning));
        }
        out.push_str("  parameters (default [range]):\n");
        let theory = Theory::named(self.name, Species::Rat).ok();
        for (name, doc, (lo, hi)) in &self.parameters {
            let default = theory
                .as_ref()
                .and_then(|t| t.get(name))
                .unwrap_or(f64::NAN);
            let doc = doc.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push_str(&format!("    {name} = {default} [{lo}, {hi}]: {doc}\n"));
        }
        out.push_str(&format!(
            "  interventions: {}\n",
            self.interventions.join(", ")
        ));
        out
    }
}

impl Theory {
    /// Every theory's name, the default first.
    pub const NAMES: [&'static str; 3] = ["circuit", "expectancy", "arbitration"];

    /// The theory called `name` with the preset parameters of `species`.
    pub fn named(name: &str, species: Species) -> Result<Self, Error> {
        match name {
            "circuit" => Ok(Theory::Circuit(CircuitParams::for_species(species))),
            "expectancy" => Ok(Theory::Expectancy(ExpectancyParams::for_species(species))),
            "arbitration" => Ok(Theory::Arbitration(ArbitrationParams::default())),
            other => Err(Error::unknown("theory", other, &Self::NAMES)),
        }
    }

    /// Its name in protocol files.
    pub fn name(&self) -> &'static str {
        match self {
            Theory::Circuit(_) => "circuit",
            Theory::Expectancy(_) => "expectancy",
            Theory::Arbitration(_) => "arbitration",
        }
    }

    /// The variables its minds report, in column order.
    pub fn variables(&self) -> &'static [Variable] {
        match self {
            Theory::Circuit(_) => CircuitMind::VARIABLES,
            Theory::Expectancy(_) => ExpectancyMind::VARIABLES,
            Theory::Arbitration(_) => ArbitrationMind::VARIABLES,
        }
    }

    /// Names of its parameters.
    pub fn parameter_names(&self) -> &'static [&'static str] {
        match self {
            Theory::Circuit(_) => CircuitParams::NAMES,
            Theory::Expectancy(_) => ExpectancyParams::NAMES,
            Theory::Arbitration(_) => ArbitrationParams::NAMES,
        }
    }

    /// Docs of its parameters, in the order of [`Theory::parameter_names`].
    pub fn parameter_docs(&self) -> &'static [&'static str] {
        match self {
            Theory::Circuit(_) => CircuitParams::DOCS,
            Theory::Expectancy(_) => ExpectancyParams::DOCS,
            Theory::Arbitration(_) => ArbitrationParams::DOCS,
        }
    }

    /// Ranges of its parameters, in the order of [`Theory::parameter_names`].
    pub fn parameter_ranges(&self) -> &'static [(f64, f64)] {
        match self {
            Theory::Circuit(_) => CircuitParams::RANGES,
            Theory::Expectancy(_) => ExpectancyParams::RANGES,
            Theory::Arbitration(_) => ArbitrationParams::RANGES,
        }
    }

    /// The value of the parameter called `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        match self {
            Theory::Circuit(p) => p.get(name),
            Theory::Expectancy(p) => p.get(name),
            Theory::Arbitration(p) => p.get(name),
        }
    }

    /// Sets the parameter called `name`; an unknown name is refused with the theory's
    /// nearest name.
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), Error> {
        let kind = match self {
            Theory::Circuit(_) => "parameter of the circuit theory",
            Theory::Expectancy(_) => "parameter of the expectancy theory",
            Theory::Arbitration(_) => "parameter of the arbitration theory",
        };
        let names = self.parameter_names();
        match self {
            Theory::Circuit(p) => p.set(name, value),
            Theory::Expectancy(p) => p.set(name, value),
            Theory::Arbitration(p) => p.set(name, value),
        }
        .map_err(|e| match e {
            Error::Unknown { .. } => Error::unknown(kind, name, names),
            other => other,
        })
    }

    /// Checks every parameter and the relations between them.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            Theory::Circuit(p) => p.validate(),
            Theory::Expectancy(p) => p.validate(),
            Theory::Arbitration(p) => p.validate(),
        }
    }

    /// Length of the windows in which its minds gather evidence, s.
    pub fn window_s(&self) -> f64 {
        match self {
            Theory::Circuit(p) => p.window_s,
            Theory::Expectancy(p) => p.window_s,
            Theory::Arbitration(p) => p.window_s,
        }
    }

    /// Whether it can represent `intervention`. Forced exposure is a procedure the
    /// engine carries out, so every theory takes it; drugs and infusions act on
    /// circuits only the circuit theory has.
    ///
    /// ```
    /// use helplessness::{intervention::Intervention, mind::{Species, Theory}};
    /// let muscimol = Intervention::Muscimol { strength: 1.0 };
    /// assert!(Theory::named("circuit", Species::Rat).unwrap().understands(&muscimol));
    /// assert!(!Theory::named("expectancy", Species::Rat).unwrap().understands(&muscimol));
    /// ```
    pub fn understands(&self, intervention: &Intervention) -> bool {
        matches!(self, Theory::Circuit(_))
            || matches!(intervention, Intervention::ForcedExposure { .. })
    }

    /// What `helplessness theories` prints about it.
    pub fn info(&self) -> TheoryInfo {
        let every = [
            Intervention::Muscimol { strength: 1.0 },
            Intervention::Picrotoxin { strength: 1.0 },
            Intervention::Anisomycin { strength: 1.0 },
            Intervention::Benzodiazepine {
                site: Default::default(),
                strength: 1.0,
                drn: None,
                fear: None,
            },
            Intervention::Agonist5ht1a { strength: 1.0 },
            Intervention::Antidepressant { days: 1 },
            Intervention::Anxiolytic {
                days: 1,
                strength: 1.0,
            },
            Intervention::Stimulant {
                days: 1,
                strength: 1.0,
            },
            Intervention::ForcedExposure {
                trials: 1,
                latency_s: 1.0,
            },
        ];
        let (summary, source) = match self {
            Theory::Circuit(_) => (
                "passivity is the default response to prolonged aversive stimulation, \
                 carried by DRN 5-HT; an mPFC detector of control inhibits the DRN; \
                 controllable stress leaves a stress-evoked mPFC drive (immunization)",
                "Maier & Seligman 2016, Psychol Rev 123:349",
            ),
            Theory::Expectancy(_) => (
                "a learned expectation that outcomes do not depend on responding lowers \
                 the incentive to respond and slows learning that responding works; no \
                 DRN, no sensitization, no time course",
                "Seligman & Maier 1967, J Exp Psychol 74:1; Maier & Seligman 1976, \
                 J Exp Psychol Gen 105:3",
            ),
            Theory::Arbitration(_) => (
                "Pavlovian and instrumental predictors (Beta means) compete by Bayesian \
                 evidence; low control raises the Pavlovian weight w = σ(L)",
                "Dorfman & Gershman 2019, Nat Commun 10:5826; Huys & Dayan 2009",
            ),
        };
        TheoryInfo {
            name: self.name(),
            summary,
            source,
            variables: self.variables(),
            parameters: self
                .parameter_names()
                .iter()
                .zip(self.parameter_docs())
                .zip(self.parameter_ranges())
                .map(|((n, d), r)| (*n, *d, *r))
                .collect(),
            interventions: every
                .iter()
                .filter(|i| self.understands(i))
                .map(Intervention::name)
                .collect(),
        }
    }

    /// A factory of this theory's minds with per-subject `variation`.
    pub fn factory(&self, variation: Vec<Variation>) -> Result<TheoryFactory, Error> {
        self.validate()?;
        for (i, v) in variation.iter().enumerate() {
            if self.get(&v.parameter).is_none() {
                return Err(Error::invalid(
                    format!("variation[{i}].parameter"),
                    format!("\"{}\"", v.parameter),
                    format!(
                        "the {} theory has no such parameter{}; vary one of its own \
                         (`helplessness theories`), or drop inherited draws with `vary = []`",
                        self.name(),
                        crate::error::did_you_mean(&v.parameter, self.parameter_names())
                            .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"))
                    ),
                ));
            }
            v.dist.validate(&format!("variation[{i}].dist"))?;
        }
        Ok(TheoryFactory {
            theory: self.clone(),
            variation,
            groups: Vec::new(),
        })
    }

    fn unknown_parameter(&self, field: String, name: &str) -> Error {
        Error::invalid(
            field,
            format!("\"{name}\""),
            format!(
                "the {} theory has no such parameter{}",
                self.name(),
                crate::error::did_you_mean(name, self.parameter_names())
                    .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"))
            ),
        )
    }
}

/// A mind of any bundled theory: one type, so the runner is compiled once and each
/// call dispatches by a match the branch predictor learns.
// One mind per subject, used in place on the hot path: a box would add an indirection
// to every tick for a few hundred bytes saved per subject in flight.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum AnyMind {
    /// See [`CircuitMind`].
    Circuit(CircuitMind),
    /// See [`ExpectancyMind`].
    Expectancy(ExpectancyMind),
    /// See [`ArbitrationMind`].
    Arbitration(ArbitrationMind),
}

macro_rules! each {
    ($self:expr, $m:ident => $e:expr) => {
        match $self {
            AnyMind::Circuit($m) => $e,
            AnyMind::Expectancy($m) => $e,
            AnyMind::Arbitration($m) => $e,
        }
    };
}

impl Mind for AnyMind {
    fn begin_session(&mut self, session: &Session) {
        each!(self, m => m.begin_session(session))
    }
    fn end_session(&mut self) {
        each!(self, m => m.end_session())
    }
    fn relax(&mut self, seconds: f64) {
        each!(self, m => m.relax(seconds))
    }
    fn onset(&mut self, episode: &Episode) {
        each!(self, m => m.onset(episode))
    }
    #[inline]
    fn advance(&mut self, dt: f64) {
        each!(self, m => m.advance(dt))
    }
    #[inline]
    fn response_rate(&self) -> f64 {
        each!(self, m => m.response_rate())
    }
    fn run(
        &mut self,
        clock: &mut super::EpisodeClock,
        until: f64,
        hazard_left: &mut f64,
        observe: Option<super::Observer<'_>>,
    ) -> bool {
        each!(self, m => m.run(clock, until, hazard_left, observe))
    }
    fn attempt_probability(&self) -> f64 {
        each!(self, m => m.attempt_probability())
    }
    fn respond(&mut self) {
        each!(self, m => m.respond())
    }
    fn outcome(&mut self, outcome: Outcome) {
        each!(self, m => m.outcome(outcome))
    }
    fn offset(&mut self) {
        each!(self, m => m.offset())
    }
    fn state(&self) -> State {
        each!(self, m => m.state())
    }
}

/// Makes minds of one [`Theory`], each with its own draws of the varied parameters.
///
/// ```
/// use helplessness::{Dist, MindFactory, SubjectId, Variation};
/// use helplessness::mind::{Species, Theory};
/// let theory = Theory::named("arbitration", Species::Rat).unwrap();
/// let f = theory
///     .factory(vec![Variation::set("beta", Dist::Uniform { min: 2.0, max: 8.0 })])
///     .unwrap();
/// let id = SubjectId::new("low-control", 0);
/// let mind = f.create(&id, &mut id.rng(7)).unwrap();
/// assert_eq!(f.variables()[3].name, "w");
/// # let _ = mind;
/// ```
#[derive(Debug, Clone)]
pub struct TheoryFactory {
    theory: Theory,
    variation: Vec<Variation>,
    /// Per group (by name): fixed values, then draws, after the protocol's draws.
    groups: Vec<GroupDraws>,
}

#[derive(Debug, Clone)]
struct GroupDraws {
    name: String,
    params: Vec<(String, f64)>,
    variation: Vec<Variation>,
}

impl TheoryFactory {
    /// The theory whose minds it makes.
    pub fn theory(&self) -> &Theory {
        &self.theory
    }

    /// Gives the subjects of group `name` (the `index`th, for error paths) the values
    /// `params` and then the draws `variation`, after the draws every subject gets.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use helplessness::{MindFactory, Mind, SubjectId};
    /// use helplessness::mind::{Species, Theory};
    /// let externals = BTreeMap::from([("initial_expectation".to_string(), 0.1)]);
    /// let f = Theory::named("circuit", Species::Human).unwrap().factory(vec![]).unwrap()
    ///     .with_group(0, "externals", &externals, &[]).unwrap();
    /// let id = SubjectId::new("externals", 0);
    /// let mind = f.create(&id, &mut id.rng(1)).unwrap();
    /// assert!((mind.state().get("G").unwrap() - 0.1).abs() < 1e-9);
    /// ```
    pub fn with_group(
        mut self,
        index: usize,
        name: &str,
        params: &std::collections::BTreeMap<String, f64>,
        variation: &[Variation],
    ) -> Result<Self, Error> {
        let mut probe = self.theory.clone();
        for (p, value) in params {
            let field = format!("groups[{index}].params.{p}");
            if probe.get(p).is_none() {
                return Err(self.theory.unknown_parameter(field, p));
            }
            probe
                .set(p, *value)
                .map_err(|e| e.map_field(|_| field.into()))?;
        }
        probe
            .validate()
            .map_err(|e| e.map_field(|f| format!("groups[{index}].{f}").into()))?;
        for (j, v) in variation.iter().enumerate() {
            if self.theory.get(&v.parameter).is_none() {
                return Err(self.theory.unknown_parameter(
                    format!("groups[{index}].variation[{j}].parameter"),
                    &v.parameter,
                ));
            }
            v.dist
                .validate(&format!("groups[{index}].variation[{j}].dist"))?;
        }
        self.groups.push(GroupDraws {
            name: name.into(),
            params: params.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            variation: variation.to_vec(),
        });
        Ok(self)
    }
}

impl MindFactory for TheoryFactory {
    type Mind = AnyMind;

    fn variables(&self) -> &'static [Variable] {
        self.theory.variables()
    }

    fn create(&self, subject: &SubjectId, rng: &mut SubjectRng) -> Result<AnyMind, Error> {
        let mut t = self.theory.clone();
        let group = self.groups.iter().find(|g| *g.name == *subject.group);
        let fixed = group.map_or(&[][..], |g| &g.params[..]);
        let own = group.map_or(&[][..], |g| &g.variation[..]);
        apply_draws(&mut t, &self.variation, subject, rng)?;
        for (name, value) in fixed {
            t.set(name, *value)?;
        }
        apply_draws(&mut t, own, subject, rng)?;
        Ok(match t {
            Theory::Circuit(p) => AnyMind::Circuit(CircuitMind::new(p)?),
            Theory::Expectancy(p) => AnyMind::Expectancy(ExpectancyMind::new(p)?),
            Theory::Arbitration(p) => AnyMind::Arbitration(ArbitrationMind::new(p)?),
        })
    }
}

impl Drawable for Theory {
    fn value(&self, name: &str) -> Option<f64> {
        self.get(name)
    }
    fn assign(&mut self, name: &str, value: f64) -> Result<(), Error> {
        self.set(name, value)
    }
}
