//! `TrialRecord`: one row per subject x trial, the crate's tidy output.

use std::sync::Arc;

use serde::Serialize;

use crate::mind::MindState;

/// What happened on one trial to one subject, and the subject's state at its end.
///
/// Times are seconds. `latency_s` is the time from shock onset to the response that met
/// the escape requirement, or the shock's length when nothing the subject did ended it
/// (the cut-off, or the partner's offset under yoking); `None` when there was no shock.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
