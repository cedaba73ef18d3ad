//! The library under inputs no sensible caller would give: theories whose state runs off
//! to infinity or whose rate is endless, values that are not numbers, impossible
//! proportions, a shard of nothing, a full disk. Each gives an error or a documented
//! NaN, never a panic or a hang.

use std::time::{Duration, Instant};

use helplessness::analysis::{self, Summary};
use helplessness::mind::{Episode, Outcome, State, Variable, factory_fn};
use helplessness::sweep::Shard;
use helplessness::{
    Apparatus, Block, Contingency, CsvSink, Error, Experiment, Group, Iti, Mind, Phase,
    Requirement, RunOptions, Schedule, Session, Sink, StopSignal, SubjectId, SubjectRng, VecSink,
    protocol,
};

/// A theory with a fixed response rate while shocked and a state that may be poisoned.
struct Odd {
    rate: f64,
    on: bool,
    d: f64,
}

impl Mind for Odd {
    fn begin_session(&mut self, _: &Session) {}
    fn end_session(&mut self) {}
    fn relax(&mut self, _: f64) {}
    fn onset(&mut self, _: &Episode) {
        self.on = true;
    }
    fn outcome(&mut self, _: Outcome) {}
    fn advance(&mut self, dt: f64) {
        self.d *= 1.0 + dt;
    }
    fn response_rate(&self) -> f64 {
        if self.on { self.rate } else { 0.0 }
    }
    fn respond(&mut self) {}
    fn offset(&mut self) {
        self.on = false;
    }
    fn state(&self) -> State {
        State::new(ODD, &[self.d])
    }
}

/// The one variable an [`Odd`] mind reports.
const ODD: &[Variable] = &[Variable::new("d", "1", "a value that may be poisoned")];

/// One group, `trials` shocks of `contingency`.
fn one_phase(trials: u32, contingency: Contingency) -> Experiment {
    Experiment::new("odd", helplessness::CircuitParams::rat())
        .group(Group::new("only", 2))
        .phase(Phase::new(
            "session",
            Apparatus::ShuttleBox,
            Schedule::new(vec![Block::new(trials, 1.0)], Iti::Fixed { s: 10.0 }, 30.0),
            contingency,
        ))
}

#[test]
fn a_state_that_leaves_the_finite_numbers_names_subject_trial_and_variable() {
    let exp = one_phase(5, Contingency::Fixed { duration_s: 30.0 });
    // d doubles every 0.1 s tick: past f64::MAX within a 30 s shock... eventually.
    let factory = factory_fn(ODD, |_: &SubjectId, _: &mut SubjectRng| {
        Ok(Odd {
            rate: 0.0,
            on: false,
            d: 1e300,
        })
    });
    let mut sink = VecSink::default();
    let e = exp
        .runner(1)
        .minds(&factory)
        .into_sink(&mut sink)
        .unwrap_err();
    assert!(
        matches!(&e, Error::NonFinite { subject, phase, trial: 1, variable: "d", .. }
            if subject == "only[0]" && phase == "session"),
        "{e}"
    );
    assert!(e.to_string().contains("became inf in `d`"), "{e}");
    assert!(sink.records.is_empty());
}

#[test]
fn an_endless_response_rate_still_ends_every_shock() {
    for contingency in [
        Contingency::Fixed { duration_s: 30.0 },
        Contingency::escapable(Requirement::FixedRatio { ratio: 1_000 }),
    ] {
        let exp = one_phase(3, contingency);
        let factory = factory_fn(ODD, |_: &SubjectId, _: &mut SubjectRng| {
            Ok(Odd {
                rate: f64::INFINITY,
                on: false,
                d: 0.0,
            })
        });
        let mut sink = VecSink::default();
        let started = Instant::now();
        exp.runner(1).minds(&factory).into_sink(&mut sink).unwrap();
        assert!(started.elapsed() < Duration::from_secs(30));
        assert_eq!(sink.records.len(), 6);
        // The engine takes at most MAX_RESPONSE_RATE, 1,000 per s: about 30,000 responses
        // in a 30 s shock (Poisson, SD 173).
        assert!(sink.records.iter().all(|r| r.responses < 31_000));
    }
    // A rate that is not a number is no responding.
    let exp = one_phase(
        2,
        Contingency::escapable(Requirement::FixedRatio { ratio: 1 }),
    );
    let factory = factory_fn(ODD, |_: &SubjectId, _: &mut SubjectRng| {
        Ok(Odd {
            rate: f64::NAN,
            on: false,
            d: 0.0,
        })
    });
    let records = {
        let mut sink = VecSink::default();
        exp.runner(1).minds(&factory).into_sink(&mut sink).unwrap();
        sink.records
    };
    assert!(records.iter().all(|r| !r.escaped && r.responses == 0));
}

#[test]
fn a_stop_raised_from_another_thread_ends_a_run_within_a_trial() {
    let exp = protocol::triadic_rat(20_000);
    let stop = StopSignal::default();
    let raise = stop.clone();
    let options = RunOptions {
        stop,
        ..RunOptions::default()
    };
    let raiser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        raise.raise();
        Instant::now()
    });
    let mut sink = VecSink::default();
    let e = exp
        .runner(1)
        .options(&options)
        .into_sink(&mut sink)
        .unwrap_err();
    let raised = raiser.join().unwrap();
    assert!(
        raised.elapsed() < Duration::from_secs(1),
        "{:?}",
        raised.elapsed()
    );
    let Error::Interrupted { done, total } = e else {
        panic!("{e}")
    };
    // The escapable-yoked pairs come first, 2 x 107 records each; only whole pairs
    // reached the sink.
    assert!(done < total / 2, "{done} of {total}");
    assert_eq!(sink.records.len() as u64, done * 214);
}

#[test]
fn values_that_are_not_numbers_give_nan_not_a_panic() {
    assert!(
        analysis::anova(&[&[1.0, 2.0], &[f64::INFINITY, 1e300]])
            .3
            .is_nan()
    );
    let (lo, hi) = helplessness::plot::wilson(5, 2);
    assert!(lo.is_nan() && hi.is_nan());
    assert!(!Shard { index: 0, count: 0 }.contains(0));

    // Records with NaN and infinite latencies, fed straight to a summary.
    let exp = protocol::triadic_dog(2);
    let mut records = exp.run(1).unwrap();
    for r in records.iter_mut().filter(|r| &*r.phase == "test") {
        r.latency_s = Some(if r.trial == 1 {
            f64::NAN
        } else {
            f64::INFINITY
        });
    }
    let mut summary = Summary::new(&exp);
    for r in &records {
        summary.write(r).unwrap();
    }
    let rows = summary.trial_rows();
    assert!(rows.iter().any(|r| r.phase == "test"));
    let stats = analysis::PhaseStats::compute(&summary, "test", 1);
    assert!(stats.anova.p.is_nan());
}

/// A writer whose disk is full.
struct Full;

impl std::io::Write for Full {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
    }
}

#[test]
fn a_full_disk_names_the_file() {
    let exp = protocol::triadic_dog(50);
    let sink = CsvSink::new(Full).map(|s| s.named("runs/x/records.csv"));
    // The header fits the buffer; the records do not.
    let mut sink = sink.unwrap();
    let e = exp.runner(1).into_sink(&mut sink).unwrap_err();
    assert!(e.to_string().starts_with("runs/x/records.csv: "), "{e}");
}
