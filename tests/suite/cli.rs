//! The command-line tool as a user runs it: bundled protocols, protocol files, outputs,
//! bad input, and interrupted runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{helplessness, ok, read, run_in};

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs with `stdin` piped in.
fn run_with_stdin(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = helplessness()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn run_writes_records_summary_and_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "run",
            "triadic-rat",
            "--subjects",
            "20",
            "--seed",
            "7",
            "--out",
            "a",
        ],
    );
    ok(&o);
    let out = dir.path().join("a");
    assert_eq!(
        files_in(&out),
        [
            "figures",
            "manifest.json",
            "records.csv",
            "report.md",
            "stats.json",
            "summary.csv"
        ]
    );
    let csv = String::from_utf8(read(&out.join("records.csv"))).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "group,subject,phase,trial,onset_s,shock_s,latency_s,escaped,forced,responses,c,m,d,h,s,w,G,q,fear,E,esteem"
    );
    // The home-cage group sits out the 80 pretreatment trials.
    assert_eq!(lines.count(), 2 * 20 * 107 + 20 * 27);
    let summary = String::from_utf8(read(&out.join("summary.csv"))).unwrap();
    assert_eq!(
        summary.lines().next().unwrap(),
        "group,phase,trial,n,mean_latency_s,sd_latency_s,sem_latency_s,median_latency_s,failures,fail_rate,freezing,\
         mean_c,mean_m,mean_d,mean_h,mean_s,mean_w,mean_G,mean_q,mean_fear,mean_E,mean_esteem"
    );
    // No rows for the home-cage group's pretreatment.
    assert_eq!(summary.lines().count(), 1 + 2 * 107 + 27);
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(manifest["crate_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["seed"], 7);
    assert_eq!(manifest["protocol"]["params"]["mpfc_gain"], 12.0);
    assert_eq!(manifest["groups"][1]["subjects"], 20);
    assert!(manifest["started"].as_str().unwrap().ends_with('Z'));
    // The closing paragraph names every group's result.
    let stdout = String::from_utf8_lossy(&o.stdout);
    for group in ["escapable", "inescapable", "no-shock"] {
        assert!(stdout.contains(group), "{stdout}");
    }
    assert!(stdout.contains("failing"), "{stdout}");
}

#[test]
fn the_manifest_reproduces_the_records_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    ok(&run_in(
        dir.path(),
        &[
            "run",
            "triadic-dog",
            "--subjects",
            "15",
            "--seed",
            "11",
            "--out",
            "a",
        ],
    ));
    ok(&run_in(
        dir.path(),
        &["run", "a/manifest.json", "--out", "b"],
    ));
    assert_eq!(
        read(&dir.path().join("a/records.csv")),
        read(&dir.path().join("b/records.csv"))
    );
}

#[test]
fn every_bundled_protocol_runs_and_show_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let listing = run_in(dir.path(), &["list"]);
    ok(&listing);
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(helplessness::protocol::BUNDLED.len() >= 12);
    for name in helplessness::protocol::BUNDLED.iter().map(|b| b.name) {
        assert!(listing.contains(name), "{listing}");
        let shown = run_in(dir.path(), &["show", name]);
        ok(&shown);
        let text = String::from_utf8(shown.stdout.clone()).unwrap();
        assert!(
            text.starts_with('#'),
            "{name}: the citation header comes first"
        );
        assert!(text.contains("[params]") && text.contains("# "), "{name}");
        let direct = format!("{name}-direct");
        let piped = format!("{name}-piped");
        ok(&run_in(
            dir.path(),
            &["run", name, "--subjects", "4", "--out", &direct],
        ));
        ok(&run_with_stdin(
            dir.path(),
            &["run", "-", "--subjects", "4", "--out", &piped],
            &shown.stdout,
        ));
        assert_eq!(
            read(&dir.path().join(&direct).join("records.csv")),
            read(&dir.path().join(&piped).join("records.csv")),
            "{name}: show | run - differs from run {name}"
        );
        // The same phases are scored (a shown file once lost `criterion.also`).
        assert_eq!(
            read(&dir.path().join(&direct).join("stats.json")),
            read(&dir.path().join(&piped).join("stats.json")),
            "{name}: show | run - scores other phases than run {name}"
        );
    }
}

