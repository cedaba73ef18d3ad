//! `helplessness._native`: the library behind the Python package `helplessness`.
//!
//! The package (`python/helplessness/`) gives the documented API; this module does the
//! work. Runs simulate on a worker thread with the GIL released, while the calling
//! thread wakes every few milliseconds to let Python handle signals, so Ctrl-C stops
//! a run within a trial. Records come back as numpy arrays that take over the
//! library's vectors (no copy, no text).

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use helplessness::analysis::{self, RunStats, Summary};
use helplessness::columns::{RecordColumns, WeekColumns};
use helplessness::life::{self, LifeStudy, LifeSummary, PhaseEnd};
use helplessness::plot::{self, FigureOptions, Rendered};
use helplessness::protocol::{self, LifeFile, Opened, ProtocolFile};
use helplessness::sweep::{self, Overrides, Shard};
use helplessness::{
    Error, Experiment, Observer, RunOptions, Sink, StopSignal, TrialRecord, Variable,
};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

/// The package's exception, `helplessness.Error`.
mod exception {
    pyo3::create_exception!(
        helplessness,
        Error,
        pyo3::exceptions::PyValueError,
        "A protocol, a sweep or an argument the library refuses; the message names the \
         file, line, field and value as the command line does."
    );
}
use exception::Error as HelplessnessError;

/// The library's error as a Python exception with the command line's message.
fn py_err(e: Error) -> PyErr {
    match e {
        Error::Interrupted { .. } => PyKeyboardInterrupt::new_err(e.to_string()),
        other => HelplessnessError::new_err(other.to_string()),
    }
}

/// Most worker threads a run may ask for, as on the command line.
const MAX_THREADS: usize = 1024;

fn run_options(threads: Option<usize>, stop: &StopSignal) -> PyResult<RunOptions> {
    if let Some(n) = threads
        && !(1..=MAX_THREADS).contains(&n)
    {
        return Err(py_err(Error::invalid(
            "threads",
            n,
            format!("a number of threads from 1 to {MAX_THREADS}"),
        )));
    }
    Ok(RunOptions {
        threads,
        stop: stop.clone(),
        ..RunOptions::default()
    })
}

/// How far a run is: units done of a total (yoke sets, people, sweep points), shared
/// between the worker and the thread that reports it.
#[derive(Default)]
struct Progress(Mutex<(u64, u64)>);

impl Progress {
    fn set(&self, done: u64, total: u64) {
        if let Ok(mut p) = self.0.lock() {
            *p = (done, total);
        }
    }

    /// (done, total), once a total is known.
    fn get(&self) -> Option<(u64, u64)> {
        self.0
            .lock()
            .ok()
            .map(|p| *p)
            .filter(|&(_, total)| total > 0)
    }
}

/// The library's observer, writing into a [`Progress`].
struct Observing<'a>(&'a Progress);

impl Observer for Observing<'_> {
    fn progress(&mut self, done: u64, total: u64) -> bool {
        self.0.set(done, total);
        true
    }
}

/// A run lasting longer than this reports its progress.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// Runs `work` on a worker thread with the GIL released; the calling thread wakes
/// when it ends, or every 20 ms to check for signals: on one (Ctrl-C) it raises `stop`
/// and re-raises the signal's exception once the worker has stopped. Once the run
/// has lasted a second, `report(done, total)` hears its progress every 20 ms (an
/// exception it raises stops the run too).
fn simulate<T: Send>(
    py: Python<'_>,
    stop: &StopSignal,
    progress: &Progress,
    report: Option<&Bound<'_, PyAny>>,
    work: impl FnOnce() -> Result<T, Error> + Send,
) -> PyResult<T> {
    let started = Instant::now();
    std::thread::scope(|scope| {
        let (finished, ended) = mpsc::channel::<()>();
        let worker = scope.spawn(move || {
            let result = work();
            let _ = finished.send(());
            result
        });
        let mut raised = None;
        let mut ended = Some(ended);
        while let Some(waiting) = ended.take() {
            let (woken, waiting) = py.detach(move || {
                let woken = waiting.recv_timeout(Duration::from_millis(20));
                (woken, waiting)
            });
            if woken != Err(RecvTimeoutError::Timeout) {
                break;
            }
            ended = Some(waiting);
            if raised.is_some() {
                continue;
            }
            let mut heard = py.check_signals();
            if let (Ok(()), Some(report), Some((done, total))) = (&heard, report, progress.get())
                && started.elapsed() > QUIET_FOR
            {
                heard = report.call1((done, total)).map(drop);
            }
            if let Err(e) = heard {
                stop.raise();
                raised = Some(e);
            }
        }
        let result = worker.join();
        if let Some(e) = raised {
            return Err(e);
        }
        match result {
            Ok(done) => done.map_err(py_err),
            Err(_) => Err(PyRuntimeError::new_err(
                "the simulation panicked; please report it with the protocol and seed",
            )),
        }
    })
}

