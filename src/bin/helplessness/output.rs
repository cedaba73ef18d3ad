//! A run's output directory: records, summary.csv and manifest.json, written to
//! temporary files and renamed only when complete, so an interrupted run never leaves a
//! truncated file that looks finished.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};
use helplessness::analysis::{self, PhaseStats, Summary};
use helplessness::plot::FigureOptions;
use helplessness::protocol::ProtocolFile;
use helplessness::record::RecordCheck;
use helplessness::{
    CsvSink, Error, Experiment, JsonLinesSink, Observer, RunOptions, Sink, StopSignal, TrialRecord,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use crate::{Format, Records};

/// Files that mark a directory as holding a run.
const RUN_FILES: [&str; 6] = [
    "manifest.json",
    "records.csv",
    "records.jsonl",
    "summary.csv",
    "stats.json",
    "report.md",
];

/// How to run, from the command line.
pub struct Options {
    pub seed: u64,
    pub threads: Option<usize>,
    pub format: Format,
    pub records: Records,
    pub quiet: bool,
    pub plots: bool,
    /// Replace a run already in the directory.
    pub force: bool,
}

/// Refuses a directory that already holds a run, unless `force`.
pub fn refuse_existing_run(dir: &Path, force: bool) -> Result<()> {
    if force {
        return Ok(());
    }
    if let Some(f) = RUN_FILES.iter().find(|f| dir.join(f).exists()) {
        bail!(
            "{}: already holds a run ({f}); choose another --out or pass --force to replace it",
            dir.display()
        );
    }
    Ok(())
}

/// A protocol or sweep name as one path component: anything but letters, digits, `-`,
/// `_` and `.` becomes `-`, and leading dots go, so no name can climb out of `runs/`
/// (`../x`), hide (`.x`) or nest (`a/b`).
pub fn path_component(name: &str) -> String {
    let safe = helplessness::atomic::file_safe(name);
    let safe = safe.trim_start_matches('.');
    if safe.is_empty() {
        "run".to_string()
    } else {
        safe.chars().take(100).collect()
    }
}

/// `base/name`, or `base/name-2`, `-3`, ... if taken by another run; `name` is first
/// made one path component ([`path_component`]).
pub fn fresh_dir(base: &Path, name: &str) -> PathBuf {
    let name = &path_component(name);
    // A directory another process is writing is taken too.
    let taken = |d: &Path| RUN_FILES.iter().any(|f| d.join(f).exists()) || DirLock::held(d);
    let first = base.join(name);
    if !taken(&first) {
        return first;
    }
    (2..)
        .map(|k| base.join(format!("{name}-{k}")))
        .find(|d| !taken(d))
        .expect("some suffix is free")
}

/// The manifest: everything needed to reproduce the run byte for byte.
#[derive(Serialize)]
struct Manifest<'a> {
    crate_name: &'static str,
    crate_version: &'static str,
    protocol: &'a ProtocolFile,
    seed: u64,
    threads: usize,
    format: &'static str,
    started: String,
    finished: String,
    elapsed_s: f64,
    /// Peak resident memory of the process, MiB (null where the system does not say).
    peak_memory_mib: Option<f64>,
    groups: Vec<GroupCount>,
    records: u64,
    /// Which records were written: all, test (scored phases) or none.
    records_kept: &'static str,
    /// XXH3-128 of the records file's bytes: `analyze` refuses records that differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    records_xxh3: Option<String>,
    /// XXH3-128 of the protocol as run (its JSON here): `analyze` refuses a manifest
    /// whose protocol was edited after the run.
    protocol_xxh3: String,
    files: Vec<&'static str>,
}

#[derive(Serialize)]
struct GroupCount {
    name: String,
    subjects: u32,
}

/// An XXH3-128 digest as it stands in manifest.json.
fn hex(digest: u128) -> String {
    format!("{digest:032x}")
}

/// XXH3-128 of a protocol's JSON, as hex.
pub(crate) fn protocol_fingerprint(file: &ProtocolFile) -> Result<String> {
    Ok(hex(xxh3_128(&serde_json::to_vec(file)?)))
}