#[test]
fn json_records_and_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str, out: &str, format: &str| {
        ok(&run_in(
            dir.path(),
            &[
                "run",
                "triadic-dog",
                "--subjects",
                "25",
                "--seed",
                "3",
                "--threads",
                threads,
                "--format",
                format,
                "--out",
                out,
            ],
        ));
    };
    run("1", "one", "csv");
    run("2", "two", "csv");
    assert_eq!(
        read(&dir.path().join("one/records.csv")),
        read(&dir.path().join("two/records.csv"))
    );
    run("2", "json", "json");
    let text = String::from_utf8(read(&dir.path().join("json/records.jsonl"))).unwrap();
    assert_eq!(text.lines().count(), 2 * 25 * 74 + 25 * 10);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["group"], "escapable");
    assert!(first["G"].is_number());
}

#[test]
fn default_output_directories_never_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        ok(&run_in(
            dir.path(),
            &["run", "triadic-dog", "--subjects", "3", "--quiet"],
        ));
    }
    assert_eq!(
        files_in(&dir.path().join("runs")),
        ["triadic-dog", "triadic-dog-2"]
    );
}

#[test]
fn check_accepts_a_small_file_that_extends_a_bundled_protocol() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("strong-test.toml");
    std::fs::write(
        &file,
        "extends = \"triadic-rat\"\nname = \"strong-test\"\n\n[[phase]]\nname = \"test\"\n\
         blocks = [{ trials = 2, intensity = 1.0, ratio = 1 }, { trials = 25, intensity = 1.0, ratio = 2 }]\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["check", "strong-test.toml"]);
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stdout).contains("ok"));
    ok(&run_in(
        dir.path(),
        &["run", "strong-test.toml", "--subjects", "4", "--out", "s"],
    ));
    let csv = String::from_utf8(read(&dir.path().join("s/records.csv"))).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2 * 4 * 107 + 4 * 27);
}

/// A bad input case: the protocol text (or none), extra arguments, and what the one
/// error message must contain.
struct Bad {
    name: &'static str,
    protocol: Option<&'static str>,
    args: &'static [&'static str],
    message: &'static [&'static str],
}

