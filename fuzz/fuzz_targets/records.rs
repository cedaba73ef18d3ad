//! Records files: bytes -> `read_records` as CSV and as JSON lines, every record read
//! checked by a `RecordCheck` and fed to a `Summary` of a small bundled experiment, then the statistics of each scored
//! phase and the report computed; the bytes are also tried as a run's `manifest.json`
//! (`protocol::load`). Returned errors are fine; a panic is a finding.
#![no_main]

mod common;

use std::sync::OnceLock;

use helplessness::analysis::Summary;
use helplessness::record::{Format, RecordCheck, read_records};
use helplessness::{Experiment, Sink, protocol};
use libfuzzer_sys::fuzz_target;

/// Most records fed to a summary per input (they stream: this bounds time only).
const MAX_RECORDS: usize = 100_000;

fn experiments() -> &'static [Experiment; 2] {
    static EXPERIMENTS: OnceLock<[Experiment; 2]> = OnceLock::new();
    EXPERIMENTS.get_or_init(|| {
        [
            protocol::triadic_dog(2),
            protocol::bundled("triadic-rat")
                .expect("bundled protocols load")
                .experiment
                .with_subjects(2),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    for format in [Format::Csv, Format::Json] {
        // Strict, as `helplessness analyze` reads a run back: the first record the
        // summary refuses ends reading. Lenient, as `analysis::summarize`: it is skipped.
        for (exp, strict) in experiments().iter().zip([true, false]) {
            let mut summary = Summary::new(exp);
            let mut check = RecordCheck::new(exp, None);
            let mut count = 0;
            let read = read_records(data, format, exp.theory.variables(), |r| {
                count += 1;
                if count > MAX_RECORDS {
                    return Err(helplessness::Error::invalid("records", count, "enough"));
                }
                let _ = r.failed();
                if strict {
                    // As `helplessness analyze`: the record check first, then the summary.
                    check.check(&r)?;
                    summary.write(&r)
                } else {
                    let _ = summary.write(&r);
                    Ok(())
                }
            });
            if strict && read.is_ok() {
                let _ = check.finish();
            }
            common::analyse(exp, &summary, 1);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = protocol::load(text, "manifest.json");
    }
});