/// A reader or writer that hashes what passes through it. A writer's hasher is shared
/// (`Arc<Mutex<_>>`), as the writer ends up boxed inside the run's sink.
struct Hashing<T, H> {
    inner: T,
    hasher: H,
}

impl<R: std::io::Read> std::io::Read for Hashing<R, Xxh3> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl<W: Write> Write for Hashing<W, Arc<Mutex<Xxh3>>> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        if let Ok(mut h) = self.hasher.lock() {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes no records (`--records none`).
pub(crate) struct NoRecords;

impl Sink for NoRecords {
    fn write(&mut self, _: &TrialRecord) -> Result<(), Error> {
        Ok(())
    }
}

/// Records to a file, and a summary, at once.
struct Outputs {
    records: Box<dyn Sink>,
    /// Phases whose records are written; `None` writes all.
    keep: Option<Vec<String>>,
    summary: Summary,
    count: u64,
}

impl Sink for Outputs {
    fn write(&mut self, r: &TrialRecord) -> Result<(), Error> {
        self.summary.write(r)?;
        if self
            .keep
            .as_ref()
            .is_none_or(|k| k.iter().any(|p| **p == *r.phase))
        {
            self.count += 1;
            self.records.write(r)?;
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<(), Error> {
        self.records.finish()
    }
}

/// A progress bar that shows itself only once a run has lasted a second, never when
/// quiet or when stderr is not a terminal.
struct Progress {
    bar: ProgressBar,
    started: Instant,
    quiet: bool,
    shown: bool,
}

impl Observer for Progress {
    fn progress(&mut self, done: u64, total: u64) -> bool {
        if !self.quiet && !self.shown && self.started.elapsed() > Duration::from_secs(1) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        self.bar.set_length(total);
        self.bar.set_position(done);
        true
    }
}

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// Writes `bytes` as `dir/name`, whole or not at all.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    Ok(helplessness::atomic::write(&dir.join(name), bytes)?)
}

/// An exclusive lock on a run directory, held while a run or a re-analysis writes into
/// it and released when dropped (or when the process dies). A second writer is refused
/// instead of interleaving its records with the first's.
pub struct DirLock(#[allow(dead_code)] File);

impl DirLock {
    /// Whether another process holds `dir`'s lock.
    pub fn held(dir: &Path) -> bool {
        File::open(dir).is_ok_and(|f| matches!(f.try_lock(), Err(fs::TryLockError::WouldBlock)))
    }

    /// Locks `dir` (created if missing and `create`), or says who holds it.
    pub fn take(dir: &Path, create: bool) -> Result<Self> {
        if create {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        } else if !dir.is_dir() {
            bail!("{}: no such directory (not a finished run)", dir.display());
        }
        // The directory itself is locked where it can be opened as a file (Unix), so a
        // run leaves no lock file behind; elsewhere a hidden `.lock` file is.
        let (file, path) = match File::open(dir) {
            Ok(file) => (file, dir.to_path_buf()),
            Err(_) => {
                let path = dir.join(".lock");
                let file = fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&path)
                    .with_context(|| format!("creating {}", path.display()))?;
                (file, path)
            }
        };
        match file.try_lock() {
            Ok(()) => Ok(DirLock(file)),
            Err(fs::TryLockError::WouldBlock) => bail!(
                "{}: another helplessness process is writing to this directory; \
                 wait for it to finish or choose another --out",
                dir.display()
            ),
            Err(fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("locking {}", path.display()))
            }
        }
    }
}

/// Removes the temporary files a killed writer of a run left in `out` and its figures
/// (only names this tool writes: a user's own hidden files stay).
fn remove_leftovers(out: &Path) {
    let ours =
        |name: &str| RUN_FILES.contains(&name) || name == "records.csv" || name == "records.jsonl";
    helplessness::atomic::remove_leftovers(out, ours);
    helplessness::atomic::remove_leftovers(&out.join("figures"), |name| {
        name.ends_with(".png") || name.ends_with(".svg")
    });
}

/// Raises `stop` on Ctrl-C, SIGTERM (a Slurm time limit) and SIGHUP. Without a
/// handler the signal still ends the process; only what was finished is lost.
pub fn stop_on_signals() -> StopSignal {
    let stop = StopSignal::default();
    let raise = stop.clone();
    let _ = ctrlc::set_handler(move || raise.raise());
    stop
}

/// Runs `exp` into `out`. Exit status: 0 done, 130 interrupted (partial records kept
/// under a name that says so).
pub fn run(
    exp: &Experiment,
    file: &ProtocolFile,
    out: &Path,
    options: &Options,
) -> Result<ExitCode> {
    let stop = stop_on_signals();
    let factory = exp.factory()?;
    let created = !out.exists();
    let _lock = DirLock::take(out, true)?;
    refuse_existing_run(out, options.force)?;
    // Holding the lock, our hidden temporary files here are a killed writer's leftovers.
    remove_leftovers(out);
    let (records_name, format_name) = match options.format {
        Format::Csv => ("records.csv", "csv"),
        Format::Json => ("records.jsonl", "json"),
    };
    let records_path = out.join(records_name);
    let tmp = helplessness::atomic::temporary(&records_path);
    let target = records_path.display().to_string();
    let writes_records = options.records != Records::None;
    let hasher = Arc::new(Mutex::new(Xxh3::new()));
    let records: Box<dyn Sink> = if writes_records {
        let handle = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        let handle = Hashing {
            inner: handle,
            hasher: hasher.clone(),
        };
        match options.format {
            Format::Csv => Box::new(CsvSink::new(BufWriter::new(handle))?.named(&target)),
            Format::Json => Box::new(JsonLinesSink::new(handle).named(&target)),
        }
    } else {
        Box::new(NoRecords)
    };
    let (keep, kept_name) = match options.records {
        Records::All => (None, "all"),
        Records::Test => (Some(scored_phases(exp)), "test"),
        Records::None => (Some(Vec::new()), "none"),
    };
    let mut sink = Outputs {
        records,
        keep,
        summary: Summary::new(exp),
        count: 0,
    };
    let bar = ProgressBar::with_draw_target(Some(exp.yoke_sets()), ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} yoke sets, {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut progress = Progress {
        bar,
        started: Instant::now(),
        quiet: options.quiet,
        shown: false,
    };
    let run_options = RunOptions {
        threads: options.threads,
        stop,
        ..RunOptions::default()
    };
    let started = SystemTime::now();
    let clock = Instant::now();
    let result = exp.run_observed(
        options.seed,
        &factory,
        &run_options,
        &mut sink,
        &mut progress,
    );
    progress.bar.finish_and_clear();
    match result {
        Ok(()) => {}
        Err(Error::Interrupted { done, total }) => {
            drop(sink);
            if writes_records {
                let kept = out.join(format!("{records_name}.partial"));
                fs::rename(&tmp, &kept).with_context(|| format!("keeping {}", kept.display()))?;
                eprintln!(
                    "interrupted: kept the records of {done} of {total} yoke sets in {} \
                     (incomplete; no summary.csv or manifest.json written)",
                    kept.display()
                );
            } else {
                eprintln!("interrupted after {done} of {total} yoke sets; nothing was kept");
            }
            return Ok(ExitCode::from(130));
        }
        Err(e) => {
            drop(sink);
            let _ = fs::remove_file(&tmp);
            if created {
                let _ = fs::remove_dir(out);
            }
            return Err(e.into());
        }
    }
    let Outputs {
        records,
        summary,
        count,
        ..
    } = sink;
    drop(records);
    if writes_records {
        File::open(&tmp)
            .and_then(|f| f.sync_all())
            .and_then(|()| fs::rename(&tmp, &records_path))
            .with_context(|| format!("writing {}", records_path.display()))?;
    }
    // Records kept by an earlier, interrupted run are stale now.
    for partial in ["records.csv.partial", "records.jsonl.partial"] {
        let _ = fs::remove_file(out.join(partial));
    }
    let records_xxh3 = writes_records.then(|| hex(hasher.lock().map_or(0, |h| h.digest128())));

    let what = Rewrite {
        summary_csv: true,
        stats: true,
        figures: figures_for(options.plots, true),
    };
    write_analysis(
        out,
        exp,
        file,
        &summary,
        options.seed,
        what,
        &FigureOptions::default(),
    )?;

    let threads = options
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let manifest = Manifest {
        crate_name: env!("CARGO_PKG_NAME"),
        crate_version: env!("CARGO_PKG_VERSION"),
        protocol: file,
        seed: options.seed,
        threads,
        format: format_name,
        started: rfc3339(started),
        finished: rfc3339(SystemTime::now()),
        elapsed_s: clock.elapsed().as_secs_f64(),
        peak_memory_mib: Some(peak_memory_mib()).filter(|m| m.is_finite()),
        groups: exp
            .groups
            .iter()
            .map(|g| GroupCount {
                name: g.name.clone(),
                subjects: g.subjects,
            })
            .collect(),
        records: count,
        records_kept: kept_name,
        records_xxh3,
        protocol_xxh3: protocol_fingerprint(file)?,
        files: [
            records_name,
            "summary.csv",
            "stats.json",
            "report.md",
            "manifest.json",
        ]
        .into_iter()
        .filter(|f| writes_records || *f != records_name)
        .collect(),
    };
    let mut json = serde_json::to_vec_pretty(&manifest)?;
    json.push(b'\n');
    write_atomically(out, "manifest.json", &json)?;

    if !options.quiet {
        eprintln!(
            "{}: {count} records, seed {}, {:.1} s -> {}",
            exp.name,
            options.seed,
            clock.elapsed().as_secs_f64(),
            out.display()
        );
    }
    print_result(exp, &summary)?;
    Ok(ExitCode::SUCCESS)
}

/// One paragraph per scored phase (or the last phase when none is scored), each naming
/// its phase: per group, mean latency and failures.
fn print_result(exp: &Experiment, summary: &Summary) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    for phase in exp.scored_phases() {
        let parts: Vec<String> = summary
            .groups_with_subjects(phase)
            .iter()
            .map(|g| {
                let failing = match &exp.criterion {
                    Some(c) if c.applies_to(phase) => format!(
                        ", {} of {} failing (>= {} failed trials)",
                        g.failing, g.n, c.min_failures
                    ),
                    _ => String::new(),
                };
                // One subject has no SEM: none is printed.
                let sem = if g.sem_latency_s.is_finite() {
                    format!(" (SEM {:.2})", g.sem_latency_s)
                } else {
                    String::new()
                };
                format!("{} {:.2} s{sem}{failing}", g.group, g.mean_latency_s)
            })
            .collect();
        writeln!(
            stdout,
            "{}, {phase}: mean escape latency {}.",
            exp.name,
            parts.join("; ")
        )?;
    }
    Ok(())
}

/// The phases a run's statistics cover, owned.
pub(crate) fn scored_phases(exp: &Experiment) -> Vec<String> {
    exp.scored_phases().into_iter().map(String::from).collect()
}

#[derive(Serialize)]
struct Stats<'a> {
    crate_version: &'static str,
    protocol: &'a str,
    seed: u64,
    /// Every p-value equal to this stands for a smaller one (a bound, not a value).
    p_floor: f64,
    phases: &'a [PhaseStats],
}

