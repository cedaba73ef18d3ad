//! Protocol files: text -> `protocol::load`; an accepted protocol, shrunk to one
//! subject per group, is run into CSV and JSON-lines sinks, read back (the records
//! must come back unchanged), summarized and analysed as `helplessness run` would, and
//! rendered back to TOML (which must load as the same experiment). Returned errors
//! are fine; a panic or a failed assertion is a finding.
#![no_main]

mod common;

use helplessness::analysis::Summary;
use helplessness::protocol::{self, ProtocolFile};
use helplessness::record::{Format, read_records};
use helplessness::{CsvSink, Experiment, JsonLinesSink, RunOptions, Sink, VecSink};
use libfuzzer_sys::fuzz_target;

/// `exp` with every phase's context and domain named, the defaults (its apparatus,
/// the laboratory) included.
fn defaults_named(mut exp: Experiment) -> Experiment {
    for phase in &mut exp.phases {
        phase.context = Some(phase.context_name().to_string());
        phase.domain = Some(phase.domain_name().to_string());
    }
    exp
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(loaded) = protocol::load(text, "fuzz.toml") else {
        return;
    };

    // The file written back loads as the same experiment (`render`'s documented
    // property), and so does the complete file `helplessness show` prints, up to the
    // contexts and domains it names (a phase's defaults, written out).
    let rendered = protocol::render(&loaded.file, "# fuzz\n");
    match protocol::load(&rendered, "rendered.toml") {
        Ok(again) => assert_eq!(
            again.experiment, loaded.experiment,
            "the rendered protocol loads as another experiment:\n{rendered}"
        ),
        Err(e) => panic!("the rendered protocol does not load: {e}\n{rendered}"),
    }
    let complete =
        ProtocolFile::complete(&loaded.experiment, loaded.file.species, loaded.file.seed);
    let shown = protocol::render(&complete, "# fuzz\n");
    match protocol::load(&shown, "shown.toml") {
        Ok(again) => assert_eq!(
            defaults_named(again.experiment),
            defaults_named(loaded.experiment.clone()),
            "the rendered complete protocol loads as another experiment:\n{shown}"
        ),
        Err(e) => panic!("the rendered complete protocol does not load: {e}\n{shown}"),
    }
    let _ = helplessness::analysis::describe_protocol(&loaded.experiment);

    let exp = loaded.experiment.with_subjects(1);
    if !common::cheap(&exp) {
        return;
    }
    let seed = loaded.file.seed;
    let Ok(factory) = exp.factory() else {
        return;
    };
    let options = RunOptions {
        threads: Some(1),
        ..Default::default()
    };
    let Ok(mut csv) = CsvSink::new(Vec::new()) else {
        return;
    };
    let mut json = JsonLinesSink::new(Vec::new());
    let mut kept = VecSink::default();
    let ran = {
        let mut tee = common::Tee(vec![&mut csv, &mut json, &mut kept]);
        exp.runner(seed)
            .minds(&factory)
            .options(&options)
            .into_sink(&mut tee)
            .and_then(|()| tee.finish())
    };
    if ran.is_err() {
        return;
    }

    for (format, bytes) in [
        (
            Format::Csv,
            csv.into_inner().expect("a Vec takes every byte"),
        ),
        (
            Format::Json,
            json.into_inner().expect("a Vec takes every byte"),
        ),
    ] {
        let mut back = Vec::new();
        if let Err(e) = read_records(&bytes[..], format, exp.theory.variables(), |r| {
            back.push(r);
            Ok(())
        }) {
            panic!(
                "records written as {format} do not read back: {e}\n{}",
                String::from_utf8_lossy(&bytes)
            );
        }
        assert!(
            common::same_records(&back, &kept.records),
            "records written as {format} read back changed"
        );
    }

    // A summary must take a run's own records, in the run's order.
    let mut summary = Summary::new(&exp);
    for r in &kept.records {
        if let Err(e) = summary.write(r) {
            panic!("the summary refuses a record of its own run: {e}\n{r:?}");
        }
    }
    common::analyse(&exp, &summary, seed);
});
