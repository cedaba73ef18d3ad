//! The command-line tool as a user runs it.

use std::path::Path;
use std::process::Command;

fn helplessness() -> Command {
    Command::new(env!("CARGO_BIN_EXE_helplessness"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn run_triadic_rat_writes_records_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a");
    let o = helplessness()
        .args([
            "run",
            "triadic-rat",
            "--subjects",
            "20",
            "--seed",
            "7",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = read(&out.join("records.csv"));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "group,subject,phase,trial,onset_s,shock_s,latency_s,escaped,responses,c,m,d,h,s,w,G,q"
    );
    // 3 groups x 20 subjects x (80 pretreatment + 27 test trials).
    assert_eq!(lines.count(), 3 * 20 * 107);
    let stdout = String::from_utf8_lossy(&o.stdout);
    for group in ["escapable", "inescapable", "no-shock"] {
        assert!(stdout.contains(group), "{stdout}");
    }
    // No temporary file left behind.
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["records.csv"]);
}

#[test]
fn one_and_two_threads_write_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str, name: &str| {
        let out = dir.path().join(name);
        let o = helplessness()
            .args(["run", "triadic-dog", "--subjects", "30", "--seed", "3"])
            .args(["--threads", threads, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read(out.join("records.csv")).unwrap()
    };
    assert_eq!(run("1", "one"), run("2", "two"));
}

#[test]
fn unknown_protocol_exits_2_and_lists_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    let o = helplessness()
        .args(["run", "triadic-cat", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("triadic-cat") && err.contains("triadic-rat"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn list_names_every_bundled_protocol() {
    let o = helplessness().arg("list").output().unwrap();
    assert!(o.status.success());
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("triadic-rat") && s.contains("triadic-dog") && s.contains("1967"));
}
