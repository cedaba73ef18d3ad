//! A run's output directory: what every command that writes one shares (the lock,
//! atomic writes, leftovers of killed writers, the check for an earlier run), with one
//! module per command: `run`, `analyze`/`plot` and `bench`. Files are written to
//! temporary names and renamed only when complete, so an interrupted run never leaves a
//! truncated file that looks finished.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use helplessness::StopSignal;

use crate::Records;
use helplessness::record::Format;

mod analyze;
mod bench;
mod life;
mod run;

pub use analyze::{Redo, redo};
pub use bench::{bench, bench_life};
pub use life::run_life;
pub use run::run;
pub(crate) use run::{NoRecords, scored_phases};

/// Files that mark a directory as holding a run.
const RUN_FILES: [&str; 7] = [
    "manifest.json",
    "weeks.csv",
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

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
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

/// Peak resident memory of this process, MiB (Linux; NaN elsewhere).
pub(super) fn peak_memory_mib() -> f64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// How a run that ended early leaves `out` (its records' writer already dropped): when
/// interrupted (exit 130), the `file` written so far at `tmp` is kept as
/// `FILE.partial`, named so it cannot pass for a finished run; on an error, nothing
/// (the directory too, if the run `created` it).
pub(super) fn end_early(
    error: helplessness::Error,
    out: &Path,
    tmp: &Path,
    file: Option<&str>,
    created: bool,
    unit: &str,
) -> Result<std::process::ExitCode> {
    match error {
        helplessness::Error::Interrupted { done, total } => {
            match file {
                Some(name) => {
                    let kept = out.join(format!("{name}.partial"));
                    fs::rename(tmp, &kept)
                        .with_context(|| format!("keeping {}", kept.display()))?;
                    eprintln!(
                        "interrupted: kept the records of {done} of {total} {unit} in {} \
                         (incomplete; no summary.csv or manifest.json written)",
                        kept.display()
                    );
                }
                None => {
                    eprintln!("interrupted after {done} of {total} {unit}; nothing was kept")
                }
            }
            Ok(std::process::ExitCode::from(130))
        }
        e => {
            let _ = fs::remove_file(tmp);
            if created {
                let _ = fs::remove_dir(out);
            }
            Err(e.into())
        }
    }
}
