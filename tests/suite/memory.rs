//! Memory is flat in the number of subjects: records stream to their file and summaries
//! fold each subject into online moments, so 30 times the subjects may not cost half as
//! much memory again. Measured as the process's own peak resident memory, which the run
//! writes to its manifest (Linux reports it; elsewhere the test has nothing to compare).

use std::path::Path;
use std::process::Command;

/// Peak memory, MiB, of `helplessness run triadic-rat` with `subjects` per group.
fn peak_mib(dir: &Path, subjects: u32) -> Option<f64> {
    let out = dir.join(format!("n{subjects}"));
    let status = Command::new(env!("CARGO_BIN_EXE_helplessness"))
        .args([
            "run",
            "triadic-rat",
            "--records",
            "none",
            "--no-plots",
            "--quiet",
        ])
        .args(["--subjects", &subjects.to_string(), "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    manifest["peak_memory_mib"].as_f64()
}

#[test]
fn peak_memory_is_flat_in_subjects() {
    let dir = tempfile::tempdir().unwrap();
    let (Some(small), Some(large)) = (peak_mib(dir.path(), 1_000), peak_mib(dir.path(), 30_000))
    else {
        assert!(
            !Path::new("/proc/self/status").exists(),
            "the system reports peak memory but the manifest does not"
        );
        return;
    };
    assert!(
        large <= 1.5 * small,
        "3,000 subjects: {small:.1} MiB; 90,000 subjects: {large:.1} MiB"
    );
}