/// What a text is: `lab`, `life` or `sweep`.
fn kind(text: &str) -> &'static str {
    if sweep::is_sweep_text(text) {
        "sweep"
    } else if protocol::is_life_text(text) {
        "life"
    } else {
        "lab"
    }
}

/// The text, origin and kind of what `arg` names: a file, a bundled protocol, life
/// study or sweep.
#[pyfunction]
fn source(arg: &str) -> PyResult<(String, String, &'static str)> {
    if !Path::new(arg).is_file()
        && let Some(text) = sweep::bundled_text(arg)
    {
        return Ok((text.to_string(), arg.to_string(), "sweep"));
    }
    let (text, origin) = protocol::source(arg).map_err(py_err)?;
    let k = kind(&text);
    Ok((text, origin, k))
}

/// `lab`, `life` or `sweep`: what a protocol's text is.
#[pyfunction]
fn kind_of(text: &str) -> &'static str {
    kind(text)
}

/// Every bundled protocol, life study and sweep: (name, kind, description, source).
#[pyfunction]
fn protocols() -> PyResult<Vec<(String, &'static str, String, String)>> {
    let mut out = Vec::new();
    for b in protocol::BUNDLED {
        let file = protocol::bundled(b.name).map_err(py_err)?.file;
        out.push((b.name.to_string(), "lab", file.description, file.source));
    }
    for b in protocol::BUNDLED_LIVES {
        let file = protocol::bundled_life(b.name).map_err(py_err)?.file;
        out.push((b.name.to_string(), "life", file.description, file.source));
    }
    for b in sweep::BUNDLED {
        let s = sweep::bundled(b.name).map_err(py_err)?;
        out.push((
            b.name.to_string(),
            "sweep",
            s.description().to_string(),
            String::new(),
        ));
    }
    Ok(out)
}

/// The directory a sweep file's relative protocol paths start from.
fn sweep_dir(origin: &str) -> Option<&Path> {
    let path = Path::new(origin);
    path.is_file().then(|| path.parent()).flatten()
}

/// What the command line's `show` prints for `text`.
#[pyfunction]
fn show(text: &str, origin: &str) -> PyResult<String> {
    if kind(text) == "sweep" {
        let spec =
            sweep::load(text, origin, sweep_dir(origin), &Overrides::default()).map_err(py_err)?;
        return Ok(format!(
            "{}{}",
            protocol::leading_comments(text),
            spec.resolved()
        ));
    }
    protocol::show(text, origin).map_err(py_err)
}

/// A laboratory run's summary and columns at once.
struct Both<'a> {
    summary: &'a mut Summary,
    columns: &'a mut RecordColumns,
}

impl Sink for Both<'_> {
    fn start(&mut self, variables: &'static [Variable]) -> Result<(), Error> {
        self.summary.start(variables)?;
        self.columns.start(variables)
    }
    fn write(&mut self, r: &TrialRecord) -> Result<(), Error> {
        self.summary.write(r)?;
        self.columns.write(r)
    }
}

/// What ran, with what a run's analysis needs.
enum Ran {
    Lab {
        exp: Box<Experiment>,
        file: Box<ProtocolFile>,
        summary: Box<Summary>,
    },
    Life {
        study: Box<LifeStudy>,
        file: Box<LifeFile>,
        summary: Box<LifeSummary>,
    },
}

/// A finished run: its protocol as run, summary, statistics, report and figures.
#[pyclass(frozen, module = "helplessness._native")]
struct NativeRun {
    ran: Ran,
    seed: u64,
    /// The protocol as run, as a file `run` accepts.
    protocol: String,
    /// Which records were kept: all, test or none.
    records: &'static str,
    /// A laboratory run's statistics, computed once when first asked for.
    stats: OnceLock<RunStats>,
    /// A life run's phase-end comparisons, computed once when first asked for.
    ends: OnceLock<Vec<PhaseEnd>>,
}

/// Numpy arrays taking over `columns`' vectors, and the names behind each coded column.
type Columns<'py> = (Bound<'py, PyDict>, Bound<'py, PyDict>);

