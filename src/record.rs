//! `TrialRecord`: one row per subject x trial, the crate's tidy output.

use std::collections::HashMap;
use std::sync::Arc;

use crate::names::first_positions;

use std::io::{BufRead, Read};

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};

use crate::error::Error;

use crate::mind::{State, Variable};

/// What happened on one trial to one subject, and the subject's state at its end: the
/// values of the variables the running theory declares.
///
/// Times are seconds. `latency_s` is the time from shock onset to the response that met
/// the escape requirement, or the shock's length when nothing the subject did ended it
/// (the cut-off, or the partner's offset under yoking); `None` when there was no shock.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialRecord {
    /// Group name.
    pub group: Arc<str>,
    /// Index within the group.
    pub subject: u32,
    /// Phase name.
    pub phase: Arc<str>,
    /// Trial number within the phase, from 1.
    pub trial: u32,
    /// Shock onset, s from the start of the phase's session.
    pub onset_s: f64,
    /// Shock actually received, s.
    pub shock_s: f64,
    /// Escape latency, s (see the type's docs).
    pub latency_s: Option<f64>,
    /// Whether the subject's responses ended the shock.
    pub escaped: bool,
    /// Whether the experimenter moved the subject across (forced exposure).
    pub forced: bool,
    /// Escape responses made during the shock.
    pub responses: u32,
    /// The theory's variables at the end of the trial.
    pub state: State,
}

/// A record is written as one JSON object: the columns of [`TrialRecord::columns`].
impl Serialize for TrialRecord {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(10 + self.state.values().len()))?;
        map.serialize_entry("group", &*self.group)?;
        map.serialize_entry("subject", &self.subject)?;
        map.serialize_entry("phase", &*self.phase)?;
        map.serialize_entry("trial", &self.trial)?;
        map.serialize_entry("onset_s", &self.onset_s)?;
        map.serialize_entry("shock_s", &self.shock_s)?;
        map.serialize_entry("latency_s", &self.latency_s)?;
        map.serialize_entry("escaped", &self.escaped)?;
        map.serialize_entry("forced", &self.forced)?;
        map.serialize_entry("responses", &self.responses)?;
        for (name, value) in self.state.iter() {
            map.serialize_entry(name, &value)?;
        }
        map.end()
    }
}

impl TrialRecord {
    /// The columns every record has, before the theory's variables.
    pub const BASE_COLUMNS: [&'static str; 10] = [
        "group",
        "subject",
        "phase",
        "trial",
        "onset_s",
        "shock_s",
        "latency_s",
        "escaped",
        "forced",
        "responses",
    ];

    /// Column names of records of a theory declaring `variables`, in order.
    ///
    /// ```
    /// use helplessness::{CircuitMind, TrialRecord};
    /// let columns = TrialRecord::columns(CircuitMind::VARIABLES);
    /// assert_eq!(columns.len(), 21);
    /// assert_eq!((columns[9], columns[10], columns[20]), ("responses", "c", "esteem"));
    /// ```
    pub fn columns(variables: &[Variable]) -> Vec<&'static str> {
        Self::BASE_COLUMNS
            .iter()
            .copied()
            .chain(variables.iter().map(|v| v.name))
            .collect()
    }

    /// Whether the subject failed to escape a shock that could have been escaped: the
    /// shock ran to the cut-off (or the experimenter moved it).
    pub fn failed(&self) -> bool {
        self.shock_s > 0.0 && !self.escaped
    }
}

/// The columns of one row every theory shares, as written by [`crate::CsvSink`] and
/// [`crate::JsonLinesSink`]; the theory's variables follow.
#[derive(Deserialize)]
struct BaseRow {
    group: Arc<str>,
    subject: u32,
    phase: Arc<str>,
    trial: u32,
    onset_s: f64,
    shock_s: f64,
    latency_s: Option<f64>,
    escaped: bool,
    forced: bool,
    responses: u32,
}

