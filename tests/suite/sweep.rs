//! Sweeps from the command line: shards that merge into exactly the unsharded output,
//! merges that refuse overlapping, missing or foreign points, resuming after a kill,
//! and bad input.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use crate::common::{helplessness, ok, read, run_in};

/// Exit status 2 and a message holding every one of `parts`.
fn refused(o: &Output, parts: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    for p in parts {
        assert!(stderr.contains(p), "missing `{p}` in: {stderr}");
    }
    stderr
}

/// A sweep of 3 thresholds x `replicates` seeds on triadic-rat with `subjects` rats.
fn write_sweep(dir: &Path, subjects: u32, replicates: u32) -> PathBuf {
    let path = dir.join("small.toml");
    std::fs::write(
        &path,
        format!(
            "name = \"small\"\nprotocol = \"triadic-rat\"\nreplicates = {replicates}\n\
             subjects = {subjects}\n\n[[axis]]\npath = \"params.mpfc_threshold\"\n\
             values = [0.1, 0.2, 0.3]\n"
        ),
    )
    .unwrap();
    path
}

/// The finished point files of a sweep directory, with their inode and modification time.
fn point_files(dir: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    let Ok(entries) = std::fs::read_dir(dir.join("points")) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.unwrap())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                (m.ino(), m.modified().unwrap()),
            )
        })
        .collect()
}

#[test]
fn shards_merge_into_the_unsharded_sweep_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    write_sweep(dir.path(), 6, 2);
    let d = dir.path();
    ok(&run_in(
        d,
        &["sweep", "small.toml", "--out", "whole", "--threads", "1"],
    ));
    ok(&run_in(
        d,
        &["sweep", "small.toml", "--out", "whole2", "--threads", "2"],
    ));
    let whole = read(&d.join("whole/sweep.csv"));
    assert_eq!(
        whole,
        read(&d.join("whole2/sweep.csv")),
        "threads changed output"
    );
    let text = String::from_utf8(whole.clone()).unwrap();
    assert!(text.starts_with(
        "point,replicate,seed,params.mpfc_threshold,group,phase,n,mean_latency_s,\
         sem_latency_s,failing,fail_rate,mean_freezing\n0,0,1,0.1,escapable,test,6,"
    ));
    assert_eq!(text.lines().count(), 1 + 6 * 3, "{text}");

    for i in 0..3 {
        let shard = format!("{i}/3");
        let out = format!("s{i}");
        ok(&run_in(
            d,
            &[
                "sweep",
                "small.toml",
                "--shard",
                &shard,
                "--out",
                &out,
                "--quiet",
            ],
        ));
        let mine: Vec<String> = point_files(&d.join(&out)).into_keys().collect();
        let expected: Vec<String> = [i, i + 3].iter().map(|p| format!("{p:06}.csv")).collect();
        assert_eq!(mine, expected);
    }
    let merged = run_in(d, &["merge", "s2", "s0", "s1", "--out", "merged"]);
    ok(&merged);
    assert_eq!(read(&d.join("merged/sweep.csv")), whole);
    for file in [
        "sweep.json",
        "comparisons.csv",
        "power.csv",
        "figures/sweep.png",
        "figures/sweep.svg",
    ] {
        assert_eq!(
            read(&d.join("merged").join(file)),
            read(&d.join("whole").join(file)),
            "{file}"
        );
    }
    // A shard holding only some points has no statistics or figure.
    assert!(!d.join("s0/comparisons.csv").exists() && !d.join("s0/figures").exists());
    // The resolved sweep reruns to the same output.
    ok(&run_in(
        d,
        &["sweep", "whole/sweep.toml", "--out", "again", "--quiet"],
    ));
    assert_eq!(read(&d.join("again/sweep.csv")), whole);
}

#[test]
fn merge_refuses_overlapping_missing_and_foreign_points() {
    let dir = tempfile::tempdir().unwrap();
    write_sweep(dir.path(), 3, 2);
    let d = dir.path();
    for (shard, out) in [("0/3", "a0"), ("1/3", "a1"), ("2/3", "a2"), ("1/2", "b1")] {
        ok(&run_in(
            d,
            &[
                "sweep",
                "small.toml",
                "--shard",
                shard,
                "--out",
                out,
                "--quiet",
            ],
        ));
    }
    let o = run_in(d, &["merge", "a0", "a1", "--out", "m"]);
    refused(&o, &["missing 2 of 6 points: 2, 5"]);
    let o = run_in(d, &["merge", "a0", "a1", "a2", "b1", "--out", "m"]);
    refused(&o, &["point 1 is in both a1 and b1"]);
    ok(&run_in(
        d,
        &[
            "sweep",
            "small.toml",
            "--subjects",
            "4",
            "--out",
            "other",
            "--quiet",
        ],
    ));
    let o = run_in(d, &["merge", "a0", "a1", "a2", "other", "--out", "m"]);
    refused(
        &o,
        &[
            "other: fingerprint",
            "differs from a0's",
            "not shards of one sweep",
        ],
    );
    assert!(!d.join("m").exists(), "a refused merge writes nothing");
    ok(&run_in(d, &["merge", "a0", "a1", "a2", "--out", "m"]));
}

