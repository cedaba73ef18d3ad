//! A sweep's output directory, and joining the directories of its shards.
//!
//! ```text
//! DIR/sweep.json        crate version, fingerprint, points, columns
//! DIR/sweep.toml        the sweep as resolved: `helplessness sweep DIR/sweep.toml` reruns it
//! DIR/points/NNNNNN.csv one file per finished point, written whole or not at all
//! DIR/records/NNNNNN.csv that point's records (with --records)
//! DIR/sweep.csv         every point of the directory's shard, in point order
//! DIR/comparisons.csv   per point, every pair of groups: Welch, Hedges' g [95 % CI], Fisher
//! DIR/power.csv         per combination: share of replicates with p < 0.05 (power)
//! DIR/figures/sweep.png the outcome over the axes (also .svg)
//! ```
//!
//! The last three are written once every point of the sweep is in the directory (an
//! unsharded run, the merge, or a shard that holds them all).
//!
//! A point's file appears (by rename) only once the point is finished, so after a
//! crash or a kill the files present are exactly the finished points: `--resume` runs
//! the others, and a merge refuses a directory set that misses any.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use helplessness::sweep::{self, Overrides, Shard, Sweep};
use helplessness::{CsvSink, Error, RunOptions, Sink, TrialRecord};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::{Deserialize, Serialize};

use crate::Records;

/// How to run a sweep, from the command line.
pub struct Options {
    pub out: Option<PathBuf>,
    pub shard: Shard,
    pub resume: bool,
    pub force: bool,
    pub threads: Option<usize>,
    pub records: Records,
    pub quiet: bool,
}

/// `sweep.json`: what a directory holds and whose sweep it is.
#[derive(Serialize, Deserialize)]
struct Manifest {
    crate_name: String,
    crate_version: String,
    name: String,
    fingerprint: String,
    points: u64,
    columns: Vec<String>,
}

/// Reads a sweep: a file (protocol paths relative to it) or a bundled name.
pub fn read(arg: &str, overrides: &Overrides) -> Result<Sweep> {
    let path = Path::new(arg);
    if path.is_file() {
        let text = fs::read_to_string(path).with_context(|| format!("{arg}: cannot read"))?;
        return Ok(sweep::load(&text, arg, path.parent(), overrides)?);
    }
    match sweep::bundled_text(arg) {
        Some(text) => Ok(sweep::load(text, arg, None, overrides)?),
        None if arg.ends_with(".toml") || arg.contains('/') => bail!("{arg}: no such sweep file"),
        None => Err(sweep::bundled(arg).expect_err("not bundled").into()),
    }
}

fn point_name(index: u64) -> String {
    format!("{index:06}.csv")
}

/// Point numbers of the files in `dir/points` (temporary files are not points).
fn finished(dir: &Path) -> Result<BTreeMap<u64, PathBuf>> {
    let mut found = BTreeMap::new();
    let points = dir.join("points");
    if !points.exists() {
        return Ok(found);
    }
    for entry in fs::read_dir(&points).with_context(|| format!("reading {}", points.display()))? {
        let path = entry?.path();
        let index = path
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.starts_with('.'))
            .and_then(|n| n.strip_suffix(".csv"))
            .and_then(|n| n.parse::<u64>().ok());
        if let Some(i) = index {
            found.insert(i, path);
        }
    }
    Ok(found)
}

