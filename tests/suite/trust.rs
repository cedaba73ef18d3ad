//! Trustworthy output: what a hostile or careless input does to the command-line tool.
//! Names that need quoting, damaged records, two runs in one directory, extreme
//! parameters, huge protocols, signals and half-written files: each is refused with an
//! error that names what is wrong, or handled without losing anything.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{helplessness, ok, read, run_in};

/// Writes `text` as `dir/name`.
fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// Asserts exit status 2 and returns stderr.
fn refused(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    err
}

/// Every file and directory below `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            out.push(p.strip_prefix(dir).unwrap().display().to_string());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A small run of `protocol` text into `dir/out`, records of every phase, no figures.
fn small_run(dir: &Path, protocol: &str, extra: &[&str]) {
    write(dir, "p.toml", protocol);
    let mut args = vec!["run", "p.toml", "--out", "out", "--quiet", "--no-plots"];
    args.extend_from_slice(extra);
    ok(&run_in(dir, &args));
}

const SMALL: &str = "extends = \"triadic-dog\"\nsubjects = 3\n";

#[test]
fn names_that_need_quoting_survive_records_analysis_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let odd = "extends = \"triadic-dog\"\nsubjects = 2\n[[group]]\nname = \"a,b \\\"q\\\"\\nnew | <b>x</b>\"\n";
    small_run(dir.path(), odd, &[]);
    let out = dir.path().join("out");
    let analyzed = run_in(dir.path(), &["analyze", "out"]);
    ok(&analyzed);
    let report = String::from_utf8(read(&out.join("report.md"))).unwrap();
    // Table rows keep their cells: the name's `|` is escaped, its line break gone.
    let row = report
        .lines()
        .find(|l| l.starts_with("| `a,b"))
        .expect("a table row for the odd group");
    assert!(row.contains("new \\| <b>x</b>"), "{row}");
    assert_eq!(row.matches(" | ").count(), 7, "eight cells: {row}");
    assert!(!report.contains("\nnew |"), "a name broke a line");
    // Outside code spans no HTML reaches the report.
    let outside_code: String = report.split('`').step_by(2).collect();
    assert!(!outside_code.contains("<b>"), "{outside_code}");
}

#[test]
fn reanalysis_of_test_records_keeps_what_they_cannot_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.toml", SMALL);
    ok(&run_in(
        dir.path(),
        &[
            "run",
            "p.toml",
            "--out",
            "out",
            "--quiet",
            "--records",
            "test",
        ],
    ));
    let out = dir.path().join("out");
    let before: Vec<Vec<u8>> = ["summary.csv", "stats.json", "figures/traces.png"]
        .iter()
        .map(|f| read(&out.join(f)))
        .collect();
    let summary = String::from_utf8(before[0].clone()).unwrap();
    assert!(summary.contains(",pretreatment,1,3,"), "the run's own rows");
    // plot redraws figures and the report only.
    let plotted = run_in(dir.path(), &["plot", "out"]);
    ok(&plotted);
    assert!(
        String::from_utf8_lossy(&plotted.stderr).contains("the traces figure are the run's own")
    );
    // analyze recomputes stats.json (identical) and keeps summary.csv.
    ok(&run_in(dir.path(), &["analyze", "out"]));
    for (f, old) in ["summary.csv", "stats.json", "figures/traces.png"]
        .iter()
        .zip(&before)
    {
        assert_eq!(&read(&out.join(f)), old, "{f} changed");
    }
    let report = String::from_utf8(read(&out.join("report.md"))).unwrap();
    assert!(
        report.contains("figures/traces.png"),
        "the kept figure is shown"
    );
}

#[test]
fn a_second_writer_of_a_run_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // Another process holds the directory (as a run in progress does).
    let holder = std::fs::File::open(&out).unwrap();
    holder.lock().unwrap();
    write(dir.path(), "p.toml", SMALL);
    let err = refused(&run_in(
        dir.path(),
        &["run", "p.toml", "--out", "out", "--quiet"],
    ));
    assert!(err.contains("another helplessness process"), "{err}");
    assert!(tree(&out).is_empty(), "{:?}", tree(&out));
    drop(holder);
    ok(&run_in(
        dir.path(),
        &["run", "p.toml", "--out", "out", "--quiet", "--no-plots"],
    ));
    // The analysis of a run takes the same lock.
    let holder = std::fs::File::open(&out).unwrap();
    holder.lock().unwrap();
    refused(&run_in(dir.path(), &["analyze", "out"]));
    // A default directory that another process is writing counts as taken.
    let busy = dir.path().join("runs/triadic-dog");
    std::fs::create_dir_all(&busy).unwrap();
    let holder = std::fs::File::open(&busy).unwrap();
    holder.lock().unwrap();
    ok(&run_in(
        dir.path(),
        &["run", "p.toml", "--subjects", "1", "--quiet", "--no-plots"],
    ));
    assert!(dir.path().join("runs/triadic-dog-2/records.csv").exists());
    // Analyzing a directory that does not exist creates nothing.
    let err = refused(&run_in(dir.path(), &["analyze", "runs/tyop"]));
    assert!(err.contains("no such directory"), "{err}");
    assert!(!dir.path().join("runs/tyop").exists());
}

