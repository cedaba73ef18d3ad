//! Records as columns (one vector per field): what a data frame is built from without
//! a trip through text. [`RecordColumns`] is a [`Sink`] of a laboratory run's records,
//! [`WeekColumns`] takes a life run's weeks. Group, phase and domain names are stored
//! once, as codes into a list of names (a categorical column). Each can write itself
//! back as the CSV file the command line writes, byte for byte, through the same
//! writers.

use std::io::Write;
use std::sync::Arc;

use crate::error::Error;
use crate::experiment::CsvSink;
use crate::experiment::{Experiment, Sink};
use crate::life::{LifeStudy, PersonWeek, WeekRecord, WeeksCsv};
use crate::mind::{State, Variable};
use crate::record::TrialRecord;

/// The code of `name` in `names`, added at the end when new.
fn code(names: &mut Vec<Arc<str>>, name: &Arc<str>) -> u32 {
    let at = names
        .iter()
        .position(|n| Arc::ptr_eq(n, name) || n == name)
        .unwrap_or_else(|| {
            names.push(name.clone());
            names.len() - 1
        });
    at as u32
}

/// A laboratory run's records as columns, in run order: the fields of
/// [`TrialRecord`], then one column per variable the theory declares.
///
/// ```
/// use helplessness::{columns::RecordColumns, protocol, CsvSink, Sink};
/// let exp = protocol::triadic_dog(3);
/// let mut columns = RecordColumns::new(&exp);
/// exp.runner(5).into_sink(&mut columns).unwrap();
/// assert_eq!(columns.len(), exp.run(5).unwrap().len());
/// assert_eq!(&*columns.groups[columns.group[0] as usize], "escapable");
/// // Written back, the columns are the CSV the run writes.
/// let mut direct = CsvSink::new(Vec::new()).unwrap();
/// exp.runner(5).into_sink(&mut direct).unwrap();
/// assert_eq!(columns.write_csv(Vec::new()).unwrap(), direct.into_inner().unwrap());
/// ```
#[derive(Debug, Clone, Default)]
pub struct RecordColumns {
    /// The variables the running theory declares (known once the run starts).
    pub variables: &'static [Variable],
    /// Group names: the protocol's groups, in order; `group` holds codes into them.
    pub groups: Vec<Arc<str>>,
    /// Phase names: the protocol's phases, in order; `phase` holds codes into them.
    pub phases: Vec<Arc<str>>,
    /// Group, as a code into `groups`.
    pub group: Vec<u32>,
    /// Index within the group.
    pub subject: Vec<u32>,
    /// Phase, as a code into `phases`.
    pub phase: Vec<u32>,
    /// Trial within the phase, from 1.
    pub trial: Vec<u32>,
    /// Shock onset, s from the start of the session.
    pub onset_s: Vec<f64>,
    /// Shock received, s.
    pub shock_s: Vec<f64>,
    /// Escape latency, s; NaN where there was no shock (an empty CSV field).
    pub latency_s: Vec<f64>,
    /// Whether the subject's responses ended the shock.
    pub escaped: Vec<bool>,
    /// Whether the experimenter moved the subject across.
    pub forced: Vec<bool>,
    /// Escape responses during the shock.
    pub responses: Vec<u32>,
    /// One column per variable in `variables`, in order.
    pub state: Vec<Vec<f64>>,
    /// Phases whose records are kept; every phase when `None`.
    keep: Option<Vec<String>>,
}

impl RecordColumns {
    /// Empty columns for a run of `exp`.
    pub fn new(exp: &Experiment) -> Self {
        RecordColumns {
            groups: exp
                .groups
                .iter()
                .map(|g| Arc::from(g.name.as_str()))
                .collect(),
            phases: exp
                .phases
                .iter()
                .map(|p| Arc::from(p.name.as_str()))
                .collect(),
            ..RecordColumns::default()
        }
    }

    /// Keeps only the records of `phases` (a run's scored phases, say).
    pub fn keeping(mut self, phases: &[&str]) -> Self {
        self.keep = Some(phases.iter().map(|p| p.to_string()).collect());
        self
    }

    /// Records held.
    pub fn len(&self) -> usize {
        self.trial.len()
    }

    /// Whether no record is held.
    pub fn is_empty(&self) -> bool {
        self.trial.is_empty()
    }

