//! A run's output directory: records, summary.csv and manifest.json, written to
//! temporary files and renamed only when complete, so an interrupted run never leaves a
//! truncated file that looks finished.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};
use helplessness::analysis::{self, PhaseStats, Summary};
use helplessness::protocol::ProtocolFile;
use helplessness::{
    CsvSink, Error, Experiment, JsonLinesSink, Observer, RunOptions, Sink, TrialRecord,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

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

/// `base/name`, or `base/name-2`, `-3`, ... if taken by another run.
pub fn fresh_dir(base: &Path, name: &str) -> PathBuf {
    let taken = |d: &Path| RUN_FILES.iter().any(|f| d.join(f).exists());
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
    files: Vec<&'static str>,
}

#[derive(Serialize)]
struct GroupCount {
    name: String,
    subjects: u32,
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
/// quiet or when stderr is not a terminal; and the Ctrl-C flag.
struct Progress {
    bar: ProgressBar,
    started: Instant,
    quiet: bool,
    shown: bool,
    stop: Arc<AtomicBool>,
}

impl Observer for Progress {
    fn progress(&mut self, done: u64, total: u64) -> bool {
        if !self.quiet && !self.shown && self.started.elapsed() > Duration::from_secs(1) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        self.bar.set_length(total);
        self.bar.set_position(done);
        !self.stop.load(Ordering::SeqCst)
    }
}

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// Writes `value` as `dir/name` through a temporary file.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    fs::rename(&tmp, dir.join(name))
        .with_context(|| format!("writing {}", dir.join(name).display()))
}

/// Runs `exp` into `out`. Exit status: 0 done, 130 interrupted (partial records kept
/// under a name that says so).
pub fn run(
    exp: &Experiment,
    file: &ProtocolFile,
    out: &Path,
    options: &Options,
) -> Result<ExitCode> {
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // Without a handler Ctrl-C still ends the process; only the summary is lost.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let created = !out.exists();
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let (records_name, format_name) = match options.format {
        Format::Csv => ("records.csv", "csv"),
        Format::Json => ("records.jsonl", "json"),
    };
    let tmp = out.join(format!(".{records_name}.tmp"));
    let writes_records = options.records != Records::None;
    let records: Box<dyn Sink> = if writes_records {
        let handle = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        match options.format {
            Format::Csv => Box::new(CsvSink::new(BufWriter::new(handle))?),
            Format::Json => Box::new(JsonLinesSink::new(handle)),
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
        stop,
    };
    let run_options = RunOptions {
        threads: options.threads,
        ..RunOptions::default()
    };
    let started = SystemTime::now();
    let clock = Instant::now();
    let result = exp.run_observed(
        options.seed,
        &exp.factory()?,
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
                fs::rename(&tmp, &kept)?;
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
        fs::rename(&tmp, out.join(records_name))
            .with_context(|| format!("writing {}", out.join(records_name).display()))?;
    }

    write_analysis(out, exp, file, &summary, options.seed, options.plots)?;

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

/// One paragraph: per group, mean latency and failures in the scored (or last) phase.
fn print_result(exp: &Experiment, summary: &Summary) -> Result<()> {
    let phase = exp
        .criterion
        .as_ref()
        .map(|c| c.phase.clone())
        .or_else(|| exp.phases.last().map(|p| p.name.clone()))
        .unwrap_or_default();
    let parts: Vec<String> = summary
        .groups_with_subjects(&phase)
        .iter()
        .map(|g| {
            let failing = match &exp.criterion {
                Some(c) if c.applies_to(&phase) => format!(
                    ", {} of {} failing (>= {} failed trials)",
                    g.failing, g.n, c.min_failures
                ),
                _ => String::new(),
            };
            format!(
                "{} {:.2} s (SEM {:.2}){failing}",
                g.group, g.mean_latency_s, g.sem_latency_s
            )
        })
        .collect();
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "{}, {phase}: mean escape latency {}.",
        exp.name,
        parts.join("; ")
    )?;
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
    phases: &'a [PhaseStats],
}

/// Writes summary.csv, stats.json and report.md for a finished run.
pub fn write_analysis(
    out: &Path,
    exp: &Experiment,
    file: &ProtocolFile,
    summary: &Summary,
    seed: u64,
    plots: bool,
) -> Result<()> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    for row in summary.trial_rows() {
        csv.serialize(row)?;
    }
    write_atomically(out, "summary.csv", &csv.into_inner()?)?;
    let phases: Vec<PhaseStats> = scored_phases(exp)
        .iter()
        .map(|p| PhaseStats::compute(summary, p, seed))
        .collect();
    let stats = Stats {
        crate_version: env!("CARGO_PKG_VERSION"),
        protocol: &exp.name,
        seed,
        phases: &phases,
    };
    let mut json = serde_json::to_vec_pretty(&stats)?;
    json.push(b'\n');
    write_atomically(out, "stats.json", &json)?;
    let figures = if plots {
        let phase = scored_phases(exp).into_iter().next().unwrap_or_default();
        helplessness::plot::write_figures(&out.join("figures"), exp, summary, &phase)?
            .into_iter()
            .map(|(caption, file)| (caption, format!("figures/{file}")))
            .collect()
    } else {
        Vec::new()
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

/// Recomputes summary.csv, stats.json and report.md (and with `plots` the figures) from a
/// finished run's records and manifest, without simulating.
pub fn analyze(out: &Path, plots: bool) -> Result<()> {
    let manifest_path = out.join("manifest.json");
    let text = fs::read_to_string(&manifest_path)
        .with_context(|| format!("{}: not a finished run", manifest_path.display()))?;
    let manifest: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not valid JSON", manifest_path.display()))?;
    let loaded = helplessness::protocol::load(&text, &manifest_path.display().to_string())?;
    let seed = manifest["seed"].as_u64().unwrap_or(loaded.file.seed);
    if manifest["records_kept"] == "none" {
        bail!(
            "{}: the run kept no records (--records none); its summaries are all there is",
            out.display()
        );
    }
    let format = manifest["format"].as_str().unwrap_or("csv");
    let records = out.join(if format == "json" {
        "records.jsonl"
    } else {
        "records.csv"
    });
    let handle =
        File::open(&records).with_context(|| format!("{}: cannot read", records.display()))?;
    let mut summary = Summary::new(&loaded.experiment);
    helplessness::record::read_records(std::io::BufReader::new(handle), format, |r| {
        summary.write(&r)
    })
    .with_context(|| records.display().to_string())?;
    write_analysis(out, &loaded.experiment, &loaded.file, &summary, seed, plots)?;
    eprintln!(
        "{}: summary.csv, stats.json, report.md{} rewritten from {}",
        out.display(),
        if plots { " and figures/" } else { "" },
        records.display()
    );
    Ok(())
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