impl BaseRow {
    fn into_record(self, state: State) -> TrialRecord {
        TrialRecord {
            group: self.group,
            subject: self.subject,
            phase: self.phase,
            trial: self.trial,
            onset_s: self.onset_s,
            shock_s: self.shock_s,
            latency_s: self.latency_s,
            escaped: self.escaped,
            forced: self.forced,
            responses: self.responses,
            state,
        }
    }
}

/// A record's error (from [`RecordCheck`], say) placed at its line of the file.
fn at_line(e: Error, line: u64) -> Error {
    match e {
        Error::Protocol {
            file,
            line: None,
            column,
            message,
        } => Error::Protocol {
            file,
            line: Some(line as usize),
            column,
            message,
        },
        other => other,
    }
}

/// How records are written: a CSV table, or one JSON object per line. A run's
/// manifest names it (`"format": "csv"`).
///
/// ```
/// use helplessness::record::Format;
/// let f: Format = "json".parse().unwrap();
/// assert_eq!((f.file_name(), f.to_string()), ("records.jsonl", "json".to_string()));
/// let e = "xml".parse::<Format>().unwrap_err().to_string();
/// assert!(e.contains("csv") && e.contains("json"), "{e}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `records.csv`, written by [`crate::CsvSink`].
    #[default]
    Csv,
    /// `records.jsonl`, written by [`crate::JsonLinesSink`].
    Json,
}

impl Format {
    /// Every format, by name.
    pub const NAMES: [&'static str; 2] = ["csv", "json"];

    /// The records file of a run in this format.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Csv => "records.csv",
            Format::Json => "records.jsonl",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Csv => "csv",
            Format::Json => "json",
        })
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            other => Err(Error::unknown("records format", other, &Format::NAMES)),
        }
    }
}