fn names(v: &[std::sync::Arc<str>]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn record_arrays(py: Python<'_>, c: RecordColumns) -> PyResult<Columns<'_>> {
    let (columns, categories) = (PyDict::new(py), PyDict::new(py));
    let names_of = c.names();
    columns.set_item("group", PyArray1::from_vec(py, c.group))?;
    columns.set_item("subject", PyArray1::from_vec(py, c.subject))?;
    columns.set_item("phase", PyArray1::from_vec(py, c.phase))?;
    columns.set_item("trial", PyArray1::from_vec(py, c.trial))?;
    columns.set_item("onset_s", PyArray1::from_vec(py, c.onset_s))?;
    columns.set_item("shock_s", PyArray1::from_vec(py, c.shock_s))?;
    columns.set_item("latency_s", PyArray1::from_vec(py, c.latency_s))?;
    columns.set_item("escaped", PyArray1::from_vec(py, c.escaped))?;
    columns.set_item("forced", PyArray1::from_vec(py, c.forced))?;
    columns.set_item("responses", PyArray1::from_vec(py, c.responses))?;
    for (name, values) in names_of[TrialRecord::BASE_COLUMNS.len()..]
        .iter()
        .zip(c.state)
    {
        columns.set_item(*name, PyArray1::from_vec(py, values))?;
    }
    categories.set_item("group", names(&c.groups))?;
    categories.set_item("phase", names(&c.phases))?;
    Ok((columns, categories))
}

fn week_arrays(py: Python<'_>, c: WeekColumns) -> PyResult<Columns<'_>> {
    let (columns, categories) = (PyDict::new(py), PyDict::new(py));
    columns.set_item("group", PyArray1::from_vec(py, c.group))?;
    columns.set_item("subject", PyArray1::from_vec(py, c.subject))?;
    columns.set_item("phase", PyArray1::from_vec(py, c.phase))?;
    columns.set_item("week", PyArray1::from_vec(py, c.week))?;
    columns.set_item("domain", PyArray1::from_vec(py, c.domain))?;
    columns.set_item("opportunities", PyArray1::from_vec(py, c.opportunities))?;
    columns.set_item("attempts", PyArray1::from_vec(py, c.attempts))?;
    columns.set_item("successes", PyArray1::from_vec(py, c.successes))?;
    columns.set_item("E", PyArray1::from_vec(py, c.expectation))?;
    columns.set_item("G", PyArray1::from_vec(py, c.global))?;
    columns.set_item("esteem", PyArray1::from_vec(py, c.esteem))?;
    columns.set_item("helpless", PyArray1::from_vec(py, c.helpless))?;
    categories.set_item("group", names(&c.groups))?;
    categories.set_item("phase", names(&c.phases))?;
    categories.set_item("domain", names(&c.domains))?;
    Ok((columns, categories))
}

/// Runs the protocol in `text` (named `origin` in errors) as the command line's `run`
/// does: the same seed gives the same records. Returns the run, its records as numpy
/// arrays (an empty dict with `records="none"`) and the names of the coded columns.
#[pyfunction]
#[pyo3(signature = (text, origin, *, subjects=None, seed=None, threads=None, records="all", progress=None))]
#[allow(clippy::too_many_arguments)] // the command line's options, by name
fn run<'py>(
    py: Python<'py>,
    text: &str,
    origin: &str,
    subjects: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
    records: &str,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<(NativeRun, Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    let records: &'static str = match records {
        "all" => "all",
        "test" => "test",
        "none" => "none",
        other => {
            return Err(py_err(Error::invalid(
                "records",
                other,
                "one of all, test, none",
            )));
        }
    };
    let stop = StopSignal::default();
    let options = run_options(threads, &stop)?;
    let shared = Progress::default();
    let report = progress.as_ref();
    let (ran, seed, shown, (arrays, categories)) =
        match protocol::open(text, origin).map_err(py_err)? {
            Opened::Lab(loaded) => {
                let loaded = loaded.resized(subjects, seed).map_err(py_err)?;
                let seed = loaded.file.seed;
                let file = protocol::complete(&loaded, None);
                let shown = protocol::render(&file, &protocol::leading_comments(text));
                let exp = loaded.experiment;
                let scored = exp.scored_phases();
                let columns = RecordColumns::new(&exp);
                let mut columns = match records {
                    "all" => columns,
                    "test" => columns.keeping(&scored),
                    _ => columns.keeping(&[]),
                };
                let mut summary = Summary::new(&exp);
                simulate(py, &stop, &shared, report, || {
                    let mut both = Both {
                        summary: &mut summary,
                        columns: &mut columns,
                    };
                    exp.runner(seed)
                        .options(&options)
                        .observer(&mut Observing(&shared))
                        .into_sink(&mut both)
                })?;
                let arrays = if records == "none" {
                    (PyDict::new(py), PyDict::new(py))
                } else {
                    record_arrays(py, columns)?
                };
                let ran = Ran::Lab {
                    exp: Box::new(exp),
                    file: Box::new(file),
                    summary: Box::new(summary),
                };
                (ran, seed, shown, arrays)
            }
            Opened::Life(loaded) => {
                if records == "test" {
                    return Err(py_err(Error::invalid(
                        "records",
                        "test",
                        "a life has no test phase: use all or none",
                    )));
                }
                let loaded = loaded.resized(subjects, seed).map_err(py_err)?;
                let seed = loaded.file.seed;
                let shown = toml::to_string(&loaded.file)
                    .map_err(|e| HelplessnessError::new_err(e.to_string()))?;
                let study = loaded.study;
                let mut weeks = WeekColumns::new(&study);
                let keep = records == "all";
                let summary = simulate(py, &stop, &shared, report, || {
                    let mut write = |w: &life::PersonWeek| weeks.write(w);
                    life::run(
                        &study,
                        seed,
                        &options,
                        &mut Observing(&shared),
                        keep.then_some(&mut write as life::WeekSink<'_>),
                    )
                })?;
                let arrays = if keep {
                    week_arrays(py, weeks)?
                } else {
                    (PyDict::new(py), PyDict::new(py))
                };
                let ran = Ran::Life {
                    study: Box::new(study),
                    file: Box::new(loaded.file),
                    summary: Box::new(summary),
                };
                (ran, seed, shown, arrays)
            }
        };
    let run = NativeRun {
        ran,
        seed,
        protocol: shown,
        records,
        stats: OnceLock::new(),
        ends: OnceLock::new(),
    };
    Ok((run, arrays, categories))
}

/// A numpy column of `columns` as a vector (a copy), named in errors.
fn column<T: numpy::Element + Copy>(columns: &Bound<'_, PyDict>, name: &str) -> PyResult<Vec<T>> {
    let Some(array) = columns.get_item(name)? else {
        return Err(HelplessnessError::new_err(format!(
            "records have no column `{name}`"
        )));
    };
    let array: PyReadonlyArray1<'_, T> = array.extract().map_err(|_| {
        HelplessnessError::new_err(format!(
            "column `{name}` is not the one-dimensional array the run returned"
        ))
    })?;
    Ok(array.as_array().iter().copied().collect())
}

fn arc_names(categories: &Bound<'_, PyDict>, name: &str) -> PyResult<Vec<std::sync::Arc<str>>> {
    let names: Vec<String> = categories
        .get_item(name)?
        .ok_or_else(|| HelplessnessError::new_err(format!("no names for column `{name}`")))?
        .extract()?;
    Ok(names.into_iter().map(std::sync::Arc::from).collect())
}

/// Codes that all index `names`, or an error naming the column.
fn checked_codes(
    codes: Vec<u32>,
    names: &[std::sync::Arc<str>],
    column: &str,
) -> PyResult<Vec<u32>> {
    match codes.iter().find(|&&c| c as usize >= names.len()) {
        Some(c) => Err(HelplessnessError::new_err(format!(
            "column `{column}` holds code {c}, but there are {} names",
            names.len()
        ))),
        None => Ok(codes),
    }
}

/// A figure for Python: (file stem, caption, PNG bytes, SVG text).
type Drawn<'py> = (String, String, Bound<'py, PyBytes>, String);