/// What a (re-)analysis writes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Rewrite {
    /// summary.csv: only from records of every phase (a run's own summary otherwise
    /// holds phases the records cannot rebuild).
    pub summary_csv: bool,
    /// stats.json.
    pub stats: bool,
    /// Figures: none, all, or all but the traces over every phase.
    pub figures: Figures,
}

/// Which figures to draw.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Figures {
    None,
    All,
    /// The records hold only the scored phases: the run's traces figure is kept.
    AllButTraces,
}

/// Writes summary.csv, stats.json, the figures and report.md for a finished run, as
/// `what` says.
pub fn write_analysis(
    out: &Path,
    exp: &Experiment,
    file: &ProtocolFile,
    summary: &Summary,
    seed: u64,
    what: Rewrite,
    look: &FigureOptions,
) -> Result<()> {
    if what.summary_csv {
        // Streamed: a summary of a million trials is never held as text.
        helplessness::atomic::write_with(&out.join("summary.csv"), |tmp| {
            let mut csv = csv::Writer::from_writer(BufWriter::new(File::create(tmp)?));
            for row in summary.trial_rows_iter() {
                csv.serialize(row)?;
            }
            csv.into_inner()
                .map_err(|e| e.into_error())?
                .into_inner()
                .map_err(|e| e.into_error())?
                .sync_all()
        })?;
    }
    let phases: Vec<PhaseStats> = scored_phases(exp)
        .iter()
        .map(|p| PhaseStats::compute(summary, p, seed))
        .collect();
    if what.stats {
        let stats = Stats {
            crate_version: env!("CARGO_PKG_VERSION"),
            protocol: &exp.name,
            seed,
            p_floor: helplessness::analysis::P_FLOOR,
            phases: &phases,
        };
        let mut json = serde_json::to_vec_pretty(&stats)?;
        json.push(b'\n');
        write_atomically(out, "stats.json", &json)?;
    }
    let figures = match what.figures {
        Figures::None => Vec::new(),
        which => {
            let dir = out.join("figures");
            let mut drawn = helplessness::plot::write_run_figures_with(
                &dir,
                exp,
                summary,
                |stem| which == Figures::All || stem != "traces",
                look,
            )?;
            if look.phase.is_some() {
                // One phase's figures redrawn: the report keeps listing them all.
                return Ok(());
            }
            if which == Figures::AllButTraces && dir.join("traces.png").exists() {
                drawn.insert(
                    3.min(drawn.len()),
                    (
                        helplessness::plot::TRACES_CAPTION.to_string(),
                        "traces.png".to_string(),
                    ),
                );
            }
            drawn
                .into_iter()
                .map(|(caption, file)| (caption, format!("figures/{file}")))
                .collect()
        }
    };
    let report = analysis::markdown(
        exp,
        &file.description,
        &file.source,
        seed,
        &phases,
        &figures,
    );
    write_atomically(out, "report.md", report.as_bytes())
}

