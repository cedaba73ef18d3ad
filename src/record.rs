//! `TrialRecord`: one row per subject x trial, the crate's tidy output.

use std::sync::Arc;

use std::io::{BufRead, Read};

use serde::{Deserialize, Serialize};

use crate::error::Error;

use crate::mind::MindState;

/// What happened on one trial to one subject, and the subject's state at its end.
///
/// Times are seconds. `latency_s` is the time from shock onset to the response that met
/// the escape requirement, or the shock's length when nothing the subject did ended it
/// (the cut-off, or the partner's offset under yoking); `None` when there was no shock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Internal state at the end of the trial.
    #[serde(flatten)]
    pub state: MindState,
}

impl TrialRecord {
    /// Column names of the CSV output, in order.
    pub const COLUMNS: [&'static str; 19] = [
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
        "c",
        "m",
        "d",
        "h",
        "s",
        "w",
        "G",
        "q",
        "fear",
    ];

    /// Whether the subject failed to escape a shock that could have been escaped: the
    /// shock ran to the cut-off (or the experimenter moved it).
    pub fn failed(&self) -> bool {
        self.shock_s > 0.0 && !self.escaped
    }
}

/// One CSV row, as written by [`crate::CsvSink`].
#[derive(Deserialize)]
struct CsvRow {
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
    c: f64,
    m: f64,
    d: f64,
    h: f64,
    s: f64,
    w: f64,
    #[serde(rename = "G")]
    g: f64,
    q: f64,
    fear: f64,
}

/// Reads records written by [`crate::CsvSink`] (`csv`) or [`crate::JsonLinesSink`]
/// (`json`), handing each to `each` without keeping them.
///
/// ```
/// use helplessness::{CsvSink, Sink, protocol, record::read_records};
/// let exp = protocol::triadic_dog(2);
/// let mut sink = CsvSink::new(Vec::new()).unwrap();
/// exp.run_with(1, &exp.factory().unwrap(), &Default::default(), &mut sink).unwrap();
/// let bytes = sink.into_inner().unwrap();
/// let mut back = Vec::new();
/// read_records(&bytes[..], "csv", |r| { back.push(r); Ok(()) }).unwrap();
/// assert_eq!(back, exp.run(1).unwrap());
/// ```
pub fn read_records<R: Read>(
    reader: R,
    format: &str,
    mut each: impl FnMut(TrialRecord) -> Result<(), Error>,
) -> Result<(), Error> {
    let bad = |line: u64, e: &dyn std::fmt::Display| Error::Protocol {
        file: format!("records ({format})"),
        line: Some(line as usize),
        column: None,
        message: e.to_string(),
    };
    if format == "json" {
        for (i, line) in std::io::BufReader::new(reader).lines().enumerate() {
            let line = line.map_err(|e| bad(i as u64 + 1, &e))?;
            if line.trim().is_empty() {
                continue;
            }
            let r: TrialRecord = serde_json::from_str(&line).map_err(|e| bad(i as u64 + 1, &e))?;
            each(r)?;
        }
        return Ok(());
    }
    let mut csv = csv::Reader::from_reader(reader);
    for (i, row) in csv.deserialize::<CsvRow>().enumerate() {
        let r = row.map_err(|e| bad(i as u64 + 2, &e))?;
        each(TrialRecord {
            group: r.group,
            subject: r.subject,
            phase: r.phase,
            trial: r.trial,
            onset_s: r.onset_s,
            shock_s: r.shock_s,
            latency_s: r.latency_s,
            escaped: r.escaped,
            forced: r.forced,
            responses: r.responses,
            state: MindState {
                c: r.c,
                m: r.m,
                d: r.d,
                h: r.h,
                s: r.s,
                w: r.w,
                g: r.g,
                q: r.q,
                fear: r.fear,
            },
        })?;
    }
    Ok(())
}