#[test]
fn bad_input_gives_one_located_error_exit_2_and_no_files() {
    let cases = [
        Bad {
            name: "life: a group's bad probability",
            protocol: Some(
                "name = \"x\"\n[[group]]\nname = \"a\"\nopportunities.job = [{ domain = \"work\", per_week = 5, p_attempt = 1.2, p_no_attempt = 0 }]\n[[life]]\nname = \"job\"\ndays = 30\nopportunities = [{ domain = \"work\", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 }]\n",
            ),
            args: &[],
            message: &[
                "bad.toml:4:",
                "group[0].opportunities.job[0].p_attempt",
                "1.2",
            ],
        },
        Bad {
            name: "life: a domain twice in a group",
            protocol: Some(
                "name = \"x\"\n[[group]]\nname = \"a\"\nopportunities.job = [{ domain = \"work\", per_week = 5, p_attempt = 0.2, p_no_attempt = 0 }, { domain = \"work\", per_week = 5, p_attempt = 0.1, p_no_attempt = 0 }]\n[[life]]\nname = \"job\"\ndays = 30\nopportunities = [{ domain = \"work\", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 }]\n",
            ),
            args: &[],
            message: &[
                "bad.toml:4:",
                "group[0].opportunities.job[1].domain",
                "once per phase",
            ],
        },
        Bad {
            name: "life: over a century in all",
            protocol: Some(
                "name = \"x\"\n[[group]]\nname = \"a\"\n[[life]]\nname = \"job\"\ndays = 20000\nopportunities = [{ domain = \"work\", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 }]\n[[life]]\nname = \"later\"\ndays = 20000\nopportunities = [{ domain = \"work\", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 }]\n",
            ),
            args: &[],
            message: &["bad.toml:10:", "life[1].days", "36500 days in all"],
        },
        Bad {
            name: "life: an unknown parameter of the mind",
            protocol: Some(
                "name = \"x\"\n[mind]\nglobalty = 0.5\n[[group]]\nname = \"a\"\n[[life]]\nname = \"job\"\ndays = 30\nopportunities = [{ domain = \"work\", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 }]\n",
            ),
            args: &[],
            message: &["bad.toml:3:", "globalty", "did you mean `globality`"],
        },
        Bad {
            name: "life: a theory without expectations",
            protocol: Some(
                "name = \"x\"\n[mind]\ntheory = \"arbitration\"\n[[group]]\nname = \"a\"\n[[life]]\nname = \"job\"\ndays = 30\nopportunities = [{ domain = \"work\", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 }]\n",
            ),
            args: &[],
            message: &["bad.toml:3:", "mind.theory", "expectations of control"],
        },
        Bad {
            name: "life: unknown domain",
            protocol: Some(
                "name = \"x\"\n[[group]]\nname = \"a\"\nopportunities.job = [{ domain = \"wrok\", per_week = 5, p_attempt = 0.1, p_no_attempt = 0 }]\n[[life]]\nname = \"job\"\ndays = 30\nopportunities = [{ domain = \"work\", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 }]\n",
            ),
            args: &[],
            message: &["bad.toml:4:", "unknown domain", "did you mean `work`"],
        },
        Bad {
            name: "life: 0 days",
            protocol: Some(
                "name = \"x\"\n[[group]]\nname = \"a\"\n[[life]]\nname = \"job\"\ndays = 0\nopportunities = [{ domain = \"work\", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 }]\n",
            ),
            args: &[],
            message: &["bad.toml:6:", "life[0].days", "invalid value 0"],
        },
        Bad {
            name: "life: 10^9 days",
            protocol: Some(
                "name = \"x\"\n[[group]]\nname = \"a\"\n[[life]]\nname = \"job\"\ndays = 1000000000\nopportunities = [{ domain = \"work\", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 }]\n",
            ),
            args: &[],
            message: &["bad.toml:6:", "life[0].days", "1000000000"],
        },
        Bad {
            name: "life: negative days",
            protocol: Some(
                "name = \"x\"\n[[group]]\nname = \"a\"\n[[life]]\nname = \"job\"\ndays = -3\nopportunities = [{ domain = \"work\", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 }]\n",
            ),
            args: &[],
            message: &["bad.toml:6:", "life[0].days", "-3"],
        },
        Bad {
            name: "life: a domain with no episodes",
            protocol: Some(
                "name = \"x\"\n[[group]]\nname = \"a\"\n[[life]]\nname = \"job\"\ndays = 7\nopportunities = [{ domain = \"work\", per_week = 0.1, p_attempt = 0.8, p_no_attempt = 0 }]\n",
            ),
            args: &[],
            message: &["bad.toml:7:", "per_week", "no episodes"],
        },
        Bad {
            name: "life: style outside [0, 1]",
            protocol: Some(
                "name = \"x\"\n[[group]]\nname = \"a\"\nparams = { globality = 1.5 }\n[[life]]\nname = \"job\"\ndays = 30\nopportunities = [{ domain = \"work\", per_week = 5, p_attempt = 0.8, p_no_attempt = 0 }]\n",
            ),
            args: &[],
            message: &["bad.toml:4:", "globality", "1.5"],
        },
        Bad {
            name: "malformed",
            protocol: Some("name = \"x\n"),
            args: &[],
            message: &["bad.toml:1:", "string"],
        },
        Bad {
            name: "unknown field",
            protocol: Some("extends = \"triadic-rat\"\nsubjets = 4\n"),
            args: &[],
            message: &[
                "bad.toml:2:1:",
                "unknown field `subjets`",
                "did you mean `subjects`",
            ],
        },
        Bad {
            name: "wrong type",
            protocol: Some("name = \"x\"\n[[group]]\nname = \"a\"\nsubjects = \"ten\"\n"),
            args: &[],
            message: &["bad.toml:4:", "invalid type", "group[0].subjects"],
        },
        Bad {
            name: "negative duration",
            protocol: Some(
                "extends = \"triadic-rat\"\n[[phase]]\nname = \"test\"\ncutoff_s = -3\n",
            ),
            args: &[],
            message: &["bad.toml:4:1:", "phase[1].cutoff_s", "-3"],
        },
        Bad {
            name: "p outside [0, 1]",
            protocol: Some(
                "extends = \"triadic-rat\"\n[[group]]\nname = \"escapable\"\n\
                 contingency.pretreatment = { partial = { p = 1.5, requirement = { fixed-ratio = { ratio = 1 } } } }\n",
            ),
            args: &[],
            message: &["bad.toml:4:", "contingency.pretreatment.p", "1.5", "[0, 1]"],
        },
        Bad {
            name: "zero trials",
            protocol: Some(
                "extends = \"triadic-rat\"\n[[phase]]\nname = \"pretreatment\"\nblocks = [{ trials = 0, intensity = 1.0 }]\n",
            ),
            args: &[],
            message: &["bad.toml:4:1:", "phase[0].blocks", "at least one trial"],
        },
        Bad {
            name: "yoked to a missing group",
            protocol: Some(
                "extends = \"triadic-rat\"\n[[group]]\nname = \"inescapable\"\n\
                 contingency.pretreatment = { yoked = { to = \"escapabel\" } }\n",
            ),
            args: &[],
            message: &[
                "bad.toml:4:",
                "unknown group `escapabel`",
                "did you mean `escapable`",
            ],
        },
        Bad {
            name: "yoked to a group of another size",
            protocol: Some(
                "extends = \"triadic-rat\"\n[[group]]\nname = \"inescapable\"\nsubjects = 7\n",
            ),
            args: &[],
            message: &[
                "bad.toml:4:1:",
                "group[1].subjects",
                "7",
                "as many subjects",
            ],
        },
        Bad {
            name: "yoking cycle",
            protocol: Some(
                "extends = \"triadic-rat\"\n[[group]]\nname = \"escapable\"\n\
                 contingency.pretreatment = { yoked = { to = \"inescapable\" } }\n",
            ),
            args: &[],
            message: &[
                "bad.toml:4:",
                "cycle",
                "escapable -> inescapable -> escapable",
            ],
        },
        Bad {
            name: "unknown bundled protocol",
            protocol: None,
            args: &["triadic-rta"],
            message: &[
                "unknown bundled protocol `triadic-rta`",
                "did you mean `triadic-rat`",
            ],
        },
        Bad {
            name: "unreadable file",
            protocol: None,
            args: &["a-directory.toml"],
            message: &["a-directory.toml", "cannot read"],
        },
        Bad {
            name: "missing file",
            protocol: None,
            args: &["missing.toml"],
            message: &["missing.toml", "no such protocol file"],
        },
        Bad {
            name: "unknown intervention",
            protocol: Some(
                "extends = \"triadic-rat\"\n[[phase]]\nname = \"test\"\ninterventions = [{ muscimo = {} }]\n",
            ),
            args: &[],
            message: &[
                "bad.toml:4:",
                "unknown variant `muscimo`",
                "did you mean `muscimol`",
            ],
        },
        Bad {
            name: "intervention out of range",
            protocol: Some(
                "extends = \"triadic-rat\"\n[[group]]\nname = \"escapable\"\n\
                 interventions.test = [{ benzodiazepine = { strength = 1.5 } }]\n",
            ),
            args: &[],
            message: &["bad.toml:4:", "interventions.test[0].strength", "1.5"],
        },
        Bad {
            name: "style outside [0, 1]",
            protocol: Some(
                "extends = \"hiroto-1974\"\n[[group]]\nname = \"escapable-skill-internal\"\n\
                 params.globality = 1.5\n",
            ),
            args: &[],
            message: &["bad.toml:4:", "params.globality", "1.5"],
        },
        Bad {
            name: "a group parameter the theory lacks",
            protocol: Some(
                "extends = \"hiroto-1974\"\n[[group]]\nname = \"escapable-skill-internal\"\n\
                 params.globalty = 0.5\n",
            ),
            args: &[],
            message: &["bad.toml:4:", "globalty", "did you mean `globality`"],
        },
        Bad {
            name: "instructions for a phase with no task",
            protocol: Some(
                "extends = \"triadic-rat\"\n[[group]]\nname = \"no-shock\"\n\
                 home_cage = []\ncontingency.pretreatment = \"no-shock\"\n\
                 instructions.pretreatment = \"skill\"\n",
            ),
            args: &[],
            message: &[
                "bad.toml:",
                "instructions.pretreatment",
                "nothing to instruct",
            ],
        },
        Bad {
            name: "an unknown instruction",
            protocol: Some(
                "extends = \"hiroto-1974\"\n[[group]]\nname = \"escapable-skill-internal\"\n\
                 instructions.test = \"luck\"\n",
            ),
            args: &[],
            message: &["bad.toml:4:", "luck", "chance"],
        },
    ];
    for case in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a-directory.toml")).unwrap();
        let mut args = vec!["run"];
        if let Some(text) = case.protocol {
            std::fs::write(dir.path().join("bad.toml"), text).unwrap();
            args.push("bad.toml");
        }
        args.extend_from_slice(case.args);
        args.extend_from_slice(&["--out", "out"]);
        for command in ["run", "check"] {
            args[0] = command;
            let argv: Vec<&str> = if command == "check" {
                args[..2].to_vec()
            } else {
                args.clone()
            };
            let o = run_in(dir.path(), &argv);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{}: {command}: {err}", case.name);
            assert_eq!(err.lines().count(), 1, "{}: one message: {err}", case.name);
            for part in case.message {
                assert!(err.contains(part), "{}: `{err}` lacks `{part}`", case.name);
            }
            assert!(
                !dir.path().join("out").exists(),
                "{}: created output",
                case.name
            );
            assert!(
                !dir.path().join("runs").exists(),
                "{}: created output",
                case.name
            );
        }
    }
}