/// Reads back a finished run's records, checked against its manifest: the protocol
/// as run (unchanged since, by its checksum), every expected record exactly once and
/// in range, and the file's checksum. Returns the experiment, the protocol file, the
/// seed, the summary and whether the records hold every phase.
fn read_run(out: &Path) -> Result<(helplessness::protocol::Loaded, u64, Summary, bool)> {
    let manifest_path = out.join("manifest.json");
    let text = fs::read_to_string(&manifest_path)
        .with_context(|| format!("{}: not a finished run", manifest_path.display()))?;
    let manifest: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not valid JSON", manifest_path.display()))?;
    let origin = manifest_path.display().to_string();
    let loaded = helplessness::protocol::load(&text, &origin)?;
    // A field that is absent has its default; one of another type is refused.
    let field = |name: &str, default: &'static str| -> Result<String> {
        match manifest.get(name) {
            None => Ok(default.to_string()),
            Some(v) => v
                .as_str()
                .map(String::from)
                .with_context(|| format!("{origin}: field `{name}` = {v} is not a string")),
        }
    };
    if let Some(expected) = manifest.get("protocol_xxh3")
        && expected.as_str() != Some(&protocol_fingerprint(&loaded.file)?)
    {
        bail!(
            "{origin}: the protocol was edited after the run (its checksum \
             `protocol_xxh3` differs); re-run it with `helplessness run {origin}` instead"
        );
    }
    let seed = manifest["seed"].as_u64().unwrap_or(loaded.file.seed);
    let exp = &loaded.experiment;
    let kept = match field("records_kept", "all")?.as_str() {
        "all" => None,
        "test" => Some(scored_phases(exp)),
        "none" => bail!(
            "{}: the run kept no records (--records none); its summaries are all there is",
            out.display()
        ),
        other => bail!("{origin}: field `records_kept` = `{other}` is none of all, test, none"),
    };
    let format = field("format", "csv")?;
    let name = match format.as_str() {
        "csv" => "records.csv",
        "json" => "records.jsonl",
        other => bail!("{origin}: field `format` = `{other}` is neither csv nor json"),
    };
    let path = out.join(name);
    let handle = File::open(&path).with_context(|| format!("{}: cannot read", path.display()))?;
    let mut reader = Hashing {
        inner: std::io::BufReader::new(handle),
        hasher: Xxh3::new(),
    };
    let mut summary = Summary::new(exp);
    let mut check = RecordCheck::new(exp, kept.as_deref());
    let named = |e: Error| -> anyhow::Error {
        match e {
            Error::Protocol {
                line,
                column,
                message,
                ..
            } => Error::Protocol {
                file: path.display().to_string(),
                line,
                column,
                message,
            }
            .into(),
            other => anyhow::Error::from(other).context(path.display().to_string()),
        }
    };
    helplessness::record::read_records(&mut reader, &format, |r| {
        check.check(&r)?;
        summary.write(&r)
    })
    .map_err(named)?;
    check.finish().map_err(named)?;
    if let Some(expected) = manifest.get("records_xxh3").and_then(|v| v.as_str())
        && hex(reader.hasher.digest128()) != expected
    {
        bail!(
            "{}: differs from the file the run wrote (checksum `records_xxh3` in \
             manifest.json): edited or damaged",
            path.display()
        );
    }
    Ok((loaded, seed, summary, kept.is_none()))
}