/// Damages a copy of `run` with `damage`, analyzes it, returns stderr.
fn analyze_damaged(dir: &Path, run: &Path, name: &str, damage: impl Fn(&Path)) -> String {
    let copy = dir.join(name);
    std::fs::create_dir(&copy).unwrap();
    for f in ["manifest.json", "records.csv", "summary.csv", "stats.json"] {
        std::fs::copy(run.join(f), copy.join(f)).unwrap();
    }
    damage(&copy);
    refused(&run_in(dir, &["analyze", name]))
}

/// Rewrites the lines of `file` with `edit`.
fn edit_lines(file: &Path, edit: impl Fn(&mut Vec<String>)) {
    let text = String::from_utf8(read(file)).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    edit(&mut lines);
    std::fs::write(file, lines.join("\n") + "\n").unwrap();
}

/// Replaces field `column` (from 0) of line `line` (from 0) of a CSV file.
fn set_field(file: &Path, line: usize, column: usize, value: &str) {
    edit_lines(file, |lines| {
        let mut fields: Vec<&str> = lines[line].split(',').collect();
        fields[column] = value;
        lines[line] = fields.join(",");
    });
}

#[test]
fn damaged_records_and_edited_manifests_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    small_run(dir.path(), SMALL, &[]);
    let run = dir.path().join("out");
    let d = dir.path();
    let records = |c: &Path| c.join("records.csv");

    let err = analyze_damaged(d, &run, "no-latency", |c| {
        edit_lines(&records(c), |lines| {
            for l in lines.iter_mut() {
                let mut f: Vec<&str> = l.split(',').collect();
                f.remove(6);
                *l = f.join(",");
            }
        })
    });
    assert!(
        err.contains(":1:") && err.contains("missing column `latency_s`"),
        "{err}"
    );

    let err = analyze_damaged(d, &run, "cut", |c| {
        // The last home-cage dog's 10 test trials.
        edit_lines(&records(c), |lines| lines.truncate(lines.len() - 10))
    });
    assert!(err.contains("has records of 2 of its 3 subjects"), "{err}");

    let err = analyze_damaged(d, &run, "row-removed", |c| {
        edit_lines(&records(c), |lines| {
            lines.remove(20);
        })
    });
    assert!(
        err.contains("records.csv:21:") && err.contains("column `trial`, value `21`"),
        "{err}"
    );

    let err = analyze_damaged(d, &run, "row-doubled", |c| {
        edit_lines(&records(c), |lines| {
            let l = lines[30].clone();
            lines.insert(30, l);
        })
    });
    assert!(
        err.contains("records.csv:32:") && err.contains("column `trial`"),
        "{err}"
    );

    // One field changed: (copy, line from 0, column from 0, value, the message's line).
    for (name, line, column, value, at) in [
        ("subject-beyond", 5, 1, "7", "records.csv:6:"),
        ("negative", 3, 6, "-1.5", "records.csv:4:"),
        ("not-a-number", 3, 6, "x", "records.csv:4:"),
    ] {
        let err = analyze_damaged(d, &run, name, |c| {
            set_field(&records(c), line, column, value)
        });
        let named = format!(
            "column `{}`, value `{value}`",
            helplessness::TrialRecord::BASE_COLUMNS[column]
        );
        assert!(err.contains(at) && err.contains(&named), "{name}: {err}");
    }

    // A plausible value changed: only the checksum can tell.
    let err = analyze_damaged(d, &run, "edited", |c| set_field(&records(c), 3, 4, "61.5"));
    assert!(err.contains("records_xxh3"), "{err}");

    // The manifest edited: (copy, text replaced, by, the error says).
    for (name, from, to, says) in [
        (
            "kept-number",
            "\"records_kept\": \"all\"",
            "\"records_kept\": 5",
            "field `records_kept`:",
        ),
        (
            "xml",
            "\"format\": \"csv\"",
            "\"format\": \"xml\"",
            "field `format`: unknown variant `xml`, expected `csv` or `json`",
        ),
        (
            "sizes",
            "\"subjects\": 3",
            "\"subjects\": 2",
            "protocol was edited after the run",
        ),
        (
            "cutoff",
            "\"cutoff_s\": 60.0",
            "\"cutoff_s\": 90.0",
            "protocol was edited after the run",
        ),
    ] {
        let err = analyze_damaged(d, &run, name, |c| {
            let m = String::from_utf8(read(&c.join("manifest.json"))).unwrap();
            assert!(m.contains(from), "{m}");
            std::fs::write(c.join("manifest.json"), m.replacen(from, to, 1)).unwrap();
        });
        assert!(err.contains(says), "{name}: {err}");
    }
}