#[test]
fn an_existing_run_is_refused_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["run", "triadic-dog", "--subjects", "3", "--out", "a"];
    ok(&run_in(dir.path(), &args));
    let before = read(&dir.path().join("a/manifest.json"));
    let o = run_in(dir.path(), &args);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("already holds a run") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(read(&dir.path().join("a/manifest.json")), before);
    let mut forced = args.to_vec();
    forced.push("--force");
    ok(&run_in(dir.path(), &forced));
}

/// Starts a long run and waits until it has written some records.
fn start_long_run(dir: &Path) -> (std::process::Child, PathBuf) {
    let child = helplessness()
        .current_dir(dir)
        .args([
            "run",
            "triadic-rat",
            "--subjects",
            "60000",
            "--threads",
            "1",
            "--out",
            "big",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let tmp = dir.join(format!("big/.records.csv.{}.tmp", child.id()));
    let start = Instant::now();
    while std::fs::metadata(&tmp).map_or(0, |m| m.len()) < 1_000_000 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the run never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, dir.join("big"))
}

#[test]
fn a_killed_run_leaves_no_complete_looking_records() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, out) = start_long_run(dir.path());
    child.kill().unwrap();
    child.wait().unwrap();
    let names = files_in(&out);
    assert!(
        !names
            .iter()
            .any(|n| n == "records.csv" || n == "manifest.json"),
        "{names:?}"
    );
}