/// What `analyze` and `plot` redo.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Redo {
    /// summary.csv (when the records hold every phase), stats.json and report.md, and
    /// the figures when the run has them.
    Analysis,
    /// The figures and report.md only.
    Figures,
}

/// Redoes a finished run's analysis or figures from its checked records and manifest,
/// without simulating.
pub fn redo(out: &Path, what: Redo, look: &FigureOptions) -> Result<()> {
    let _lock = DirLock::take(out, false)?;
    let (loaded, seed, summary, complete) = read_run(out)?;
    let plots = what == Redo::Figures || out.join("figures").exists();
    let rewrite = Rewrite {
        summary_csv: what == Redo::Analysis && complete,
        stats: what == Redo::Analysis,
        figures: figures_for(plots, complete),
    };
    write_analysis(
        out,
        &loaded.experiment,
        &loaded.file,
        &summary,
        seed,
        rewrite,
        look,
    )?;
    let mut written: Vec<&str> = Vec::new();
    if rewrite.summary_csv {
        written.push("summary.csv");
    }
    if rewrite.stats {
        written.push("stats.json");
    }
    if look.phase.is_none() {
        written.push("report.md");
    }
    if plots {
        written.push("figures/");
    }
    eprintln!(
        "{}: {} rewritten from the records{}",
        out.display(),
        written.join(", "),
        if complete {
            ""
        } else {
            " (of the scored phases only: summary.csv and the traces figure are the run's own)"
        }
    );
    Ok(())
}

