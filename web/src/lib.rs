//! The teaching page's side of the library: one JSON entry point ([`handle`]) that
//! lists the scenarios, runs them, steps one trial with its tick-level trace and
//! exports what ran. The page (`web/page/`) calls it through the WebAssembly exports of
//! [`ffi`]; `web/API.md` gives every request and answer.
//!
//! ```
//! let answer = helplessness_web::handle(r#"{"op": "scenarios"}"#);
//! assert!(answer.starts_with(r#"{"ok":"#));
//! let bad = helplessness_web::handle(r#"{"op": "run", "scenario": "rat-triad", "seed": 1, "subjects": 0}"#);
//! assert!(bad.contains("subjects"), "{bad}");
//! ```

pub mod ffi;
mod lab;
mod life;
pub mod scenarios;

use std::collections::BTreeMap;

use helplessness::Error;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use scenarios::{Kind, Knobs, SCENARIOS, Scenario};

/// Most subjects per group the page runs: a few hundred answer within a second or two.
pub const MAX_SUBJECTS: u32 = 500;

/// The Okabe-Ito colours of the figures, for the page's curves.
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
];

/// A request from the page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    op: String,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    subjects: Option<u32>,
    #[serde(default)]
    knobs: BTreeMap<String, Value>,
    #[serde(default)]
    phase: Option<String>,
    #[serde(default)]
    trial: Option<u32>,
}

/// What a request runs: the scenario with its knobs, seed and subjects.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The scenario.
    pub scenario: &'static Scenario,
    /// Knob values by id.
    pub knobs: Knobs,
    /// Seed of every random stream.
    pub seed: u64,
    /// Subjects per group.
    pub subjects: u32,
}

impl Settings {
    fn of(request: &Request) -> Result<Self, Error> {
        let id = request
            .scenario
            .as_deref()
            .ok_or_else(|| Error::invalid("scenario", "none", "a request names its scenario"))?;
        let scenario = scenarios::find(id)?;
        let subjects = request.subjects.unwrap_or(scenario.subjects);
        if !(1..=MAX_SUBJECTS).contains(&subjects) {
            return Err(Error::invalid(
                "subjects",
                subjects,
                format!("the page runs 1 to {MAX_SUBJECTS} subjects per group"),
            ));
        }
        let knobs = Knobs(request.knobs.clone());
        knobs.check(scenario)?;
        Ok(Settings {
            scenario,
            knobs,
            seed: request.seed.unwrap_or(1),
            subjects,
        })
    }
}

#[derive(Serialize)]
struct Listing {
    version: &'static str,
    palette: [&'static str; 8],
    scenarios: Vec<scenarios::ScenarioView>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Answer<T> {
    Ok { ok: T },
    Error { error: String },
}

/// Answers one JSON request with JSON: `{"ok": ...}` or `{"error": "..."}`.
pub fn handle(request: &str) -> String {
    let answer = match answer(request) {
        Ok(ok) => Answer::Ok { ok },
        Err(e) => Answer::Error {
            error: e.to_string(),
        },
    };
    serde_json::to_string(&answer).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

fn answer(request: &str) -> Result<Value, Error> {
    let request: Request = serde_json::from_str(request)
        .map_err(|e| Error::invalid("request", "JSON", e.to_string()))?;
    let json = |v: Result<Value, serde_json::Error>| {
        v.map_err(|e| Error::invalid("answer", "JSON", e.to_string()))
    };
    match request.op.as_str() {
        "scenarios" => {
            let scenarios = SCENARIOS
                .iter()
                .map(Scenario::view)
                .collect::<Result<_, _>>()?;
            json(serde_json::to_value(Listing {
                version: env!("CARGO_PKG_VERSION"),
                palette: PALETTE,
                scenarios,
            }))
        }
        "run" => {
            let settings = Settings::of(&request)?;
            match settings.scenario.kind {
                Kind::Lab => json(serde_json::to_value(lab::run(&settings)?)),
                Kind::Life => json(serde_json::to_value(life::run(&settings)?)),
            }
        }
        "step" => {
            let settings = Settings::of(&request)?;
            if settings.scenario.kind == Kind::Life {
                return Err(Error::invalid(
                    "op",
                    "\"step\"",
                    "a life runs week by week: run it instead",
                ));
            }
            let phase = request
                .phase
                .as_deref()
                .ok_or_else(|| Error::invalid("phase", "none", "a step names its phase"))?;
            let trial = request
                .trial
                .ok_or_else(|| Error::invalid("trial", "none", "a step names its trial"))?;
            json(serde_json::to_value(lab::step(&settings, phase, trial)?))
        }
        "export" => {
            let settings = Settings::of(&request)?;
            match settings.scenario.kind {
                Kind::Lab => json(serde_json::to_value(lab::export(&settings)?)),
                Kind::Life => json(serde_json::to_value(life::export(&settings)?)),
            }
        }
        other => Err(Error::invalid(
            "op",
            format!("\"{other}\""),
            "one of scenarios, run, step, export",
        )),
    }
}

/// A protocol and its records, as the command line would write them.
#[derive(Debug, Serialize)]
pub struct Export {
    /// The protocol as run, complete, seed and subjects in it.
    pub toml: String,
    /// A file name for it.
    pub toml_name: String,
    /// The records, CSV.
    pub records: String,
    /// `records.csv` or `weeks.csv`.
    pub records_name: &'static str,
}

/// The header of an exported protocol.
fn export_header(name: &str) -> String {
    format!(
        "# Exported by the helplessness teaching page.\n# Run it: helplessness run {name}.toml --out run\n# (run/records.csv, or run/weeks.csv for a life, equals the page's export byte for byte)\n"
    )
}
