//! Helpers shared by the tests that run the command-line tool.

use std::path::Path;
use std::process::{Command, Output};

/// The tool as built for these tests.
pub fn helplessness() -> Command {
    Command::new(env!("CARGO_BIN_EXE_helplessness"))
}

/// Runs the tool in `dir` with `args`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    helplessness().current_dir(dir).args(args).output().unwrap()
}

/// Asserts success, showing both streams otherwise.
pub fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "status {:?}\nstdout: {}\nstderr: {}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A file's bytes, naming the file if it cannot be read.
pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
