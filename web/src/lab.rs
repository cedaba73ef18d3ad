//! Laboratory scenarios: whole groups run and summarized trial by trial, one trial of
//! the step groups' first subjects traced tick by tick, and the records exported.

use helplessness::analysis::Summary;
use helplessness::mind::Variable;
use helplessness::mind::ticks::{Ticking, Wanted};
use helplessness::protocol::{self, ProtocolFile};
use helplessness::{CsvSink, Error, Experiment};
use serde::Serialize;

use crate::{Export, Settings, export_header};

/// The protocol file and experiment of `settings`.
fn prepare(settings: &Settings) -> Result<(ProtocolFile, Experiment), Error> {
    let file = settings
        .scenario
        .lab(&settings.knobs, settings.seed, settings.subjects)?;
    let exp = file.to_experiment()?;
    Ok((file, exp))
}

/// A phase as the page draws it.
#[derive(Debug, Serialize)]
pub struct PhaseView {
    name: String,
    trials: u32,
    cutoff_s: f64,
    after_hours: f64,
    criterion: Option<u32>,
}

/// One group in one phase, trial by trial.
#[derive(Debug, Serialize)]
pub struct Cell {
    n: u64,
    latency: Vec<Option<f64>>,
    sem: Vec<Option<f64>>,
    fail_rate: Vec<f64>,
}

/// One group's result in the last scored phase.
#[derive(Debug, Serialize)]
pub struct TestRow {
    group: String,
    phase: String,
    n: usize,
    mean_latency_s: f64,
    sem_latency_s: f64,
    failing: usize,
}

/// A whole run, summarized for the curves.
#[derive(Debug, Serialize)]
pub struct LabRun {
    kind: &'static str,
    name: String,
    seed: u64,
    subjects: u32,
    groups: Vec<String>,
    phases: Vec<PhaseView>,
    cells: Vec<Vec<Option<Cell>>>,
    failing: Vec<Vec<Option<f64>>>,
    test: Vec<TestRow>,
}