    /// The column names, as in [`TrialRecord::columns`].
    pub fn names(&self) -> Vec<&'static str> {
        TrialRecord::columns(self.variables)
    }

    /// Whether every column has `len()` rows and every variable its column (the
    /// fields are public, so a caller can leave them otherwise).
    fn lengths_agree(&self) -> bool {
        let n = self.len();
        [
            self.group.len(),
            self.subject.len(),
            self.phase.len(),
            self.onset_s.len(),
            self.shock_s.len(),
            self.latency_s.len(),
            self.escaped.len(),
            self.forced.len(),
            self.responses.len(),
        ]
        .iter()
        .all(|&m| m == n)
            && self.state.len() == self.variables.len()
            && self.state.iter().all(|c| c.len() == n)
    }

    /// Record `i` (in run order), as the run handed it to its sink; `None` past the
    /// end, or when the columns disagree in length or hold a code without a name.
    pub fn record(&self, i: usize) -> Option<TrialRecord> {
        if i >= self.len() || !self.lengths_agree() {
            return None;
        }
        self.row(i)
    }

    /// Record `i` of columns known to agree in length.
    fn row(&self, i: usize) -> Option<TrialRecord> {
        let latency = self.latency_s[i];
        let values: Vec<f64> = self.state.iter().map(|c| c[i]).collect();
        Some(TrialRecord {
            group: self.groups.get(self.group[i] as usize)?.clone(),
            subject: self.subject[i],
            phase: self.phases.get(self.phase[i] as usize)?.clone(),
            trial: self.trial[i],
            onset_s: self.onset_s[i],
            shock_s: self.shock_s[i],
            latency_s: (!latency.is_nan()).then_some(latency),
            escaped: self.escaped[i],
            forced: self.forced[i],
            responses: self.responses[i],
            state: State::new(self.variables, &values),
        })
    }

    /// Writes the records as the CSV a run writes ([`CsvSink`]) and returns `out`.
    /// Refuses columns of unequal lengths or codes without a name.
    pub fn write_csv<W: Write>(&self, out: W) -> Result<W, Error> {
        if !self.lengths_agree() {
            return Err(Error::invalid(
                "columns",
                self.len(),
                "every column must have as many rows as `trial`",
            ));
        }
        let mut sink = CsvSink::new(out)?;
        sink.start(self.variables)?;
        for i in 0..self.len() {
            let r = self.row(i).ok_or_else(|| {
                Error::invalid("group or phase", i, "a code without a name in row")
            })?;
            sink.write(&r)?;
        }
        sink.finish()?;
        sink.into_inner()
    }
}

impl Sink for RecordColumns {
    fn start(&mut self, variables: &'static [Variable]) -> Result<(), Error> {
        self.variables = variables;
        self.state = vec![Vec::new(); variables.len()];
        Ok(())
    }

    fn write(&mut self, r: &TrialRecord) -> Result<(), Error> {
        if let Some(keep) = &self.keep
            && !keep.iter().any(|p| **p == *r.phase)
        {
            return Ok(());
        }
        if self.state.len() != r.state.values().len() {
            // Columns written without `start`: the first record says the variables.
            if !self.is_empty() {
                return Err(Error::invalid(
                    "state",
                    r.state.values().len(),
                    format!("records of one run declare {} variables", self.state.len()),
                ));
            }
            self.start(r.state.variables())?;
        }
        let (g, p) = (
            code(&mut self.groups, &r.group),
            code(&mut self.phases, &r.phase),
        );
        self.group.push(g);
        self.subject.push(r.subject);
        self.phase.push(p);
        self.trial.push(r.trial);
        self.onset_s.push(r.onset_s);
        self.shock_s.push(r.shock_s);
        self.latency_s.push(r.latency_s.unwrap_or(f64::NAN));
        self.escaped.push(r.escaped);
        self.forced.push(r.forced);
        self.responses.push(r.responses);
        for (column, &v) in self.state.iter_mut().zip(r.state.values()) {
            column.push(v);
        }
        Ok(())
    }
}

/// A life run's weeks as columns, in run order: the columns of `weeks.csv`
/// ([`crate::life::WEEK_COLUMNS`]).
///
/// ```
/// use helplessness::{columns::WeekColumns, life, protocol, RunOptions};
/// let study = protocol::bundled_life("life-situational")?.study.with_subjects(2);
/// let mut weeks = WeekColumns::new(&study);
/// life::run(&study, 1, &RunOptions::default(), &mut (), Some(&mut |w| weeks.write(w)))?;
/// let mut direct = life::WeeksCsv::new(Vec::new(), &study)?;
/// life::run(&study, 1, &RunOptions::default(), &mut (), Some(&mut |w| direct.write(w)))?;
/// assert_eq!(weeks.write_csv(Vec::new(), &study)?, direct.into_inner()?);
/// # Ok::<(), helplessness::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct WeekColumns {
    /// Group names, in the study's order; `group` holds codes into them.
    pub groups: Vec<Arc<str>>,
    /// Phase names, in time order; `phase` holds codes into them.
    pub phases: Vec<Arc<str>>,
    /// Domain names ([`LifeStudy::domains`]); `domain` holds codes into them.
    pub domains: Vec<Arc<str>>,
    /// Group, as a code into `groups`.
    pub group: Vec<u32>,
    /// The person, from 0 in the group.
    pub subject: Vec<u32>,
    /// Phase, as a code into `phases`.
    pub phase: Vec<u32>,
    /// Week of the life, from 1.
    pub week: Vec<u32>,
    /// Domain, as a code into `domains`.
    pub domain: Vec<u32>,
    /// Opportunities met this week.
    pub opportunities: Vec<u32>,
    /// Of them, attempted.
    pub attempts: Vec<u32>,
    /// Of them, ending in the outcome.
    pub successes: Vec<u32>,
    /// The domain's expectation of control after its last opportunity (`E`).
    pub expectation: Vec<f64>,
    /// The global expectation then (`G`).
    pub global: Vec<f64>,
    /// Self-esteem then.
    pub esteem: Vec<f64>,
    /// Whether the person was helpless in the domain that week
    /// ([`WeekRecord::helpless`]).
    pub helpless: Vec<bool>,
}