/// Removes the temporary files a killed sweep or merge left in `out`, `points/` and
/// `records/` (only names a sweep writes).
fn remove_leftovers(out: &Path) {
    use helplessness::atomic::remove_leftovers;
    remove_leftovers(out, |name| {
        matches!(
            name,
            "sweep.json" | "sweep.toml" | "sweep.csv" | "comparisons.csv" | "power.csv"
        )
    });
    remove_leftovers(&out.join("figures"), |name| {
        name.starts_with("sweep") && (name.ends_with(".png") || name.ends_with(".svg"))
    });
    let point = |name: &str| {
        name.strip_suffix(".csv")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    remove_leftovers(&out.join("points"), point);
    remove_leftovers(&out.join("records"), point);
}

fn manifest(sweep: &Sweep) -> Manifest {
    Manifest {
        crate_name: env!("CARGO_PKG_NAME").into(),
        crate_version: env!("CARGO_PKG_VERSION").into(),
        name: sweep.name().into(),
        fingerprint: sweep.fingerprint().into(),
        points: sweep.len(),
        columns: sweep.header(),
    }
}

fn read_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join("sweep.json");
    let text = fs::read_to_string(&path)
        .with_context(|| format!("{}: not a sweep directory (no sweep.json)", dir.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{}: not a sweep's sweep.json", path.display()))
}

/// Writes sweep.json and sweep.toml.
fn write_spec(dir: &Path, sweep: &Sweep) -> Result<()> {
    let mut json = serde_json::to_vec_pretty(&manifest(sweep))?;
    json.push(b'\n');
    helplessness::atomic::write(&dir.join("sweep.toml"), sweep.resolved().as_bytes())?;
    Ok(helplessness::atomic::write(&dir.join("sweep.json"), &json)?)
}

/// `points` of `dir`, joined into `dir/sweep.csv` in point order.
fn write_table(dir: &Path, sweep: &Sweep, points: &BTreeMap<u64, PathBuf>) -> Result<()> {
    let parts = points
        .iter()
        .map(|(i, p)| {
            Ok((
                *i,
                fs::read(p).with_context(|| format!("reading {}", p.display()))?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let table = sweep.join(parts)?;
    helplessness::atomic::write(&dir.join("sweep.csv"), &table)?;
    if points.len() as u64 == sweep.len() {
        write_statistics(dir, &table)?;
    }
    Ok(())
}

/// Writes comparisons.csv, power.csv and the sweep's figures from its table.
fn write_statistics(dir: &Path, table: &[u8]) -> Result<()> {
    let table = sweep::Table::parse(table)?;
    helplessness::atomic::write(&dir.join("comparisons.csv"), &table.comparisons_csv()?)?;
    helplessness::atomic::write(&dir.join("power.csv"), &table.power_csv()?)?;
    helplessness::plot::write_sweep_figures(&dir.join("figures"), &table)?;
    Ok(())
}

/// Records of the phases kept, into a CSV file.
struct RecordFile {
    csv: CsvSink<BufWriter<File>>,
    keep: Option<Vec<String>>,
}

impl Sink for RecordFile {
    fn start(&mut self, variables: &'static [helplessness::Variable]) -> Result<(), Error> {
        self.csv.start(variables)
    }
    fn write(&mut self, r: &TrialRecord) -> Result<(), Error> {
        if self
            .keep
            .as_ref()
            .is_none_or(|k| k.iter().any(|p| **p == *r.phase))
        {
            self.csv.write(r)?;
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<(), Error> {
        self.csv.finish()
    }
}

/// Runs this shard's unfinished points into the output directory. Exit status 0 when
/// the shard is complete, 130 when interrupted (finished points kept).
pub fn run(sweep: &Sweep, options: &Options) -> Result<ExitCode> {
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| Path::new("runs").join(crate::output::path_component(sweep.name())));
    let _lock = crate::output::DirLock::take(&out, true)?;
    remove_leftovers(&out);
    if out.join("sweep.json").exists() {
        let existing = read_manifest(&out)?;
        if options.resume {
            if existing.fingerprint != sweep.fingerprint() {
                bail!(
                    "{}: holds sweep `{}` with fingerprint {} ({} {}), not this one ({}): the sweep \
                     file, --subjects, --replicates or the crate version differ; resume with the same \
                     ones, or choose another --out",
                    out.display(),
                    existing.name,
                    existing.fingerprint,
                    existing.crate_name,
                    existing.crate_version,
                    sweep.fingerprint()
                );
            }
        } else if options.force {
            for sub in ["points", "records"] {
                if out.join(sub).exists() {
                    fs::remove_dir_all(out.join(sub))
                        .with_context(|| format!("removing {}", out.join(sub).display()))?;
                }
            }
            for file in ["sweep.csv", "comparisons.csv", "power.csv"] {
                let _ = fs::remove_file(out.join(file));
            }
            if out.join("figures").exists() {
                fs::remove_dir_all(out.join("figures"))
                    .with_context(|| format!("removing {}", out.join("figures").display()))?;
            }
        } else {
            bail!(
                "{}: already holds a sweep; pass --resume to finish it, --force to start over, \
                 or choose another --out",
                out.display()
            );
        }
    }
    fs::create_dir_all(out.join("points"))
        .with_context(|| format!("creating {}", out.display()))?;
    write_spec(&out, sweep)?;
    if options.records != Records::None {
        fs::create_dir_all(out.join("records"))?;
    }

    // Ctrl-C or SIGTERM stops the points in flight; finished points stay.
    let stop = crate::output::stop_on_signals();
    let done = finished(&out)?;
    let mine: Vec<u64> = sweep.points(options.shard).map(|p| p.index).collect();
    let todo: Vec<u64> = mine
        .iter()
        .copied()
        .filter(|i| !done.contains_key(i))
        .collect();
    let bar = ProgressBar::with_draw_target(Some(todo.len() as u64), ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} points, {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let clock = Instant::now();
    // Points run side by side on one pool (a small point alone would leave cores idle),
    // each point's own subjects on the same pool; every point is its own file, so the
    // order they finish in changes nothing.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.unwrap_or(0))
        .build()
        .context("starting the worker threads")?;
    let shown = std::sync::Once::new();
    let run_one = |index: u64| -> Result<bool> {
        if !options.quiet && clock.elapsed() > Duration::from_secs(1) {
            shown.call_once(|| bar.set_draw_target(ProgressDrawTarget::stderr()));
        }
        let point = sweep.point(index).context("a point of this sweep")?;
        let name = point_name(index);
        let run_options = RunOptions {
            stop: stop.clone(),
            ..RunOptions::default()
        };
        let result = match options.records {
            Records::None => {
                sweep.run_point(&point, &run_options, &mut crate::output::NoRecords, &mut ())
            }
            kept => {
                let exp = sweep.experiment(point.combination)?;
                let keep = (kept == Records::Test).then(|| crate::output::scored_phases(&exp));
                let path = out.join("records").join(&name);
                let tmp = helplessness::atomic::temporary(&path);
                let handle =
                    File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
                let mut records = RecordFile {
                    csv: CsvSink::new(BufWriter::new(handle))?.named(&path.display().to_string()),
                    keep,
                };
                let rows = sweep.run_point(&point, &run_options, &mut records, &mut ());
                // Whole or not at all: synced and renamed only when the point finished.
                let kept = rows.is_ok().then(|| -> Result<()> {
                    let file = records
                        .csv
                        .into_inner()?
                        .into_inner()
                        .map_err(|e| e.into_error())?;
                    file.sync_all()?;
                    Ok(fs::rename(&tmp, &path)?)
                });
                if !matches!(kept, Some(Ok(()))) {
                    let _ = fs::remove_file(&tmp);
                }
                if let Some(Err(e)) = kept {
                    return Err(e.context(format!("writing {}", path.display())));
                }
                rows
            }
        };
        let rows = match result {
            Ok(rows) => rows,
            Err(Error::Interrupted { .. }) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        helplessness::atomic::write(&out.join("points").join(&name), &sweep.csv(&rows)?)?;
        bar.inc(1);
        Ok(true)
    };
    let outcomes: Vec<Result<bool>> = pool.install(|| {
        use rayon::prelude::*;
        todo.par_iter()
            .map(|&index| {
                if stop.is_raised() {
                    return Ok(false);
                }
                let outcome = run_one(index);
                if outcome.is_err() {
                    // One failure ends the sweep: the points in flight stop too.
                    stop.raise();
                }
                outcome
            })
            .collect()
    });
    let mut finished_now = 0;
    for outcome in outcomes {
        finished_now += usize::from(outcome?);
    }
    if finished_now < todo.len() {
        bar.finish_and_clear();
        eprintln!(
            "interrupted: {} of this shard's {} points finished and kept in {}; \
             --resume runs the rest",
            mine.len() - todo.len() + finished_now,
            mine.len(),
            out.display()
        );
        return Ok(ExitCode::from(130));
    }
    bar.finish_and_clear();
    let done: BTreeMap<u64, PathBuf> = finished(&out)?
        .into_iter()
        .filter(|(i, _)| options.shard.contains(*i) && *i < sweep.len())
        .collect();
    write_table(&out, sweep, &done)?;
    if !options.quiet {
        eprintln!(
            "{}: {} points of {} (shard {}), {} run now, {:.1} s -> {}",
            sweep.name(),
            mine.len(),
            sweep.len(),
            options.shard,
            todo.len(),
            clock.elapsed().as_secs_f64(),
            out.join("sweep.csv").display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Joins the directories of a sweep's shards into `out`: every point exactly once.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool) -> Result<()> {
    let Some(first) = dirs.first() else {
        bail!("merge needs at least one sweep directory");
    };
    let reference = read_manifest(first)?;
    for dir in &dirs[1..] {
        let m = read_manifest(dir)?;
        if m.fingerprint != reference.fingerprint {
            bail!(
                "{}: fingerprint {} (sweep `{}`, {} {}) differs from {}'s {} (sweep `{}`, {} {}): \
                 these are not shards of one sweep",
                dir.display(),
                m.fingerprint,
                m.name,
                m.crate_name,
                m.crate_version,
                first.display(),
                reference.fingerprint,
                reference.name,
                reference.crate_name,
                reference.crate_version
            );
        }
    }
    let spec = first.join("sweep.toml");
    let text =
        fs::read_to_string(&spec).with_context(|| format!("{}: cannot read", spec.display()))?;
    let sweep = sweep::load(
        &text,
        &spec.display().to_string(),
        None,
        &Overrides::default(),
    )?;
    if sweep.fingerprint() != reference.fingerprint {
        bail!(
            "{}: does not match the fingerprint in {} (edited by hand?)",
            spec.display(),
            first.join("sweep.json").display()
        );
    }
    let mut points: BTreeMap<u64, (&PathBuf, PathBuf)> = BTreeMap::new();
    for dir in dirs {
        for (i, path) in finished(dir)? {
            if i >= sweep.len() {
                bail!(
                    "{}: point {i} is not in the sweep (points 0-{})",
                    path.display(),
                    sweep.len() - 1
                );
            }
            if let Some((other, _)) = points.get(&i) {
                bail!(
                    "point {i} is in both {} and {}: the shards overlap (were they run with \
                     different --shard counts, or twice?)",
                    other.display(),
                    dir.display()
                );
            }
            points.insert(i, (dir, path));
        }
    }
    let missing: Vec<u64> = (0..sweep.len())
        .filter(|i| !points.contains_key(i))
        .collect();
    if !missing.is_empty() {
        bail!(
            "missing {} of {} points: {} (run or --resume the shards that hold them)",
            missing.len(),
            sweep.len(),
            sweep::ranges(&missing)
        );
    }
    if dirs.iter().any(|d| same_dir(d, out)) {
        bail!(
            "{}: --out must be a new directory, not one of those merged",
            out.display()
        );
    }
    let _lock = crate::output::DirLock::take(out, true)?;
    if out.join("sweep.json").exists() && !force {
        bail!(
            "{}: already holds a sweep; choose another --out or pass --force to replace it",
            out.display()
        );
    }
    remove_leftovers(out);
    fs::create_dir_all(out.join("points"))
        .with_context(|| format!("creating {}", out.display()))?;
    // Copies are whole or absent: a killed merge leaves no truncated point.
    for (i, (dir, path)) in &points {
        let name = point_name(*i);
        helplessness::atomic::copy(path, &out.join("points").join(&name))?;
        let records = dir.join("records").join(&name);
        if records.exists() {
            fs::create_dir_all(out.join("records"))?;
            helplessness::atomic::copy(&records, &out.join("records").join(&name))?;
        }
    }
    write_spec(out, &sweep)?;
    let files = points.iter().map(|(i, (_, p))| (*i, p.clone())).collect();
    write_table(out, &sweep, &files)?;
    eprintln!(
        "{}: {} points from {} directories -> {}",
        sweep.name(),
        sweep.len(),
        dirs.len(),
        out.join("sweep.csv").display()
    );
    Ok(())
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