impl NativeRun {
    fn lab_stats(&self, exp: &Experiment, summary: &Summary) -> &RunStats {
        self.stats
            .get_or_init(|| RunStats::compute(exp, summary, self.seed))
    }

    fn phase_ends(&self, study: &LifeStudy, summary: &LifeSummary) -> &[PhaseEnd] {
        self.ends
            .get_or_init(|| summary.phase_ends(&study.phases()))
    }
}

#[pymethods]
impl NativeRun {
    /// The experiment's or study's name.
    #[getter]
    fn name(&self) -> String {
        match &self.ran {
            Ran::Lab { exp, .. } => exp.name.clone(),
            Ran::Life { study, .. } => study.name.clone(),
        }
    }

    /// The seed the run used.
    #[getter]
    fn seed(&self) -> u64 {
        self.seed
    }

    /// `lab` or `life`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.ran {
            Ran::Lab { .. } => "lab",
            Ran::Life { .. } => "life",
        }
    }

    /// The protocol as run (every default and the seed written out), as TOML.
    #[getter]
    fn protocol(&self) -> String {
        self.protocol.clone()
    }

    /// Which records were kept: `all`, `test` or `none`.
    #[getter]
    fn records(&self) -> &'static str {
        self.records
    }

    /// The run's `summary.csv`.
    fn summary_csv(&self) -> PyResult<String> {
        match &self.ran {
            Ran::Lab { summary, .. } => {
                let bytes = summary.write_csv(Vec::new()).map_err(py_err)?;
                String::from_utf8(bytes).map_err(|e| PyRuntimeError::new_err(e.to_string()))
            }
            Ran::Life { summary, .. } => summary.to_csv().map_err(py_err),
        }
    }

    /// The run's `stats.json`.
    fn stats_json(&self) -> PyResult<String> {
        match &self.ran {
            Ran::Lab { exp, summary, .. } => self.lab_stats(exp, summary).to_json(),
            Ran::Life { study, summary, .. } => life::stats_json(self.phase_ends(study, summary)),
        }
        .map_err(py_err)
    }

    /// The run's `report.md`, without its figures section.
    fn report(&self) -> String {
        match &self.ran {
            Ran::Lab { exp, file, summary } => {
                let stats = self.lab_stats(exp, summary);
                analysis::markdown(
                    exp,
                    &file.description,
                    &file.source,
                    self.seed,
                    &stats.phases,
                    &[],
                )
            }
            Ran::Life {
                study,
                file,
                summary,
            } => life::report(
                study,
                &file.description,
                &file.source,
                self.seed,
                self.phase_ends(study, summary),
                &[],
            ),
        }
    }

    /// The scored phases figures are drawn for (empty for a life run).
    fn scored_phases(&self) -> Vec<String> {
        match &self.ran {
            Ran::Lab { exp, .. } => exp.scored_phases().into_iter().map(String::from).collect(),
            Ran::Life { .. } => Vec::new(),
        }
    }

    /// Figures whose stem (without a phase suffix) is `stem`, of `phase` (every scored
    /// phase when `None`): (file stem, caption, PNG bytes, SVG text) each, drawn at
    /// `width` x `height` layout units and `dpi`.
    #[pyo3(signature = (stem, phase=None, width=960, height=600, dpi=96.0))]
    fn figures<'py>(
        &self,
        py: Python<'py>,
        stem: &str,
        phase: Option<String>,
        width: u32,
        height: u32,
        dpi: f64,
    ) -> PyResult<Vec<Drawn<'py>>> {
        let style = plot::Style { width, height, dpi };
        let ran = &self.ran;
        let rendered: Vec<Rendered> = py
            .detach(|| match ran {
                Ran::Lab { exp, summary, .. } => {
                    let options = FigureOptions { style, phase };
                    plot::render_run_figures(exp, summary, |s| s == stem, &options)
                }
                Ran::Life { study, summary, .. } => {
                    plot::render_life_figures(&study.name, summary, &style)
                        .map(|all| all.into_iter().filter(|r| r.stem == stem).collect())
                }
            })
            .map_err(py_err)?;
        Ok(rendered
            .into_iter()
            .map(|r| (r.stem, r.caption, PyBytes::new(py, &r.png), r.svg))
            .collect())
    }

    /// Writes `columns` (this run's records, as returned) to `path` as the command line
    /// writes `records.csv` (or `weeks.csv` for a life run): byte for byte the same.
    /// The file appears whole or not at all.
    fn write_csv(
        &self,
        py: Python<'_>,
        path: &str,
        columns: &Bound<'_, PyDict>,
        categories: &Bound<'_, PyDict>,
    ) -> PyResult<()> {
        match &self.ran {
            Ran::Lab { exp, .. } => {
                let variables = exp.theory.variables();
                let mut c = RecordColumns::new(exp);
                c.variables = variables;
                c.groups = arc_names(categories, "group")?;
                c.phases = arc_names(categories, "phase")?;
                c.group = checked_codes(column(columns, "group")?, &c.groups, "group")?;
                c.phase = checked_codes(column(columns, "phase")?, &c.phases, "phase")?;
                c.subject = column(columns, "subject")?;
                c.trial = column(columns, "trial")?;
                c.onset_s = column(columns, "onset_s")?;
                c.shock_s = column(columns, "shock_s")?;
                c.latency_s = column(columns, "latency_s")?;
                c.escaped = column(columns, "escaped")?;
                c.forced = column(columns, "forced")?;
                c.responses = column(columns, "responses")?;
                c.state = variables
                    .iter()
                    .map(|v| column(columns, v.name))
                    .collect::<PyResult<_>>()?;
                // The library refuses columns of unequal lengths.
                write_file(py, path, |out| c.write_csv(out))
            }
            Ran::Life { study, .. } => {
                let mut c = WeekColumns::new(study);
                c.groups = arc_names(categories, "group")?;
                c.phases = arc_names(categories, "phase")?;
                c.domains = arc_names(categories, "domain")?;
                c.group = checked_codes(column(columns, "group")?, &c.groups, "group")?;
                c.phase = checked_codes(column(columns, "phase")?, &c.phases, "phase")?;
                c.domain = checked_codes(column(columns, "domain")?, &c.domains, "domain")?;
                c.subject = column(columns, "subject")?;
                c.week = column(columns, "week")?;
                c.opportunities = column(columns, "opportunities")?;
                c.attempts = column(columns, "attempts")?;
                c.successes = column(columns, "successes")?;
                c.expectation = column(columns, "E")?;
                c.global = column(columns, "G")?;
                c.esteem = column(columns, "esteem")?;
                // The library refuses columns of unequal lengths or foreign codes.
                write_file(py, path, |out| c.write_csv(out, study))
            }
        }
    }
}