#[test]
fn an_existing_sweep_is_resumed_or_replaced_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    write_sweep(dir.path(), 3, 1);
    let d = dir.path();
    ok(&run_in(
        d,
        &["sweep", "small.toml", "--out", "s", "--quiet"],
    ));
    let o = run_in(d, &["sweep", "small.toml", "--out", "s"]);
    refused(&o, &["s: already holds a sweep", "--resume", "--force"]);
    let o = run_in(
        d,
        &[
            "sweep",
            "small.toml",
            "--out",
            "s",
            "--resume",
            "--replicates",
            "2",
        ],
    );
    refused(
        &o,
        &["s: holds sweep `small` with fingerprint", "not this one"],
    );
    let before = point_files(&d.join("s"));
    ok(&run_in(
        d,
        &["sweep", "small.toml", "--out", "s", "--resume", "--quiet"],
    ));
    assert_eq!(
        point_files(&d.join("s")),
        before,
        "a finished sweep reran points"
    );
    ok(&run_in(
        d,
        &["sweep", "small.toml", "--out", "s", "--force", "--quiet"],
    ));
}

#[test]
fn a_killed_sweep_resumes_without_losing_or_repeating_points() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Large enough that a kill lands mid-sweep; doubled if the sweep finished first.
    let mut replicates = 4;
    let (before, total) = loop {
        write_sweep(d, 150, replicates);
        let _ = std::fs::remove_dir_all(d.join("killed"));
        let mut child = helplessness()
            .current_dir(d)
            .args([
                "sweep",
                "small.toml",
                "--out",
                "killed",
                "--threads",
                "1",
                "--quiet",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        while point_files(&d.join("killed")).is_empty() {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("the sweep ended before any point finished: {status}");
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let before = point_files(&d.join("killed"));
        let total = 3 * replicates as usize;
        if before.len() < total {
            break (before, total);
        }
        replicates *= 2;
        assert!(
            replicates <= 64,
            "the sweep always finished before the kill"
        );
    };
    assert!(!d.join("killed/sweep.csv").exists());

    ok(&run_in(
        d,
        &[
            "sweep",
            "small.toml",
            "--out",
            "killed",
            "--resume",
            "--quiet",
        ],
    ));
    let after = point_files(&d.join("killed"));
    assert_eq!(after.len(), total, "every point finished once resumed");
    for (name, stamp) in &before {
        assert_eq!(after.get(name), Some(stamp), "{name} was rewritten");
    }
    ok(&run_in(
        d,
        &["sweep", "small.toml", "--out", "whole", "--quiet"],
    ));
    assert_eq!(
        read(&d.join("killed/sweep.csv")),
        read(&d.join("whole/sweep.csv"))
    );
}

#[test]
fn bad_paths_values_and_shards_are_refused_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sweep = write_sweep(d, 3, 1);
    let text = std::fs::read_to_string(&sweep).unwrap();
    std::fs::write(
        d.join("path.toml"),
        text.replace("mpfc_threshold", "mpfc_treshold"),
    )
    .unwrap();
    let o = run_in(d, &["sweep", "path.toml"]);
    refused(
        &o,
        &[
            "path.toml:7:1: unknown field `params.mpfc_treshold` (did you mean `params.mpfc_threshold`?)",
        ],
    );
    std::fs::write(
        d.join("value.toml"),
        text.replace("params.mpfc_threshold", "phase[test].cutoff_s")
            .replace("[0.1, 0.2, 0.3]", "[30, -5]"),
    )
    .unwrap();
    let o = run_in(d, &["sweep", "value.toml"]);
    refused(
        &o,
        &[
            "value.toml: with phase[test].cutoff_s = -5",
            "phase[1].cutoff_s",
            "-5",
        ],
    );
    for shard in ["3/3", "0/0", "x/2"] {
        let o = run_in(d, &["sweep", "small.toml", "--shard", shard]);
        refused(&o, &[&format!("invalid value {shard} for `--shard`")]);
    }
    assert!(!d.join("runs").exists(), "bad input creates no output");
}

#[test]
fn the_bundled_contingency_sweep_runs_small() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let listing = run_in(d, &["list"]);
    ok(&listing);
    assert!(String::from_utf8_lossy(&listing.stdout).contains("sweep-contingency"));
    let o = run_in(
        d,
        &[
            "sweep",
            "sweep-contingency",
            "--subjects",
            "2",
            "--replicates",
            "1",
            "--records",
            "test",
            "--quiet",
        ],
    );
    ok(&o);
    let out = d.join("runs/sweep-contingency");
    let table = String::from_utf8(read(&out.join("sweep.csv"))).unwrap();
    // 5 contingencies x 4 shock counts, two groups each.
    assert_eq!(table.lines().count(), 1 + 20 * 2, "{table}");
    assert!(
        table.lines().nth(2).unwrap().contains(",partial,test,2,"),
        "{table}"
    );
    let records = String::from_utf8(read(&out.join("records/000000.csv"))).unwrap();
    assert!(records.lines().skip(1).all(|l| l.contains(",test,")));
}