/// Reads records written by [`crate::CsvSink`] ([`Format::Csv`]) or
/// [`crate::JsonLinesSink`] ([`Format::Json`]) of a theory declaring `variables`,
/// handing each to `each` without keeping them.
///
/// ```
/// use helplessness::{CsvSink, Sink, protocol, record::{Format, read_records}};
/// let exp = protocol::triadic_dog(2);
/// let mut sink = CsvSink::new(Vec::new()).unwrap();
/// exp.runner(1).into_sink(&mut sink).unwrap();
/// let bytes = sink.into_inner().unwrap();
/// let mut back = Vec::new();
/// let variables = exp.theory.variables();
/// read_records(&bytes[..], Format::Csv, variables, |r| { back.push(r); Ok(()) }).unwrap();
/// assert_eq!(back, exp.run(1).unwrap());
/// ```
pub fn read_records<R: Read>(
    reader: R,
    format: Format,
    variables: &'static [Variable],
    mut each: impl FnMut(TrialRecord) -> Result<(), Error>,
) -> Result<(), Error> {
    let columns = TrialRecord::columns(variables);
    let origin = format!("records ({format})");
    let bad = |line: u64, message: String| Error::Protocol {
        file: origin.clone(),
        line: Some(line as usize),
        column: None,
        message,
    };
    match format {
        Format::Json => {
            for (i, line) in std::io::BufReader::new(reader).lines().enumerate() {
                let line = line.map_err(|e| bad(i as u64 + 1, e.to_string()))?;
                if line.trim().is_empty() {
                    continue;
                }
                let at = i as u64 + 1;
                let mut object: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(&line).map_err(|e| bad(at, e.to_string()))?;
                let mut values = [f64::NAN; crate::mind::MAX_VARIABLES];
                for (slot, v) in values.iter_mut().zip(variables) {
                    *slot = match object.remove(v.name) {
                        Some(serde_json::Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
                        Some(other) => {
                            return Err(bad(
                                at,
                                format!("key `{}`, value `{other}`: not a number", v.name),
                            ));
                        }
                        None => {
                            return Err(bad(
                                at,
                                format!(
                                    "missing key `{}` (a variable of the theory the run used)",
                                    v.name
                                ),
                            ));
                        }
                    };
                }
                let base: BaseRow = serde_json::from_value(serde_json::Value::Object(object))
                    .map_err(|e| bad(at, e.to_string()))?;
                let state = State::new(variables, &values[..variables.len()]);
                each(base.into_record(state)).map_err(|e| at_line(e, at))?;
            }
            Ok(())
        }
        Format::Csv => {
            let mut csv = csv::Reader::from_reader(reader);
            let headers = csv.headers().map_err(|e| bad(1, e.to_string()))?.clone();
            if headers.iter().ne(columns.iter().copied()) {
                let missing: Vec<&str> = columns
                    .iter()
                    .copied()
                    .filter(|c| !headers.iter().any(|h| h == *c))
                    .collect();
                return Err(bad(
                    1,
                    format!(
                        "the header must be `{}`{}",
                        columns.join(","),
                        if missing.is_empty() {
                            String::new()
                        } else {
                            format!(" (missing column `{}`)", missing.join("`, `"))
                        }
                    ),
                ));
            }
            let mut row = csv::StringRecord::new();
            let mut line = 1u64;
            loop {
                match csv.read_record(&mut row) {
                    Ok(false) => return Ok(()),
                    Ok(true) => {}
                    Err(e) => return Err(bad(line + 1, e.to_string())),
                }
                line = row.position().map_or(line + 1, |p| p.line());
                let base: BaseRow = row.deserialize(Some(&headers)).map_err(|e| {
                    let message = match e.kind() {
                        csv::ErrorKind::Deserialize { err, .. } => {
                            let at = err.field().map_or(String::new(), |f| {
                                let f = f as usize;
                                format!(
                                    "column `{}`, value `{}`: ",
                                    columns.get(f).copied().unwrap_or("?"),
                                    row.get(f).unwrap_or("")
                                )
                            });
                            format!("{at}{}", err.kind())
                        }
                        _ => e.to_string(),
                    };
                    bad(line, message)
                })?;
                let mut values = [f64::NAN; crate::mind::MAX_VARIABLES];
                for (k, slot) in values.iter_mut().enumerate().take(variables.len()) {
                    let f = TrialRecord::BASE_COLUMNS.len() + k;
                    let text = row.get(f).unwrap_or("");
                    *slot = text.parse().map_err(|_| {
                        bad(
                            line,
                            format!("column `{}`, value `{text}`: not a number", columns[f]),
                        )
                    })?;
                }
                let state = State::new(variables, &values[..variables.len()]);
                each(base.into_record(state)).map_err(|e| at_line(e, line))?;
            }
        }
    }
}

/// Checks a run's records, as they are read back, against its experiment: every
/// group, subject index, phase and trial expected, each exactly once, each subject's
/// records together in phase and trial order, and every value within its range. (A
/// [`crate::analysis::Summary`] then checks that subjects come in increasing order
/// within each group, and `analyze` compares the file's checksum with the run's.) Damaged, cut, edited or foreign records are refused with the
/// column and value at fault, instead of giving wrong statistics.
///
/// ```
/// use helplessness::{protocol, record::RecordCheck};
/// let exp = protocol::triadic_dog(2);
/// let records = exp.run(1).unwrap();
/// let mut check = RecordCheck::new(&exp, None);
/// for r in &records[..records.len() - 1] {
///     check.check(r).unwrap();
/// }
/// // The last trial is missing.
/// let e = check.finish().unwrap_err().to_string();
/// assert!(e.contains("no-shock[1]") && e.contains("trial 10"), "{e}");
/// ```
pub struct RecordCheck {
    groups: Vec<(Arc<str>, u32)>,
    /// Names to indices, so that checking stays linear in records however many groups.
    group_index: HashMap<Arc<str>, usize>,
    phase_index: HashMap<Arc<str>, usize>,
    /// Phases expected in the records, in run order: name, trials, longest shock (s).
    phases: Vec<(Arc<str>, u32, f64)>,
    /// Per group, the indices in `phases` it takes part in (not in its home cage).
    takes: Vec<Vec<usize>>,
    /// Per group, which subjects have been seen.
    seen: Vec<Vec<bool>>,
    /// Group, subject, and the position in the group's `takes` and trial expected next.
    at: Option<(usize, u32, usize, u32)>,
    count: u64,
}

impl RecordCheck {
    /// Expects the records of `exp`'s phases named in `phases` (all phases when `None`,
    /// as a run writes with `--records all`).
    pub fn new(exp: &crate::Experiment, phases: Option<&[String]>) -> Self {
        let groups: Vec<(Arc<str>, u32)> = exp
            .groups
            .iter()
            .map(|g| (Arc::from(g.name.as_str()), g.subjects))
            .collect();
        let kept: Vec<&crate::Phase> = exp
            .phases
            .iter()
            .filter(|p| phases.is_none_or(|kept| kept.contains(&p.name)))
            .collect();
        let takes = exp
            .groups
            .iter()
            .map(|g| {
                (0..kept.len())
                    .filter(|&k| exp.takes_part(g, kept[k]))
                    .collect()
            })
            .collect();
        let phases: Vec<(Arc<str>, u32, f64)> = kept
            .iter()
            .map(|p| {
                (
                    Arc::from(p.name.as_str()),
                    p.schedule.trials(),
                    exp.longest_shock_s(p),
                )
            })
            .collect();
        RecordCheck {
            takes,
            group_index: first_positions(groups.iter().map(|g| g.0.clone())),
            phase_index: first_positions(phases.iter().map(|p| p.0.clone())),
            groups,
            phases,
            seen: exp
                .groups
                .iter()
                .map(|g| vec![false; g.subjects as usize])
                .collect(),
            at: None,
            count: 0,
        }
    }

    /// Records checked so far.
    ///
    /// ```
    /// use helplessness::{protocol, record::RecordCheck};
    /// let exp = protocol::triadic_dog(1);
    /// let mut check = RecordCheck::new(&exp, Some(&["test".to_string()]));
    /// for r in exp.run(1).unwrap().iter().filter(|r| &*r.phase == "test") {
    ///     check.check(r).unwrap();
    /// }
    /// check.finish().unwrap();
    /// assert_eq!(check.count(), 3 * 10);
    /// ```
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Checks the next record.
    pub fn check(&mut self, r: &TrialRecord) -> Result<(), Error> {
        let bad = |column: &str, value: &dyn std::fmt::Display, reason: String| Error::Protocol {
            file: "records".into(),
            line: None,
            column: None,
            message: format!("column `{column}`, value `{value}`: {reason}"),
        };
        let Some(&g) = self.group_index.get(&r.group) else {
            return Err(bad("group", &r.group, "no such group in the run".into()));
        };
        let size = self.groups[g].1;
        if r.subject >= size {
            return Err(bad(
                "subject",
                &r.subject,
                format!(
                    "group `{}` has {size} subjects (0 to {})",
                    r.group,
                    size - 1
                ),
            ));
        }
        let Some(&p) = self.phase_index.get(&r.phase) else {
            return Err(bad(
                "phase",
                &r.phase,
                "not a phase whose records the run kept".into(),
            ));
        };
        let takes = &self.takes[g];
        let expected = match self.at {
            Some((eg, es, ep, et)) if eg == g && es == r.subject && ep < takes.len() => (ep, et),
            other => {
                if let Some((eg, es, ep, et)) = other
                    && ep < self.takes[eg].len()
                {
                    return Err(self.incomplete(eg, es, ep, et));
                }
                if self.seen[g][r.subject as usize] {
                    return Err(bad(
                        "subject",
                        &r.subject,
                        format!(
                            "the records of `{}[{}]` appear twice (a duplicated or moved row)",
                            r.group, r.subject
                        ),
                    ));
                }
                self.seen[g][r.subject as usize] = true;
                (0, 1)
            }
        };
        if takes.get(expected.0) != Some(&p) || r.trial != expected.1 {
            let Some(&want) = takes.get(expected.0) else {
                return Err(bad(
                    "phase",
                    &r.phase,
                    format!("group `{}` sits out this phase in its home cage", r.group),
                ));
            };
            let (name, _, _) = &self.phases[want];
            return Err(bad(
                "trial",
                &r.trial,
                format!(
                    "expected phase `{name}` trial {} of `{}[{}]` here, found phase `{}` \
                     trial {} (a missing, duplicated or moved row)",
                    expected.1, r.group, r.subject, r.phase, r.trial
                ),
            ));
        }
        let (_, trials, longest) = self.phases[p];
        let next = if r.trial >= trials {
            (expected.0 + 1, 1)
        } else {
            (expected.0, r.trial + 1)
        };
        self.at = Some((g, r.subject, next.0, next.1));
        let time = |column: &str, v: f64, top: f64| {
            if (0.0..=top).contains(&v) {
                Ok(())
            } else {
                Err(bad(column, &v, format!("must be within [0, {top}] s")))
            }
        };
        time("onset_s", r.onset_s, f64::MAX)?;
        time("shock_s", r.shock_s, longest)?;
        match r.latency_s {
            Some(l) => time("latency_s", l, longest)?,
            None if r.shock_s > 0.0 || r.escaped => {
                return Err(bad(
                    "latency_s",
                    &"",
                    "empty (no shock) on a trial with a shock".into(),
                ));
            }
            None => {}
        }
        for (variable, &v) in r.state.variables().iter().zip(r.state.values()) {
            let (lo, hi) = variable.range;
            if !(lo..=hi).contains(&v) {
                return Err(bad(
                    variable.name,
                    &v,
                    format!("must be a number within [{lo}, {hi}]"),
                ));
            }
        }
        self.count += 1;
        Ok(())
    }

    /// Checks that no record is missing.
    pub fn finish(&self) -> Result<(), Error> {
        if let Some((g, s, p, t)) = self.at
            && p < self.takes[g].len()
        {
            return Err(self.incomplete(g, s, p, t));
        }
        for (((name, size), seen), takes) in self.groups.iter().zip(&self.seen).zip(&self.takes) {
            let have = seen.iter().filter(|&&x| x).count();
            if have < *size as usize && !takes.is_empty() {
                return Err(Error::Protocol {
                    file: "records".into(),
                    line: None,
                    column: None,
                    message: format!(
                        "group `{name}` has records of {have} of its {size} subjects \
                         (the file was cut or rows were removed)"
                    ),
                });
            }
        }
        Ok(())
    }

    fn incomplete(&self, g: usize, subject: u32, p: usize, trial: u32) -> Error {
        Error::Protocol {
            file: "records".into(),
            line: None,
            column: None,
            message: format!(
                "the records of `{}[{subject}]` end before phase `{}` trial {trial} \
                 (the file was cut or rows were removed)",
                self.groups[g].0, self.phases[self.takes[g][p]].0
            ),
        }
    }
}

/// Which records a run wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kept {
    /// Every trial of every phase.
    #[default]
    All,
    /// Only the scored (test) phases; summaries still cover every phase.
    Test,
    /// None: summaries only.
    None,
}