#[test]
fn a_phase_has_one_delay_and_check_prints_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.toml",
        "extends = \"triadic-rat\"\n[[phase]]\nname = \"test\"\nafter_days = 2\n",
    );
    let o = run_in(dir.path(), &["check", "p.toml"]);
    ok(&o);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("+48 h  (day 2.00)  test"), "{text}");
    write(
        dir.path(),
        "both.toml",
        "extends = \"triadic-rat\"\n[[phase]]\nname = \"test\"\nafter_days = 2\nafter_hours = 3\n",
    );
    let err = refused(&run_in(dir.path(), &["check", "both.toml"]));
    assert!(err.contains("a phase has one delay"), "{err}");
}

#[test]
fn extreme_parameters_are_refused_with_their_range() {
    let dir = tempfile::tempdir().unwrap();
    for (param, value) in [
        ("sensitization_rate", "1e308"),
        ("serotonin_rate", "1e308"),
        ("reference_intensity", "5e-324"),
        ("escape_rate_max", "4294967295"),
    ] {
        write(
            dir.path(),
            "p.toml",
            &format!("extends = \"time-course-rat\"\n[params]\n{param} = {value}\n"),
        );
        let err = refused(&run_in(dir.path(), &["check", "p.toml"]));
        assert!(
            err.contains("p.toml:3:1: invalid value") && err.contains("must be within ["),
            "{param}: {err}"
        );
    }
}

#[test]
fn names_never_lead_outside_the_runs_directory() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("a/b");
    std::fs::create_dir_all(&inner).unwrap();
    write(
        &inner,
        "p.toml",
        "extends = \"triadic-dog\"\nname = \"../../evil name\"\nsubjects = 1\n",
    );
    ok(&run_in(&inner, &["run", "p.toml", "--quiet", "--no-plots"]));
    let made = tree(dir.path());
    assert!(
        made.iter().all(|p| p == "a" || p.starts_with("a/b")),
        "written outside: {made:?}"
    );
    assert!(
        inner.join("runs/-..-evil-name/records.csv").exists(),
        "{made:?}"
    );
}

#[test]
fn huge_inputs_are_refused_before_they_cost_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 10 groups x 10 phases x 100,000 trials, one subject each.
    let mut text = String::from("name = \"huge\"\nsubjects = 1\n");
    for g in 0..10 {
        text += &format!("[[group]]\nname = \"g{g}\"\n");
    }
    for p in 0..10 {
        text += &format!(
            "[[phase]]\nname = \"p{p}\"\napparatus = \"shuttle-box\"\nblocks = [{{ trials = 100000, intensity = 0.6 }}]\niti = {{ fixed = {{ s = 1.0 }} }}\ncutoff_s = 1.0\ncontingency = \"no-shock\"\n"
        );
    }
    write(dir.path(), "huge.toml", &text);
    let err = refused(&run_in(dir.path(), &["check", "huge.toml"]));
    assert!(
        err.contains("groups x trials of all phases must be at most"),
        "{err}"
    );

    // Sweeps: a long linspace and too many replicates are refused before any work.
    for (name, axis, replicates, says) in [
        (
            "steps",
            "linspace = { from = 0.0, to = 1.0, steps = 100000000 }",
            1u64,
            "an axis has at most 1000000 values",
        ),
        (
            "reps",
            "values = [0.1, 0.2]",
            4_000_000_000,
            "value 4000000000 for `replicates`: must be 1 to 10000",
        ),
    ] {
        write(
            dir.path(),
            "s.toml",
            &format!(
                "name = \"{name}\"\nprotocol = \"triadic-rat\"\nreplicates = {replicates}\n\
                 [[axis]]\npath = \"params.mpfc_threshold\"\n{axis}\n"
            ),
        );
        let err = refused(&run_in(dir.path(), &["sweep", "s.toml", "--out", name]));
        assert!(err.contains(says), "{name}: {err}");
        assert!(!dir.path().join(name).exists(), "{name}: wrote files");
    }

    // A file of millions of unknown parameters is refused by its size.
    let mut big = String::from("extends = \"triadic-rat\"\n[params]\n");
    while big.len() <= 4 << 20 {
        big += &format!("unknown_parameter_{} = 1.0\n", big.len());
    }
    write(dir.path(), "big.toml", &big);
    let err = refused(&run_in(dir.path(), &["check", "big.toml"]));
    assert!(
        err.contains("a protocol or sweep file has at most"),
        "{err}"
    );

    for threads in ["0", "100000"] {
        let err = refused(&run_in(
            dir.path(),
            &["run", "triadic-dog", "--threads", threads, "--out", "t"],
        ));
        assert!(err.contains("number of threads from 1 to 1024"), "{err}");
    }
}

