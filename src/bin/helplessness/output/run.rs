//! `run`: a protocol into a run directory, with its manifest, records, summary,
//! statistics, figures and report.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use helplessness::analysis::Summary;
use helplessness::plot::FigureOptions;
use helplessness::protocol::ProtocolFile;
use helplessness::{
    CsvSink, Error, Experiment, JsonLinesSink, Observer, RunOptions, Sink, TrialRecord,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use super::analyze::{Rewrite, figures_for, write_analysis};
use super::{
    DirLock, Options, end_early, peak_memory_mib, refuse_existing_run, remove_leftovers, rfc3339,
    stop_on_signals,
};
use crate::Records;
use helplessness::record::{Format, Kept, Manifest};

/// An XXH3-128 digest as it stands in manifest.json.
pub(super) fn hex(digest: u128) -> String {
    format!("{digest:032x}")
}

/// XXH3-128 of a protocol's JSON (a laboratory protocol or a life file), as hex.
pub(crate) fn protocol_fingerprint(file: &impl serde::Serialize) -> Result<String> {
    Ok(hex(xxh3_128(&serde_json::to_vec(file)?)))
}

/// A reader or writer that hashes what passes through it. A writer's hasher is shared
/// (`Arc<Mutex<_>>`), as the writer ends up boxed inside the run's sink.
pub(super) struct Hashing<T, H> {
    pub(super) inner: T,
    pub(super) hasher: H,
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
    fn start(&mut self, variables: &'static [helplessness::Variable]) -> Result<(), Error> {
        self.summary.start(variables)?;
        self.records.start(variables)
    }
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
pub(super) struct Progress {
    pub(super) bar: ProgressBar,
    started: Instant,
    quiet: bool,
    shown: bool,
}

impl Progress {
    /// A hidden bar over `total` of `what` (`yoke sets`, `people`).
    pub(super) fn new(total: u64, what: &str, quiet: bool) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{bar:40}} {{pos}}/{{len}} {what}, {{elapsed}} (eta {{eta}})"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Progress {
            bar,
            started: Instant::now(),
            quiet,
            shown: false,
        }
    }
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
    let records_name = options.format.file_name();
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
        Records::All => (None, Kept::All),
        Records::Test => (Some(scored_phases(exp)), Kept::Test),
        Records::None => (Some(Vec::new()), Kept::None),
    };
    let mut sink = Outputs {
        records,
        keep,
        summary: Summary::new(exp),
        count: 0,
    };
    let mut progress = Progress::new(exp.yoke_sets(), "yoke sets", options.quiet);
    let run_options = RunOptions {
        threads: options.threads,
        stop,
        ..RunOptions::default()
    };
    let started = SystemTime::now();
    let clock = Instant::now();
    let result = exp
        .runner(options.seed)
        .minds(&factory)
        .options(&run_options)
        .observer(&mut progress)
        .into_sink(&mut sink);
    progress.bar.finish_and_clear();
    if let Err(e) = result {
        drop(sink);
        return end_early(
            e,
            out,
            &tmp,
            writes_records.then_some(records_name),
            created,
            "yoke sets",
        );
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
        threads,
        format: options.format,
        started: rfc3339(started),
        finished: rfc3339(SystemTime::now()),
        elapsed_s: clock.elapsed().as_secs_f64(),
        peak_memory_mib: Some(peak_memory_mib()).filter(|m| m.is_finite()),
        records: count,
        records_kept: kept_name,
        records_xxh3,
        protocol_xxh3: Some(protocol_fingerprint(file)?),
        files: [
            records_name,
            "summary.csv",
            "stats.json",
            "report.md",
            "manifest.json",
        ]
        .into_iter()
        .filter(|f| writes_records || *f != records_name)
        .map(String::from)
        .collect(),
        ..Manifest::new(file, exp, options.seed)
    };
    let mut json = serde_json::to_vec_pretty(&manifest)?;
    json.push(b'\n');
    helplessness::atomic::write(&out.join("manifest.json"), &json)?;

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