/// One group's size, as a manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCount {
    /// Group name.
    pub name: String,
    /// Subjects.
    pub subjects: u32,
}

/// A run's manifest (`manifest.json`): everything needed to reproduce the run byte for
/// byte (the protocol as run, its theory, the seed) and to trust its files (checksums,
/// counts). `helplessness run MANIFEST` reruns it; `analyze` refuses records or a
/// protocol that differ from what it says.
///
/// ```
/// use helplessness::{protocol, record::{Format, Kept, Manifest}};
/// let loaded = protocol::bundled("triadic-dog").unwrap();
/// let m = Manifest::new(&loaded.file, &loaded.experiment, 7);
/// assert_eq!((m.theory.as_str(), m.variables.len()), ("circuit", 11));
/// let text = serde_json::to_string(&m).unwrap();
/// let back: Manifest = serde_json::from_str(&text).unwrap();
/// assert_eq!(back, m);
/// assert_eq!((back.format, back.records_kept), (Format::Csv, Kept::All));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// This crate's name.
    pub crate_name: String,
    /// This crate's version: records of another version may differ.
    pub crate_version: String,
    /// The protocol as run, every default filled in.
    pub protocol: crate::protocol::ProtocolFile,
    /// The theory of the subject that ran.
    #[serde(default = "circuit")]
    pub theory: String,
    /// The variables its records carry, in column order.
    #[serde(default)]
    pub variables: Vec<String>,
    /// Seed of every random stream.
    pub seed: u64,
    /// Worker threads (the output does not depend on them).
    #[serde(default)]
    pub threads: usize,
    /// Format of the records file.
    #[serde(default)]
    pub format: Format,
    /// Start, RFC 3339 (UTC).
    #[serde(default)]
    pub started: String,
    /// End, RFC 3339 (UTC).
    #[serde(default)]
    pub finished: String,
    /// Wall time, s.
    #[serde(default)]
    pub elapsed_s: f64,
    /// Peak resident memory of the process, MiB (null where the system does not say).
    #[serde(default)]
    pub peak_memory_mib: Option<f64>,
    /// Each group's size.
    #[serde(default)]
    pub groups: Vec<GroupCount>,
    /// Records written.
    #[serde(default)]
    pub records: u64,
    /// Which records were written.
    #[serde(default)]
    pub records_kept: Kept,
    /// XXH3-128 of the records file's bytes: `analyze` refuses records that differ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_xxh3: Option<String>,
    /// XXH3-128 of the protocol as run (its JSON here): `analyze` refuses a manifest
    /// whose protocol was edited after the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_xxh3: Option<String>,
    /// The files the run wrote.
    #[serde(default)]
    pub files: Vec<String>,
}