/// Runs every group and summarizes each trial.
pub fn run(settings: &Settings) -> Result<LabRun, Error> {
    let (_, exp) = prepare(settings)?;
    let mut summary = Summary::new(&exp);
    exp.runner(settings.seed).into_sink(&mut summary)?;
    let criterion = |phase: &str| {
        exp.criterion
            .as_ref()
            .filter(|c| c.applies_to(phase))
            .map(|c| c.min_failures)
    };
    let phases: Vec<PhaseView> = exp
        .phases
        .iter()
        .map(|p| PhaseView {
            name: p.name.clone(),
            trials: p.schedule.trials(),
            cutoff_s: p.schedule.cutoff_s,
            after_hours: p.after_hours,
            criterion: criterion(&p.name),
        })
        .collect();
    let mut cells: Vec<Vec<Option<Cell>>> = exp
        .groups
        .iter()
        .map(|_| exp.phases.iter().map(|_| None).collect())
        .collect();
    for row in summary.trial_rows_iter() {
        let g = exp.groups.iter().position(|g| g.name == row.group);
        let p = exp.phases.iter().position(|p| p.name == row.phase);
        if let (Some(g), Some(p)) = (g, p) {
            let cell = cells[g][p].get_or_insert_with(|| Cell {
                n: row.n,
                latency: Vec::new(),
                sem: Vec::new(),
                fail_rate: Vec::new(),
            });
            cell.latency.push(row.mean_latency_s);
            cell.sem.push(row.sem_latency_s);
            cell.fail_rate.push(row.fail_rate);
        }
    }
    let failing = exp
        .groups
        .iter()
        .map(|g| {
            exp.phases
                .iter()
                .map(|p| {
                    if criterion(&p.name).is_none() || !exp.takes_part(g, p) {
                        return None;
                    }
                    summary
                        .groups(&p.name)
                        .into_iter()
                        .find(|s| s.group == g.name)
                        .filter(|s| s.n > 0)
                        .map(|s| s.failing as f64 / s.n as f64)
                })
                .collect()
        })
        .collect();
    let test = exp
        .scored_phases()
        .last()
        .map(|phase| {
            summary
                .groups(phase)
                .into_iter()
                .filter(|s| s.n > 0)
                .map(|s| TestRow {
                    group: s.group,
                    phase: phase.to_string(),
                    n: s.n,
                    mean_latency_s: s.mean_latency_s,
                    sem_latency_s: s.sem_latency_s,
                    failing: s.failing,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(LabRun {
        kind: "lab",
        name: exp.name.clone(),
        seed: settings.seed,
        subjects: settings.subjects,
        groups: exp.groups.iter().map(|g| g.name.clone()).collect(),
        phases,
        cells,
        failing,
        test,
    })
}

/// One subject's trial in a step.
#[derive(Debug, Serialize)]
pub struct StepSubject {
    group: String,
    takes_part: bool,
    record: Option<StepRecord>,
    trace: Option<Trace>,
}

/// What the records say of the trial.
#[derive(Debug, Serialize)]
pub struct StepRecord {
    shock_s: f64,
    latency_s: Option<f64>,
    escaped: bool,
    responses: u32,
    intensity: Option<f64>,
    cutoff_s: f64,
}

/// The trial tick by tick.
#[derive(Debug, Serialize)]
pub struct Trace {
    t: Vec<f64>,
    values: std::collections::BTreeMap<&'static str, Vec<f64>>,
    attempts: Vec<f64>,
}

/// A variable the theory declares.
#[derive(Debug, Serialize)]
pub struct VariableView {
    name: &'static str,
    unit: &'static str,
    description: &'static str,
}

impl From<&Variable> for VariableView {
    fn from(v: &Variable) -> Self {
        VariableView {
            name: v.name,
            unit: v.unit,
            description: v.meaning,
        }
    }
}

/// One trial of the step groups.
#[derive(Debug, Serialize)]
pub struct Step {
    phase: String,
    trial: u32,
    trials: u32,
    dt_s: f64,
    variables: Vec<VariableView>,
    shown: Vec<&'static str>,
    subjects: Vec<StepSubject>,
}

/// Trial `trial` (from 1) of `phase` for subject 0 of each step group: the experiment
/// run with one subject per group (each subject's stream depends only on seed, group
/// and index, so these are subject 0 of the full run), tracing that trial.
pub fn step(settings: &Settings, phase: &str, trial: u32) -> Result<Step, Error> {
    let (_, exp) = prepare(settings)?;
    let exp = exp.with_subjects(1);
    let at = exp
        .phases
        .iter()
        .position(|p| p.name == phase)
        .ok_or_else(|| {
            let names: Vec<&str> = exp.phases.iter().map(|p| p.name.as_str()).collect();
            Error::invalid(
                "phase",
                format!("\"{phase}\""),
                format!("the phases are {}", names.join(", ")),
            )
        })?;
    let the_phase = &exp.phases[at];
    let trials = the_phase.schedule.trials();
    if !(1..=trials).contains(&trial) {
        return Err(Error::invalid(
            "trial",
            trial,
            format!("phase {phase} has trials 1 to {trials}"),
        ));
    }
    let step_groups: Vec<&helplessness::Group> = settings
        .scenario
        .step_groups
        .iter()
        .filter_map(|name| exp.groups.iter().find(|g| g.name == *name))
        .collect();
    // A subject's episodes are numbered over the phases it takes part in.
    let wanted: Vec<Wanted> = step_groups
        .iter()
        .filter(|g| exp.takes_part(g, the_phase))
        .map(|g| Wanted {
            group: g.name.clone(),
            subject: 0,
            episode: exp.phases[..at]
                .iter()
                .filter(|p| exp.takes_part(g, p))
                .map(|p| u64::from(p.schedule.trials()))
                .sum::<u64>()
                + u64::from(trial - 1),
        })
        .collect();
    let ticking = Ticking::new(exp.factory()?, wanted);
    let records = exp.runner(settings.seed).minds(&ticking).records()?;
    let traces = ticking.traces();
    let variables = exp.theory.variables();
    let block = the_phase.schedule.block_of(trial - 1);
    let subjects = step_groups
        .iter()
        .map(|g| {
            let record = records
                .iter()
                .find(|r| *r.group == g.name && *r.phase == *phase && r.trial == trial);
            let trace = traces.iter().find(|t| t.group == g.name);
            StepSubject {
                group: g.name.clone(),
                takes_part: exp.takes_part(g, the_phase),
                record: record.map(|r| StepRecord {
                    shock_s: r.shock_s,
                    latency_s: r.latency_s,
                    escaped: r.escaped,
                    responses: r.responses,
                    intensity: block.map(|b| b.intensity),
                    cutoff_s: the_phase.schedule.cutoff_s,
                }),
                trace: trace.map(|t| Trace {
                    t: t.t.clone(),
                    values: variables
                        .iter()
                        .map(|v| v.name)
                        .zip(t.values.iter().cloned())
                        .collect(),
                    attempts: t.attempts.clone(),
                }),
            }
        })
        .collect();
    Ok(Step {
        phase: phase.to_string(),
        trial,
        trials,
        dt_s: exp.dt_s,
        variables: variables.iter().map(VariableView::from).collect(),
        shown: variables.iter().take(4).map(|v| v.name).collect(),
        subjects,
    })
}

/// The protocol as run and its records, as `helplessness run` writes them.
pub fn export(settings: &Settings) -> Result<Export, Error> {
    let (file, exp) = prepare(settings)?;
    let mut complete = ProtocolFile::complete(&exp, file.species, settings.seed);
    complete.description = file.description.clone();
    complete.source = file.source.clone();
    let name = format!("{}-seed{}", exp.name, settings.seed);
    let toml = protocol::render(&complete, &export_header(&name));
    let mut sink = CsvSink::new(Vec::new())?;
    exp.runner(settings.seed).into_sink(&mut sink)?;
    let records = String::from_utf8(sink.into_inner()?)
        .map_err(|e| Error::invalid("records", "CSV", e.to_string()))?;
    Ok(Export {
        toml,
        toml_name: format!("{name}.toml"),
        records,
        records_name: "records.csv",
    })
}