#[test]
fn ctrl_c_stops_promptly_and_says_what_was_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (child, out) = start_long_run(dir.path());
    let sent = Instant::now();
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let o = child.wait_with_output().unwrap();
    assert!(
        sent.elapsed() < Duration::from_secs(10),
        "took {:?}",
        sent.elapsed()
    );
    assert_eq!(o.status.code(), Some(130));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("interrupted") && err.contains("records.csv.partial"),
        "{err}"
    );
    let names = files_in(&out);
    assert_eq!(names, ["records.csv.partial"], "{names:?}");
    // What was kept is whole rows of whole yoke sets.
    let kept = String::from_utf8(read(&out.join("records.csv.partial"))).unwrap();
    assert!(kept.ends_with('\n'));
    assert!(kept.lines().count() > 1);
}

#[test]
fn analyze_recomputes_the_same_statistics_without_simulating() {
    let dir = tempfile::tempdir().unwrap();
    for (out, format) in [("csv", "csv"), ("json", "json")] {
        ok(&run_in(
            dir.path(),
            &[
                "run",
                "triadic-dog",
                "--subjects",
                "30",
                "--seed",
                "5",
                "--format",
                format,
                "--out",
                out,
            ],
        ));
        let out = dir.path().join(out);
        let text = |f: &str| String::from_utf8(read(&out.join(f))).unwrap();
        let before: Vec<String> = ["stats.json", "summary.csv", "report.md"]
            .iter()
            .map(|f| text(f))
            .collect();
        for f in ["stats.json", "summary.csv", "report.md"] {
            std::fs::remove_file(out.join(f)).unwrap();
        }
        ok(&run_in(dir.path(), &["analyze", out.to_str().unwrap()]));
        let after: Vec<String> = ["stats.json", "summary.csv", "report.md"]
            .iter()
            .map(|f| text(f))
            .collect();
        for (b, a) in before.iter().zip(&after) {
            assert!(b == a, "{format}: analyze differs from the run");
        }
        let stats: serde_json::Value = serde_json::from_str(&after[0]).unwrap();
        let phase = &stats["phases"][0];
        assert_eq!(phase["phase"], "test");
        assert_eq!(phase["pairs"].as_array().unwrap().len(), 3);
        assert!(phase["anova"]["p"].as_f64().unwrap() < 0.05);
        let report = &after[2];
        for needle in [
            "# triadic-dog",
            "## Protocol",
            "One-way ANOVA",
            "`escapable` vs `inescapable`",
            "Hedges",
        ] {
            assert!(report.contains(needle), "report lacks {needle}");
        }
    }
    // Analyzing something that is not a run is a clear error.
    let o = run_in(dir.path(), &["analyze", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a finished run"));
}

#[test]
fn figures_by_default_none_when_asked_and_plot_redraws_them() {
    let dir = tempfile::tempdir().unwrap();
    ok(&run_in(
        dir.path(),
        &["run", "triadic-dog", "--subjects", "10", "--out", "a"],
    ));
    let figures = dir.path().join("a/figures");
    assert_eq!(
        files_in(&figures),
        [
            "failing.png",
            "failing.svg",
            "latency-by-trial.png",
            "latency-by-trial.svg",
            "subject-latencies.png",
            "subject-latencies.svg",
            "traces.png",
            "traces.svg"
        ]
    );
    let report = String::from_utf8(read(&dir.path().join("a/report.md"))).unwrap();
    assert!(
        report.contains("](figures/latency-by-trial.png)"),
        "{report}"
    );
    std::fs::remove_dir_all(&figures).unwrap();
    ok(&run_in(dir.path(), &["plot", "a"]));
    assert_eq!(files_in(&figures).len(), 8);

    ok(&run_in(
        dir.path(),
        &[
            "run",
            "triadic-dog",
            "--subjects",
            "10",
            "--out",
            "b",
            "--no-plots",
        ],
    ));
    assert!(!dir.path().join("b/figures").exists());
    let report = String::from_utf8(read(&dir.path().join("b/report.md"))).unwrap();
    assert!(!report.contains("figures/"));
}

#[test]
fn records_can_be_limited_to_the_test_or_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let run = |records: &str, out: &str| {
        ok(&run_in(
            dir.path(),
            &[
                "run",
                "triadic-rat",
                "--subjects",
                "10",
                "--seed",
                "4",
                "--records",
                records,
                "--no-plots",
                "--out",
                out,
            ],
        ));
    };
    run("all", "all");
    run("test", "test");
    run("none", "none");
    let all = String::from_utf8(read(&dir.path().join("all/records.csv"))).unwrap();
    let test = String::from_utf8(read(&dir.path().join("test/records.csv"))).unwrap();
    // The test-only file is exactly the test rows of the full one, in order.
    let header = all.lines().next().unwrap();
    let expected: Vec<&str> = std::iter::once(header)
        .chain(
            all.lines()
                .skip(1)
                .filter(|l| l.split(',').nth(2) == Some("test")),
        )
        .collect();
    assert_eq!(test.lines().collect::<Vec<_>>(), expected);
    assert_eq!(test.lines().count(), 1 + 3 * 10 * 27);
    assert!(!dir.path().join("none/records.csv").exists());
    // Summaries cover every phase whatever records are kept.
    for out in ["test", "none"] {
        assert_eq!(
            read(&dir.path().join(out).join("summary.csv")),
            read(&dir.path().join("all/summary.csv"))
        );
        assert_eq!(
            read(&dir.path().join(out).join("stats.json")),
            read(&dir.path().join("all/stats.json"))
        );
    }
    let o = run_in(dir.path(), &["analyze", "none"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("kept no records"));
}

#[test]
fn bench_reports_throughput_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["bench", "--subjects", "20"]);
    ok(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("1 thread(s)") && out.contains("subject-trials/s"),
        "{out}"
    );
    assert!(
        out.contains("shock-seconds/s") && out.contains("peak memory"),
        "{out}"
    );
    assert_eq!(files_in(dir.path()).len(), 0, "bench writes no files");
    for theory in ["expectancy", "arbitration"] {
        let o = run_in(
            dir.path(),
            &["bench", "--subjects", "20", "--theory", theory],
        );
        ok(&o);
        assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("the {theory} theory")));
    }
    let o = run_in(
        dir.path(),
        &["bench", "--subjects", "20", "--theory", "hope"],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn every_scored_phase_is_reported_and_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "run",
            "time-course-rat",
            "--subjects",
            "2",
            "--out",
            "tc",
            "--quiet",
        ],
    );
    ok(&o);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    for (line, phase) in lines.iter().zip(["test-24h", "test-72h", "test-168h"]) {
        assert!(
            line.starts_with(&format!("time-course-rat, {phase}: ")),
            "{line}"
        );
        let figure = format!("figures/latency-by-trial-{phase}.png");
        assert!(dir.path().join("tc").join(&figure).exists(), "{figure}");
        let report = String::from_utf8(read(&dir.path().join("tc/report.md"))).unwrap();
        assert!(report.contains(&figure), "the report shows {figure}");
    }
}