type FileWriter = std::io::BufWriter<std::fs::File>;

/// Writes `path` through `write`, without the GIL: into a temporary file synced and
/// renamed, so the file appears whole or not at all.
fn write_file(
    py: Python<'_>,
    path: &str,
    write: impl FnOnce(FileWriter) -> Result<FileWriter, Error> + Send,
) -> PyResult<()> {
    py.detach(|| {
        helplessness::atomic::write_with(Path::new(path), |tmp| {
            let out = std::io::BufWriter::new(std::fs::File::create(tmp)?);
            write(out)
                .map_err(std::io::Error::other)?
                .into_inner()
                .map_err(|e| e.into_error())?
                .sync_all()
        })
    })
    .map_err(py_err)
}

/// Runs shard `shard_index` of `shard_count` of the sweep in `text` (named `origin` in
/// errors): returns its table as `sweep.csv` text (one row per point x group x scored
/// phase, points in order).
#[pyfunction]
#[pyo3(signature = (text, origin, *, shard_index=0, shard_count=1, subjects=None, replicates=None, threads=None, progress=None))]
#[allow(clippy::too_many_arguments)] // the command line's options, by name
fn sweep_csv(
    py: Python<'_>,
    text: &str,
    origin: &str,
    shard_index: u64,
    shard_count: u64,
    subjects: Option<u32>,
    replicates: Option<u32>,
    threads: Option<usize>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let shard: Shard = format!("{shard_index}/{shard_count}")
        .parse()
        .map_err(py_err)?;
    let overrides = Overrides {
        subjects,
        replicates,
    };
    let spec = sweep::load(text, origin, sweep_dir(origin), &overrides).map_err(py_err)?;
    let stop = StopSignal::default();
    let options = run_options(threads, &stop)?;
    let shared = Progress::default();
    let total = (0..spec.len()).filter(|&p| shard.contains(p)).count() as u64;
    let rows = simulate(py, &stop, &shared, progress.as_ref(), || {
        let mut rows = Vec::new();
        for (done, point) in spec.points(shard).enumerate() {
            shared.set(done as u64, total);
            rows.extend(spec.run_point(&point, &options, &mut Nothing, &mut ())?);
        }
        shared.set(total, total);
        Ok(rows)
    })?;
    let bytes = spec.csv(&rows).map_err(py_err)?;
    String::from_utf8(bytes).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// Keeps no records (a sweep keeps its summaries).
struct Nothing;

impl Sink for Nothing {
    fn write(&mut self, _: &TrialRecord) -> Result<(), Error> {
        Ok(())
    }
}

/// The crate version the module was built from.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("Error", m.py().get_type::<HelplessnessError>())?;
    m.add_class::<NativeRun>()?;
    m.add_function(wrap_pyfunction!(source, m)?)?;
    m.add_function(wrap_pyfunction!(kind_of, m)?)?;
    m.add_function(wrap_pyfunction!(protocols, m)?)?;
    m.add_function(wrap_pyfunction!(show, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_csv, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
