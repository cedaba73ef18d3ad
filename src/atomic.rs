//! Files written whole or not at all: each is written under a hidden temporary name
//! beside its final one (unique to the process, so two processes never share it), then
//! renamed over it. A crash, a kill or a full disk leaves the old file or none, never a
//! truncated one under the final name, and errors name the final file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The hidden temporary name for `path`: `.NAME.PID.tmp` in the same directory.
///
/// ```
/// use std::path::Path;
/// let tmp = helplessness::atomic::temporary(Path::new("runs/x/summary.csv"));
/// assert!(tmp.file_name().unwrap().to_str().unwrap().starts_with(".summary.csv."));
/// assert!(tmp.ends_with(format!(".summary.csv.{}.tmp", std::process::id())));
/// ```
pub fn temporary(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// A name (of a protocol, a phase) as part of a file name: letters, digits, `-`, `_`
/// and `.` are kept, everything else (a `/`, a space) becomes `-`, so a name never
/// adds a directory.
///
/// ```
/// assert_eq!(helplessness::atomic::file_safe("../day 1"), "..-day-1");
/// ```
pub fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// An I/O error on `path`.
pub(crate) fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes `bytes` to `path` through a temporary file, synced before the rename.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("stats.json");
/// helplessness::atomic::write(&path, b"{}\n").unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"{}\n");
/// assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
/// ```
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_with(path, |tmp| {
        let mut file = fs::File::create(tmp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })
}

/// Lets `fill` write the temporary file (given its path), then renames it to `path`;
/// on any error the temporary file is removed and the error names `path`.
///
/// ```
/// use std::io::Write;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("rows.csv");
/// helplessness::atomic::write_with(&path, |tmp| {
///     let mut f = std::fs::File::create(tmp)?;
///     writeln!(f, "a,b")
/// })
/// .unwrap();
/// // A failed fill leaves neither the file nor its temporary.
/// let e = helplessness::atomic::write_with(&dir.path().join("x.csv"), |_| {
///     Err(std::io::Error::other("disk full"))
/// })
/// .unwrap_err();
/// assert!(e.to_string().ends_with("x.csv: disk full"));
/// assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
/// ```
pub fn write_with(
    path: &Path,
    fill: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), Error> {
    let tmp = temporary(path);
    let result = fill(&tmp).and_then(|()| fs::rename(&tmp, path));
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_error(path, e)
    })
}

/// Copies `from` to `to`, whole or not at all.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
/// std::fs::write(&a, "1,2\n").unwrap();
/// helplessness::atomic::copy(&a, &b).unwrap();
/// assert_eq!(std::fs::read(&b).unwrap(), b"1,2\n");
/// ```
pub fn copy(from: &Path, to: &Path) -> Result<(), Error> {
    write_with(to, |tmp| {
        fs::copy(from, tmp)?;
        fs::File::open(tmp)?.sync_all()
    })
    .map_err(|e| match e {
        Error::Io { path, source } => Error::Io {
            path: format!("{path} (copying {})", from.display()),
            source,
        },
        other => other,
    })
}

/// Removes the hidden temporary files a killed writer left in `dir`: `.NAME.PID.tmp`
/// (and the older `.NAME.tmp`) for the final names `ours` accepts, and nothing else, so
/// a user's own hidden files stay. Call it only while holding the directory's lock.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// for name in [".records.csv.4242.tmp", ".summary.csv.tmp", ".notes.tmp", "records.csv"] {
///     std::fs::write(dir.path().join(name), "x").unwrap();
/// }
/// helplessness::atomic::remove_leftovers(dir.path(), |name| name.ends_with(".csv"));
/// let mut left: Vec<String> = std::fs::read_dir(dir.path()).unwrap()
///     .map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
/// left.sort();
/// assert_eq!(left, [".notes.tmp", "records.csv"]);
/// ```
pub fn remove_leftovers(dir: &Path, ours: impl Fn(&str) -> bool) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(stem) = name
            .to_str()
            .and_then(|n| n.strip_prefix('.'))
            .and_then(|n| n.strip_suffix(".tmp"))
        else {
            continue;
        };
        // `.NAME.PID.tmp` or `.NAME.tmp`.
        let final_name = match stem.rsplit_once('.') {
            Some((name, pid)) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => stem,
        };
        if ours(final_name) && entry.path().is_file() {
            let _ = fs::remove_file(entry.path());
        }
    }
}