fn figures_for(plots: bool, complete: bool) -> Figures {
    match (plots, complete) {
        (false, _) => Figures::None,
        (true, true) => Figures::All,
        (true, false) => Figures::AllButTraces,
    }
}

/// Counts what a run simulates while summarizing it.
struct Throughput {
    summary: Summary,
    trials: u64,
    shock_s: f64,
}

impl Sink for Throughput {
    fn write(&mut self, r: &TrialRecord) -> Result<(), Error> {
        self.trials += 1;
        self.shock_s += r.shock_s;
        self.summary.write(r)
    }
}

/// Peak resident memory of this process, MiB (Linux; NaN elsewhere).
fn peak_memory_mib() -> f64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// `helplessness bench`: simulated subject-trials and shock-seconds per second for
/// triadic-rat, single-threaded and on all cores, and peak memory.
pub fn bench(subjects: u32) -> Result<()> {
    let exp = helplessness::protocol::triadic_rat(subjects);
    let factory = exp.factory()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "triadic-rat, {subjects} subjects per group ({} subjects), seed 1",
        3 * u64::from(subjects)
    );
    for threads in [1, cores] {
        let mut sink = Throughput {
            summary: Summary::new(&exp),
            trials: 0,
            shock_s: 0.0,
        };
        let options = RunOptions {
            threads: Some(threads),
            ..RunOptions::default()
        };
        let clock = Instant::now();
        exp.run_with(1, &factory, &options, &mut sink)?;
        let s = clock.elapsed().as_secs_f64();
        println!(
            "  {threads} thread(s): {s:.2} s, {:.0} subject-trials/s, {:.0} shock-seconds/s",
            sink.trials as f64 / s,
            sink.shock_s / s
        );
    }
    println!("  peak memory: {:.0} MiB", peak_memory_mib());
    Ok(())
}