#[test]
fn the_readme_sweep_example_loads() {
    let readme = include_str!("../../README.md");
    let block = readme
        .split("```toml\n# my-sweep.toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the README shows a sweep file");
    let sweep = helplessness::sweep::load(block, "README", None, &Default::default()).unwrap();
    assert_eq!(sweep.len(), 3 * 2 * 2);
    assert_eq!(
        sweep.experiment(5).unwrap().phases[0].schedule.trials(),
        27 + 27 + 26
    );
}

/// Ctrl-C (SIGINT) stops the points in flight, keeps the finished ones, says so and
/// exits with 130; `--resume` then completes the sweep.
#[test]
fn ctrl_c_keeps_finished_points_and_resume_completes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sweep(d, 300, 8);
    let child = helplessness()
        .current_dir(d)
        .args(["sweep", "small.toml", "--out", "stopped", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    while point_files(&d.join("stopped")).is_empty() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    let kept = point_files(&d.join("stopped"));
    if o.status.code() == Some(0) {
        // The sweep finished before the signal arrived: nothing to check but that.
        assert_eq!(kept.len(), 24);
        return;
    }
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(
        err.contains("interrupted") && err.contains("--resume"),
        "{err}"
    );
    assert!(!kept.is_empty() && kept.len() < 24, "{}", kept.len());
    assert!(!d.join("stopped/sweep.csv").exists());
    ok(&run_in(
        d,
        &[
            "sweep",
            "small.toml",
            "--out",
            "stopped",
            "--resume",
            "--quiet",
        ],
    ));
    assert_eq!(point_files(&d.join("stopped")).len(), 24);
    // Points kept from before the signal were not rewritten.
    let after = point_files(&d.join("stopped"));
    assert!(kept.iter().all(|(name, meta)| after[name] == *meta));
}

#[test]
fn a_sweep_writes_per_point_tests_power_and_a_figure() {
    // Each point's comparisons are the run's own tests: a sweep point equals a run of
    // its protocol with that seed, and the Welch test and Fisher's test from the
    // sweep's summary row equal those of the run's stats.json.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("dog.toml"),
        "name = \"dog\"\nprotocol = \"triadic-dog\"\nreplicates = 4\nsubjects = 12\n\
         [[axis]]\npath = \"phase[test].cutoff_s\"\nvalues = [60.0]\n",
    )
    .unwrap();
    ok(&run_in(d, &["sweep", "dog.toml", "--out", "sw", "--quiet"]));
    ok(&run_in(
        d,
        &[
            "run",
            "triadic-dog",
            "--subjects",
            "12",
            "--seed",
            "3",
            "--out",
            "run",
            "--quiet",
            "--records",
            "none",
        ],
    ));
    let stats: serde_json::Value =
        serde_json::from_slice(&read(&d.join("run/stats.json"))).unwrap();
    let pair = &stats["phases"][0]["pairs"][0];
    assert_eq!(
        (pair["a"].as_str(), pair["b"].as_str()),
        (Some("escapable"), Some("inescapable"))
    );
    let comparisons = String::from_utf8(read(&d.join("sw/comparisons.csv"))).unwrap();
    let header: Vec<&str> = comparisons.lines().next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    // Point 2 is replicate 2: seed 3.
    let row: Vec<&str> = comparisons
        .lines()
        .find(|l| l.starts_with("2,2,3,60,test,escapable,inescapable,"))
        .unwrap_or_else(|| panic!("{comparisons}"))
        .split(',')
        .collect();
    let close = |cell: &str, json: &serde_json::Value| {
        let (a, b) = (cell.parse::<f64>().unwrap(), json.as_f64().unwrap());
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1e-300), "{a} vs {b}");
    };
    close(row[column("welch_t")], &pair["welch"]["t"]);
    close(row[column("welch_p")], &pair["welch"]["p"]);
    close(row[column("hedges_g")], &pair["hedges_g"]);
    close(row[column("fisher_p")], &pair["fisher_p"]);
    let (lo, g, hi) = (
        row[column("hedges_g_low")].parse::<f64>().unwrap(),
        row[column("hedges_g")].parse::<f64>().unwrap(),
        row[column("hedges_g_high")].parse::<f64>().unwrap(),
    );
    assert!(lo < g && g < hi);

    // Power over 4 replicates: escapable against inescapable dogs (a deficit of
    // several SDs) is found every time.
    let power = String::from_utf8(read(&d.join("sw/power.csv"))).unwrap();
    let line = power
        .lines()
        .find(|l| l.starts_with("60,test,escapable,inescapable,4,"))
        .unwrap_or_else(|| panic!("{power}"));
    let welch_power = line.split(',').nth(6).unwrap();
    assert_eq!(welch_power, "1", "{line}");
    assert!(d.join("sw/figures/sweep.png").exists() && d.join("sw/figures/sweep.svg").exists());
}