#[test]
fn many_groups_validate_and_check_warns_of_a_long_run() {
    let dir = tempfile::tempdir().unwrap();
    // 20,000 independent groups and a chain of 2,000 yoked ones: each validated once.
    let mut text = String::from(
        "name = \"wide\"\nsubjects = 1\n[[phase]]\nname = \"s\"\napparatus = \"shuttle-box\"\n\
         blocks = [{ trials = 1, intensity = 0.6 }]\niti = { fixed = { s = 1.0 } }\ncutoff_s = 1.0\n\
         contingency = { escapable = { requirement = { fixed-ratio = { ratio = 1 } } } }\n",
    );
    for g in 0..20_000 {
        text += &format!("[[group]]\nname = \"g{g}\"\n");
        if (1..2_000).contains(&g) {
            text += &format!("contingency.s = {{ yoked = {{ to = \"g{}\" }} }}\n", g - 1);
        }
    }
    write(dir.path(), "wide.toml", &text);
    let o = run_in(dir.path(), &["check", "wide.toml"]);
    ok(&o);

    // Hours of work: 100,000 trials of an hour's fixed shock, ticking every millisecond.
    write(
        dir.path(),
        "long.toml",
        "name = \"long\"\nsubjects = 1\ndt_s = 0.001\n[[group]]\nname = \"a\"\n[[phase]]\nname = \"s\"\n\
         apparatus = \"shuttle-box\"\nblocks = [{ trials = 100000, intensity = 0.6 }]\n\
         iti = { fixed = { s = 1.0 } }\ncutoff_s = 3600.0\ncontingency = { fixed = { duration_s = 3600.0 } }\n",
    );
    let o = run_in(dir.path(), &["check", "long.toml"]);
    ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("warning: up to 3.60e11 ticks"), "{err}");
}

/// Starts `run` of the hours-long protocol, waits until it simulates, sends `signal`.
fn signal_long_run(signal: &str) -> (Output, Duration, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "long.toml",
        "name = \"long\"\nsubjects = 1\ndt_s = 0.001\n[[group]]\nname = \"a\"\n[[phase]]\nname = \"s\"\n\
         apparatus = \"shuttle-box\"\nblocks = [{ trials = 100000, intensity = 0.6 }]\n\
         iti = { fixed = { s = 1.0 } }\ncutoff_s = 3600.0\ncontingency = { fixed = { duration_s = 3600.0 } }\n",
    );
    let child = helplessness()
        .current_dir(dir.path())
        .args(["run", "long.toml", "--out", "out", "--quiet"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let sent = Instant::now();
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let o = child.wait_with_output().unwrap();
    (o, sent.elapsed(), dir)
}

#[test]
fn ctrl_c_and_sigterm_stop_even_a_single_hours_long_subject() {
    for signal in ["-INT", "-TERM"] {
        let (o, took, dir) = signal_long_run(signal);
        assert_eq!(o.status.code(), Some(130), "{signal}");
        assert!(took < Duration::from_secs(2), "{signal}: took {took:?}");
        // Nothing hidden or half-written is left; the (empty) partial records are named so.
        let left = tree(&dir.path().join("out"));
        assert_eq!(left, ["records.csv.partial"], "{signal}: {left:?}");
    }
}

#[test]
fn no_temporary_or_stale_file_outlives_a_successful_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // Leftovers of a killed earlier run in the same directory.
    write(&out, "records.csv.partial", "group\n");
    write(&out, ".records.csv.12345.tmp", "half");
    write(&out, ".summary.csv.tmp", "half");
    write(&out, ".notes.tmp", "a user's own file");
    write(dir.path(), "p.toml", SMALL);
    ok(&run_in(
        dir.path(),
        &["run", "p.toml", "--out", "out", "--quiet", "--force"],
    ));
    let left = tree(&out);
    assert!(
        left.iter()
            .all(|f| f == ".notes.tmp" || !f.contains(".tmp") && !f.ends_with(".partial")),
        "{left:?}"
    );
    assert!(
        left.contains(&".notes.tmp".to_string()),
        "not ours to remove: {left:?}"
    );
    assert!(left.contains(&"figures/traces.svg".to_string()), "{left:?}");
}