#[test]
fn a_protocol_chooses_its_theory_and_every_command_follows_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // `theories` lists each theory with its variables, parameters and interventions.
    let o = run_in(d, &["theories"]);
    ok(&o);
    let text = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "circuit:",
        "expectancy:",
        "arbitration:",
        "Dorfman & Gershman 2019",
        "beta = 5",
        "Q_act",
        "interventions: muscimol",
    ] {
        assert!(text.contains(needle), "theories lacks {needle}");
    }
    std::fs::write(
        d.join("arb.toml"),
        "extends = \"triadic-rat\"\nname = \"arb\"\nvary = []\n\n[mind]\ntheory = \"arbitration\"\nbeta = 4.0\n",
    )
    .unwrap();
    // `show` writes the theory and every one of its parameters, and reads back.
    let o = run_in(d, &["show", "arb.toml"]);
    ok(&o);
    let shown = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(shown.contains("theory = \"arbitration\"") && shown.contains("beta = 4.0"));
    assert!(!shown.contains("mpfc_threshold"));
    std::fs::write(d.join("shown.toml"), &shown).unwrap();
    ok(&run_in(d, &["check", "shown.toml"]));
    // `run` records the theory's variables; `analyze` and `plot` read them back.
    let o = run_in(
        d,
        &[
            "run",
            "arb.toml",
            "--subjects",
            "5",
            "--quiet",
            "--out",
            "out",
        ],
    );
    ok(&o);
    let records = String::from_utf8(read(&d.join("out/records.csv"))).unwrap();
    assert!(
        records
            .lines()
            .next()
            .unwrap()
            .ends_with(",responses,V,Q_act,Q_pass,w,p_act")
    );
    let summary = String::from_utf8(read(&d.join("out/summary.csv"))).unwrap();
    assert!(
        summary
            .lines()
            .next()
            .unwrap()
            .ends_with(",freezing,mean_V,mean_Q_act,mean_Q_pass,mean_w,mean_p_act")
    );
    ok(&run_in(d, &["analyze", "out"]));
    ok(&run_in(d, &["plot", "out"]));
    assert_eq!(
        read(&d.join("out/summary.csv")),
        summary.as_bytes(),
        "analyze rewrites the same summary"
    );
    // A theory that cannot represent a drug refuses the protocol at `check`, by name.
    std::fs::write(
        d.join("exp.toml"),
        "extends = \"mpfc-inactivation-rat\"\nname = \"exp\"\n[mind]\ntheory = \"expectancy\"\n",
    )
    .unwrap();
    let o = run_in(d, &["check", "exp.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("expectancy theory cannot represent")
            && e.contains("muscimol")
            && e.contains("group `"),
        "{e}"
    );
    // A typo in the theory's name or a parameter is located and corrected.
    std::fs::write(
        d.join("typo.toml"),
        "extends = \"triadic-rat\"\nname = \"typo\"\n[mind]\ntheory = \"arbitraton\"\n",
    )
    .unwrap();
    let o = run_in(d, &["check", "typo.toml"]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("typo.toml:4") && e.contains("did you mean `arbitration`"),
        "{e}"
    );
    std::fs::write(
        d.join("param.toml"),
        "extends = \"triadic-rat\"\nname = \"param\"\nvary = []\n[mind]\ntheory = \"arbitration\"\n[params]\nbta = 2.0\n",
    )
    .unwrap();
    let o = run_in(d, &["check", "param.toml"]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("param.toml:7") && e.contains("did you mean `beta`"),
        "{e}"
    );
}