impl WeekColumns {
    /// Empty columns for a run of `study`.
    pub fn new(study: &LifeStudy) -> Self {
        WeekColumns {
            groups: study
                .groups
                .iter()
                .map(|g| Arc::from(g.name.as_str()))
                .collect(),
            phases: study
                .phases()
                .iter()
                .map(|p| Arc::from(p.as_str()))
                .collect(),
            domains: study
                .domains()
                .iter()
                .map(|d| Arc::from(d.as_str()))
                .collect(),
            ..WeekColumns::default()
        }
    }

    /// Rows held.
    pub fn len(&self) -> usize {
        self.week.len()
    }

    /// Whether no row is held.
    pub fn is_empty(&self) -> bool {
        self.week.is_empty()
    }

    /// Takes one person's week.
    pub fn write(&mut self, w: &PersonWeek) -> Result<(), Error> {
        let r = &w.record;
        let phase = code(&mut self.phases, &r.phase);
        self.group.push(w.group as u32);
        self.subject.push(w.subject);
        self.phase.push(phase);
        self.week.push(r.week);
        self.domain.push(w.domain as u32);
        self.opportunities.push(r.opportunities);
        self.attempts.push(r.attempts);
        self.successes.push(r.successes);
        self.expectation.push(r.expectation);
        self.global.push(r.global);
        self.esteem.push(r.esteem);
        self.helpless.push(r.helpless());
        Ok(())
    }

    /// Whether every column `weeks.csv` is written from has `len()` rows (the fields
    /// are public, so a caller can leave them otherwise; `helpless` is derived again
    /// from each row when written).
    fn lengths_agree(&self) -> bool {
        let n = self.len();
        [
            self.group.len(),
            self.subject.len(),
            self.phase.len(),
            self.domain.len(),
            self.opportunities.len(),
            self.attempts.len(),
            self.successes.len(),
            self.expectation.len(),
            self.global.len(),
            self.esteem.len(),
        ]
        .iter()
        .all(|&m| m == n)
    }

    /// Row `i` as `weeks.csv` needs it, of columns known to agree in length; `None`
    /// for a code without a name (the record's own domain index, which is the
    /// person's life's, is not kept: it stands at the study's).
    fn person_week(&self, i: usize) -> Option<PersonWeek> {
        let week = self.week[i];
        Some(PersonWeek {
            group: self.group[i] as usize,
            subject: self.subject[i],
            domain: self.domain[i] as usize,
            record: WeekRecord {
                phase: self.phases.get(self.phase[i] as usize)?.clone(),
                week,
                domain: self.domain[i] as usize,
                opportunities: self.opportunities[i],
                attempts: self.attempts[i],
                successes: self.successes[i],
                expectation: self.expectation[i],
                global: self.global[i],
                esteem: self.esteem[i],
            },
        })
    }

    /// Writes the rows as `weeks.csv` ([`WeeksCsv`]) and returns `out`. Refuses
    /// columns of unequal lengths, and codes naming no group, phase or domain of
    /// `study`.
    pub fn write_csv<W: Write>(&self, out: W, study: &LifeStudy) -> Result<W, Error> {
        if !self.lengths_agree() {
            return Err(Error::invalid(
                "columns",
                self.len(),
                "every column must have as many rows as `week`",
            ));
        }
        let (groups, domains) = (study.groups.len(), study.domains().len());
        let mut csv = WeeksCsv::new(out, study)?;
        for i in 0..self.len() {
            let w = self
                .person_week(i)
                .filter(|w| w.group < groups && w.domain < domains)
                .ok_or_else(|| {
                    Error::invalid("group, phase or domain", i, "a code without a name in row")
                })?;
            csv.write(&w)?;
        }
        csv.into_inner()
    }
}