fn circuit() -> String {
    "circuit".into()
}

impl Manifest {
    /// The manifest of a run of `exp` (from `file`) with `seed`, before it runs: the
    /// run fills in times, counts, memory and checksums.
    pub fn new(file: &crate::protocol::ProtocolFile, exp: &crate::Experiment, seed: u64) -> Self {
        Manifest {
            crate_name: env!("CARGO_PKG_NAME").into(),
            crate_version: env!("CARGO_PKG_VERSION").into(),
            protocol: file.clone(),
            theory: exp.theory.name().into(),
            variables: exp
                .theory
                .variables()
                .iter()
                .map(|v| v.name.to_string())
                .collect(),
            seed,
            threads: 0,
            format: Format::Csv,
            started: String::new(),
            finished: String::new(),
            elapsed_s: 0.0,
            peak_memory_mib: None,
            groups: exp
                .groups
                .iter()
                .map(|g| GroupCount {
                    name: g.name.clone(),
                    subjects: g.subjects,
                })
                .collect(),
            records: 0,
            records_kept: Kept::All,
            records_xxh3: None,
            protocol_xxh3: None,
            files: Vec::new(),
        }
    }

    /// Reads a manifest's text; `origin` names it in errors, with the field at fault.
    pub fn parse(text: &str, origin: &str) -> Result<Self, Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| Error::Protocol {
            file: origin.to_string(),
            line: None,
            column: None,
            message: format!("field `{}`: {}", e.path(), e.inner()),
        })
    }
}
