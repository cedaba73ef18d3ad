//! `run` of a life study: weeks.csv (one row per person, week and domain), summary.csv
//! (per group, week and domain), stats.json and report.md (every group against the
//! first at each phase's end), the figures and manifest.json.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result};
use helplessness::life::{LifeStudy, LifeSummary, PersonWeek, WeeksCsv};
use helplessness::protocol::LifeFile;
use helplessness::{Error, RunOptions};
use serde::Serialize;

use super::run::Progress;
use super::{
    DirLock, Options, end_early, peak_memory_mib, refuse_existing_run, remove_leftovers, rfc3339,
    stop_on_signals,
};
use crate::Records;

/// The manifest of a life run: what ran, from what, and what was written.
#[derive(Serialize)]
struct LifeManifest<'a> {
    crate_version: &'static str,
    kind: &'static str,
    protocol: &'a LifeFile,
    seed: u64,
    threads: usize,
    started: String,
    finished: String,
    elapsed_s: f64,
    peak_memory_mib: Option<f64>,
    people: u64,
    person_years: f64,
    records: u64,
    protocol_xxh3: String,
    files: Vec<String>,
}

/// Runs `study` (from `file`, seed and sizes as run) into `out`. Exit status: 0 done,
/// 130 interrupted (nothing kept but the partial weeks, under a name that says so).
pub fn run_life(
    study: &LifeStudy,
    file: &LifeFile,
    out: &Path,
    options: &Options,
) -> Result<ExitCode> {
    if options.format != helplessness::record::Format::Csv {
        anyhow::bail!(
            "a life run writes its weeks as weeks.csv: --format json is for laboratory records"
        );
    }
    if options.records == Records::Test {
        anyhow::bail!("a life has no test phase: use --records all or --records none");
    }
    let stop = stop_on_signals();
    let created = !out.exists();
    let _lock = DirLock::take(out, true)?;
    refuse_existing_run(out, options.force)?;
    remove_leftovers(out);
    let weeks_path = out.join("weeks.csv");
    let tmp = helplessness::atomic::temporary(&weeks_path);
    let writes = options.records != Records::None;
    let mut writer = if writes {
        let f = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Some(WeeksCsv::new(BufWriter::new(f), study)?)
    } else {
        None
    };
    let mut write_row = |w: &PersonWeek| -> Result<(), Error> {
        match writer.as_mut() {
            Some(writer) => writer.write(w),
            None => Ok(()),
        }
    };
    let total: u64 = study.groups.iter().map(|g| u64::from(g.subjects)).sum();
    let mut progress = Progress::new(total, "people", options.quiet);
    let run_options = RunOptions {
        threads: options.threads,
        stop,
        ..RunOptions::default()
    };
    let started = SystemTime::now();
    let clock = Instant::now();
    let result = helplessness::life::run(
        study,
        options.seed,
        &run_options,
        &mut progress,
        writes.then_some(&mut write_row as helplessness::life::WeekSink<'_>),
    );
    progress.bar.finish_and_clear();
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            drop(writer);
            let kept = writes.then_some("weeks.csv");
            return end_early(e, out, &tmp, kept, created, "people");
        }
    };
    let count = writer.as_ref().map_or(0, WeeksCsv::rows);
    if let Some(w) = writer {
        let f = w.into_inner()?.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()
            .and_then(|()| fs::rename(&tmp, &weeks_path))
            .with_context(|| format!("writing {}", weeks_path.display()))?;
    }
    let _ = fs::remove_file(out.join("weeks.csv.partial"));
    if !writes {
        // A replaced run's weeks would no longer match its summary.
        let _ = fs::remove_file(&weeks_path);
    }

    let phases = study.phases();
    let ends = summary.phase_ends(&phases);
    helplessness::atomic::write(&out.join("summary.csv"), summary.to_csv()?.as_bytes())?;
    helplessness::atomic::write(
        &out.join("stats.json"),
        helplessness::life::stats_json(&ends)?.as_bytes(),
    )?;
    let figures = if options.plots {
        helplessness::plot::write_life_figures(&out.join("figures"), &study.name, &summary)?
    } else {
        Vec::new()
    };
    helplessness::atomic::write(
        &out.join("report.md"),
        helplessness::life::report(
            study,
            &file.description,
            &file.source,
            options.seed,
            &ends,
            &figures,
        )
        .as_bytes(),
    )?;
    let threads = options
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let manifest = LifeManifest {
        crate_version: env!("CARGO_PKG_VERSION"),
        kind: "life",
        protocol: file,
        seed: options.seed,
        threads,
        started: rfc3339(started),
        finished: rfc3339(SystemTime::now()),
        elapsed_s: clock.elapsed().as_secs_f64(),
        peak_memory_mib: Some(peak_memory_mib()).filter(|m| m.is_finite()),
        people: total,
        person_years: study.person_years(),
        records: count,
        protocol_xxh3: super::run::protocol_fingerprint(file)?,
        files: [
            "weeks.csv",
            "summary.csv",
            "stats.json",
            "report.md",
            "manifest.json",
        ]
        .into_iter()
        .filter(|f| writes || *f != "weeks.csv")
        .map(String::from)
        .chain(figures.iter().map(|(_, png)| format!("figures/{png}")))
        .collect(),
    };
    let mut json = serde_json::to_vec_pretty(&manifest)?;
    json.push(b'\n');
    helplessness::atomic::write(&out.join("manifest.json"), &json)?;
    if !options.quiet {
        eprintln!(
            "{}: {total} people, {:.0} person-years, {count} weekly records, seed {}, {:.1} s -> {}",
            study.name,
            study.person_years(),
            options.seed,
            clock.elapsed().as_secs_f64(),
            out.display()
        );
    }
    print_result(study, &summary)?;
    Ok(ExitCode::SUCCESS)
}

/// Per phase, each group's mean expectation per domain at the phase's end.
fn print_result(study: &LifeStudy, summary: &LifeSummary) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    for phase in study.phases() {
        let parts: Vec<String> = summary
            .groups
            .iter()
            .map(|g| {
                let per: Vec<String> = (0..summary.domains.len())
                    .filter_map(|d| {
                        g.phase_end(&phase, d)
                            .map(|c| format!("{} {:.2}", summary.domains[d], c.expectation().mean))
                    })
                    .collect();
                format!("{} ({})", g.name, per.join(", "))
            })
            .collect();
        writeln!(
            stdout,
            "{}, end of {phase}: expectation of control {}.",
            study.name,
            parts.join("; ")
        )?;
    }
    Ok(())
}