#[test]
fn a_life_study_runs_from_its_name_or_its_shown_file_on_any_threads() {
    let dir = tempfile::tempdir().unwrap();
    let listing = run_in(dir.path(), &["list"]);
    ok(&listing);
    let listing = String::from_utf8_lossy(&listing.stdout);
    for b in helplessness::protocol::BUNDLED_LIVES {
        assert!(listing.contains(b.name), "{listing}");
        ok(&run_in(dir.path(), &["check", b.name]));
    }
    let common = ["--subjects", "30", "--seed", "4"];
    let run = |args: &[&str], out: &str| {
        let mut argv: Vec<&str> = vec!["run"];
        argv.extend_from_slice(args);
        argv.extend_from_slice(&common);
        argv.extend_from_slice(&["--out", out]);
        run_in(dir.path(), &argv)
    };
    let o = run(&["life-situational", "--threads", "1"], "one");
    ok(&o);
    let printed = String::from_utf8_lossy(&o.stdout);
    assert!(
        printed.contains("end of job") && printed.contains("toxic-workplace"),
        "{printed}"
    );
    let out = dir.path().join("one");
    assert_eq!(
        files_in(&out),
        [
            "figures",
            "manifest.json",
            "report.md",
            "stats.json",
            "summary.csv",
            "weeks.csv"
        ]
    );
    assert_eq!(
        files_in(&out.join("figures")),
        [
            "helpless.png",
            "helpless.svg",
            "trajectories.png",
            "trajectories.svg"
        ]
    );
    let weeks = String::from_utf8(read(&out.join("weeks.csv"))).unwrap();
    assert!(weeks.starts_with("group,subject,phase,week,domain,"));
    // 3 groups x 30 people x 43 weeks x 4 domains.
    assert_eq!(weeks.lines().count(), 1 + 3 * 30 * 43 * 4);
    let report = String::from_utf8(read(&out.join("report.md"))).unwrap();
    assert!(
        report.contains("| job | 30 | work | toxic-workplace |"),
        "{report}"
    );

    ok(&run(&["life-situational", "--threads", "2"], "two"));
    for f in ["weeks.csv", "summary.csv", "stats.json"] {
        assert_eq!(
            read(&out.join(f)),
            read(&dir.path().join("two").join(f)),
            "{f}"
        );
    }
    // The shown file, and the run's manifest, run the same study.
    let shown = run_in(dir.path(), &["show", "life-situational"]);
    ok(&shown);
    std::fs::write(dir.path().join("mine.toml"), &shown.stdout).unwrap();
    ok(&run(&["mine.toml"], "shown"));
    ok(&run(&["one/manifest.json"], "again"));
    for other in ["shown", "again"] {
        assert_eq!(
            read(&out.join("summary.csv")),
            read(&dir.path().join(other).join("summary.csv")),
            "{other}"
        );
    }
    // Summaries only.
    ok(&run(
        &["life-situational", "--records", "none", "--no-plots"],
        "lean",
    ));
    assert!(!dir.path().join("lean/weeks.csv").exists());
    assert_eq!(
        read(&out.join("summary.csv")),
        read(&dir.path().join("lean/summary.csv"))
    );
}
